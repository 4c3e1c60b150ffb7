//! Settings pages: admins only; invitations (accept, used, expired); the last admin stays;
//! policies keep the input on errors; every member's tokens; CSRF.

use axum::body::Body;
use axum::http::{Request, header};
use jiff::SignedDuration;
use makegood_domain::{Email, Role};
use makegood_store::backend_tests;
use makegood_store::testing::Backend;

use crate::common::{Resp, TestApp};

backend_tests!(
    settings_are_for_admins_only,
    an_invited_member_sets_a_password_and_is_signed_in,
    used_and_expired_invitation_links_are_refused,
    the_last_admin_cannot_be_demoted_or_deactivated,
    members_are_edited_and_deactivated,
    invalid_policies_keep_the_input_and_valid_ones_are_saved,
    the_organisation_is_renamed_and_tokens_are_revoked,
    settings_forms_without_the_csrf_token_are_refused,
);

async fn settings_are_for_admins_only(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    for role in [Role::Supervisor, Role::Agent, Role::Viewer] {
        let user = app.user(role).await;
        let mut browser = app.browser(user.member).await;
        for path in [
            "/settings",
            "/settings/members",
            "/settings/members/invite",
            "/settings/policies",
            "/settings/tokens",
        ] {
            let page = browser.get(path).await;
            assert_eq!(page.status, 403, "{role:?} {path}: {}", page.text);
            assert!(page.text.contains("Not allowed"), "{}", page.text);
        }
        let invite = browser
            .post(
                "/settings/members/invite",
                &[("name", "X"), ("email", "x@acme.example")],
            )
            .await;
        assert_eq!(invite.status, 403);
    }
    let mut browser = app.browser(admin.member).await;
    let index = browser.get("/settings").await;
    assert_eq!(index.status, 200, "{}", index.text);
    for link in [
        "/settings/members",
        "/settings/policies",
        "/settings/tokens",
        "/settings/deliveries",
    ] {
        assert!(index.text.contains(&format!(r#"href="{link}""#)), "{link}");
    }
}

/// Invites `email` as an agent and returns the link's path (`/invite/…`).
async fn invite(app: &TestApp, browser: &mut crate::browser::Browser<'_>, email: &str) -> String {
    let _ = app;
    let done = browser
        .post(
            "/settings/members/invite",
            &[
                ("name", "Ivy Invited"),
                ("email", email),
                ("role", "agent"),
                ("remedy_authority", "250"),
                ("currency", "EUR"),
                ("time_zone", "Europe/Berlin"),
            ],
        )
        .await;
    assert_eq!(done.status, 201, "{}", done.text);
    assert!(done.text.contains("does not email it"), "{}", done.text);
    let start = done.text.find("https://desk.example/invite/").unwrap();
    let rest = &done.text[start + "https://desk.example".len()..];
    rest[..rest.find('"').unwrap()].to_owned()
}

/// An anonymous browser opens an invitation link: the page, and its form's CSRF cookie.
async fn open(app: &TestApp, path: &str) -> (Resp, String) {
    let form = app.request("GET", path, None, None).await;
    let cookie = form
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("makegood_form_csrf="))
        .map(|c| c.split(';').next().unwrap().to_owned())
        .unwrap_or_default();
    (form, cookie)
}

/// Posts a password with the form's CSRF cookie and token.
async fn post_password(app: &TestApp, path: &str, cookie: &str, password: &str) -> Resp {
    let csrf = cookie.split_once('=').map_or("", |(_, v)| v);
    let body = serde_urlencoded::to_string([("csrf_token", csrf), ("password", password)]).unwrap();
    let request = Request::post(path)
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap();
    app.send(request).await
}

/// Opens the link and sets `password`.
async fn accept(app: &TestApp, path: &str, password: &str) -> (Resp, Resp) {
    let (form, cookie) = open(app, path).await;
    (form, post_password(app, path, &cookie, password).await)
}

async fn an_invited_member_sets_a_password_and_is_signed_in(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let mut browser = app.browser(admin.member).await;
    let path = invite(&app, &mut browser, "ivy@acme.example").await;
    let members = browser.get("/settings/members").await;
    assert!(members.text.contains("Ivy Invited") && members.text.contains("250.00 EUR"));

    // A too-short password is refused beside the field, and never echoed.
    let (form, short) = accept(&app, &path, "short-pw").await;
    assert_eq!(form.status, 200, "{}", form.text);
    assert!(form.text.contains("Welcome to makegood, Ivy Invited"));
    assert_eq!(short.status, 422, "{}", short.text);
    assert!(
        short.text.contains(r#"id="password-error""#),
        "{}",
        short.text
    );
    assert!(!short.text.contains("short-pw"));

    let (_, accepted) = accept(&app, &path, "a long enough password").await;
    assert_eq!(accepted.status, 303, "{}", accepted.text);
    assert_eq!(accepted.header("location"), Some("/"));
    let session = accepted
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("makegood_session="))
        .map(|c| c.split(';').next().unwrap().to_owned())
        .expect("a session cookie");
    let today = app
        .send(
            Request::get("/me")
                .header(header::COOKIE, session)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(today.status, 200, "{}", today.text);
    assert!(today.text.contains("ivy@acme.example"), "{}", today.text);

    // And the password signs in.
    let email = Email::parse("ivy@acme.example").unwrap();
    let (member, hash) = app.store.member_credentials(&email).await.unwrap().unwrap();
    assert_eq!(member.role, Role::Agent);
    assert_eq!(member.time_zone, "Europe/Berlin");
    assert!(hash.unwrap().starts_with("$argon2id$"));
}

async fn used_and_expired_invitation_links_are_refused(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let mut browser = app.browser(admin.member.clone()).await;
    let used = invite(&app, &mut browser, "ivy@acme.example").await;
    let (_, ok) = accept(&app, &used, "a long enough password").await;
    assert_eq!(ok.status, 303);
    let (again, _) = open(&app, &used).await;
    assert_eq!(again.status, 404);
    assert!(again.text.contains("already used"), "{}", again.text);

    // Opened in time, posted too late: refused as expired.
    let expired = invite(&app, &mut browser, "eve@acme.example").await;
    let (form, cookie) = open(&app, &expired).await;
    assert_eq!(form.status, 200);
    app.advance(SignedDuration::from_hours(7 * 24 + 1));
    let late = post_password(&app, &expired, &cookie, "a long enough password").await;
    assert_eq!(late.status, 404);
    assert!(late.text.contains("expired"), "{}", late.text);
    let (late, _) = open(&app, &expired).await;
    assert!(late.text.contains("expired"), "{}", late.text);
    // A used link posted with a valid form cookie is refused too.
    let replay = post_password(&app, &used, &cookie, "another long password").await;
    assert_eq!(replay.status, 404);
    assert!(replay.text.contains("already used"), "{}", replay.text);
    let unknown = app.request("GET", "/invite/nonsense", None, None).await;
    assert!(unknown.text.contains("not valid"), "{}", unknown.text);

    // A new link from the member's page works (a new session: the old one has expired).
    let mut browser = app.browser(admin.member).await;
    let eve = app
        .store
        .member_credentials(&Email::parse("eve@acme.example").unwrap())
        .await
        .unwrap()
        .unwrap()
        .0;
    let fresh = browser
        .post(&format!("/settings/members/{}/invitation", eve.id), &[])
        .await;
    assert_eq!(fresh.status, 201, "{}", fresh.text);
    let start = fresh.text.find("/invite/").unwrap();
    let rest = &fresh.text[start..];
    let (_, ok) = accept(
        &app,
        &rest[..rest.find('"').unwrap()],
        "a long enough password",
    )
    .await;
    assert_eq!(ok.status, 303, "{}", ok.text);
}

async fn the_last_admin_cannot_be_demoted_or_deactivated(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let id = admin.member.id;
    let mut browser = app.browser(admin.member).await;
    let path = format!("/settings/members/{id}");
    let demote = browser
        .post(
            &path,
            &[
                ("role", "agent"),
                ("remedy_authority", "1000"),
                ("currency", "EUR"),
                ("time_zone", "UTC"),
            ],
        )
        .await;
    assert_eq!(demote.status, 422, "{}", demote.text);
    assert!(
        demote.text.contains(r#"id="role-error""#),
        "{}",
        demote.text
    );
    assert!(demote.text.contains("ask another admin"));
    let deactivate = browser
        .post(&format!("{path}/active"), &[("active", "false")])
        .await;
    assert_eq!(deactivate.status, 422, "{}", deactivate.text);
    let me = app.store.member(id).await.unwrap();
    assert!(me.active && me.role == Role::Admin);
}

async fn members_are_edited_and_deactivated(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let agent = app.user(Role::Agent).await;
    let id = agent.member.id;
    let mut browser = app.browser(admin.member).await;
    let path = format!("/settings/members/{id}");
    let bad = browser
        .post(
            &path,
            &[
                ("role", "supervisor"),
                ("remedy_authority", "12.345"),
                ("currency", "EUR"),
                ("time_zone", "Mars/Olympus"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.text.contains(r#"id="remedy_authority-error""#));
    assert!(bad.text.contains(r#"id="time_zone-error""#));
    assert!(bad.text.contains(r#"value="Mars/Olympus""#), "input kept");
    let saved = browser
        .submit(
            &path,
            &[
                ("role", "supervisor"),
                ("remedy_authority", "500.5"),
                ("currency", "EUR"),
                ("time_zone", "Europe/Paris"),
            ],
        )
        .await;
    assert!(saved.text.contains("Saved the changes"), "{}", saved.text);
    let member = app.store.member(id).await.unwrap();
    assert_eq!(member.role, Role::Supervisor);
    assert_eq!(member.remedy_authority.minor, 50_050);
    assert_eq!(member.time_zone, "Europe/Paris");

    let off = browser
        .submit(&format!("{path}/active"), &[("active", "false")])
        .await;
    assert!(off.text.contains("deactivated"), "{}", off.text);
    assert!(!app.store.member(id).await.unwrap().active);
    browser
        .submit(&format!("{path}/active"), &[("active", "true")])
        .await;
    assert!(app.store.member(id).await.unwrap().active);
    assert_eq!(browser.get("/settings/members/99999").await.status, 404);
}

async fn invalid_policies_keep_the_input_and_valid_ones_are_saved(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let mut browser = app.browser(admin.member).await;
    let page = browser.get("/settings/policies").await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(
        page.text.contains(r#"name="critical_tell" value="1h""#),
        "{}",
        page.text
    );
    let mut form = vec![
        ("critical_tell", "30m"),
        ("critical_update", "2h 30m"),
        ("critical_fix", "soonish"),
        ("critical_warning", "20"),
        ("critical_calendar", ""),
        ("major_tell", "4h"),
        ("major_update", "1d"),
        ("major_fix", "3d"),
        ("major_warning", "20"),
        ("major_calendar", ""),
        ("minor_tell", "1d"),
        ("minor_update", "3d"),
        ("minor_fix", "10d"),
        ("minor_warning", "95"),
        ("minor_calendar", ""),
        ("promise_percent", "20"),
        ("promise_min", "1h"),
        ("critical_follow_up", "2"),
        ("major_follow_up", "a week"),
        ("minor_follow_up", "3"),
    ];
    let refused = browser.post("/settings/policies", &form).await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert!(
        refused.text.contains(r#"id="critical_fix-error""#),
        "{}",
        refused.text
    );
    assert!(refused.text.contains(r#"value="soonish""#), "input kept");
    assert!(
        refused.text.contains(r#"id="major_follow_up-error""#),
        "{}",
        refused.text
    );
    form[18] = ("major_follow_up", "5");
    assert!(refused.text.contains(r#"value="2h 30m""#), "input kept");
    // Once every field reads, the range check points at its field.
    form[2] = ("critical_fix", "12h");
    let range = browser.post("/settings/policies", &form).await;
    assert_eq!(range.status, 422, "{}", range.text);
    assert!(
        range.text.contains(r#"id="minor_warning-error""#),
        "{}",
        range.text
    );
    form[13] = ("minor_warning", "25");
    let saved = browser.submit("/settings/policies", &form).await;
    assert!(saved.text.contains("Policies saved"), "{}", saved.text);
    assert!(
        saved
            .text
            .contains(r#"name="critical_update" value="2h 30m""#)
    );
    let policies = app.store.policies().await.unwrap();
    assert_eq!(policies.critical.tell_within_minutes, 30);
    assert_eq!(policies.critical.fix_within_minutes, 720);
    assert_eq!(policies.minor.warning_percent, 25);
    assert_eq!(policies.major.follow_up_after_days, 5);
}

async fn the_organisation_is_renamed_and_tokens_are_revoked(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let agent = app.user(Role::Agent).await;
    let mut browser = app.browser(admin.member).await;
    let empty = browser
        .post("/settings/organisation", &[("organisation", "  ")])
        .await;
    assert_eq!(empty.status, 422);
    assert!(empty.text.contains(r#"id="organisation-error""#));
    let renamed = browser
        .submit("/settings/organisation", &[("organisation", "Acme Care")])
        .await;
    assert!(
        renamed.text.contains("now called Acme Care"),
        "{}",
        renamed.text
    );
    assert_eq!(
        app.store.organisation().await.unwrap().unwrap().name,
        "Acme Care"
    );

    let tokens = browser.get("/settings/tokens").await;
    assert!(tokens.text.contains(&agent.member.name), "{}", tokens.text);
    let theirs = app
        .store
        .list_api_tokens(Some(agent.member.id))
        .await
        .unwrap();
    let listed = browser
        .submit(&format!("/settings/tokens/{}/revoke", theirs[0].id), &[])
        .await;
    assert!(listed.text.contains("Revoked the token"), "{}", listed.text);
    assert!(
        app.store
            .list_api_tokens(Some(agent.member.id))
            .await
            .unwrap()
            .is_empty()
    );
    let api = app.get("/api/v1/me", &agent).await;
    assert_eq!(api.status, 401, "a revoked token no longer works");
}

async fn settings_forms_without_the_csrf_token_are_refused(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let mut browser = app.browser(admin.member).await;
    for path in [
        "/settings/organisation",
        "/settings/members/invite",
        "/settings/policies",
        "/me/password",
        "/me/tokens",
    ] {
        let refused = browser
            .post_raw(path, &[("organisation", "Hijacked"), ("name", "evil")])
            .await;
        assert_eq!(refused.status, 403, "{path}");
        assert!(refused.text.contains("security token"), "{path}");
    }
    assert_eq!(
        app.store.organisation().await.unwrap().unwrap().name,
        "Acme Recovery"
    );
}
