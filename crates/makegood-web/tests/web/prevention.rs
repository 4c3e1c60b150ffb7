//! Preventions and vendor promises through the API and the problem page's forms; vendor pages.

use jiff::SignedDuration;
use jiff::tz::TimeZone;
use makegood_domain::prevention::NewPrevention;
use makegood_domain::{Vendor, VendorId};
use makegood_store::testing::Backend;
use makegood_store::{
    Actor, NewVendorPromise, PreventionView, ProblemView, VendorPromiseView, backend_tests,
};
use serde_json::json;

use crate::common::TestApp;
use crate::fixture::{Team, World};

/// The fixture's preventions and vendor promise, on the world's problem.
pub struct Preventions {
    pub open: PreventionView,
    /// Done, with its effectiveness check due at once (0 days).
    pub done: PreventionView,
    pub vendor_promise: VendorPromiseView,
}

impl Preventions {
    pub async fn new(app: &TestApp, team: &Team, problem: &ProblemView, vendor: &Vendor) -> Self {
        let actor = Actor {
            member: team.admin.member.id,
            now: app.now(),
        };
        let new = |days| NewPrevention {
            problem: problem.problem.id,
            root_cause: "No disk alert".into(),
            cause_category: "Capacity".into(),
            corrective_action: "Alert at 80%".into(),
            owner: team.agent.member.id,
            due_at: app.now() + SignedDuration::from_hours(48),
            check_after_days: days,
        };
        let open = app.store.record_prevention(actor, new(30)).await.unwrap();
        let done = app.store.record_prevention(actor, new(0)).await.unwrap();
        let done = app
            .store
            .mark_prevention_done(actor, done.prevention.id, None)
            .await
            .unwrap();
        let vendor_promise = app
            .store
            .make_vendor_promise(
                actor,
                NewVendorPromise {
                    problem: problem.problem.id,
                    vendor: vendor.id,
                    what: "A patch".into(),
                    due_at: app.now() + SignedDuration::from_hours(24),
                },
            )
            .await
            .unwrap();
        Self {
            open,
            done,
            vendor_promise,
        }
    }
}

backend_tests!(
    the_api_records_and_works_preventions,
    the_api_tracks_vendor_promises_and_reliability,
    the_problem_page_records_a_prevention_and_keeps_refused_input,
    the_vendor_pages_show_reliability,
);

fn local(app: &TestApp, hours: i64) -> String {
    app.now()
        .checked_add(SignedDuration::from_hours(hours))
        .unwrap()
        .to_zoned(TimeZone::UTC)
        .strftime("%Y-%m-%dT%H:%M")
        .to_string()
}

async fn the_api_records_and_works_preventions(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    let world = World::new(&app, &team).await;
    let number = world.problem.problem.number;
    let path = format!("/api/v1/problems/{number}/preventions");
    let refused = app.post(&path, json!({"root_cause": " ", "cause_category": "x", "corrective_action": "y", "due_at": app.in_hours(-1)}), &team.agent).await;
    refused.problem(422);
    assert_eq!(refused.fields(), ["root_cause", "due_at"]);
    let made = app.post(&path, json!({"root_cause": "Disk full", "cause_category": "Capacity", "corrective_action": "Alert at 80%", "due_at": app.in_hours(24)}), &team.agent).await;
    assert_eq!(made.status.as_u16(), 201, "{}", made.text);
    assert_eq!(made.json["status"]["state"], "open");
    assert_eq!(made.json["owner"], json!(team.agent.member.id));
    assert_eq!(made.json["problem_number"], number.to_string());
    let id = made.json["id"].as_i64().unwrap();
    assert_eq!(made.header("etag"), Some("\"1\""));
    let list = app.get(&path, &team.viewer).await;
    assert_eq!(list.json.as_array().unwrap().len(), 1, "{}", list.text);

    // Done; the check before it is due is a conflict.
    let stale = app
        .request(
            "POST",
            &format!("/api/v1/preventions/{id}/done"),
            None,
            Some(&team.agent.token),
        )
        .await;
    assert_eq!(stale.status.as_u16(), 200, "{}", stale.text);
    let early = app
        .post(
            &format!("/api/v1/preventions/{id}/check"),
            json!({"effective": true}),
            &team.agent,
        )
        .await;
    let detail = early.problem(409)["detail"].as_str().unwrap().to_owned();
    assert!(detail.contains("not before"), "{detail}");
    let no_note = app
        .post(
            &format!(
                "/api/v1/preventions/{}/check",
                world.preventions.done.prevention.id
            ),
            json!({"effective": false}),
            &team.agent,
        )
        .await;
    no_note.problem(422);
    assert_eq!(no_note.fields(), ["note"]);
    let reopened = app
        .post(
            &format!(
                "/api/v1/preventions/{}/check",
                world.preventions.done.prevention.id
            ),
            json!({"effective": false, "note": "Filled again"}),
            &team.agent,
        )
        .await;
    assert_eq!(reopened.status.as_u16(), 200, "{}", reopened.text);
    assert_eq!(reopened.json["status"]["state"], "open");
    assert_eq!(reopened.json["checks"][0]["note"], "Filled again");
    let due = app
        .get("/api/v1/preventions?check_due=true", &team.viewer)
        .await;
    assert_eq!(
        due.json["items"].as_array().unwrap().len(),
        0,
        "{}",
        due.text
    );
    let unknown = app
        .get("/api/v1/preventions?status=closed", &team.viewer)
        .await;
    unknown.problem(422);

    // The window is the admins' to change.
    assert_eq!(
        app.get("/api/v1/settings/prevention", &team.viewer)
            .await
            .json["recurrence_window_days"],
        90
    );
    let bad = app
        .request(
            "PUT",
            "/api/v1/settings/prevention",
            Some(json!({"recurrence_window_days": 0})),
            Some(&team.admin.token),
        )
        .await;
    bad.problem(422);
    assert_eq!(bad.fields(), ["recurrence_window_days"]);
}

