//! The problem page's forms: promises (make, renegotiate, keep, release) and every action.

use jiff::SignedDuration;
use jiff::tz::TimeZone;
use makegood_domain::{PromiseStatus, Status};
use makegood_store::backend_tests;
use makegood_store::testing::Backend;
use makegood_store::{PageRequest, PromiseFilter};

use crate::common::TestApp;
use crate::fixture::{Team, World};

backend_tests!(
    a_promise_is_made_renegotiated_and_kept,
    refused_promise_forms_keep_their_input,
    each_action_redirects_with_a_flash,
    refused_actions_say_why_on_the_page,
);

/// `now` plus `hours` as a `datetime-local` value in UTC (the test members' zone).
fn local(app: &TestApp, hours: i64) -> String {
    app.now()
        .checked_add(SignedDuration::from_hours(hours))
        .unwrap()
        .to_zoned(TimeZone::UTC)
        .strftime("%Y-%m-%dT%H:%M")
        .to_string()
}

async fn a_promise_is_made_renegotiated_and_kept(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    let world = World::new(&app, &team).await;
    let mut browser = app.browser(team.agent.member.clone()).await;
    let number = world.problem.problem.number;
    let contact = world.contact.id.to_string();
    let due = local(&app, 5);
    let page = browser
        .submit(
            &format!("/problems/{number}/promises"),
            &[
                ("what", "Root cause report"),
                ("contacts", &contact),
                ("due_at", &due),
            ],
        )
        .await;
    assert!(page.text.contains("Promise recorded"), "{}", page.text);
    assert!(page.text.contains("Root cause report"));
    let filter = PromiseFilter {
        problem: Some(world.problem.problem.id),
        ..PromiseFilter::default()
    };
    let find = |what: &'static str| {
        let filter = filter.clone();
        let app = &app;
        async move {
            app.store
                .list_promises(&filter, &PageRequest::default(), app.now())
                .await
                .unwrap()
                .items
                .into_iter()
                .filter(|p| p.promise.what == what)
                .collect::<Vec<_>>()
        }
    };
    let made = find("Root cause report").await;
    assert_eq!(made.len(), 1);
    let first = &made[0];
    assert_eq!(first.promise.made_by, team.agent.member.id);
    assert_eq!(
        first.promise.due_at,
        app.now()
            .checked_add(SignedDuration::from_hours(5))
            .unwrap()
    );

    let later = local(&app, 29);
    let page = browser
        .submit(
            &format!(
                "/problems/{number}/promises/{}/renegotiate",
                first.promise.id
            ),
            &[
                ("due_at", &later),
                ("reason", "Vendor logs arrive tomorrow"),
            ],
        )
        .await;
    assert!(
        page.text.contains("Promise renegotiated in time"),
        "{}",
        page.text
    );
    assert!(page.text.contains("Vendor logs arrive tomorrow"));
    let both = find("Root cause report").await;
    assert_eq!(both.len(), 2);
    let old = both
        .iter()
        .find(|p| p.promise.id == first.promise.id)
        .unwrap();
    assert_eq!(old.state, PromiseStatus::Renegotiated);
    let successor = both
        .iter()
        .find(|p| p.promise.id != first.promise.id)
        .unwrap();
    assert_eq!(successor.state, PromiseStatus::Open);

    let page = browser
        .submit(
            &format!("/problems/{number}/promises/{}/keep", successor.promise.id),
            &[],
        )
        .await;
    assert!(page.text.contains("Promise kept"), "{}", page.text);
    let kept = app
        .store
        .promise(successor.promise.id, app.now())
        .await
        .unwrap();
    assert_eq!(kept.state, PromiseStatus::Kept);
    // A kept promise offers no more forms.
    assert!(
        !page
            .text
            .contains(&format!("/promises/{}/keep\"", successor.promise.id))
    );
}

