//! The outbox through the API and the `/settings/deliveries` page.

use axum::body::Body;
use axum::http::{Request, header};
use makegood_domain::Role;
use makegood_store::backend_tests;
use makegood_store::testing::{Backend, enqueue_for_test};
use serde_json::json;

use crate::common::{TestApp, sha256_hex};
use crate::fixture::alert_to;

backend_tests!(deliveries_through_the_api_and_the_page);

async fn deliveries_through_the_api_and_the_page(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let agent = app.user(Role::Agent).await;
    let due = app.now();
    let pending = enqueue_for_test(
        &app.store,
        &alert_to(&agent, "Tell Acme about MG-1", due),
        None,
        app.now(),
    )
    .await
    .unwrap();
    let failing = enqueue_for_test(
        &app.store,
        &alert_to(&admin, "Tell Globex about MG-2", due),
        None,
        app.now(),
    )
    .await
    .unwrap();
    let claimed = app.store.claim_deliveries(app.now(), 10).await.unwrap();
    assert_eq!(claimed.len(), 2);
    app.store
        .mark_failed(failing, "550 mailbox unavailable", true, app.now())
        .await
        .unwrap();
    app.store
        .mark_failed(pending, "421 try later", false, app.now())
        .await
        .unwrap();

    let all = app.get("/api/v1/deliveries", &admin).await;
    assert_eq!(all.status, 200, "{}", all.text);
    let ids: Vec<i64> = all.json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [failing, pending]);
    let failed = app.get("/api/v1/deliveries?status=failed", &admin).await;
    assert_eq!(
        failed.json["items"][0]["last_error"],
        "550 mailbox unavailable"
    );
    assert_eq!(failed.json["items"].as_array().unwrap().len(), 1);
    app.get("/api/v1/deliveries?status=lost", &admin)
        .await
        .problem(400);
    let one = app
        .get(&format!("/api/v1/deliveries/{pending}"), &admin)
        .await;
    assert_eq!(
        (one.json["status"].clone(), one.json["attempts"].clone()),
        (json!("pending"), json!(1))
    );
    assert_eq!(one.json["notice"]["type"], "alert");
    app.get(&format!("/api/v1/deliveries/{pending}"), &agent)
        .await
        .problem(403);

    // The page: failed and pending messages, times in the admin's zone, Retry for failed ones.
    let session = "session-secret";
    app.store
        .create_session(
            admin.member.id,
            &sha256_hex(session),
            "csrf-1",
            app.now() + jiff::SignedDuration::from_hours(1),
        )
        .await
        .unwrap();
    let cookie = format!("makegood_session={session}");
    let get_page = |path: String, cookie: String| {
        let request = Request::get(path)
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap();
        app.send(request)
    };
    let page = get_page("/settings/deliveries".into(), cookie.clone()).await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(page.text.contains("550 mailbox unavailable") && page.text.contains("421 try later"));
    assert!(page.text.contains(agent.member.email.as_str()));
    assert!(
        page.text
            .contains(&format!("action=\"/settings/deliveries/{failing}/retry\""))
    );
    assert!(
        !page
            .text
            .contains(&format!("action=\"/settings/deliveries/{pending}/retry\""))
    );
    let next = (app.now() + jiff::SignedDuration::from_mins(1))
        .to_zoned(jiff::tz::TimeZone::UTC)
        .strftime("%a %-d %b %H:%M")
        .to_string();
    assert!(
        page.text.contains(&next),
        "next attempt {next} in {}",
        page.text
    );

    let post = |csrf: &str| {
        let request = Request::post(format!("/settings/deliveries/{failing}/retry"))
            .header(header::COOKIE, cookie.clone())
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!("csrf_token={csrf}")))
            .unwrap();
        app.send(request)
    };
    assert_eq!(post("wrong").await.status, 403);
    let retried = post("csrf-1").await;
    assert_eq!(retried.status, 303, "{}", retried.text);
    let location = retried.header("location").unwrap().to_owned();
    let after = get_page(location, cookie.clone()).await;
    assert!(
        after
            .text
            .contains(&format!("Message {failing} will be sent again now.")),
        "{}",
        after.text
    );
    assert!(
        !after
            .text
            .contains(&format!("action=\"/settings/deliveries/{failing}/retry\""))
    );
    assert_eq!(
        app.get(&format!("/api/v1/deliveries/{failing}"), &admin)
            .await
            .json["status"],
        "pending"
    );

    let api_retry = app
        .post(
            &format!("/api/v1/deliveries/{pending}/retry"),
            json!({}),
            &admin,
        )
        .await;
    assert_eq!(
        (
            api_retry.json["attempts"].clone(),
            api_retry.json["status"].clone()
        ),
        (json!(0), json!("pending"))
    );
    app.store.claim_deliveries(app.now(), 10).await.unwrap();
    app.store.mark_delivered(pending, app.now()).await.unwrap();
    app.post(
        &format!("/api/v1/deliveries/{pending}/retry"),
        json!({}),
        &admin,
    )
    .await
    .problem(409);

    let agent_session = "agent-session";
    app.store
        .create_session(
            agent.member.id,
            &sha256_hex(agent_session),
            "csrf-2",
            app.now() + jiff::SignedDuration::from_hours(1),
        )
        .await
        .unwrap();
    assert_eq!(
        get_page(
            "/settings/deliveries".into(),
            format!("makegood_session={agent_session}")
        )
        .await
        .status,
        403
    );
    assert_eq!(
        get_page("/settings/deliveries".into(), String::new())
            .await
            .status,
        303
    );
}
