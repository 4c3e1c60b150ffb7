//! `makegood backup` and `makegood restore`: a SQLite database copied while it runs, and
//! put back in place of the current one, which is kept beside it.

use std::fs::File;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use makegood_store::Store;
use makegood_store::backup::{ExclusiveUse, SqliteFile, schema_version, sqlite_path};

use crate::cli::{BackupArgs, RestoreArgs};
use crate::redact;

/// Where PostgreSQL's operators are sent instead.
const POSTGRES: &str = "backup and restore work on a SQLite database only; for PostgreSQL use \
    pg_dump and pg_restore (see docs/OPERATIONS.md), or `makegood export` and \
    `makegood import` for the organisation as JSON";

/// The SQLite file of `url`, or the refusal for PostgreSQL and in-memory databases.
fn database_file(url: &str) -> anyhow::Result<PathBuf> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        bail!("{POSTGRES}");
    }
    sqlite_path(url)
        .with_context(|| format!("{} is not a SQLite database file: {POSTGRES}", redact(url)))
}

pub async fn backup(url: &str, args: BackupArgs) -> anyhow::Result<()> {
    let source = database_file(url)?;
    if !source.exists() {
        bail!("there is no database at {}", source.display());
    }
    let target = &args.file;
    if target.exists() && !args.force {
        bail!(
            "{} already exists: choose another file, or pass --force to replace it",
            target.display()
        );
    }
    let store = Store::connect(url)
        .await
        .with_context(|| format!("cannot open the database at {}", redact(url)))?;
    let version = store
        .applied_schema_version()
        .await
        .context("cannot read the database's schema version")?
        .with_context(|| format!("{} is not a makegood database", source.display()))?;

    // Written under a name of its own and renamed once checked, so a backup cut short never
    // has the final name. SQLite writes into the empty file made here, keeping its mode.
    let partial = beside(target, ".partial");
    remove_if_present(&partial)?;
    create_private(&partial).with_context(|| format!("cannot create {}", partial.display()))?;
    if let Err(e) = store.backup_into(&partial).await {
        let _ = std::fs::remove_file(&partial);
        return Err(e).context("the backup failed");
    }
    drop(store);
    let checked = check_copy(&partial, &version).await;
    if let Err(e) = checked {
        let _ = std::fs::remove_file(&partial);
        return Err(e);
    }
    File::open(&partial)
        .and_then(|f| f.sync_all())
        .with_context(|| format!("cannot write {}", partial.display()))?;
    std::fs::rename(&partial, target).with_context(|| {
        format!(
            "cannot rename {} to {}",
            partial.display(),
            target.display()
        )
    })?;
    sync_dir(target);

    let size = std::fs::metadata(target).map(|m| m.len()).unwrap_or(0);
    let note = if version == schema_version() {
        String::new()
    } else {
        format!(" (this makegood is at {})", schema_version())
    };
    println!(
        "backed up {} to {} ({size} bytes, schema {version}){note}",
        source.display(),
        target.display()
    );
    Ok(())
}

/// The copy passes SQLite's integrity check and has the schema it was taken at.
async fn check_copy(copy: &Path, version: &str) -> anyhow::Result<()> {
    let file = SqliteFile::inspect(copy)
        .await
        .with_context(|| format!("cannot check the copy {}", copy.display()))?;
    if !file.integrity_problems.is_empty() {
        bail!(
            "the copy fails SQLite's integrity check: {}",
            file.integrity_problems.join("; ")
        );
    }
    if file.schema_version.as_deref() != Some(version) {
        bail!(
            "the copy is at schema {:?}, the database at {version}",
            file.schema_version
        );
    }
    Ok(())
}

