//! Every query string and form the app reads, through its own extractors, validation and
//! handlers, and every page template rendered with what was sent (forms re-render with the
//! input kept) or stored (a field saved by one input shows on the pages of the next).
//!
//! Once per process the demo organisation is made (`makegood demo`, on a SQLite file in
//! /dev/shm) and an admin signed in. Each input then picks a route — a page (GET with a query
//! string, or POST with a form and the session's CSRF token), or a GET of the JSON API read
//! from its OpenAPI document — fills its path parameters from a small pool of ids and
//! numbers, and sends its bytes as the query string or the form body. Oracles:
//! - no panic, and no 5xx: anything a person or a script can send gets a 4xx at worst;
//! - escaping: no HTML page ever contains the marker `<fuzz` raw. The input's bytes may carry
//!   it, and with its flag bit set the harness appends it to every value it sends, so a field
//!   shown unescaped — now or, once stored, on any later page — is found.
//!
//! Left out: forms that sign out, change the admin's own membership, or hash a password on
//! every try (login, password change: Argon2 would make each try take a second); POST,
//! PATCH and DELETE bodies of the JSON API (schemathesis covers them).
#![no_main]

use std::sync::OnceLock;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, header};
use http_body_util::BodyExt;
use jiff::{SignedDuration, Timestamp};
use libfuzzer_sys::fuzz_target;
use makegood_domain::MemberId;
use makegood_store::{PageRequest, Store};
use sha2::{Digest, Sha256};
use tokio::runtime::Runtime;
use tower::ServiceExt;

const MARKER: &str = "<fuzz>";

/// The pages: (method, path). POST forms get the CSRF token added.
const PAGES: &[(&str, &str)] = &[
    ("GET", "/"),
    ("GET", "/accounts"),
    ("POST", "/accounts"),
    ("GET", "/accounts/{id}"),
    ("POST", "/accounts/{id}"),
    ("POST", "/accounts/{id}/contacts"),
    ("POST", "/accounts/{id}/contacts/{contact}/portal-link"),
    ("POST", "/accounts/{id}/contacts/{contact}/portal-revoke"),
    ("POST", "/accounts/{id}/contacts/{contact}/remove"),
    ("POST", "/accounts/{id}/review"),
    ("GET", "/calendar/{file}"),
    ("GET", "/failures"),
    ("POST", "/failures"),
    ("GET", "/failures/{id}/delete"),
    ("POST", "/failures/{id}/delete"),
    ("GET", "/failures/{id}/edit"),
    ("POST", "/failures/{id}/edit"),
    ("GET", "/invite/{token}"),
    ("POST", "/invite/{token}"),
    ("GET", "/login"),
    ("GET", "/me"),
    ("POST", "/me/calendar-feed"),
    ("POST", "/me/calendar-feed/revoke"),
    ("POST", "/me/preferences"),
    ("POST", "/me/time-zone"),
    ("POST", "/me/tokens"),
    ("POST", "/me/tokens/{id}/revoke"),
    ("GET", "/portal"),
    ("GET", "/portal/link/{secret}"),
    ("POST", "/portal/link/{secret}"),
    ("GET", "/portal/problems/{id}"),
    ("POST", "/portal/problems/{id}/confirm"),
    ("POST", "/portal/problems/{id}/reply"),
    ("POST", "/portal/problems/{id}/survey"),
    ("POST", "/portal/sign-in"),
    ("GET", "/problems"),
    ("GET", "/problems/new"),
    ("POST", "/problems/new"),
    ("GET", "/problems/{key}"),
    ("POST", "/problems/{key}/call"),
    ("POST", "/problems/{key}/checklist/{position}/done"),
    ("POST", "/problems/{key}/checklist/{position}/undone"),
    ("POST", "/problems/{key}/close"),
    ("POST", "/problems/{key}/confirm"),
    ("POST", "/problems/{key}/fix"),
    ("POST", "/problems/{key}/messages"),
    ("POST", "/problems/{key}/owner"),
    ("POST", "/problems/{key}/preventions"),
    ("POST", "/problems/{key}/preventions/{id}/check"),
    ("POST", "/problems/{key}/preventions/{id}/done"),
    ("POST", "/problems/{key}/preventions/{id}/revise"),
    ("POST", "/problems/{key}/promises"),
    ("POST", "/problems/{key}/promises/{id}/keep"),
    ("POST", "/problems/{key}/promises/{id}/release"),
    ("POST", "/problems/{key}/promises/{id}/renegotiate"),
    ("POST", "/problems/{key}/remedies"),
    ("POST", "/problems/{key}/remedies/{id}/approve"),
    ("POST", "/problems/{key}/remedies/{id}/deliver"),
    ("POST", "/problems/{key}/remedies/{id}/receive-vendor-share"),
    ("POST", "/problems/{key}/remedies/{id}/reject"),
    ("POST", "/problems/{key}/reopen"),
    ("POST", "/problems/{key}/resume"),
    ("POST", "/problems/{key}/vendor-promises"),
    ("POST", "/problems/{key}/vendor-promises/{id}/keep"),
    ("POST", "/problems/{key}/vendor-promises/{id}/renegotiate"),
    ("POST", "/problems/{key}/wait"),
    ("GET", "/promises"),
    ("GET", "/reports"),
    ("GET", "/reports/{file}"),
    ("GET", "/settings"),
    ("GET", "/settings/deliveries"),
    ("POST", "/settings/deliveries/{id}/retry"),
    ("GET", "/settings/inbox"),
    ("POST", "/settings/inbox/{id}/attach"),
    ("POST", "/settings/inbox/{id}/dismiss"),
    ("POST", "/settings/inbox/{id}/open"),
    ("GET", "/settings/members"),
    ("GET", "/settings/members/invite"),
    ("POST", "/settings/members/invite"),
    ("GET", "/settings/members/{id}"),
    ("POST", "/settings/members/{id}"),
    ("POST", "/settings/members/{id}/active"),
    ("POST", "/settings/members/{id}/invitation"),
    ("POST", "/settings/organisation"),
    ("GET", "/settings/playbooks"),
    ("POST", "/settings/playbooks"),
    ("GET", "/settings/playbooks/new"),
    ("GET", "/settings/playbooks/{id}"),
    ("POST", "/settings/playbooks/{id}"),
    ("POST", "/settings/playbooks/{id}/delete"),
    ("GET", "/settings/policies"),
    ("POST", "/settings/policies"),
    ("GET", "/settings/prevention"),
    ("POST", "/settings/prevention"),
    ("GET", "/settings/tokens"),
    ("POST", "/settings/tokens/{id}/revoke"),
    ("GET", "/setup"),
    ("POST", "/setup"),
    ("GET", "/vendors"),
    ("GET", "/vendors/{id}"),
];

