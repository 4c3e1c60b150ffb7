//! The physical reference: bare single-row SQLite write transactions with the durability
//! settings the store uses (WAL, `synchronous=FULL`), one after another on one connection —
//! the rate at which this disk can make one small write durable.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Result;
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sea_orm::sqlx::{ConnectOptions, Connection};

use crate::loadgen::Figures;

/// Commits single-row `INSERT`s (each `BEGIN IMMEDIATE … COMMIT`) into a new database at
/// `path` until `count` or `limit`.
pub async fn sqlite_transactions(path: &Path, count: usize, limit: Duration) -> Result<Figures> {
    let mut c = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5))
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .connect()
        .await?;
    sea_orm::sqlx::query(
        "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)",
    )
    .execute(&mut c)
    .await?;
    let mut latencies = Vec::with_capacity(count.min(1_000_000));
    let started = Instant::now();
    while latencies.len() < count && started.elapsed() < limit {
        let sent = Instant::now();
        sea_orm::sqlx::query("BEGIN IMMEDIATE")
            .execute(&mut c)
            .await?;
        sea_orm::sqlx::query("INSERT INTO t (body) VALUES (?)")
            .bind("A customer problem, written durably")
            .execute(&mut c)
            .await?;
        sea_orm::sqlx::query("COMMIT").execute(&mut c).await?;
        latencies.push(sent.elapsed().as_secs_f64() * 1e3);
    }
    let elapsed = started.elapsed();
    c.close().await?;
    Ok(Figures::of(1, latencies, 0, elapsed, None))
}
