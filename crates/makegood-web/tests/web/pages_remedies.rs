//! The remedy panel: propose above authority (money typed as text), approve as a supervisor,
//! deliver, vendor share received; refused forms keep their input with the error beside the
//! field; buttons only for who may; CSRF on every form.

use makegood_domain::{RemedyStatus, Role};
use makegood_store::testing::Backend;
use makegood_store::{MemberPatch, PageRequest, RemedyFilter, RemedyView, backend_tests};

use crate::common::TestApp;
use crate::fixture::{Team, World};
use crate::fixture_remedies::eur;

backend_tests!(
    a_remedy_is_proposed_approved_delivered_and_its_share_received,
    refused_remedy_forms_keep_their_input,
    only_who_may_sees_the_buttons,
);

async fn remedies_of(app: &TestApp, world: &World) -> Vec<RemedyView> {
    let filter = RemedyFilter {
        problem: Some(world.problem.problem.id),
        ..RemedyFilter::default()
    };
    app.store
        .list_remedies(&filter, &PageRequest::default(), app.now())
        .await
        .unwrap()
        .items
}

async fn a_remedy_is_proposed_approved_delivered_and_its_share_received(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    let world = World::new(&app, &team).await;
    let number = world.problem.problem.number;
    let vendor = world.vendor.id.to_string();
    let mut agent = app.browser(team.agent.member.clone()).await;
    let page = agent
        .submit(
            &format!("/problems/{number}/remedies"),
            &[
                ("kind", "redo"),
                ("description", "We reprint the 500 brochures"),
                ("cost", "2,500.00"),
                ("vendor", &vendor),
                ("share", "300"),
            ],
        )
        .await;
    assert!(
        page.text
            .contains("Remedy proposed — EUR 2,200.00 net is above your authority of EUR 1,000.00"),
        "{}",
        page.text
    );
    for part in [
        "We reprint the 500 brochures",
        "EUR 2,500.00",
        "EUR 300.00 from HostCo",
        "EUR 2,200.00",
        "awaiting approval",
        "Approval clock",
    ] {
        assert!(page.text.contains(part), "{part}");
    }
    let made = remedies_of(&app, &world)
        .await
        .into_iter()
        .find(|v| v.remedy.description == "We reprint the 500 brochures")
        .unwrap();
    assert_eq!(
        (made.remedy.cost, made.net_cost),
        (eur(250_000), eur(220_000))
    );
    let id = made.remedy.id;
    // The agent may not decide it.
    assert!(!page.text.contains(&format!("/remedies/{id}/approve\"")));
    assert_eq!(
        agent
            .post(&format!("/problems/{number}/remedies/{id}/approve"), &[])
            .await
            .status,
        403
    );

    let boss = app
        .store
        .update_member(
            team.supervisor.member.id,
            MemberPatch {
                remedy_authority: Some(eur(500_000)),
                ..MemberPatch::default()
            },
        )
        .await
        .unwrap();
    let mut supervisor = app.browser(boss).await;
    let page = supervisor.get(&format!("/problems/{number}")).await;
    assert!(
        page.text.contains(&format!("/remedies/{id}/approve\"")),
        "{}",
        page.text
    );
    let page = supervisor
        .submit(&format!("/problems/{number}/remedies/{id}/approve"), &[])
        .await;
    assert!(
        page.text.contains("Remedy approved — EUR 2,200.00 net"),
        "{}",
        page.text
    );
    assert!(matches!(
        app.store.remedy(id, app.now()).await.unwrap().remedy.status,
        RemedyStatus::Approved { .. }
    ));

    let page = agent
        .submit(
            &format!("/problems/{number}/remedies/{id}/deliver"),
            &[("delivered_at", "")],
        )
        .await;
    assert!(page.text.contains("Remedy delivered"), "{}", page.text);
    let page = agent
        .submit(
            &format!("/problems/{number}/remedies/{id}/receive-vendor-share"),
            &[],
        )
        .await;
    assert!(
        page.text
            .contains("share received — recorded on the timeline"),
        "{}",
        page.text
    );
    let done = app.store.remedy(id, app.now()).await.unwrap();
    assert!(matches!(done.remedy.status, RemedyStatus::Delivered { .. }));
    assert!(done.remedy.vendor_share.unwrap().received);
    // The timeline tells the story.
    for part in [
        format!(
            "proposed remedy #{id}, a redo costing EUR 2,500.00, EUR 2,200.00 net of the vendor"
        ),
        format!("approved remedy #{id}"),
        format!("Remedy #{id} delivered"),
        "EUR 300.00".to_owned(),
    ] {
        assert!(page.text.contains(&part), "{part}");
    }
}

