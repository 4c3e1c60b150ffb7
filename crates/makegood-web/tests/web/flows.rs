//! Versions, idempotency, pagination, clock filters, duties, promises and tokens through the API.

use axum::body::Body;
use axum::http::{Request, header};
use jiff::SignedDuration;
use makegood_store::Reservation;
use makegood_store::backend_tests;
use makegood_store::testing::Backend;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::common::{Resp, TestApp, User};
use crate::fixture::{Team, World};

backend_tests!(
    etags_and_if_match,
    idempotency_keys_replay_and_refuse_other_bodies,
    a_failed_request_releases_its_idempotency_key,
    a_request_still_running_holds_its_idempotency_key,
    duties_for_me_and_everyone,
    renegotiating_is_refused_once_due_has_passed,
    tokens_are_shown_once_and_revocable,
    healthz_checks_the_database,
);

pub(crate) async fn with_headers(
    app: &TestApp,
    method: &str,
    path: &str,
    body: Option<Value>,
    user: &User,
    headers: &[(&str, &str)],
) -> Resp {
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {}", user.token))
        .header(header::CONTENT_TYPE, "application/json");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let body = body.map_or_else(Body::empty, |b| Body::from(b.to_string()));
    app.send(request.body(body).unwrap()).await
}

async fn etags_and_if_match(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    let world = World::new(&app, &team).await;
    let path = format!("/api/v1/problems/{}", world.problem.problem.number);

    let got = app.get(&path, &team.agent).await;
    let etag = got.header("etag").unwrap().to_owned();
    assert_eq!(etag, format!("\"{}\"", got.json["version"]));

    let patched = with_headers(
        &app,
        "PATCH",
        &path,
        Some(json!({"title": "Invoices fail for all"})),
        &team.agent,
        &[("if-match", &etag)],
    )
    .await;
    assert_eq!(patched.status, 200, "{}", patched.text);
    let new_etag = patched.header("etag").unwrap().to_owned();
    assert_ne!(new_etag, etag);

    let stale = with_headers(
        &app,
        "PATCH",
        &path,
        Some(json!({"title": "Again"})),
        &team.agent,
        &[("if-match", &etag)],
    )
    .await;
    assert!(
        stale.problem(412)["detail"]
            .as_str()
            .unwrap()
            .contains("changed")
    );
    let stale_update = with_headers(
        &app,
        "POST",
        &format!("{path}/updates"),
        Some(json!({"body": "hi"})),
        &team.agent,
        &[("if-match", &etag)],
    )
    .await;
    stale_update.problem(412);
    with_headers(
        &app,
        "PATCH",
        &path,
        Some(json!({"title": "x"})),
        &team.agent,
        &[("if-match", "yesterday")],
    )
    .await
    .problem(400);

    let promise = format!("/api/v1/promises/{}", world.agents_promise.promise.id);
    let promise_etag = app
        .get(&promise, &team.agent)
        .await
        .header("etag")
        .unwrap()
        .to_owned();
    with_headers(
        &app,
        "POST",
        &format!("{promise}/keep"),
        None,
        &team.agent,
        &[("if-match", "\"99\"")],
    )
    .await
    .problem(412);
    let kept = with_headers(
        &app,
        "POST",
        &format!("{promise}/keep"),
        None,
        &team.agent,
        &[("if-match", &promise_etag)],
    )
    .await;
    assert_eq!(kept.status, 200, "{}", kept.text);
    assert_eq!(kept.json["state"], "kept");
    assert!(kept.header("etag").is_some());
}

async fn idempotency_keys_replay_and_refuse_other_bodies(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let key = [("idempotency-key", "create-contoso-1")];
    let body = json!({"name": "Contoso"});

    let first = with_headers(
        &app,
        "POST",
        "/api/v1/accounts",
        Some(body.clone()),
        &admin,
        &key,
    )
    .await;
    assert_eq!(first.status, 201, "{}", first.text);
    let again = with_headers(&app, "POST", "/api/v1/accounts", Some(body), &admin, &key).await;
    assert_eq!(again.status, 201);
    assert_eq!(again.json, first.json);
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    let accounts = app.get("/api/v1/accounts", &admin).await;
    assert_eq!(
        accounts.json["items"].as_array().unwrap().len(),
        1,
        "the retry created nothing"
    );

    let other = with_headers(
        &app,
        "POST",
        "/api/v1/accounts",
        Some(json!({"name": "Fabrikam"})),
        &admin,
        &key,
    )
    .await;
    assert!(
        other.problem(422)["detail"]
            .as_str()
            .unwrap()
            .contains("different request")
    );
}

async fn a_failed_request_releases_its_idempotency_key(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let key = [("idempotency-key", "create-nameless")];
    let body = json!({"name": ""});

    for attempt in ["first", "retry"] {
        let failed = with_headers(
            &app,
            "POST",
            "/api/v1/accounts",
            Some(body.clone()),
            &admin,
            &key,
        )
        .await;
        assert_eq!(failed.status, 422, "{attempt}: {}", failed.text);
        assert_eq!(
            failed.header("idempotent-replayed"),
            None,
            "{attempt}: the handler ran again rather than replaying"
        );
    }
    assert_eq!(
        app.store
            .reserve_idempotency_key(admin.member.id, "create-nameless", "any", app.now())
            .await
            .unwrap(),
        Reservation::Reserved,
        "the key is free"
    );
}

