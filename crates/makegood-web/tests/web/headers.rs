//! The browser-security headers on every kind of answer: CSP without `unsafe-inline`,
//! framing refused twice over, the referrer kept in the site, and HSTS only over TLS.

use axum::body::Body;
use axum::http::Request;
use makegood_store::backend_tests;
use makegood_store::testing::Backend;

use crate::common::{Resp, TestApp};

backend_tests!(hsts_only_over_tls_and_the_rest_always);

/// A page, an API answer, an API error, a page error, the health check, an asset.
async fn answers(app: &TestApp) -> Vec<(&'static str, Resp)> {
    let mut out = Vec::new();
    for path in [
        "/login",
        "/api/openapi.json",
        "/api/v1/me",
        "/no-such-page",
        "/healthz",
    ] {
        let r = app
            .send(Request::get(path).body(Body::empty()).unwrap())
            .await;
        out.push((path, r));
    }
    out
}

fn assert_always(path: &str, r: &Resp) {
    let csp = r.header("content-security-policy").unwrap_or_default();
    assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
    assert!(csp.contains("script-src 'self'"), "{path}: {csp}");
    assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
    assert!(!csp.contains("unsafe-eval"), "{path}: {csp}");
    assert_eq!(r.header("x-frame-options"), Some("DENY"), "{path}");
    assert_eq!(r.header("referrer-policy"), Some("same-origin"), "{path}");
    assert_eq!(
        r.header("x-content-type-options"),
        Some("nosniff"),
        "{path}"
    );
}

async fn hsts_only_over_tls_and_the_rest_always(backend: Backend) {
    let tls = TestApp::builder(backend)
        .public_url("https://desk.example")
        .empty()
        .await;
    let answers_tls = answers(&tls).await;
    // Different kinds of answer, so the headers are not only on one of them.
    let statuses: Vec<u16> = answers_tls.iter().map(|(_, r)| r.status.as_u16()).collect();
    assert!(
        statuses.contains(&200) && statuses.contains(&404),
        "{statuses:?}"
    );
    for (path, r) in &answers_tls {
        assert_always(path, r);
        assert_eq!(
            r.header("strict-transport-security"),
            Some("max-age=31536000; includeSubDomains"),
            "{path}"
        );
    }
    drop(answers_tls);
    drop(tls);

    let plain = TestApp::builder(backend)
        .public_url("http://desk.example")
        .empty()
        .await;
    for (path, r) in &answers(&plain).await {
        assert_always(path, r);
        assert_eq!(r.header("strict-transport-security"), None, "{path}");
    }
}
