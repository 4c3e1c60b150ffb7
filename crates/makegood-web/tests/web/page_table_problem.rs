//! The page table's cases for one problem's page and its forms: updates, promises, the
//! checklist, remedies and preventions.

use jiff::SignedDuration;
use jiff::tz::TimeZone;

use crate::page_table::{Ctx, PageCase, nothing, page};
use crate::route_table::{ALL, LEADS, WORKERS};

/// A `datetime-local` value `hours` from now (test members are on UTC).
fn local(c: &Ctx, hours: i64) -> String {
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

pub fn cases() -> Vec<PageCase> {
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
