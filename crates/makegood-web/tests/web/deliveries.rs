//! The outbox through the API and the `/settings/deliveries` page.

use makegood_domain::Role;
use makegood_store::backend_tests;
use makegood_store::testing::{Backend, enqueue_for_test};
use serde_json::json;

use crate::common::TestApp;
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
    let mut browser = app.browser(admin.member.clone()).await;
    let page = browser.get("/settings/deliveries").await;
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

    let path = format!("/settings/deliveries/{failing}/retry");
    assert_eq!(
        browser
            .post_raw(&path, &[("csrf_token", "wrong")])
            .await
            .status,
        403
    );
    let after = browser.submit(&path, &[]).await;
    assert!(
        after
            .text
            .contains(&format!("Message {failing} will be sent again now.")),
        "{}",
        after.text
    );
    assert!(
        !browser
            .get("/settings/deliveries")
            .await
            .text
            .contains("will be sent again"),
        "the flash shows once"
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

    let mut agents = app.browser(agent.member).await;
    assert_eq!(agents.get("/settings/deliveries").await.status, 403);
    let signed_out = app.request("GET", "/settings/deliveries", None, None).await;
    assert_eq!(signed_out.status, 303);
}
