//! `makegood export` and `makegood import`: the store's JSON Lines export to and from a
//! file, with a progress bar when standard error is a terminal.

use std::fs::File;
use std::io::{BufReader, BufWriter, IsTerminal, Write};
use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use makegood_store::{Progress, Store};

use crate::cli::{ExportArgs, ImportArgs};

pub async fn export(store: &Store, args: ExportArgs) -> anyhow::Result<()> {
    let bar = Bar::new("exporting");
    let done = match &args.output {
        None => {
            let mut out = BufWriter::new(std::io::stdout());
            store.export(&mut out, &bar).await?
        }
        Some(path) => {
            // Written beside the target and renamed at the end, so a failed export never
            // leaves a file that looks like one.
            let partial = partial_path(path);
            let file = create_private(&partial)
                .with_context(|| format!("cannot create {}", partial.display()))?;
            let mut out = BufWriter::new(file);
            let done = match store.export(&mut out, &bar).await {
                Ok(done) => done,
                Err(e) => {
                    let _ = std::fs::remove_file(&partial);
                    return Err(e).context("the export failed");
                }
            };
            let file = out
                .into_inner()
                .map_err(|e| e.into_error())
                .with_context(|| format!("cannot write {}", partial.display()))?;
            file.sync_all()
                .with_context(|| format!("cannot write {}", partial.display()))?;
            std::fs::rename(&partial, path).with_context(|| {
                format!("cannot rename {} to {}", partial.display(), path.display())
            })?;
            done
        }
    };
    bar.finish();
    let to = args
        .output
        .as_deref()
        .map_or_else(|| "standard output".to_owned(), |p| p.display().to_string());
    eprintln!(
        "exported {} rows of {} tables to {to}",
        done.rows, done.tables
    );
    Ok(())
}

pub async fn import(store: &Store, args: ImportArgs) -> anyhow::Result<()> {
    let file =
        File::open(&args.file).with_context(|| format!("cannot open {}", args.file.display()))?;
    let bar = Bar::new("importing");
    let done = store
        .import(BufReader::with_capacity(1 << 20, file), &bar)
        .await
        .with_context(|| format!("cannot import {}", args.file.display()))?;
    bar.finish();
    eprintln!(
        "imported {} rows of {} tables from {}",
        done.rows,
        done.tables,
        args.file.display()
    );
    Ok(())
}

/// A new file only its owner may read: an export holds password hashes and webhook secrets.
fn create_private(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

fn partial_path(path: &Path) -> std::path::PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_owned();
    name.push(".partial");
    path.with_file_name(name)
}

/// indicatif's bar on standard error when that is a terminal; hidden (drawing nothing)
/// when it is a pipe or a file, so logs and scripts see only the closing line.
struct Bar(ProgressBar);

impl Bar {
    fn new(verb: &str) -> Self {
        let terminal = std::io::stderr().is_terminal();
        let target = if terminal {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        };
        let bar = ProgressBar::with_draw_target(None, target);
        let template = format!("{verb} {{msg:20}} [{{bar:30}}] {{pos}}/{{len}} rows ({{eta}})");
        if let Ok(style) = ProgressStyle::with_template(&template) {
            bar.set_style(style.progress_chars("=> "));
        }
        if terminal {
            bar.enable_steady_tick(Duration::from_millis(200));
        }
        Bar(bar)
    }

    fn finish(&self) {
        self.0.finish_and_clear();
        let _ = std::io::stderr().flush();
    }
}

impl Progress for Bar {
    fn start(&self, rows: u64) {
        self.0.set_length(rows);
    }

    fn table(&self, name: &str) {
        self.0.set_message(name.to_owned());
    }

    fn advance(&self, n: u64) {
        self.0.inc(n);
    }
}
