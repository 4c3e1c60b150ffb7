//! A contact of another account, signed in to the portal: nothing from the team's API or
//! pages, and on the portal the same 404 for another account's problem as for a missing one.

use super::*;
use crate::pages::hidden;

backend_tests!(a_portal_contact_gets_nothing_from_the_team_api_and_404_for_another_account);

/// A contact of an account the world's problems do not affect, signed in to the portal: the
/// cookies their browser holds.
async fn stranger(app: &TestApp, team: &Team) -> (String, i64) {
    let store = &app.store;
    let account = store
        .create_account(NewAccount {
            name: "Globex".into(),
            parent: None,
            tier: None,
        })
        .await
        .unwrap();
    let contact = store
        .create_contact(NewContact {
            account: account.id,
            name: "Bob Brand".into(),
            role_title: "Buyer".into(),
            email: Some(Email::parse(&format!("bob{}@globex.example", unique())).unwrap()),
            phone: None,
        })
        .await
        .unwrap();
    let own = store
        .create_problem(
            Actor {
                member: team.admin.member.id,
                now: app.now(),
            },
            NewProblem {
                title: "Globex labels smudged".into(),
                description: String::new(),
                origin: Origin::Ours,
                vendor: None,
                severity: Severity::Minor,
                category: "software".into(),
                owner: team.agent.member.id,
                accounts: vec![account.id],
                stakeholders: vec![contact.id],
                detected_at: None,
                include_locations: false,
                all_stakeholders: false,
            },
        )
        .await
        .unwrap();
    let secret = store
        .issue_portal_link(contact.id, None, None, app.now())
        .await
        .unwrap()
        .secret;
    let mut jar = Jar::default();
    let page = jar
        .send(app, "GET", &format!("/portal/link/{secret}"), &[])
        .await;
    assert_eq!(page.status.as_u16(), 200, "{}", page.text);
    let csrf = hidden(&page, "csrf_token");
    let signed = jar
        .send(
            app,
            "POST",
            &format!("/portal/link/{secret}"),
            &[("csrf_token", &csrf)],
        )
        .await;
    assert!(signed.status.is_redirection(), "{}", signed.text);
    let list = jar.send(app, "GET", "/portal", &[]).await;
    assert!(
        list.text.contains("Globex labels smudged"),
        "signed in: {}",
        list.text
    );
    (jar.header(), own.problem.id.0)
}

/// The cookies a browser keeps.
#[derive(Default)]
pub struct Jar(Vec<(String, String)>);

impl Jar {
    pub fn header(&self) -> String {
        self.0
            .iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// Sends a request (a form when `form` is not empty), keeping the cookies set.
    pub async fn send(
        &mut self,
        app: &TestApp,
        method: &str,
        path: &str,
        form: &[(&str, &str)],
    ) -> Resp {
        let r = send_with_cookies(app, method, path, &self.header(), form, None).await;
        for c in r.headers.get_all(header::SET_COOKIE) {
            let c = c.to_str().unwrap();
            let (name, value) = c.split(';').next().unwrap().split_once('=').unwrap();
            self.0.retain(|(n, _)| n != name);
            if !value.is_empty() && !c.contains("Max-Age=0") {
                self.0.push((name.to_owned(), value.to_owned()));
            }
        }
        r
    }
}

/// A request with these cookies: a form when `form` is given, else JSON `json` if any.
pub async fn send_with_cookies(
    app: &TestApp,
    method: &str,
    path: &str,
    cookies: &str,
    form: &[(&str, &str)],
    json: Option<Value>,
) -> Resp {
    let builder = Request::builder()
        .method(method)
        .uri(path)
        .header(header::COOKIE, cookies);
    let request = if !form.is_empty() {
        builder
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(serde_urlencoded::to_string(form).unwrap()))
    } else if let Some(json) = json {
        builder
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(json.to_string()))
    } else {
        builder.body(Body::empty())
    };
    app.send(request.unwrap()).await
}

async fn a_portal_contact_gets_nothing_from_the_team_api_and_404_for_another_account(
    backend: Backend,
) {
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    let world = World::new(&app, &team).await;
    let (cookies, own) = stranger(&app, &team).await;
    settle(&app, &world, &team).await;
    let before = snapshot(&app).await;
    // Every API route: 401, as if nobody had signed in.
    let nobody = User {
        member: team.viewer.member.clone(),
        token: String::new(),
    };
    let c = ctx(&app, &world, &team, &nobody, 1);
    for case in cases() {
        let path = (case.path)(&c);
        let r = send_with_cookies(&app, case.method, &path, &cookies, &[], (case.body)(&c)).await;
        assert_eq!(
            r.status.as_u16(),
            401,
            "{} {path} with a portal cookie: {}",
            case.method,
            r.text
        );
        r.problem(401);
    }
    // Every member page (and form): off to the team's sign-in, never the page.
    let pages = crate::page_table::cases();
    let pc = Ctx {
        app: &app,
        world: &world,
        team: &team,
        caller: &nobody,
        spare_token: 1,
    };
    for case in &pages {
        let path = (case.path)(&pc);
        let form = (case.form)(&pc);
        let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = send_with_cookies(&app, case.method, &path, &cookies, &fields, None).await;
        crate::access_pages::to_sign_in(&r, case.method, &path);
    }
    // Every portal route of another account's problem: the 404 of a missing one.
    let theirs = world.problem.problem.id.0;
    let mut jar = Jar(cookies
        .split("; ")
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect());
    let mine = jar
        .send(&app, "GET", &format!("/portal/problems/{own}"), &[])
        .await;
    assert_eq!(
        mine.status.as_u16(),
        200,
        "their own problem: {}",
        mine.text
    );
    let csrf = hidden(&mine, "csrf_token");
    let missing = jar.send(&app, "GET", "/portal/problems/999999", &[]).await;
    let other = jar
        .send(&app, "GET", &format!("/portal/problems/{theirs}"), &[])
        .await;
    assert_eq!(missing.status.as_u16(), 404);
    assert_eq!((other.status, &other.text), (missing.status, &missing.text));
    assert!(!other.text.contains("Invoices fail"));
    let form = [
        ("csrf_token", csrf.as_str()),
        ("body", "hello"),
        ("rating", "5"),
        ("recommend", "10"),
    ];
    for action in ["reply", "confirm", "survey"] {
        let missing = jar
            .send(
                &app,
                "POST",
                &format!("/portal/problems/999999/{action}"),
                &form,
            )
            .await;
        let other = jar
            .send(
                &app,
                "POST",
                &format!("/portal/problems/{theirs}/{action}"),
                &form,
            )
            .await;
        assert_eq!(missing.status.as_u16(), 404, "{action}: {}", missing.text);
        assert_eq!(
            (other.status, &other.text),
            (missing.status, &missing.text),
            "{action}"
        );
    }
    let changed = changes(&before, &snapshot(&app).await);
    assert!(
        changed.is_empty(),
        "a portal contact of another account changed:\n{changed}"
    );
}
