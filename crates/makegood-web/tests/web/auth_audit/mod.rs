//! Sessions rotated on sign-in, sign-out that ends the session server-side and the sign-in
//! back-off; the audit trail (API and page) is in `trail`.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, header};
use jiff::SignedDuration;
use makegood_domain::Role;
use makegood_store::testing::Backend;
use makegood_store::{AuditFilter, AuditKind, PageRequest, backend_tests};
use makegood_web::auth::hash_password;
use serde_json::{Value, json};

use crate::common::{Resp, TestApp, User, new_member};
use crate::pages::{cookie, hidden};

mod trail;

backend_tests!(
    signing_in_replaces_the_session_the_browser_carried,
    signing_out_ends_the_session_for_good,
    failed_sign_ins_back_off_even_for_the_right_password,
    unknown_emails_back_off_the_same_way,
);

const PASSWORD: &str = "correct horse battery";

/// A request from `ip` (as `serve` records the peer address) with `cookies`.
fn from(
    ip: &str,
    request: axum::http::request::Builder,
    cookies: &[&str],
    body: Body,
) -> Request<Body> {
    let mut request = request
        .header(header::COOKIE, cookies.join("; "))
        .body(body)
        .unwrap();
    let addr: SocketAddr = format!("{ip}:40000").parse().unwrap();
    request.extensions_mut().insert(ConnectInfo(addr));
    request
}

async fn get_page(app: &TestApp, path: &str, cookies: &[&str]) -> Resp {
    app.send(from(
        "192.0.2.10",
        Request::get(path),
        cookies,
        Body::empty(),
    ))
    .await
}

async fn post_form(app: &TestApp, path: &str, cookies: &[&str], form: &[(&str, &str)]) -> Resp {
    let builder =
        Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    let body = Body::from(serde_urlencoded::to_string(form).unwrap());
    app.send(from("192.0.2.10", builder, cookies, body)).await
}

/// An organisation whose admin Ada signs in with [`PASSWORD`].
async fn with_password(backend: Backend) -> (TestApp, makegood_domain::Member) {
    let app = TestApp::builder(backend).empty().await;
    let hash = hash_password(PASSWORD).unwrap();
    let ada = app
        .store
        .initialise(
            "Acme",
            new_member("Ada Admin", Role::Admin, Some(hash)),
            app.now(),
        )
        .await
        .unwrap();
    (app, ada)
}

/// The sign-in form: its CSRF cookie and token.
async fn login_form(app: &TestApp) -> (String, String) {
    let form = get_page(app, "/login", &[]).await;
    (
        cookie(&form, "makegood_form_csrf").unwrap(),
        hidden(&form, "csrf_token"),
    )
}

/// Posts the sign-in form, carrying `extra` cookies too.
async fn sign_in(app: &TestApp, email: &str, password: &str, extra: &[&str]) -> Resp {
    let (csrf_cookie, csrf) = login_form(app).await;
    let mut cookies = vec![csrf_cookie.as_str()];
    cookies.extend_from_slice(extra);
    post_form(
        app,
        "/login",
        &cookies,
        &[
            ("email", email),
            ("password", password),
            ("csrf_token", &csrf),
        ],
    )
    .await
}

/// The kinds recorded so far, newest first.
async fn kinds(app: &TestApp, kind: Option<AuditKind>) -> Vec<AuditKind> {
    let filter = AuditFilter { kind, member: None };
    let page = PageRequest {
        cursor: None,
        limit: Some(200),
    };
    app.store
        .list_audit(&filter, &page)
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|e| e.kind)
        .collect()
}

async fn csrf_of(app: &TestApp, session: &str) -> String {
    let me = get_page(app, "/api/v1/me", &[session]).await;
    assert_eq!(me.status, 200, "{}", me.text);
    me.json["csrf_token"].as_str().unwrap().to_owned()
}

