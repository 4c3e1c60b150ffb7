//! Calendars, webhooks, preferences, the calendar feed and the outbox, through the API and pages.

use axum::body::Body;
use axum::http::{Request, header};
use makegood_domain::Role;
use makegood_store::backend_tests;
use makegood_store::testing::{Backend, enqueue_for_test};
use serde_json::{Value, json};

use crate::common::{Resp, TestApp, User, sha256_hex};
use crate::fixture::{Team, World, alert_to};

backend_tests!(
    calendars_through_the_api,
    webhooks_through_the_api,
    preferences_through_the_api,
    the_calendar_feed_lists_promises_and_deadlines,
    deliveries_through_the_api_and_the_page,
);

async fn send_json(app: &TestApp, method: &str, path: &str, body: Value, user: &User) -> Resp {
    app.request(method, path, Some(body), Some(&user.token))
        .await
}

async fn calendars_through_the_api(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let body = json!({
        "name": "Berlin office", "zone": "Europe/Berlin",
        "hours": {"monday": [{"open": "09:00", "close": "17:00"}], "friday": [{"open": "09:00", "close": "13:00"}]},
        "holidays": ["2026-12-25"]
    });
    let created = app.post("/api/v1/calendars", body.clone(), &admin).await;
    assert_eq!(created.status, 201, "{}", created.text);
    let id = created.json["id"].as_i64().unwrap();
    assert_eq!(created.json["zone"], "Europe/Berlin");
    assert_eq!(created.json["hours"]["friday"][0]["close"], "13:00");
    assert_eq!(created.json["holidays"], json!(["2026-12-25"]));
    app.post("/api/v1/calendars", body, &admin)
        .await
        .problem(409);

    let bad = json!({"name": "Bad", "zone": "Europe/Berlin", "hours": {"monday": [{"open": "9", "close": "17:00"}]}});
    let refused = app.post("/api/v1/calendars", bad, &admin).await;
    refused.problem(422);
    assert_eq!(refused.fields(), ["hours.monday[0].open"]);
    let refused = app
        .post(
            "/api/v1/calendars",
            json!({"name": "Bad", "zone": "Nowhere", "hours": {}}),
            &admin,
        )
        .await;
    assert_eq!(refused.fields(), ["zone"]);
    let refused = app
        .post(
            "/api/v1/calendars",
            json!({"name": "Bad", "zone": "UTC", "hours": {"funday": []}}),
            &admin,
        )
        .await;
    refused.problem(422);

    let list = app.get("/api/v1/calendars", &admin).await;
    assert_eq!(list.json["items"].as_array().unwrap().len(), 1);
    let path = format!("/api/v1/calendars/{id}");
    let patched = send_json(
        &app,
        "PATCH",
        &path,
        json!({"zone": "America/New_York"}),
        &admin,
    )
    .await;
    assert_eq!(patched.status, 200, "{}", patched.text);
    assert_eq!(patched.json["zone"], "America/New_York");
    assert_eq!(
        patched.json["hours"]["friday"][0]["close"], "13:00",
        "the rest of the spec stays"
    );
    assert_eq!(
        app.get(&path, &admin).await.json["zone"],
        "America/New_York"
    );

    let mut policies = app.get("/api/v1/policies", &admin).await.json;
    policies["critical"]["calendar"] = json!(id + 50);
    let refused = send_json(&app, "PUT", "/api/v1/policies", policies.clone(), &admin).await;
    refused.problem(422);
    assert_eq!(refused.fields(), ["critical.calendar"]);
    policies["critical"]["calendar"] = json!(id);
    assert_eq!(
        send_json(&app, "PUT", "/api/v1/policies", policies, &admin)
            .await
            .status,
        200
    );
    let in_use = app.request("DELETE", &path, None, Some(&admin.token)).await;
    assert!(
        in_use.problem(409)["detail"]
            .as_str()
            .unwrap()
            .contains("critical")
    );
    app.request("GET", "/api/v1/calendars/99999", None, Some(&admin.token))
        .await
        .problem(404);
}

