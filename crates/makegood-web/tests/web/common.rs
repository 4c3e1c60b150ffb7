//! `TestApp`: the whole app in-process on a fresh database of either backend, with a clock the
//! test drives.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use http_body_util::BodyExt;
use jiff::{SignedDuration, Timestamp};
use makegood_domain::{Currency, Email, Member, Money, Role};
use makegood_store::testing::{Backend, TestDb};
use makegood_store::{NewMember, Store};
use makegood_web::{Config, Now};
use serde_json::Value;
use sha2::{Digest, Sha256};
use tower::ServiceExt;

/// The moment every test starts at.
pub const START: &str = "2026-03-02T09:00:00Z";

/// A member with an API token.
#[derive(Clone, Debug)]
pub struct User {
    pub member: Member,
    pub token: String,
}

/// A response, with its body read.
#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
    /// The body as JSON, `Null` if it is not JSON.
    pub json: Value,
}

impl Resp {
    /// Asserts an RFC 9457 body with `status` and returns it.
    #[track_caller]
    pub fn problem(&self, status: u16) -> &Value {
        assert_eq!(self.status.as_u16(), status, "{}", self.text);
        assert_eq!(
            self.header(header::CONTENT_TYPE.as_str()),
            Some("application/problem+json"),
            "{}",
            self.text
        );
        assert_eq!(self.json["status"], status);
        for key in ["type", "title", "detail"] {
            assert!(
                self.json[key].is_string(),
                "problem+json without {key}: {}",
                self.text
            );
        }
        &self.json
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The field names of a validation problem.
    pub fn fields(&self) -> Vec<String> {
        self.json["errors"]
            .as_array()
            .map_or_else(Vec::new, |errors| {
                errors
                    .iter()
                    .filter_map(|e| e["field"].as_str().map(str::to_owned))
                    .collect()
            })
    }
}

/// The app under test.
pub struct TestApp {
    pub router: Router,
    pub store: Store,
    clock: Arc<Mutex<Timestamp>>,
    _db: TestDb,
}

/// How to build a [`TestApp`].
pub struct Builder {
    backend: Backend,
    public_url: Option<String>,
}

impl Builder {
    pub fn public_url(mut self, url: &str) -> Self {
        self.public_url = Some(url.to_owned());
        self
    }

    /// An app on an empty database (nobody set up yet).
    pub async fn empty(self) -> TestApp {
        let db = TestDb::new(self.backend).await;
        let store = db.store.clone();
        let clock = Arc::new(Mutex::new(START.parse::<Timestamp>().unwrap()));
        let read = Arc::clone(&clock);
        let now: Now = Arc::new(move || *read.lock().unwrap());
        let public_url = self
            .public_url
            .unwrap_or_else(|| "https://desk.example".into());
        let router = makegood_web::app(store.clone(), Config { public_url, now });
        TestApp {
            router,
            store,
            clock,
            _db: db,
        }
    }

    /// An app with an organisation and its first admin.
    pub async fn build(self) -> (TestApp, User) {
        let app = self.empty().await;
        let admin = app
            .store
            .initialise(
                "Acme Recovery",
                new_member("Ada Admin", Role::Admin, None),
                app.now(),
            )
            .await
            .unwrap();
        let admin = app.token_for(admin).await;
        (app, admin)
    }
}

/// A new member of `role`, named `name`.
pub fn new_member(name: &str, role: Role, password_hash: Option<String>) -> NewMember {
    let email = format!(
        "{}@acme.example",
        name.split(' ').next().unwrap_or("x").to_lowercase()
    );
    NewMember {
        name: name.into(),
        email: Email::parse(&email).unwrap(),
        role,
        remedy_authority: Money::new(100_000, Currency::new("EUR").unwrap()),
        time_zone: "UTC".into(),
        password_hash,
    }
}

pub fn sha256_hex(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

impl TestApp {
    /// An app on a fresh database on `backend`.
    pub fn builder(backend: Backend) -> Builder {
        Builder {
            backend,
            public_url: None,
        }
    }

    /// The usual start: an organisation with an admin.
    pub async fn new(backend: Backend) -> (TestApp, User) {
        Self::builder(backend).build().await
    }

    pub fn now(&self) -> Timestamp {
        *self.clock.lock().unwrap()
    }

    /// Moves the clock on.
    pub fn advance(&self, by: SignedDuration) {
        let mut now = self.clock.lock().unwrap();
        *now = now.checked_add(by).unwrap();
    }

    /// `now` plus `hours`, as RFC 3339.
    pub fn in_hours(&self, hours: i64) -> String {
        self.now()
            .checked_add(SignedDuration::from_hours(hours))
            .unwrap()
            .to_string()
    }

    /// Gives `member` an API token.
    pub async fn token_for(&self, member: Member) -> User {
        let token = format!("mg_test_{}_{}", member.id, member.role.as_str());
        self.store
            .create_api_token(member.id, "tests", &sha256_hex(&token), self.now())
            .await
            .unwrap();
        User { member, token }
    }

    /// A new member of `role` with a token.
    pub async fn user(&self, role: Role) -> User {
        let name = format!("{} {}", role.as_str(), self.now().as_microsecond());
        let mut new = new_member(&name, role, None);
        new.email =
            Email::parse(&format!("{}.{}@acme.example", role.as_str(), rand_suffix())).unwrap();
        let member = self.store.create_member(new, self.now()).await.unwrap();
        self.token_for(member).await
    }

    /// A JSON request, with a bearer token if given.
    pub async fn request(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
        token: Option<&str>,
    ) -> Resp {
        let mut builder = Request::builder().method(method).uri(path);
        if let Some(token) = token {
            builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let body = match body {
            Some(v) => {
                builder = builder.header(header::CONTENT_TYPE, "application/json");
                Body::from(v.to_string())
            }
            None => Body::empty(),
        };
        self.send(builder.body(body).unwrap()).await
    }

    pub async fn get(&self, path: &str, user: &User) -> Resp {
        self.request("GET", path, None, Some(&user.token)).await
    }

    pub async fn post(&self, path: &str, body: Value, user: &User) -> Resp {
        self.request("POST", path, Some(body), Some(&user.token))
            .await
    }

    /// Sends any request through the app.
    pub async fn send(&self, request: Request<Body>) -> Resp {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let json = serde_json::from_str(&text).unwrap_or(Value::Null);
        Resp {
            status,
            headers,
            text,
            json,
        }
    }
}

fn rand_suffix() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed).to_string()
}
