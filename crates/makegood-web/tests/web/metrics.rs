//! `/metrics`: hidden without its token, and every value read back from the exposition text
//! against a fixture worked out by hand.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, header};
use jiff::{SignedDuration, Timestamp};
use makegood_domain::{EventKind, Origin, Role, Severity, WaitingOn};
use makegood_store::backend_tests;
use makegood_store::testing::{Backend, enqueue_for_test};
use makegood_store::{Actor, NewAccount, NewContact, NewProblem, NewPromise};
use makegood_web::{Config, Metrics, MetricsAccess};

use crate::common::{Resp, TestApp};
use crate::fixture::alert_to;

const TOKEN: &str = "scrape-me-7f3a";

/// One sample line: name, labels and value.
#[derive(Debug)]
struct Sample {
    name: String,
    labels: BTreeMap<String, String>,
    value: f64,
}

/// Parses the Prometheus text format (0.0.4) strictly: every sample belongs to a family
/// declared by `# HELP` and `# TYPE`, label values are unescaped, values are numbers.
fn parse(text: &str) -> Vec<Sample> {
    let mut types: BTreeMap<String, String> = BTreeMap::new();
    let mut helped = Vec::new();
    let mut samples = Vec::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("# HELP ") {
            helped.push(rest.split(' ').next().unwrap().to_owned());
            continue;
        }
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let (name, kind) = rest.split_once(' ').unwrap();
            types.insert(name.to_owned(), kind.to_owned());
            continue;
        }
        assert!(
            !line.starts_with('#') && !line.is_empty(),
            "stray line {line:?}"
        );
        let name_end = line.find(['{', ' ']).unwrap();
        let name = &line[..name_end];
        let mut labels = BTreeMap::new();
        let mut rest = &line[name_end..];
        if let Some(inner) = rest.strip_prefix('{') {
            let mut chars = inner.char_indices();
            let mut key = String::new();
            loop {
                let (_, c) = chars.next().unwrap();
                match c {
                    '}' => break,
                    ',' => continue,
                    '=' => {
                        assert_eq!(chars.next().unwrap().1, '"');
                        let mut value = String::new();
                        loop {
                            match chars.next().unwrap().1 {
                                '\\' => match chars.next().unwrap().1 {
                                    'n' => value.push('\n'),
                                    other => value.push(other),
                                },
                                '"' => break,
                                other => value.push(other),
                            }
                        }
                        labels.insert(std::mem::take(&mut key), value);
                    }
                    other => key.push(other),
                }
            }
            let consumed = chars.next().map_or(inner.len(), |(i, _)| i);
            rest = &inner[consumed..];
        }
        let value: f64 = rest.trim().parse().unwrap_or_else(|_| panic!("{line:?}"));
        let family = ["_bucket", "_sum", "_count"]
            .iter()
            .find_map(|s| {
                name.strip_suffix(s)
                    .filter(|f| types.get(*f).is_some_and(|t| t == "histogram"))
            })
            .unwrap_or(name);
        assert!(types.contains_key(family), "{name} has no # TYPE");
        assert!(helped.iter().any(|h| h == family), "{name} has no # HELP");
        samples.push(Sample {
            name: name.to_owned(),
            labels,
            value,
        });
    }
    samples
}

/// The value of the one sample `name` with exactly these `labels`.
#[track_caller]
fn value(samples: &[Sample], name: &str, labels: &[(&str, &str)]) -> f64 {
    let want: BTreeMap<String, String> = labels
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    let found: Vec<&Sample> = samples
        .iter()
        .filter(|s| s.name == name && s.labels == want)
        .collect();
    assert_eq!(found.len(), 1, "{name} {labels:?} in {samples:#?}");
    found[0].value
}

/// The app with metrics served to `access`, on the test app's database, at its start time.
fn with_metrics(app: &mut TestApp, access: MetricsAccess) {
    let now = app.now();
    let config = Config {
        public_url: "https://desk.example".into(),
        now: Arc::new(move || now),
    };
    app.router = makegood_web::app_with_metrics(app.store.clone(), config, Metrics::new(), access);
}

async fn scrape(app: &TestApp, token: Option<&str>) -> Resp {
    let mut request = Request::get("/metrics");
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    app.send(request.body(Body::empty()).unwrap()).await
}

backend_tests!(metrics_need_their_token_or_their_own_address);

