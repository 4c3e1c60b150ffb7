//! Every member page and form × every role: allowed roles get their page (2xx) or are sent on
//! (3xx), others the 403 page; nobody signed in is sent to sign in. A coverage check holds the
//! table against the router's `.route(` calls, so a new page cannot be left out.

use std::path::Path;

use makegood_domain::Role;
use makegood_store::backend_tests;
use makegood_store::testing::Backend;

use crate::access::ids::guessed;
use crate::access::portal::send_with_cookies;
use crate::access::{changes, snapshot};
use crate::common::{Resp, TestApp, sha256_hex};
use crate::fixture::{Team, World};
use crate::page_table::{Ctx, Expect, PUBLIC, cases};
use crate::route_table::unique;

backend_tests!(
    every_page_for_every_role,
    guessed_ids_on_pages_are_not_found,
    the_page_table_covers_every_route_of_the_router,
);

/// Asserts `r` sends the browser to the team's sign-in page, with nothing of the page.
#[track_caller]
pub fn to_sign_in(r: &Resp, method: &str, path: &str) {
    assert_eq!(
        r.status.as_u16(),
        303,
        "{method} {path} signed out: {}",
        r.text
    );
    let to = r.header("location").unwrap_or_default();
    assert!(to.starts_with("/login"), "{method} {path} went to {to}");
    assert!(r.text.is_empty(), "{method} {path} answered {}", r.text);
}

async fn every_page_for_every_role(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    let shared = World::new(&app, &team).await;
    let mut browsers = Vec::new();
    for role in Role::ALL {
        browsers.push((role, app.browser(team.get(role).member.clone()).await));
    }
    let mut checked = 0;
    for case in cases() {
        for (role, browser) in &mut browsers {
            let role = *role;
            let caller = team.get(role);
            let allowed = case.allowed.contains(&role);
            // A fresh world for each change that is allowed to happen, as in roles.rs.
            let fresh = if allowed && case.method != "GET" {
                Some(World::new(&app, &team).await)
            } else {
                None
            };
            let world = fresh.as_ref().unwrap_or(&shared);
            let spare_token = app
                .store
                .create_api_token(
                    caller.member.id,
                    "spare",
                    &sha256_hex(&format!("spare-{}", unique())),
                    app.now(),
                )
                .await
                .unwrap()
                .id;
            let c = Ctx {
                app: &app,
                world,
                team: &team,
                caller,
                spare_token,
            };
            let path = (case.path)(&c);
            let form = (case.form)(&c);
            let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();

            let anonymous = send_with_cookies(&app, case.method, &path, "", &fields, None).await;
            to_sign_in(&anonymous, case.method, &path);

            let r = if case.method == "GET" {
                browser.get(&path).await
            } else {
                browser.post(&path, &fields).await
            };
            let what = format!("{} {path} as {}", case.method, role.as_str());
            match (allowed, case.ok) {
                (true, Expect::Done) => assert!(
                    r.status.is_success() || r.status.is_redirection(),
                    "{what}: {} {}",
                    r.status,
                    r.text
                ),
                (true, Expect::Refused) => {
                    assert_eq!(r.status.as_u16(), 422, "{what}: {}", r.text);
                }
                (false, _) => {
                    assert_eq!(r.status.as_u16(), 403, "{what}: {}", r.text);
                    assert!(r.text.contains("Not allowed"), "{what}: {}", r.text);
                }
            }
            if r.status.is_redirection() {
                let to = r.header("location").unwrap_or_default();
                assert!(!to.starts_with("/login"), "{what} was sent to sign in");
            }
            checked += 1;
        }
    }
    assert!(checked >= 300, "only {checked} checks");
}

