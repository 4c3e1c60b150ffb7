//! A problem's state, folded from its events: status, when the customer last heard, pauses.

use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

use crate::{EventKind, Outcome, Status, WaitingOn};

/// An interval during which the problem was openly waiting on someone; `until` is `None` while it lasts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Pause {
    pub from: Timestamp,
    pub until: Option<Timestamp>,
}

/// Everything the clocks need, derived from the timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProblemState {
    pub status: Status,
    pub first_update_at: Option<Timestamp>,
    pub last_update_at: Option<Timestamp>,
    pub fixed_at: Option<Timestamp>,
    pub reopened_at: Option<Timestamp>,
    pub closed_at: Option<Timestamp>,
    pub outcome: Option<Outcome>,
    /// In time order, not overlapping; only the last may be open.
    pub pauses: Vec<Pause>,
    /// The customer's latest word (a reply, a survey answer) was strongly negative or a low
    /// rating; a call from the owner settles it.
    pub customer_upset: bool,
    /// The latest call asked of the owner; see [`Call`].
    pub call: Option<Call>,
}

/// A call the owner owes an upset customer: asked at the first upset word since the last
/// call, made when the owner records it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Call {
    pub asked_at: Timestamp,
    pub called_at: Option<Timestamp>,
}

/// An event that makes no sense in the problem's current status.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("cannot record `{event}` while the problem is {}", .status.as_str().replace('_', " "))]
pub struct TransitionError {
    pub status: Status,
    pub event: &'static str,
}

impl Default for ProblemState {
    fn default() -> Self {
        Self::new()
    }
}

impl ProblemState {
    /// A problem just recorded: open, nobody told yet.
    pub fn new() -> Self {
        Self {
            status: Status::Open,
            first_update_at: None,
            last_update_at: None,
            fixed_at: None,
            reopened_at: None,
            closed_at: None,
            outcome: None,
            pauses: Vec::new(),
            customer_upset: false,
            call: None,
        }
    }

    /// Folds a timeline (in order) into a state.
    pub fn from_events<'a>(
        events: impl IntoIterator<Item = (Timestamp, &'a EventKind)>,
    ) -> Result<Self, TransitionError> {
        let mut state = Self::new();
        for (at, kind) in events {
            state.apply(at, kind)?;
        }
        Ok(state)
    }

    /// Whether `kind` may be recorded now; [`Self::apply`] would succeed.
    pub fn check(&self, kind: &EventKind) -> Result<(), TransitionError> {
        use EventKind::*;
        let s = self.status;
        let ok = match kind {
            Waiting { on, .. } => {
                s == Status::Open
                    || (s == Status::WaitingOnCustomer && *on == WaitingOn::Vendor)
                    || (s == Status::WaitingOnVendor && *on == WaitingOn::Customer)
            }
            Resumed => s.is_waiting(),
            Fixed { .. } => s.is_unfixed(),
            Confirmed { .. } => s.is_unfixed() || s == Status::Fixed,
            Closed { .. } => s != Status::Closed,
            Reopened { .. } => matches!(s, Status::Fixed | Status::Confirmed | Status::Closed),
            _ => true,
        };
        if ok {
            Ok(())
        } else {
            Err(TransitionError {
                status: s,
                event: kind.name(),
            })
        }
    }

    /// Applies one event at time `at`. Events must come in time order.
    pub fn apply(&mut self, at: Timestamp, kind: &EventKind) -> Result<(), TransitionError> {
        use EventKind::*;
        self.check(kind)?;
        match kind {
            Update { .. } => {
                self.first_update_at.get_or_insert(at);
                self.last_update_at = Some(at);
            }
            Waiting { on, .. } => {
                if self.status == Status::Open {
                    self.pauses.push(Pause {
                        from: at,
                        until: None,
                    });
                }
                self.status = match on {
                    WaitingOn::Customer => Status::WaitingOnCustomer,
                    WaitingOn::Vendor => Status::WaitingOnVendor,
                };
            }
            Resumed => {
                self.end_pause(at);
                self.status = Status::Open;
            }
            Fixed { .. } => {
                self.end_pause(at);
                self.fixed_at = Some(at);
                self.status = Status::Fixed;
            }
            Confirmed { .. } => {
                self.end_pause(at);
                self.fixed_at.get_or_insert(at);
                self.status = Status::Confirmed;
            }
            Closed { outcome } => {
                self.end_pause(at);
                self.closed_at = Some(at);
                self.outcome = Some(*outcome);
                self.status = Status::Closed;
            }
            Reopened { .. } => {
                self.fixed_at = None;
                self.closed_at = None;
                self.outcome = None;
                self.reopened_at = Some(at);
                self.status = Status::Open;
            }
            CustomerReplied { sentiment, .. } => self.heard(at, sentiment.is_upset()),
            SurveyAnswered {
                rating,
                recommend,
                sentiment,
                ..
            } => self.heard(
                at,
                crate::followup::asks_for_call(*rating, *recommend, *sentiment),
            ),
            CustomerCalled { .. } => {
                self.customer_upset = false;
                if let Some(call) = self.call.as_mut().filter(|c| c.called_at.is_none()) {
                    call.called_at = Some(at);
                }
            }
            Created { .. }
            | Note { .. }
            | Edited { .. }
            | OwnerChanged { .. }
            | PromiseMade { .. }
            | PromiseKept
            | PromiseRenegotiated { .. }
            | PromiseReleased { .. }
            | PromiseBroken { .. }
            | ClockWarning { .. }
            | ClockBreached { .. }
            | RemedyProposed { .. }
            | RemedyApproved { .. }
            | RemedyRejected { .. }
            | RemedyDelivered { .. }
            | VendorShareReceived { .. }
            | ChecklistItemDone { .. }
            | ChecklistItemUndone { .. }
            | PreventionRecorded { .. }
            | PreventionRevised { .. }
            | PreventionDone { .. }
            | PreventionChecked { .. }
            | RecurrenceFlagged { .. }
            | VendorPromiseMade { .. }
            | VendorPromiseKept { .. }
            | VendorPromiseBroken { .. }
            | VendorPromiseRenegotiated { .. }
            | SurveySent { .. } => {}
        }
        Ok(())
    }

    /// The customer spoke; `upset` asks the owner for a call unless one is already owed.
    fn heard(&mut self, at: Timestamp, upset: bool) {
        self.customer_upset = upset;
        let owed = self.call.is_some_and(|c| c.called_at.is_none());
        if upset && !owed {
            self.call = Some(Call {
                asked_at: at,
                called_at: None,
            });
        }
    }

    fn end_pause(&mut self, at: Timestamp) {
        if let Some(p) = self.pauses.last_mut().filter(|p| p.until.is_none()) {
            p.until = Some(at);
        }
    }

    /// When the clocks stopped for good: at the close, else `None`.
    pub fn stopped_at(&self) -> Option<Timestamp> {
        self.closed_at
    }

    /// Total paused time within `[from, to]`.
    pub fn paused_between(&self, from: Timestamp, to: Timestamp) -> SignedDuration {
        self.pauses
            .iter()
            .map(|p| {
                let start = p.from.max(from);
                let end = p.until.unwrap_or(to).min(to);
                if end > start {
                    end.duration_since(start)
                } else {
                    SignedDuration::ZERO
                }
            })
            .sum()
    }
}

#[cfg(test)]
mod props;
#[cfg(test)]
mod tests;
