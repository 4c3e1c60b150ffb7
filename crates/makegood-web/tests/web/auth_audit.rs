//! Sessions rotated on sign-in, sign-out that ends the session server-side, the sign-in
//! back-off, and the audit trail (API and page).

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

backend_tests!(
    signing_in_replaces_the_session_the_browser_carried,
    signing_out_ends_the_session_for_good,
    failed_sign_ins_back_off_even_for_the_right_password,
    unknown_emails_back_off_the_same_way,
    the_audit_api_lists_token_and_member_changes_for_admins,
    the_audit_page_shows_the_trail_in_the_viewers_time_zone,
);

const PASSWORD: &str = "correct horse battery";

fn cookie(r: &Resp, name: &str) -> Option<String> {
    r.headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| {
            c.split(';')
                .next()
                .filter(|kv| kv.starts_with(&format!("{name}=")))
                .map(str::to_owned)
        })
}

fn hidden(page: &Resp, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page
        .text
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} in {}", page.text))
        + marker.len();
    page.text[start..].split('"').next().unwrap().to_owned()
}

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

async fn audit_kinds(app: &TestApp, admin: &User, query: &str) -> Vec<String> {
    let r = app.get(&format!("/api/v1/audit{query}"), admin).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_owned())
        .collect()
}

async fn the_audit_api_lists_token_and_member_changes_for_admins(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let agent = app.user(Role::Agent).await;
    app.get("/api/v1/audit", &agent).await.problem(403);
    app.request("GET", "/api/v1/audit", None, None)
        .await
        .problem(401);
    // The admin's own calls so far are token uses, recorded once.
    // The agent's token (refused) and the admin's were used, each recorded once.
    assert_eq!(
        audit_kinds(&app, &admin, "").await,
        ["token_used", "token_used"]
    );
    assert_eq!(
        audit_kinds(&app, &admin, "").await,
        ["token_used", "token_used"],
        "not on every request"
    );

    let created = app
        .post("/api/v1/tokens", json!({"name": "ci"}), &agent)
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let id = created.json["token"]["id"].as_i64().unwrap();
    let secret = created.json["secret"].as_str().unwrap().to_owned();
    let ci = User {
        member: agent.member.clone(),
        token: secret,
    };
    assert_eq!(app.get("/api/v1/me", &ci).await.status, 200);
    app.advance(SignedDuration::from_mins(30));
    assert_eq!(app.get("/api/v1/me", &ci).await.status, 200);
    assert_eq!(
        app.request(
            "DELETE",
            &format!("/api/v1/tokens/{id}"),
            None,
            Some(&admin.token)
        )
        .await
        .status,
        204
    );
    let patched = app
        .request(
            "PATCH",
            &format!("/api/v1/members/{}", agent.member.id),
            Some(json!({"role": "supervisor", "remedy_authority": {"minor": 5000, "currency": "EUR"}})),
            Some(&admin.token),
        )
        .await;
    assert_eq!(patched.status, 200, "{}", patched.text);
    let off = app
        .request(
            "PATCH",
            &format!("/api/v1/members/{}", agent.member.id),
            Some(json!({"active": false})),
            Some(&admin.token),
        )
        .await;
    assert_eq!(off.status, 200, "{}", off.text);
    let added = app
        .post(
            "/api/v1/members",
            json!({"name": "Nel New", "email": "nel@acme.example", "role": "viewer"}),
            &admin,
        )
        .await;
    assert_eq!(added.status, 201, "{}", added.text);
    let policies = app.get("/api/v1/policies", &admin).await.json;
    let put = app
        .request(
            "PUT",
            "/api/v1/policies",
            Some(policies),
            Some(&admin.token),
        )
        .await;
    assert_eq!(put.status, 200, "{}", put.text);

    let trail = app
        .get(&format!("/api/v1/audit?member={}", agent.member.id), &admin)
        .await;
    let kinds: Vec<&str> = trail.json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "member_deactivated",
            "authority_changed",
            "role_changed",
            "token_revoked",
            "token_used",
            "token_created",
            "token_used",
        ],
        "{}",
        trail.text
    );
    let items = trail.json["items"].as_array().unwrap();
    assert_eq!(
        items[2]["detail"],
        json!({"from": "agent", "to": "supervisor"})
    );
    assert_eq!(items[2]["actor"], json!(admin.member.id));
    assert_eq!(items[2]["member"], json!(agent.member.id));
    assert_eq!(items[3]["detail"], json!({"token": id, "name": "ci"}));
    assert_eq!(
        items[3]["actor"],
        json!(admin.member.id),
        "the admin revoked it"
    );
    assert_eq!(items[5]["actor"], json!(agent.member.id));
    assert!(items[0]["at"].as_str().unwrap().ends_with('Z'));

    assert_eq!(
        audit_kinds(&app, &admin, "?kind=member_added").await,
        ["member_added"]
    );
    assert_eq!(
        audit_kinds(&app, &admin, "?kind=policies_changed").await,
        ["policies_changed"]
    );
    let bad = app.get("/api/v1/audit?kind=nonsense", &admin).await;
    assert_eq!(bad.problem(400)["errors"][0]["field"], "kind");
    assert_eq!(
        app.get("/api/v1/audit?limit=0", &admin).await.problem(422)["errors"][0]["field"],
        "limit"
    );

    // Pages of two walk the whole trail once.
    let all = audit_kinds(&app, &admin, "?limit=200").await;
    let mut walked = Vec::new();
    let mut next = Some(String::new());
    while let Some(cursor) = next {
        let r = app
            .get(&format!("/api/v1/audit?limit=2&cursor={cursor}"), &admin)
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        walked.extend(
            r.json["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["kind"].as_str().unwrap().to_owned()),
        );
        next = r.json["next_cursor"].as_str().map(str::to_owned);
    }
    assert_eq!(walked, all);
    assert_eq!(all.len(), 10, "{all:?}");
    let value: Value = app.get("/api/v1/audit?limit=1", &admin).await.json;
    assert!(value["next_cursor"].is_string());
}

