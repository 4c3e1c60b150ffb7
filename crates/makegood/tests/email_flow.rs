//! The "done when", against the real binary: `makegood demo`, a real SMTP server on
//! loopback, `makegood serve --smtp-url`; a warning reaches the owner before the deadline, a
//! breach reaches the owner and the supervisor, and customer updates reach the stakeholder
//! as one email thread.

#![expect(
    clippy::unwrap_used,
    reason = "fixtures and test bodies: a failed unwrap is a failed test"
)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use jiff::{SignedDuration, Timestamp};
use mail_parser::MessageParser;
use serde_json::{Value, json};

/// A child process killed on drop, whatever the test's outcome.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn makegood(db: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_makegood"));
    cmd.arg("--database-url").arg(db).env("RUST_LOG", "warn");
    cmd
}

/// The first line of `child`'s stdout that starts with `prefix`, without it; the rest of the
/// output is drained so the child never blocks on a full pipe.
fn line_after(child: &mut Child, prefix: &str) -> String {
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let found = lines
        .by_ref()
        .map(|l| l.unwrap())
        .find_map(|l| l.strip_prefix(prefix).map(str::to_owned))
        .unwrap_or_else(|| panic!("no line starting with {prefix:?}"));
    std::thread::spawn(move || for _ in lines {});
    found
}

/// aiosmtpd on a free loopback port, writing each message it accepts to `out` as a JSON line.
fn smtp_sink(out: &Path) -> (Killed, u16) {
    let script =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../makegood-notify/tests/peers/smtp_sink.py");
    let mut child = Command::new("python3")
        .arg(script)
        .arg(out)
        // The sink stops when its stdin closes: the pipe lives as long as the child handle.
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 with aiosmtpd (scripts/test-requirements.txt)");
    let port = line_after(&mut child, "PORT ").trim().parse().unwrap();
    (Killed(child), port)
}

/// One received email: its envelope recipients and parsed headers.
struct Received {
    to: Vec<String>,
    subject: String,
    message_id: String,
    in_reply_to: Option<String>,
    references: Vec<String>,
}

fn received(out: &Path) -> Vec<Received> {
    let Ok(text) = std::fs::read_to_string(out) else {
        return Vec::new();
    };
    text.lines()
        .map(|line| {
            let record: Value = serde_json::from_str(line).unwrap();
            let data = record["data"].as_str().unwrap().to_owned();
            let parsed = MessageParser::default().parse(data.as_bytes()).unwrap();
            Received {
                to: serde_json::from_value(record["rcpt_tos"].clone()).unwrap(),
                subject: parsed.subject().unwrap_or_default().to_owned(),
                message_id: parsed.message_id().unwrap_or_default().to_owned(),
                in_reply_to: parsed.in_reply_to().as_text().map(str::to_owned),
                references: parsed
                    .references()
                    .as_text_list()
                    .map(|l| l.iter().map(|r| r.to_string()).collect())
                    .or_else(|| parsed.references().as_text().map(|t| vec![t.to_owned()]))
                    .unwrap_or_default(),
            }
        })
        .collect()
}

/// Waits (polling the sink's file, never a fixed sleep) until `want` holds of what arrived.
fn wait_for(out: &Path, what: &str, want: impl Fn(&[Received]) -> bool) -> Vec<Received> {
    let started = Instant::now();
    loop {
        let got = received(out);
        if want(&got) {
            return got;
        }
        let subjects: Vec<_> = got.iter().map(|r| (&r.to, &r.subject)).collect();
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "waited a minute for {what}; received {subjects:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

struct Api {
    base: String,
    token: String,
    http: reqwest::blocking::Client,
}

impl Api {
    fn send(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut request = self
            .http
            .request(method, format!("{}/api/v1{path}", self.base))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().unwrap();
        let status = response.status();
        let body: Value = response.json().unwrap_or(Value::Null);
        assert!(status.is_success(), "{path}: {status} {body}");
        body
    }
    fn get(&self, path: &str) -> Value {
        self.send(reqwest::Method::GET, path, None)
    }
    fn post(&self, path: &str, body: Value) -> Value {
        self.send(reqwest::Method::POST, path, Some(body))
    }
    fn put(&self, path: &str, body: Value) -> Value {
        self.send(reqwest::Method::PUT, path, Some(body))
    }
}

#[expect(
    clippy::disallowed_methods,
    reason = "the server runs on the real clock"
)]
fn wall_clock() -> Timestamp {
    Timestamp::now()
}

