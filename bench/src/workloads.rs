//! The HTTP workloads: what members do all day, sent to a real `makegood serve` through its
//! JSON API (bearer token) and its pages (session cookie).

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use jiff::{SignedDuration, Timestamp};
use makegood_domain::MemberId;
use makegood_store::Store;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::loadgen::{self, Figures, Load, ok};

/// The wall clock: the server under test runs on it.
#[expect(
    clippy::disallowed_methods,
    reason = "the benchmarks measure the real server on the real clock"
)]
pub fn wall_clock() -> Timestamp {
    Timestamp::now()
}

/// A member's two ways in: an API token and a signed-in browser session.
#[derive(Clone)]
pub struct Api {
    http: reqwest::Client,
    pub base: String,
    bearer: String,
    cookie: String,
}

impl Api {
    /// Signs `member` (whose email is `email`) in on the server at `base`: an API token made
    /// by `makegood token`, as an operator would, and a session recorded in the store.
    pub async fn sign_in(
        bin: &Path,
        database_url: &str,
        store: &Store,
        member: MemberId,
        email: &str,
        base: &str,
    ) -> Result<Api> {
        let out = std::process::Command::new(bin)
            .args(["--database-url", database_url, "token", "--email", email])
            .output()
            .context("run makegood token")?;
        if !out.status.success() {
            bail!("makegood token: {}", String::from_utf8_lossy(&out.stderr));
        }
        let token = String::from_utf8(out.stdout)?.trim().to_owned();
        let secret = format!("bench-session-{:016x}", rand::random::<u64>());
        let hash = hex::encode(Sha256::digest(secret.as_bytes()));
        store
            .create_session(
                member,
                &hash,
                "bench-csrf",
                wall_clock() + SignedDuration::from_hours(24),
            )
            .await?;
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .pool_max_idle_per_host(256)
            .build()?;
        Ok(Api {
            http,
            base: base.to_owned(),
            bearer: format!("Bearer {token}"),
            cookie: format!("makegood_session={secret}"),
        })
    }

    /// Another API on the same credentials, talking to the server at `base`.
    pub fn at(&self, base: &str) -> Api {
        Api {
            base: base.to_owned(),
            ..self.clone()
        }
    }

    /// `POST` JSON through the API; the answer's JSON.
    pub async fn post(&self, path: &str, body: &Value) -> Result<Value> {
        let answer = self
            .http
            .post(format!("{}/api/v1{path}", self.base))
            .header("authorization", &self.bearer)
            .json(body)
            .send()
            .await?;
        Ok(ok(answer).await?.json().await?)
    }

    /// `GET` through the API; the whole body is read.
    pub async fn get(&self, path: &str) -> Result<()> {
        let answer = self
            .http
            .get(format!("{}/api/v1{path}", self.base))
            .header("authorization", &self.bearer)
            .send()
            .await?;
        ok(answer).await?.bytes().await?;
        Ok(())
    }

