//! The approval clock: a waiting remedy must be decided within a set time (24 h by default).
//!
//! The approval clock has the same semantics as the problem clocks: ok, then warning once 20%
//! of the time is left, breached after the due time; met or missed once decided (approved or
//! rejected). [`RemedyApproval::clock`] shows it as a [`Clock`] of kind [`ClockKind::Approval`].

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use super::{Remedy, RemedyStatus};
use crate::{Clock, ClockKind, ClockState};

/// How long a waiting remedy may wait for a decision, unless a policy says otherwise.
pub const DEFAULT_APPROVAL_WITHIN: SignedDuration = SignedDuration::from_hours(24);

/// The share of the time left at which the approval clock turns to warning.
pub const APPROVAL_WARNING_PERCENT: i32 = 20;

/// Where a remedy's approval stands against its deadline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RemedyApproval {
    /// Ok, warning or breached while waiting; met or missed once decided.
    pub state: ClockState,
    /// When it was proposed.
    #[schema(value_type = String, format = DateTime)]
    pub started_at: Timestamp,
    /// When it turns (or turned) to warning.
    #[schema(value_type = String, format = DateTime)]
    pub warn_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    pub due_at: Timestamp,
    /// When it was approved or rejected.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub decided_at: Option<Timestamp>,
}

impl RemedyApproval {
    /// The approval clock as a [`Clock`] of kind [`ClockKind::Approval`], as duties carry it.
    pub fn clock(&self) -> Clock {
        Clock {
            kind: ClockKind::Approval,
            state: self.state,
            started_at: self.started_at,
            warn_at: Some(self.warn_at),
            due_at: Some(self.due_at),
            stopped_at: self.decided_at,
        }
    }
}

/// The warning time of a deadline `span` long that is due at `due_at`: `percent` of the span
/// before it. A negative span warns at the deadline itself.
pub(crate) fn warn_at(due_at: Timestamp, span: SignedDuration, percent: i32) -> Timestamp {
    let lead = span.max(SignedDuration::ZERO) / 100 * percent.clamp(0, 100);
    due_at.checked_sub(lead).unwrap_or(due_at)
}

/// The state of a deadline at `now`: met or missed once `stopped_at`, otherwise breached after
/// `due_at`, warning from `warn_at`, else ok. Due exactly now is not yet breached.
pub(crate) fn deadline_state(
    warn_at: Timestamp,
    due_at: Timestamp,
    stopped_at: Option<Timestamp>,
    now: Timestamp,
) -> ClockState {
    match stopped_at {
        Some(stop) if stop <= due_at => ClockState::Met,
        Some(_) => ClockState::Missed,
        None if now > due_at => ClockState::Breached,
        None if now >= warn_at => ClockState::Warning,
        None => ClockState::Ok,
    }
}

impl Remedy {
    /// When a decision is due: `within` after the proposal, or `None` when no approval was
    /// needed (within the proposer's own authority) or the time is out of range.
    pub fn approval_due(&self, within: SignedDuration) -> Option<Timestamp> {
        if !self.approval_required {
            return None;
        }
        self.proposed_at.checked_add(within).ok()
    }

    /// When it was approved or rejected, if it has been.
    pub fn decided_at(&self) -> Option<Timestamp> {
        match self.status {
            RemedyStatus::AwaitingApproval => None,
            RemedyStatus::Approved { at, .. } | RemedyStatus::Rejected { at, .. } => Some(at),
            RemedyStatus::Delivered { approved_at, .. } => Some(approved_at),
        }
    }

    /// The approval clock at `now` with `within` to decide (see [`DEFAULT_APPROVAL_WITHIN`]);
    /// `None` when no approval was needed.
    pub fn approval_clock(&self, within: SignedDuration, now: Timestamp) -> Option<RemedyApproval> {
        let due_at = self.approval_due(within)?;
        let warn_at = warn_at(due_at, within, APPROVAL_WARNING_PERCENT);
        let decided_at = self.decided_at();
        Some(RemedyApproval {
            state: deadline_state(warn_at, due_at, decided_at, now),
            started_at: self.proposed_at,
            warn_at,
            due_at,
            decided_at,
        })
    }
}
