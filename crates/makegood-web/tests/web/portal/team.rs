//! The team's side: sending a contact a portal link and revoking their access, on the account
//! page and through the API.

use makegood_domain::{Notice, Role};
use makegood_store::testing::Backend;
use makegood_store::{DeliveryFilter, NewContact, PageRequest, backend_tests};

use crate::common::TestApp;

use super::{Visitor, scene};

backend_tests!(the_team_sends_a_portal_link_and_revokes_access_from_the_account_page);

async fn the_team_sends_a_portal_link_and_revokes_access_from_the_account_page(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let s = scene(&app, admin.member.id).await;
    let mut ann = Visitor::new(&app);
    ann.sign_in(
        &app.store
            .issue_portal_link(s.ann, None, None, app.now())
            .await
            .unwrap()
            .secret,
    )
    .await;

    let mut team = app.browser(admin.member.clone()).await;
    let page = team.get(&format!("/accounts/{}", s.acme_account)).await;
    assert!(page.text.contains("Send portal link") && page.text.contains("Revoke portal access"));
    let done = team
        .submit(
            &format!(
                "/accounts/{}/contacts/{}/portal-link",
                s.acme_account, s.ann.0
            ),
            &[],
        )
        .await;
    assert!(
        done.text.contains("on its way to Ann Archer"),
        "{}",
        done.text
    );
    let sent = app
        .store
        .list_deliveries(&DeliveryFilter::default(), &PageRequest::default())
        .await
        .unwrap()
        .items;
    assert!(sent.iter().any(|d| matches!(&d.notice, Notice::PortalLink { to, .. } if to.email.as_str() == "ann@acme.example")));
    assert!(
        !done.text.contains("/portal/link/"),
        "the secret is never shown to the team"
    );

    // A viewer may not.
    let viewer = app.user(Role::Viewer).await;
    let mut v = app.browser(viewer.member).await;
    assert_eq!(
        v.post(
            &format!(
                "/accounts/{}/contacts/{}/portal-link",
                s.acme_account, s.ann.0
            ),
            &[]
        )
        .await
        .status,
        403
    );
    // Another account's contact under this account's URL: 404.
    assert_eq!(
        team.post(
            &format!(
                "/accounts/{}/contacts/{}/portal-revoke",
                s.acme_account, s.bob.0
            ),
            &[]
        )
        .await
        .status,
        404
    );

    let done = team
        .submit(
            &format!(
                "/accounts/{}/contacts/{}/portal-revoke",
                s.acme_account, s.ann.0
            ),
            &[],
        )
        .await;
    assert!(
        done.text.contains("portal access is revoked"),
        "{}",
        done.text
    );
    assert_eq!(
        ann.get("/portal/problems/1").await.status,
        303,
        "signed out"
    );
}

backend_tests!(the_api_sends_a_portal_link_and_revokes_access);

async fn the_api_sends_a_portal_link_and_revokes_access(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let s = scene(&app, admin.member.id).await;
    let token = Some(admin.token.as_str());
    let link_of =
        |contact: makegood_domain::ContactId| format!("/api/v1/contacts/{}/portal-link", contact.0);

    // No body: a link to the list, emailed; the answer names the address, never the secret.
    let sent = app.request("POST", &link_of(s.ann), None, token).await;
    assert_eq!(sent.status, 202, "{}", sent.text);
    assert_eq!(sent.json["sent_to"], "ann@acme.example");
    assert_eq!(sent.json["problem"], serde_json::Value::Null);
    let emailed: Vec<String> = app
        .store
        .list_deliveries(&DeliveryFilter::default(), &PageRequest::default())
        .await
        .unwrap()
        .items
        .into_iter()
        .filter_map(|d| match d.notice {
            Notice::PortalLink { token, .. } => Some(token),
            _ => None,
        })
        .collect();
    assert_eq!(emailed.len(), 1, "one email in the outbox");
    assert!(!sent.text.contains(&emailed[0]), "{}", sent.text);
    let outbox = app.request("GET", "/api/v1/deliveries", None, token).await;
    assert_eq!(outbox.status, 200, "{}", outbox.text);
    assert!(outbox.text.contains("portal_link"), "{}", outbox.text);
    assert!(
        !outbox.text.contains(&emailed[0]),
        "the outbox API shows the secret redacted: {}",
        outbox.text
    );

    // Landing on Acme's own problem, by id.
    let on_problem = app
        .request(
            "POST",
            &link_of(s.ann),
            Some(serde_json::json!({"problem": s.acme.0.to_string()})),
            token,
        )
        .await;
    assert_eq!(on_problem.status, 202, "{}", on_problem.text);
    assert_eq!(on_problem.json["problem"], s.acme.0);

    // Globex's problem does not affect Acme: 422 on `problem`, and nothing is sent.
    let wrong = app
        .request(
            "POST",
            &link_of(s.ann),
            Some(serde_json::json!({"problem": s.globex.0.to_string()})),
            token,
        )
        .await;
    wrong.problem(422);
    assert_eq!(wrong.fields(), ["problem"]);
    assert!(
        wrong
            .text
            .contains("does not affect this contact's account"),
        "{}",
        wrong.text
    );
    let missing = app
        .request(
            "POST",
            &link_of(s.ann),
            Some(serde_json::json!({"problem": "MG-9999"})),
            token,
        )
        .await;
    missing.problem(422);
    assert_eq!(missing.fields(), ["problem"]);

    // A contact without an address: 422 on `email`, saying what to do.
    let acme = makegood_domain::AccountId(s.acme_account);
    let no_email = app
        .store
        .create_contact(NewContact {
            account: acme,
            name: "Nell Nomail".into(),
            role_title: "Finance".into(),
            email: None,
            phone: None,
        })
        .await
        .unwrap();
    let refused = app
        .request("POST", &link_of(no_email.id), None, token)
        .await;
    refused.problem(422);
    assert_eq!(refused.fields(), ["email"]);
    assert!(
        refused.text.contains("add one to the contact first"),
        "{}",
        refused.text
    );
    app.request("POST", "/api/v1/contacts/999999/portal-link", None, token)
        .await
        .problem(404);
    let sent_total = app
        .store
        .list_deliveries(&DeliveryFilter::default(), &PageRequest::default())
        .await
        .unwrap()
        .items
        .iter()
        .filter(|d| matches!(d.notice, Notice::PortalLink { .. }))
        .count();
    assert_eq!(sent_total, 2, "refused requests send nothing");

    // Revoking withdraws the emailed link.
    let revoked = app
        .request(
            "DELETE",
            &format!("/api/v1/contacts/{}/portal-access", s.ann.0),
            None,
            token,
        )
        .await;
    assert_eq!(revoked.status, 204, "{}", revoked.text);
    assert_eq!(
        app.store
            .check_portal_link(&emailed[0], app.now())
            .await
            .unwrap(),
        Err(makegood_store::portal::LinkRefusal::Revoked)
    );
    app.request(
        "DELETE",
        "/api/v1/contacts/999999/portal-access",
        None,
        token,
    )
    .await
    .problem(404);
}
