//! Setup link, sign-in, session cookies and CSRF, through the pages.

use axum::body::Body;
use axum::http::{Request, header};
use makegood_domain::Role;
use makegood_store::backend_tests;
use makegood_store::testing::Backend;
use makegood_web::auth::{hash_password, issue_setup_token};
use serde_json::json;

use crate::common::{Resp, TestApp, new_member};

backend_tests!(
    the_setup_link_creates_the_first_admin_once,
    login_sessions_and_csrf,
    sessions_expire_after_fourteen_days,
);

/// The `name=value` of every cookie a response sets, and the full header lines.
fn set_cookies(r: &Resp) -> Vec<String> {
    r.headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect()
}

/// The `name=value` of the cookie `r` sets as `name`.
pub(crate) fn cookie(r: &Resp, name: &str) -> Option<String> {
    set_cookies(r).iter().find_map(|c| {
        c.split(';')
            .next()
            .filter(|kv| kv.starts_with(&format!("{name}=")))
            .map(str::to_owned)
    })
}

/// The value of the hidden field `name` on `page`.
pub(crate) fn hidden(page: &Resp, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page
        .text
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} in {}", page.text))
        + marker.len();
    page.text[start..].split('"').next().unwrap().to_owned()
}

async fn get_page(app: &TestApp, path: &str, cookies: &[&str]) -> Resp {
    let request = Request::get(path)
        .header(header::COOKIE, cookies.join("; "))
        .body(Body::empty())
        .unwrap();
    app.send(request).await
}

async fn post_form(app: &TestApp, path: &str, cookies: &[&str], form: &[(&str, &str)]) -> Resp {
    let body = serde_urlencoded::to_string(form).unwrap();
    let request = Request::post(path)
        .header(header::COOKIE, cookies.join("; "))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap();
    app.send(request).await
}

async fn the_setup_link_creates_the_first_admin_once(backend: Backend) {
    let app = TestApp::builder(backend).empty().await;
    assert!(
        get_page(&app, "/login", &[])
            .await
            .text
            .contains("not set up yet")
    );
    let secret = issue_setup_token(&app.store, app.now()).await.unwrap();
    assert_eq!(get_page(&app, "/setup?token=wrong", &[]).await.status, 404);

    let form = get_page(&app, &format!("/setup?token={secret}"), &[]).await;
    assert_eq!(form.status, 200, "{}", form.text);
    let csrf_cookie = cookie(&form, "makegood_form_csrf").unwrap();
    let csrf = hidden(&form, "csrf_token");
    let fields = |password: &'static str| {
        vec![
            ("token", secret.clone()),
            ("csrf_token", csrf.clone()),
            ("organisation", "Acme Recovery".into()),
            ("name", "Ada Admin".into()),
            ("email", "ada@acme.example".into()),
            ("password", password.into()),
            ("time_zone", "Europe/Berlin".into()),
        ]
    };
    let short = fields("short");
    let short: Vec<(&str, &str)> = short.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = post_form(&app, "/setup", &[&csrf_cookie], &short).await;
    assert_eq!(refused.status, 422);
    assert!(
        refused.text.contains("at least 10 characters"),
        "{}",
        refused.text
    );
    assert!(
        refused.text.contains("value=\"ada@acme.example\""),
        "input is kept"
    );
    assert!(
        !refused.text.contains("value=\"short\""),
        "passwords are not echoed"
    );

    let no_csrf = post_form(&app, "/setup", &[], &short).await;
    assert_eq!(no_csrf.status, 403);

    let good = fields("correct horse battery");
    let good: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let done = post_form(&app, "/setup", &[&csrf_cookie], &good).await;
    assert_eq!(done.status, 303, "{}", done.text);
    assert_eq!(done.header("location"), Some("/"));
    let line = set_cookies(&done)
        .into_iter()
        .find(|c| c.starts_with("makegood_session="))
        .unwrap();
    for flag in [
        "HttpOnly",
        "SameSite=Lax",
        "Secure",
        "Path=/",
        "Max-Age=1209600",
    ] {
        assert!(line.contains(flag), "{flag} missing in {line}");
    }
    let session = cookie(&done, "makegood_session").unwrap();
    let home = get_page(&app, "/", &[&session]).await;
    assert!(
        home.text
            .contains("Signed in as <strong>Ada Admin</strong>"),
        "{}",
        home.text
    );
    assert!(
        home.text.contains("/api/openapi.json"),
        "the footer links the API"
    );

    assert_eq!(
        get_page(&app, &format!("/setup?token={secret}"), &[])
            .await
            .status,
        404,
        "single use"
    );
    assert_eq!(
        post_form(&app, "/setup", &[&csrf_cookie], &good)
            .await
            .status,
        404
    );
}