async fn guessed_ids_on_pages_are_not_found(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    let world = World::new(&app, &team).await;
    crate::access::settle(&app, &world, &team).await;
    let before = snapshot(&app).await;
    let mut browser = app.browser(team.admin.member.clone()).await;
    let c = Ctx {
        app: &app,
        world: &world,
        team: &team,
        caller: &team.admin,
        spare_token: 1,
    };
    let mut checked = 0;
    let mut wrong = Vec::new();
    for case in cases() {
        let Some(path) = guessed(&(case.path)(&c)) else {
            continue;
        };
        let form = (case.form)(&c);
        let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = if case.method == "GET" {
            browser.get(&path).await
        } else {
            browser.post(&path, &fields).await
        };
        if r.status.as_u16() != 404 || !r.text.contains("Not found") {
            wrong.push(format!("{} {path}: {} {}", case.method, r.status, r.text));
        }
        checked += 1;
    }
    assert!(
        wrong.is_empty(),
        "guessed ids answered:\n{}",
        wrong.join("\n")
    );
    assert!(checked >= 40, "only {checked} id-bearing pages");
    let changed = changes(&before, &snapshot(&app).await);
    assert!(
        changed.is_empty(),
        "a guessed id on a page changed:\n{changed}"
    );
}

/// Every `(METHOD, path)` a `.route(` call outside the API registers, read from the source.
fn routes_in_source() -> Vec<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    let mut dirs = vec![src.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                // The JSON API is walked by roles.rs, against the OpenAPI document.
                if path != src.join("api") {
                    dirs.push(path);
                }
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    let mut routes = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let mut rest = text.as_str();
        while let Some(at) = rest.find(".route(") {
            rest = &rest[at + ".route(".len()..];
            let Some(open) = rest.find('"') else { break };
            let after = &rest[open + 1..];
            let path = &after[..after.find('"').unwrap()];
            // The call's arguments: up to its closing parenthesis.
            let mut depth = 1;
            let mut end = 0;
            for (i, ch) in rest.char_indices() {
                match ch {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => {}
                }
                if depth == 0 {
                    end = i;
                    break;
                }
            }
            let call = &rest[..end];
            for method in ["get", "post", "put", "patch", "delete"] {
                let used = call.match_indices(&format!("{method}(")).any(|(i, _)| {
                    i == 0
                        || !call.as_bytes()[i - 1].is_ascii_alphanumeric()
                            && call.as_bytes()[i - 1] != b'_'
                });
                if used {
                    routes.push((method.to_uppercase(), path.to_owned()));
                }
            }
        }
    }
    routes.sort();
    routes.dedup();
    routes
}

/// Whether the concrete `path` is one the route `pattern` (with `{name}` segments) serves.
fn serves(pattern: &str, path: &str) -> bool {
    let path = path.split('?').next().unwrap_or_default();
    let (p, q): (Vec<&str>, Vec<&str>) = (pattern.split('/').collect(), path.split('/').collect());
    p.len() == q.len()
        && p.iter()
            .zip(&q)
            .all(|(a, b)| a == b || (a.starts_with('{') && a.ends_with('}')))
}

/// How many literal segments a pattern has: the router prefers the most literal.
fn literal(pattern: &str) -> usize {
    pattern.split('/').filter(|s| !s.starts_with('{')).count()
}

async fn the_page_table_covers_every_route_of_the_router(backend: Backend) {
    let routes = routes_in_source();
    assert!(routes.len() > 80, "the source scan found only {routes:?}");
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    let world = World::new(&app, &team).await;
    let c = Ctx {
        app: &app,
        world: &world,
        team: &team,
        caller: &team.admin,
        spare_token: 1,
    };
    let mut covered: Vec<(String, String)> = Vec::new();
    for case in cases() {
        let path = (case.path)(&c);
        let best = routes
            .iter()
            .filter(|(m, p)| m == case.method && serves(p, &path))
            .max_by_key(|(_, p)| literal(p))
            .unwrap_or_else(|| {
                panic!(
                    "{} {path} is in the table but no route serves it",
                    case.method
                )
            });
        covered.push(best.clone());
    }
    for (method, path) in &routes {
        let public = PUBLIC
            .iter()
            .any(|(m, p)| *m == method.as_str() && *p == path.as_str());
        let walked = covered.contains(&(method.clone(), path.clone()));
        assert!(
            public != walked,
            "{method} {path}: {}",
            if public {
                "both public and in the page table"
            } else {
                "neither in the page table (page_table.rs) nor public"
            }
        );
    }
    for (method, path) in PUBLIC {
        assert!(
            routes.contains(&((*method).to_owned(), (*path).to_owned())),
            "{method} {path} is listed as public but no route has it"
        );
    }
}
