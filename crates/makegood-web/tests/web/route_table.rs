//! The table of every API route: how to call it and which roles may.

use std::sync::atomic::{AtomicU32, Ordering};

use makegood_domain::{Policies, Preferences, Role};
use serde_json::{Value, json};

use crate::common::{TestApp, User};
use crate::fixture::{Team, World};

/// What a case's builders see.
pub struct Ctx<'a> {
    pub app: &'a TestApp,
    pub world: &'a World,
    pub team: &'a Team,
    pub caller: &'a User,
    pub spare_token: i64,
}

pub type PathFn = fn(&Ctx) -> String;
pub type BodyFn = fn(&Ctx) -> Option<Value>;

pub struct Case {
    pub method: &'static str,
    pub path: PathFn,
    pub body: BodyFn,
    pub allowed: &'static [Role],
}

pub(crate) const ALL: &[Role] = &[Role::Admin, Role::Supervisor, Role::Agent, Role::Viewer];
pub(crate) const WORKERS: &[Role] = &[Role::Admin, Role::Supervisor, Role::Agent];
pub(crate) const LEADS: &[Role] = &[Role::Admin, Role::Supervisor];
pub(crate) const ADMIN: &[Role] = &[Role::Admin];

pub(crate) fn none(_: &Ctx) -> Option<Value> {
    None
}

