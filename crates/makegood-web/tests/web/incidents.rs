//! Incidents across many accounts through the API and the pages: a network and its
//! locations, every contact told, promises to one location or all, each location's page.

use makegood_domain::{AccountId, Email, ProblemId};
use makegood_store::testing::Backend;
use makegood_store::{
    DeliveryFilter, LocationContact, NewAccount, NewLocation, PageRequest, backend_tests,
};
use serde_json::json;

use crate::common::TestApp;

backend_tests!(
    an_incident_across_a_network_through_the_api,
    an_incident_across_a_network_through_the_pages,
);

/// A network with three locations, each with an emailed manager and a clerk without email.
async fn network(app: &TestApp) -> (AccountId, Vec<AccountId>) {
    let parent = app
        .store
        .create_account(NewAccount {
            name: "Bakery Network".into(),
            parent: None,
            tier: None,
        })
        .await
        .unwrap()
        .id;
    let locations = (0..3)
        .map(|i| NewLocation {
            name: format!("Bakery {i}"),
            tier: None,
            contacts: vec![
                LocationContact {
                    name: format!("Manager {i}"),
                    role_title: "Manager".into(),
                    email: Some(Email::parse(&format!("m{i}@bakery.example")).unwrap()),
                    phone: None,
                },
                LocationContact {
                    name: format!("Clerk {i}"),
                    role_title: String::new(),
                    email: None,
                    phone: None,
                },
            ],
        })
        .collect();
    (
        parent,
        app.store.import_locations(parent, locations).await.unwrap(),
    )
}

async fn queued(app: &TestApp, problem: ProblemId) -> usize {
    let filter = DeliveryFilter {
        problem: Some(problem),
        ..DeliveryFilter::default()
    };
    let page = PageRequest {
        cursor: None,
        limit: Some(200),
    };
    app.store
        .list_deliveries(&filter, &page)
        .await
        .unwrap()
        .items
        .len()
}