async fn the_api_tracks_vendor_promises_and_reliability(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    let world = World::new(&app, &team).await;
    let number = world.problem.problem.number;
    let path = format!("/api/v1/problems/{number}/vendor-promises");
    let unknown = app
        .post(
            &path,
            json!({"vendor": 999_999, "what": "A patch", "due_at": app.in_hours(5)}),
            &team.agent,
        )
        .await;
    unknown.problem(422);
    assert_eq!(unknown.fields(), ["vendor"]);
    let id = world.preventions.vendor_promise.vendor_promise.id;
    let stale = app
        .send(
            axum::http::Request::builder()
                .method("POST")
                .uri(format!("/api/v1/vendor-promises/{id}/keep"))
                .header("authorization", format!("Bearer {}", team.agent.token))
                .header("if-match", "\"7\"")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    stale.problem(412);
    let kept = app
        .request(
            "POST",
            &format!("/api/v1/vendor-promises/{id}/keep"),
            None,
            Some(&team.agent.token),
        )
        .await;
    assert_eq!(kept.json["state"], "kept", "{}", kept.text);
    assert_eq!(kept.json["vendor_name"], world.vendor.name);
    let again = app
        .request(
            "POST",
            &format!("/api/v1/vendor-promises/{id}/keep"),
            None,
            Some(&team.agent.token),
        )
        .await;
    again.problem(409);
    let r = app
        .get(
            &format!("/api/v1/vendors/{}/reliability", world.vendor.id),
            &team.viewer,
        )
        .await;
    assert_eq!(
        (r.json["kept"].clone(), r.json["kept_on_time"].clone()),
        (json!(1), json!("100.0%")),
        "{}",
        r.text
    );
    let missing = app
        .get(
            &format!("/api/v1/vendors/{}/reliability", VendorId(999_999)),
            &team.viewer,
        )
        .await;
    missing.problem(404);
    let problem = app
        .get(&format!("/api/v1/problems/{number}"), &team.viewer)
        .await;
    assert_eq!(problem.json["recurrences"], json!([]), "{}", problem.text);
}

async fn the_problem_page_records_a_prevention_and_keeps_refused_input(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    let world = World::new(&app, &team).await;
    let mut browser = app.browser(team.agent.member.clone()).await;
    let number = world.problem.problem.number;
    let page = browser.get(&format!("/problems/{number}")).await;
    assert!(page.text.contains("id=\"preventions\""), "{}", page.text);
    assert!(page.text.contains("id=\"vendor-promises\""));
    let due = local(&app, 48);
    let refused = browser
        .post(
            &format!("/problems/{number}/preventions"),
            &[
                ("root_cause", "Disk filled up"),
                ("cause_category", ""),
                ("corrective_action", "Alert at 80%"),
                ("due_at", &due),
            ],
        )
        .await;
    assert_eq!(refused.status.as_u16(), 422);
    assert!(
        refused.text.contains("value=\"Disk filled up\""),
        "{}",
        refused.text
    );
    assert!(
        refused
            .text
            .contains("id=\"prevention-cause-category-error\"")
    );
    let page = browser
        .submit(
            &format!("/problems/{number}/preventions"),
            &[
                ("root_cause", "Disk filled up"),
                ("cause_category", "Capacity"),
                ("corrective_action", "Move to object storage"),
                ("due_at", &due),
                ("check_after_days", "30"),
            ],
        )
        .await;
    assert!(page.text.contains("Prevention recorded"), "{}", page.text);
    assert!(page.text.contains("Move to object storage"));
    let early = browser
        .post(
            &format!(
                "/problems/{}/preventions/{}/check",
                world.supervisors_problem.problem.number, world.preventions.open.prevention.id
            ),
            &[("effective", "yes")],
        )
        .await;
    assert_eq!(early.status.as_u16(), 409, "{}", early.text);
    let vendor = world.vendor.id.to_string();
    let refused = browser
        .post(
            &format!("/problems/{number}/vendor-promises"),
            &[
                ("vendor", &vendor),
                ("what", "Patch the relay"),
                ("due_at", ""),
            ],
        )
        .await;
    assert_eq!(refused.status.as_u16(), 422);
    assert!(refused.text.contains("value=\"Patch the relay\""));
    let page = browser
        .submit(
            &format!("/problems/{number}/vendor-promises"),
            &[
                ("vendor", &vendor),
                ("what", "Patch the relay"),
                ("due_at", &local(&app, 5)),
            ],
        )
        .await;
    assert!(
        page.text.contains("Vendor promise recorded"),
        "{}",
        page.text
    );
    let csrf_less = browser
        .post_raw(
            &format!("/problems/{number}/preventions"),
            &[("root_cause", "x")],
        )
        .await;
    assert_eq!(csrf_less.status.as_u16(), 403);
}

async fn the_vendor_pages_show_reliability(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    let world = World::new(&app, &team).await;
    let mut browser = app.browser(team.viewer.member.clone()).await;
    let list = browser.get("/vendors").await;
    assert_eq!(list.status.as_u16(), 200);
    assert!(list.text.contains(&world.vendor.name), "{}", list.text);
    assert!(
        list.text
            .contains("href=\"/vendors\" aria-current=\"page\"")
    );
    let page = browser.get(&format!("/vendors/{}", world.vendor.id)).await;
    assert!(page.text.contains("A patch"), "{}", page.text);
    assert!(
        page.text
            .contains(&world.supervisors_problem.problem.number.to_string())
    );
    assert_eq!(browser.get("/vendors/999999").await.status.as_u16(), 404);
}
