//! My account: time zone, password (the current one required), preferences, API tokens (the
//! secret shown once) and the calendar feed link.

use makegood_domain::Role;
use makegood_store::backend_tests;
use makegood_store::testing::Backend;

use crate::common::TestApp;

backend_tests!(
    a_new_time_zone_changes_how_times_are_shown,
    changing_the_password_needs_the_current_one,
    notification_preferences_are_saved_and_bad_hours_kept,
    a_token_secret_is_shown_once_and_the_token_revoked,
    the_calendar_feed_link_is_shown_once_and_revoked,
);

async fn a_new_time_zone_changes_how_times_are_shown(backend: Backend) {
    let (app, _) = TestApp::new(backend).await;
    let viewer = app.user(Role::Viewer).await;
    let id = viewer.member.id;
    let mut browser = app.browser(viewer.member).await;
    let before = browser.get("/me").await;
    assert_eq!(before.status, 200, "{}", before.text);
    // 09:00 UTC at the start of every test.
    assert!(before.text.contains("09:00 UTC"), "{}", before.text);
    let bad = browser
        .post("/me/time-zone", &[("time_zone", "Mars/Olympus")])
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.text.contains(r#"id="time_zone-error""#));
    assert!(bad.text.contains(r#"value="Mars/Olympus""#), "input kept");
    let after = browser
        .submit("/me/time-zone", &[("time_zone", "Asia/Tokyo")])
        .await;
    assert!(
        after.text.contains("Your time zone is now Asia/Tokyo"),
        "{}",
        after.text
    );
    assert!(after.text.contains("18:00 JST"), "{}", after.text);
    assert_eq!(app.store.member(id).await.unwrap().time_zone, "Asia/Tokyo");
}

async fn changing_the_password_needs_the_current_one(backend: Backend) {
    let (app, _) = TestApp::new(backend).await;
    let agent = app.user(Role::Agent).await;
    let old = makegood_web::auth::hash_password("the old password").unwrap();
    app.store
        .set_password_hash(agent.member.id, &old)
        .await
        .unwrap();
    let email = agent.member.email.clone();
    let mut browser = app.browser(agent.member).await;
    let wrong = browser
        .post(
            "/me/password",
            &[
                ("current_password", "not the old one"),
                ("new_password", "brand new password"),
            ],
        )
        .await;
    assert_eq!(wrong.status, 422, "{}", wrong.text);
    assert!(wrong.text.contains(r#"id="current_password-error""#));
    assert!(
        !wrong.text.contains("brand new password"),
        "passwords are never echoed"
    );
    let short = browser
        .post(
            "/me/password",
            &[
                ("current_password", "the old password"),
                ("new_password", "short"),
            ],
        )
        .await;
    assert_eq!(short.status, 422);
    assert!(short.text.contains(r#"id="new_password-error""#));
    let done = browser
        .submit(
            "/me/password",
            &[
                ("current_password", "the old password"),
                ("new_password", "brand new password"),
            ],
        )
        .await;
    assert!(
        done.text.contains("Your password is changed"),
        "{}",
        done.text
    );
    let (_, hash) = app.store.member_credentials(&email).await.unwrap().unwrap();
    let hash = hash.unwrap();
    assert!(makegood_web::auth::verify_password(
        "brand new password",
        &hash
    ));
    assert!(!makegood_web::auth::verify_password(
        "the old password",
        &hash
    ));
}

async fn notification_preferences_are_saved_and_bad_hours_kept(backend: Backend) {
    let (app, _) = TestApp::new(backend).await;
    let agent = app.user(Role::Agent).await;
    let id = agent.member.id;
    let mut browser = app.browser(agent.member).await;
    let page = browser.get("/me").await;
    assert!(
        page.text.contains(r#"name="monday_open" value="09:00""#),
        "{}",
        page.text
    );
    let bad = browser
        .post(
            "/me/preferences",
            &[
                ("email_alerts", "on"),
                ("monday_open", "9am"),
                ("monday_close", "17:00"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.text);
    assert!(bad.text.contains(r#"id="monday_close-error""#));
    assert!(bad.text.contains(r#"value="9am""#), "input kept");
    browser
        .submit(
            "/me/preferences",
            &[
                ("daily_digest", "on"),
                ("tuesday_open", "08:30"),
                ("tuesday_close", "12:00"),
            ],
        )
        .await;
    let saved = app.store.preferences(id).await.unwrap();
    assert!(!saved.email_alerts && saved.daily_digest);
    assert!(saved.working_hours.monday.is_empty());
    assert_eq!(saved.working_hours.tuesday[0].open, "08:30");
    assert_eq!(saved.working_hours.tuesday[0].close, "12:00");
}

async fn a_token_secret_is_shown_once_and_the_token_revoked(backend: Backend) {
    let (app, _) = TestApp::new(backend).await;
    let viewer = app.user(Role::Viewer).await;
    let other = app.user(Role::Agent).await;
    let id = viewer.member.id;
    let mut browser = app.browser(viewer.member).await;
    let empty_name = browser.post("/me/tokens", &[("name", " ")]).await;
    assert_eq!(empty_name.status, 422);
    assert!(empty_name.text.contains(r#"id="token_name-error""#));
    let created = browser.post("/me/tokens", &[("name", "laptop CLI")]).await;
    assert_eq!(created.status, 201, "{}", created.text);
    let start = created.text.find("value=\"mg_").unwrap() + "value=\"".len();
    let secret = &created.text[start..start + created.text[start..].find('"').unwrap()];
    assert!(created.text.contains("shown only this once"));
    // The secret works, and no later page shows it.
    let user = crate::common::User {
        member: app.store.member(id).await.unwrap(),
        token: secret.to_owned(),
    };
    assert_eq!(app.get("/api/v1/me", &user).await.status, 200);
    let me = browser.get("/me").await;
    assert!(me.text.contains("laptop CLI"), "{}", me.text);
    assert!(!me.text.contains(secret), "the secret is shown once");

    let mine = app.store.list_api_tokens(Some(id)).await.unwrap();
    let laptop = mine.iter().find(|t| t.name == "laptop CLI").unwrap();
    let theirs = app
        .store
        .list_api_tokens(Some(other.member.id))
        .await
        .unwrap();
    let foreign = browser
        .post(&format!("/me/tokens/{}/revoke", theirs[0].id), &[])
        .await;
    assert_eq!(
        foreign.status, 404,
        "another member's token is not mine to revoke"
    );
    let revoked = browser
        .submit(&format!("/me/tokens/{}/revoke", laptop.id), &[])
        .await;
    assert!(
        revoked.text.contains("Revoked the token"),
        "{}",
        revoked.text
    );
    assert_eq!(app.get("/api/v1/me", &user).await.status, 401);
}

async fn the_calendar_feed_link_is_shown_once_and_revoked(backend: Backend) {
    let (app, _) = TestApp::new(backend).await;
    let agent = app.user(Role::Agent).await;
    let mut browser = app.browser(agent.member).await;
    let created = browser.post("/me/calendar-feed", &[]).await;
    assert_eq!(created.status, 201, "{}", created.text);
    let start = created.text.find("https://desk.example/calendar/").unwrap();
    let url = &created.text[start..start + created.text[start..].find('"').unwrap()];
    let path = url.trim_start_matches("https://desk.example");
    assert_eq!(app.request("GET", path, None, None).await.status, 200);
    let revoked = browser.submit("/me/calendar-feed/revoke", &[]).await;
    assert!(
        revoked.text.contains("feed link is revoked"),
        "{}",
        revoked.text
    );
    assert_eq!(app.request("GET", path, None, None).await.status, 404);
}
