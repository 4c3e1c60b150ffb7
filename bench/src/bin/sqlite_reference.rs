//! `sqlite_reference`: the bare single-row durable SQLite transaction rate of this disk
//! (the physical reference of bench/README.md; the suite runs the same in its own run).

use std::time::Duration;

use anyhow::Result;
use makegood_bench::{reference, results};

#[tokio::main]
async fn main() -> Result<()> {
    let dir = std::env::temp_dir().join(format!("makegood-bare-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let f = reference::sqlite_transactions(&dir.join("bare.db"), 200_000, Duration::from_secs(10))
        .await;
    std::fs::remove_dir_all(&dir)?;
    println!(
        "bare SQLite (WAL, synchronous=FULL): {}",
        results::rate(&f?)
    );
    Ok(())
}
