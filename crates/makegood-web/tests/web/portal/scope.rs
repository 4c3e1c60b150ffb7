//! A contact of one account gets the same 404 as for a missing problem on every portal route
//! of another account's problem, and nothing is written to it.

use jiff::SignedDuration;
use makegood_domain::{EventKind, Status};
use makegood_store::testing::Backend;
use makegood_store::{Actor, PageRequest, backend_tests};

use crate::common::TestApp;

use super::{Visitor, scene};

backend_tests!(a_contact_gets_404_on_every_route_of_another_accounts_problem);

async fn a_contact_gets_404_on_every_route_of_another_accounts_problem(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let s = scene(&app, admin.member.id).await;
    app.store
        .record(
            Actor {
                member: s.agent,
                now: app.now(),
            },
            s.globex,
            None,
            EventKind::Fixed {
                summary: String::new(),
            },
        )
        .await
        .unwrap();
    // Bob has a follow-up survey about Globex's problem waiting.
    let later = app.now() + SignedDuration::from_hours(24 * 4);
    assert_eq!(app.store.send_follow_ups(later, 10).await.unwrap(), 1);
    let mut ann = Visitor::new(&app);
    ann.sign_in(
        &app.store
            .issue_portal_link(s.ann, None, None, app.now())
            .await
            .unwrap()
            .secret,
    )
    .await;
    let list = ann.get("/portal").await;
    assert!(
        list.text.contains("Acme invoices printed twice"),
        "{}",
        list.text
    );
    assert!(
        !list.text.contains("Globex"),
        "another account in the list: {}",
        list.text
    );
    let token = Visitor::token(&list);

    let missing = ann.get("/portal/problems/999999").await;
    assert_eq!(missing.status, 404);
    let other = ann.get(&format!("/portal/problems/{}", s.globex)).await;
    assert_eq!(other.status, 404);
    assert_eq!(
        other.text, missing.text,
        "the same answer as for a missing problem"
    );
    assert!(!other.text.contains("Globex"));
    let form = [
        ("csrf_token", token.as_str()),
        ("body", "hello"),
        ("rating", "5"),
        ("recommend", "10"),
    ];
    for action in ["reply", "confirm", "survey"] {
        let r = ann
            .post(&format!("/portal/problems/{}/{action}", s.globex), &form)
            .await;
        assert_eq!(r.status, 404, "{action}: {}", r.text);
        let r = ann
            .post(&format!("/portal/problems/999999/{action}"), &form)
            .await;
        assert_eq!(r.status, 404, "{action} on a missing problem");
    }
    // Nothing was written to Globex's problem.
    let timeline = app
        .store
        .timeline(s.globex, &PageRequest::default())
        .await
        .unwrap()
        .items;
    assert!(!timeline.iter().any(|e| matches!(
        e.kind,
        EventKind::CustomerReplied { .. }
            | EventKind::Confirmed { .. }
            | EventKind::SurveyAnswered { .. }
    )));
    assert_eq!(
        app.store
            .problem(s.globex, app.now())
            .await
            .unwrap()
            .problem
            .status,
        Status::Fixed
    );
    // Signed out, every portal page sends to the sign-in page.
    let mut nobody = Visitor::new(&app);
    for path in [format!("/portal/problems/{}", s.acme)] {
        let r = nobody.get(&path).await;
        assert_eq!(
            (r.status.as_u16(), r.header("location")),
            (303, Some("/portal"))
        );
    }
    let r = nobody
        .post(
            &format!("/portal/problems/{}/reply", s.acme),
            &[("body", "x"), ("csrf_token", "x")],
        )
        .await;
    assert_eq!(
        (r.status.as_u16(), r.header("location")),
        (303, Some("/portal"))
    );
}
