//! The peers, Request Tracker 5 and django-helpdesk, measured by the scripts in
//! `../shared/peers/` on this machine in the same run; their rows read back here.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use serde::Serialize;
use serde_json::Value;

/// A peer's figures, each the median over the runs of this pass (`None`: not measured).
#[derive(Clone, Debug, Default, Serialize)]
pub struct Peer {
    pub name: String,
    /// Tickets created per second at 4 connections, and that run's p50 / p99 (ms).
    pub create_per_second: Option<f64>,
    pub create_p50_ms: Option<f64>,
    pub create_p99_ms: Option<f64>,
    /// Sequential p50 (ms) of the ticket list (JSON), search and HTML list, per dataset tag.
    pub list_p50_ms: Vec<(String, f64)>,
    pub search_p50_ms: Vec<(String, f64)>,
    pub html_list_p50_ms: Vec<(String, f64)>,
    /// Idle and peak memory of the app (PSS, MiB), and its cold start (s).
    pub idle_mib: Option<f64>,
    pub peak_mib: Option<f64>,
    pub cold_start_s: Option<f64>,
}

const PEERS: [(&str, &str, &str); 2] = [
    ("rt", "RT 5", "create_c4_cookie"),
    ("django-helpdesk", "django-helpdesk", "create_c4_token"),
];

fn raw(dir: &Path, peer: &str) -> PathBuf {
    dir.join("results")
        .join("raw")
        .join(format!("{peer}.jsonl"))
}

fn lines(path: &Path) -> usize {
    std::fs::read_to_string(path).map_or(0, |s| s.lines().count())
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => None,
        n if n % 2 == 1 => Some(v[n / 2]),
        n => Some((v[n / 2 - 1] + v[n / 2]) / 2.0),
    }
}

/// Runs `run_all.sh both RUNS` in `dir` (installs, loads and measures both peers; about
/// five minutes a run) and reads the rows it appended.
pub fn run(dir: &Path, runs: usize) -> Result<Vec<Peer>> {
    let before: Vec<usize> = PEERS.iter().map(|(p, ..)| lines(&raw(dir, p))).collect();
    let status = Command::new("bash")
        .arg("run_all.sh")
        .arg("both")
        .arg(runs.to_string())
        .current_dir(dir)
        .status()
        .with_context(|| format!("run {}/run_all.sh", dir.display()))?;
    if !status.success() {
        bail!("{}/run_all.sh failed: {status}", dir.display());
    }
    PEERS
        .iter()
        .zip(before)
        .map(|((peer, name, create), skip)| {
            let text = std::fs::read_to_string(raw(dir, peer))?;
            let rows: Vec<Value> = text
                .lines()
                .skip(skip)
                .filter_map(|l| serde_json::from_str(l).ok())
                .collect();
            Ok(figures(name, create, &rows))
        })
        .collect()
}

/// The medians of one peer's rows.
pub fn figures(name: &str, create: &str, rows: &[Value]) -> Peer {
    // A run in which every request failed measured nothing (its rate would read as 0).
    let pick = |kind: &str, scenario: &str, tag: Option<&str>, field: &str| -> Vec<f64> {
        rows.iter()
            .filter(|r| r["kind"] == kind && r["scenario"] == scenario)
            .filter(|r| r.get("ok2xx").and_then(Value::as_f64) != Some(0.0))
            .filter(|r| tag.is_none_or(|t| r["tag"] == t))
            .filter_map(|r| {
                field
                    .split('.')
                    .try_fold(r, |v, k| v.get(k))
                    .and_then(Value::as_f64)
            })
            .collect()
    };
    let per_tag = |scenario: &str| -> Vec<(String, f64)> {
        ["10k", "100k"]
            .iter()
            .filter_map(|t| {
                median(pick("latency", scenario, Some(t), "p50_ms")).map(|m| ((*t).to_owned(), m))
            })
            .collect()
    };
    let peaks: Vec<f64> = rows
        .iter()
        .filter_map(|r| r.pointer("/mem_peak/pss_mib").and_then(Value::as_f64))
        .collect();
    Peer {
        name: name.to_owned(),
        create_per_second: median(pick("throughput", create, None, "ok_rps")),
        create_p50_ms: median(pick("throughput", create, None, "p50_ms")),
        create_p99_ms: median(pick("throughput", create, None, "p99_ms")),
        list_p50_ms: per_tag("get_seq_list"),
        search_p50_ms: per_tag("get_seq_search"),
        html_list_p50_ms: per_tag("get_seq_ui_list"),
        idle_mib: median(pick("mem", "idle_after_start", Some("empty"), "pss_mib")),
        peak_mib: peaks.into_iter().reduce(f64::max),
        cold_start_s: median(pick(
            "coldstart",
            "start_to_first_200",
            Some("empty"),
            "ready_s",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn medians_are_taken_per_scenario_and_tag() {
        let rows = vec![
            json!({"kind": "throughput", "scenario": "create_c4_token", "tag": "empty", "ok_rps": 100.0, "p50_ms": 30.0, "p99_ms": 70.0, "mem_peak": {"pss_mib": 150.0}}),
            json!({"kind": "throughput", "scenario": "create_c4_token", "tag": "empty", "ok_rps": 120.0, "p50_ms": 34.0, "p99_ms": 90.0, "mem_peak": {"pss_mib": 190.0}}),
            json!({"kind": "throughput", "scenario": "create_c4_token", "tag": "empty", "ok2xx": 0, "ok_rps": 0.0, "p50_ms": 2.0}),
            json!({"kind": "throughput", "scenario": "create_c4_cookie", "tag": "empty", "ok_rps": 5.0}),
            json!({"kind": "latency", "scenario": "get_seq_list", "tag": "10k", "p50_ms": 70.0}),
            json!({"kind": "latency", "scenario": "get_seq_list", "tag": "100k", "p50_ms": 500.0}),
            json!({"kind": "latency", "scenario": "get_seq_list", "tag": "100k", "p50_ms": 520.0}),
            json!({"kind": "latency", "scenario": "get_seq_list", "tag": "100k", "p50_ms": 900.0}),
            json!({"kind": "mem", "scenario": "idle_after_start", "tag": "10k", "pss_mib": 999.0}),
            json!({"kind": "mem", "scenario": "idle_after_start", "tag": "empty", "pss_mib": 108.0}),
        ];
        let p = figures("django-helpdesk", "create_c4_token", &rows);
        assert_eq!(p.create_per_second, Some(110.0));
        assert_eq!(p.create_p99_ms, Some(80.0));
        assert_eq!(
            p.list_p50_ms,
            vec![("10k".to_owned(), 70.0), ("100k".to_owned(), 520.0)]
        );
        assert_eq!(p.idle_mib, Some(108.0));
        assert_eq!(p.peak_mib, Some(190.0));
        assert_eq!(p.search_p50_ms, vec![]);
        assert_eq!(p.cold_start_s, None);
    }
}
