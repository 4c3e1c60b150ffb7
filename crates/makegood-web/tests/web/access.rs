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

backend_tests!(
    a_read_only_token_reads_what_its_role_may_and_changes_nothing,
    read_only_tokens_are_made_by_the_api_and_listed_with_their_scope,
    a_portal_contact_gets_nothing_from_the_team_api_and_404_for_another_account,
    guessed_ids_are_404_on_every_id_bearing_route,
    another_members_token_is_not_found_and_keeps_working,
    my_account_makes_read_only_tokens_and_keeps_the_choice,
);

/// The detail of the refusal of a change with a read-only token.
pub const READ_ONLY: &str = "this API token is read-only; create a read-write token to change things";

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
    let (before, after) = (String::from_utf8_lossy(before), String::from_utf8_lossy(after));
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
            let r = app.request(case.method, &path, None, Some(&reader.token)).await;
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
    assert_eq!(plain.json["token"]["scope"], "write", "read-write by default");
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

/// A contact of an account the world's problems do not affect, signed in to the portal: the
/// cookies their browser holds.
async fn stranger(app: &TestApp, team: &Team) -> (String, i64) {
    let store = &app.store;
    let account = store
        .create_account(NewAccount {
            name: "Globex".into(),
            parent: None,
            tier: None,
        })
        .await
        .unwrap();
    let contact = store
        .create_contact(NewContact {
            account: account.id,
            name: "Bob Brand".into(),
            role_title: "Buyer".into(),
            email: Some(Email::parse(&format!("bob{}@globex.example", unique())).unwrap()),
            phone: None,
        })
        .await
        .unwrap();
    let own = store
        .create_problem(
            Actor {
                member: team.admin.member.id,
                now: app.now(),
            },
            NewProblem {
                title: "Globex labels smudged".into(),
                description: String::new(),
                origin: Origin::Ours,
                vendor: None,
                severity: Severity::Minor,
                category: "software".into(),
                owner: team.agent.member.id,
                accounts: vec![account.id],
                stakeholders: vec![contact.id],
                detected_at: None,
                include_locations: false,
                all_stakeholders: false,
            },
        )
        .await
        .unwrap();
    let secret = store
        .issue_portal_link(contact.id, None, None, app.now())
        .await
        .unwrap()
        .secret;
    let mut jar = Jar::default();
    let page = jar.send(app, "GET", &format!("/portal/link/{secret}"), &[]).await;
    assert_eq!(page.status.as_u16(), 200, "{}", page.text);
    let csrf = csrf_of(&page);
    let signed = jar
        .send(
            app,
            "POST",
            &format!("/portal/link/{secret}"),
            &[("csrf_token", &csrf)],
        )
        .await;
    assert!(signed.status.is_redirection(), "{}", signed.text);
    let list = jar.send(app, "GET", "/portal", &[]).await;
    assert!(
        list.text.contains("Globex labels smudged"),
        "signed in: {}",
        list.text
    );
    (jar.header(), own.problem.id.0)
}

/// The cookies a browser keeps.
#[derive(Default)]
pub struct Jar(Vec<(String, String)>);

impl Jar {
    pub fn header(&self) -> String {
        self.0
            .iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// Sends a request (a form when `form` is not empty), keeping the cookies set.
    pub async fn send(
        &mut self,
        app: &TestApp,
        method: &str,
        path: &str,
        form: &[(&str, &str)],
    ) -> Resp {
        let r = send_with_cookies(app, method, path, &self.header(), form, None).await;
        for c in r.headers.get_all(header::SET_COOKIE) {
            let c = c.to_str().unwrap();
            let (name, value) = c.split(';').next().unwrap().split_once('=').unwrap();
            self.0.retain(|(n, _)| n != name);
            if !value.is_empty() && !c.contains("Max-Age=0") {
                self.0.push((name.to_owned(), value.to_owned()));
            }
        }
        r
    }
}

/// A request with these cookies: a form when `form` is given, else JSON `json` if any.
pub async fn send_with_cookies(
    app: &TestApp,
    method: &str,
    path: &str,
    cookies: &str,
    form: &[(&str, &str)],
    json: Option<Value>,
) -> Resp {
    let builder = Request::builder()
        .method(method)
        .uri(path)
        .header(header::COOKIE, cookies);
    let request = if !form.is_empty() {
        builder
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(serde_urlencoded::to_string(form).unwrap()))
    } else if let Some(json) = json {
        builder
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(json.to_string()))
    } else {
        builder.body(Body::empty())
    };
    app.send(request.unwrap()).await
}

