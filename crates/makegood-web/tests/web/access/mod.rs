//! The access-control walker beyond roles (roles.rs): every API route with a read-only token,
//! with the portal cookie of a contact of another account, and with guessed ids (IDOR).
//!
//! Ids of another organisation's objects are not a case here: there is one organisation per
//! database, so every id names something of the caller's own organisation or nothing.

use axum::body::Body;
use axum::http::{Request, header};
use makegood_domain::{Email, Origin, Role, Severity, TokenScope};
use makegood_store::testing::Backend;
use makegood_store::{Actor, NewAccount, NewContact, NewProblem, Quiet, backend_tests};
use serde_json::{Value, json};

use crate::common::{Resp, TestApp, User, sha256_hex};
use crate::fixture::{Team, World};
use crate::route_table::{Case, Ctx, cases, unique};

pub mod ids;
pub mod portal;

backend_tests!(
    a_read_only_token_reads_what_its_role_may_and_changes_nothing,
    read_only_tokens_are_made_by_the_api_and_listed_with_their_scope,
    my_account_makes_read_only_tokens_and_keeps_the_choice,
);

/// The detail of the refusal of a change with a read-only token.
pub const READ_ONLY: &str =
    "this API token is read-only; create a read-write token to change things";

/// The whole organisation as exported: equal before and after means nothing changed.
pub async fn snapshot(app: &TestApp) -> Vec<u8> {
    let mut out = Vec::new();
    app.store.export(&mut out, &Quiet).await.unwrap();
    out
}

/// Reads every API route once as an admin, so what reads refresh (health, reports) is fresh
/// before a snapshot.
pub async fn settle(app: &TestApp, world: &World, team: &Team) {
    // Each token's first use is recorded (`last_used_at`).
    for role in Role::ALL {
        let me = app.get("/api/v1/me", team.get(role)).await;
        assert!(me.status.is_success(), "{}", me.text);
    }
    let c = ctx(app, world, team, &team.admin, 1);
    for case in cases().iter().filter(|c| c.method == "GET") {
        let path = (case.path)(&c);
        let r = app.get(&path, &team.admin).await;
        assert!(r.status.is_success(), "GET {path}: {}", r.text);
    }
}

/// The lines of two snapshots that differ (empty when nothing changed).
pub fn changes(before: &[u8], after: &[u8]) -> String {
    let (before, after) = (
        String::from_utf8_lossy(before),
        String::from_utf8_lossy(after),
    );
    let old: Vec<&str> = before.lines().collect();
    let new: Vec<&str> = after.lines().collect();
    let mut out = Vec::new();
    for line in &old {
        if !new.contains(line) {
            out.push(format!("- {line}"));
        }
    }
    for line in &new {
        if !old.contains(line) {
            out.push(format!("+ {line}"));
        }
    }
    out.join("\n")
}

/// A read-only token for `member`, as a [`User`].
pub async fn read_only(app: &TestApp, user: &User) -> User {
    let token = format!("mg_readonly_{}_{}", user.member.id, unique());
    app.store
        .create_scoped_api_token(
            user.member.id,
            "dashboard",
            TokenScope::Read,
            &sha256_hex(&token),
            app.now(),
        )
        .await
        .unwrap();
    User {
        member: user.member.clone(),
        token,
    }
}

fn ctx<'a>(
    app: &'a TestApp,
    world: &'a World,
    team: &'a Team,
    caller: &'a User,
    spare_token: i64,
) -> Ctx<'a> {
    Ctx {
        app,
        world,
        team,
        caller,
        spare_token,
    }
}

async fn a_read_only_token_reads_what_its_role_may_and_changes_nothing(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    let world = World::new(&app, &team).await;
    let all = cases();
    let (reads, writes): (Vec<&Case>, Vec<&Case>) =
        all.iter().partition(|c| matches!(c.method, "GET" | "HEAD"));
    assert!(reads.len() > 30 && writes.len() > 50, "the table is thin");
    let mut checked = 0;
    for role in Role::ALL {
        let reader = read_only(&app, team.get(role)).await;
        let spare = app
            .store
            .create_api_token(
                reader.member.id,
                "spare",
                &sha256_hex(&format!("spare-{}", unique())),
                app.now(),
            )
            .await
            .unwrap()
            .id;
        let c = ctx(&app, &world, &team, &reader, spare);
        // Reads first: some refresh what is derived (health, reports) as they go, which is
        // not a change made with the token.
        for case in &reads {
            let path = (case.path)(&c);
            let r = app
                .request(case.method, &path, None, Some(&reader.token))
                .await;
            let what = format!("GET {path} read-only as {}", role.as_str());
            if case.allowed.contains(&role) {
                assert!(r.status.is_success(), "{what}: {} {}", r.status, r.text);
            } else {
                r.problem(403);
                assert_ne!(r.json["detail"], READ_ONLY, "{what}: the role refuses");
            }
            checked += 1;
        }
        let before = snapshot(&app).await;
        for case in &writes {
            let path = (case.path)(&c);
            let body = (case.body)(&c);
            let r = app
                .request(case.method, &path, body, Some(&reader.token))
                .await;
            let what = format!("{} {path} read-only as {}", case.method, role.as_str());
            assert_eq!(r.status.as_u16(), 403, "{what}: {}", r.text);
            assert_eq!(r.problem(403)["detail"], READ_ONLY, "{what}");
            checked += 1;
        }
        let changed = changes(&before, &snapshot(&app).await);
        assert!(
            changed.is_empty(),
            "a read-only token of a {} changed:\n{changed}",
            role.as_str()
        );
        // The member's read-write token still changes what the role allows.
        let r = app
            .request(
                "POST",
                "/api/v1/tokens",
                Some(json!({"name": "ci"})),
                Some(&team.get(role).token),
            )
            .await;
        assert_eq!(r.status.as_u16(), 201, "{}", r.text);
    }
    assert!(checked > 400, "only {checked} checks");
}