async fn the_audit_page_shows_the_trail_in_the_viewers_time_zone(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let agent = app.user(Role::Agent).await;
    let mut agents = app.browser(agent.member.clone()).await;
    assert_eq!(agents.get("/settings/audit").await.status, 403);

    let mut browser = app.browser(admin.member.clone()).await;
    let empty = browser.get("/settings/audit").await;
    assert_eq!(empty.status, 200, "{}", empty.text);
    assert!(
        empty.text.contains("Nothing recorded yet."),
        "{}",
        empty.text
    );
    assert!(
        browser
            .get("/settings")
            .await
            .text
            .contains(r#"href="/settings/audit""#)
    );

    // The admin works in Berlin: 09:00 UTC reads 10:00 CET.
    let berlin = app
        .request(
            "PATCH",
            &format!("/api/v1/members/{}", admin.member.id),
            Some(json!({"time_zone": "Europe/Berlin"})),
            Some(&admin.token),
        )
        .await;
    assert_eq!(berlin.status, 200, "{}", berlin.text);
    let demoted = app
        .request(
            "PATCH",
            &format!("/api/v1/members/{}", agent.member.id),
            Some(json!({"role": "viewer"})),
            Some(&admin.token),
        )
        .await;
    assert_eq!(demoted.status, 200);
    let page = browser.get("/settings/audit").await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(page.text.contains("<td>Role changed</td>"), "{}", page.text);
    assert!(
        page.text.contains("from: agent, to: viewer"),
        "{}",
        page.text
    );
    assert!(page.text.contains("10:00 CET"), "{}", page.text);
    assert!(
        page.text.contains("<td>API token used</td>"),
        "{}",
        page.text
    );

    let filtered = browser.get("/settings/audit?kind=role_changed").await;
    assert!(filtered.text.contains("<td>Role changed</td>"));
    assert!(
        !filtered.text.contains("<td>API token used</td>"),
        "{}",
        filtered.text
    );
    let none = browser.get("/settings/audit?kind=sign_in_refused").await;
    assert!(
        none.text
            .contains("Nothing recorded that matches these filters."),
        "{}",
        none.text
    );
    let bad = browser.get("/settings/audit?kind=bogus&member=999").await;
    assert_eq!(bad.status, 200);
    assert!(
        bad.text.contains("showing everyone") || bad.text.contains("showing every kind"),
        "{}",
        bad.text
    );

    // Older events are a page away.
    for _ in 0..60 {
        app.store
            .record_audit(
                makegood_store::NewAuditEvent::new(AuditKind::SignInFailed, "x@acme.example"),
                app.now(),
            )
            .await
            .unwrap();
    }
    let first = browser.get("/settings/audit").await;
    let next = first.text.split("href=\"/settings/audit?").nth(1).map(|s| {
        s.split('"')
            .next()
            .unwrap()
            .replace("&#38;", "&")
            .replace("&amp;", "&")
    });
    let next = next.unwrap_or_else(|| panic!("no next link: {}", first.text));
    let older = browser.get(&format!("/settings/audit?{next}")).await;
    assert_eq!(older.status, 200);
    assert!(
        older.text.contains("<td>Role changed</td>"),
        "the oldest are on the second page: {next} {}",
        older.text
    );
    assert!(!first.text.contains("<td>Role changed</td>"));
}
