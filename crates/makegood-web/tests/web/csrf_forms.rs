//! CSRF on every state-changing form: walks every page an admin (and a portal contact) can
//! reach by following links, finds every `<form method="post">` and checks it carries the
//! session's token; then posts each form's own fields without the token and with a forged
//! one (refused, 403) and with the right one (not refused for the token).

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use axum::body::Body;
use axum::http::{Request, header};
use jiff::SignedDuration;
use makegood_store::backend_tests;
use makegood_store::testing::Backend;

use crate::common::{Resp, TestApp, sha256_hex};
use crate::fixture::{Team, World};

backend_tests!(every_post_form_carries_and_needs_its_token);

/// The words of the refusal page, so a 403 for a role is not taken for a CSRF refusal.
const REFUSED: &str = "security token did not match";
/// Enough for every page of the fixture world, few enough to stay quick.
const MAX_PAGES: usize = 400;

/// A browser that keeps cookies and nothing else.
struct Client<'a> {
    app: &'a TestApp,
    cookies: BTreeMap<String, String>,
}

impl<'a> Client<'a> {
    fn new(app: &'a TestApp) -> Self {
        Self {
            app,
            cookies: BTreeMap::new(),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn keep(&mut self, r: &Resp) {
        for c in r.headers.get_all(header::SET_COOKIE) {
            let c = c.to_str().unwrap();
            let (name, value) = c.split(';').next().unwrap().split_once('=').unwrap();
            if value.is_empty() || c.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
    }

    async fn get(&mut self, path: &str) -> Resp {
        let request = Request::get(path)
            .header(header::COOKIE, self.cookie_header())
            .body(Body::empty())
            .unwrap();
        let r = self.app.send(request).await;
        self.keep(&r);
        r
    }

    async fn post(&mut self, path: &str, fields: &[(String, String)]) -> Resp {
        let request = Request::post(path)
            .header(header::COOKIE, self.cookie_header())
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(serde_urlencoded::to_string(fields).unwrap()))
            .unwrap();
        let r = self.app.send(request).await;
        self.keep(&r);
        r
    }
}

/// One `<form method="post">` as rendered.
#[derive(Clone, Debug)]
struct Form {
    /// The page it is on.
    page: String,
    action: String,
    /// Its named inputs with their values (the CSRF token among them, if any).
    fields: Vec<(String, String)>,
}

impl Form {
    fn token(&self) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == "csrf_token")
            .map(|(_, v)| v.as_str())
    }

    fn without_token(&self) -> Vec<(String, String)> {
        self.fields
            .iter()
            .filter(|(n, _)| n != "csrf_token")
            .cloned()
            .collect()
    }

    fn with_token(&self, token: &str) -> Vec<(String, String)> {
        let mut fields = self.without_token();
        fields.push(("csrf_token".into(), token.into()));
        fields
    }
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&#x2f;", "/")
        .replace("&#47;", "/")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The value of `name="…"` in one tag.
fn attr(tag: &str, name: &str) -> Option<String> {
    let needle = format!(" {name}=\"");
    let at = tag.find(&needle)? + needle.len();
    let end = tag[at..].find('"')?;
    Some(unescape(&tag[at..at + end]))
}

/// Every tag `<name …>` in `html`, as its text.
fn tags<'h>(html: &'h str, name: &str) -> Vec<&'h str> {
    let open = format!("<{name}");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find(&open) {
        let after = &rest[at + open.len()..];
        if after.starts_with([' ', '>', '\n']) {
            let end = after.find('>').unwrap_or(after.len());
            out.push(&rest[at..at + open.len() + end + 1]);
        }
        rest = after;
    }
    out
}

fn forms(page: &str, html: &str) -> Vec<Form> {
    let mut out = Vec::new();
    for chunk in html.split("<form").skip(1) {
        let Some(open_end) = chunk.find('>') else {
            continue;
        };
        let open = format!("<form{}", &chunk[..=open_end]);
        let method = attr(&open, "method").unwrap_or_else(|| "get".into());
        if !method.eq_ignore_ascii_case("post") {
            continue;
        }
        let body = &chunk[..chunk.find("</form>").unwrap_or(chunk.len())];
        let mut fields = Vec::new();
        for tag in tags(body, "input")
            .into_iter()
            .chain(tags(body, "textarea"))
            .chain(tags(body, "select"))
        {
            let kind = attr(tag, "type").unwrap_or_default();
            if kind == "checkbox" && !tag.contains(" checked") {
                continue;
            }
            if let Some(name) = attr(tag, "name") {
                fields.push((name, attr(tag, "value").unwrap_or_default()));
            }
        }
        let action = attr(&open, "action").unwrap_or_else(|| page.to_owned());
        out.push(Form {
            page: page.to_owned(),
            action,
            fields,
        });
    }
    out
}

/// Links within the app worth following: pages, not assets, feeds, downloads or sign-out.
fn links(html: &str) -> Vec<String> {
    tags(html, "a")
        .into_iter()
        .filter_map(|a| attr(a, "href"))
        .map(|h| h.split('#').next().unwrap_or_default().to_owned())
        .filter(|h| h.starts_with('/') && !h.starts_with("//"))
        .filter(|h| {
            !["/assets/", "/calendar/", "/api/", "/metrics"]
                .iter()
                .any(|p| h.starts_with(p))
        })
        .filter(|h| !h.contains(".csv") && !h.contains(".ics") && !h.contains("export"))
        .collect()
}