/// The CSRF token of a page's first form.
pub fn csrf_of(page: &Resp) -> String {
    let needle = "name=\"csrf_token\" value=\"";
    let at = page
        .text
        .find(needle)
        .unwrap_or_else(|| panic!("no csrf token in {}", page.text))
        + needle.len();
    page.text[at..].split('"').next().unwrap().to_owned()
}

async fn a_portal_contact_gets_nothing_from_the_team_api_and_404_for_another_account(
    backend: Backend,
) {
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    let world = World::new(&app, &team).await;
    let (cookies, own) = stranger(&app, &team).await;
    settle(&app, &world, &team).await;
    let before = snapshot(&app).await;
    // Every API route: 401, as if nobody had signed in.
    let nobody = User {
        member: team.viewer.member.clone(),
        token: String::new(),
    };
    let c = ctx(&app, &world, &team, &nobody, 1);
    for case in cases() {
        let path = (case.path)(&c);
        let r = send_with_cookies(&app, case.method, &path, &cookies, &[], (case.body)(&c)).await;
        assert_eq!(
            r.status.as_u16(),
            401,
            "{} {path} with a portal cookie: {}",
            case.method,
            r.text
        );
        r.problem(401);
    }
    // Every member page (and form): off to the team's sign-in, never the page.
    let pages = crate::page_table::cases();
    let pc = Ctx {
        app: &app,
        world: &world,
        team: &team,
        caller: &nobody,
        spare_token: 1,
    };
    for case in &pages {
        let path = (case.path)(&pc);
        let form = (case.form)(&pc);
        let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = send_with_cookies(&app, case.method, &path, &cookies, &fields, None).await;
        crate::access_pages::to_sign_in(&r, case.method, &path);
    }
    // Every portal route of another account's problem: the 404 of a missing one.
    let theirs = world.problem.problem.id.0;
    let mut jar = Jar(
        cookies
            .split("; ")
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect(),
    );
    let mine = jar.send(&app, "GET", &format!("/portal/problems/{own}"), &[]).await;
    assert_eq!(mine.status.as_u16(), 200, "their own problem: {}", mine.text);
    let csrf = csrf_of(&mine);
    let missing = jar.send(&app, "GET", "/portal/problems/999999", &[]).await;
    let other = jar
        .send(&app, "GET", &format!("/portal/problems/{theirs}"), &[])
        .await;
    assert_eq!(missing.status.as_u16(), 404);
    assert_eq!((other.status, &other.text), (missing.status, &missing.text));
    assert!(!other.text.contains("Invoices fail"));
    let form = [
        ("csrf_token", csrf.as_str()),
        ("body", "hello"),
        ("rating", "5"),
        ("recommend", "10"),
    ];
    for action in ["reply", "confirm", "survey"] {
        let missing = jar
            .send(&app, "POST", &format!("/portal/problems/999999/{action}"), &form)
            .await;
        let other = jar
            .send(
                &app,
                "POST",
                &format!("/portal/problems/{theirs}/{action}"),
                &form,
            )
            .await;
        assert_eq!(missing.status.as_u16(), 404, "{action}: {}", missing.text);
        assert_eq!(
            (other.status, &other.text),
            (missing.status, &missing.text),
            "{action}"
        );
    }
    let changed = changes(&before, &snapshot(&app).await);
    assert!(
        changed.is_empty(),
        "a portal contact of another account changed:\n{changed}"
    );
}

/// `path` with every id in it (a number or a problem key) replaced by one that names nothing.
pub fn guessed(path: &str) -> Option<String> {
    let (path, query) = match path.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (path, None),
    };
    let mut any = false;
    let segments: Vec<String> = path
        .split('/')
        .map(|seg| {
            if seg.starts_with("MG-") {
                any = true;
                "MG-999999".to_owned()
            } else if seg.parse::<i64>().is_ok() {
                any = true;
                "999999".to_owned()
            } else {
                seg.to_owned()
            }
        })
        .collect();
    let path = segments.join("/");
    any.then(|| match query {
        Some(q) => format!("{path}?{q}"),
        None => path,
    })
}

