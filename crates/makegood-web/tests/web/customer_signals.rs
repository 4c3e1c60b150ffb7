//! An upset customer on the team's pages and API: the badge on the problem, its list row and
//! Today's duty, the "Called them" form and `POST /api/v1/problems/{problem}/call`.

use makegood_domain::{Email, Origin, ProblemId, Severity};
use makegood_store::backend_tests;
use makegood_store::testing::Backend;
use makegood_store::{
    Actor, Ingested, NewAccount, NewContact, NewInboundEmail, NewProblem, ProblemView,
};
use serde_json::json;

use crate::common::{TestApp, User};
use crate::fixture::Team;
use crate::flows::with_headers;

backend_tests!(
    an_upset_customer_is_flagged_everywhere_until_called,
    the_called_them_form_needs_a_note_and_a_worker,
    the_call_api_records_the_call,
);

pub const FURIOUS: &str = "This is terrible. Third time this month, I am furious and disgusted.";

/// A message from `from` answering `problem`, as the parser would hand it over.
pub fn mail(from: &str, problem: Option<ProblemId>, reply: &str) -> NewInboundEmail {
    NewInboundEmail {
        message_id: Some(format!("{}@mail.example", crate::route_table::unique())),
        from_email: Some(Email::parse(from).unwrap()),
        from_name: Some("Someone".into()),
        subject: "Re: the invoices".into(),
        sent_at: None,
        answers: problem,
        tag: None,
        raw: format!("From: {from}\r\n\r\n{reply}\r\n").into_bytes(),
        text: reply.into(),
        reply: reply.into(),
        attachments: Vec::new(),
        skipped: Vec::new(),
    }
}

/// Acme with Dana (dana@acme.example) and a problem of theirs owned by `owner`.
pub async fn upset_world(app: &TestApp, owner: &User, upset: bool) -> ProblemView {
    let store = &app.store;
    let account = store
        .create_account(NewAccount {
            name: "Acme".into(),
            parent: None,
            tier: None,
        })
        .await
        .unwrap();
    let dana = store
        .create_contact(NewContact {
            account: account.id,
            name: "Dana Reyes".into(),
            role_title: "Controller".into(),
            email: Some(Email::parse("dana@acme.example").unwrap()),
            phone: None,
        })
        .await
        .unwrap();
    let actor = Actor {
        member: owner.member.id,
        now: app.now(),
    };
    let p = store
        .create_problem(
            actor,
            NewProblem {
                title: "Invoices printed twice".into(),
                description: String::new(),
                origin: Origin::Ours,
                vendor: None,
                severity: Severity::Major,
                category: "software".into(),
                owner: owner.member.id,
                accounts: vec![account.id],
                stakeholders: vec![dana.id],
                detected_at: None,
                include_locations: false,
                all_stakeholders: false,
            },
        )
        .await
        .unwrap();
    if upset {
        let got = store
            .ingest_email(
                mail("dana@acme.example", Some(p.problem.id), FURIOUS),
                None,
                app.now(),
            )
            .await
            .unwrap();
        assert!(matches!(got, Ingested::Threaded { .. }), "{got:?}");
    }
    store.problem(p.problem.id, app.now()).await.unwrap()
}