    /// `GET` a page as the signed-in member; the whole HTML is read.
    pub async fn page(&self, path: &str) -> Result<()> {
        let answer = self
            .http
            .get(format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .send()
            .await?;
        let answer = ok(answer).await?;
        if !answer
            .url()
            .path()
            .eq(path.split('?').next().unwrap_or(path))
        {
            bail!("{path} redirected to {}", answer.url());
        }
        answer.bytes().await?;
        Ok(())
    }
}

/// A problem made by the benchmark: its number and a contact who hears its updates.
#[derive(Clone, Debug)]
pub struct Made {
    pub number: String,
    pub contact: i64,
}

/// An affected account and a contact of it, for problem `i` (the dataset's accounts
/// 1..=20 and their contacts 3a..3a+2).
fn customer(i: usize) -> (i64, i64) {
    let account = 1 + (i % 20) as i64;
    (account, account * 3 + (i % 3) as i64)
}

/// Creates problems (`POST /problems`, one account, one stakeholder); returns the figures and
/// what was made.
pub async fn create(api: &Api, load: Load) -> (Figures, Vec<Made>) {
    let made = Arc::new(Mutex::new(Vec::new()));
    let (api2, made2) = (api.clone(), made.clone());
    let figures = loadgen::run(load, move |i| {
        let (api, made) = (api2.clone(), made2.clone());
        async move {
            let (account, contact) = customer(i);
            let body = json!({
                "title": format!("Booking site down for customer {i}"),
                "description": "Checkout fails with a timeout since the 09:00 deploy.",
                "origin": "ours",
                "severity": "major",
                "category": "software",
                "accounts": [account],
                "stakeholders": [contact],
            });
            let answer = api.post("/problems", &body).await?;
            let number = answer["number"].as_str().context("a number")?.to_owned();
            made.lock()
                .map_err(|_| anyhow::anyhow!("poisoned"))?
                .push(Made { number, contact });
            Ok(())
        }
    })
    .await;
    let made = made.lock().map(|m| m.clone()).unwrap_or_default();
    (figures, made)
}

/// Posts customer updates, round robin over `on` (each emails the problem's stakeholder).
pub async fn updates(api: &Api, load: Load, on: &[Made]) -> Figures {
    let (api, on) = (api.clone(), Arc::new(on.to_vec()));
    loadgen::run(load, move |i| {
        let (api, on) = (api.clone(), on.clone());
        async move {
            let problem = &on[i % on.len()];
            api.post(
                &format!("/problems/{}/updates", problem.number),
                &json!({ "body": format!("Update {i}: the fix is rolling out, next word by noon.") }),
            )
            .await?;
            Ok(())
        }
    })
    .await
}

/// Makes a promise to a problem's contact (due in two days) and keeps it: two requests a job.
pub async fn promises(api: &Api, load: Load, on: &[Made]) -> Figures {
    let (api, on) = (api.clone(), Arc::new(on.to_vec()));
    let due = (wall_clock() + SignedDuration::from_hours(48)).to_string();
    loadgen::run(load, move |i| {
        let (api, on, due) = (api.clone(), on.clone(), due.clone());
        async move {
            let problem = &on[i % on.len()];
            let promise = api
                .post(
                    "/promises",
                    &json!({
                        "what": "A credit note for the failed orders",
                        "problem": problem.number,
                        "contacts": [problem.contact],
                        "due_at": due,
                    }),
                )
                .await?;
            let id = promise["id"].as_i64().context("a promise id")?;
            api.post(&format!("/promises/{id}/keep"), &json!({}))
                .await?;
            Ok(())
        }
    })
    .await
}

/// A problem with `events` events: created, then notes and updates through the API.
pub async fn problem_with_events(api: &Api, events: usize) -> Result<String> {
    let (_, made) = create(api, Load::new(1, 1, 60)).await;
    let number = made.first().context("the problem was made")?.number.clone();
    for i in 1..events {
        let (path, body) = if i % 3 == 0 {
            (
                "updates",
                "We are restoring the service; next word within the hour.",
            )
        } else {
            (
                "notes",
                "Checked the load balancer logs; the pool is healthy again.",
            )
        };
        api.post(
            &format!("/problems/{number}/{path}"),
            &json!({ "body": format!("{body} ({i})") }),
        )
        .await?;
    }
    Ok(number)
}

/// A read, sequentially: a few warm-up requests, then timed ones.
#[derive(Clone, Debug)]
pub enum Read {
    /// A JSON API path (after `/api/v1`).
    Api(String),
    /// A page, as the signed-in member.
    Page(String),
}

pub async fn read(api: &Api, what: &Read, load: Load) -> Result<Figures> {
    let go = |api: Api, what: Read| async move {
        match &what {
            Read::Api(path) => api.get(path).await,
            Read::Page(path) => api.page(path).await,
        }
    };
    for _ in 0..5 {
        go(api.clone(), what.clone()).await?;
    }
    let (api, what) = (api.clone(), what.clone());
    Ok(loadgen::run(load, move |_| go(api.clone(), what.clone())).await)
}
