//! Account health on the pages and in the API: the accounts list worst first with the band
//! in words, the account page's score, factors and trend, the owner, and the review a red
//! account asks of its owner on Today.

use makegood_domain::Role;
use makegood_store::testing::Backend;
use makegood_store::{NewAccount, backend_tests};
use serde_json::json;

use crate::common::TestApp;
use crate::fixture::Team;
use crate::health_fixture::lose_twice;

backend_tests!(a_red_account_shows_everywhere_and_is_reviewed);

async fn a_red_account_shows_everywhere_and_is_reviewed(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    app.store
        .create_account(NewAccount {
            name: "Alpha".into(),
            parent: None,
            tier: None,
        })
        .await
        .unwrap();
    let redwood = app
        .store
        .create_account(NewAccount {
            name: "Redwood".into(),
            parent: None,
            tier: None,
        })
        .await
        .unwrap();
    lose_twice(&app, &team, &redwood).await;
    let red = redwood.id;

    // The list: worst first by default, the band as a word; by name on request.
    let mut browser = app.browser(team.agent.member.clone()).await;
    let list = browser.get("/accounts").await;
    assert_eq!(list.status, 200, "{}", list.text);
    let redwood_at = list.text.find(">Redwood</a>").unwrap();
    let alpha = list.text.find(">Alpha</a>").unwrap();
    assert!(redwood_at < alpha, "worst first: {}", list.text);
    assert!(
        list.text
            .contains(r#"<span class="badge red">Red</span> 43"#),
        "{}",
        list.text
    );
    let by_name = browser.get("/accounts?sort=name").await;
    assert!(by_name.text.find(">Alpha</a>").unwrap() < by_name.text.find(">Redwood</a>").unwrap());

    // The API: score, band, factors; no owner, so the agent may not review it.
    let health = app
        .get(&format!("/api/v1/accounts/{red}/health"), &team.agent)
        .await;
    assert_eq!(
        (health.json["score"].as_u64(), health.json["band"].as_str()),
        (Some(43), Some("red")),
        "{}",
        health.text
    );
    assert_eq!(health.json["factors"][0]["kind"], "outcomes");
    app.post(
        &format!("/api/v1/accounts/{red}/health/review"),
        json!(null),
        &team.agent,
    )
    .await
    .problem(403);

    // Give it to the agent through the API: their Today asks them to review it.
    let owned = app
        .request(
            "PATCH",
            &format!("/api/v1/accounts/{red}"),
            Some(json!({"owner": team.agent.member.id})),
            Some(&team.admin.token),
        )
        .await;
    assert_eq!(
        owned.json["owner"], team.agent.member.id.0,
        "{}",
        owned.text
    );
    let viewer = app.user(Role::Viewer).await;
    app.request(
        "PATCH",
        &format!("/api/v1/accounts/{red}"),
        Some(json!({"owner": viewer.member.id})),
        Some(&team.admin.token),
    )
    .await
    .problem(422);
    let today = browser.get("/").await;
    assert!(
        today
            .text
            .contains("Redwood turned red: review the account"),
        "{}",
        today.text
    );
    assert!(
        today.text.contains(&format!("/accounts/{red}#health")),
        "{}",
        today.text
    );

    // The account page: score, band, what lowered it, and the button.
    let page = browser.get(&format!("/accounts/{red}")).await;
    assert!(
        page.text.contains(r#"<span class="badge red">Red</span>"#),
        "{}",
        page.text
    );
    assert!(
        page.text
            .contains("problems closed in the last 90 days: 2 lost"),
        "{}",
        page.text
    );
    assert!(page.text.contains("Owner <strong>"), "{}", page.text);
    let reviewed = browser
        .submit(&format!("/accounts/{red}/review"), &[])
        .await;
    assert!(
        reviewed.text.contains("Redwood marked reviewed."),
        "{}",
        reviewed.text
    );
    assert!(reviewed.text.contains("reviewed by"), "{}", reviewed.text);
    let today = browser.get("/").await;
    assert!(!today.text.contains("Redwood turned red"), "{}", today.text);
    let again = app
        .post(
            &format!("/api/v1/accounts/{red}/health/review"),
            json!(null),
            &team.agent,
        )
        .await;
    again.problem(409);

    // The owner is edited on the account page too.
    let mut admin = app.browser(team.admin.member.clone()).await;
    let form = admin.get(&format!("/accounts/{red}")).await;
    assert!(
        form.text
            .contains(r#"<select id="edit-owner" name="owner""#),
        "{}",
        form.text
    );
    let cleared = admin
        .submit(
            &format!("/accounts/{red}"),
            &[
                ("name", "Redwood"),
                ("parent", ""),
                ("tier", ""),
                ("owner", ""),
            ],
        )
        .await;
    assert!(cleared.text.contains("No owner"), "{}", cleared.text);
    assert_eq!(app.store.account(redwood.id).await.unwrap().owner, None);
}