async fn an_upset_customer_is_flagged_everywhere_until_called(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    let p = upset_world(&app, &team.agent, true).await;
    assert!(p.customer_upset);
    let number = p.problem.number;
    let mut browser = app.browser(team.agent.member.clone()).await;

    let page = browser.get(&format!("/problems/{number}")).await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(
        page.text
            .contains(r##"<a class="badge upset" href="#call">Customer upset</a>"##),
        "{}",
        page.text
    );
    assert!(
        page.text
            .contains(r#"<section id="call" class="panel call-owed""#),
        "{}",
        page.text
    );
    assert!(page.text.contains("The customer is upset: call them."));
    assert!(
        page.text.contains("The customer wrote, upset:"),
        "the timeline says so too"
    );

    let list = browser.get("/problems").await;
    assert!(
        list.text.contains(&format!(
            r##"href="/problems/{number}#call">customer upset</a>"##
        )),
        "{}",
        list.text
    );
    let today = browser.get("/").await;
    assert!(
        today.text.contains(&format!("Call Acme about {number}")),
        "{}",
        today.text
    );
    assert!(
        today
            .text
            .contains(r#"<span class="badge upset">customer upset</span>"#),
        "{}",
        today.text
    );
    assert!(today.text.contains(&format!("/problems/{number}#call")));

    let done = browser
        .submit(
            &format!("/problems/{number}/call"),
            &[("note", "Apologised; reprint tonight.")],
        )
        .await;
    assert!(done.text.contains("Recorded the call"), "{}", done.text);
    assert!(!done.text.contains("Customer upset</a>"), "{}", done.text);
    assert!(!done.text.contains("call-owed"));
    assert!(
        done.text.contains("Apologised; reprint tonight."),
        "the call is on the timeline"
    );
    let list = browser.get("/problems").await;
    assert!(!list.text.contains("customer upset"), "{}", list.text);
    let today = browser.get("/").await;
    assert!(
        !today.text.contains(&format!("Call Acme about {number}")),
        "{}",
        today.text
    );

    // A calm problem shows no badge, but the form is there for any call.
    let calm = upset_world(&app, &team.agent, false).await;
    let page = browser
        .get(&format!("/problems/{}", calm.problem.number))
        .await;
    assert!(!page.text.contains("badge upset"));
    assert!(page.text.contains("No call is owed."), "{}", page.text);
    assert!(page.text.contains(&format!(
        r#"action="/problems/{}/call""#,
        calm.problem.number
    )));
}

async fn the_called_them_form_needs_a_note_and_a_worker(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    let p = upset_world(&app, &team.agent, true).await;
    let number = p.problem.number;
    let path = format!("/problems/{number}/call");

    let mut agent = app.browser(team.agent.member.clone()).await;
    let refused = agent.post(&path, &[("note", "   ")]).await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert!(
        refused.text.contains(r#"id="call-note-error""#),
        "{}",
        refused.text
    );
    assert!(refused.text.contains("Customer upset"), "still flagged");

    // Kept input on a refusal: too long a note.
    let long = "x".repeat(5_000);
    let refused = agent.post(&path, &[("note", &long)]).await;
    assert_eq!(refused.status, 422);
    assert!(refused.text.contains(&long[..200]));

    // Without the CSRF token: refused, nothing recorded.
    let forged = agent.post_raw(&path, &[("note", "hello")]).await;
    assert_eq!(forged.status, 403, "{}", forged.text);

    let mut viewer = app.browser(team.viewer.member.clone()).await;
    let page = viewer.get(&format!("/problems/{number}")).await;
    assert!(page.text.contains("Customer upset"), "viewers see the flag");
    assert!(
        !page.text.contains(&format!(r#"action="{path}""#)),
        "but get no form"
    );
    let forbidden = viewer.post(&path, &[("note", "I called")]).await;
    assert_eq!(forbidden.status, 403);
    assert!(
        app.store
            .problem(p.problem.id, app.now())
            .await
            .unwrap()
            .customer_upset
    );
}

async fn the_call_api_records_the_call(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    let p = upset_world(&app, &team.agent, true).await;
    let path = format!("/api/v1/problems/{}/call", p.problem.number);

    let got = app
        .get(
            &format!("/api/v1/problems/{}", p.problem.number),
            &team.agent,
        )
        .await;
    assert_eq!(got.json["customer_upset"], true, "{}", got.text);
    let etag = got.header("etag").unwrap().to_owned();

    let blank = app.post(&path, json!({"note": ""}), &team.agent).await;
    blank.problem(422);
    assert_eq!(blank.fields(), ["note"]);
    let unknown = app
        .post(&path, json!({"note": "x", "mood": "fine"}), &team.agent)
        .await;
    assert!(unknown.status.is_client_error(), "{}", unknown.text);
    app.post(&path, json!({"note": "I called"}), &team.viewer)
        .await
        .problem(403);

    let called = with_headers(
        &app,
        "POST",
        &path,
        Some(json!({"note": "Apologised."})),
        &team.agent,
        &[("if-match", &etag)],
    )
    .await;
    assert_eq!(called.status, 201, "{}", called.text);
    assert_eq!(called.json["customer_upset"], false);
    let call = called.json["clocks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["kind"] == "call")
        .unwrap();
    assert_eq!(call["state"], "met", "{call}");
    assert_ne!(called.header("etag"), Some(etag.as_str()));

    // The same ETag again is stale.
    let stale = with_headers(
        &app,
        "POST",
        &path,
        Some(json!({"note": "Again."})),
        &team.agent,
        &[("if-match", &etag)],
    )
    .await;
    stale.problem(412);
}

/// A message from a stranger (a fresh address each time) about `problem`, held for review.
pub async fn held(app: &TestApp, problem: &ProblemView) -> i64 {
    let from = format!("stranger{}@else.example", crate::route_table::unique());
    let mut m = mail(&from, None, "Is this about us? Our invoices doubled.");
    m.tag = Some(problem.problem.number);
    match app.store.ingest_email(m, None, app.now()).await.unwrap() {
        Ingested::Held { inbound, .. } => inbound,
        other => panic!("{other:?}"),
    }
}
