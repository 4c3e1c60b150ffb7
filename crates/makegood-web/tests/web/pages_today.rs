//! Today: duties most urgent first with one-click actions, broken promises, the team view.

use jiff::SignedDuration;
use makegood_store::backend_tests;
use makegood_store::testing::Backend;

use crate::common::TestApp;
use crate::fixture::{Team, World};

backend_tests!(
    today_says_what_for_whom_by_when_with_a_one_click_action,
    a_broken_promise_shows_on_today_until_talked_about,
    supervisors_see_the_team_and_agents_only_their_own,
    a_viewer_with_nothing_to_do_sees_a_helpful_empty_state,
);

async fn today_says_what_for_whom_by_when_with_a_one_click_action(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    World::new(&app, &team).await;
    let mut agent = app.browser(team.agent.member.clone()).await;
    let today = agent.get("/").await;
    assert_eq!(today.status, 200, "{}", today.text);
    assert!(
        today
            .text
            .contains("Tell Northwind about MG-1 — <time data-countdown=\"left\""),
        "{}",
        today.text
    );
    assert!(
        today
            .text
            .contains(r#"href="/problems/MG-1?compose=update#composer">Tell them now</a>"#),
        "{}",
        today.text
    );
    assert!(today.text.contains("h left</time>"), "{}", today.text);
    // The supervisor's problem is not the agent's duty.
    assert!(!today.text.contains("about MG-4"), "{}", today.text);

    // Past the tell deadline the breached duty comes before the ones still in time.
    app.advance(SignedDuration::from_hours(20));
    app.store
        .create_problem(
            makegood_store::Actor {
                member: team.admin.member.id,
                now: app.now(),
            },
            makegood_store::NewProblem {
                title: "Later".into(),
                description: String::new(),
                origin: makegood_domain::Origin::Ours,
                vendor: None,
                severity: makegood_domain::Severity::Minor,
                category: String::new(),
                owner: team.agent.member.id,
                accounts: vec![
                    app.store
                        .list_accounts(None, &Default::default())
                        .await
                        .unwrap()
                        .items[0]
                        .id,
                ],
                stakeholders: vec![],
                detected_at: None,
                include_locations: false,
                all_stakeholders: false,
            },
        )
        .await
        .unwrap();
    let mut agent = app.browser(team.agent.member.clone()).await;
    let today = agent.get("/").await;
    let breached = today.text.find(r#"<li class="breached">"#).unwrap();
    let ok = today.text.find(r#"<li class="ok">"#).unwrap();
    assert!(breached < ok, "breached before ok: {}", today.text);
    assert!(today.text.contains("overdue</time>"), "{}", today.text);
}

async fn a_broken_promise_shows_on_today_until_talked_about(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    World::new(&app, &team).await;
    let mut agent = app.browser(team.agent.member.clone()).await;
    assert!(!agent.get("/").await.text.contains("Broken promises"));
    // The promise was due in 48 h; two days and an hour later it is broken.
    app.advance(SignedDuration::from_hours(49));
    app.store.break_overdue_promises(app.now()).await.unwrap();
    let mut agent = app.browser(team.agent.member.clone()).await;
    let today = agent.get("/").await;
    assert!(
        today.text.contains(
            "You broke your promise to Northwind: Daily status by email — talk to them now."
        ),
        "{}",
        today.text
    );
    assert!(
        today
            .text
            .contains(r#"href="/problems/MG-1#promises">Talk to Northwind</a>"#),
        "{}",
        today.text
    );
    // A month later it has left Today (it stays in the ledger).
    app.advance(SignedDuration::from_hours(31 * 24));
    let mut agent = app.browser(team.agent.member.clone()).await;
    assert!(!agent.get("/").await.text.contains("You broke your promise"));
}

async fn supervisors_see_the_team_and_agents_only_their_own(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    World::new(&app, &team).await;
    let mut supervisor = app.browser(team.supervisor.member.clone()).await;
    let mine = supervisor.get("/").await;
    assert!(
        mine.text.contains(r#"<a href="/?view=team" >Team</a>"#)
            || mine.text.contains(r#"href="/?view=team""#),
        "{}",
        mine.text
    );
    assert!(
        mine.text.contains("Tell Northwind about MG-4"),
        "{}",
        mine.text
    );
    assert!(!mine.text.contains("about MG-1"), "{}", mine.text);
    let everyone = supervisor.get("/?view=team").await;
    assert!(
        everyone.text.contains("What needs the team now"),
        "{}",
        everyone.text
    );
    assert!(
        everyone.text.contains("about MG-1") && everyone.text.contains("about MG-4"),
        "{}",
        everyone.text
    );
    let agent_name = format!(
        r#"<span class="owner">{}:</span> Tell Northwind about MG-1"#,
        team.agent.member.name
    );
    assert!(
        everyone.text.contains(&agent_name),
        "whose duty it is: {}",
        everyone.text
    );

    let mut agent = app.browser(team.agent.member.clone()).await;
    let refused = agent.get("/?view=team").await;
    assert_eq!(refused.status, 200);
    assert!(
        refused
            .text
            .contains("The team view is for supervisors and admins"),
        "{}",
        refused.text
    );
    assert!(
        !refused.text.contains(r#"href="/?view=team""#),
        "no toggle for agents"
    );
    assert!(!refused.text.contains("about MG-4"), "{}", refused.text);
}

async fn a_viewer_with_nothing_to_do_sees_a_helpful_empty_state(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    World::new(&app, &team).await;
    let mut viewer = app.browser(team.viewer.member.clone()).await;
    let today = viewer.get("/").await;
    assert!(
        today.text.contains("Nothing needs doing right now"),
        "{}",
        today.text
    );
    assert!(
        today
            .text
            .contains(r#"<a href="/problems?open=true">open problem</a>"#),
        "{}",
        today.text
    );
    assert!(
        !today.text.contains("/problems/new"),
        "a viewer cannot record problems"
    );
    assert!(!today.text.contains(r#"href="/?view=team""#));
}