pub fn unique() -> u32 {
    static N: AtomicU32 = AtomicU32::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

pub(crate) fn problem(c: &Ctx) -> String {
    format!("/api/v1/problems/{}", c.world.problem.problem.number)
}

fn promise_body(c: &Ctx, made_by: Option<&User>) -> Option<Value> {
    let mut body = json!({
        "what": "A call every morning",
        "contacts": [c.world.contact.id],
        "problem": c.world.problem.problem.number.to_string(),
        "due_at": c.app.in_hours(24),
    });
    if let Some(user) = made_by {
        body["made_by"] = json!(user.member.id);
    }
    Some(body)
}

/// One row of the table.
macro_rules! case {
    ($method:literal, $path:expr, $body:expr, $allowed:expr) => {
        $crate::route_table::Case {
            method: $method,
            path: $path,
            body: $body,
            allowed: $allowed,
        }
    };
}
pub(crate) use case;

/// Every case: the foundation's routes here, making good and email in beside it.
pub fn cases() -> Vec<Case> {
    let mut cases = foundation();
    cases.extend(crate::route_table_recovery::cases());
    cases.extend(crate::route_table_customer_followup::cases());
    cases.extend(crate::route_table_customer_signals::cases());
    cases.extend(crate::route_table_customer_portal::cases());
    cases.extend(crate::route_table_reports::cases());
    cases.extend(crate::route_table_health::cases());
    cases
}

fn foundation() -> Vec<Case> {
    vec![
        case!("GET", |_| "/api/v1/me".into(), none, ALL),
        // members
        case!("GET", |_| "/api/v1/members".into(), none, ALL),
        case!(
            "GET",
            |c| format!("/api/v1/members/{}", c.team.agent.member.id),
            none,
            ALL
        ),
        case!(
            "POST",
            |_| "/api/v1/members".into(),
            |_| Some(json!({
                "name": "New Person", "email": format!("new{}@acme.example", unique()), "role": "agent"
            })),
            ADMIN
        ),
        case!(
            "PATCH",
            |c| format!("/api/v1/members/{}", c.team.viewer.member.id),
            |_| Some(json!({"name": "Vera Viewer"})),
            ADMIN
        ),
        // accounts
        case!("GET", |_| "/api/v1/accounts".into(), none, ALL),
        case!(
            "GET",
            |c| format!("/api/v1/accounts/{}", c.world.account.id),
            none,
            ALL
        ),
        case!(
            "POST",
            |_| "/api/v1/accounts".into(),
            |_| Some(json!({"name": "Contoso"})),
            WORKERS
        ),
        case!(
            "PATCH",
            |c| format!("/api/v1/accounts/{}", c.world.account.id),
            |_| Some(json!({"tier": "gold"})),
            WORKERS
        ),
        case!(
            "DELETE",
            |c| format!("/api/v1/accounts/{}", c.world.spare_account.id),
            none,
            WORKERS
        ),
        // contacts
        case!("GET", |_| "/api/v1/contacts".into(), none, ALL),
        case!(
            "GET",
            |c| format!("/api/v1/contacts/{}", c.world.contact.id),
            none,
            ALL
        ),
        case!(
            "POST",
            |_| "/api/v1/contacts".into(),
            |c| Some(json!({
                "account": c.world.account.id, "name": "Pat Purchaser", "role_title": "Purchasing", "email": "pat@northwind.example"
            })),
            WORKERS
        ),
        case!(
            "PATCH",
            |c| format!("/api/v1/contacts/{}", c.world.contact.id),
            |_| Some(json!({"phone": "+44 20 1234"})),
            WORKERS
        ),
        case!(
            "DELETE",
            |c| format!("/api/v1/contacts/{}", c.world.spare_contact.id),
            none,
            WORKERS
        ),
        // vendors
        case!("GET", |_| "/api/v1/vendors".into(), none, ALL),
        case!(
            "GET",
            |c| format!("/api/v1/vendors/{}", c.world.vendor.id),
            none,
            ALL
        ),
        case!(
            "POST",
            |_| "/api/v1/vendors".into(),
            |_| Some(json!({"name": "CloudCo"})),
            WORKERS
        ),
        case!(
            "PATCH",
            |c| format!("/api/v1/vendors/{}", c.world.vendor.id),
            |_| Some(json!({"email": null})),
            WORKERS
        ),
        case!(
            "DELETE",
            |c| format!("/api/v1/vendors/{}", c.world.spare_vendor.id),
            none,
            WORKERS
        ),
        // problems
        case!("GET", |_| "/api/v1/problems".into(), none, ALL),
        case!("GET", problem, none, ALL),
        case!("GET", |c| format!("{}/timeline", problem(c)), none, ALL),
        case!(
            "POST",
            |_| "/api/v1/problems".into(),
            |c| Some(json!({
                "title": "Report export broken", "origin": "ours", "severity": "minor", "accounts": [c.world.account.id]
            })),
            WORKERS
        ),
        case!(
            "PATCH",
            problem,
            |_| Some(json!({"severity": "critical"})),
            WORKERS
        ),
        case!(
            "POST",
            |c| format!("{}/updates", problem(c)),
            |_| Some(json!({"body": "We are on it."})),
            WORKERS
        ),
        case!(
            "POST",
            |c| format!("{}/notes", problem(c)),
            |_| Some(json!({"body": "Log rotated."})),
            WORKERS
        ),
        case!(
            "POST",
            |c| format!("{}/wait", problem(c)),
            |_| Some(json!({"on": "customer", "reason": "needs a sample"})),
            WORKERS
        ),
        case!(
            "POST",
            |c| format!("/api/v1/problems/{}/resume", c.world.waiting.problem.number),
            none,
            WORKERS
        ),
        case!(
            "POST",
            |c| format!("{}/fix", problem(c)),
            |_| Some(json!({"summary": "Patched"})),
            WORKERS
        ),
        case!("POST", |c| format!("{}/confirm", problem(c)), none, WORKERS),
        case!(
            "POST",
            |c| format!("{}/close", problem(c)),
            |_| Some(json!({"outcome": "retained"})),
            WORKERS
        ),
        case!(
            "POST",
            |c| format!("/api/v1/problems/{}/reopen", c.world.fixed.problem.number),
            |_| Some(json!({"reason": "back again"})),
            WORKERS
        ),
        // the agent owns `problem` and may hand it on; only leads reassign others' problems
        case!(
            "POST",
            |c| format!("{}/owner", problem(c)),
            |c| Some(json!({"owner": c.team.supervisor.member.id})),
            WORKERS
        ),
        case!(
            "POST",
            |c| format!(
                "/api/v1/problems/{}/owner",
                c.world.supervisors_problem.problem.number
            ),
            |c| Some(json!({"owner": c.team.agent.member.id})),
            LEADS
        ),
        // promises
        case!("GET", |_| "/api/v1/promises".into(), none, ALL),
        case!(
            "GET",
            |c| format!("/api/v1/promises/{}", c.world.agents_promise.promise.id),
            none,
            ALL
        ),
        case!(
            "POST",
            |_| "/api/v1/promises".into(),
            |c| promise_body(c, None),
            WORKERS
        ),
        case!(
            "POST",
            |_| "/api/v1/promises".into(),
            |c| promise_body(c, Some(&c.team.supervisor)),
            LEADS
        ),
        case!(
            "POST",
            |c| format!(
                "/api/v1/promises/{}/keep",
                c.world.agents_promise.promise.id
            ),
            none,
            WORKERS
        ),
        case!(
            "POST",
            |c| format!(
                "/api/v1/promises/{}/keep",
                c.world.supervisors_promise.promise.id
            ),
            none,
            LEADS
        ),
        case!(
            "POST",
            |c| format!(
                "/api/v1/promises/{}/renegotiate",
                c.world.agents_promise.promise.id
            ),
            |c| Some(json!({"due_at": c.app.in_hours(96), "reason": "the vendor needs a week"})),
            WORKERS
        ),
        case!(
            "POST",
            |c| format!(
                "/api/v1/promises/{}/renegotiate",
                c.world.supervisors_promise.promise.id
            ),
            |c| Some(json!({"due_at": c.app.in_hours(96), "reason": "the vendor needs a week"})),
            LEADS
        ),
        case!(
            "POST",
            |c| format!(
                "/api/v1/promises/{}/release",
                c.world.agents_promise.promise.id
            ),
            |_| Some(json!({"reason": "no longer needed"})),
            WORKERS
        ),
        case!(
            "POST",
            |c| format!(
                "/api/v1/promises/{}/release",
                c.world.supervisors_promise.promise.id
            ),
            |_| Some(json!({"reason": "no longer needed"})),
            LEADS
        ),
        // duties, policies, tokens
        case!("GET", |_| "/api/v1/duties".into(), none, ALL),
        case!("GET", |_| "/api/v1/duties?for=everyone".into(), none, ALL),
        case!("GET", |_| "/api/v1/policies".into(), none, ALL),
        case!(
            "PUT",
            |_| "/api/v1/policies".into(),
            |_| Some(serde_json::to_value(Policies::default()).unwrap()),
            ADMIN
        ),
        case!("GET", |_| "/api/v1/tokens".into(), none, ALL),
        case!(
            "POST",
            |_| "/api/v1/tokens".into(),
            |_| Some(json!({"name": "laptop"})),
            ALL
        ),
        case!(
            "DELETE",
            |c| format!("/api/v1/tokens/{}", c.spare_token),
            none,
            ALL
        ),
        // preferences and the calendar feed: everyone's own
        case!("GET", |_| "/api/v1/me/preferences".into(), none, ALL),
        case!(
            "PUT",
            |_| "/api/v1/me/preferences".into(),
            |_| Some(serde_json::to_value(Preferences::default()).unwrap()),
            ALL
        ),
        case!("POST", |_| "/api/v1/me/calendar-feed".into(), none, ALL),
        case!("DELETE", |_| "/api/v1/me/calendar-feed".into(), none, ALL),
        // calendars: everyone reads, admins write
        case!("GET", |_| "/api/v1/calendars".into(), none, ALL),
        case!(
            "GET",
            |c| format!("/api/v1/calendars/{}", c.world.calendar.id),
            none,
            ALL
        ),
        case!(
            "POST",
            |_| "/api/v1/calendars".into(),
            |_| Some(json!({
                "name": format!("Calendar {}", unique()), "zone": "Europe/Berlin",
                "hours": {"monday": [{"open": "09:00", "close": "17:00"}]}
            })),
            ADMIN
        ),
        case!(
            "PATCH",
            |c| format!("/api/v1/calendars/{}", c.world.calendar.id),
            |_| Some(json!({"holidays": ["2026-12-25"]})),
            ADMIN
        ),
        case!(
            "DELETE",
            |c| format!("/api/v1/calendars/{}", c.world.calendar.id),
            none,
            ADMIN
        ),
        // webhooks and deliveries: admins only
        case!("GET", |_| "/api/v1/webhooks".into(), none, ADMIN),
        case!(
            "GET",
            |c| format!("/api/v1/webhooks/{}", c.world.webhook.id),
            none,
            ADMIN
        ),
        case!(
            "POST",
            |_| "/api/v1/webhooks".into(),
            |_| Some(
                json!({"name": "Ops", "url": "https://ops.example.com/in", "events": ["update"]})
            ),
            ADMIN
        ),
        case!(
            "PATCH",
            |c| format!("/api/v1/webhooks/{}", c.world.webhook.id),
            |_| Some(json!({"active": false})),
            ADMIN
        ),
        case!(
            "DELETE",
            |c| format!("/api/v1/webhooks/{}", c.world.webhook.id),
            none,
            ADMIN
        ),
        case!(
            "POST",
            |c| format!("/api/v1/webhooks/{}/rotate-secret", c.world.webhook.id),
            none,
            ADMIN
        ),
        case!("GET", |_| "/api/v1/deliveries".into(), none, ADMIN),
        case!(
            "GET",
            |c| format!("/api/v1/deliveries/{}", c.world.delivery),
            none,
            ADMIN
        ),
        case!(
            "POST",
            |c| format!("/api/v1/deliveries/{}/retry", c.world.delivery),
            none,
            ADMIN
        ),
        // the audit trail
        case!(
            "GET",
            |_| "/api/v1/audit?kind=token_used".into(),
            none,
            ADMIN
        ),
    ]
}
