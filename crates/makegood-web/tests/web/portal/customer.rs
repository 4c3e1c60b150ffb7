//! What a contact does in the portal: reply, confirm the fix, answer the follow-up survey.

use jiff::SignedDuration;
use makegood_domain::{EventKind, Notice, Status};
use makegood_store::testing::Backend;
use makegood_store::{Actor, DeliveryFilter, PageRequest, backend_tests};

use crate::common::TestApp;

use super::{Visitor, scene};

backend_tests!(a_contact_replies_and_confirms_the_fix);

async fn a_contact_replies_and_confirms_the_fix(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let s = scene(&app, admin.member.id).await;
    let mut ann = Visitor::new(&app);
    ann.sign_in(
        &app.store
            .issue_portal_link(s.ann, Some(s.acme), None, app.now())
            .await
            .unwrap()
            .secret,
    )
    .await;
    let page = ann.get(&format!("/portal/problems/{}", s.acme)).await;
    let token = Visitor::token(&page);
    assert!(!page.text.contains("It works now"), "not fixed yet");

    let empty = ann
        .post(
            &format!("/portal/problems/{}/reply", s.acme),
            &[("csrf_token", &token), ("body", "  ")],
        )
        .await;
    assert_eq!(empty.status, 422);
    assert!(
        empty.text.contains("id=\"reply-body-error\""),
        "{}",
        empty.text
    );

    let sent = ann
        .post(
            &format!("/portal/problems/{}/reply", s.acme),
            &[
                ("csrf_token", &token),
                ("body", "When will the <credit> arrive?"),
            ],
        )
        .await;
    assert_eq!(sent.status, 303);
    let page = ann.get(&format!("/portal/problems/{}", s.acme)).await;
    assert!(
        page.text.contains("When will the &#60;credit&#62; arrive?")
            || page.text.contains("When will the &lt;credit&gt; arrive?"),
        "{}",
        page.text
    );
    let timeline = app
        .store
        .timeline(s.acme, &PageRequest::default())
        .await
        .unwrap()
        .items;
    assert!(timeline.iter().any(|e| matches!(&e.kind, EventKind::CustomerReplied { contact, inbound: None, .. } if *contact == s.ann)));

    let early = ann
        .post(
            &format!("/portal/problems/{}/confirm", s.acme),
            &[("csrf_token", &token)],
        )
        .await;
    assert_eq!(early.status, 409);
    assert!(early.text.contains("not fixed yet"), "{}", early.text);
    app.store
        .record(
            Actor {
                member: s.agent,
                now: app.now(),
            },
            s.acme,
            None,
            EventKind::Fixed {
                summary: String::new(),
            },
        )
        .await
        .unwrap();
    let page = ann.get(&format!("/portal/problems/{}", s.acme)).await;
    assert!(page.text.contains("It works now"));
    let done = ann
        .post(
            &format!("/portal/problems/{}/confirm", s.acme),
            &[("csrf_token", &token)],
        )
        .await;
    assert_eq!(done.status, 303);
    assert_eq!(
        app.store
            .problem(s.acme, app.now())
            .await
            .unwrap()
            .problem
            .status,
        Status::Confirmed
    );

    // Signing out ends the session.
    let out = ann
        .post("/portal/sign-out", &[("csrf_token", &token)])
        .await;
    assert_eq!(out.status, 303);
    assert_eq!(
        ann.get(&format!("/portal/problems/{}", s.acme))
            .await
            .status,
        303
    );
}

backend_tests!(a_contact_answers_the_follow_up_survey_once);

async fn a_contact_answers_the_follow_up_survey_once(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let s = scene(&app, admin.member.id).await;
    let actor = Actor {
        member: s.agent,
        now: app.now(),
    };
    let fixed = EventKind::Fixed {
        summary: String::new(),
    };
    app.store.record(actor, s.acme, None, fixed).await.unwrap();
    let mut ann = Visitor::new(&app);
    ann.sign_in(
        &app.store
            .issue_portal_link(s.ann, Some(s.acme), None, app.now())
            .await
            .unwrap()
            .secret,
    )
    .await;
    let path = format!("/portal/problems/{}", s.acme);
    let before = ann.get(&path).await;
    assert!(
        !before.text.contains("How did we do?"),
        "no survey sent yet"
    );

    let later = app.now() + SignedDuration::from_hours(24 * 4);
    app.store.send_follow_ups(later, 10).await.unwrap();
    let page = ann.get(&path).await;
    assert!(page.text.contains("How did we do?"), "{}", page.text);
    let token = Visitor::token(&page);
    // The survey email's link is redacted in the outbox API, like a sign-in link's.
    let secret = app
        .store
        .list_deliveries(&DeliveryFilter::default(), &PageRequest::default())
        .await
        .unwrap()
        .items
        .into_iter()
        .find_map(|d| match d.notice {
            Notice::Survey { token, .. } => Some(token),
            _ => None,
        })
        .expect("a survey email in the outbox");
    let outbox = app
        .request("GET", "/api/v1/deliveries", None, Some(&admin.token))
        .await;
    assert_eq!(outbox.status, 200, "{}", outbox.text);
    assert!(outbox.text.contains("redacted"), "{}", outbox.text);
    assert!(
        !outbox.text.contains(&secret),
        "the survey link's secret is shown"
    );

    let unchosen = ann
        .post(
            &format!("{path}/survey"),
            &[
                ("csrf_token", &token),
                ("recommend", "4"),
                ("comment", "Slow <b>start</b>"),
            ],
        )
        .await;
    assert_eq!(unchosen.status, 422, "{}", unchosen.text);
    assert!(
        unchosen.text.contains("id=\"rating-error\""),
        "{}",
        unchosen.text
    );
    assert!(
        unchosen.text.contains("value=\"4\" required checked"),
        "the choice is kept"
    );
    assert!(
        unchosen.text.contains("Slow &#60;b&#62;start&#60;/b&#62;")
            || unchosen.text.contains("Slow &lt;b&gt;start&lt;/b&gt;")
    );

    let answered = ann
        .post(
            &format!("{path}/survey"),
            &[
                ("csrf_token", &token),
                ("rating", "2"),
                ("recommend", "4"),
                ("comment", "Slow start"),
            ],
        )
        .await;
    assert_eq!(answered.status, 303, "{}", answered.text);
    let page = ann.get(&path).await;
    assert!(
        page.text.contains("You rated us <strong>2/5</strong>"),
        "{}",
        page.text
    );
    let view = app.store.problem(s.acme, app.now()).await.unwrap();
    assert!(view.customer_upset, "a low answer flags the problem");

    let again = ann
        .post(
            &format!("{path}/survey"),
            &[("csrf_token", &token), ("rating", "5"), ("recommend", "10")],
        )
        .await;
    assert_eq!(again.status, 409, "{}", again.text);
}
