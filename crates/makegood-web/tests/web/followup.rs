//! Follow-up results: the problem page's panel, the account page's Follow-ups and Outcomes,
//! and their API routes.

use jiff::SignedDuration;
use makegood_domain::followup::FollowUp;
use makegood_domain::{Email, EventKind, Origin, Outcome, Severity};
use makegood_store::testing::Backend;
use makegood_store::{Actor, NewAccount, NewContact, NewProblem, backend_tests};

use crate::common::TestApp;

backend_tests!(follow_up_results_show_on_the_problem_and_the_account);

async fn follow_up_results_show_on_the_problem_and_the_account(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let store = &app.store;
    let account = store
        .create_account(NewAccount {
            name: "Brightline".into(),
            parent: None,
            tier: None,
        })
        .await
        .unwrap();
    let priya = store
        .create_contact(NewContact {
            account: account.id,
            name: "Priya Shah".into(),
            role_title: "Controller".into(),
            email: Some(Email::parse("priya@brightline.example").unwrap()),
            phone: None,
        })
        .await
        .unwrap();
    let me = Actor {
        member: admin.member.id,
        now: app.now(),
    };
    let problem = store
        .create_problem(
            me,
            NewProblem {
                title: "The app is down".into(),
                description: String::new(),
                origin: Origin::Ours,
                vendor: None,
                severity: Severity::Major,
                category: "software".into(),
                owner: admin.member.id,
                accounts: vec![account.id],
                stakeholders: vec![priya.id],
                include_locations: false,
                all_stakeholders: false,
                detected_at: None,
            },
        )
        .await
        .unwrap()
        .problem;
    let number = problem.number.to_string();
    let mut browser = app.browser(admin.member.clone()).await;
    let page = browser.get(&format!("/problems/{number}")).await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(
        page.text.contains(r#"id="followup-heading""#),
        "{}",
        page.text
    );
    assert!(page.text.contains("No survey was sent."), "{}", page.text);

    let fixed = EventKind::Fixed {
        summary: String::new(),
    };
    store.record(me, problem.id, None, fixed).await.unwrap();
    let page = browser.get(&format!("/problems/{number}")).await;
    assert!(
        page.text.contains("The survey goes to the stakeholders"),
        "{}",
        page.text
    );

    let later = app.now() + SignedDuration::from_hours(72);
    store.fire_due(later, 100).await.unwrap();
    let low = FollowUp::new(2, 3, "Down <all> morning").unwrap();
    store
        .answer_survey(priya.id, problem.id, low, later)
        .await
        .unwrap();
    let close = EventKind::Closed {
        outcome: Outcome::AtRisk,
    };
    let then = Actor { now: later, ..me };
    store.record(then, problem.id, None, close).await.unwrap();

    let page = browser.get(&format!("/problems/{number}")).await;
    assert!(page.text.contains("Priya Shah"), "{}", page.text);
    assert!(
        page.text.contains("2/5") && page.text.contains("3/10"),
        "{}",
        page.text
    );
    assert!(page.text.contains(r#"class="survey low""#), "{}", page.text);
    assert!(
        page.text.contains("Down &#60;all&#62; morning"),
        "escaped: {}",
        page.text
    );

    let page = browser.get(&format!("/accounts/{}", account.id)).await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(
        page.text.contains(r#"id="followups-heading""#),
        "{}",
        page.text
    );
    assert!(page.text.contains("2.0/5"), "{}", page.text);
    assert!(page.text.contains("<dd>-100</dd>"), "{}", page.text);
    assert!(
        page.text.contains(r#"id="outcomes-heading""#),
        "{}",
        page.text
    );
    assert!(page.text.contains("outcome-at_risk"), "{}", page.text);

    let viewer = app.user(makegood_domain::Role::Viewer).await;
    let surveys = app
        .get(&format!("/api/v1/problems/{number}/surveys"), &viewer)
        .await;
    assert_eq!(surveys.status, 200, "{}", surveys.text);
    let first = &surveys.json["items"][0];
    assert_eq!(first["contact_name"], "Priya Shah");
    assert_eq!(
        (first["rating"].as_i64(), first["recommend"].as_i64()),
        (Some(2), Some(3))
    );
    assert_eq!(first["low"], true);

    let summary = app
        .get(&format!("/api/v1/accounts/{}/surveys", account.id), &viewer)
        .await;
    assert_eq!(summary.status, 200, "{}", summary.text);
    assert_eq!(
        (
            summary.json["sent"].as_i64(),
            summary.json["answered"].as_i64()
        ),
        (Some(1), Some(1))
    );
    assert_eq!(summary.json["nps"], -100);
    assert_eq!(summary.json["average_rating"], 2.0);
    assert_eq!(
        summary.json["latest"][0]["problem"]["number"],
        number.as_str()
    );

    let outcomes = app
        .get(
            &format!("/api/v1/accounts/{}/outcomes", account.id),
            &viewer,
        )
        .await;
    assert_eq!(outcomes.status, 200, "{}", outcomes.text);
    assert_eq!(outcomes.json["items"][0]["outcome"], "at_risk");

    let bad = app
        .get(
            &format!("/api/v1/accounts/{}/outcomes?limit=0", account.id),
            &viewer,
        )
        .await;
    bad.problem(422);
    let missing = app.get("/api/v1/accounts/999/surveys", &viewer).await;
    missing.problem(404);
    let missing = app.get("/api/v1/problems/MG-999/surveys", &viewer).await;
    missing.problem(404);
}