async fn refused_remedy_forms_keep_their_input(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    let world = World::new(&app, &team).await;
    let number = format!("MG-{}", world.remedies.problem);
    let mut agent = app.browser(team.agent.member.clone()).await;
    let refused = agent
        .post(
            &format!("/problems/{number}/remedies"),
            &[
                ("kind", "refund"),
                ("description", "Money back"),
                ("cost", "2,50"),
                ("vendor", ""),
                ("share", "10"),
            ],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    for part in [
        r#"value="Money back""#,
        r#"value="2,50""#,
        r#"id="remedy-cost-error""#,
        "a point before the cents",
        r#"id="remedy-vendor-error""#,
        r#"<option value="refund" selected>"#,
    ] {
        assert!(refused.text.contains(part), "{part}: {}", refused.text);
    }
    let vendor = world.vendor.id.to_string();
    let too_much = agent
        .post(
            &format!("/problems/{number}/remedies"),
            &[
                ("kind", "refund"),
                ("description", "Money back"),
                ("cost", "10"),
                ("vendor", &vendor),
                ("share", "20"),
            ],
        )
        .await;
    assert_eq!(too_much.status, 422);
    assert!(
        too_much.text.contains(r#"id="remedy-share-error""#),
        "{}",
        too_much.text
    );

    let awaiting = world.remedies.awaiting.remedy.id;
    let mut supervisor = app.browser(team.supervisor.member.clone()).await;
    let reasonless = supervisor
        .post(
            &format!("/problems/{number}/remedies/{awaiting}/reject"),
            &[("reason", " ")],
        )
        .await;
    assert_eq!(reasonless.status, 422);
    assert!(
        reasonless
            .text
            .contains(&format!(r#"id="reject-reason-{awaiting}-error""#)),
        "{}",
        reasonless.text
    );
    // A supervisor whose authority does not cover it is told why, beside the remedy.
    let low = app
        .store
        .update_member(
            team.supervisor.member.id,
            MemberPatch {
                remedy_authority: Some(eur(500)),
                ..MemberPatch::default()
            },
        )
        .await
        .unwrap();
    app.advance(jiff::SignedDuration::from_secs(1));
    let mut low = app.browser(low).await;
    let short = low
        .post(
            &format!("/problems/{number}/remedies/{awaiting}/approve"),
            &[],
        )
        .await;
    assert_eq!(short.status, 403, "{}", short.text);
    assert!(
        short
            .text
            .contains("Your authority of EUR 5.00 does not cover its net cost of EUR 10.00"),
        "{}",
        short.text
    );
    let approved = world.remedies.approved.remedy.id;
    let future = agent
        .post(
            &format!("/problems/{number}/remedies/{approved}/deliver"),
            &[("delivered_at", "2099-01-01T10:00")],
        )
        .await;
    assert_eq!(future.status, 422);
    assert!(future.text.contains(r#"value="2099-01-01T10:00""#));
    assert!(
        future
            .text
            .contains(&format!(r#"id="deliver-at-{approved}-error""#))
    );
    // No CSRF token, no change.
    let forged = agent
        .post_raw(
            &format!("/problems/{number}/remedies/{approved}/deliver"),
            &[],
        )
        .await;
    assert_eq!(forged.status, 403);
    assert!(matches!(
        app.store
            .remedy(approved, app.now())
            .await
            .unwrap()
            .remedy
            .status,
        RemedyStatus::Approved { .. }
    ));
}

async fn only_who_may_sees_the_buttons(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    let world = World::new(&app, &team).await;
    let number = format!("MG-{}", world.remedies.problem);
    let awaiting = world.remedies.awaiting.remedy.id;
    let approved = world.remedies.approved.remedy.id;
    for role in [Role::Viewer, Role::Agent, Role::Supervisor] {
        let mut browser = app.browser(team.get(role).member.clone()).await;
        let page = browser.get(&format!("/problems/{number}")).await;
        assert_eq!(page.status, 200);
        let has = |s: String| page.text.contains(&s);
        let lead = role == Role::Supervisor;
        let works = role != Role::Viewer;
        assert_eq!(
            has(format!("/remedies/{awaiting}/approve\"")),
            lead,
            "{role:?}"
        );
        assert_eq!(
            has(format!("/remedies/{awaiting}/reject\"")),
            lead,
            "{role:?}"
        );
        assert_eq!(
            has(format!("/remedies/{approved}/deliver\"")),
            works,
            "{role:?}"
        );
        assert_eq!(
            has(format!("/remedies/{approved}/receive-vendor-share\"")),
            works,
            "{role:?}"
        );
        assert_eq!(
            has(format!("/problems/{number}/remedies\"")),
            works,
            "{role:?}"
        );
        assert!(page.text.contains("EUR 40.00 from HostCo · outstanding"));
    }
    app.advance(jiff::SignedDuration::from_secs(1));
    let mut viewer = app.browser(team.viewer.member.clone()).await;
    let forbidden = viewer
        .post(
            &format!("/problems/{number}/remedies"),
            &[("kind", "gift"), ("description", "Flowers"), ("cost", "20")],
        )
        .await;
    assert_eq!(forbidden.status, 403);
}
