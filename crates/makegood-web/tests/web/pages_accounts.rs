//! The account pages: directory and search, new account, detail, contacts added and removed.

use makegood_domain::{AccountId, Role};
use makegood_store::testing::Backend;
use makegood_store::{NewAccount, backend_tests};

use crate::common::TestApp;

backend_tests!(
    accounts_are_added_with_errors_beside_the_fields,
    an_account_shows_its_network_contacts_and_history,
    viewers_read_accounts_but_cannot_change_them,
);

async fn accounts_are_added_with_errors_beside_the_fields(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let mut browser = app.browser(admin.member).await;
    let empty = browser.get("/accounts").await;
    assert_eq!(empty.status, 200, "{}", empty.text);
    assert!(empty.text.contains("No accounts yet."), "{}", empty.text);

    // An empty name and an unknown parent: 422, each error beside its field, input kept.
    let refused = browser
        .post(
            "/accounts",
            &[("name", "  "), ("parent", ""), ("tier", "gold")],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert!(
        refused.text.contains(r#"id="new-name-error""#),
        "{}",
        refused.text
    );
    assert!(refused.text.contains(r#"name="tier" value="gold""#));
    let unknown = browser
        .post("/accounts", &[("name", "Acme"), ("parent", "999")])
        .await;
    assert_eq!(unknown.status, 422, "{}", unknown.text);
    assert!(
        unknown.text.contains(r#"id="new-parent-error""#),
        "{}",
        unknown.text
    );
    assert!(unknown.text.contains(r#"name="name" value="Acme""#));

    let network = browser
        .submit(
            "/accounts",
            &[("name", "Northwind Franchise"), ("tier", "gold")],
        )
        .await;
    assert_eq!(network.status, 200, "{}", network.text);
    assert!(network.text.contains("Account Northwind Franchise added."));
    assert!(network.text.contains("<h1>Northwind Franchise</h1>"));
    let parent = app
        .store
        .search_accounts(Some("northwind"), &Default::default())
        .await
        .unwrap()
        .items[0]
        .account
        .id;
    let location = browser
        .submit(
            "/accounts",
            &[
                ("name", "Northwind Berlin"),
                ("parent", &parent.to_string()),
            ],
        )
        .await;
    assert!(
        location.text.contains(&format!(
            r#"Location of <a href="/accounts/{parent}">Northwind Franchise</a>"#
        )),
        "{}",
        location.text
    );

    let found = browser.get("/accounts?q=BERLIN").await;
    assert!(found.text.contains("Northwind Berlin"));
    assert!(
        found
            .text
            .contains(r#"<span class="label">Part of </span>"#)
    );
    let none = browser.get("/accounts?q=zzz").await;
    assert!(
        none.text.contains("No account's name contains"),
        "{}",
        none.text
    );
}

async fn an_account_shows_its_network_contacts_and_history(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let new = |name: &str, parent: Option<AccountId>| NewAccount {
        name: name.into(),
        parent,
        tier: None,
    };
    let network = app
        .store
        .create_account(new("Northwind", None))
        .await
        .unwrap();
    app.store
        .create_account(new("Northwind Leeds", Some(network.id)))
        .await
        .unwrap();
    let mut browser = app.browser(admin.member).await;
    let path = format!("/accounts/{}", network.id);
    let page = browser.get(&path).await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(
        page.text.contains(">Northwind Leeds</a></li>"),
        "{}",
        page.text
    );
    assert!(page.text.contains("No contacts yet."));
    assert!(page.text.contains("No problems recorded for Northwind"));

    // A contact with a bad email is refused beside the field, the name kept.
    let contacts = format!("{path}/contacts");
    let refused = browser
        .post(
            &contacts,
            &[("name", "Ann Archer"), ("email", "not-an-email")],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert!(refused.text.contains(r#"id="contact-email-error""#));
    assert!(refused.text.contains(r#"name="name" value="Ann Archer""#));
    let added = browser
        .submit(
            &contacts,
            &[
                ("name", "Ann Archer"),
                ("role_title", "Controller"),
                ("email", "ann@northwind.example"),
                ("phone", "+44 20 7946 0000"),
            ],
        )
        .await;
    assert!(
        added
            .text
            .contains("Ann Archer added as a contact at Northwind."),
        "{}",
        added.text
    );
    assert!(
        added
            .text
            .contains(r#"<a href="mailto:ann@northwind.example">"#)
    );
    assert!(
        added
            .text
            .contains(r#"data-confirm="Remove Ann Archer from Northwind?""#)
    );

    let contact = app
        .store
        .list_contacts(Some(network.id), &Default::default())
        .await
        .unwrap()
        .items[0]
        .id;
    let removed = browser
        .submit(&format!("{path}/contacts/{contact}/remove"), &[])
        .await;
    assert!(
        removed.text.contains("Ann Archer removed."),
        "{}",
        removed.text
    );
    assert!(removed.text.contains("No contacts yet."));

    // Edit: a location cannot become its own parent's parent.
    let leeds = app
        .store
        .search_accounts(Some("leeds"), &Default::default())
        .await
        .unwrap()
        .items[0]
        .account
        .id;
    let cycle = browser
        .post(
            &path,
            &[("name", "Northwind"), ("parent", &leeds.to_string())],
        )
        .await;
    assert_eq!(cycle.status, 422, "{}", cycle.text);
    assert!(cycle.text.contains(r#"id="edit-parent-error""#));
    let renamed = browser
        .submit(&path, &[("name", "Northwind Group"), ("tier", "gold")])
        .await;
    assert!(renamed.text.contains("Account Northwind Group saved."));
    assert!(renamed.text.contains("Tier <strong>gold</strong>"));

    let missing = browser.get("/accounts/999").await;
    assert_eq!(missing.status, 404);
}

async fn viewers_read_accounts_but_cannot_change_them(backend: Backend) {
    let (app, _) = TestApp::new(backend).await;
    let account = app
        .store
        .create_account(NewAccount {
            name: "Acme".into(),
            parent: None,
            tier: None,
        })
        .await
        .unwrap();
    let viewer = app.user(Role::Viewer).await;
    let mut browser = app.browser(viewer.member).await;
    let list = browser.get("/accounts").await;
    assert_eq!(list.status, 200);
    assert!(list.text.contains("Acme"));
    assert!(!list.text.contains("New account"));
    let detail = browser.get(&format!("/accounts/{}", account.id)).await;
    assert!(!detail.text.contains("Add a contact"));
    assert_eq!(
        browser
            .post("/accounts", &[("name", "Sneaky")])
            .await
            .status,
        403
    );
    let contacts = format!("/accounts/{}/contacts", account.id);
    assert_eq!(
        browser.post(&contacts, &[("name", "Sneaky")]).await.status,
        403
    );
    assert!(
        app.store
            .list_contacts(Some(account.id), &Default::default())
            .await
            .unwrap()
            .items
            .is_empty()
    );
}
