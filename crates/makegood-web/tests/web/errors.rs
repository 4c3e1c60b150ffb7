//! Every failure is RFC 9457 problem+json with a message that says what to fix.

use axum::body::Body;
use axum::http::{Request, header};
use makegood_store::backend_tests;
use makegood_store::testing::Backend;
use serde_json::json;

use crate::common::TestApp;
use crate::fixture::{Team, World};

backend_tests!(
    bodies_that_do_not_parse_or_fit,
    times_need_an_offset_and_promises_a_future,
    store_refusals_name_the_json_field,
    query_strings_paths_routes_and_methods,
    credentials_are_checked,
);

async fn raw_post(
    app: &TestApp,
    path: &str,
    token: &str,
    content_type: &str,
    body: &str,
) -> crate::common::Resp {
    let request = Request::post(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body.to_owned()))
        .unwrap();
    app.send(request).await
}

async fn bodies_that_do_not_parse_or_fit(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let t = &admin.token;

    let malformed = raw_post(
        &app,
        "/api/v1/accounts",
        t,
        "application/json",
        "{\"name\": ",
    )
    .await;
    assert!(
        malformed.problem(400)["detail"]
            .as_str()
            .unwrap()
            .contains("JSON"),
        "{}",
        malformed.text
    );

    let not_json = raw_post(&app, "/api/v1/accounts", t, "text/plain", "name=x").await;
    assert!(
        not_json.problem(415)["detail"]
            .as_str()
            .unwrap()
            .contains("application/json")
    );

    let unknown = app
        .post(
            "/api/v1/accounts",
            json!({"name": "X", "colour": "red"}),
            &admin,
        )
        .await;
    unknown.problem(422);
    assert_eq!(unknown.fields(), ["colour"]);
    assert!(
        unknown.json["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("not a known field")
    );

    let wrong_type = app
        .post("/api/v1/accounts", json!({"name": 42}), &admin)
        .await;
    wrong_type.problem(422);
    assert_eq!(wrong_type.fields(), ["name"]);
    assert!(
        wrong_type.json["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("expected a string")
    );

    let missing = app
        .post("/api/v1/accounts", json!({"tier": "gold"}), &admin)
        .await;
    missing.problem(422);
    assert_eq!(missing.fields(), ["name"]);
    assert_eq!(missing.json["errors"][0]["message"], "is required");

    let blank = app
        .post("/api/v1/accounts", json!({"name": "   "}), &admin)
        .await;
    blank.problem(422);
    assert_eq!(blank.fields(), ["name"]);

    let bad_email = app
        .post(
            "/api/v1/vendors",
            json!({"name": "V", "email": "nope"}),
            &admin,
        )
        .await;
    bad_email.problem(422);
    assert_eq!(bad_email.fields(), ["email"]);
}

async fn times_need_an_offset_and_promises_a_future(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    let world = World::new(&app, &team).await;
    let promise = |due: &str| json!({"what": "Call back", "contacts": [world.contact.id], "due_at": due, "problem": "MG-1"});

    let naive = app
        .post(
            "/api/v1/promises",
            promise("2026-03-05T09:00:00"),
            &team.agent,
        )
        .await;
    naive.problem(422);
    assert_eq!(naive.fields(), ["due_at"]);
    assert!(
        naive.json["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("no offset"),
        "{}",
        naive.text
    );

    let garbage = app
        .post("/api/v1/promises", promise("next friday"), &team.agent)
        .await;
    assert!(
        garbage.problem(422)["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("RFC 3339")
    );

    let past = app
        .post(
            "/api/v1/promises",
            promise("2026-03-01T09:00:00Z"),
            &team.agent,
        )
        .await;
    past.problem(422);
    assert_eq!(past.fields(), ["due_at"]);

    let offset = app
        .post(
            "/api/v1/promises",
            promise("2026-03-05T10:00:00+01:00"),
            &team.agent,
        )
        .await;
    assert_eq!(offset.status, 201, "{}", offset.text);
    assert_eq!(offset.json["due_at"], "2026-03-05T09:00:00Z");
}

async fn store_refusals_name_the_json_field(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    let world = World::new(&app, &team).await;
    let other = app
        .post("/api/v1/accounts", json!({"name": "Other Co"}), &team.admin)
        .await;
    let problem = |extra: serde_json::Value| {
        let mut body = json!({"title": "T", "origin": "ours", "severity": "minor", "accounts": [world.account.id]});
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        body
    };

    let viewer_owner = app
        .post(
            "/api/v1/problems",
            problem(json!({"owner": team.viewer.member.id})),
            &team.agent,
        )
        .await;
    viewer_owner.problem(422);
    assert_eq!(viewer_owner.fields(), ["owner"]);

    let foreign_contact = app
        .post(
            "/api/v1/problems",
            problem(json!({"accounts": [other.json["id"]], "stakeholders": [world.contact.id]})),
            &team.agent,
        )
        .await;
    foreign_contact.problem(422);
    assert_eq!(foreign_contact.fields(), ["stakeholders"]);

    let future = app
        .post(
            "/api/v1/problems",
            problem(json!({"detected_at": app.in_hours(1)})),
            &team.agent,
        )
        .await;
    future.problem(422);
    assert_eq!(future.fields(), ["detected_at"]);

    let to_viewer = app
        .post(
            &format!("/api/v1/problems/{}/owner", world.problem.problem.number),
            json!({"owner": team.viewer.member.id}),
            &team.agent,
        )
        .await;
    to_viewer.problem(422);
    assert_eq!(to_viewer.fields(), ["owner"]);

    let resume_open = app
        .post(
            &format!("/api/v1/problems/{}/resume", world.problem.problem.number),
            json!({}),
            &team.agent,
        )
        .await;
    resume_open.problem(409);
}

async fn query_strings_paths_routes_and_methods(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;

    let bad_value = app.get("/api/v1/problems?status=sleeping", &admin).await;
    bad_value.problem(400);
    assert_eq!(bad_value.fields(), ["status"]);
    assert!(
        bad_value.json["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("open"),
        "{}",
        bad_value.text
    );

    let bad_number = app.get("/api/v1/problems?limit=lots", &admin).await;
    bad_number.problem(400);
    assert_eq!(bad_number.fields(), ["limit"]);

    let out_of_range = app.get("/api/v1/problems?limit=5000", &admin).await;
    assert_eq!(out_of_range.problem(422)["errors"][0]["field"], "limit");

    let unknown_param = app.get("/api/v1/promises?colour=red", &admin).await;
    assert_eq!(unknown_param.problem(400)["errors"][0]["field"], "colour");

    let naive = app
        .get("/api/v1/promises?due_before=2026-03-05T09:00:00", &admin)
        .await;
    assert!(
        naive.problem(400)["detail"]
            .as_str()
            .unwrap()
            .contains("offset")
    );

    app.get("/api/v1/members/abc", &admin).await.problem(400);
    app.get("/api/v1/problems/XY-1", &admin).await.problem(400);
    app.get("/api/v1/problems/MG-999", &admin)
        .await
        .problem(404);
    app.get("/api/v1/members/999", &admin).await.problem(404);

    let unknown_route = app.get("/api/v1/nothing-here", &admin).await;
    assert!(
        unknown_route.problem(404)["detail"]
            .as_str()
            .unwrap()
            .contains("/api/v1/nothing-here")
    );
    app.request("GET", "/api/nope", None, None)
        .await
        .problem(404);

    let wrong_method = app
        .request("DELETE", "/api/v1/problems", None, Some(&admin.token))
        .await;
    wrong_method.problem(405);
    assert_eq!(wrong_method.header("allow"), Some("GET,HEAD,POST"));

    let patch_without_body = app
        .send(
            Request::patch("/api/v1/accounts/1")
                .header(header::AUTHORIZATION, format!("Bearer {}", admin.token))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    patch_without_body.problem(415);
}

async fn credentials_are_checked(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let missing = app.request("GET", "/api/v1/problems", None, None).await;
    assert!(
        missing.problem(401)["detail"]
            .as_str()
            .unwrap()
            .contains("Bearer")
    );
    assert_eq!(
        missing.headers["www-authenticate"],
        "Bearer realm=\"makegood\""
    );
    app.request("GET", "/api/v1/problems", None, Some("mg_not-a-token"))
        .await
        .problem(401);
    app.request("GET", "/api/v1/problems", None, Some("not-even-the-shape"))
        .await
        .problem(401);

    let agent = app.user(makegood_domain::Role::Agent).await;
    assert_eq!(app.get("/api/v1/me", &agent).await.status, 200);
    let path = format!("/api/v1/members/{}", agent.member.id);
    let deactivated = app
        .request(
            "PATCH",
            &path,
            Some(json!({"active": false})),
            Some(&admin.token),
        )
        .await;
    assert_eq!(deactivated.status, 200, "{}", deactivated.text);
    app.get("/api/v1/me", &agent).await.problem(401);
    let demote_self = format!("/api/v1/members/{}", admin.member.id);
    let refused = app
        .request(
            "PATCH",
            &demote_self,
            Some(json!({"role": "viewer"})),
            Some(&admin.token),
        )
        .await;
    assert_eq!(refused.problem(422)["errors"][0]["field"], "role");
}
