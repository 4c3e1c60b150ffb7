//! The append-only timeline of a problem; its state and clocks are derived from it.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::{
    ClockKind, ContactId, EventId, MemberId, Outcome, ProblemId, PromiseId, Sentiment, Severity,
    WaitingOn,
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
    Confirmed,
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
        "customer_replied",
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
            EventKind::Confirmed => "confirmed",
            EventKind::Closed { .. } => "closed",
            EventKind::Reopened { .. } => "reopened",
            EventKind::PromiseMade { .. } => "promise_made",
            EventKind::PromiseKept => "promise_kept",
            EventKind::PromiseRenegotiated { .. } => "promise_renegotiated",
            EventKind::PromiseReleased { .. } => "promise_released",
            EventKind::PromiseBroken { .. } => "promise_broken",
            EventKind::ClockWarning { .. } => "clock_warning",
            EventKind::ClockBreached { .. } => "clock_breached",
            EventKind::CustomerReplied { .. } => "customer_replied",
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
            EventKind::Confirmed,
            EventKind::PromiseKept,
        ] {
            assert!(EventKind::NAMES.contains(&kind.name()), "{}", kind.name());
        }
    }
}
