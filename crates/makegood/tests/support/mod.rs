//! Shared by the black-box tests of crash safety, disk full and shutdown: a `makegood serve`
//! on a free port, an organisation with a customer contact and an API token, an API client.

#![allow(
    dead_code,
    reason = "each test binary uses the part of the support it needs"
)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use jiff::Timestamp;
use makegood_domain::{AccountId, ContactId, Currency, Email, MemberId, Money, Role};
use makegood_store::{NewAccount, NewContact, NewMember, Store};
use serde_json::{Value, json};

pub const ADMIN_EMAIL: &str = "ada@northwind.example";
pub const CONTACT_EMAIL: &str = "priya@acme.example";

pub fn makegood(db: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_makegood"));
    cmd.arg("--database-url").arg(db).env("RUST_LOG", "warn");
    cmd
}

#[expect(
    clippy::disallowed_methods,
    reason = "the server runs on the real clock"
)]
pub fn wall_clock() -> Timestamp {
    Timestamp::now()
}

/// A `makegood serve` on a free loopback port, killed on drop.
pub struct Server {
    pub child: Child,
    pub base: String,
}

impl Server {
    /// Starts the server on `db` and waits for the line that names its port.
    pub fn start(db: &str) -> Server {
        Server::start_with(db, &[])
    }

    /// Like [`Server::start`], with more arguments to `serve`.
    pub fn start_with(db: &str, args: &[&str]) -> Server {
        let mut child = makegood(db)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(args)
            .stdout(Stdio::piped())
            .spawn()
            .expect("makegood serve starts");
        let stdout = child.stdout.take().expect("stdout is piped");
        let mut lines = BufReader::new(stdout).lines();
        let first = match lines.next() {
            Some(Ok(line)) => line,
            other => {
                let status = child.wait();
                panic!("makegood serve printed no banner ({other:?}); it exited: {status:?}")
            }
        };
        let base = first
            .strip_prefix("makegood listening on ")
            .unwrap_or_else(|| panic!("unexpected banner {first:?}"))
            .to_owned();
        // Keep draining stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Server { child, base }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGKILL: no chance to clean up.
    pub fn kill(&mut self) {
        self.child.kill().expect("SIGKILL is sent");
        self.child.wait().expect("the killed server is reaped");
    }

    /// Sends SIGTERM.
    pub fn terminate(&self) {
        let sent = Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status()
            .expect("kill runs");
        assert!(sent.success(), "SIGTERM is sent");
    }

    /// Waits (at most `limit`) for the process to exit; `None` if it is still running.
    pub fn wait_exit(&mut self, limit: Duration) -> Option<ExitStatus> {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("the server can be waited on") {
                return Some(status);
            }
            if started.elapsed() > limit {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What [`seed`] made: an admin who owns problems, an account and its one contact.
#[derive(Clone, Debug)]
pub struct Seeded {
    pub admin: MemberId,
    pub account: AccountId,
    pub contact: ContactId,
    pub token: String,
}

/// The organisation, an account with a contact who hears customer updates by email, and an
/// API token for the admin (made by `makegood token`, as an operator would).
pub async fn seed(store: &Store, db: &str) -> Seeded {
    let now = wall_clock();
    let admin = store
        .initialise(
            "Northwind",
            NewMember {
                name: "Ada".into(),
                email: Email::parse(ADMIN_EMAIL).expect("an email"),
                role: Role::Admin,
                remedy_authority: Money::new(100_000, Currency::new("EUR").expect("EUR")),
                time_zone: "Europe/Berlin".into(),
                password_hash: None,
            },
            now,
        )
        .await
        .expect("the organisation is made");
    let account = store
        .create_account(NewAccount {
            name: "Acme".into(),
            parent: None,
            tier: None,
        })
        .await
        .expect("the account is made");
    let contact = store
        .create_contact(NewContact {
            account: account.id,
            name: "Priya".into(),
            role_title: "CTO".into(),
            email: Some(Email::parse(CONTACT_EMAIL).expect("an email")),
            phone: None,
        })
        .await
        .expect("the contact is made");
    let out = makegood(db)
        .args(["token", "--email", ADMIN_EMAIL])
        .output()
        .expect("makegood token runs");
    assert!(
        out.status.success(),
        "makegood token: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = String::from_utf8(out.stdout)
        .expect("a token")
        .trim()
        .to_owned();
    Seeded {
        admin: admin.id,
        account: account.id,
        contact: contact.id,
        token,
    }
}

/// The JSON API with a bearer token.
#[derive(Clone)]
pub struct Api {
    pub http: reqwest::Client,
    pub token: String,
}

/// A response: its status and its body (`Null` when not JSON).
#[derive(Clone, Debug)]
pub struct Answer {
    pub status: u16,
    pub content_type: String,
    pub body: Value,
}

impl Api {
    pub fn new(token: &str) -> Api {
        Api {
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(20))
                .build()
                .expect("a client"),
            token: token.to_owned(),
        }
    }

    /// Sends a request; `Err` when no complete response came back (the server died).
    pub async fn send(
        &self,
        base: &str,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Answer, reqwest::Error> {
        let mut request = self
            .http
            .request(method, format!("{base}/api/v1{path}"))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await?;
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let bytes = response.bytes().await?;
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Ok(Answer {
            status,
            content_type,
            body,
        })
    }

    /// A GET that must succeed.
    pub async fn get(&self, base: &str, path: &str) -> Value {
        let answer = self
            .send(base, reqwest::Method::GET, path, None)
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"));
        assert_eq!(answer.status, 200, "GET {path}: {:?}", answer.body);
        answer.body
    }

    /// A POST that must succeed.
    pub async fn post(&self, base: &str, path: &str, body: &Value) -> Value {
        let answer = self
            .send(base, reqwest::Method::POST, path, Some(body))
            .await
            .unwrap_or_else(|e| panic!("POST {path}: {e}"));
        assert!(
            (200..300).contains(&answer.status),
            "POST {path}: {} {:?}",
            answer.status,
            answer.body
        );
        answer.body
    }

    /// A major problem of ours, "Booking site down", owned by the seeded admin and affecting
    /// the seeded account, its contact a stakeholder; the created problem.
    pub async fn booking_site_down(&self, base: &str, seeded: &Seeded) -> Value {
        self.post(
            base,
            "/problems",
            &json!({
                "title": "Booking site down", "origin": "ours", "severity": "major",
                "category": "hosting", "owner": seeded.admin,
                "accounts": [seeded.account], "stakeholders": [seeded.contact],
            }),
        )
        .await
    }

    /// Every item of a paginated list, following `next` cursors.
    pub async fn all(&self, base: &str, path: &str) -> Vec<Value> {
        let mut items = Vec::new();
        let sep = if path.contains('?') { '&' } else { '?' };
        let mut url = format!("{path}{sep}limit=100");
        loop {
            let page = self.get(base, &url).await;
            items.extend(page["items"].as_array().expect("a list").iter().cloned());
            match page["next_cursor"].as_str() {
                Some(cursor) if !cursor.is_empty() => {
                    url = format!("{path}{sep}limit=100&cursor={cursor}");
                }
                _ => return items,
            }
        }
    }
}
