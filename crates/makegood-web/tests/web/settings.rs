//! Calendars, webhooks and preferences through the API.

use makegood_domain::Role;
use makegood_store::backend_tests;
use makegood_store::testing::Backend;
use serde_json::{Value, json};

use crate::common::{Resp, TestApp, User};

backend_tests!(
    calendars_through_the_api,
    webhooks_through_the_api,
    preferences_through_the_api,
);

async fn send_json(app: &TestApp, method: &str, path: &str, body: Value, user: &User) -> Resp {
    app.request(method, path, Some(body), Some(&user.token))
        .await
}
async fn calendars_through_the_api(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let body = json!({
        "name": "Berlin office", "zone": "Europe/Berlin",
        "hours": {"monday": [{"open": "09:00", "close": "17:00"}], "friday": [{"open": "09:00", "close": "13:00"}]},
        "holidays": ["2026-12-25"]
    });
    let created = app.post("/api/v1/calendars", body.clone(), &admin).await;
    assert_eq!(created.status, 201, "{}", created.text);
    let id = created.json["id"].as_i64().unwrap();
    assert_eq!(created.json["zone"], "Europe/Berlin");
    assert_eq!(created.json["hours"]["friday"][0]["close"], "13:00");
    assert_eq!(created.json["holidays"], json!(["2026-12-25"]));
    app.post("/api/v1/calendars", body, &admin)
        .await
        .problem(409);

    let bad = json!({"name": "Bad", "zone": "Europe/Berlin", "hours": {"monday": [{"open": "9", "close": "17:00"}]}});
    let refused = app.post("/api/v1/calendars", bad, &admin).await;
    refused.problem(422);
    assert_eq!(refused.fields(), ["hours.monday[0].open"]);
    let refused = app
        .post(
            "/api/v1/calendars",
            json!({"name": "Bad", "zone": "Nowhere", "hours": {}}),
            &admin,
        )
        .await;
    assert_eq!(refused.fields(), ["zone"]);
    let refused = app
        .post(
            "/api/v1/calendars",
            json!({"name": "Bad", "zone": "UTC", "hours": {"funday": []}}),
            &admin,
        )
        .await;
    refused.problem(422);

    let list = app.get("/api/v1/calendars", &admin).await;
    assert_eq!(list.json["items"].as_array().unwrap().len(), 1);
    let path = format!("/api/v1/calendars/{id}");
    let patched = send_json(
        &app,
        "PATCH",
        &path,
        json!({"zone": "America/New_York"}),
        &admin,
    )
    .await;
    assert_eq!(patched.status, 200, "{}", patched.text);
    assert_eq!(patched.json["zone"], "America/New_York");
    assert_eq!(
        patched.json["hours"]["friday"][0]["close"], "13:00",
        "the rest of the spec stays"
    );
    assert_eq!(
        app.get(&path, &admin).await.json["zone"],
        "America/New_York"
    );

    let mut policies = app.get("/api/v1/policies", &admin).await.json;
    policies["critical"]["calendar"] = json!(id + 50);
    let refused = send_json(&app, "PUT", "/api/v1/policies", policies.clone(), &admin).await;
    refused.problem(422);
    assert_eq!(refused.fields(), ["critical.calendar"]);
    policies["critical"]["calendar"] = json!(id);
    assert_eq!(
        send_json(&app, "PUT", "/api/v1/policies", policies, &admin)
            .await
            .status,
        200
    );
    let in_use = app.request("DELETE", &path, None, Some(&admin.token)).await;
    assert!(
        in_use.problem(409)["detail"]
            .as_str()
            .unwrap()
            .contains("critical")
    );
    app.request("GET", "/api/v1/calendars/99999", None, Some(&admin.token))
        .await
        .problem(404);
}