async fn a_request_still_running_holds_its_idempotency_key(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let key = [("idempotency-key", "create-contoso-2")];
    let body = json!({"name": "Contoso"});
    // What the middleware hashes: method, target, body.
    let hash = hex::encode(Sha256::digest(format!("POST\n/api/v1/accounts\n{body}")));
    let reserved = app
        .store
        .reserve_idempotency_key(admin.member.id, "create-contoso-2", &hash, app.now())
        .await
        .unwrap();
    assert_eq!(reserved, Reservation::Reserved);

    let busy = with_headers(
        &app,
        "POST",
        "/api/v1/accounts",
        Some(body.clone()),
        &admin,
        &key,
    )
    .await;
    assert!(
        busy.problem(409)["detail"]
            .as_str()
            .unwrap()
            .contains("still being processed"),
        "{}",
        busy.text
    );
    let accounts = app.get("/api/v1/accounts", &admin).await;
    assert_eq!(accounts.json["items"].as_array().unwrap().len(), 0);

    // A minute on, the first request's process is taken to have died: the retry runs.
    app.advance(SignedDuration::from_secs(61));
    let retried = with_headers(&app, "POST", "/api/v1/accounts", Some(body), &admin, &key).await;
    assert_eq!(retried.status, 201, "{}", retried.text);
    assert_eq!(retried.header("idempotent-replayed"), None);
}

async fn duties_for_me_and_everyone(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    let world = World::new(&app, &team).await;
    app.advance(SignedDuration::from_hours(5)); // the agent's major problems: tell within 4 h, breached

    let mine = app.get("/api/v1/duties", &team.agent).await;
    assert_eq!(mine.status, 200, "{}", mine.text);
    let items = mine.json["items"].as_array().unwrap();
    assert!(!items.is_empty());
    assert!(items.iter().all(|d| d["member"] == team.agent.member.id.0));
    assert_eq!(items[0]["clock"]["state"], "breached", "most urgent first");
    assert!(
        items
            .iter()
            .any(|d| d["problem"]["number"] == world.problem.problem.number.to_string())
    );

    // The admin owns nothing; they are only asked to decide the remedy awaiting approval.
    let admins = app.get("/api/v1/duties?for=me", &team.admin).await;
    let kinds: Vec<&str> = admins.json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["approval"]);
    let everyone = app.get("/api/v1/duties?for=everyone", &team.admin).await;
    let all = everyone.json["items"].as_array().unwrap();
    assert!(all.len() > items.len(), "the supervisor's duties too");
    app.get("/api/v1/duties?for=nobody", &team.admin)
        .await
        .problem(400);
}

async fn renegotiating_is_refused_once_due_has_passed(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    let world = World::new(&app, &team).await;
    let path = |id: i64| format!("/api/v1/promises/{id}/renegotiate");

    let early = app
        .post(
            &path(world.agents_promise.promise.id.0),
            json!({"due_at": app.in_hours(72), "reason": "vendor delay"}),
            &team.agent,
        )
        .await;
    assert_eq!(early.status, 201, "{}", early.text);
    assert_eq!(
        early.json["renegotiated_from"],
        world.agents_promise.promise.id.0
    );

    app.advance(SignedDuration::from_hours(49));
    let late = app
        .post(
            &path(world.supervisors_promise.promise.id.0),
            json!({"due_at": app.in_hours(24), "reason": "sorry"}),
            &team.supervisor,
        )
        .await;
    assert!(
        late.problem(409)["detail"]
            .as_str()
            .unwrap()
            .contains("broken")
    );
    let broken = app
        .get("/api/v1/promises?state=broken", &team.supervisor)
        .await;
    assert_eq!(
        broken.json["items"].as_array().unwrap().len(),
        1,
        "{}",
        broken.text
    );
}

async fn tokens_are_shown_once_and_revocable(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    let created = app
        .post("/api/v1/tokens", json!({"name": "cli"}), &team.viewer)
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let secret = created.json["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("mg_"));
    let id = created.json["token"]["id"].as_i64().unwrap();

    let me = app.request("GET", "/api/v1/me", None, Some(&secret)).await;
    assert_eq!(me.json["member"]["id"], team.viewer.member.id.0);
    let listed = app.get("/api/v1/tokens", &team.viewer).await;
    assert!(!listed.text.contains(&secret), "the secret is never listed");
    assert!(
        listed.json["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["member"] == team.viewer.member.id.0)
    );
    let everyones = app.get("/api/v1/tokens", &team.admin).await;
    assert!(
        everyones.json["items"].as_array().unwrap().len()
            > listed.json["items"].as_array().unwrap().len()
    );

    app.request(
        "DELETE",
        &format!("/api/v1/tokens/{id}"),
        None,
        Some(&team.agent.token),
    )
    .await
    .problem(404);
    let revoked = app
        .request(
            "DELETE",
            &format!("/api/v1/tokens/{id}"),
            None,
            Some(&secret),
        )
        .await;
    assert_eq!(revoked.status, 204);
    let refused = app.request("GET", "/api/v1/me", None, Some(&secret)).await;
    assert!(
        refused.problem(401)["detail"]
            .as_str()
            .unwrap()
            .contains("revoked")
    );
}

async fn healthz_checks_the_database(backend: Backend) {
    let (app, _admin) = TestApp::new(backend).await;
    let health = app.request("GET", "/healthz", None, None).await;
    assert_eq!(health.status, 200);
    assert_eq!(health.json, json!({"status": "ok"}));
}