async fn login_sessions_and_csrf(backend: Backend) {
    let app = TestApp::builder(backend)
        .public_url("http://127.0.0.1:8080")
        .empty()
        .await;
    let hash = hash_password("correct horse battery").unwrap();
    app.store
        .initialise(
            "Acme",
            new_member("Ada Admin", Role::Admin, Some(hash)),
            app.now(),
        )
        .await
        .unwrap();

    let anonymous = get_page(&app, "/", &[]).await;
    assert_eq!(anonymous.status, 303);
    assert_eq!(anonymous.header("location"), Some("/login"));

    let form = get_page(&app, "/login", &[]).await;
    let csrf_cookie = cookie(&form, "makegood_form_csrf").unwrap();
    let csrf = hidden(&form, "csrf_token");
    let login = |email: &'static str, password: &'static str| {
        let csrf = csrf.clone();
        let csrf_cookie = csrf_cookie.clone();
        let app = &app;
        async move {
            post_form(
                app,
                "/login",
                &[&csrf_cookie],
                &[
                    ("email", email),
                    ("password", password),
                    ("csrf_token", &csrf),
                ],
            )
            .await
        }
    };

    for (email, password) in [
        ("ada@acme.example", "wrong password!"),
        ("nobody@acme.example", "correct horse battery"),
    ] {
        let wrong = login(email, password).await;
        assert_eq!(wrong.status, 401);
        assert!(wrong.text.contains("The email or password is wrong."));
        assert!(wrong.text.contains(&format!("value=\"{email}\"")));
    }

    let ok = login("ada@acme.example", "correct horse battery").await;
    assert_eq!(ok.status, 303, "{}", ok.text);
    let line = set_cookies(&ok)
        .into_iter()
        .find(|c| c.starts_with("makegood_session="))
        .unwrap();
    assert!(line.contains("HttpOnly") && line.contains("SameSite=Lax"));
    assert!(
        !line.contains("Secure"),
        "no Secure over plain http: {line}"
    );
    let session = cookie(&ok, "makegood_session").unwrap();

    // The cookie works for the API; unsafe methods need the session's CSRF token.
    let me = get_page(&app, "/api/v1/me", &[&session]).await;
    let token = me.json["csrf_token"].as_str().unwrap().to_owned();
    let create = |csrf: Option<&str>| {
        let mut request = Request::post("/api/v1/accounts")
            .header(header::COOKIE, session.clone())
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(csrf) = csrf {
            request = request.header("x-csrf-token", csrf);
        }
        request
            .body(Body::from(json!({"name": "Northwind"}).to_string()))
            .unwrap()
    };
    app.send(create(None)).await.problem(403);
    app.send(create(Some("guess"))).await.problem(403);
    let account = app.send(create(Some(&token))).await;
    assert_eq!(account.status, 201);

    // Home lists what needs the member now, with time left.
    let home = get_page(&app, "/", &[&session]).await;
    assert!(
        home.text.contains("Nothing needs doing right now"),
        "{}",
        home.text
    );
    let problem = Request::post("/api/v1/problems")
        .header(header::COOKIE, session.clone())
        .header(header::CONTENT_TYPE, "application/json")
        .header("x-csrf-token", &token)
        .body(Body::from(
            json!({"title": "Export stopped", "severity": "critical", "origin": "ours",
                   "accounts": [account.json["id"]]})
            .to_string(),
        ))
        .unwrap();
    assert_eq!(app.send(problem).await.status, 201);
    let home = get_page(&app, "/", &[&session]).await;
    assert!(
        home.text.contains("Tell Northwind about MG-1"),
        "{}",
        home.text
    );
    assert!(
        home.text.contains("1h left"),
        "a critical problem is told within 1 h: {}",
        home.text
    );

    // Sessions last 14 days.
    app.advance(jiff::SignedDuration::from_hours(13 * 24));
    let home = get_page(&app, "/", &[&session]).await;
    let logout_csrf = hidden(&home, "csrf_token");
    assert_eq!(
        post_form(&app, "/logout", &[&session], &[("csrf_token", "nope")])
            .await
            .status,
        403
    );
    let out = post_form(
        &app,
        "/logout",
        &[&session],
        &[("csrf_token", &logout_csrf)],
    )
    .await;
    assert_eq!(out.status, 303);
    assert_eq!(
        get_page(&app, "/", &[&session]).await.status,
        303,
        "the session is gone"
    );
    get_page(&app, "/api/v1/me", &[&session]).await.problem(401);
}

async fn sessions_expire_after_fourteen_days(backend: Backend) {
    let app = TestApp::builder(backend).empty().await;
    let hash = hash_password("correct horse battery").unwrap();
    app.store
        .initialise(
            "Acme",
            new_member("Ada Admin", Role::Admin, Some(hash)),
            app.now(),
        )
        .await
        .unwrap();
    let form = get_page(&app, "/login", &[]).await;
    let csrf_cookie = cookie(&form, "makegood_form_csrf").unwrap();
    let csrf = hidden(&form, "csrf_token");
    let fields = [
        ("email", "ada@acme.example"),
        ("password", "correct horse battery"),
        ("csrf_token", &csrf),
    ];
    let session = cookie(
        &post_form(&app, "/login", &[&csrf_cookie], &fields).await,
        "makegood_session",
    )
    .unwrap();
    assert_eq!(get_page(&app, "/", &[&session]).await.status, 200);
    app.advance(jiff::SignedDuration::from_hours(14 * 24 + 1));
    assert_eq!(get_page(&app, "/", &[&session]).await.status, 303);
    get_page(&app, "/api/v1/me", &[&session]).await.problem(401);
}