async fn signing_in_replaces_the_session_the_browser_carried(backend: Backend) {
    let (app, ada) = with_password(backend).await;
    let first = sign_in(&app, "ada@acme.example", PASSWORD, &[]).await;
    assert_eq!(first.status, 303, "{}", first.text);
    let old = cookie(&first, "makegood_session").unwrap();
    let old_csrf = csrf_of(&app, &old).await;

    // Signing in again from the same browser: the old session is ended, a new one issued.
    let again = sign_in(&app, "ada@acme.example", PASSWORD, &[&old]).await;
    assert_eq!(again.status, 303, "{}", again.text);
    let new = cookie(&again, "makegood_session").unwrap();
    assert_ne!(new, old, "a new session secret");
    assert_ne!(csrf_of(&app, &new).await, old_csrf, "a new CSRF token");
    assert_eq!(
        get_page(&app, "/", &[&old]).await.status,
        303,
        "the old cookie is refused"
    );
    get_page(&app, "/api/v1/me", &[&old]).await.problem(401);
    assert_eq!(get_page(&app, "/", &[&new]).await.status, 200);

    // A session id planted in the browser (fixation) is worth nothing after sign-in.
    let planted = "makegood_session=planted-by-an-attacker";
    let signed = sign_in(&app, "ada@acme.example", PASSWORD, &[planted]).await;
    assert_ne!(cookie(&signed, "makegood_session").unwrap(), planted);
    get_page(&app, "/api/v1/me", &[planted]).await.problem(401);

    let events = app
        .store
        .list_audit(
            &AuditFilter {
                kind: Some(AuditKind::SignIn),
                member: None,
            },
            &PageRequest::default(),
        )
        .await
        .unwrap()
        .items;
    assert_eq!(events.len(), 3);
    assert_eq!(events[0].actor, Some(ada.id));
    assert_eq!(events[0].client_ip.as_deref(), Some("192.0.2.10"));
}

async fn signing_out_ends_the_session_for_good(backend: Backend) {
    let (app, ada) = with_password(backend).await;
    let signed = sign_in(&app, "ada@acme.example", PASSWORD, &[]).await;
    let session = cookie(&signed, "makegood_session").unwrap();
    let other = cookie(
        &sign_in(&app, "ada@acme.example", PASSWORD, &[]).await,
        "makegood_session",
    )
    .unwrap();
    let home = get_page(&app, "/", &[&session]).await;
    let csrf = hidden(&home, "csrf_token");
    let out = post_form(&app, "/logout", &[&session], &[("csrf_token", &csrf)]).await;
    assert_eq!(out.status, 303);
    let cleared = out
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|c| c.starts_with("makegood_session=") && c.contains("Max-Age=0"));
    assert!(cleared, "the cookie is removed from the browser");

    // Replaying the old cookie (as a copy kept elsewhere would) finds nothing server-side.
    assert_eq!(get_page(&app, "/", &[&session]).await.status, 303);
    get_page(&app, "/api/v1/me", &[&session]).await.problem(401);
    let replayed = app
        .send(from(
            "192.0.2.10",
            Request::post("/api/v1/accounts")
                .header(header::CONTENT_TYPE, "application/json")
                .header("x-csrf-token", &csrf),
            &[&session],
            Body::from(json!({"name": "Northwind"}).to_string()),
        ))
        .await;
    replayed.problem(401);
    assert_eq!(
        get_page(&app, "/", &[&other]).await.status,
        200,
        "another device stays signed in"
    );

    let out = app
        .store
        .list_audit(
            &AuditFilter {
                kind: Some(AuditKind::SignOut),
                member: Some(ada.id),
            },
            &PageRequest::default(),
        )
        .await
        .unwrap()
        .items;
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].actor, Some(ada.id));
    // Signing out without a session records nothing more.
    post_form(&app, "/logout", &[&session], &[("csrf_token", "x")]).await;
    assert_eq!(kinds(&app, Some(AuditKind::SignOut)).await.len(), 1);
}