/// Follows links from `start`, returning every post form on the pages reached.
async fn crawl(client: &mut Client<'_>, start: &[String]) -> (Vec<Form>, usize) {
    let mut seen: BTreeSet<String> = start.iter().cloned().collect();
    let mut queue: VecDeque<String> = start.iter().cloned().collect();
    let mut found = Vec::new();
    let mut pages = 0;
    while let Some(path) = queue.pop_front() {
        let r = client.get(&path).await;
        let html = r
            .header("content-type")
            .is_some_and(|c| c.starts_with("text/html"));
        if r.status != 200 || !html {
            continue;
        }
        pages += 1;
        found.extend(forms(&path, &r.text));
        for link in links(&r.text) {
            if seen.len() < MAX_PAGES && seen.insert(link.clone()) {
                queue.push_back(link);
            }
        }
    }
    (found, pages)
}

/// One form per action: the first seen.
fn by_action(forms: &[Form]) -> Vec<Form> {
    let mut seen = BTreeSet::new();
    forms
        .iter()
        .filter(|f| seen.insert(f.action.clone()))
        .cloned()
        .collect()
}

/// Posts `form` without a token and with a forged one: both refused, nothing else said.
async fn assert_refused_without_token(client: &mut Client<'_>, form: &Form) {
    for fields in [form.without_token(), form.with_token("forged")] {
        let r = client.post(&form.action, &fields).await;
        assert_eq!(
            r.status, 403,
            "POST {} (form on {}) without its token: {}",
            form.action, form.page, r.text
        );
        assert!(r.text.contains(REFUSED), "{}: {}", form.action, r.text);
    }
}

async fn every_post_form_carries_and_needs_its_token(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    let world = World::new(&app, &team).await;

    // The admin's session, made as a sign-in makes it.
    let secret = "csrf-forms-session";
    let csrf = "csrf-forms-token";
    let expires = app
        .now()
        .checked_add(SignedDuration::from_hours(24))
        .unwrap();
    app.store
        .create_session(team.admin.member.id, &sha256_hex(secret), csrf, expires)
        .await
        .unwrap();
    let mut admin = Client::new(&app);
    admin
        .cookies
        .insert("makegood_session".into(), secret.into());
    let problem = format!("/problems/{}", world.problem.problem.number);
    let (found, pages) = crawl(&mut admin, &["/".into(), problem.clone()]).await;
    // The walk reached the app, not only its front page.
    assert!(pages >= 25, "only {pages} pages reached");
    for must in [
        &problem,
        "/settings",
        "/settings/members",
        "/accounts",
        "/me",
    ] {
        assert!(
            found.iter().any(|f| f.page == *must),
            "no post form found on {must}; pages with forms: {:?}",
            found.iter().map(|f| &f.page).collect::<BTreeSet<_>>()
        );
    }
    for form in &found {
        assert_eq!(
            form.token(),
            Some(csrf),
            "a post form to {} on {} without the session's CSRF token",
            form.action,
            form.page
        );
    }
    let actions = by_action(&found);
    assert!(actions.len() >= 30, "only {} form actions", actions.len());
    for form in &actions {
        assert_refused_without_token(&mut admin, form).await;
    }
    // The control: with the token, no form is refused for it (sign-out last, as it ends
    // the session the others need).
    let (out, others): (Vec<_>, Vec<_>) = actions.iter().partition(|f| f.action == "/logout");
    for form in others.iter().chain(&out) {
        let r = admin.post(&form.action, &form.with_token(csrf)).await;
        assert!(
            !r.text.contains(REFUSED),
            "POST {} with the right token was refused: {}",
            form.action,
            r.text
        );
    }

    // Before sign-in: the sign-in form's double-submit token.
    let mut anonymous = Client::new(&app);
    let (found, _) = crawl(&mut anonymous, &["/login".into()]).await;
    let login: Vec<_> = found.iter().filter(|f| f.action == "/login").collect();
    assert_eq!(login.len(), 1, "{found:?}");
    assert!(login[0].token().is_some_and(|t| !t.is_empty()));
    assert_refused_without_token(&mut anonymous, login[0]).await;

    // The portal, as the contact of the problem's account.
    let link = app
        .store
        .issue_portal_link(
            world.contact.id,
            Some(world.problem.problem.id),
            None,
            app.now(),
        )
        .await
        .unwrap();
    let mut contact = Client::new(&app);
    let landing = format!("/portal/link/{}", link.secret);
    let page = contact.get(&landing).await;
    assert_eq!(page.status, 200, "{}", page.text);
    let continue_form = forms(&landing, &page.text);
    assert_eq!(continue_form.len(), 1, "{}", page.text);
    assert_refused_without_token(&mut contact, &continue_form[0]).await;
    let token = continue_form[0].token().unwrap().to_owned();
    let signed_in = contact
        .post(&landing, &continue_form[0].with_token(&token))
        .await;
    assert_eq!(signed_in.status, 303, "{}", signed_in.text);
    let (found, pages) = crawl(&mut contact, &["/portal".into()]).await;
    assert!(pages >= 2, "only {pages} portal pages");
    assert!(
        found.iter().any(|f| f.action.ends_with("/reply")),
        "no reply form in the portal: {found:?}"
    );
    for form in &found {
        assert!(
            form.token().is_some_and(|t| !t.is_empty()),
            "a portal form to {} on {} without a token",
            form.action,
            form.page
        );
    }
    for form in &by_action(&found) {
        assert_refused_without_token(&mut contact, form).await;
    }
}
