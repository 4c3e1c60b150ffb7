//! The table of every member page and form: how to call it and which roles may.
//!
//! Public pages (sign-in, setup, invitations, assets) and the customer portal are not here:
//! [`PUBLIC`] names them, and the coverage check in access_pages.rs holds the two lists
//! against the router's `.route(` calls.

use makegood_domain::Role;

pub use crate::route_table::Ctx;
use crate::route_table::{ALL, LEADS, WORKERS, unique};

pub type PathFn = fn(&Ctx) -> String;
pub type FormFn = fn(&Ctx) -> Vec<(&'static str, String)>;

/// What an allowed caller gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    /// 2xx or 3xx.
    Done,
    /// The form comes back with an error beside a field (422): it got past the role check
    /// but cannot succeed for a test member (a password they do not have).
    Refused,
}

pub struct PageCase {
    pub method: &'static str,
    pub path: PathFn,
    pub form: FormFn,
    pub allowed: &'static [Role],
    pub ok: Expect,
}

/// Routes that are not a member's: anyone may open them (or a portal contact does).
pub const PUBLIC: &[(&str, &str)] = &[
    ("GET", "/setup"),
    ("POST", "/setup"),
    ("GET", "/login"),
    ("POST", "/login"),
    ("POST", "/logout"),
    ("GET", "/invite/{token}"),
    ("POST", "/invite/{token}"),
    ("GET", "/assets/app.css"),
    ("GET", "/assets/app.js"),
    ("GET", "/healthz"),
    ("GET", "/metrics"),
    ("GET", "/calendar/{file}"),
    ("GET", "/api/openapi.json"),
    ("GET", "/portal"),
    ("POST", "/portal/sign-in"),
    ("GET", "/portal/link/{secret}"),
    ("POST", "/portal/link/{secret}"),
    ("POST", "/portal/sign-out"),
    ("GET", "/portal/problems/{id}"),
    ("POST", "/portal/problems/{id}/reply"),
    ("POST", "/portal/problems/{id}/confirm"),
    ("POST", "/portal/problems/{id}/survey"),
];

pub(crate) fn nothing(_: &Ctx) -> Vec<(&'static str, String)> {
    Vec::new()
}

macro_rules! page {
    ($method:literal, $path:expr, $form:expr, $allowed:expr) => {
        $crate::page_table::PageCase {
            method: $method,
            path: $path,
            form: $form,
            allowed: $allowed,
            ok: $crate::page_table::Expect::Done,
        }
    };
    ($method:literal, $path:expr, $form:expr, $allowed:expr, $ok:expr) => {
        $crate::page_table::PageCase {
            method: $method,
            path: $path,
            form: $form,
            allowed: $allowed,
            ok: $ok,
        }
    };
}
pub(crate) use page;

/// Every case.
pub fn cases() -> Vec<PageCase> {
    let mut cases = everyday();
    cases.extend(crate::page_table_problem::cases());
    cases.extend(crate::page_table_settings::cases());
    cases
}