async fn webhooks_through_the_api(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let created = app
        .post("/api/v1/webhooks", json!({"name": "Ops", "url": "https://ops.example.com/in", "events": ["update", "clock_breached"]}), &admin)
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let secret = created.json["secret"].as_str().unwrap().to_owned();
    assert_eq!(secret.len(), 64);
    assert!(secret.chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(created.json["kind"], "json");
    let id = created.json["id"].as_i64().unwrap();

    let private = app
        .post(
            "/api/v1/webhooks",
            json!({"name": "Local", "url": "http://127.0.0.1:9000/"}),
            &admin,
        )
        .await;
    private.problem(422);
    assert_eq!(private.fields(), ["url"]);
    assert!(
        private.json["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("allow_private")
    );
    let allowed = app
        .post("/api/v1/webhooks", json!({"name": "Local", "url": "http://127.0.0.1:9000/", "allow_private": true, "kind": "chat"}), &admin)
        .await;
    assert_eq!(allowed.status, 201, "{}", allowed.text);
    assert_eq!(allowed.json["kind"], "chat");
    let unknown = app
        .post(
            "/api/v1/webhooks",
            json!({"name": "X", "url": "https://x.example/", "events": ["boom"]}),
            &admin,
        )
        .await;
    assert_eq!(unknown.fields(), ["events[0]"]);
    let nameless = app
        .post(
            "/api/v1/webhooks",
            json!({"name": " ", "url": "https://x.example/"}),
            &admin,
        )
        .await;
    assert_eq!(nameless.fields(), ["name"]);

    let path = format!("/api/v1/webhooks/{id}");
    let rotated = app
        .post(&format!("{path}/rotate-secret"), json!({}), &admin)
        .await;
    assert_eq!(rotated.status, 200, "{}", rotated.text);
    assert_ne!(rotated.json["secret"].as_str().unwrap(), secret);
    let patched = send_json(
        &app,
        "PATCH",
        &path,
        json!({"active": false, "events": []}),
        &admin,
    )
    .await;
    assert_eq!(
        (
            patched.json["active"].clone(),
            patched.json["events"].clone()
        ),
        (json!(false), json!([]))
    );
    assert_eq!(
        app.get("/api/v1/webhooks", &admin).await.json["items"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        app.request("DELETE", &path, None, Some(&admin.token))
            .await
            .status,
        204
    );
    app.get(&path, &admin).await.problem(404);
}

async fn preferences_through_the_api(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let agent = app.user(Role::Agent).await;
    let mine = app.get("/api/v1/me/preferences", &agent).await;
    assert_eq!(mine.json["email_alerts"], true);
    assert_eq!(mine.json["working_hours"]["monday"][0]["open"], "09:00");
    let wanted = json!({
        "email_alerts": false, "daily_digest": true,
        "working_hours": {"tuesday": [{"open": "07:30", "close": "15:30"}]}
    });
    let put = send_json(
        &app,
        "PUT",
        "/api/v1/me/preferences",
        wanted.clone(),
        &agent,
    )
    .await;
    assert_eq!(put.status, 200, "{}", put.text);
    let read = app.get("/api/v1/me/preferences", &agent).await.json;
    assert_eq!(read["email_alerts"], false);
    assert_eq!(read["working_hours"]["tuesday"][0]["close"], "15:30");
    assert_eq!(read["working_hours"]["monday"], json!([]));
    assert_eq!(
        app.get("/api/v1/me/preferences", &admin).await.json["email_alerts"],
        true,
        "each member has their own"
    );

    let bad = json!({"email_alerts": true, "daily_digest": true, "working_hours": {"friday": [{"open": "18:00", "close": "09:00"}]}});
    let refused = send_json(&app, "PUT", "/api/v1/me/preferences", bad, &agent).await;
    refused.problem(422);
    assert_eq!(refused.fields(), ["working_hours.friday[0].close"]);
    let unknown = send_json(
        &app,
        "PUT",
        "/api/v1/me/preferences",
        json!({"email_alerts": true}),
        &agent,
    )
    .await;
    unknown.problem(422);
}

/// Parses an iCalendar body with Python's `icalendar` library; prints its events as JSON.
fn parse_with_python(ics: &str) -> Value {
    let dir = tempfile_dir();
    let file = dir.join("feed.ics");
    std::fs::write(&file, ics).unwrap();
    let script = r#"
import json, sys
from icalendar import Calendar
cal = Calendar.from_ical(open(sys.argv[1], "rb").read())
events = [{
    "uid": str(e.get("uid")),
    "summary": str(e.get("summary")),
    "description": str(e.get("description")) if e.get("description") else None,
    "start": e.decoded("dtstart").isoformat(),
} for e in cal.walk("VEVENT")]
print(json.dumps({"version": str(cal.get("version")), "events": events}))
"#;
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&file)
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        out.status.success(),
        "python: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "makegood-ics-{}-{}",
        std::process::id(),
        crate::route_table::unique()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn the_calendar_feed_lists_promises_and_deadlines(backend: Backend) {
    let (app, admin) = TestApp::builder(backend)
        .public_url("https://desk.example/")
        .build()
        .await;
    let team = Team::new(&app, admin).await;
    let world = World::new(&app, &team).await;
    let created = app
        .post("/api/v1/me/calendar-feed", json!({}), &team.agent)
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let url = created.json["url"].as_str().unwrap().to_owned();
    let path = url.strip_prefix("https://desk.example").unwrap().to_owned();
    assert!(
        path.starts_with("/calendar/") && path.ends_with(".ics"),
        "{url}"
    );

    let feed = app.request("GET", &path, None, None).await;
    assert_eq!(feed.status, 200, "{}", feed.text);
    assert_eq!(
        feed.header("content-type"),
        Some("text/calendar; charset=utf-8")
    );
    assert!(feed.text.starts_with("BEGIN:VCALENDAR"), "{}", feed.text);
    let promise = &world.agents_promise.promise;
    assert!(
        feed.text
            .contains(&format!("UID:promise-{}@makegood", promise.id.0)),
        "{}",
        feed.text
    );
    assert!(!feed.text.contains("VALARM"));

    let parsed = parse_with_python(&feed.text);
    assert_eq!(parsed["version"], "2.0");
    let events = parsed["events"].as_array().unwrap();
    let by_uid = |uid: &str| {
        events
            .iter()
            .find(|e| e["uid"] == uid)
            .unwrap_or_else(|| panic!("no {uid} in {parsed}"))
    };
    let p = by_uid(&format!("promise-{}@makegood", promise.id.0));
    assert_eq!(p["summary"], "Promise: Daily status by email");
    let due = promise
        .due_at
        .strftime("%Y-%m-%dT%H:%M:%S+00:00")
        .to_string();
    assert_eq!(p["start"], due);
    let problem = &world.problem.problem;
    let link = format!("https://desk.example/problems/{}", problem.id.0);
    assert_eq!(p["description"], link.as_str());
    // The agent's running problem clocks.
    let tell = by_uid(&format!("problem-{}-tell@makegood", problem.id.0));
    assert_eq!(
        tell["summary"],
        format!("Tell Northwind about {}", problem.number)
    );
    assert_eq!(tell["description"], link.as_str());
    let tell_due = world
        .problem
        .clocks
        .iter()
        .find(|c| c.kind == makegood_domain::ClockKind::Tell)
        .unwrap()
        .due_at
        .unwrap();
    assert_eq!(
        tell["start"],
        tell_due.strftime("%Y-%m-%dT%H:%M:%S+00:00").to_string()
    );
    // The waiting problem's fix clock is paused (no deadline); its tell clock runs on.
    let waiting = world.waiting.problem.id.0;
    by_uid(&format!("problem-{waiting}-tell@makegood"));
    assert!(
        !events
            .iter()
            .any(|e| e["uid"] == format!("problem-{waiting}-fix@makegood"))
    );
    assert!(
        !events.iter().any(|e| e["uid"]
            == format!(
                "promise-{}@makegood",
                world.supervisors_promise.promise.id.0
            )),
        "only the member's own"
    );

    // A new URL replaces the old; revoking ends it; unknown secrets are 404.
    let again = app
        .post("/api/v1/me/calendar-feed", json!({}), &team.agent)
        .await;
    let new_path = again.json["url"]
        .as_str()
        .unwrap()
        .strip_prefix("https://desk.example")
        .unwrap()
        .to_owned();
    assert_eq!(app.request("GET", &path, None, None).await.status, 404);
    assert_eq!(app.request("GET", &new_path, None, None).await.status, 200);
    assert_eq!(
        app.request(
            "DELETE",
            "/api/v1/me/calendar-feed",
            None,
            Some(&team.agent.token)
        )
        .await
        .status,
        204
    );
    assert_eq!(app.request("GET", &new_path, None, None).await.status, 404);
    assert_eq!(
        app.request("GET", "/calendar/nope.ics", None, None)
            .await
            .status,
        404
    );
    assert_eq!(
        app.request("GET", "/calendar/nope", None, None)
            .await
            .status,
        404
    );
}

async fn deliveries_through_the_api_and_the_page(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let agent = app.user(Role::Agent).await;
    let due = app.now();
    let pending = enqueue_for_test(
        &app.store,
        &alert_to(&agent, "Tell Acme about MG-1", due),
        None,
        app.now(),
    )
    .await
    .unwrap();
    let failing = enqueue_for_test(
        &app.store,
        &alert_to(&admin, "Tell Globex about MG-2", due),
        None,
        app.now(),
    )
    .await
    .unwrap();
    let claimed = app.store.claim_deliveries(app.now(), 10).await.unwrap();
    assert_eq!(claimed.len(), 2);
    app.store
        .mark_failed(failing, "550 mailbox unavailable", true, app.now())
        .await
        .unwrap();
    app.store
        .mark_failed(pending, "421 try later", false, app.now())
        .await
        .unwrap();

    let all = app.get("/api/v1/deliveries", &admin).await;
    assert_eq!(all.status, 200, "{}", all.text);
    let ids: Vec<i64> = all.json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [failing, pending]);
    let failed = app.get("/api/v1/deliveries?status=failed", &admin).await;
    assert_eq!(
        failed.json["items"][0]["last_error"],
        "550 mailbox unavailable"
    );
    assert_eq!(failed.json["items"].as_array().unwrap().len(), 1);
    app.get("/api/v1/deliveries?status=lost", &admin)
        .await
        .problem(400);
    let one = app
        .get(&format!("/api/v1/deliveries/{pending}"), &admin)
        .await;
    assert_eq!(
        (one.json["status"].clone(), one.json["attempts"].clone()),
        (json!("pending"), json!(1))
    );
    assert_eq!(one.json["notice"]["type"], "alert");
    app.get(&format!("/api/v1/deliveries/{pending}"), &agent)
        .await
        .problem(403);

    // The page: failed and pending messages, times in the admin's zone, Retry for failed ones.
    let session = "session-secret";
    app.store
        .create_session(
            admin.member.id,
            &sha256_hex(session),
            "csrf-1",
            app.now() + jiff::SignedDuration::from_hours(1),
        )
        .await
        .unwrap();
    let cookie = format!("makegood_session={session}");
    let get_page = |path: String, cookie: String| {
        let request = Request::get(path)
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap();
        app.send(request)
    };
    let page = get_page("/settings/deliveries".into(), cookie.clone()).await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(page.text.contains("550 mailbox unavailable") && page.text.contains("421 try later"));
    assert!(page.text.contains(agent.member.email.as_str()));
    assert!(
        page.text
            .contains(&format!("action=\"/settings/deliveries/{failing}/retry\""))
    );
    assert!(
        !page
            .text
            .contains(&format!("action=\"/settings/deliveries/{pending}/retry\""))
    );
    let next = (app.now() + jiff::SignedDuration::from_mins(1))
        .to_zoned(jiff::tz::TimeZone::UTC)
        .strftime("%a %-d %b %H:%M")
        .to_string();
    assert!(
        page.text.contains(&next),
        "next attempt {next} in {}",
        page.text
    );

    let post = |csrf: &str| {
        let request = Request::post(format!("/settings/deliveries/{failing}/retry"))
            .header(header::COOKIE, cookie.clone())
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!("csrf_token={csrf}")))
            .unwrap();
        app.send(request)
    };
    assert_eq!(post("wrong").await.status, 403);
    let retried = post("csrf-1").await;
    assert_eq!(retried.status, 303, "{}", retried.text);
    let location = retried.header("location").unwrap().to_owned();
    let after = get_page(location, cookie.clone()).await;
    assert!(
        after
            .text
            .contains(&format!("Message {failing} will be sent again now.")),
        "{}",
        after.text
    );
    assert!(
        !after
            .text
            .contains(&format!("action=\"/settings/deliveries/{failing}/retry\""))
    );
    assert_eq!(
        app.get(&format!("/api/v1/deliveries/{failing}"), &admin)
            .await
            .json["status"],
        "pending"
    );

    let api_retry = app
        .post(
            &format!("/api/v1/deliveries/{pending}/retry"),
            json!({}),
            &admin,
        )
        .await;
    assert_eq!(
        (
            api_retry.json["attempts"].clone(),
            api_retry.json["status"].clone()
        ),
        (json!(0), json!("pending"))
    );
    app.store.claim_deliveries(app.now(), 10).await.unwrap();
    app.store.mark_delivered(pending, app.now()).await.unwrap();
    app.post(
        &format!("/api/v1/deliveries/{pending}/retry"),
        json!({}),
        &admin,
    )
    .await
    .problem(409);

    let agent_session = "agent-session";
    app.store
        .create_session(
            agent.member.id,
            &sha256_hex(agent_session),
            "csrf-2",
            app.now() + jiff::SignedDuration::from_hours(1),
        )
        .await
        .unwrap();
    assert_eq!(
        get_page(
            "/settings/deliveries".into(),
            format!("makegood_session={agent_session}")
        )
        .await
        .status,
        403
    );
    assert_eq!(
        get_page("/settings/deliveries".into(), String::new())
            .await
            .status,
        303
    );
}
