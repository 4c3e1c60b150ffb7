//! Guessed ids (IDOR): an id that names nothing is a 404 on every route that takes one, and
//! another member's token is as good as missing.

use super::*;

backend_tests!(
    guessed_ids_are_404_on_every_id_bearing_route,
    another_members_token_is_not_found_and_keeps_working,
);

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
    assert!(
        wrong.is_empty(),
        "guessed ids answered:\n{}",
        wrong.join("\n")
    );
    assert!(checked > 100, "only {checked} id-bearing checks");
    let changed = changes(&before, &snapshot(&app).await);
    assert!(changed.is_empty(), "a guessed id changed:\n{changed}");
}

async fn another_members_token_is_not_found_and_keeps_working(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    let admins = app
        .store
        .list_api_tokens(Some(team.admin.member.id))
        .await
        .unwrap();
    let theirs = admins[0].id;
    for role in [Role::Supervisor, Role::Agent, Role::Viewer] {
        let caller = team.get(role);
        // The API: another member's token is not found (not forbidden, which would say it
        // exists), the same as a missing one.
        let r = app
            .request(
                "DELETE",
                &format!("/api/v1/tokens/{theirs}"),
                None,
                Some(&caller.token),
            )
            .await;
        let missing = app
            .request("DELETE", "/api/v1/tokens/999999", None, Some(&caller.token))
            .await;
        r.problem(404);
        assert_eq!(r.json["detail"], missing.json["detail"]);
        // The pages: My account revokes only one's own; the settings list is admins' only.
        let mut browser = app.browser(caller.member.clone()).await;
        let own_page = browser
            .post(&format!("/me/tokens/{theirs}/revoke"), &[])
            .await;
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
            .request(
                "DELETE",
                "/api/v1/me/calendar-feed",
                None,
                Some(&caller.token),
            )
            .await;
        assert!(feed.status.is_success(), "{}", feed.text);
    }
    assert_eq!(
        app.get("/api/v1/me", &team.admin).await.status.as_u16(),
        200
    );
    assert!(
        app.store.api_token(theirs).await.is_ok(),
        "still not revoked"
    );
}

fn merge(mut base: Value, over: Value) -> Value {
    if let (Some(b), Some(o)) = (base.as_object_mut(), over.as_object()) {
        for (k, v) in o {
            b.insert(k.clone(), v.clone());
        }
    }
    base
}
