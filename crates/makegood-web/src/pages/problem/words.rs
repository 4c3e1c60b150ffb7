//! The problem page in words: every timeline event, clock, status, origin and outcome.

use std::collections::HashMap;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use makegood_domain::{
    ClockKind, Event, EventKind, MemberId, Origin, Outcome, PromiseId, Severity, Status, WaitingOn,
};

use super::super::When;

/// One timeline entry as the page shows it.
pub struct EventRow {
    /// `update` (to the customer), `note` (internal), `promise`, `alert` or `status`.
    pub class: &'static str,
    /// A short label beside the entry: `To the customer`, `Internal`, or empty.
    pub label: &'static str,
    /// What happened, e.g. `Sam Patel told the customer:`.
    pub lead: String,
    pub body: Option<String>,
    pub at: When,
}

/// Names the page needs to put events into words.
pub struct Names<'a> {
    pub members: &'a HashMap<MemberId, String>,
    pub promises: &'a HashMap<PromiseId, String>,
    pub zone: &'a TimeZone,
    pub now: Timestamp,
}

impl Names<'_> {
    pub(super) fn member(&self, id: Option<MemberId>) -> String {
        match id {
            None => "makegood".to_owned(),
            Some(id) => self
                .members
                .get(&id)
                .cloned()
                .unwrap_or_else(|| format!("member #{id}")),
        }
    }

    fn promise(&self, id: Option<PromiseId>) -> String {
        id.and_then(|id| self.promises.get(&id))
            .map_or_else(String::new, |what| format!(" “{what}”"))
    }

    pub(super) fn at(&self, t: Timestamp) -> String {
        When::new(t, self.zone, self.now).absolute
    }
}

impl EventRow {
    pub fn new(event: &Event, names: &Names) -> Self {
        let who = names.member(event.actor);
        let promise = names.promise(event.promise);
        let (class, label, lead, body) = match &event.kind {
            EventKind::Created { title, severity } => (
                "status",
                "",
                format!("{who} recorded the problem ({})", severity_word(*severity)),
                Some(title.clone()),
            ),
            EventKind::Update { body } => (
                "update",
                "To the customer",
                format!("{who} told the customer:"),
                Some(body.clone()),
            ),
            EventKind::Note { body } => (
                "note",
                "Internal",
                format!("Internal note by {who}:"),
                Some(body.clone()),
            ),
            EventKind::Edited { fields } => (
                "status",
                "",
                format!("{who} edited {}", fields.join(", ")),
                None,
            ),
            EventKind::OwnerChanged { from, to } => (
                "status",
                "",
                format!(
                    "{who} gave the problem to {} (was {})",
                    names.member(Some(*to)),
                    names.member(Some(*from))
                ),
                None,
            ),
            EventKind::Waiting { on, reason } => (
                "status",
                "",
                format!("Waiting on {} ({who}):", waiting_word(*on)),
                Some(reason.clone()),
            ),
            EventKind::Resumed => (
                "status",
                "",
                format!("{who} stopped waiting; the clocks run again"),
                None,
            ),
            EventKind::Fixed { summary } => (
                "status",
                "",
                format!("{who} marked it fixed:"),
                Some(summary.clone()),
            ),
            EventKind::Confirmed { contact } => (
                "status",
                "",
                match contact {
                    Some(_) => "The customer confirmed the fix in the portal".to_owned(),
                    None => format!("The customer confirmed the fix (recorded by {who})"),
                },
                None,
            ),
            EventKind::Closed { outcome } => (
                "status",
                "",
                format!("{who} closed it — outcome: {}", outcome_word(*outcome)),
                None,
            ),
            EventKind::Reopened { reason } => (
                "status",
                "",
                format!("{who} reopened it:"),
                Some(reason.clone()),
            ),
            EventKind::PromiseMade { what, due_at } => (
                "promise",
                "",
                format!("Promise made by {who}: “{what}” due {}", names.at(*due_at)),
                None,
            ),
            EventKind::PromiseKept => (
                "promise",
                "",
                format!("Promise{promise} kept ({who})"),
                None,
            ),
            EventKind::PromiseRenegotiated {
                from_due,
                to_due,
                reason,
                ..
            } => (
                "promise",
                "",
                format!(
                    "Promise{promise} renegotiated by {who}: due {} instead of {}, because:",
                    names.at(*to_due),
                    names.at(*from_due)
                ),
                Some(reason.clone()),
            ),
            EventKind::PromiseReleased { reason } => (
                "promise",
                "",
                format!("Promise{promise} released by the customer (recorded by {who}):"),
                Some(reason.clone()),
            ),
            EventKind::PromiseBroken { due_at } => (
                "alarm",
                "",
                format!("Promise{promise} broken: it was due {}", names.at(*due_at)),
                None,
            ),
            EventKind::ClockWarning { clock, due_at } => (
                "alarm",
                "",
                format!(
                    "Warning: “{}” is due {}",
                    clock_word(*clock),
                    names.at(*due_at)
                ),
                None,
            ),
            EventKind::ClockBreached { clock, due_at } => (
                "alarm",
                "",
                format!(
                    "Breached: “{}” was due {}",
                    clock_word(*clock),
                    names.at(*due_at)
                ),
                None,
            ),
            kind @ (EventKind::RemedyProposed { .. }
            | EventKind::RemedyApproved { .. }
            | EventKind::RemedyRejected { .. }
            | EventKind::RemedyDelivered { .. }
            | EventKind::VendorShareReceived { .. }) => {
                let (lead, body) = super::remedies::event_words(kind, &who, |t| names.at(t));
                ("remedy", "", lead, body)
            }
            EventKind::ChecklistItemDone { item, .. } => (
                "status",
                "",
                format!("{who} ticked off “{item}” on the checklist"),
                None,
            ),
            EventKind::ChecklistItemUndone { item, .. } => (
                "status",
                "",
                format!("{who} unticked “{item}” on the checklist"),
                None,
            ),
            kind @ (EventKind::PreventionRecorded { .. }
            | EventKind::PreventionRevised { .. }
            | EventKind::PreventionDone { .. }
            | EventKind::PreventionChecked { .. }
            | EventKind::RecurrenceFlagged { .. }
            | EventKind::VendorPromiseMade { .. }
            | EventKind::VendorPromiseKept { .. }
            | EventKind::VendorPromiseBroken { .. }
            | EventKind::VendorPromiseRenegotiated { .. }) => {
                super::prevention_words::row(kind, &who, names)
            }
            EventKind::CustomerReplied {
                body,
                sentiment,
                attachments,
                ..
            } => (
                "reply",
                "From the customer",
                match (sentiment.is_upset(), attachments.len()) {
                    (true, _) => "The customer wrote, upset:".to_owned(),
                    (false, 0) => "The customer wrote:".to_owned(),
                    (false, n) => format!("The customer wrote ({n} attached):"),
                },
                Some(body.clone()),
            ),
            EventKind::CustomerCalled { note } => (
                "status",
                "",
                format!("{who} called the customer:"),
                Some(note.clone()),
            ),
            EventKind::SurveySent { contacts } => (
                "status",
                "",
                match contacts.len() {
                    1 => "The follow-up survey went to the stakeholder".to_owned(),
                    n => format!("The follow-up survey went to {n} stakeholders"),
                },
                None,
            ),
            EventKind::SurveyAnswered {
                rating,
                recommend,
                comment,
                ..
            } => (
                if makegood_domain::followup::is_low(*rating, *recommend) {
                    "alarm"
                } else {
                    "reply"
                },
                "From the customer",
                format!("The customer rated us {rating}/5 and would recommend us {recommend}/10"),
                Some(comment.clone()).filter(|c| !c.is_empty()),
            ),
        };
        Self {
            class,
            label,
            lead,
            body,
            at: When::new(event.at, names.zone, names.now),
        }
    }
}