async fn failed_sign_ins_back_off_even_for_the_right_password(backend: Backend) {
    let (app, _) = with_password(backend).await;
    for _ in 0..4 {
        let wrong = sign_in(&app, "ada@acme.example", "wrong password!", &[]).await;
        assert_eq!(wrong.status, 401, "{}", wrong.text);
        app.advance(SignedDuration::from_secs(10));
    }
    let fifth = sign_in(&app, "ADA@acme.example", "wrong password!", &[]).await;
    assert_eq!(fifth.status, 429, "the fifth failure locks: {}", fifth.text);
    assert_eq!(fifth.header("retry-after"), Some("60"));
    assert!(
        fifth
            .text
            .contains("Too many failed sign-ins for this address. Try again in 1 minute."),
        "{}",
        fifth.text
    );
    assert!(
        fifth.text.contains("value=\"ADA@acme.example\""),
        "the email is kept"
    );

    // While locked, even the right password is refused, and no session is made.
    app.advance(SignedDuration::from_secs(30));
    let refused = sign_in(&app, "ada@acme.example", PASSWORD, &[]).await;
    assert_eq!(refused.status, 429);
    assert_eq!(refused.header("retry-after"), Some("30"));
    assert!(cookie(&refused, "makegood_session").is_none());

    // The lock ends; the next failure locks again, for twice as long.
    app.advance(SignedDuration::from_secs(30));
    let sixth = sign_in(&app, "ada@acme.example", "wrong password!", &[]).await;
    assert_eq!(sixth.status, 429);
    assert_eq!(sixth.header("retry-after"), Some("120"));
    assert!(
        sixth.text.contains("Try again in 2 minutes."),
        "{}",
        sixth.text
    );

    app.advance(SignedDuration::from_secs(120));
    let ok = sign_in(&app, "ada@acme.example", PASSWORD, &[]).await;
    assert_eq!(ok.status, 303, "{}", ok.text);
    assert!(cookie(&ok, "makegood_session").is_some());
    // Success forgets the failures: one more wrong password is only wrong.
    let wrong = sign_in(&app, "ada@acme.example", "wrong password!", &[]).await;
    assert_eq!(wrong.status, 401);

    assert_eq!(kinds(&app, Some(AuditKind::SignInFailed)).await.len(), 7);
    assert_eq!(kinds(&app, Some(AuditKind::SignInRefused)).await.len(), 1);
    assert_eq!(kinds(&app, Some(AuditKind::SignIn)).await.len(), 1);
}

async fn unknown_emails_back_off_the_same_way(backend: Backend) {
    let (app, _) = with_password(backend).await;
    let mut statuses = Vec::new();
    for _ in 0..6 {
        let r = sign_in(&app, "nobody@acme.example", PASSWORD, &[]).await;
        statuses.push(r.status.as_u16());
        if r.status == 429 {
            assert!(
                r.text
                    .contains("Too many failed sign-ins for this address."),
                "{}",
                r.text
            );
        }
    }
    assert_eq!(statuses, [401, 401, 401, 401, 429, 429]);
    // Another address is not affected.
    assert_eq!(
        sign_in(&app, "ada@acme.example", PASSWORD, &[])
            .await
            .status,
        303
    );
    let failed = app
        .store
        .list_audit(
            &AuditFilter {
                kind: Some(AuditKind::SignInFailed),
                member: None,
            },
            &PageRequest::default(),
        )
        .await
        .unwrap()
        .items;
    assert_eq!(failed.len(), 5);
    assert_eq!(failed[0].subject, "nobody@acme.example");
    assert_eq!((failed[0].actor, failed[0].member), (None, None));
    assert!(
        failed[0].detail["locked_until"].is_string(),
        "{:?}",
        failed[0].detail
    );
    assert!(failed[1].detail["locked_until"].is_null());
}
