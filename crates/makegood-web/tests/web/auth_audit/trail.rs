//! The audit trail as admins read it: the API and the page.

use super::*;

backend_tests!(
    the_audit_api_lists_token_and_member_changes_for_admins,
    the_audit_page_shows_the_trail_in_the_viewers_time_zone,
);

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
