//! `reports`: how long `Store::report` takes over a large organisation (see README).

use anyhow::{Context, Result};
use clap::Parser;
use jiff::Timestamp;
use makegood_bench::dataset::{self, Dataset};
use makegood_bench::reports;
use makegood_bench::stats::Summary;
use makegood_store::Store;

/// Builds an organisation's three years of problems, then times reports over it.
#[derive(Debug, Parser)]
struct Args {
    /// Problems (about ten events each).
    #[arg(long, default_value_t = 100_000)]
    problems: usize,
    /// Reports timed per filter.
    #[arg(long, default_value_t = 7)]
    repetitions: usize,
    /// Keep the SQLite database here (reused, without rebuilding, when it exists).
    #[arg(long)]
    path: Option<std::path::PathBuf>,
    /// Rebuild the aggregates of an existing `--path` first (timed).
    #[arg(long)]
    rebuild: bool,
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = Args::parse();
    let now: Timestamp = "2026-12-01T12:00:00Z".parse()?;
    let dir = tempfile_dir()?;
    let path = args.path.clone().unwrap_or_else(|| dir.join("reports.db"));
    let existed = path.exists();
    let url = format!("sqlite://{}", path.display());
    let store = Store::connect(&url).await.context("open the database")?;
    store.migrate().await.context("migrate")?;
    if !existed {
        let started = std::time::Instant::now();
        let members = dataset::organisation(&store, now).await?;
        dataset::build(
            &url,
            &members,
            Dataset {
                problems: args.problems,
                now,
            },
        )
        .await?;
        let generated = started.elapsed();
        let started = std::time::Instant::now();
        store.rebuild_reports().await?;
        println!(
            "dataset: {} problems generated in {:.1} s, aggregates rebuilt in {:.1} s",
            args.problems,
            generated.as_secs_f64(),
            started.elapsed().as_secs_f64()
        );
    }
    if existed && args.rebuild {
        let started = std::time::Instant::now();
        store.rebuild_reports().await?;
        println!(
            "aggregates rebuilt in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
    let this_month = store.report_month(now).await?;
    // Warm: the first report drains whatever is dirty.
    store
        .report(
            &makegood_domain::ReportFilter::last_twelve_months(this_month),
            now,
        )
        .await?;
    for (name, filter) in reports::filters(this_month, 2, 1) {
        let times = reports::time(args.repetitions, || {
            let (store, filter) = (store.clone(), filter.clone());
            async move {
                store.report(&filter, now).await?;
                Ok(())
            }
        })
        .await?;
        if let Some(summary) = Summary::of(&times) {
            println!("sqlite, {} problems, {name}: {summary}", args.problems);
        }
    }
    Ok(())
}

/// A directory for the database when no `--path` is given (left behind in the temp dir).
fn tempfile_dir() -> Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("makegood-bench-reports-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
