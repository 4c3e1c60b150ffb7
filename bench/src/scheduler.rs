//! The scheduler under a real `makegood serve`: how soon after a deadline passes its
//! notification is queued, and how long a crowd of deadlines falling due together takes.
//!
//! Both are observed from outside, by polling the database the server writes: a promise's
//! breach timer is marked fired in the same transaction that records the broken promise and
//! queues the owner's alert, so the moment the mark is visible is the moment the
//! notification is queued.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use jiff::{SignedDuration, Timestamp};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement, Value};
use serde_json::json;

use crate::loadgen::{self, Figures, Load};
use crate::workloads::{Api, Made, wall_clock};

async fn count(db: &DatabaseConnection, sql: &str, values: Vec<Value>) -> Result<i64> {
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => sql.replace('?', "$1"),
        _ => sql.to_owned(),
    };
    let row = db
        .query_one_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?
        .context("a count")?;
    Ok(row.try_get_by_index::<i64>(0)?)
}

async fn make_promise(api: &Api, on: &Made, due: Timestamp) -> Result<i64> {
    let promise = api
        .post(
            "/promises",
            &json!({
                "what": "Call back with the root cause",
                "problem": on.number,
                "contacts": [on.contact],
                "due_at": due.to_string(),
            }),
        )
        .await?;
    promise["id"].as_i64().context("a promise id")
}

/// A time as the store binds it.
fn chrono_utc(t: Timestamp) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_micros(t.as_microsecond()).unwrap_or_default()
}

/// Waits for `done` to hold, polling every `every`; the time from `from` until it held.
async fn until(
    from: Instant,
    every: Duration,
    limit: Duration,
    mut done: impl AsyncFnMut() -> Result<bool>,
) -> Result<Duration> {
    loop {
        if done().await? {
            return Ok(from.elapsed());
        }
        if from.elapsed() > limit {
            bail!("not done within {limit:?}");
        }
        tokio::time::sleep(every).await;
    }
}

/// The instant (on this process's monotonic clock) at which the wall clock reads `at`.
async fn when(at: Timestamp) -> Instant {
    let wait = at.duration_since(wall_clock());
    let wait = Duration::try_from(wait).unwrap_or(Duration::ZERO);
    let start = Instant::now();
    tokio::time::sleep(wait).await;
    start + wait
}

/// `runs` promises, one at a time, each due two seconds after it is made: the time from
/// each due moment until its breach (and the owner's alert) is committed.
pub async fn deadline(
    api: &Api,
    db: &DatabaseConnection,
    on: &Made,
    runs: usize,
) -> Result<Figures> {
    let mut latencies = Vec::with_capacity(runs);
    let started = Instant::now();
    for _ in 0..runs {
        let due = wall_clock() + SignedDuration::from_secs(2);
        let id = make_promise(api, on, due).await?;
        // The timers' (subject, clock, …) index answers this.
        let sql = format!(
            "SELECT COUNT(*) FROM timers WHERE subject = 'promise:{id}' \
             AND transition = 'breach' AND fired_at IS NOT NULL"
        );
        let from = when(due).await;
        let took = until(
            from,
            Duration::from_millis(2),
            Duration::from_secs(30),
            async || Ok(count(db, &sql, vec![]).await? == 1),
        )
        .await?;
        let broken = format!(
            "SELECT COUNT(*) FROM events WHERE promise_id = {id} AND kind = 'promise_broken'"
        );
        let breaks = count(db, &broken, vec![]).await?;
        if breaks != 1 {
            bail!("promise {id} broke {breaks} times");
        }
        latencies.push(took.as_secs_f64() * 1e3);
    }
    Ok(Figures::of(1, latencies, 0, started.elapsed(), None))
}

/// What a crowd of deadlines took.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Crowd {
    /// Promises made (all due at the same second).
    pub deadlines: usize,
    /// How fast they were made (64 clients).
    pub made: Figures,
    /// From the due second until every one had broken, in seconds.
    pub seconds: f64,
}

/// `n` promises spread over `on`, all due at the same second `lead` from now (made at 64
/// clients meanwhile); the time from that second until every breach is committed.
pub async fn crowd(
    api: &Api,
    db: &DatabaseConnection,
    on: &[Made],
    n: usize,
    lead: Duration,
) -> Result<Crowd> {
    // On a whole second: what the server stores is exactly what is compared below.
    let due = Timestamp::from_second((wall_clock() + SignedDuration::try_from(lead)?).as_second())?;
    let made = {
        let (api, on) = (api.clone(), std::sync::Arc::new(on.to_vec()));
        let limit = lead.saturating_sub(Duration::from_secs(5));
        loadgen::run(
            Load {
                clients: 64,
                requests: n,
                limit,
            },
            move |i| {
                let (api, on) = (api.clone(), on.clone());
                async move { make_promise(&api, &on[i % on.len()], due).await.map(drop) }
            },
        )
        .await
    };
    // Read from the scheduler's own index (pending, by time): cheap however many timers
    // there are, so polling does not slow the server it watches.
    // A promise breaks the moment after it is due (its breach timer is 1 µs later).
    let at = || {
        vec![Value::from(chrono_utc(
            due + SignedDuration::from_millis(1),
        ))]
    };
    let planned = count(
        db,
        "SELECT COUNT(*) FROM timers WHERE fired_at IS NULL AND at <= ? \
         AND clock = 'promise' AND transition = 'breach'",
        at(),
    )
    .await?;
    if planned != made.ok as i64 {
        bail!(
            "{} promises were made but {planned} breaches are pending",
            made.ok
        );
    }
    let pending = "SELECT COUNT(*) FROM timers WHERE fired_at IS NULL AND at <= ?";
    let from = when(due).await;
    let took = until(
        from,
        Duration::from_millis(20),
        Duration::from_secs(300),
        async || Ok(count(db, pending, at()).await? == 0),
    )
    .await?;
    Ok(Crowd {
        deadlines: made.ok,
        made,
        seconds: took.as_secs_f64(),
    })
}