#[test]
fn warnings_breaches_and_customer_updates_arrive_by_email() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("makegood.db").display());
    let mail: PathBuf = dir.path().join("mail.jsonl");

    let demo = makegood(&db).args(["demo"]).output().unwrap();
    assert!(
        demo.status.success(),
        "{}",
        String::from_utf8_lossy(&demo.stderr)
    );
    let token = makegood(&db)
        .args(["token", "--email", "alex@northwind.example"])
        .output()
        .unwrap();
    assert!(token.status.success());
    let token = String::from_utf8(token.stdout).unwrap().trim().to_owned();

    let (_sink, port) = smtp_sink(&mail);
    let mut server = makegood(&db)
        .args(["serve", "--listen", "127.0.0.1:0", "--smtp-url"])
        .arg(format!("smtp://127.0.0.1:{port}"))
        .args([
            "--mail-from",
            "Northwind Support <support@northwind.example>",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let base = line_after(&mut server, "makegood listening on ");
    let _server = Killed(server);
    let api = Api {
        base,
        token,
        http: reqwest::blocking::Client::new(),
    };

    // Alex works around the clock, so a warning is not held for working hours.
    let all_day = json!([{"open": "00:00", "close": "24:00"}]);
    let week: serde_json::Map<String, Value> = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ]
    .iter()
    .map(|d| ((*d).to_owned(), all_day.clone()))
    .collect();
    api.put(
        "/me/preferences",
        json!({"email_alerts": true, "daily_digest": false, "working_hours": week}),
    );
    let me = api.get("/me");
    let contacts = api.get("/contacts?limit=200");
    let priya = contacts["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["email"] == "priya@brightline.example")
        .unwrap()
        .clone();

    // A critical problem detected 50 minutes ago: its one-hour tell clock is in warning.
    let problem = |title: &str, minutes_ago: i64| {
        let detected = wall_clock() - SignedDuration::from_mins(minutes_ago);
        api.post(
            "/problems",
            json!({
                "title": title, "origin": "ours", "severity": "critical",
                "category": "hosting", "owner": me["id"],
                "accounts": [priya["account"]], "stakeholders": [priya["id"]],
                "detected_at": detected.to_string(),
            }),
        )
    };
    let warned = problem("Booking site down", 50);
    let number = warned["number"].as_str().unwrap().to_owned();
    let got = wait_for(&mail, "the warning to Alex", |got| {
        got.iter()
            .any(|m| m.subject.starts_with(&format!("[{number}] Warning")))
    });
    let warning = got
        .iter()
        .find(|m| m.subject.starts_with(&format!("[{number}] Warning")))
        .unwrap();
    assert_eq!(warning.to, ["alex@northwind.example"]);

    // Detected two hours ago: breached; the owner and the supervisor hear at once.
    let breached = problem("Payments failing", 120);
    let number = breached["number"].as_str().unwrap().to_owned();
    let got = wait_for(&mail, "the breach alerts", |got| {
        got.iter()
            .filter(|m| m.subject.starts_with(&format!("[{number}] Breached")))
            .count()
            >= 2
    });
    let mut alerted: Vec<_> = got
        .iter()
        .filter(|m| m.subject.starts_with(&format!("[{number}] Breached")))
        .flat_map(|m| m.to.clone())
        .collect();
    alerted.sort();
    assert_eq!(
        alerted,
        ["alex@northwind.example", "maya@northwind.example"]
    );

    // Two customer updates reach Priya as one thread.
    let path = format!("/problems/{}/updates", warned["number"].as_str().unwrap());
    api.post(
        &path,
        json!({"body": "We know the booking site is down and are on it."}),
    );
    api.post(
        &path,
        json!({"body": "Bookings work again; we are watching it."}),
    );
    let title = "Booking site down";
    let got = wait_for(&mail, "two updates to Priya", |got| {
        got.iter()
            .filter(|m| m.to == ["priya@brightline.example"] && m.subject.contains(title))
            .count()
            >= 2
    });
    // The demo's own updates to Priya went out too; these are the two about this problem.
    let updates: Vec<_> = got
        .iter()
        .filter(|m| m.to == ["priya@brightline.example"] && m.subject.contains(title))
        .collect();
    assert_eq!(updates.len(), 2, "each update is sent once");
    assert!(
        updates[0]
            .subject
            .starts_with(&format!("[{}]", warned["number"].as_str().unwrap()))
    );
    assert_eq!(
        updates[1].in_reply_to.as_deref(),
        Some(updates[0].message_id.as_str())
    );
    assert!(updates[1].references.contains(&updates[0].message_id));
}
