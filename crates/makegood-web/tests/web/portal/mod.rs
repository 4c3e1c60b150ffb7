//! The customer portal in-process, a file per concern: signing in, a contact's scope, what a
//! contact does, the team's side. Here: a cookie-keeping visitor and the two-account scene.

mod customer;
mod scope;
mod sign_in;
mod team;

use axum::body::Body;
use axum::http::{Request, header};
use makegood_domain::{Email, EventKind, ProblemId};
use makegood_store::{Actor, NewAccount, NewContact, NewProblem};

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
