//! Signing in: a link shows Continue and is used once; expired and revoked links are refused
//! with the reason; asking for a link answers the same for any address; CSRF on every POST.

use axum::http::header;
use jiff::SignedDuration;
use makegood_domain::{EventKind, Notice};
use makegood_store::testing::Backend;
use makegood_store::{DeliveryFilter, PageRequest, backend_tests};

use crate::common::TestApp;

use super::{Visitor, scene};

backend_tests!(a_link_shows_continue_then_signs_in_once);

async fn a_link_shows_continue_then_signs_in_once(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let s = scene(&app, admin.member.id).await;
    let link = app
        .store
        .issue_portal_link(s.ann, Some(s.acme), Some(s.agent), app.now())
        .await
        .unwrap();
    let mut v = Visitor::new(&app);
    // GET does not use the link (mail scanners prefetch).
    let page = v.get(&format!("/portal/link/{}", link.secret)).await;
    assert!(page.text.contains("Continue"), "{}", page.text);
    assert!(
        app.store
            .check_portal_link(&link.secret, app.now())
            .await
            .unwrap()
            .is_ok()
    );
    // Without the form's token: refused, link still unused.
    let mut stranger = Visitor::new(&app);
    let forged = stranger
        .post(
            &format!("/portal/link/{}", link.secret),
            &[("csrf_token", "x")],
        )
        .await;
    assert_eq!(forged.status, 403);
    assert!(
        app.store
            .check_portal_link(&link.secret, app.now())
            .await
            .unwrap()
            .is_ok()
    );

    let used = v.sign_in(&link.secret).await;
    assert_eq!(used.status, 303, "{}", used.text);
    assert_eq!(
        used.header("location"),
        Some(format!("/portal/problems/{}", s.acme).as_str())
    );
    let set = used
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|c| c.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("mg_portal="))
        .unwrap();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Lax"),
        "{set}"
    );
    assert!(
        v.cookie("makegood_session").is_none(),
        "not the team's session"
    );

    let problem = v.get(&format!("/portal/problems/{}", s.acme)).await;
    assert_eq!(problem.status, 200, "{}", problem.text);
    assert!(problem.text.contains("Acme: reprints go out today"));
    assert!(
        !problem.text.contains("SECRET NOTE"),
        "a note leaked: {}",
        problem.text
    );
    assert!(!problem.text.contains("internal description"));

    // Used once: a second visitor with the same link is refused.
    let mut again = Visitor::new(&app);
    let page = again.get(&format!("/portal/link/{}", link.secret)).await;
    assert_eq!(page.status, 410);
    assert!(page.text.contains("used already"), "{}", page.text);
    // And the team's pages do not accept the portal cookie.
    let team = v.get("/").await;
    assert_eq!(team.status, 303);
}

backend_tests!(expired_and_revoked_links_are_refused_with_the_reason);

async fn expired_and_revoked_links_are_refused_with_the_reason(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let s = scene(&app, admin.member.id).await;
    let old = app
        .store
        .issue_portal_link(s.ann, None, None, app.now())
        .await
        .unwrap();
    let revoked = app
        .store
        .issue_portal_link(s.bob, None, None, app.now())
        .await
        .unwrap();
    let mut bob = Visitor::new(&app);
    bob.sign_in(
        &app.store
            .issue_portal_link(s.bob, None, None, app.now())
            .await
            .unwrap()
            .secret,
    )
    .await;
    assert_eq!(bob.get("/portal").await.status, 200);
    app.store
        .revoke_portal_access(s.bob, app.now())
        .await
        .unwrap();
    // Revoking signs Bob out at once.
    let signed_out = bob.get(&format!("/portal/problems/{}", s.globex)).await;
    assert_eq!(signed_out.status, 303);
    assert_eq!(signed_out.header("location"), Some("/portal"));
    let page = Visitor::new(&app)
        .get(&format!("/portal/link/{}", revoked.secret))
        .await;
    assert_eq!(page.status, 410);
    assert!(page.text.contains("withdrawn"), "{}", page.text);

    app.advance(SignedDuration::from_hours(73));
    let page = Visitor::new(&app)
        .get(&format!("/portal/link/{}", old.secret))
        .await;
    assert_eq!(page.status, 410);
    assert!(page.text.contains("expired"), "{}", page.text);
    assert_eq!(
        Visitor::new(&app).get("/portal/link/nonsense").await.status,
        404
    );
}

backend_tests!(portal_forms_refuse_a_wrong_csrf_token);

async fn portal_forms_refuse_a_wrong_csrf_token(backend: Backend) {
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
    for (path, form) in [
        (
            format!("/portal/problems/{}/reply", s.acme),
            vec![("body", "forged"), ("csrf_token", "wrong")],
        ),
        (
            format!("/portal/problems/{}/confirm", s.acme),
            vec![("csrf_token", "wrong")],
        ),
        ("/portal/sign-out".to_owned(), vec![("csrf_token", "wrong")]),
        (
            "/portal/sign-in".to_owned(),
            vec![("email", "ann@acme.example"), ("csrf_token", "wrong")],
        ),
    ] {
        let r = ann.post(&path, &form).await;
        assert_eq!(r.status, 403, "{path}: {}", r.text);
    }
    let timeline = app
        .store
        .timeline(s.acme, &PageRequest::default())
        .await
        .unwrap()
        .items;
    assert!(
        !timeline
            .iter()
            .any(|e| matches!(e.kind, EventKind::CustomerReplied { .. }))
    );
    assert_eq!(ann.get("/portal").await.status, 200, "still signed in");
}

backend_tests!(asking_for_a_link_answers_the_same_for_known_and_unknown_addresses);

async fn asking_for_a_link_answers_the_same_for_known_and_unknown_addresses(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    scene(&app, admin.member.id).await;
    let mut answers = Vec::new();
    for email in ["ann@acme.example", "ann@unknown.example"] {
        let mut v = Visitor::new(&app);
        let form = v.get("/portal").await;
        assert!(form.text.contains("Send me a link"));
        let token = Visitor::token(&form);
        let r = v
            .post(
                "/portal/sign-in",
                &[("email", email), ("csrf_token", &token)],
            )
            .await;
        assert_eq!(r.status, 200);
        answers.push(r.text.replace(email, "EMAIL").replace(&token, "TOKEN"));
    }
    assert_eq!(answers[0], answers[1]);
    let sent = app
        .store
        .list_deliveries(&DeliveryFilter::default(), &PageRequest::default())
        .await
        .unwrap()
        .items;
    let links: Vec<_> = sent
        .iter()
        .filter(|d| matches!(d.notice, Notice::PortalLink { .. }))
        .map(|d| d.recipient.clone())
        .collect();
    assert_eq!(links, vec!["ann@acme.example".to_owned()]);
}
