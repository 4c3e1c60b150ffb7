//! `fanout`: how long one customer update takes to fan out to N stakeholders (see README).

use anyhow::Result;
use clap::Parser;
use makegood_bench::fanout::{self, Dataset};
use makegood_bench::stats::Summary;
use makegood_store::testing::TestDb;

/// Times one update fanned out to every stakeholder of a franchise network's locations.
#[derive(Debug, Parser)]
struct Args {
    /// Stakeholders (contacts with an email address), spread over the locations.
    #[arg(long, default_value_t = 10_000)]
    stakeholders: usize,
    /// Locations (child accounts) of the network.
    #[arg(long, default_value_t = 750)]
    locations: usize,
    /// Updates timed, one after another on the same problem (the later ones thread).
    #[arg(long, default_value_t = 7)]
    repetitions: usize,
    /// Also on a fresh database on this PostgreSQL server (postgres://…).
    #[arg(long)]
    database_url: Option<String>,
}

async fn measure(name: &str, db: TestDb, data: Dataset, repetitions: usize) -> Result<()> {
    let incident = fanout::build(&db.store, data).await?;
    let times = fanout::run(&db.store, &incident, data, repetitions).await?;
    let each: Vec<String> = times
        .iter()
        .map(|t| format!("{:.1}", t.as_secs_f64() * 1_000.0))
        .collect();
    if let Some(summary) = Summary::of(&times) {
        println!(
            "{name}: {} stakeholders at {} locations, {repetitions} updates: {summary} (each: {} ms)",
            data.stakeholders,
            data.locations,
            each.join(", ")
        );
    }
    Ok(())
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = Args::parse();
    let data = Dataset {
        locations: args.locations,
        stakeholders: args.stakeholders,
    };
    measure("sqlite", TestDb::sqlite().await, data, args.repetitions).await?;
    if let Some(url) = &args.database_url {
        measure(
            "postgres",
            TestDb::postgres_on(url).await,
            data,
            args.repetitions,
        )
        .await?;
    }
    Ok(())
}