pub async fn restore(url: &str, args: RestoreArgs) -> anyhow::Result<()> {
    let target = database_file(url)?;
    let backup = SqliteFile::inspect(&args.file)
        .await
        .with_context(|| format!("{} is not a makegood backup", args.file.display()))?;
    if !backup.integrity_problems.is_empty() {
        bail!(
            "{} fails SQLite's integrity check, so it is not restored: {}",
            args.file.display(),
            backup.integrity_problems.join("; ")
        );
    }
    let Some(version) = backup.schema_version.clone() else {
        bail!(
            "{} is a SQLite database but not a makegood one",
            args.file.display()
        );
    };
    if !backup.unknown_migrations.is_empty() {
        bail!(
            "{} is at schema {version}, newer than this makegood ({}): restore it with the \
             makegood that wrote it, or a newer one",
            args.file.display(),
            schema_version()
        );
    }

    let existing = target.exists();
    let lock = if existing {
        // Something that is not a database is asked about too, but nobody can have it open.
        let current = SqliteFile::inspect(&target).await.ok();
        if current.as_ref().is_none_or(|f| f.has_data) && !args.yes {
            confirm(&target)?;
        }
        match current {
            Some(_) => Some(ExclusiveUse::take(&target).await?),
            None => None,
        }
    } else {
        None
    };

    let replaced = swap_in(&args.file, &target, existing).await;
    if let Some(lock) = lock {
        lock.release().await;
    }
    let kept = replaced?;

    let migrated = if version == schema_version() {
        String::new()
    } else {
        format!(
            "; makegood migrates it to {} when it next starts",
            schema_version()
        )
    };
    println!(
        "restored {} into {} (schema {version}){migrated}",
        args.file.display(),
        target.display()
    );
    if let Some(kept) = kept {
        println!(
            "the database it replaced is kept as {}: to undo, stop makegood and move it back",
            kept.display()
        );
    }
    Ok(())
}

/// Asks on the terminal before a database with data is replaced; refuses without one.
fn confirm(target: &Path) -> anyhow::Result<()> {
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        bail!(
            "{} has data and there is no terminal to ask on: pass --yes to replace it",
            target.display()
        );
    }
    let replace = dialoguer::Confirm::new()
        .with_prompt(format!(
            "Replace the database at {} (it has data)?",
            target.display()
        ))
        .default(false)
        .interact()
        .context("cannot ask for confirmation")?;
    if !replace {
        bail!("nothing was restored");
    }
    Ok(())
}

/// Copies `backup` beside `target` and renames it over, keeping the old file under a new
/// name (returned); the old file's `-wal` and `-shm` go, so they cannot meet the new one.
async fn swap_in(backup: &Path, target: &Path, existing: bool) -> anyhow::Result<Option<PathBuf>> {
    let partial = beside(target, ".restoring");
    remove_if_present(&partial)?;
    let copied = (|| {
        let mut from = File::open(backup)?;
        let mut to = create_private(&partial)?;
        std::io::copy(&mut from, &mut to)?;
        to.sync_all()
    })();
    if let Err(e) = copied {
        let _ = std::fs::remove_file(&partial);
        return Err(e).with_context(|| {
            format!(
                "cannot copy {} beside {}",
                backup.display(),
                target.display()
            )
        });
    }
    let kept = if existing {
        let kept = free_name(target);
        // A second name for the old file, so the target is never missing in between.
        std::fs::hard_link(target, &kept)
            .or_else(|_| std::fs::copy(target, &kept).map(|_| ()))
            .with_context(|| format!("cannot keep the current database as {}", kept.display()))?;
        Some(kept)
    } else {
        None
    };
    for suffix in ["-wal", "-shm", "-journal"] {
        remove_if_present(&beside(target, suffix))?;
    }
    std::fs::rename(&partial, target).with_context(|| {
        format!(
            "cannot rename {} to {}",
            partial.display(),
            target.display()
        )
    })?;
    sync_dir(target);
    Ok(kept)
}

/// `target.before-restore`, or with `.1`, `.2` … when an earlier restore left that.
fn free_name(target: &Path) -> PathBuf {
    let first = beside(target, ".before-restore");
    if !first.exists() {
        return first;
    }
    (1..)
        .map(|n| beside(target, &format!(".before-restore.{n}")))
        .find(|p| !p.exists())
        .unwrap_or(first)
}

fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_owned();
    name.push(suffix);
    path.with_file_name(name)
}

fn remove_if_present(path: &Path) -> anyhow::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(e).with_context(|| format!("cannot remove {}", path.display()))
        }
        _ => Ok(()),
    }
}

/// A new, empty file only its owner may read: a backup holds password hashes and secrets.
fn create_private(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// Makes a rename durable: best effort, as not every platform can sync a directory.
fn sync_dir(path: &Path) {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}
