//! The route table's cases for making good and email in: remedies, playbooks, preventions,
//! vendor promises and inbound email.

use serde_json::json;

use crate::route_table::{ADMIN, ALL, Case, LEADS, WORKERS, case, none, problem, unique};

pub fn cases() -> Vec<Case> {
    vec![
        // remedies: everyone reads, workers propose and deliver, leads decide
        case!(
            "GET",
            |c| format!("/api/v1/problems/{}/remedies", c.world.remedies.problem),
            none,
            ALL
        ),
        case!(
            "POST",
            |c| format!("/api/v1/problems/{}/remedies", c.world.remedies.problem),
            |_| Some(json!({
                "kind": "refund", "description": "A refund of the setup fee",
                "cost": {"minor": 5_000, "currency": "EUR"}
            })),
            WORKERS
        ),
        case!(
            "GET",
            |_| "/api/v1/remedies?state=awaiting_approval".into(),
            none,
            ALL
        ),
        case!(
            "GET",
            |c| format!("/api/v1/remedies/{}", c.world.remedies.awaiting.remedy.id),
            none,
            ALL
        ),
        case!(
            "POST",
            |c| format!(
                "/api/v1/remedies/{}/approve",
                c.world.remedies.awaiting.remedy.id
            ),
            none,
            LEADS
        ),
        case!(
            "POST",
            |c| format!(
                "/api/v1/remedies/{}/reject",
                c.world.remedies.awaiting.remedy.id
            ),
            |_| Some(json!({"reason": "a discount will do"})),
            LEADS
        ),
        case!(
            "POST",
            |c| format!(
                "/api/v1/remedies/{}/deliver",
                c.world.remedies.approved.remedy.id
            ),
            none,
            WORKERS
        ),
        case!(
            "POST",
            |c| format!(
                "/api/v1/remedies/{}/receive-vendor-share",
                c.world.remedies.approved.remedy.id
            ),
            none,
            WORKERS
        ),
        // playbooks: everyone reads, admins change them, workers tick and render
        case!("GET", |_| "/api/v1/playbooks".into(), none, ALL),
        case!(
            "POST",
            |_| "/api/v1/playbooks".into(),
            |_| Some(json!({"category": format!("new {}", unique()), "items": ["Call"]})),
            ADMIN
        ),
        case!(
            "GET",
            |c| format!("/api/v1/playbooks/{}", c.world.playbook.id),
            none,
            ALL
        ),
        case!(
            "PUT",
            |c| format!("/api/v1/playbooks/{}", c.world.spare_playbook.id),
            |c| Some(
                json!({"category": c.world.spare_playbook.category, "items": ["Call", "Write"]})
            ),
            ADMIN
        ),
        case!(
            "DELETE",
            |c| format!("/api/v1/playbooks/{}", c.world.spare_playbook.id),
            none,
            ADMIN
        ),
        case!("GET", |c| format!("{}/checklist", problem(c)), none, ALL),
        case!(
            "POST",
            |c| format!("{}/checklist/1/done", problem(c)),
            none,
            WORKERS
        ),
        case!(
            "POST",
            |c| format!("{}/checklist/1/undone", problem(c)),
            none,
            WORKERS
        ),
        case!(
            "POST",
            |c| format!("{}/templates/apology/render", problem(c)),
            |c| Some(json!({"contact": c.world.contact.id})),
            WORKERS
        ),
        // preventions and vendor promises
        case!("GET", |c| format!("{}/preventions", problem(c)), none, ALL),
        case!(
            "POST",
            |c| format!("{}/preventions", problem(c)),
            |c| Some(json!({
                "root_cause": "No disk alert",
                "cause_category": "Capacity",
                "corrective_action": "Alert at 80%",
                "due_at": c.app.in_hours(48),
            })),
            WORKERS
        ),
        case!(
            "GET",
            |_| "/api/v1/preventions?check_due=true".into(),
            none,
            ALL
        ),
        case!(
            "GET",
            |c| format!(
                "/api/v1/preventions/{}",
                c.world.preventions.open.prevention.id
            ),
            none,
            ALL
        ),
        case!(
            "POST",
            |c| format!(
                "/api/v1/preventions/{}/done",
                c.world.preventions.open.prevention.id
            ),
            none,
            WORKERS
        ),
        case!(
            "POST",
            |c| format!(
                "/api/v1/preventions/{}/check",
                c.world.preventions.done.prevention.id
            ),
            |_| Some(json!({"effective": true})),
            WORKERS
        ),
        case!(
            "POST",
            |c| format!(
                "/api/v1/preventions/{}/revise",
                c.world.preventions.open.prevention.id
            ),
            |c| Some(json!({"corrective_action": "Alert at 70%", "due_at": c.app.in_hours(72)})),
            WORKERS
        ),
        case!("GET", |_| "/api/v1/settings/prevention".into(), none, ALL),
        case!(
            "PUT",
            |_| "/api/v1/settings/prevention".into(),
            |_| Some(json!({"recurrence_window_days": 60})),
            ADMIN
        ),
        case!(
            "GET",
            |c| format!("{}/vendor-promises", problem(c)),
            none,
            ALL
        ),
        case!(
            "POST",
            |c| format!("{}/vendor-promises", problem(c)),
            |c| Some(
                json!({"vendor": c.world.vendor.id, "what": "A patch", "due_at": c.app.in_hours(24)})
            ),
            WORKERS
        ),
        case!(
            "GET",
            |c| format!(
                "/api/v1/vendor-promises/{}",
                c.world.preventions.vendor_promise.vendor_promise.id
            ),
            none,
            ALL
        ),
        case!(
            "POST",
            |c| format!(
                "/api/v1/vendor-promises/{}/keep",
                c.world.preventions.vendor_promise.vendor_promise.id
            ),
            none,
            WORKERS
        ),
        case!(
            "POST",
            |c| format!(
                "/api/v1/vendor-promises/{}/renegotiate",
                c.world.preventions.vendor_promise.vendor_promise.id
            ),
            |c| Some(json!({"due_at": c.app.in_hours(96), "reason": "Their engineer is ill"})),
            WORKERS
        ),
        case!(
            "GET",
            |c| format!("/api/v1/vendors/{}/reliability", c.world.vendor.id),
            none,
            ALL
        ),
        // inbound email: admins' tokens (a stranger's message is held, still a 200)
        case!(
            "POST",
            |_| "/api/v1/inbound/email".into(),
            |_| Some(
                json!({"raw": format!("From: who{}@else.example\r\nSubject: hi\r\n\r\nhello", unique())})
            ),
            ADMIN
        ),
    ]
}