async fn guessed_ids_are_404_on_every_id_bearing_route(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    let world = World::new(&app, &team).await;
    settle(&app, &world, &team).await;
    let before = snapshot(&app).await;
    let mut checked = 0;
    let mut wrong = Vec::new();
    for role in [Role::Admin, Role::Viewer] {
        let caller = team.get(role);
        let c = ctx(&app, &world, &team, caller, 1);
        for case in cases() {
            let Some(path) = guessed(&(case.path)(&c)) else {
                continue;
            };
            let r = app
                .request(case.method, &path, (case.body)(&c), Some(&caller.token))
                .await;
            // A role that may not do it at all may be told so first; never 200, never 500.
            let expected: &[u16] = if case.allowed.contains(&role) {
                &[404]
            } else {
                &[403, 404]
            };
            let problem_json = r.header("content-type") == Some("application/problem+json");
            if !expected.contains(&r.status.as_u16()) || !problem_json {
                wrong.push(format!(
                    "{} {path} as {}: {} {}",
                    case.method,
                    role.as_str(),
                    r.status,
                    r.text
                ));
            }
            checked += 1;
        }
    }
    assert!(wrong.is_empty(), "guessed ids answered:\n{}", wrong.join("\n"));
    assert!(checked > 100, "only {checked} id-bearing checks");
    let changed = changes(&before, &snapshot(&app).await);
    assert!(changed.is_empty(), "a guessed id changed:\n{changed}");
}

async fn another_members_token_is_not_found_and_keeps_working(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    let admins = app.store.list_api_tokens(Some(team.admin.member.id)).await.unwrap();
    let theirs = admins[0].id;
    for role in [Role::Supervisor, Role::Agent, Role::Viewer] {
        let caller = team.get(role);
        // The API: another member's token is not found (not forbidden, which would say it
        // exists), the same as a missing one.
        let r = app
            .request("DELETE", &format!("/api/v1/tokens/{theirs}"), None, Some(&caller.token))
            .await;
        let missing = app
            .request("DELETE", "/api/v1/tokens/999999", None, Some(&caller.token))
            .await;
        r.problem(404);
        assert_eq!(r.json["detail"], missing.json["detail"]);
        // The pages: My account revokes only one's own; the settings list is admins' only.
        let mut browser = app.browser(caller.member.clone()).await;
        let own_page = browser.post(&format!("/me/tokens/{theirs}/revoke"), &[]).await;
        assert_eq!(own_page.status.as_u16(), 404, "{}", own_page.text);
        let settings = browser
            .post(&format!("/settings/tokens/{theirs}/revoke"), &[])
            .await;
        assert_eq!(settings.status.as_u16(), 403, "{}", settings.text);
        // Preferences and the calendar feed have no id: each member's own, by the session
        // or token. Changing mine leaves the admin's alone.
        let mine = json!({"email_alerts": false, "daily_digest": false});
        let before = app.get("/api/v1/me/preferences", &team.admin).await.json;
        let put = app
            .request(
                "PUT",
                "/api/v1/me/preferences",
                Some(merge(before.clone(), mine)),
                Some(&caller.token),
            )
            .await;
        assert!(put.status.is_success(), "{}", put.text);
        assert_eq!(
            app.get("/api/v1/me/preferences", &team.admin).await.json,
            before
        );
        let feed = app
            .request("DELETE", "/api/v1/me/calendar-feed", None, Some(&caller.token))
            .await;
        assert!(feed.status.is_success(), "{}", feed.text);
    }
    assert_eq!(app.get("/api/v1/me", &team.admin).await.status.as_u16(), 200);
    assert!(app.store.api_token(theirs).await.is_ok(), "still not revoked");
}

fn merge(mut base: Value, over: Value) -> Value {
    if let (Some(b), Some(o)) = (base.as_object_mut(), over.as_object()) {
        for (k, v) in o {
            b.insert(k.clone(), v.clone());
        }
    }
    base
}

async fn my_account_makes_read_only_tokens_and_keeps_the_choice(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let agent = app.user(Role::Agent).await;
    let mut browser = app.browser(agent.member.clone()).await;
    let write_checked = r#"name="scope" value="write" id="token_scope" checked"#;
    let read_checked = r#"name="scope" value="read" id="token_scope_read" checked"#;
    let me = browser.get("/me").await;
    assert!(me.text.contains(write_checked), "read-write by default: {}", me.text);
    assert!(!me.text.contains(read_checked));

    let refused = browser
        .post("/me/tokens", &[("name", " "), ("scope", "read")])
        .await;
    assert_eq!(refused.status.as_u16(), 422, "{}", refused.text);
    assert!(refused.text.contains(read_checked), "the choice is kept: {}", refused.text);
    assert!(!refused.text.contains(write_checked));
    let unknown = browser
        .post("/me/tokens", &[("name", "x"), ("scope", "admin")])
        .await;
    assert_eq!(unknown.status.as_u16(), 422, "{}", unknown.text);
    assert!(unknown.text.contains(r#"id="token_scope-error""#), "{}", unknown.text);

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
    assert_eq!(app.get("/api/v1/problems", &reader).await.status.as_u16(), 200);
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
