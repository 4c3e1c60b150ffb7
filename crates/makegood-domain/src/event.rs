//! The append-only timeline of a problem; its state and clocks are derived from it.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::{
    ClockKind, ContactId, EventId, MemberId, Money, Outcome, PreventionId, ProblemId, PromiseId,
    RemedyId, RemedyKind, Sentiment, Severity, VendorId, VendorPromiseId, WaitingOn,
};

/// Something that happened to a problem (or a promise).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Event {
    pub id: EventId,
    pub problem: Option<ProblemId>,
    pub promise: Option<PromiseId>,
    #[schema(value_type = String, format = DateTime)]
    pub at: Timestamp,
    /// Who did it; `None` for what the system detected (a broken promise).
    pub actor: Option<MemberId>,
    #[serde(flatten)]
    pub kind: EventKind,
}

/// What happened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventKind {
    /// The problem was recorded.
    Created {
        title: String,
        severity: Severity,
    },
    /// A customer-visible message: the only thing that satisfies the tell and update clocks.
    Update {
        body: String,
    },
    /// An internal message: never satisfies a customer clock.
    Note {
        body: String,
    },
    /// Fields of the problem were edited.
    Edited {
        fields: Vec<String>,
    },
    /// Ownership passed to another member.
    OwnerChanged {
        from: MemberId,
        to: MemberId,
    },
    /// Openly waiting on the customer or a vendor; update and fix clocks pause.
    Waiting {
        on: WaitingOn,
        reason: String,
    },
    /// No longer waiting.
    Resumed,
    /// We believe it is fixed.
    Fixed {
        summary: String,
    },
    /// The customer confirmed the fix.
    Confirmed {
        /// The stakeholder who confirmed it in the portal; `None` when a member recorded it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        contact: Option<ContactId>,
    },
    /// Closed with the relationship outcome.
    Closed {
        outcome: Outcome,
    },
    /// Opened again after fixed, confirmed or closed.
    Reopened {
        reason: String,
    },
    PromiseMade {
        what: String,
        #[schema(value_type = String, format = DateTime)]
        due_at: Timestamp,
    },
    PromiseKept,
    /// A new due time agreed before the old one passed; `new_promise` carries it on.
    PromiseRenegotiated {
        new_promise: PromiseId,
        #[schema(value_type = String, format = DateTime)]
        from_due: Timestamp,
        #[schema(value_type = String, format = DateTime)]
        to_due: Timestamp,
        reason: String,
    },
    PromiseReleased {
        reason: String,
    },
    /// The due time passed with none of kept, renegotiated or released.
    PromiseBroken {
        #[schema(value_type = String, format = DateTime)]
        due_at: Timestamp,
    },
    /// The scheduler saw a clock reach its warning time and warned the owner.
    ClockWarning {
        clock: ClockKind,
        #[schema(value_type = String, format = DateTime)]
        due_at: Timestamp,
    },
    /// The scheduler saw a clock pass its deadline and alerted the owner and supervisors.
    ClockBreached {
        clock: ClockKind,
        #[schema(value_type = String, format = DateTime)]
        due_at: Timestamp,
    },
    /// A remedy was proposed; within the proposer's authority it is approved at once,
    /// otherwise (`approval_required`) it waits for a supervisor or admin.
    RemedyProposed {
        remedy: RemedyId,
        kind: RemedyKind,
        description: String,
        cost: Money,
        net_cost: Money,
        approval_required: bool,
    },
    /// A waiting remedy was approved by a supervisor or admin whose authority covers it.
    RemedyApproved {
        remedy: RemedyId,
    },
    /// A waiting remedy was refused, with the reason.
    RemedyRejected {
        remedy: RemedyId,
        reason: String,
    },
    /// An approved remedy was given to the customer.
    RemedyDelivered {
        remedy: RemedyId,
        #[schema(value_type = String, format = DateTime)]
        delivered_at: Timestamp,
    },
    /// The vendor paid (or credited) their share of a remedy.
    VendorShareReceived {
        remedy: RemedyId,
        vendor: VendorId,
        amount: Money,
    },
    /// An item of the problem's playbook checklist was ticked (1-based position, its text).
    ChecklistItemDone {
        position: u32,
        item: String,
    },
    /// A ticked checklist item was unticked.
    ChecklistItemUndone {
        position: u32,
        item: String,
    },
    /// A root cause and the corrective action that keeps it from recurring.
    PreventionRecorded {
        prevention: PreventionId,
        root_cause: String,
        cause_category: String,
        corrective_action: String,
        owner: MemberId,
        #[schema(value_type = String, format = DateTime)]
        due_at: Timestamp,
    },
    /// A new corrective action or due time for an open prevention.
    PreventionRevised {
        prevention: PreventionId,
        corrective_action: String,
        #[schema(value_type = String, format = DateTime)]
        due_at: Timestamp,
    },
    /// The corrective action was done; its effectiveness check comes later.
    PreventionDone {
        prevention: PreventionId,
    },
    /// The effectiveness check: effective ends the prevention, not effective reopens it.
    PreventionChecked {
        prevention: PreventionId,
        effective: bool,
        note: Option<String>,
    },
    /// The problem recurs an earlier one for the same account.
    RecurrenceFlagged {
        earlier: ProblemId,
        /// The earlier problem's prevention, if it had one.
        prevention: Option<PreventionId>,
        /// What matched: `category` or `cause_category`.
        basis: String,
        /// The category (or cause category) they share.
        category: String,
    },
    /// A vendor promised us something by a date.
    VendorPromiseMade {
        vendor_promise: VendorPromiseId,
        vendor: VendorId,
        what: String,
        #[schema(value_type = String, format = DateTime)]
        due_at: Timestamp,
    },
    /// The vendor delivered by the due time.
    VendorPromiseKept {
        vendor_promise: VendorPromiseId,
    },
    /// The vendor's due time passed undelivered.
    VendorPromiseBroken {
        vendor_promise: VendorPromiseId,
        #[schema(value_type = String, format = DateTime)]
        due_at: Timestamp,
    },
    /// A new due time agreed with the vendor before the old one passed.
    VendorPromiseRenegotiated {
        vendor_promise: VendorPromiseId,
        new_vendor_promise: VendorPromiseId,
        #[schema(value_type = String, format = DateTime)]
        from_due: Timestamp,
        #[schema(value_type = String, format = DateTime)]
        to_due: Timestamp,
        reason: String,
    },
    /// A stakeholder wrote to us (by email, later the portal): their words, scored.
    CustomerReplied {
        contact: ContactId,
        /// The reply without the quoted thread and signature.
        body: String,
        sentiment: Sentiment,
        /// The inbound email it came in, whose original text and attachments are kept.
        inbound: Option<i64>,
        /// Names of the files that came with it.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        attachments: Vec<String>,
    },
    /// The owner called the customer (asked of them when the customer was upset).
    CustomerCalled {
        /// How the call went.
        note: String,
    },
    /// The follow-up survey went to these stakeholders.
    SurveySent {
        contacts: Vec<ContactId>,
    },
    /// A stakeholder answered the follow-up survey.
    SurveyAnswered {
        contact: ContactId,
        /// 1 (very poor) to 5 (excellent).
        rating: u8,
        /// Would they recommend us: 0 (not at all) to 10 (certainly).
        recommend: u8,
        comment: String,
        /// The comment's score.
        sentiment: Sentiment,
    },
}

