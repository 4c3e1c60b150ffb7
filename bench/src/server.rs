//! The real `makegood serve` under test: a release binary on a free loopback port, its
//! memory read from `/proc`, stopped (SIGKILL) when dropped.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// The release `makegood` binary next to this benchmark's own.
pub fn binary() -> Result<PathBuf> {
    let me = std::env::current_exe()?;
    let bin = me.with_file_name("makegood");
    if !bin.exists() {
        bail!(
            "{} is missing: build it with `cargo build --release --workspace --bins`",
            bin.display()
        );
    }
    Ok(bin)
}

/// A running `makegood serve`.
pub struct Server {
    child: Child,
    pub base: String,
}

impl Server {
    /// Starts `serve` on `database_url` and waits until `/healthz` answers 200; returns the
    /// server and the time from exec to that first successful answer (the cold start).
    pub async fn start(bin: &Path, database_url: &str) -> Result<(Server, Duration)> {
        let started = Instant::now();
        let mut child = Command::new(bin)
            .args([
                "--database-url",
                database_url,
                "serve",
                "--listen",
                "127.0.0.1:0",
            ])
            .env("RUST_LOG", "error")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .with_context(|| format!("start {}", bin.display()))?;
        let stdout = child.stdout.take().context("stdout is piped")?;
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            for line in lines.by_ref() {
                let Ok(line) = line else { break };
                if let Some(base) = line.strip_prefix("makegood listening on ") {
                    let _ = tx.send(base.to_owned());
                    break;
                }
            }
            // Keep draining so the server never blocks on a full pipe.
            for _ in lines {}
        });
        let base = tokio::task::spawn_blocking(move || rx.recv_timeout(Duration::from_secs(60)))
            .await?
            .context("makegood serve printed no banner within 60 s")?;
        let server = Server { child, base };
        let http = reqwest::Client::new();
        loop {
            let answer = http.get(format!("{}/healthz", server.base)).send().await;
            if answer.is_ok_and(|a| a.status().is_success()) {
                return Ok((server, started.elapsed()));
            }
            if started.elapsed() > Duration::from_secs(60) {
                bail!("makegood serve did not answer /healthz within 60 s");
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Resident memory now and at its peak so far, in MiB.
    pub fn memory(&self) -> Result<Memory> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid()))?;
        let field = |name: &str| -> Result<f64> {
            let line = status
                .lines()
                .find(|l| l.starts_with(name))
                .with_context(|| format!("{name} in /proc/PID/status"))?;
            let kib: f64 = line
                .split_whitespace()
                .nth(1)
                .context("a number")?
                .parse()?;
            Ok(kib / 1024.0)
        };
        Ok(Memory {
            rss_mib: field("VmRSS:")?,
            peak_mib: field("VmHWM:")?,
        })
    }
}

/// Resident set size (MiB).
#[derive(Clone, Copy, Debug, serde::Serialize)]
pub struct Memory {
    pub rss_mib: f64,
    pub peak_mib: f64,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
