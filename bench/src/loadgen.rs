//! A closed-loop HTTP load generator for loopback: `clients` tasks, each sending its next
//! request as soon as the last one is answered, until a request count or a time limit.
//!
//! Written here rather than driving `wrk` or `oha` because several workloads are sequences
//! that use what the previous answer said (make a promise, then keep that promise).

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use serde::Serialize;

/// How much load: the first limit reached ends the run.
#[derive(Clone, Copy, Debug)]
pub struct Load {
    pub clients: usize,
    pub requests: usize,
    pub limit: Duration,
}

impl Load {
    pub fn new(clients: usize, requests: usize, seconds: u64) -> Load {
        Load {
            clients,
            requests,
            limit: Duration::from_secs(seconds),
        }
    }
}

/// What a run measured. Latencies in milliseconds, of the jobs that succeeded.
#[derive(Clone, Debug, Serialize)]
pub struct Figures {
    pub clients: usize,
    pub ok: usize,
    pub failed: usize,
    pub seconds: f64,
    pub per_second: f64,
    pub p50_ms: f64,
    pub p90_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_error: Option<String>,
}

/// The `q`-quantile (0–1) of sorted `values`, by the nearest rank.
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

impl Figures {
    /// Figures from the latencies (ms) of the jobs that succeeded.
    pub fn of(
        clients: usize,
        mut latencies: Vec<f64>,
        failed: usize,
        elapsed: Duration,
        error: Option<String>,
    ) -> Figures {
        latencies.sort_by(f64::total_cmp);
        let seconds = elapsed.as_secs_f64();
        Figures {
            clients,
            ok: latencies.len(),
            failed,
            seconds,
            per_second: latencies.len() as f64 / seconds.max(f64::EPSILON),
            p50_ms: quantile(&latencies, 0.50),
            p90_ms: quantile(&latencies, 0.90),
            p99_ms: quantile(&latencies, 0.99),
            max_ms: latencies.last().copied().unwrap_or(f64::NAN),
            first_error: error,
        }
    }
}

/// Runs `job(i)` for i = 0, 1, 2, … from `load.clients` concurrent tasks until `load.requests`
/// jobs have started or `load.limit` has passed. A job that returns an error counts as failed.
pub async fn run<F, Fut>(load: Load, job: F) -> Figures
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<()>> + Send + 'static,
{
    let job = Arc::new(job);
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..load.clients {
        let (job, next) = (job.clone(), next.clone());
        tasks.spawn(async move {
            let mut latencies = Vec::new();
            let (mut failed, mut error) = (0, None);
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= load.requests || started.elapsed() >= load.limit {
                    break;
                }
                let sent = Instant::now();
                match job(i).await {
                    Ok(()) => latencies.push(sent.elapsed().as_secs_f64() * 1e3),
                    Err(e) => {
                        failed += 1;
                        error.get_or_insert_with(|| format!("{e:#}"));
                    }
                }
            }
            (latencies, failed, error)
        });
    }
    let (mut latencies, mut failed, mut error) = (Vec::new(), 0, None);
    while let Some(done) = tasks.join_next().await {
        if let Ok((l, f, e)) = done {
            latencies.extend(l);
            failed += f;
            error = error.or(e);
        }
    }
    Figures::of(load.clients, latencies, failed, started.elapsed(), error)
}

/// Checks an answer's status: anything but 2xx is an error carrying the body's start.
pub async fn ok(response: reqwest::Response) -> Result<reqwest::Response> {
    let status = response.status();
    if status.is_success() {
        return Ok(response);
    }
    let body = response.text().await.unwrap_or_default();
    bail!("{status}: {}", body.chars().take(300).collect::<String>())
}