async fn metrics_need_their_token_or_their_own_address(backend: Backend) {
    let (mut app, admin) = TestApp::new(backend).await;
    // The default app: no /metrics at all, the same 404 as any unknown page.
    let hidden = scrape(&app, Some(TOKEN)).await;
    let unknown = app.get("/no-such-page", &admin).await;
    assert_eq!(
        (hidden.status.as_u16(), unknown.status.as_u16()),
        (404, 404)
    );
    assert_eq!(
        hidden.header("content-type"),
        unknown.header("content-type")
    );

    with_metrics(&mut app, MetricsAccess::Token(TOKEN.into()));
    assert_eq!(scrape(&app, None).await.status, 404);
    assert_eq!(scrape(&app, Some("scrape-me")).await.status, 404);
    assert_eq!(
        scrape(&app, Some(&admin.token)).await.status,
        404,
        "an API token is not the metrics token"
    );
    let open = scrape(&app, Some(TOKEN)).await;
    assert_eq!(open.status, 200, "{}", open.text);
    assert_eq!(
        open.header("content-type"),
        Some("text/plain; version=0.0.4; charset=utf-8")
    );
    assert!(!open.text.contains(TOKEN));

    // A separate address: /metrics without a token, and nothing else.
    let now = app.now();
    let config = Config {
        public_url: "https://desk.example".into(),
        now: Arc::new(move || now),
    };
    app.router = makegood_web::metrics_app(app.store.clone(), config, Metrics::new());
    let separate = scrape(&app, None).await;
    assert_eq!(separate.status, 200, "{}", separate.text);
    assert_eq!(
        value(&parse(&separate.text), "makegood_database_up", &[]),
        1.0
    );
    assert_eq!(app.get("/api/v1/problems", &admin).await.status, 404);
}

backend_tests!(metrics_report_the_fixture);