async fn read_only_tokens_are_made_by_the_api_and_listed_with_their_scope(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let agent = app.user(Role::Agent).await;
    let made = app
        .post(
            "/api/v1/tokens",
            json!({"name": "dashboard", "scope": "read"}),
            &agent,
        )
        .await;
    assert_eq!(made.status.as_u16(), 201, "{}", made.text);
    assert_eq!(made.json["token"]["scope"], "read");
    let reader = User {
        member: agent.member.clone(),
        token: made.json["secret"].as_str().unwrap().to_owned(),
    };
    assert_eq!(app.get("/api/v1/me", &reader).await.status.as_u16(), 200);
    let refused = app
        .post("/api/v1/accounts", json!({"name": "Contoso"}), &reader)
        .await;
    assert_eq!(refused.problem(403)["detail"], READ_ONLY);
    // Not even a way out: a read-only token cannot make itself a read-write one.
    let escalate = app
        .post(
            "/api/v1/tokens",
            json!({"name": "more", "scope": "write"}),
            &reader,
        )
        .await;
    assert_eq!(escalate.problem(403)["detail"], READ_ONLY);
    let plain = app
        .post("/api/v1/tokens", json!({"name": "laptop"}), &agent)
        .await;
    assert_eq!(
        plain.json["token"]["scope"], "write",
        "read-write by default"
    );
    let unknown = app
        .post(
            "/api/v1/tokens",
            json!({"name": "x", "scope": "admin"}),
            &agent,
        )
        .await;
    assert_eq!(unknown.status.as_u16(), 422, "{}", unknown.text);

    let listed = app.get("/api/v1/tokens", &agent).await;
    let scopes: Vec<(&str, &str)> = listed.json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["name"].as_str().unwrap(), t["scope"].as_str().unwrap()))
        .collect();
    assert!(scopes.contains(&("dashboard", "read")), "{scopes:?}");
    assert!(scopes.contains(&("laptop", "write")), "{scopes:?}");
    assert!(scopes.contains(&("tests", "write")), "{scopes:?}");
    let everyone = app.get("/api/v1/tokens", &admin).await;
    assert!(
        everyone.json["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["name"] == "dashboard" && t["scope"] == "read"),
        "{}",
        everyone.text
    );
}

async fn my_account_makes_read_only_tokens_and_keeps_the_choice(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let agent = app.user(Role::Agent).await;
    let mut browser = app.browser(agent.member.clone()).await;
    let write_checked = r#"name="scope" value="write" id="token_scope" checked"#;
    let read_checked = r#"name="scope" value="read" id="token_scope_read" checked"#;
    let me = browser.get("/me").await;
    assert!(
        me.text.contains(write_checked),
        "read-write by default: {}",
        me.text
    );
    assert!(!me.text.contains(read_checked));

    let refused = browser
        .post("/me/tokens", &[("name", " "), ("scope", "read")])
        .await;
    assert_eq!(refused.status.as_u16(), 422, "{}", refused.text);
    assert!(
        refused.text.contains(read_checked),
        "the choice is kept: {}",
        refused.text
    );
    assert!(!refused.text.contains(write_checked));
    let unknown = browser
        .post("/me/tokens", &[("name", "x"), ("scope", "admin")])
        .await;
    assert_eq!(unknown.status.as_u16(), 422, "{}", unknown.text);
    assert!(
        unknown.text.contains(r#"id="token_scope-error""#),
        "{}",
        unknown.text
    );

    let created = browser
        .post("/me/tokens", &[("name", "dashboard"), ("scope", "read")])
        .await;
    assert_eq!(created.status.as_u16(), 201, "{}", created.text);
    assert!(created.text.contains("read-only token"), "{}", created.text);
    let start = created.text.find("value=\"mg_").unwrap() + "value=\"".len();
    let secret = &created.text[start..start + created.text[start..].find('"').unwrap()];
    let reader = User {
        member: agent.member.clone(),
        token: secret.to_owned(),
    };
    assert_eq!(
        app.get("/api/v1/problems", &reader).await.status.as_u16(),
        200
    );
    let change = app
        .post("/api/v1/accounts", json!({"name": "Contoso"}), &reader)
        .await;
    assert_eq!(change.problem(403)["detail"], READ_ONLY);
    let plain = browser.post("/me/tokens", &[("name", "laptop")]).await;
    assert_eq!(plain.status.as_u16(), 201, "{}", plain.text);
    assert!(plain.text.contains("read-write token"), "{}", plain.text);

    let listed = browser.get("/me").await;
    let row = |name: &str| {
        let at = listed.text.find(&format!("<td>{name}</td>")).unwrap();
        listed.text[at..].split("</tr>").next().unwrap().to_owned()
    };
    assert!(row("dashboard").contains("read-only"), "{}", listed.text);
    assert!(row("laptop").contains("read-write"), "{}", listed.text);
    let mut settings = app.browser(admin.member.clone()).await;
    let all = settings.get("/settings/tokens").await;
    let at = all.text.find("<td>dashboard</td>").unwrap();
    let row = all.text[at..].split("</tr>").next().unwrap();
    assert!(row.contains("read-only"), "{}", all.text);
}
