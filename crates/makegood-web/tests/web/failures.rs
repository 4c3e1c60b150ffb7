//! The failure log's page and API: the quick-entry form (errors beside fields, input kept),
//! the list and its filters, the distribution with broken promises counted in, editing and
//! deleting behind a confirmation page; viewers read only.

use makegood_domain::Role;
use makegood_store::backend_tests;
use makegood_store::testing::Backend;
use serde_json::json;

use crate::common::TestApp;

backend_tests!(
    the_failure_log_page_logs_lists_and_deletes,
    the_failure_log_api_speaks_problem_json,
);

async fn the_failure_log_page_logs_lists_and_deletes(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let mut browser = app.browser(admin.member.clone()).await;
    let page = browser.get("/failures").await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(
        page.text
            .contains(r#"<form method="post" action="/failures">"#)
    );
    assert!(
        page.text
            .contains("Broken promises are counted in automatically")
    );

    // A bad entry: the errors beside the fields, what was typed kept.
    let bad = browser
        .post(
            "/failures",
            &[
                ("level", "mockup"),
                ("what_happened", "The flow confused people"),
                ("lesson", " "),
                ("problem", "twelve"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.text);
    assert!(
        bad.text.contains(r#"id="log-lesson-error""#),
        "{}",
        bad.text
    );
    assert!(
        bad.text.contains("is not a problem number like MG-12"),
        "{}",
        bad.text
    );
    assert!(
        bad.text.contains(">The flow confused people</textarea>"),
        "{}",
        bad.text
    );
    assert!(
        bad.text.contains(r#"<option value="mockup" selected>"#),
        "{}",
        bad.text
    );

    let done = browser
        .submit(
            "/failures",
            &[
                ("level", "mockup"),
                ("what_happened", "The flow confused people"),
                ("lesson", "Test with one customer first"),
                ("problem", ""),
            ],
        )
        .await;
    assert!(
        done.text.contains("Logged: a failure at the mockup level."),
        "{}",
        done.text
    );
    assert!(
        done.text.contains("The flow confused people"),
        "{}",
        done.text
    );
    assert!(
        done.text.contains("Lesson: Test with one customer first"),
        "{}",
        done.text
    );
    let id = app
        .store
        .list_failures(&Default::default(), &Default::default())
        .await
        .unwrap()
        .items[0]
        .id;

    // Filters: another level shows none.
    let other = browser.get("/failures?level=pilot").await;
    assert!(
        other
            .text
            .contains("No failures logged in this period at this level."),
        "{}",
        other.text
    );
    let odd = browser.get("/failures?from=2026-13").await;
    assert!(
        odd.text.contains("showing the last twelve months"),
        "{}",
        odd.text
    );

    // Edit, then delete behind a confirmation page.
    let edit = browser.get(&format!("/failures/{id}/edit")).await;
    assert!(
        edit.text.contains(">The flow confused people</textarea>"),
        "{}",
        edit.text
    );
    let saved = browser
        .submit(
            &format!("/failures/{id}/edit"),
            &[
                ("level", "pilot"),
                ("what_happened", "The pilot confused people"),
                ("lesson", "Test first"),
                ("problem", ""),
                ("version", "1"),
            ],
        )
        .await;
    assert!(
        saved.text.contains("The pilot confused people"),
        "{}",
        saved.text
    );
    let confirm = browser.get(&format!("/failures/{id}/delete")).await;
    assert!(
        confirm.text.contains("Delete this failure?"),
        "{}",
        confirm.text
    );
    let gone = browser.submit(&format!("/failures/{id}/delete"), &[]).await;
    assert!(gone.text.contains("Entry deleted."), "{}", gone.text);
    assert!(app.store.failure(id).await.is_err());

    // A viewer sees the log but no form, and may not post.
    let viewer = app.user(Role::Viewer).await;
    let mut viewing = app.browser(viewer.member.clone()).await;
    let page = viewing.get("/failures").await;
    assert_eq!(page.status, 200);
    assert!(
        !page
            .text
            .contains(r#"<form method="post" action="/failures">"#)
    );
    let refused = viewing
        .post(
            "/failures",
            &[("level", "idea"), ("what_happened", "x"), ("lesson", "y")],
        )
        .await;
    assert_eq!(refused.status, 403);
}

async fn the_failure_log_api_speaks_problem_json(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let agent = app.user(Role::Agent).await;
    let bad = app
        .post(
            "/api/v1/failures",
            json!({"level": "idea", "what_happened": "", "lesson": "x", "problem": "nope"}),
            &agent,
        )
        .await;
    bad.problem(422);
    assert_eq!(bad.fields(), ["problem", "what_happened"]);
    app.post(
        "/api/v1/failures",
        json!({"level": "launch", "what_happened": "x", "lesson": "y"}),
        &agent,
    )
    .await
    .problem(422);

    let created = app
        .post("/api/v1/failures", json!({"level": "promise", "what_happened": "Missed the date", "lesson": "Say so before"}), &agent)
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(created.header("etag"), Some("\"1\""));
    let id = created.json["id"].as_i64().unwrap();
    assert_eq!(created.json["logged_by"], agent.member.id.0);

    let list = app.get("/api/v1/failures?level=promise", &admin).await;
    assert_eq!(
        list.json["items"].as_array().map(Vec::len),
        Some(1),
        "{}",
        list.text
    );
    app.get("/api/v1/failures?from=2026-05&to=2026-01", &admin)
        .await
        .problem(422);
    let summary = app.get("/api/v1/failures/summary", &admin).await;
    assert_eq!(
        summary.json["levels"][4],
        json!({"level": "promise", "logged": 1, "broken_promises": 0}),
        "{}",
        summary.text
    );

    // Another agent may not change it; a stale If-Match is 412.
    let other = app.user(Role::Agent).await;
    app.request(
        "PATCH",
        &format!("/api/v1/failures/{id}"),
        Some(json!({"lesson": "x"})),
        Some(&other.token),
    )
    .await
    .problem(403);
    let stale = app
        .send(
            axum::http::Request::patch(format!("/api/v1/failures/{id}"))
                .header("authorization", format!("Bearer {}", agent.token))
                .header("content-type", "application/json")
                .header("if-match", "\"7\"")
                .body(axum::body::Body::from(r#"{"lesson": "later"}"#))
                .unwrap(),
        )
        .await;
    stale.problem(412);
    let edited = app
        .request(
            "PATCH",
            &format!("/api/v1/failures/{id}"),
            Some(json!({"level": "pilot", "problem": null})),
            Some(&agent.token),
        )
        .await;
    assert_eq!(
        (edited.status.as_u16(), edited.json["level"].as_str()),
        (200, Some("pilot")),
        "{}",
        edited.text
    );
    app.request(
        "PATCH",
        &format!("/api/v1/failures/{id}"),
        Some(json!({"colour": "red"})),
        Some(&agent.token),
    )
    .await
    .problem(422);
    let deleted = app
        .request(
            "DELETE",
            &format!("/api/v1/failures/{id}"),
            None,
            Some(&admin.token),
        )
        .await;
    assert_eq!(deleted.status, 204);
    app.get(&format!("/api/v1/failures/{id}"), &admin)
        .await
        .problem(404);
}
