//! The iCalendar feed: created, served without a session, parsed by Python's `icalendar`, revoked.

use makegood_store::backend_tests;
use makegood_store::testing::Backend;
use serde_json::{Value, json};

use crate::common::TestApp;
use crate::fixture::{Team, World};

backend_tests!(the_calendar_feed_lists_promises_and_deadlines);

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
