//! The table of every member page and form: how to call it and which roles may.
//!
//! Public pages (sign-in, setup, invitations, assets) and the customer portal are not here:
//! [`PUBLIC`] names them, and the coverage check in access_pages.rs holds the two lists
//! against the router's `.route(` calls.

use jiff::SignedDuration;
use jiff::tz::TimeZone;
use makegood_domain::Role;

pub use crate::route_table::Ctx;
use crate::route_table::{ADMIN, ALL, LEADS, WORKERS, unique};

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

/// A `datetime-local` value `hours` from now (test members are on UTC).
pub(crate) fn local(c: &Ctx, hours: i64) -> String {
    c.app
        .now()
        .checked_add(SignedDuration::from_hours(hours))
        .unwrap()
        .to_zoned(TimeZone::UTC)
        .strftime("%Y-%m-%dT%H:%M")
        .to_string()
}

fn problem(c: &Ctx) -> String {
    format!("/problems/{}", c.world.problem.problem.number)
}

/// The problem the world's remedies and preventions are of.
fn theirs(c: &Ctx) -> String {
    format!("/problems/{}", c.world.supervisors_problem.problem.number)
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

/// Every case.
pub fn cases() -> Vec<PageCase> {
    let mut cases = everyday();
    cases.extend(problem_page());
    cases.extend(settings());
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

fn problem_page() -> Vec<PageCase> {
    vec![
        page!("GET", problem, nothing, ALL),
        page!(
            "POST",
            |c| format!("{}/messages", problem(c)),
            |_| vec![("kind", "note".into()), ("body", "Log rotated.".into())],
            WORKERS
        ),
        page!(
            "POST",
            |c| format!("{}/call", problem(c)),
            |_| vec![("note", "Apologised; they are fine now".into())],
            WORKERS
        ),
        page!(
            "POST",
            |c| format!("{}/wait", problem(c)),
            |_| vec![
                ("on", "customer".into()),
                ("reason", "needs a sample".into())
            ],
            WORKERS
        ),
        page!(
            "POST",
            |c| format!("/problems/{}/resume", c.world.waiting.problem.number),
            nothing,
            WORKERS
        ),
        page!(
            "POST",
            |c| format!("{}/fix", problem(c)),
            |_| vec![("summary", "Patched".into())],
            WORKERS
        ),
        page!(
            "POST",
            |c| format!("{}/confirm", problem(c)),
            nothing,
            WORKERS
        ),
        page!(
            "POST",
            |c| format!("{}/close", problem(c)),
            |_| vec![("outcome", "retained".into())],
            WORKERS
        ),
        page!(
            "POST",
            |c| format!("/problems/{}/reopen", c.world.fixed.problem.number),
            |_| vec![("reason", "back again".into())],
            WORKERS
        ),
        // the agent owns `problem` and may hand it on; only leads reassign others' problems
        page!(
            "POST",
            |c| format!("{}/owner", problem(c)),
            |c| vec![("owner", c.team.supervisor.member.id.to_string())],
            WORKERS
        ),
        page!(
            "POST",
            |c| format!("{}/owner", theirs(c)),
            |c| vec![("owner", c.team.agent.member.id.to_string())],
            LEADS
        ),
        // promises: the agent works their own, leads every one
        page!(
            "POST",
            |c| format!("{}/promises", problem(c)),
            |c| vec![
                ("what", "A call every morning".into()),
                ("contacts", c.world.contact.id.to_string()),
                ("due_at", local(c, 24)),
            ],
            WORKERS
        ),
        page!(
            "POST",
            |c| format!(
                "{}/promises/{}/keep",
                problem(c),
                c.world.agents_promise.promise.id
            ),
            nothing,
            WORKERS
        ),
        page!(
            "POST",
            |c| format!(
                "{}/promises/{}/keep",
                problem(c),
                c.world.supervisors_promise.promise.id
            ),
            nothing,
            LEADS
        ),
        page!(
            "POST",
            |c| format!(
                "{}/promises/{}/renegotiate",
                problem(c),
                c.world.agents_promise.promise.id
            ),
            |c| vec![
                ("due_at", local(c, 96)),
                ("reason", "the vendor needs a week".into())
            ],
            WORKERS
        ),
        page!(
            "POST",
            |c| format!(
                "{}/promises/{}/release",
                problem(c),
                c.world.supervisors_promise.promise.id
            ),
            |_| vec![("reason", "no longer needed".into())],
            LEADS
        ),
        // the checklist (the world's problems are of the software playbook)
        page!(
            "POST",
            |c| format!("{}/checklist/1/done", problem(c)),
            |c| vec![("item", c.world.playbook.items[0].clone())],
            WORKERS
        ),
        page!(
            "POST",
            |c| format!("{}/checklist/1/undone", problem(c)),
            |c| vec![("item", c.world.playbook.items[0].clone())],
            WORKERS
        ),
        // remedies: workers propose and deliver, leads decide
        page!(
            "POST",
            |c| format!("{}/remedies", theirs(c)),
            |_| vec![
                ("kind", "refund".into()),
                ("description", "A refund of the setup fee".into()),
                ("cost", "50".into()),
            ],
            WORKERS
        ),
        page!(
            "POST",
            |c| format!(
                "{}/remedies/{}/approve",
                theirs(c),
                c.world.remedies.awaiting.remedy.id
            ),
            nothing,
            LEADS
        ),
        page!(
            "POST",
            |c| format!(
                "{}/remedies/{}/reject",
                theirs(c),
                c.world.remedies.awaiting.remedy.id
            ),
            |_| vec![("reason", "a discount will do".into())],
            LEADS
        ),
        page!(
            "POST",
            |c| format!(
                "{}/remedies/{}/deliver",
                theirs(c),
                c.world.remedies.approved.remedy.id
            ),
            |_| vec![("delivered_at", String::new())],
            WORKERS
        ),
        page!(
            "POST",
            |c| format!(
                "{}/remedies/{}/receive-vendor-share",
                theirs(c),
                c.world.remedies.approved.remedy.id
            ),
            nothing,
            WORKERS
        ),
        // preventions and vendor promises
        page!(
            "POST",
            |c| format!("{}/preventions", theirs(c)),
            |c| vec![
                ("root_cause", "No disk alert".into()),
                ("cause_category", "Capacity".into()),
                ("corrective_action", "Alert at 80%".into()),
                ("due_at", local(c, 48)),
            ],
            WORKERS
        ),
        page!(
            "POST",
            |c| format!(
                "{}/preventions/{}/done",
                theirs(c),
                c.world.preventions.open.prevention.id
            ),
            nothing,
            WORKERS
        ),
        page!(
            "POST",
            |c| format!(
                "{}/preventions/{}/check",
                theirs(c),
                c.world.preventions.done.prevention.id
            ),
            |_| vec![("effective", "yes".into())],
            WORKERS
        ),
        page!(
            "POST",
            |c| format!(
                "{}/preventions/{}/revise",
                theirs(c),
                c.world.preventions.open.prevention.id
            ),
            |c| vec![
                ("corrective_action", "Alert at 70%".into()),
                ("due_at", local(c, 72))
            ],
            WORKERS
        ),
        page!(
            "POST",
            |c| format!("{}/vendor-promises", theirs(c)),
            |c| vec![
                ("vendor", c.world.vendor.id.to_string()),
                ("what", "A patch".into()),
                ("due_at", local(c, 24)),
            ],
            WORKERS
        ),
        page!(
            "POST",
            |c| format!(
                "{}/vendor-promises/{}/keep",
                theirs(c),
                c.world.preventions.vendor_promise.vendor_promise.id
            ),
            nothing,
            WORKERS
        ),
        page!(
            "POST",
            |c| format!(
                "{}/vendor-promises/{}/renegotiate",
                theirs(c),
                c.world.preventions.vendor_promise.vendor_promise.id
            ),
            |c| vec![
                ("due_at", local(c, 96)),
                ("reason", "Their engineer is ill".into())
            ],
            WORKERS
        ),
    ]
}

fn settings() -> Vec<PageCase> {
    vec![
        page!("GET", |_| "/settings".into(), nothing, ADMIN),
        page!(
            "POST",
            |_| "/settings/organisation".into(),
            |_| vec![("organisation", "Acme Recovery".into())],
            ADMIN
        ),
        page!("GET", |_| "/settings/members".into(), nothing, ADMIN),
        page!("GET", |_| "/settings/members/invite".into(), nothing, ADMIN),
        page!(
            "POST",
            |_| "/settings/members/invite".into(),
            |_| vec![
                ("name", "Ivy Invited".into()),
                ("email", format!("ivy{}@acme.example", unique())),
                ("role", "agent".into()),
                ("remedy_authority", "250".into()),
                ("currency", "EUR".into()),
                ("time_zone", "Europe/Berlin".into()),
            ],
            ADMIN
        ),
        page!(
            "GET",
            |c| format!("/settings/members/{}", c.team.viewer.member.id),
            nothing,
            ADMIN
        ),
        page!(
            "POST",
            |c| format!("/settings/members/{}", c.team.viewer.member.id),
            |_| vec![
                ("role", "viewer".into()),
                ("remedy_authority", "0".into()),
                ("currency", "EUR".into()),
                ("time_zone", "UTC".into()),
            ],
            ADMIN
        ),
        page!(
            "POST",
            |c| format!("/settings/members/{}/active", c.team.viewer.member.id),
            |_| vec![("active", "true".into())],
            ADMIN
        ),
        page!(
            "POST",
            |c| format!("/settings/members/{}/invitation", c.team.viewer.member.id),
            nothing,
            ADMIN
        ),
        page!("GET", |_| "/settings/policies".into(), nothing, ADMIN),
        page!(
            "POST",
            |_| "/settings/policies".into(),
            |_| [
                ("critical_tell", "30m"),
                ("critical_update", "2h"),
                ("critical_fix", "1d"),
                ("critical_warning", "20"),
                ("critical_calendar", ""),
                ("major_tell", "4h"),
                ("major_update", "1d"),
                ("major_fix", "3d"),
                ("major_warning", "20"),
                ("major_calendar", ""),
                ("minor_tell", "1d"),
                ("minor_update", "3d"),
                ("minor_fix", "10d"),
                ("minor_warning", "20"),
                ("minor_calendar", ""),
                ("promise_percent", "20"),
                ("promise_min", "1h"),
                ("critical_follow_up", "2"),
                ("major_follow_up", "3"),
                ("minor_follow_up", "3"),
            ]
            .into_iter()
            .map(|(k, v)| (k, v.to_owned()))
            .collect(),
            ADMIN
        ),
        page!("GET", |_| "/settings/prevention".into(), nothing, ADMIN),
        page!(
            "POST",
            |_| "/settings/prevention".into(),
            |_| vec![("recurrence_window_days", "60".into())],
            ADMIN
        ),
        page!("GET", |_| "/settings/playbooks".into(), nothing, ADMIN),
        page!("GET", |_| "/settings/playbooks/new".into(), nothing, ADMIN),
        page!(
            "POST",
            |_| "/settings/playbooks".into(),
            |_| vec![
                ("category", format!("new {}", unique())),
                ("items", "Call".into())
            ],
            ADMIN
        ),
        page!(
            "GET",
            |c| format!("/settings/playbooks/{}", c.world.spare_playbook.id),
            nothing,
            ADMIN
        ),
        page!(
            "POST",
            |c| format!("/settings/playbooks/{}", c.world.spare_playbook.id),
            |c| vec![
                ("category", c.world.spare_playbook.category.clone()),
                ("items", "Call\nWrite".into()),
            ],
            ADMIN
        ),
        page!(
            "POST",
            |c| format!("/settings/playbooks/{}/delete", c.world.spare_playbook.id),
            nothing,
            ADMIN
        ),
        page!("GET", |_| "/settings/tokens".into(), nothing, ADMIN),
        page!("GET", |_| "/settings/audit".into(), nothing, ADMIN),
        page!(
            "POST",
            |c| format!("/settings/tokens/{}/revoke", c.spare_token),
            nothing,
            ADMIN
        ),
        page!("GET", |_| "/settings/deliveries".into(), nothing, ADMIN),
        page!(
            "POST",
            |c| format!("/settings/deliveries/{}/retry", c.world.delivery),
            nothing,
            ADMIN
        ),
        page!("GET", |_| "/settings/inbox".into(), nothing, ADMIN),
        page!(
            "POST",
            |c| format!("/settings/inbox/{}/attach", c.world.held),
            |c| vec![("problem", c.world.problem.problem.number.to_string())],
            ADMIN
        ),
        page!(
            "POST",
            |c| format!("/settings/inbox/{}/open", c.world.held),
            |c| vec![
                ("account", c.world.account.id.to_string()),
                ("name", "Sam Stranger".into())
            ],
            ADMIN
        ),
        page!(
            "POST",
            |c| format!("/settings/inbox/{}/dismiss", c.world.held),
            nothing,
            ADMIN
        ),
    ]
}
