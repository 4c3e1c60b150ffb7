//! The customer portal in-process: sign-in links (Continue on GET, used once on POST,
//! expired and revoked refused), CSRF on every POST, and a contact of one account getting the
//! same 404 as for a missing problem on every portal route of another account's problem.

use axum::body::Body;
use axum::http::{Request, header};
use jiff::SignedDuration;
use makegood_domain::{Email, EventKind, Notice, ProblemId, Role, Status};
use makegood_store::testing::Backend;
use makegood_store::{
    Actor, DeliveryFilter, NewAccount, NewContact, NewProblem, PageRequest, backend_tests,
};

use crate::common::{Resp, TestApp};

/// A browser without a team session: keeps the cookies the portal sets.
struct Visitor<'a> {
    app: &'a TestApp,
    cookies: Vec<(String, String)>,
}

impl<'a> Visitor<'a> {
    fn new(app: &'a TestApp) -> Self {
        Self {
            app,
            cookies: Vec::new(),
        }
    }

    fn keep(&mut self, r: &Resp) {
        for c in r.headers.get_all(header::SET_COOKIE) {
            let c = c.to_str().unwrap();
            let pair = c.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            self.cookies.retain(|(n, _)| n != name);
            if !value.is_empty() && !c.contains("Max-Age=0") {
                self.cookies.push((name.to_owned(), value.to_owned()));
            }
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn cookie(&self, name: &str) -> Option<String> {
        self.cookies
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    }

    async fn get(&mut self, path: &str) -> Resp {
        let r = self
            .app
            .send(
                Request::get(path)
                    .header(header::COOKIE, self.cookie_header())
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        self.keep(&r);
        r
    }

    async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Resp {
        let r = self
            .app
            .send(
                Request::post(path)
                    .header(header::COOKIE, self.cookie_header())
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(Body::from(serde_urlencoded::to_string(form).unwrap()))
                    .unwrap(),
            )
            .await;
        self.keep(&r);
        r
    }

    /// The CSRF token of the last page's forms.
    fn token(page: &Resp) -> String {
        let needle = "name=\"csrf_token\" value=\"";
        let at = page
            .text
            .find(needle)
            .unwrap_or_else(|| panic!("no csrf token in {}", page.text));
        let rest = &page.text[at + needle.len()..];
        rest[..rest.find('"').unwrap()].to_owned()
    }

    /// Opens the link page and presses Continue; returns the redirect.
    async fn sign_in(&mut self, secret: &str) -> Resp {
        let page = self.get(&format!("/portal/link/{secret}")).await;
        assert_eq!(page.status, 200, "{}", page.text);
        let token = Self::token(&page);
        self.post(&format!("/portal/link/{secret}"), &[("csrf_token", &token)])
            .await
    }
}

/// Acme with Ann and a problem (with an update and a note); Globex with Bob and its problem.
struct Scene {
    ann: makegood_domain::ContactId,
    bob: makegood_domain::ContactId,
    acme_account: i64,
    acme: ProblemId,
    globex: ProblemId,
    agent: makegood_domain::MemberId,
}

async fn scene(app: &TestApp, owner: makegood_domain::MemberId) -> Scene {
    let store = &app.store;
    let mut ids = Vec::new();
    for (account, person, email) in [
        ("Acme", "Ann Archer", "ann@acme.example"),
        ("Globex", "Bob Brand", "bob@globex.example"),
    ] {
        let a = store
            .create_account(NewAccount {
                name: account.into(),
                parent: None,
                tier: None,
            })
            .await
            .unwrap();
        let c = store
            .create_contact(NewContact {
                account: a.id,
                name: person.into(),
                role_title: "Controller".into(),
                email: Some(Email::parse(email).unwrap()),
                phone: None,
            })
            .await
            .unwrap();
        let p = store
            .create_problem(
                Actor {
                    member: owner,
                    now: app.now(),
                },
                NewProblem {
                    title: format!("{account} invoices printed twice"),
                    description: "internal description".into(),
                    origin: makegood_domain::Origin::Ours,
                    vendor: None,
                    severity: makegood_domain::Severity::Major,
                    category: "billing".into(),
                    owner,
                    accounts: vec![a.id],
                    stakeholders: vec![c.id],
                    detected_at: None,
                    include_locations: false,
                    all_stakeholders: false,
                },
            )
            .await
            .unwrap();
        let actor = Actor {
            member: owner,
            now: app.now(),
        };
        store
            .record(
                actor,
                p.problem.id,
                None,
                EventKind::Update {
                    body: format!("{account}: reprints go out today"),
                },
            )
            .await
            .unwrap();
        store
            .record(
                actor,
                p.problem.id,
                None,
                EventKind::Note {
                    body: format!("SECRET NOTE about {account}"),
                },
            )
            .await
            .unwrap();
        ids.push((a.id, c.id, p.problem.id));
    }
    Scene {
        ann: ids[0].1,
        bob: ids[1].1,
        acme_account: ids[0].0.0,
        acme: ids[0].2,
        globex: ids[1].2,
        agent: owner,
    }
}

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