/// What a path parameter is filled with.
const PARAMS: &[&str] = &[
    "1", "2", "3", "4", "5", "6", "7", "8", "MG-1", "MG-2", "MG-3", "MG-5", "0", "-1", "x",
    "9223372036854775807", "problems.csv", "promises.csv", "feed.ics",
];

struct World {
    runtime: Runtime,
    router: Router,
    store: Store,
    admin: MemberId,
    session: std::sync::Mutex<(String, String)>,
    now: Timestamp,
    /// GET routes of the JSON API, from its OpenAPI document.
    api: Vec<String>,
}

fn sha256_hex(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

impl World {
    fn new() -> World {
        // Nothing but errors from the app's logging; the demo's database in memory-backed files.
        // SAFETY: set once, before any thread of ours exists.
        unsafe {
            std::env::set_var("RUST_LOG", "error");
        }
        let dir = std::env::temp_dir().join(format!("makegood-fuzz-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a scratch directory");
        let shm = std::path::Path::new("/dev/shm");
        let dir = if shm.is_dir() {
            let d = shm.join(format!("makegood-fuzz-{}", std::process::id()));
            std::fs::create_dir_all(&d).expect("a scratch directory");
            d
        } else {
            dir
        };
        let url = format!("sqlite://{}", dir.join("makegood.db").display());
        use clap::Parser;
        let cli = makegood::cli::Cli::parse_from(["makegood", "--database-url", &url, "demo"]);
        assert_eq!(
            makegood::run(cli),
            std::process::ExitCode::SUCCESS,
            "the demo is made"
        );
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        let now = Timestamp::from_microsecond(Timestamp::now().as_microsecond())
            .expect("now in range");
        let (store, router, admin, api) = runtime.block_on(async {
            let store = Store::connect(&url).await.expect("the demo database opens");
            let members = store
                .list_members(&PageRequest {
                    cursor: None,
                    limit: Some(200),
                })
                .await
                .expect("members");
            let admin = members
                .items
                .iter()
                .find(|m| m.role == makegood_domain::Role::Admin)
                .expect("the demo has an admin")
                .id;
            let config = makegood_web::Config {
                public_url: "https://desk.example".into(),
                now: std::sync::Arc::new(move || now),
            };
            let router = makegood_web::app(store.clone(), config);
            let doc = router
                .clone()
                .oneshot(
                    Request::get("/api/openapi.json")
                        .body(Body::empty())
                        .expect("a request"),
                )
                .await
                .expect("the document");
            let bytes = doc.into_body().collect().await.expect("a body").to_bytes();
            let doc: serde_json::Value = serde_json::from_slice(&bytes).expect("JSON");
            let mut api: Vec<String> = doc["paths"]
                .as_object()
                .expect("paths")
                .iter()
                .filter(|(_, ops)| ops.get("get").is_some())
                .map(|(path, _)| path.clone())
                .collect();
            api.sort();
            (store, router, admin, api)
        });
        let world = World {
            runtime,
            router,
            store,
            admin,
            session: std::sync::Mutex::new((String::new(), String::new())),
            now,
            api,
        };
        world.sign_in();
        world
    }

    /// A fresh session for the admin (again, if an input signed it out).
    fn sign_in(&self) {
        static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let secret = format!("fuzz-session-{n}");
        let csrf = format!("fuzz-csrf-{n}");
        let expires = self.now + SignedDuration::from_hours(24);
        self.runtime
            .block_on(
                self.store
                    .create_session(self.admin, &sha256_hex(&secret), &csrf, expires),
            )
            .expect("a session");
        *self.session.lock().expect("the session") = (secret, csrf);
    }
}

fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(World::new)
}

/// `bytes` as a URI query: everything but unreserved characters and `=&+%` percent-encoded,
/// so the app's parser sees exactly these bytes once decoded.
fn as_query(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        if b.is_ascii_alphanumeric() || b"-._~=&+%".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The pairs of `bytes` with the marker after every value.
fn marked(bytes: &[u8]) -> Vec<u8> {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in form_urlencoded::parse(bytes) {
        s.append_pair(&k, &format!("{v}{MARKER}"));
    }
    s.finish().into_bytes()
}

fuzz_target!(|data: &[u8]| {
    let [route, p1, p2, flags, rest @ ..] = data else {
        return;
    };
    let w = world();
    let n_routes = PAGES.len() + w.api.len();
    let index = usize::from(*route) % n_routes;
    let (method, template) = match PAGES.get(index) {
        Some((m, p)) => (*m, (*p).to_owned()),
        None => ("GET", w.api[index - PAGES.len()].clone()),
    };
    // Fill `{…}` parameters in order from the pool (the admin's own membership is left alone).
    let picks = [*p1, *p2, p1.wrapping_add(*p2)];
    let mut path = String::new();
    let mut pick = 0;
    let mut t = template.as_str();
    while let Some(open) = t.find('{') {
        path.push_str(&t[..open]);
        let close = t[open..].find('}').map_or(t.len(), |c| open + c + 1);
        let mut value = PARAMS[usize::from(picks[pick % 3]) % PARAMS.len()].to_owned();
        if template.starts_with("/settings/members/{id}") && value == w.admin.0.to_string() {
            value = (w.admin.0 + 1).to_string();
        }
        path.push_str(&value);
        pick += 1;
        t = &t[close..];
    }
    path.push_str(t);

    let payload: Vec<u8> = if flags & 1 == 1 {
        marked(rest)
    } else {
        rest.to_vec()
    };
    let (secret, csrf) = w.session.lock().expect("the session").clone();
    let mut request = Request::builder()
        .method(method)
        .header(header::COOKIE, format!("makegood_session={secret}"))
        .header("x-csrf-token", &csrf);
    let body = if method == "GET" {
        request = request.uri(format!("{path}?{}", as_query(&payload)));
        Body::empty()
    } else {
        request = request
            .uri(&path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        let mut body = if flags & 2 == 0 {
            format!("csrf_token={csrf}&").into_bytes()
        } else {
            Vec::new()
        };
        body.extend_from_slice(&payload);
        Body::from(body)
    };
    let Ok(request) = request.body(body) else {
        return;
    };
    let (status, location, html, text) = w.runtime.block_on(async {
        let response = w
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("the router answers");
        let status = response.status();
        let location = response
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let html = response
            .headers()
            .get(header::CONTENT_TYPE)
            .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("a body")
            .to_bytes();
        (status, location, html, String::from_utf8_lossy(&bytes).into_owned())
    });
    assert!(
        !status.is_server_error(),
        "{method} {path} answered {status}:\n{text}"
    );
    if html {
        assert!(
            !text.to_ascii_lowercase().contains("<fuzz"),
            "{method} {path} shows input unescaped:\n{text}"
        );
    }
    // Signed out (or the session rotated) by what was sent: sign in again for the next input.
    if location.is_some_and(|l| l.starts_with("/login")) {
        w.sign_in();
    }
});
