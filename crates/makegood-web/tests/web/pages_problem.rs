//! The problem page: header, clocks, timeline, the composer (update versus note), the viewer.

use makegood_domain::{ClockKind, ClockState, Role};
use makegood_store::backend_tests;
use makegood_store::testing::Backend;

use crate::common::TestApp;
use crate::fixture::{Team, World};

backend_tests!(
    the_page_shows_header_clocks_timeline_and_people,
    an_update_meets_the_tell_clock_and_a_note_does_not,
    a_refused_message_keeps_its_text_beside_the_error,
    a_viewer_sees_no_composer_and_is_refused,
);

/// The state of `problem`'s tell clock now.
async fn tell(app: &TestApp, world: &World) -> ClockState {
    let view = app
        .store
        .problem(world.problem.problem.id, app.now())
        .await
        .unwrap();
    view.clocks
        .iter()
        .find(|c| c.kind == ClockKind::Tell)
        .unwrap()
        .state
}

async fn the_page_shows_header_clocks_timeline_and_people(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    let world = World::new(&app, &team).await;
    let mut browser = app.browser(team.agent.member.clone()).await;
    let number = world.problem.problem.number.to_string();
    let page = browser.get(&format!("/problems/{number}")).await;
    assert_eq!(page.status, 200, "{}", page.text);
    for part in [
        "<span class=\"number\">MG-1</span> Invoices fail".to_owned(),
        team.agent.member.name.clone(),
        "Tell the customer".into(),
        "data-countdown=\"left\"".into(),
        "Promise: Daily status by email".into(),
        format!("<a href=\"/accounts/{}\">Northwind</a>", world.account.id),
        "<strong>Carla Controller</strong>, Controller".into(),
        "recorded the problem (major)".into(),
        "Promise made by".into(),
        "id=\"composer\"".into(),
        "id=\"promises\"".into(),
        "id=\"actions\"".into(),
        // Open: it may wait, be fixed, confirmed or closed; not resumed or reopened.
        format!("action=\"/problems/{number}/wait\""),
        format!("action=\"/problems/{number}/fix\""),
    ] {
        assert!(page.text.contains(&part), "{part} missing in {}", page.text);
    }
    for absent in ["/resume\"", "/reopen\""] {
        assert!(!page.text.contains(absent), "{absent} shown while open");
    }
    // The id names the same page; an unknown number is a helpful 404.
    let by_id = browser
        .get(&format!("/problems/{}", world.problem.problem.id))
        .await;
    assert_eq!(by_id.status, 200);
    let missing = browser.get("/problems/MG-999").await;
    assert_eq!(missing.status, 404);
    assert!(missing.text.contains("Not found"), "{}", missing.text);
    // A waiting problem offers resume, and its paused clocks say so.
    let waiting = browser
        .get(&format!("/problems/{}", world.waiting.problem.number))
        .await;
    assert!(waiting.text.contains("/resume\""), "{}", waiting.text);
    assert!(
        waiting.text.contains("paused while waiting"),
        "{}",
        waiting.text
    );
    assert!(
        waiting.text.contains("Waiting on the vendor"),
        "{}",
        waiting.text
    );
    // ?compose=note preselects the internal note.
    let compose = browser
        .get(&format!("/problems/{number}?compose=note"))
        .await;
    assert!(
        compose
            .text
            .contains(r#"value="note" id="kind-note" checked"#),
        "{}",
        compose.text
    );
}

async fn an_update_meets_the_tell_clock_and_a_note_does_not(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    let world = World::new(&app, &team).await;
    let mut browser = app.browser(team.agent.member.clone()).await;
    let path = format!("/problems/{}/messages", world.problem.problem.number);
    assert!(tell(&app, &world).await.is_running());

    let page = browser
        .submit(&path, &[("kind", "note"), ("body", "Checking the logs")])
        .await;
    assert!(
        page.text.contains("Internal note added"),
        "no flash: {}",
        page.text
    );
    assert!(page.text.contains("Internal note by"), "{}", page.text);
    assert!(page.text.contains("Checking the logs"));
    assert!(
        tell(&app, &world).await.is_running(),
        "a note must not satisfy the tell clock"
    );

    // The pressed button wins over the radio: its label said where the message goes.
    let page = browser
        .submit(
            &path,
            &[
                ("kind", "note"),
                ("send", "update"),
                ("body", "We found the cause; a fix is coming today."),
            ],
        )
        .await;
    assert!(
        page.text
            .contains("Update sent to the customer — the tell clock is met"),
        "{}",
        page.text
    );
    assert!(page.text.contains("told the customer:"), "{}", page.text);
    assert_eq!(tell(&app, &world).await, ClockState::Met);
    assert!(page.text.contains(r#"<span class="badge met">met</span>"#));
}

async fn a_refused_message_keeps_its_text_beside_the_error(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    let world = World::new(&app, &team).await;
    let mut browser = app.browser(team.agent.member.clone()).await;
    let path = format!("/problems/{}/messages", world.problem.problem.number);

    let empty = browser
        .post(&path, &[("send", "update"), ("body", "  ")])
        .await;
    assert_eq!(empty.status, 422, "{}", empty.text);
    assert!(empty.text.contains(r#"id="body-error""#), "{}", empty.text);
    assert!(empty.text.contains(r#"aria-invalid="true""#));

    let undecided = browser
        .post(&path, &[("body", "Where does this go?")])
        .await;
    assert_eq!(undecided.status, 422);
    assert!(
        undecided.text.contains(r#"id="kind-error""#),
        "{}",
        undecided.text
    );
    assert!(
        undecided.text.contains(">Where does this go?</textarea>"),
        "the text was lost: {}",
        undecided.text
    );
    assert!(tell(&app, &world).await.is_running());
}

async fn a_viewer_sees_no_composer_and_is_refused(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    let world = World::new(&app, &team).await;
    let mut viewer = app.browser(team.get(Role::Viewer).member.clone()).await;
    let number = world.problem.problem.number;
    let page = viewer.get(&format!("/problems/{number}")).await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("Invoices fail"));
    for absent in [
        "id=\"composer\"",
        "id=\"actions\"",
        "method=\"post\" action=\"/problems/",
    ] {
        assert!(!page.text.contains(absent), "{absent} shown to a viewer");
    }
    assert!(page.text.contains("id=\"read-only\""));
    let promise = world.agents_promise.promise.id;
    for (path, form) in [
        ("messages", vec![("send", "update"), ("body", "Hello")]),
        ("wait", vec![("on", "vendor"), ("reason", "patch")]),
        ("fix", vec![("summary", "done")]),
        (
            "promises",
            vec![("what", "x"), ("due_at", "2030-01-01T10:00")],
        ),
        (&*format!("promises/{promise}/keep"), vec![]),
    ] {
        let refused = viewer
            .post(&format!("/problems/{number}/{path}"), &form)
            .await;
        assert_eq!(refused.status, 403, "{path}: {}", refused.text);
        assert!(refused.text.contains("Not allowed"), "{}", refused.text);
    }
    assert!(tell(&app, &world).await.is_running());
}
