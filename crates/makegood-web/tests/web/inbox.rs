//! Held mail review: `/settings/inbox` and `/api/v1/inbound/held`.

use makegood_domain::EventKind;
use makegood_store::backend_tests;
use makegood_store::testing::Backend;
use makegood_store::{NewAccount, PageRequest};
use serde_json::json;

use crate::common::TestApp;
use crate::customer_signals::{held, upset_world};
use crate::fixture::Team;

backend_tests!(
    the_inbox_page_attaches_opens_and_dismisses,
    refused_inbox_forms_say_why,
    the_held_mail_api,
);

async fn notes(app: &TestApp, p: makegood_domain::ProblemId) -> Vec<String> {
    app.store
        .timeline(p, &PageRequest::default())
        .await
        .unwrap()
        .items
        .into_iter()
        .filter_map(|e| match e.kind {
            EventKind::Note { body } => Some(body),
            _ => None,
        })
        .collect()
}

async fn the_inbox_page_attaches_opens_and_dismisses(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    let p = upset_world(&app, &team.agent, false).await;
    let number = p.problem.number;
    let first = held(&app, &p).await;
    let second = held(&app, &p).await;
    let third = held(&app, &p).await;
    let mut browser = app.browser(team.admin.member.clone()).await;

    let page = browser.get("/settings/inbox").await;
    assert_eq!(page.status, 200, "{}", page.text);
    let at = |id: i64| page.text.find(&format!(r#"id="held-{id}""#)).unwrap();
    assert!(
        at(first) < at(second) && at(second) < at(third),
        "oldest first"
    );
    assert!(
        page.text
            .contains("Is this about us? Our invoices doubled.")
    );
    assert!(
        page.text.contains("is not a contact of any account"),
        "the reason shows"
    );
    let settings = browser.get("/settings").await;
    assert!(settings.text.contains(r#"href="/settings/inbox""#));

    let done = browser
        .submit(
            &format!("/settings/inbox/{first}/attach"),
            &[("problem", &number.to_string())],
        )
        .await;
    assert!(
        done.text
            .contains(&format!("Attached to {number} as a note naming the sender")),
        "{}",
        done.text
    );
    assert!(!done.text.contains(&format!(r#"id="held-{first}""#)));
    assert_eq!(notes(&app, p.problem.id).await.len(), 1);

    let acme = p.problem.accounts[0].0.to_string();
    let opened = browser
        .submit(
            &format!("/settings/inbox/{second}/open"),
            &[("account", &acme), ("name", "Sam Stranger")],
        )
        .await;
    assert!(
        opened
            .text
            .contains("Opened a new problem from the held email"),
        "{}",
        opened.text
    );
    assert!(
        opened.text.contains("Sam Stranger"),
        "the new contact is its stakeholder"
    );

    let dismissed = browser
        .submit(&format!("/settings/inbox/{third}/dismiss"), &[])
        .await;
    assert!(
        dismissed.text.contains("Dismissed — the message is kept"),
        "{}",
        dismissed.text
    );
    assert!(dismissed.text.contains("No mail is waiting for review."));
    assert_eq!(
        app.store.inbound_email(third).await.unwrap().status,
        "dismissed"
    );
}

async fn refused_inbox_forms_say_why(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    let p = upset_world(&app, &team.agent, false).await;
    let id = held(&app, &p).await;
    let mut browser = app.browser(team.admin.member.clone()).await;

    let refused = browser
        .post(
            &format!("/settings/inbox/{id}/attach"),
            &[("problem", "MG-999")],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert!(
        refused.text.contains(&format!(r#"id="attach-{id}-error""#)),
        "{}",
        refused.text
    );
    assert!(
        refused.text.contains(r#"value="MG-999""#),
        "the input is kept"
    );

    let refused = browser
        .post(
            &format!("/settings/inbox/{id}/open"),
            &[("account", ""), ("name", "")],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert!(
        refused
            .text
            .contains(&format!(r#"id="open-{id}-account-error""#)),
        "{}",
        refused.text
    );

    let account = app
        .store
        .create_account(NewAccount {
            name: "Initech".into(),
            parent: None,
            tier: None,
        })
        .await
        .unwrap();
    let refused = browser
        .post(
            &format!("/settings/inbox/{id}/open"),
            &[("account", &account.id.0.to_string()), ("name", "  ")],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert!(
        refused
            .text
            .contains(&format!(r#"id="open-{id}-name-error""#)),
        "{}",
        refused.text
    );

    let forged = browser
        .post_raw(&format!("/settings/inbox/{id}/dismiss"), &[])
        .await;
    assert_eq!(forged.status, 403);
    let mut agent = app.browser(team.agent.member.clone()).await;
    assert_eq!(agent.get("/settings/inbox").await.status, 403);
    assert_eq!(
        agent
            .post(&format!("/settings/inbox/{id}/dismiss"), &[])
            .await
            .status,
        403
    );
    assert_eq!(app.store.inbound_email(id).await.unwrap().status, "held");

    // Reviewed in another tab: a second decision is refused with the reason.
    browser
        .submit(&format!("/settings/inbox/{id}/dismiss"), &[])
        .await;
    let again = browser
        .post(&format!("/settings/inbox/{id}/dismiss"), &[])
        .await;
    assert_eq!(again.status, 409, "{}", again.text);
    assert!(again.text.contains("already reviewed"), "{}", again.text);
}

async fn the_held_mail_api(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    let p = upset_world(&app, &team.agent, false).await;
    let a = held(&app, &p).await;
    let b = held(&app, &p).await;
    let admin = &team.admin;

    let list = app.get("/api/v1/inbound/held?limit=1", admin).await;
    assert_eq!(list.status, 200, "{}", list.text);
    assert_eq!(list.json["items"][0]["id"], a);
    assert_eq!(list.json["items"][0]["status"], "held");
    let cursor = list.json["next_cursor"].as_str().unwrap().to_owned();
    let next = app
        .get(
            &format!("/api/v1/inbound/held?limit=1&cursor={cursor}"),
            admin,
        )
        .await;
    assert_eq!(next.json["items"][0]["id"], b);
    app.get("/api/v1/inbound/held?limit=0", admin)
        .await
        .problem(422);
    app.get("/api/v1/inbound/held", &team.agent)
        .await
        .problem(403);
    app.get("/api/v1/inbound/held/9999", admin)
        .await
        .problem(404);

    let attach = |id: i64| format!("/api/v1/inbound/held/{id}/attach");
    app.post(&attach(a), json!({"problem": "MG-999"}), admin)
        .await
        .problem(404);
    let unknown = app
        .post(&attach(a), json!({"problem": "MG-1", "extra": 1}), admin)
        .await;
    assert!(unknown.status.is_client_error(), "{}", unknown.text);
    let done = app
        .post(
            &attach(a),
            json!({"problem": p.problem.number.to_string()}),
            admin,
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.text);
    assert_eq!(done.json["as_reply"], false);
    assert_eq!(done.json["inbound"]["status"], "threaded");
    assert_eq!(done.json["inbound"]["reviewed_by"], admin.member.id.0);
    app.post(
        &attach(a),
        json!({"problem": p.problem.number.to_string()}),
        admin,
    )
    .await
    .problem(409);
    let got = app.get(&format!("/api/v1/inbound/held/{a}"), admin).await;
    assert_eq!(got.json["problem"], p.problem.id.0);

    let open = format!("/api/v1/inbound/held/{b}/open");
    let nameless = app.post(&open, json!({"name": "Who"}), admin).await;
    nameless.problem(422);
    assert_eq!(nameless.fields(), ["account"]);
    app.post(&open, json!({}), admin).await.problem(422);
    let opened = app
        .post(
            &open,
            json!({"account": p.problem.accounts[0].0, "name": "Sam Stranger"}),
            admin,
        )
        .await;
    assert_eq!(opened.status, 201, "{}", opened.text);
    assert_eq!(opened.json["inbound"]["status"], "opened");
    assert!(opened.json["problem"].as_i64().is_some());
    app.post(
        &format!("/api/v1/inbound/held/{b}/dismiss"),
        json!({}),
        admin,
    )
    .await
    .problem(409);

    let c = held(&app, &p).await;
    let dismissed = app
        .request(
            "POST",
            &format!("/api/v1/inbound/held/{c}/dismiss"),
            None,
            Some(&admin.token),
        )
        .await;
    assert_eq!(dismissed.status, 200, "{}", dismissed.text);
    assert_eq!(dismissed.json["status"], "dismissed");
}
