//! Lists through the API: cursor pagination, sorting and filters.

use jiff::SignedDuration;
use makegood_store::backend_tests;
use makegood_store::testing::Backend;
use serde_json::json;

use crate::common::{Resp, TestApp};
use crate::fixture::{Team, World};

backend_tests!(
    cursor_pagination_walks_every_problem_once,
    clock_state_filter_follows_the_clock,
    problems_by_number_or_id_and_filtered,
    promises_filtered_by_owner_problem_and_due,
    only_customer_updates_satisfy_the_tell_clock,
);

async fn cursor_pagination_walks_every_problem_once(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let account = app
        .post("/api/v1/accounts", json!({"name": "Northwind"}), &admin)
        .await
        .json["id"]
        .clone();
    for i in 0..7 {
        let severity = ["critical", "major", "minor"][i % 3];
        let created = app
            .post("/api/v1/problems", json!({"title": format!("P{i}"), "origin": "ours", "severity": severity, "accounts": [account]}), &admin)
            .await;
        assert_eq!(created.status, 201, "{}", created.text);
    }
    let mut seen = Vec::new();
    let mut url = "/api/v1/problems?limit=3".to_owned();
    loop {
        let page = app.get(&url, &admin).await;
        assert_eq!(page.status, 200, "{}", page.text);
        let items = page.json["items"].as_array().unwrap();
        assert!(items.len() <= 3);
        seen.extend(
            items
                .iter()
                .map(|p| p["number"].as_str().unwrap().to_owned()),
        );
        match page.json["next_cursor"].as_str() {
            Some(cursor) => url = format!("/api/v1/problems?limit=3&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(seen.len(), 7);
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 7, "{seen:?}");
    // Next deadline first: the critical problems (tell within 1 h) lead.
    let first = app.get("/api/v1/problems?limit=1", &admin).await;
    assert_eq!(first.json["items"][0]["severity"], "critical");
}

async fn clock_state_filter_follows_the_clock(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let account = app
        .post("/api/v1/accounts", json!({"name": "Northwind"}), &admin)
        .await
        .json["id"]
        .clone();
    let new = |severity: &str| json!({"title": severity, "origin": "ours", "severity": severity, "accounts": [account]});
    app.post("/api/v1/problems", new("critical"), &admin).await;
    app.post("/api/v1/problems", new("minor"), &admin).await;
    let titles = |r: Resp| -> Vec<String> {
        r.json["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["title"].as_str().unwrap().to_owned())
            .collect()
    };

    assert_eq!(
        titles(app.get("/api/v1/problems?clock_state=ok", &admin).await).len(),
        2
    );
    app.advance(SignedDuration::from_mins(50)); // critical: tell within 60 min, warns in the last 20 %
    assert_eq!(
        titles(
            app.get("/api/v1/problems?clock_state=warning", &admin)
                .await
        ),
        ["critical"]
    );
    assert_eq!(
        titles(app.get("/api/v1/problems?clock_state=ok", &admin).await),
        ["minor"]
    );
    app.advance(SignedDuration::from_mins(20));
    assert_eq!(
        titles(
            app.get("/api/v1/problems?clock_state=breached", &admin)
                .await
        ),
        ["critical"]
    );
    assert!(
        titles(
            app.get("/api/v1/problems?clock_state=warning", &admin)
                .await
        )
        .is_empty()
    );
    app.get("/api/v1/problems?clock_state=paused", &admin)
        .await
        .problem(400);
}

fn numbers(r: &Resp) -> Vec<String> {
    assert_eq!(r.status, 200, "{}", r.text);
    r.json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["number"].as_str().unwrap().to_owned())
        .collect()
}

async fn problems_by_number_or_id_and_filtered(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    let world = World::new(&app, &team).await;
    let number = world.problem.problem.number.to_string();

    let by_number = app
        .get(&format!("/api/v1/problems/{number}"), &team.viewer)
        .await;
    let by_id = app
        .get(
            &format!("/api/v1/problems/{}", world.problem.problem.id),
            &team.viewer,
        )
        .await;
    assert_eq!(by_number.json, by_id.json);
    assert_eq!(by_number.json["number"], number);

    let mine = numbers(&app.get("/api/v1/problems?owner=me", &team.supervisor).await);
    assert_eq!(mine, [world.supervisors_problem.problem.number.to_string()]);
    assert_eq!(
        numbers(&app.get("/api/v1/problems?owner=me", &team.viewer).await).len(),
        0
    );
    let waiting = numbers(
        &app.get("/api/v1/problems?status=waiting_on_vendor", &team.viewer)
            .await,
    );
    assert_eq!(waiting, [world.waiting.problem.number.to_string()]);
    let newest = numbers(
        &app.get("/api/v1/problems?sort=newest&limit=1", &team.viewer)
            .await,
    );
    assert_eq!(
        newest,
        [world.supervisors_problem.problem.number.to_string()]
    );
    assert_eq!(
        numbers(
            &app.get("/api/v1/problems?severity=critical", &team.viewer)
                .await
        )
        .len(),
        0
    );
    app.get("/api/v1/problems?owner=someone", &team.viewer)
        .await
        .problem(400);
}

async fn promises_filtered_by_owner_problem_and_due(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    let world = World::new(&app, &team).await;
    let ids = |r: Resp| -> Vec<i64> {
        assert_eq!(r.status, 200, "{}", r.text);
        r.json["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_i64().unwrap())
            .collect()
    };
    let agents = world.agents_promise.promise.id.0;
    assert_eq!(
        ids(app.get("/api/v1/promises?owner=me", &team.agent).await),
        [agents]
    );
    let number = world.problem.problem.number;
    assert_eq!(
        ids(app
            .get(
                &format!("/api/v1/promises?problem={number}&state=open"),
                &team.viewer
            )
            .await)
        .len(),
        2
    );
    let soon = app.in_hours(24).replace('+', "%2B");
    assert!(
        ids(app
            .get(&format!("/api/v1/promises?due_before={soon}"), &team.viewer)
            .await)
        .is_empty()
    );
    app.advance(SignedDuration::from_hours(40)); // 8 h before due: inside the 20 % warning
    assert_eq!(
        ids(app
            .get("/api/v1/promises?state=at_risk", &team.viewer)
            .await)
        .len(),
        2
    );
    app.get("/api/v1/promises?state=maybe", &team.viewer)
        .await
        .problem(400);
}

async fn only_customer_updates_satisfy_the_tell_clock(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    let world = World::new(&app, &team).await;
    let path = format!("/api/v1/problems/{}", world.problem.problem.number);
    let tell = |r: &Resp| {
        r.json["clocks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["kind"] == "tell")
            .unwrap()["state"]
            .clone()
    };

    let noted = app
        .post(
            &format!("{path}/notes"),
            json!({"body": "internal only"}),
            &team.agent,
        )
        .await;
    assert_eq!(noted.status, 201, "{}", noted.text);
    assert_eq!(tell(&noted), "ok");
    let updated = app
        .post(
            &format!("{path}/updates"),
            json!({"body": "We found it."}),
            &team.agent,
        )
        .await;
    assert_eq!(tell(&updated), "met");
    let timeline = app.get(&format!("{path}/timeline"), &team.viewer).await;
    let kinds: Vec<_> = timeline.json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        kinds,
        ["created", "promise_made", "promise_made", "note", "update"]
    );
}