impl EventKind {
    /// Every name [`EventKind::name`] returns, in declaration order (webhooks subscribe by name).
    pub const NAMES: &'static [&'static str] = &[
        "created",
        "update",
        "note",
        "edited",
        "owner_changed",
        "waiting",
        "resumed",
        "fixed",
        "confirmed",
        "closed",
        "reopened",
        "promise_made",
        "promise_kept",
        "promise_renegotiated",
        "promise_released",
        "promise_broken",
        "clock_warning",
        "clock_breached",
        "remedy_proposed",
        "remedy_approved",
        "remedy_rejected",
        "remedy_delivered",
        "vendor_share_received",
        "checklist_item_done",
        "checklist_item_undone",
        "prevention_recorded",
        "prevention_revised",
        "prevention_done",
        "prevention_checked",
        "recurrence_flagged",
        "vendor_promise_made",
        "vendor_promise_kept",
        "vendor_promise_broken",
        "vendor_promise_renegotiated",
        "customer_replied",
        "customer_called",
        "survey_sent",
        "survey_answered",
    ];

    /// The API name of the kind, e.g. `update`.
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::Created { .. } => "created",
            EventKind::Update { .. } => "update",
            EventKind::Note { .. } => "note",
            EventKind::Edited { .. } => "edited",
            EventKind::OwnerChanged { .. } => "owner_changed",
            EventKind::Waiting { .. } => "waiting",
            EventKind::Resumed => "resumed",
            EventKind::Fixed { .. } => "fixed",
            EventKind::Confirmed { .. } => "confirmed",
            EventKind::Closed { .. } => "closed",
            EventKind::Reopened { .. } => "reopened",
            EventKind::PromiseMade { .. } => "promise_made",
            EventKind::PromiseKept => "promise_kept",
            EventKind::PromiseRenegotiated { .. } => "promise_renegotiated",
            EventKind::PromiseReleased { .. } => "promise_released",
            EventKind::PromiseBroken { .. } => "promise_broken",
            EventKind::ClockWarning { .. } => "clock_warning",
            EventKind::ClockBreached { .. } => "clock_breached",
            EventKind::RemedyProposed { .. } => "remedy_proposed",
            EventKind::RemedyApproved { .. } => "remedy_approved",
            EventKind::RemedyRejected { .. } => "remedy_rejected",
            EventKind::RemedyDelivered { .. } => "remedy_delivered",
            EventKind::VendorShareReceived { .. } => "vendor_share_received",
            EventKind::ChecklistItemDone { .. } => "checklist_item_done",
            EventKind::ChecklistItemUndone { .. } => "checklist_item_undone",
            EventKind::PreventionRecorded { .. } => "prevention_recorded",
            EventKind::PreventionRevised { .. } => "prevention_revised",
            EventKind::PreventionDone { .. } => "prevention_done",
            EventKind::PreventionChecked { .. } => "prevention_checked",
            EventKind::RecurrenceFlagged { .. } => "recurrence_flagged",
            EventKind::VendorPromiseMade { .. } => "vendor_promise_made",
            EventKind::VendorPromiseKept { .. } => "vendor_promise_kept",
            EventKind::VendorPromiseBroken { .. } => "vendor_promise_broken",
            EventKind::VendorPromiseRenegotiated { .. } => "vendor_promise_renegotiated",
            EventKind::CustomerReplied { .. } => "customer_replied",
            EventKind::CustomerCalled { .. } => "customer_called",
            EventKind::SurveySent { .. } => "survey_sent",
            EventKind::SurveyAnswered { .. } => "survey_answered",
        }
    }

    /// Whether the customer sees it (and so it satisfies customer clocks).
    pub fn is_customer_visible(&self) -> bool {
        matches!(self, EventKind::Update { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lists_each_kind_once() {
        let mut names = EventKind::NAMES.to_vec();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), EventKind::NAMES.len());
        for kind in [
            EventKind::Resumed,
            EventKind::Confirmed { contact: None },
            EventKind::PromiseKept,
        ] {
            assert!(EventKind::NAMES.contains(&kind.name()), "{}", kind.name());
        }
    }
}