fn everyday() -> Vec<PageCase> {
    vec![
        page!("GET", |_| "/".into(), nothing, ALL),
        page!("GET", |_| "/problems".into(), nothing, ALL),
        page!("GET", |_| "/problems/new".into(), nothing, WORKERS),
        page!(
            "POST",
            |_| "/problems/new".into(),
            |c| vec![
                ("title", "Totals doubled".into()),
                ("origin", "ours".into()),
                ("severity", "major".into()),
                ("owner", c.team.agent.member.id.to_string()),
                ("accounts", c.world.account.id.to_string()),
                ("category", "software".into()),
            ],
            WORKERS
        ),
        page!("GET", |_| "/promises".into(), nothing, ALL),
        page!("GET", |_| "/reports".into(), nothing, ALL),
        page!("GET", |_| "/reports/promises.csv".into(), nothing, ALL),
        page!("GET", |_| "/vendors".into(), nothing, ALL),
        page!(
            "GET",
            |c| format!("/vendors/{}", c.world.vendor.id),
            nothing,
            ALL
        ),
        // accounts and their contacts
        page!("GET", |_| "/accounts".into(), nothing, ALL),
        page!(
            "POST",
            |_| "/accounts".into(),
            |_| vec![("name", format!("Contoso {}", unique()))],
            WORKERS
        ),
        page!(
            "GET",
            |c| format!("/accounts/{}", c.world.account.id),
            nothing,
            ALL
        ),
        page!(
            "POST",
            |c| format!("/accounts/{}", c.world.account.id),
            |_| vec![("name", "Northwind".into()), ("tier", "gold".into())],
            WORKERS
        ),
        page!(
            "POST",
            |c| format!("/accounts/{}/contacts", c.world.account.id),
            |_| vec![
                ("name", "Pat Purchaser".into()),
                ("role_title", "Purchasing".into()),
                ("email", "pat@northwind.example".into()),
            ],
            WORKERS
        ),
        page!(
            "POST",
            |c| format!(
                "/accounts/{}/contacts/{}/remove",
                c.world.account.id, c.world.spare_contact.id
            ),
            nothing,
            WORKERS
        ),
        page!(
            "POST",
            |c| format!(
                "/accounts/{}/contacts/{}/portal-link",
                c.world.account.id, c.world.spare_contact.id
            ),
            nothing,
            WORKERS
        ),
        page!(
            "POST",
            |c| format!(
                "/accounts/{}/contacts/{}/portal-revoke",
                c.world.account.id, c.world.spare_contact.id
            ),
            nothing,
            WORKERS
        ),
        // a red account owned by nobody in the team: leads review it
        page!(
            "POST",
            |c| format!("/accounts/{}/review", c.world.insight.red_account.id),
            nothing,
            LEADS
        ),
        // the failure log: the agent's entry is changed by the agent and by leads
        page!("GET", |_| "/failures".into(), nothing, ALL),
        page!(
            "POST",
            |_| "/failures".into(),
            |_| vec![
                ("level", "idea".into()),
                ("what_happened", "Nobody wanted it".into()),
                ("lesson", "Ask first".into()),
            ],
            WORKERS
        ),
        page!(
            "GET",
            |c| format!("/failures/{}/edit", c.world.insight.failure.id),
            nothing,
            WORKERS
        ),
        page!(
            "POST",
            |c| format!("/failures/{}/edit", c.world.insight.failure.id),
            |_| vec![
                ("level", "idea".into()),
                ("what_happened", "Nobody wanted it".into()),
                ("lesson", "Try it on a real file first".into()),
            ],
            WORKERS
        ),
        page!(
            "GET",
            |c| format!("/failures/{}/delete", c.world.insight.failure.id),
            nothing,
            WORKERS
        ),
        page!(
            "POST",
            |c| format!("/failures/{}/delete", c.world.insight.failure.id),
            nothing,
            WORKERS
        ),
        // My account: everyone's own
        page!("GET", |_| "/me".into(), nothing, ALL),
        page!(
            "POST",
            |_| "/me/time-zone".into(),
            |_| vec![("time_zone", "Asia/Tokyo".into())],
            ALL
        ),
        page!(
            "POST",
            |_| "/me/password".into(),
            |_| vec![
                ("current_password", "not theirs".into()),
                ("new_password", "brand new password".into()),
            ],
            ALL,
            Expect::Refused
        ),
        page!(
            "POST",
            |_| "/me/preferences".into(),
            |_| vec![
                ("daily_digest", "on".into()),
                ("tuesday_open", "08:30".into()),
                ("tuesday_close", "12:00".into()),
            ],
            ALL
        ),
        page!(
            "POST",
            |_| "/me/tokens".into(),
            |_| vec![("name", "laptop".into()), ("scope", "read".into())],
            ALL
        ),
        page!(
            "POST",
            |c| format!("/me/tokens/{}/revoke", c.spare_token),
            nothing,
            ALL
        ),
        page!("POST", |_| "/me/calendar-feed".into(), nothing, ALL),
        page!("POST", |_| "/me/calendar-feed/revoke".into(), nothing, ALL),
    ]
}