async fn an_incident_across_a_network_through_the_api(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let (parent, locations) = network(&app).await;
    let problem = |extra: serde_json::Value| {
        let mut body = json!({"title": "Ovens offline", "origin": "vendor", "severity": "major", "accounts": [parent.0]});
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        body
    };
    let both = app
        .post(
            "/api/v1/problems",
            problem(json!({"all_stakeholders": true, "stakeholders": [1]})),
            &admin,
        )
        .await;
    both.problem(422);
    assert_eq!(both.fields(), ["stakeholders"]);
    let vendor = app
        .post("/api/v1/vendors", json!({"name": "OvenCo"}), &admin)
        .await;
    let created = app
        .post(
            "/api/v1/problems",
            problem(json!({"vendor": vendor.json["id"], "include_locations": true, "all_stakeholders": true})),
            &admin,
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(created.json["accounts"].as_array().unwrap().len(), 4);
    assert_eq!(created.json["all_stakeholders"], true);
    let number = created.json["number"].as_str().unwrap().to_owned();
    let id = ProblemId(created.json["id"].as_i64().unwrap());

    let update = app
        .post(
            &format!("/api/v1/problems/{number}/updates"),
            json!({"body": "The ovens are back at noon."}),
            &admin,
        )
        .await;
    assert_eq!(update.status, 201, "{}", update.text);
    assert_eq!(
        queued(&app, id).await,
        3,
        "one email per manager; clerks have no address"
    );

    let promise = |to: serde_json::Value| {
        let mut body =
            json!({"what": "Ovens back by noon", "problem": number, "due_at": app.in_hours(3)});
        body.as_object_mut()
            .unwrap()
            .extend(to.as_object().unwrap().clone());
        body
    };
    let one = app
        .post(
            "/api/v1/promises",
            promise(json!({"accounts": [locations[1].0]})),
            &admin,
        )
        .await;
    assert_eq!(one.status, 201, "{}", one.text);
    assert_eq!(one.json["contacts"].as_array().unwrap().len(), 2);
    let all = app
        .post(
            "/api/v1/promises",
            promise(json!({"all_accounts": true})),
            &admin,
        )
        .await;
    assert_eq!(all.status, 201, "{}", all.text);
    assert_eq!(all.json["contacts"].as_array().unwrap().len(), 6);

    let mixed = app
        .post(
            "/api/v1/promises",
            promise(json!({"all_accounts": true, "contacts": [1]})),
            &admin,
        )
        .await;
    assert!(mixed.problem(422)["detail"].is_string());
    assert_eq!(mixed.fields(), ["contacts"]);
    let other = app
        .post("/api/v1/accounts", json!({"name": "Elsewhere"}), &admin)
        .await;
    let foreign = app
        .post(
            "/api/v1/promises",
            promise(json!({"accounts": [other.json["id"]]})),
            &admin,
        )
        .await;
    foreign.problem(422);
    assert_eq!(foreign.fields(), ["accounts"]);
    assert!(
        foreign.text.contains("is not affected by"),
        "{}",
        foreign.text
    );
    let none = app
        .post("/api/v1/promises", promise(json!({"accounts": []})), &admin)
        .await;
    none.problem(422);
    assert_eq!(none.fields(), ["accounts"]);
    let mut loose = promise(json!({"all_accounts": true}));
    loose.as_object_mut().unwrap().remove("problem");
    let loose = app.post("/api/v1/promises", loose, &admin).await;
    loose.problem(422);
    assert_eq!(loose.fields(), ["problem"]);
}

async fn an_incident_across_a_network_through_the_pages(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let (parent, locations) = network(&app).await;
    let mut browser = app.browser(admin.member.clone()).await;
    let form = browser.get("/problems/new").await;
    assert!(
        form.text
            .contains(r#"name="include_locations" value="true""#),
        "{}",
        form.text
    );
    assert!(
        form.text
            .contains(r#"name="all_stakeholders" value="true""#)
    );
    let account = parent.0.to_string();
    let base = [
        ("title", "Ovens offline"),
        ("origin", "ours"),
        ("severity", "major"),
        ("accounts", account.as_str()),
    ];
    let mut refused: Vec<(&str, &str)> = base.to_vec();
    refused.extend([
        ("include_locations", "true"),
        ("all_stakeholders", "true"),
        ("stakeholders", "1"),
    ]);
    let refused = browser.post("/problems/new", &refused).await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert!(
        refused.text.contains(r#"id="stakeholders-error""#),
        "{}",
        refused.text
    );
    assert!(
        refused
            .text
            .contains(r#"id="include_locations" name="include_locations" value="true" checked"#),
        "the choice is kept"
    );

    let mut good: Vec<(&str, &str)> = base.to_vec();
    good.extend([("include_locations", "true"), ("all_stakeholders", "true")]);
    let created = browser.post("/problems/new", &good).await;
    assert_eq!(created.status, 303, "{}", created.text);
    let path = created.header("location").unwrap().to_owned();
    let page = browser.get(&path).await;
    assert!(
        page.text.contains(
            "Every contact of every affected account: 6 contacts, 3 with an email address."
        ),
        "{}",
        page.text
    );
    assert!(
        page.text
            .contains("every contact of the 4 affected accounts, 3 with an email address")
    );

    let sent = browser
        .post(
            &format!("{path}/messages"),
            &[
                ("kind", "update"),
                ("send", "update"),
                ("body", "The ovens are back at noon."),
            ],
        )
        .await;
    assert_eq!(sent.status, 303, "{}", sent.text);
    for location in &locations {
        let account = browser.get(&format!("/accounts/{}", location.0)).await;
        assert!(account.text.contains("Ovens offline"), "{}", account.text);
        assert!(
            account.text.contains("The ovens are back at noon."),
            "{}",
            account.text
        );
        assert!(account.text.contains("affects 3 other accounts too"));
    }

    let due = (app.now() + jiff::SignedDuration::from_hours(3))
        .to_zoned(jiff::tz::TimeZone::get(&admin.member.time_zone).unwrap())
        .strftime("%Y-%m-%dT%H:%M")
        .to_string();
    let to = locations[2].0.to_string();
    let promised = browser
        .post(
            &format!("{path}/promises"),
            &[
                ("what", "Ovens back by noon"),
                ("to", to.as_str()),
                ("due_at", due.as_str()),
            ],
        )
        .await;
    assert_eq!(promised.status, 303, "{}", promised.text);
    let promised = browser
        .post(
            &format!("{path}/promises"),
            &[
                ("what", "A free loaf each"),
                ("to", "all"),
                ("due_at", due.as_str()),
            ],
        )
        .await;
    assert_eq!(promised.status, 303, "{}", promised.text);
    let page = browser.get(&path).await;
    assert!(page.text.contains("To 6 contacts"), "{}", page.text);
    assert!(
        page.text.contains("Recorded") || page.text.contains("Promise recorded to 6 contacts"),
        "{}",
        page.text
    );
    let foreign = browser
        .post(
            &format!("{path}/promises"),
            &[
                ("what", "Nope"),
                ("to", "nonsense"),
                ("due_at", due.as_str()),
            ],
        )
        .await;
    assert_eq!(foreign.status, 422, "{}", foreign.text);
    assert!(
        foreign.text.contains(r#"id="promise-to-error""#),
        "{}",
        foreign.text
    );
}
