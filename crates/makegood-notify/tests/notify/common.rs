//! Fixtures: notices, a store, and the Python peers (SMTP sink, webhook receiver).

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use jiff::Timestamp;
use makegood_domain::duty::ProblemRef;
use makegood_domain::{
    Email, Event, EventId, EventKind, MemberId, Notice, ProblemId, ProblemNumber, Recipient,
};
use makegood_notify::NotifyConfig;
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// The tests' "now": a Tuesday afternoon in Berlin.
pub fn now() -> Timestamp {
    "2026-11-24T13:00:00Z".parse().unwrap()
}

pub fn config() -> NotifyConfig {
    NotifyConfig::new(
        "https://desk.example.com/",
        "Acme Support <support@acme.example>",
    )
    .unwrap()
}

pub fn recipient(name: &str, email: &str) -> Recipient {
    Recipient {
        name: name.into(),
        email: Email::parse(email).unwrap(),
        time_zone: "Europe/Berlin".into(),
    }
}

pub fn problem() -> ProblemRef {
    ProblemRef {
        id: ProblemId(7),
        number: ProblemNumber(12),
        title: "Invoices printed twice".into(),
    }
}

pub fn update(to: &Recipient, body: &str, first: Option<i64>, previous: Option<i64>) -> Notice {
    Notice::CustomerUpdate {
        problem: problem(),
        to: to.clone(),
        from_name: "Sam Owner".into(),
        body: body.into(),
        first,
        previous,
    }
}

pub fn event(webhook: i64) -> Notice {
    Notice::Event {
        webhook,
        event: Event {
            id: EventId(41),
            problem: Some(ProblemId(7)),
            promise: None,
            at: now(),
            actor: Some(MemberId(1)),
            kind: EventKind::Update {
                body: "We reprinted them <today>.".into(),
            },
        },
        problem: Some(problem()),
    }
}

/// A Python peer on loopback, killed when dropped; it appends JSON lines to `out`.
pub struct Peer {
    pub port: u16,
    pub out: PathBuf,
    _child: Child,
}

fn peer_script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/peers")
        .join(name)
}

impl Peer {
    async fn start(script: &str, args: &[&str]) -> Peer {
        let mut child = Command::new("python3")
            .arg(peer_script(script))
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut line = String::new();
        tokio::time::timeout(
            Duration::from_secs(20),
            BufReader::new(stdout).read_line(&mut line),
        )
        .await
        .expect("the peer starts")
        .unwrap();
        let port = line
            .trim()
            .strip_prefix("PORT ")
            .unwrap_or_else(|| panic!("{script} printed {line:?}"))
            .parse()
            .unwrap();
        Peer {
            port,
            out: PathBuf::from(args[0]),
            _child: child,
        }
    }

    /// An SMTP sink writing to `out`, with extra arguments (`--accept N`, `--user U` …).
    pub async fn smtp(out: &Path, extra: &[&str]) -> Peer {
        let mut args = vec![out.to_str().unwrap()];
        args.extend_from_slice(extra);
        Peer::start("smtp_sink.py", &args).await
    }

    /// A webhook receiver writing to `out`, verifying signatures with `secret` at `now`.
    pub async fn webhook(out: &Path, secret: &str, now: Timestamp) -> Peer {
        let now = now.as_second().to_string();
        Peer::start(
            "webhook_receiver.py",
            &[out.to_str().unwrap(), secret, &now],
        )
        .await
    }

    /// What it has recorded so far.
    pub fn records(&self) -> Vec<Value> {
        records(&self.out)
    }
}

pub fn records(out: &Path) -> Vec<Value> {
    std::fs::read_to_string(out)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Polls `condition` (a peer's state, not a deadline) for up to 20 s.
pub async fn eventually(what: &str, mut condition: impl FnMut() -> bool) {
    for _ in 0..1_000 {
        if condition() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("timed out waiting for {what}");
}

/// Parses a recorded message's raw data.
pub fn parse(record: &Value) -> mail_parser::Message<'_> {
    mail_parser::MessageParser::default()
        .parse(record["data"].as_str().unwrap())
        .unwrap()
}