async fn refused_promise_forms_keep_their_input(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    let world = World::new(&app, &team).await;
    let mut browser = app.browser(team.agent.member.clone()).await;
    let number = world.problem.problem.number;
    let past = local(&app, -1);
    let refused = browser
        .post(
            &format!("/problems/{number}/promises"),
            &[("what", "A call back"), ("due_at", &past)],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    for part in [
        r#"value="A call back""#,
        r#"id="promise-contacts-error""#,
        "must be in the future",
    ] {
        assert!(refused.text.contains(part), "{part}: {}", refused.text);
    }
    let id = world.agents_promise.promise.id;
    let later = local(&app, 72);
    let refused = browser
        .post(
            &format!("/problems/{number}/promises/{id}/renegotiate"),
            &[("due_at", &later), ("reason", " ")],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert!(refused.text.contains(&format!(r#"value="{later}""#)));
    assert!(
        refused
            .text
            .contains(&format!(r#"id="renegotiate-reason-{id}-error""#)),
        "{}",
        refused.text
    );
    // An agent works only their own promises.
    let theirs = world.supervisors_promise.promise.id;
    let forbidden = browser
        .post(&format!("/problems/{number}/promises/{theirs}/keep"), &[])
        .await;
    assert_eq!(forbidden.status, 403);
    // Past its due time a promise is broken: renegotiating is refused in words, not a 500.
    app.advance(SignedDuration::from_hours(49));
    let mut browser = app.browser(team.agent.member.clone()).await;
    let late = local(&app, 24);
    let broken = browser
        .post(
            &format!("/problems/{number}/promises/{id}/renegotiate"),
            &[("due_at", &late), ("reason", "too late")],
        )
        .await;
    assert_eq!(broken.status, 409, "{}", broken.text);
    assert!(broken.text.contains("already broken"), "{}", broken.text);
}

/// An action, its form, the flash it answers with and the status it leads to.
type Step<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a str, Status);

async fn each_action_redirects_with_a_flash(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    let world = World::new(&app, &team).await;
    let mut browser = app.browser(team.agent.member.clone()).await;
    let number = world.problem.problem.number;
    let status = || async {
        app.store
            .problem(world.problem.problem.id, app.now())
            .await
            .unwrap()
            .problem
            .status
    };
    let supervisor = team.supervisor.member.id.to_string();
    let steps: [Step; 7] = [
        (
            "wait",
            vec![("on", "customer"), ("reason", "Awaiting their export")],
            "Waiting on the customer",
            Status::WaitingOnCustomer,
        ),
        ("resume", vec![], "Resumed", Status::Open),
        (
            "fix",
            vec![("summary", "Patched the invoice job")],
            "Marked fixed",
            Status::Fixed,
        ),
        ("confirm", vec![], "confirmed the fix", Status::Confirmed),
        (
            "close",
            vec![("outcome", "retained")],
            "Closed",
            Status::Closed,
        ),
        (
            "reopen",
            vec![("reason", "It failed again")],
            "Reopened",
            Status::Open,
        ),
        (
            "owner",
            vec![("owner", &supervisor)],
            "owns it now",
            Status::Open,
        ),
    ];
    for (action, form, flash, expected) in steps {
        let page = browser
            .submit(&format!("/problems/{number}/{action}"), &form)
            .await;
        assert!(page.text.contains(flash), "{action}: {}", page.text);
        assert_eq!(status().await, expected, "{action}");
    }
    let view = app
        .store
        .problem(world.problem.problem.id, app.now())
        .await
        .unwrap();
    assert_eq!(view.problem.owner, team.supervisor.member.id);
}

async fn refused_actions_say_why_on_the_page(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    let world = World::new(&app, &team).await;
    let mut browser = app.browser(team.agent.member.clone()).await;
    let number = world.problem.problem.number;
    // Resuming an open problem: the state machine refuses; the page says so.
    let refused = browser
        .post(&format!("/problems/{number}/resume"), &[])
        .await;
    assert_eq!(refused.status, 409, "{}", refused.text);
    assert!(
        refused.text.contains(r#"class="alert""#),
        "{}",
        refused.text
    );
    let unchosen = browser
        .post(&format!("/problems/{number}/close"), &[("outcome", "")])
        .await;
    assert_eq!(unchosen.status, 422);
    assert!(unchosen.text.contains(r#"id="close-outcome-error""#));
    let reasonless = browser
        .post(
            &format!("/problems/{number}/wait"),
            &[("on", "vendor"), ("reason", "")],
        )
        .await;
    assert_eq!(reasonless.status, 422);
    assert!(reasonless.text.contains(r#"id="wait-reason-error""#));
    assert!(reasonless.text.contains(r#"value="vendor" checked"#));
    // An agent may not give someone else's problem away.
    let theirs = world.supervisors_problem.problem.number;
    let agent = team.agent.member.id.to_string();
    let forbidden = browser
        .post(&format!("/problems/{theirs}/owner"), &[("owner", &agent)])
        .await;
    assert_eq!(forbidden.status, 403);
    let viewer = team.viewer.member.id.to_string();
    let not_an_owner = browser
        .post(&format!("/problems/{number}/owner"), &[("owner", &viewer)])
        .await;
    assert_eq!(not_an_owner.status, 422);
    assert!(not_an_owner.text.contains("cannot own problems"));
}
