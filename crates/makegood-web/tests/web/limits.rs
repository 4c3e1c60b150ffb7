//! Request limits: bodies over the cap are a 413 that says the cap, a request out of time is
//! a 503, a list's `limit` past its maximum is a 422 naming it, an overlong field is a 422
//! naming the field — as problem+json under `/api` and as a readable page elsewhere.

use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{Request, header};
use makegood_store::backend_tests;
use makegood_store::testing::Backend;
use makegood_web::{Config, Limits, Metrics, MetricsAccess};
use serde_json::{Value, json};

use crate::common::{TestApp, User};
use crate::fixture::{Team, World};

backend_tests!(
    a_body_over_the_cap_is_413_and_says_the_cap,
    a_request_out_of_time_is_503_and_keeps_nothing,
    every_list_caps_its_limit_the_same_way,
    an_overlong_field_is_named,
);

/// The app of `app`'s store with other limits.
fn with_limits(app: &mut TestApp, limits: Limits) {
    let now = app.now();
    let config = Config {
        public_url: "https://desk.example".into(),
        now: std::sync::Arc::new(move || now),
    };
    app.router = makegood_web::app_with_limits(
        app.store.clone(),
        config,
        Metrics::new(),
        MetricsAccess::Hidden,
        limits,
    );
}

fn problem_body(world: &World, title: &str) -> Value {
    json!({
        "title": title,
        "origin": "ours",
        "severity": "minor",
        "accounts": [world.account.id],
    })
}

async fn problem_count(app: &TestApp, user: &User) -> usize {
    let list = app.get("/api/v1/problems?limit=200", user).await;
    assert_eq!(list.status, 200, "{}", list.text);
    list.json["items"].as_array().unwrap().len()
}

async fn a_body_over_the_cap_is_413_and_says_the_cap(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    let world = World::new(&app, &team).await;
    let agent = &team.agent;
    let before = problem_count(&app, agent).await;

    // Just over 1 MiB of JSON: refused before it is parsed, saying the cap.
    let mut body = problem_body(&world, "Padded");
    body["description"] = json!("x".repeat(makegood_web::limits::BODY_BYTES));
    let refused = app.post("/api/v1/problems", body, agent).await;
    let problem = refused.problem(413);
    assert_eq!(problem["type"], "urn:makegood:problem:payload-too-large");
    let detail = problem["detail"].as_str().unwrap();
    assert!(detail.contains("1 MiB"), "{detail}");
    assert!(detail.contains("1048576 bytes"), "{detail}");
    assert_eq!(
        problem_count(&app, agent).await,
        before,
        "nothing was recorded"
    );

    // The same through Idempotency-Key, which reads the body first: still the 413.
    let mut big = problem_body(&world, "Padded");
    big["description"] = json!("x".repeat(makegood_web::limits::BODY_BYTES));
    let keyed = app
        .send(
            Request::post("/api/v1/problems")
                .header(header::AUTHORIZATION, format!("Bearer {}", agent.token))
                .header(header::CONTENT_TYPE, "application/json")
                .header("idempotency-key", "big-1")
                .body(Body::from(big.to_string()))
                .unwrap(),
        )
        .await;
    keyed.problem(413);

    // A form over the cap: a readable page, not a bare line of text.
    let mut browser = app.browser(agent.member.clone()).await;
    let padding = "y".repeat(makegood_web::limits::BODY_BYTES);
    let page = browser
        .post(
            &format!("/problems/{}/messages", world.problem.problem.number),
            &[("kind", "note"), ("body", &padding)],
        )
        .await;
    assert_eq!(
        page.status,
        413,
        "{}",
        &page.text[..page.text.len().min(500)]
    );
    assert!(
        page.header("content-type")
            .is_some_and(|c| c.starts_with("text/html")),
        "{:?}",
        page.headers
    );
    assert!(page.text.contains("Too much at once"), "{}", page.text);
    assert!(page.text.contains("1 MiB"), "{}", page.text);

    // The cap is the configured one, and the message follows it.
    let mut small = app;
    with_limits(
        &mut small,
        Limits {
            body_bytes: 2048,
            ..Limits::default()
        },
    );
    let mut body = problem_body(&world, "Padded");
    body["description"] = json!("z".repeat(3000));
    let refused = small.post("/api/v1/problems", body, agent).await;
    assert!(
        refused.problem(413)["detail"]
            .as_str()
            .unwrap()
            .contains("2 KiB")
    );
    // The control: under the cap the same request goes through.
    let mut body = problem_body(&world, "Small enough");
    body["description"] = json!("z".repeat(1000));
    let created = small.post("/api/v1/problems", body, agent).await;
    assert_eq!(created.status, 201, "{}", created.text);
}

/// A body that never finishes arriving, as a slow client sends it.
fn endless_body() -> Body {
    Body::from_stream(futures_util::stream::pending::<Result<Bytes, std::io::Error>>())
}