/// What a clock asks for, in words.
pub fn clock_word(kind: ClockKind) -> &'static str {
    match kind {
        ClockKind::Tell => "Tell the customer",
        ClockKind::Update => "Next update to the customer",
        ClockKind::Fix => "Fix it",
        ClockKind::Promise => "Keep the promise",
        ClockKind::Approval => "Decide the remedy",
        ClockKind::Prevention => "Do the corrective action",
        ClockKind::Check => "Check the corrective action worked",
        ClockKind::VendorPromise => "The vendor's promise",
        ClockKind::Call => "Call the customer",
        ClockKind::Review => "Review the account",
    }
}

pub fn status_word(status: Status) -> &'static str {
    match status {
        Status::Open => "open",
        Status::WaitingOnCustomer => "waiting on the customer",
        Status::WaitingOnVendor => "waiting on the vendor",
        Status::Fixed => "fixed",
        Status::Confirmed => "confirmed by the customer",
        Status::Closed => "closed",
    }
}

pub fn origin_word(origin: Origin) -> &'static str {
    match origin {
        Origin::Ours => "ours",
        Origin::Customer => "the customer's",
        Origin::Vendor => "a vendor's",
        Origin::Unknown => "unknown",
    }
}

pub fn severity_word(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "critical",
        Severity::Major => "major",
        Severity::Minor => "minor",
    }
}

fn waiting_word(on: WaitingOn) -> &'static str {
    match on {
        WaitingOn::Customer => "the customer",
        WaitingOn::Vendor => "the vendor",
    }
}

/// Every outcome a close may record: the form value and its words.
pub const OUTCOMES: [(&str, Outcome, &str); 5] = [
    (
        "advocate",
        Outcome::Advocate,
        "advocate — they would recommend us",
    ),
    ("retained", Outcome::Retained, "retained"),
    ("at_risk", Outcome::AtRisk, "at risk"),
    ("lost", Outcome::Lost, "lost"),
    ("unknown", Outcome::Unknown, "unknown yet"),
];

pub fn outcome_word(outcome: Outcome) -> &'static str {
    OUTCOMES
        .iter()
        .find(|(_, o, _)| *o == outcome)
        .map_or("unknown", |(_, _, words)| words)
}
