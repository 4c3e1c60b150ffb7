//! What every page shares: sign-in redirects, the frame, security headers, assets, error pages.

use makegood_domain::Role;
use makegood_store::backend_tests;
use makegood_store::testing::Backend;

use crate::common::TestApp;

backend_tests!(
    signed_out_pages_send_you_to_sign_in_and_back,
    pages_carry_the_frame_and_security_headers,
    unknown_pages_and_forbidden_pages_help,
    a_form_without_the_sessions_csrf_token_is_refused,
);

async fn signed_out_pages_send_you_to_sign_in_and_back(backend: Backend) {
    let (app, _) = TestApp::new(backend).await;
    let anonymous = app
        .request("GET", "/settings/deliveries?page=2", None, None)
        .await;
    assert_eq!(anonymous.status, 303);
    assert_eq!(
        anonymous.header("location"),
        Some("/login?next=%2Fsettings%2Fdeliveries%3Fpage%3D2")
    );
    let login = app
        .request("GET", "/login?next=%2Fproblems", None, None)
        .await;
    assert!(
        login.text.contains(r#"name="next" value="/problems""#),
        "{}",
        login.text
    );
    let home = app.request("GET", "/", None, None).await;
    assert_eq!(home.header("location"), Some("/login"));
}

async fn pages_carry_the_frame_and_security_headers(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let mut browser = app.browser(admin.member).await;
    let today = browser.get("/").await;
    assert_eq!(today.status, 200, "{}", today.text);
    for part in [
        r#"<a href="/" aria-current="page">Today</a>"#,
        r#"href="/settings""#,
        r#"<link rel="stylesheet" href="/assets/app.css?v="#,
        r##"<a class="skip" href="#main">"##,
    ] {
        assert!(
            today.text.contains(part),
            "{part} missing in {}",
            today.text
        );
    }
    let csp = today.header("content-security-policy").unwrap();
    assert!(
        csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"),
        "{csp}"
    );
    assert_eq!(today.header("x-content-type-options"), Some("nosniff"));

    let css = app.request("GET", "/assets/app.css", None, None).await;
    assert_eq!(css.status, 200);
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    let js = app.request("GET", "/assets/app.js", None, None).await;
    assert!(js.text.contains("data-countdown"));

    // Settings are for admins: an agent's bar has no such entry.
    let agent = app.user(Role::Agent).await;
    let mut browser = app.browser(agent.member).await;
    assert!(!browser.get("/").await.text.contains(r#"href="/settings""#));
}

async fn unknown_pages_and_forbidden_pages_help(backend: Backend) {
    let (app, _) = TestApp::new(backend).await;
    let missing = app.request("GET", "/no/such/page", None, None).await;
    assert_eq!(missing.status, 404);
    assert!(
        missing
            .header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    assert!(missing.text.contains("Not found"), "{}", missing.text);
    assert!(missing.text.contains(r#"<a href="/">Go to Today</a>"#));
    let wrong_method = app.request("DELETE", "/login", None, None).await;
    assert_eq!(wrong_method.status, 405);
    assert!(
        wrong_method
            .header("content-type")
            .unwrap()
            .starts_with("text/html")
    );

    let agent = app.user(Role::Agent).await;
    let mut browser = app.browser(agent.member).await;
    let forbidden = browser.get("/settings/deliveries").await;
    assert_eq!(forbidden.status, 403);
    assert!(
        forbidden.text.contains("ask an admin"),
        "{}",
        forbidden.text
    );
}

async fn a_form_without_the_sessions_csrf_token_is_refused(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let mut browser = app.browser(admin.member).await;
    let refused = browser.post_raw("/settings/deliveries/1/retry", &[]).await;
    assert_eq!(refused.status, 403);
    assert!(refused.text.contains("Reload the page"), "{}", refused.text);
    let wrong = browser
        .post_raw("/settings/deliveries/1/retry", &[("csrf_token", "forged")])
        .await;
    assert_eq!(wrong.status, 403);
}