/// At N = 09:00 (every major policy: tell within 4 h, warned at 80 % of it, 3 h 12 min):
/// - MG-1 detected 5 h ago: told never, due 08:00 → breached;
/// - MG-2 detected 3 h 30 min ago: due 09:30, warned since 08:42 → warning;
/// - MG-3 detected now, then waiting on the customer → neither;
/// - a promise made now, due 09:30 (lead 1 h) → warning; one made at 06:00, due 08:00 →
///   breached (the scheduler has not run); one due tomorrow → neither;
/// - the oldest unfired timer is that breached promise's warning at 07:00 → lag 2 h;
/// - three messages put in the outbox and claimed: one refused for good (failed), one
///   refused for now (pending, retrying), one still out (pending).
async fn metrics_report_the_fixture(backend: Backend) {
    let (mut app, admin) = TestApp::new(backend).await;
    let agent = app.user(Role::Agent).await;
    let n: Timestamp = app.now();
    let ago = |minutes: i64| n - SignedDuration::from_mins(minutes);
    let store = app.store.clone();
    let acme = store
        .create_account(NewAccount {
            name: "Acme".into(),
            parent: None,
            tier: None,
        })
        .await
        .unwrap();
    // Without an email address, so no write of the fixture queues a message to her.
    let ann = store
        .create_contact(NewContact {
            account: acme.id,
            name: "Ann".into(),
            role_title: "Controller".into(),
            email: None,
            phone: None,
        })
        .await
        .unwrap();
    let mut problems = Vec::new();
    for (title, detected) in [
        ("Export stopped", 300),
        ("Invoices wrong", 210),
        ("Slow portal", 0),
    ] {
        let p = store
            .create_problem(
                Actor {
                    member: agent.member.id,
                    now: ago(detected),
                },
                NewProblem {
                    title: title.into(),
                    description: String::new(),
                    origin: Origin::Ours,
                    vendor: None,
                    severity: Severity::Major,
                    category: "software".into(),
                    owner: agent.member.id,
                    accounts: vec![acme.id],
                    stakeholders: vec![],
                    detected_at: Some(ago(detected)),
                    include_locations: false,
                    all_stakeholders: false,
                },
            )
            .await
            .unwrap();
        problems.push(p.problem.id);
    }
    store
        .record(
            Actor {
                member: agent.member.id,
                now: n,
            },
            problems[2],
            None,
            EventKind::Waiting {
                on: WaitingOn::Customer,
                reason: "Ann checks the logs".into(),
            },
        )
        .await
        .unwrap();
    for (made, due) in [(0, -30), (180, 60), (0, -24 * 60)] {
        store
            .create_promise(
                Actor {
                    member: agent.member.id,
                    now: ago(made),
                },
                NewPromise {
                    what: "Call back".into(),
                    contacts: vec![ann.id],
                    made_by: agent.member.id,
                    problem: Some(problems[0]),
                    due_at: ago(due),
                },
            )
            .await
            .unwrap();
    }
    let baseline = store.gauges(n).await.unwrap();
    let mut ids = Vec::new();
    for summary in ["one", "two", "three"] {
        ids.push(
            enqueue_for_test(&store, &alert_to(&admin, summary, n), None, n)
                .await
                .unwrap(),
        );
    }
    store.claim_deliveries(n, 100).await.unwrap();
    store
        .mark_failed(ids[0], "550 no such mailbox", true, n)
        .await
        .unwrap();
    store
        .mark_failed(ids[1], "421 try later", false, n)
        .await
        .unwrap();

    with_metrics(&mut app, MetricsAccess::Token(TOKEN.into()));
    // Traffic: two reads of one problem, one of a problem that does not exist, one unknown page.
    for path in [
        format!("/api/v1/problems/{}", problems[0].0),
        format!("/api/v1/problems/{}", problems[1].0),
        "/api/v1/problems/999999".to_owned(),
        "/no/such/page/42".to_owned(),
    ] {
        app.get(&path, &admin).await;
    }
    let text = scrape(&app, Some(TOKEN)).await.text;
    let samples = parse(&text);

    for (status, expected) in [
        ("open", 2.0),
        ("waiting_on_customer", 1.0),
        ("waiting_on_vendor", 0.0),
        ("fixed", 0.0),
        ("confirmed", 0.0),
    ] {
        assert_eq!(
            value(&samples, "makegood_problems", &[("status", status)]),
            expected,
            "{status}"
        );
    }
    assert!(
        !samples
            .iter()
            .any(|s| s.labels.get("status").is_some_and(|s| s == "closed"))
    );
    for (subject, state, expected) in [
        ("problem", "warning", 1.0),
        ("problem", "breached", 1.0),
        ("promise", "warning", 1.0),
        ("promise", "breached", 1.0),
    ] {
        assert_eq!(
            value(
                &samples,
                "makegood_clocks",
                &[("subject", subject), ("state", state)]
            ),
            expected,
            "{subject} {state}"
        );
    }
    // The fixture's own writes queue no messages, so the outbox holds only the three.
    assert_eq!(
        baseline.outbox.iter().map(|(_, n)| n).sum::<u64>(),
        0,
        "{baseline:?}"
    );
    assert_eq!(
        value(
            &samples,
            "makegood_outbox_messages",
            &[("status", "pending")]
        ),
        2.0
    );
    assert_eq!(
        value(
            &samples,
            "makegood_outbox_messages",
            &[("status", "failed")]
        ),
        1.0
    );
    assert_eq!(
        value(
            &samples,
            "makegood_delivery_failures",
            &[("state", "retrying")]
        ),
        1.0
    );
    assert_eq!(
        value(
            &samples,
            "makegood_delivery_failures",
            &[("state", "failed")]
        ),
        1.0
    );
    assert_eq!(
        value(&samples, "makegood_scheduler_lag_seconds", &[]),
        7200.0
    );
    assert_eq!(value(&samples, "makegood_database_up", &[]), 1.0);

    // Latencies under the route template, never a path with an id in it.
    let count = |route: &str, status: &str| {
        value(
            &samples,
            "makegood_http_request_duration_seconds_count",
            &[("method", "GET"), ("route", route), ("status", status)],
        )
    };
    assert_eq!(count("/api/v1/problems/{problem}", "2xx"), 2.0);
    assert_eq!(count("/api/v1/problems/{problem}", "4xx"), 1.0);
    assert_eq!(count("unmatched", "4xx"), 1.0);
    let inf = value(
        &samples,
        "makegood_http_request_duration_seconds_bucket",
        &[
            ("method", "GET"),
            ("route", "/api/v1/problems/{problem}"),
            ("status", "2xx"),
            ("le", "+Inf"),
        ],
    );
    assert_eq!(inf, 2.0);
    assert!(
        !samples.iter().any(|s| s
            .labels
            .get("route")
            .is_some_and(|r| r.contains("999999") || r.contains("42"))),
        "a raw path became a label:\n{text}"
    );
}
