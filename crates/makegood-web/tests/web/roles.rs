//! Every API route × every role: allowed roles get 2xx, others 403 problem+json, nobody 401.

use makegood_domain::Role;
use makegood_store::backend_tests;
use makegood_store::testing::Backend;

use crate::common::{TestApp, sha256_hex};
use crate::fixture::{Team, World};
use crate::route_table::{Ctx, cases, unique};

backend_tests!(
    every_route_for_every_role,
    the_matrix_covers_every_documented_operation,
);

async fn every_route_for_every_role(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
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

async fn the_matrix_covers_every_documented_operation(backend: Backend) {
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
    let (app, admin) = TestApp::new(backend).await;
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