async fn webhooks_through_the_api(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let created = app
        .post("/api/v1/webhooks", json!({"name": "Ops", "url": "https://ops.example.com/in", "events": ["update", "clock_breached"]}), &admin)
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let secret = created.json["secret"].as_str().unwrap().to_owned();
    assert_eq!(secret.len(), 64);
    assert!(secret.chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(created.json["kind"], "json");
    let id = created.json["id"].as_i64().unwrap();

    let private = app
        .post(
            "/api/v1/webhooks",
            json!({"name": "Local", "url": "http://127.0.0.1:9000/"}),
            &admin,
        )
        .await;
    private.problem(422);
    assert_eq!(private.fields(), ["url"]);
    assert!(
        private.json["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("allow_private")
    );
    let allowed = app
        .post("/api/v1/webhooks", json!({"name": "Local", "url": "http://127.0.0.1:9000/", "allow_private": true, "kind": "chat"}), &admin)
        .await;
    assert_eq!(allowed.status, 201, "{}", allowed.text);
    assert_eq!(allowed.json["kind"], "chat");
    let unknown = app
        .post(
            "/api/v1/webhooks",
            json!({"name": "X", "url": "https://x.example/", "events": ["boom"]}),
            &admin,
        )
        .await;
    assert_eq!(unknown.fields(), ["events[0]"]);
    let nameless = app
        .post(
            "/api/v1/webhooks",
            json!({"name": " ", "url": "https://x.example/"}),
            &admin,
        )
        .await;
    assert_eq!(nameless.fields(), ["name"]);

    let path = format!("/api/v1/webhooks/{id}");
    let rotated = app
        .post(&format!("{path}/rotate-secret"), json!({}), &admin)
        .await;
    assert_eq!(rotated.status, 200, "{}", rotated.text);
    assert_ne!(rotated.json["secret"].as_str().unwrap(), secret);
    let patched = send_json(
        &app,
        "PATCH",
        &path,
        json!({"active": false, "events": []}),
        &admin,
    )
    .await;
    assert_eq!(
        (
            patched.json["active"].clone(),
            patched.json["events"].clone()
        ),
        (json!(false), json!([]))
    );
    assert_eq!(
        app.get("/api/v1/webhooks", &admin).await.json["items"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        app.request("DELETE", &path, None, Some(&admin.token))
            .await
            .status,
        204
    );
    app.get(&path, &admin).await.problem(404);
}

async fn preferences_through_the_api(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let agent = app.user(Role::Agent).await;
    let mine = app.get("/api/v1/me/preferences", &agent).await;
    assert_eq!(mine.json["email_alerts"], true);
    assert_eq!(mine.json["working_hours"]["monday"][0]["open"], "09:00");
    let wanted = json!({
        "email_alerts": false, "daily_digest": true,
        "working_hours": {"tuesday": [{"open": "07:30", "close": "15:30"}]}
    });
    let put = send_json(
        &app,
        "PUT",
        "/api/v1/me/preferences",
        wanted.clone(),
        &agent,
    )
    .await;
    assert_eq!(put.status, 200, "{}", put.text);
    let read = app.get("/api/v1/me/preferences", &agent).await.json;
    assert_eq!(read["email_alerts"], false);
    assert_eq!(read["working_hours"]["tuesday"][0]["close"], "15:30");
    assert_eq!(read["working_hours"]["monday"], json!([]));
    assert_eq!(
        app.get("/api/v1/me/preferences", &admin).await.json["email_alerts"],
        true,
        "each member has their own"
    );

    let bad = json!({"email_alerts": true, "daily_digest": true, "working_hours": {"friday": [{"open": "18:00", "close": "09:00"}]}});
    let refused = send_json(&app, "PUT", "/api/v1/me/preferences", bad, &agent).await;
    refused.problem(422);
    assert_eq!(refused.fields(), ["working_hours.friday[0].close"]);
    let unknown = send_json(
        &app,
        "PUT",
        "/api/v1/me/preferences",
        json!({"email_alerts": true}),
        &agent,
    )
    .await;
    unknown.problem(422);
}
