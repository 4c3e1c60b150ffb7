//! Every API route × every role: allowed roles get 2xx, others 403 problem+json, nobody 401.

use std::sync::atomic::{AtomicU32, Ordering};

use makegood_domain::{Policies, Role};
use serde_json::{Value, json};

use crate::common::{TestApp, User, sha256_hex};
use crate::fixture::{Team, World};

/// What a case's builders see.
struct Ctx<'a> {
    app: &'a TestApp,
    world: &'a World,
    team: &'a Team,
    caller: &'a User,
    spare_token: i64,
}

type PathFn = fn(&Ctx) -> String;
type BodyFn = fn(&Ctx) -> Option<Value>;

struct Case {
    method: &'static str,
    path: PathFn,
    body: BodyFn,
    allowed: &'static [Role],
}

const ALL: &[Role] = &[Role::Admin, Role::Supervisor, Role::Agent, Role::Viewer];
const WORKERS: &[Role] = &[Role::Admin, Role::Supervisor, Role::Agent];
const LEADS: &[Role] = &[Role::Admin, Role::Supervisor];
const ADMIN: &[Role] = &[Role::Admin];

fn none(_: &Ctx) -> Option<Value> {
    None
}

fn unique() -> u32 {
    static N: AtomicU32 = AtomicU32::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

fn problem(c: &Ctx) -> String {
    format!("/api/v1/problems/{}", c.world.problem.problem.number)
}

fn promise_body(c: &Ctx, made_by: Option<&User>) -> Option<Value> {
    let mut body = json!({
        "what": "A call every morning",
        "contacts": [c.world.contact.id],
        "problem": c.world.problem.problem.number.to_string(),
        "due_at": c.app.in_hours(24),
    });
    if let Some(user) = made_by {
        body["made_by"] = json!(user.member.id);
    }
    Some(body)
}

fn cases() -> Vec<Case> {
    macro_rules! case {
        ($method:literal, $path:expr, $body:expr, $allowed:expr) => {
            Case {
                method: $method,
                path: $path,
                body: $body,
                allowed: $allowed,
            }
        };
    }
    vec![
        case!("GET", |_| "/api/v1/me".into(), none, ALL),
        // members
        case!("GET", |_| "/api/v1/members".into(), none, ALL),
        case!(
            "GET",
            |c| format!("/api/v1/members/{}", c.team.agent.member.id),
            none,
            ALL
        ),
        case!(
            "POST",
            |_| "/api/v1/members".into(),
            |_| Some(json!({
                "name": "New Person", "email": format!("new{}@acme.example", unique()), "role": "agent"
            })),
            ADMIN
        ),
        case!(
            "PATCH",
            |c| format!("/api/v1/members/{}", c.team.viewer.member.id),
            |_| Some(json!({"name": "Vera Viewer"})),
            ADMIN
        ),
        // accounts
        case!("GET", |_| "/api/v1/accounts".into(), none, ALL),
        case!(
            "GET",
            |c| format!("/api/v1/accounts/{}", c.world.account.id),
            none,
            ALL
        ),
        case!(
            "POST",
            |_| "/api/v1/accounts".into(),
            |_| Some(json!({"name": "Contoso"})),
            WORKERS
        ),
        case!(
            "PATCH",
            |c| format!("/api/v1/accounts/{}", c.world.account.id),
            |_| Some(json!({"tier": "gold"})),
            WORKERS
        ),
        case!(
            "DELETE",
            |c| format!("/api/v1/accounts/{}", c.world.spare_account.id),
            none,
            WORKERS
        ),
        // contacts
        case!("GET", |_| "/api/v1/contacts".into(), none, ALL),
        case!(
            "GET",
            |c| format!("/api/v1/contacts/{}", c.world.contact.id),
            none,
            ALL
        ),
        case!(
            "POST",
            |_| "/api/v1/contacts".into(),
            |c| Some(json!({
                "account": c.world.account.id, "name": "Pat Purchaser", "role_title": "Purchasing", "email": "pat@northwind.example"
            })),
            WORKERS
        ),
        case!(
            "PATCH",
            |c| format!("/api/v1/contacts/{}", c.world.contact.id),
            |_| Some(json!({"phone": "+44 20 1234"})),
            WORKERS
        ),
        case!(
            "DELETE",
            |c| format!("/api/v1/contacts/{}", c.world.spare_contact.id),
            none,
            WORKERS
        ),
        // vendors
        case!("GET", |_| "/api/v1/vendors".into(), none, ALL),
        case!(
            "GET",
            |c| format!("/api/v1/vendors/{}", c.world.vendor.id),
            none,
            ALL
        ),
        case!(
            "POST",
            |_| "/api/v1/vendors".into(),
            |_| Some(json!({"name": "CloudCo"})),
            WORKERS
        ),
        case!(
            "PATCH",
            |c| format!("/api/v1/vendors/{}", c.world.vendor.id),
            |_| Some(json!({"email": null})),
            WORKERS
        ),
        case!(
            "DELETE",
            |c| format!("/api/v1/vendors/{}", c.world.spare_vendor.id),
            none,
            WORKERS
        ),
        // problems
        case!("GET", |_| "/api/v1/problems".into(), none, ALL),
        case!("GET", problem, none, ALL),
        case!("GET", |c| format!("{}/timeline", problem(c)), none, ALL),
        case!(
            "POST",
            |_| "/api/v1/problems".into(),
            |c| Some(json!({
                "title": "Report export broken", "origin": "ours", "severity": "minor", "accounts": [c.world.account.id]
            })),
            WORKERS
        ),
        case!(
            "PATCH",
            problem,
            |_| Some(json!({"severity": "critical"})),
            WORKERS
        ),
        case!(
            "POST",
            |c| format!("{}/updates", problem(c)),
            |_| Some(json!({"body": "We are on it."})),
            WORKERS
        ),
        case!(
            "POST",
            |c| format!("{}/notes", problem(c)),
            |_| Some(json!({"body": "Log rotated."})),
            WORKERS
        ),
        case!(
            "POST",
            |c| format!("{}/wait", problem(c)),
            |_| Some(json!({"on": "customer", "reason": "needs a sample"})),
            WORKERS
        ),
        case!(
            "POST",
            |c| format!("/api/v1/problems/{}/resume", c.world.waiting.problem.number),
            none,
            WORKERS
        ),
        case!(
            "POST",
            |c| format!("{}/fix", problem(c)),
            |_| Some(json!({"summary": "Patched"})),
            WORKERS
        ),
        case!("POST", |c| format!("{}/confirm", problem(c)), none, WORKERS),
        case!(
            "POST",
            |c| format!("{}/close", problem(c)),
            |_| Some(json!({"outcome": "retained"})),
            WORKERS
        ),
        case!(
            "POST",
            |c| format!("/api/v1/problems/{}/reopen", c.world.fixed.problem.number),
            |_| Some(json!({"reason": "back again"})),
            WORKERS
        ),
        // the agent owns `problem` and may hand it on; only leads reassign others' problems
        case!(
            "POST",
            |c| format!("{}/owner", problem(c)),
            |c| Some(json!({"owner": c.team.supervisor.member.id})),
            WORKERS
        ),
        case!(
            "POST",
            |c| format!(
                "/api/v1/problems/{}/owner",
                c.world.supervisors_problem.problem.number
            ),
            |c| Some(json!({"owner": c.team.agent.member.id})),
            LEADS
        ),
        // promises
        case!("GET", |_| "/api/v1/promises".into(), none, ALL),
        case!(
            "GET",
            |c| format!("/api/v1/promises/{}", c.world.agents_promise.promise.id),
            none,
            ALL
        ),
        case!(
            "POST",
            |_| "/api/v1/promises".into(),
            |c| promise_body(c, None),
            WORKERS
        ),
        case!(
            "POST",
            |_| "/api/v1/promises".into(),
            |c| promise_body(c, Some(&c.team.supervisor)),
            LEADS
        ),
        case!(
            "POST",
            |c| format!(
                "/api/v1/promises/{}/keep",
                c.world.agents_promise.promise.id
            ),
            none,
            WORKERS
        ),
        case!(
            "POST",
            |c| format!(
                "/api/v1/promises/{}/keep",
                c.world.supervisors_promise.promise.id
            ),
            none,
            LEADS
        ),
        case!(
            "POST",
            |c| format!(
                "/api/v1/promises/{}/renegotiate",
                c.world.agents_promise.promise.id
            ),
            |c| Some(json!({"due_at": c.app.in_hours(96), "reason": "the vendor needs a week"})),
            WORKERS
        ),
        case!(
            "POST",
            |c| format!(
                "/api/v1/promises/{}/renegotiate",
                c.world.supervisors_promise.promise.id
            ),
            |c| Some(json!({"due_at": c.app.in_hours(96), "reason": "the vendor needs a week"})),
            LEADS
        ),
        case!(
            "POST",
            |c| format!(
                "/api/v1/promises/{}/release",
                c.world.agents_promise.promise.id
            ),
            |_| Some(json!({"reason": "no longer needed"})),
            WORKERS
        ),
        case!(
            "POST",
            |c| format!(
                "/api/v1/promises/{}/release",
                c.world.supervisors_promise.promise.id
            ),
            |_| Some(json!({"reason": "no longer needed"})),
            LEADS
        ),
        // duties, policies, tokens
        case!("GET", |_| "/api/v1/duties".into(), none, ALL),
        case!("GET", |_| "/api/v1/duties?for=everyone".into(), none, ALL),
        case!("GET", |_| "/api/v1/policies".into(), none, ALL),
        case!(
            "PUT",
            |_| "/api/v1/policies".into(),
            |_| Some(serde_json::to_value(Policies::default()).unwrap()),
            ADMIN
        ),
        case!("GET", |_| "/api/v1/tokens".into(), none, ALL),
        case!(
            "POST",
            |_| "/api/v1/tokens".into(),
            |_| Some(json!({"name": "laptop"})),
            ALL
        ),
        case!(
            "DELETE",
            |c| format!("/api/v1/tokens/{}", c.spare_token),
            none,
            ALL
        ),
    ]
}

#[tokio::test]
async fn every_route_for_every_role() {
    let (app, admin) = TestApp::new().await;
    let team = Team::new(&app, admin).await;
    let shared = World::new(&app, &team).await;
    let mut checked = 0;
    for case in cases() {
        for role in [Role::Viewer, Role::Agent, Role::Supervisor, Role::Admin] {
            let caller = team.get(role);
            let allowed = case.allowed.contains(&role);
            // A fresh world for each change that is allowed to happen, so one role's change
            // does not stand in the way of the next.
            let fresh = (allowed && case.method != "GET").then(|| World::new(&app, &team));
            let fresh = match fresh {
                Some(f) => Some(f.await),
                None => None,
            };
            let world = fresh.as_ref().unwrap_or(&shared);
            let hash = sha256_hex(&format!("spare-{}", unique()));
            let spare_token = app
                .store
                .create_api_token(caller.member.id, "spare", &hash, app.now())
                .await
                .unwrap()
                .id;
            let ctx = Ctx {
                app: &app,
                world,
                team: &team,
                caller,
                spare_token,
            };
            let path = (case.path)(&ctx);
            let body = (case.body)(&ctx);

            let anonymous = app.request(case.method, &path, body.clone(), None).await;
            anonymous.problem(401);

            let response = app
                .request(case.method, &path, body, Some(&ctx.caller.token))
                .await;
            let what = format!("{} {path} as {}", case.method, role.as_str());
            if allowed {
                assert!(
                    response.status.is_success(),
                    "{what}: {} {}",
                    response.status,
                    response.text
                );
            } else {
                assert_eq!(response.status.as_u16(), 403, "{what}: {}", response.text);
                response.problem(403);
            }
            checked += 1;
        }
    }
    assert!(checked >= 200, "only {checked} checks");
}

#[tokio::test]
async fn the_matrix_covers_every_documented_operation() {
    let documented: usize = makegood_web::openapi()
        .paths
        .paths
        .values()
        .map(|item| {
            [&item.get, &item.post, &item.put, &item.patch, &item.delete]
                .iter()
                .filter(|o| o.is_some())
                .count()
        })
        .sum();
    let mut covered: Vec<(String, String)> = Vec::new();
    let (app, admin) = TestApp::new().await;
    let team = Team::new(&app, admin).await;
    let world = World::new(&app, &team).await;
    for case in cases() {
        let ctx = Ctx {
            app: &app,
            world: &world,
            team: &team,
            caller: &team.admin,
            spare_token: 1,
        };
        let path = (case.path)(&ctx);
        let template = path
            .split('?')
            .next()
            .unwrap_or_default()
            .split('/')
            .map(|seg| {
                if seg.starts_with("MG-") || seg.parse::<i64>().is_ok() {
                    "{}"
                } else {
                    seg
                }
            })
            .collect::<Vec<_>>()
            .join("/");
        if !covered.contains(&(case.method.to_owned(), template.clone())) {
            covered.push((case.method.to_owned(), template));
        }
    }
    assert_eq!(
        covered.len(),
        documented,
        "routes in the matrix: {covered:?}"
    );
}