async fn a_request_out_of_time_is_503_and_keeps_nothing(backend: Backend) {
    let (mut app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    let world = World::new(&app, &team).await;
    let agent = team.agent.clone();
    let before = problem_count(&app, &agent).await;
    with_limits(
        &mut app,
        Limits {
            request_timeout: Duration::from_millis(200),
            ..Limits::default()
        },
    );

    // Without the limit this would wait for ever: the outer bound only fails the test.
    let request = Request::post("/api/v1/problems")
        .header(header::AUTHORIZATION, format!("Bearer {}", agent.token))
        .header(header::CONTENT_TYPE, "application/json")
        .body(endless_body())
        .unwrap();
    let api = tokio::time::timeout(Duration::from_secs(20), app.send(request))
        .await
        .expect("the request was not cut off");
    let problem = api.problem(503);
    assert_eq!(problem["type"], "urn:makegood:problem:unavailable");
    assert!(
        problem["detail"].as_str().unwrap().contains("0.2 s"),
        "{}",
        api.text
    );
    // The headers every answer carries are on this one too.
    assert!(api.header("content-security-policy").is_some());

    // A form: the same, as a page. (The session is the one `browser` makes, named as it names it.)
    app.browser(agent.member.clone()).await;
    let session = format!("session-{}-{}", agent.member.id, app.now().as_microsecond());
    let request = Request::post(format!(
        "/problems/{}/messages",
        world.problem.problem.number
    ))
    .header(header::COOKIE, format!("makegood_session={session}"))
    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
    .body(endless_body())
    .unwrap();
    let page = tokio::time::timeout(Duration::from_secs(20), app.send(request))
        .await
        .expect("the form was not cut off");
    assert_eq!(page.status, 503, "{}", page.text);
    assert!(page.text.contains("That took too long"), "{}", page.text);

    assert_eq!(
        problem_count(&app, &agent).await,
        before,
        "nothing was kept"
    );
    // The control: a request that arrives whole is answered within the same limit.
    let created = app
        .post("/api/v1/problems", problem_body(&world, "In time"), &agent)
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
}

/// Every list with a `limit`, as a path taking it.
fn lists(world: &World) -> Vec<String> {
    let account = world.account.id;
    let problem = &world.problem.problem.number;
    vec![
        "/api/v1/problems".into(),
        format!("/api/v1/problems/{problem}/timeline"),
        format!("/api/v1/problems/{problem}/remedies"),
        "/api/v1/promises".into(),
        "/api/v1/duties".into(),
        "/api/v1/members".into(),
        "/api/v1/accounts".into(),
        "/api/v1/contacts".into(),
        "/api/v1/vendors".into(),
        "/api/v1/calendars".into(),
        "/api/v1/deliveries".into(),
        "/api/v1/remedies".into(),
        "/api/v1/preventions".into(),
        "/api/v1/failures".into(),
        "/api/v1/inbound/held".into(),
        format!("/api/v1/accounts/{account}/outcomes"),
        format!("/api/v1/accounts/{account}/surveys"),
        "/api/v1/audit".into(),
    ]
}

async fn every_list_caps_its_limit_the_same_way(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    let world = World::new(&app, &team).await;
    let doc = makegood_web::openapi();
    let doc = serde_json::to_value(&doc).unwrap();

    // Every `limit` in the document says its range, and the table below misses none.
    let mut documented = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (_, op) in item.as_object().unwrap() {
            for param in op["parameters"].as_array().into_iter().flatten() {
                if param["name"] == "limit" {
                    assert_eq!(param["schema"]["minimum"], 1, "{path}");
                    assert_eq!(param["schema"]["maximum"], 200, "{path}");
                    documented.push(path.clone());
                }
            }
        }
    }
    let tested: Vec<String> = lists(&world)
        .iter()
        .map(|p| {
            p.replace(&world.problem.problem.number.to_string(), "{problem}")
                .replace(&format!("/{}/", world.account.id), "/{id}/")
        })
        .collect();
    for path in &documented {
        assert!(
            tested.contains(path),
            "{path} takes a limit but is not tested here"
        );
    }

    for path in lists(&world) {
        let at_cap = app.get(&format!("{path}?limit=200"), &team.admin).await;
        assert_eq!(at_cap.status, 200, "{path}: {}", at_cap.text);
        for bad in ["201", "0", "100000"] {
            let over = app.get(&format!("{path}?limit={bad}"), &team.admin).await;
            let problem = over.problem(422);
            assert_eq!(problem["errors"][0]["field"], "limit", "{path}");
            let message = problem["errors"][0]["message"].as_str().unwrap();
            assert!(message.contains("1 to 200"), "{path}: {message}");
        }
    }
}

async fn an_overlong_field_is_named(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    let world = World::new(&app, &team).await;
    let agent = &team.agent;
    // A megabyte title fits in the body, not in the field.
    let long = "T".repeat(1_000_000);
    let refused = app
        .post("/api/v1/problems", problem_body(&world, &long), agent)
        .await;
    refused.problem(422);
    assert_eq!(refused.fields(), ["title"]);
    let problem = world.problem.problem.number.to_string();
    for (path, field) in [
        (format!("/api/v1/problems/{problem}/updates"), "body"),
        (format!("/api/v1/problems/{problem}/notes"), "body"),
    ] {
        let refused = app.post(&path, json!({ field: long }), agent).await;
        refused.problem(422);
        assert_eq!(refused.fields(), [field], "{path}");
    }
    let member = app
        .post(
            "/api/v1/members",
            json!({"name": long, "email": "long@acme.example", "role": "agent"}),
            &team.admin,
        )
        .await;
    member.problem(422);
    assert_eq!(member.fields(), ["name"], "{}", member.text);
}
