//! Prevention: a root cause, a corrective action with an owner and a due time, then an
//! effectiveness check a set number of days after it was done.
//!
//! Open → done → (check due) → effective, or not effective which reopens it: the failed check
//! is kept in its history and the corrective action is worked again (see [`Prevention::revise`]).

mod duty;
mod recurrence;

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::remedy::{deadline_state, warn_at};
use crate::{ClockState, MemberId, ProblemId};

pub use duty::CHECK_GRACE_DAYS;
pub use recurrence::{DEFAULT_RECURRENCE_WINDOW, Occurrence, PastProblem, is_recurring};

/// Days after the corrective action is done that its effectiveness is checked, by default.
pub const DEFAULT_CHECK_AFTER_DAYS: i64 = 30;

/// The longest wait for an effectiveness check: ten years.
pub const MAX_CHECK_AFTER_DAYS: i64 = 3_650;

/// The share of the time left at which the due clock turns to warning.
pub const PREVENTION_WARNING_PERCENT: i32 = 20;

pub use crate::ids::PreventionId;

/// Where a prevention stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum PreventionStatus {
    /// The corrective action is still to be done (again, after a failed check).
    Open,
    /// Done; waiting for its effectiveness check.
    Done {
        #[schema(value_type = String, format = DateTime)]
        at: Timestamp,
    },
    /// Checked and found effective; final.
    Effective {
        #[schema(value_type = String, format = DateTime)]
        checked_at: Timestamp,
    },
}

impl PreventionStatus {
    /// The API name of the state.
    pub fn as_str(&self) -> &'static str {
        match self {
            PreventionStatus::Open => "open",
            PreventionStatus::Done { .. } => "done",
            PreventionStatus::Effective { .. } => "effective",
        }
    }
}

/// One effectiveness check, kept whatever its outcome.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct EffectivenessCheck {
    /// When the corrective action checked had been done.
    #[schema(value_type = String, format = DateTime)]
    pub done_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    pub checked_at: Timestamp,
    pub effective: bool,
    /// What was seen; required when not effective.
    pub note: Option<String>,
}

fn default_check_after_days() -> i64 {
    DEFAULT_CHECK_AFTER_DAYS
}

/// What is recorded to prevent a problem recurring.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NewPrevention {
    pub problem: ProblemId,
    /// Why it happened.
    pub root_cause: String,
    /// A category of causes, compared when looking for recurrences.
    pub cause_category: String,
    /// What will be done so that it does not happen again.
    pub corrective_action: String,
    pub owner: MemberId,
    #[schema(value_type = String, format = DateTime)]
    pub due_at: Timestamp,
    /// Days after done that effectiveness is checked.
    #[serde(default = "default_check_after_days")]
    #[schema(default = 30, minimum = 0, maximum = 3650)]
    pub check_after_days: i64,
}

/// A root cause and its corrective action.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Prevention {
    pub id: PreventionId,
    pub problem: ProblemId,
    pub root_cause: String,
    pub cause_category: String,
    pub corrective_action: String,
    pub owner: MemberId,
    /// When the corrective action was recorded, or last reopened: the due clock runs from here.
    #[schema(value_type = String, format = DateTime)]
    pub opened_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    pub due_at: Timestamp,
    pub check_after_days: i64,
    pub status: PreventionStatus,
    /// Every effectiveness check so far, oldest first.
    pub checks: Vec<EffectivenessCheck>,
}

/// Where a prevention's corrective action stands against its due time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PreventionDue {
    /// Ok, warning or breached while open; met or missed once done.
    pub state: ClockState,
    #[schema(value_type = String, format = DateTime)]
    pub started_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    pub warn_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    pub due_at: Timestamp,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub done_at: Option<Timestamp>,
}

/// Why a prevention could not be recorded or move on.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PreventionError {
    #[error("{0} is required")]
    Required(&'static str),
    #[error("the due time must be in the future")]
    DueInPast,
    #[error("the effectiveness check comes 0 to 3650 days after done, not {0}")]
    CheckAfterDays(i64),
    #[error("the prevention is {0}, not open")]
    NotOpen(&'static str),
    #[error("the prevention is {0}, not done")]
    NotDone(&'static str),
    #[error("the effectiveness check is due at {due}, not before")]
    CheckNotDue { due: Timestamp },
    #[error("a note is required when the action was not effective")]
    NoteRequired,
}

fn required(field: &'static str, s: &str) -> Result<String, PreventionError> {
    let s = s.trim();
    if s.is_empty() {
        Err(PreventionError::Required(field))
    } else {
        Ok(s.to_owned())
    }
}

impl Prevention {
    /// Records `new` at `now`: every text is required and the due time lies ahead.
    pub fn new(
        id: PreventionId,
        new: NewPrevention,
        now: Timestamp,
    ) -> Result<Prevention, PreventionError> {
        if !(0..=MAX_CHECK_AFTER_DAYS).contains(&new.check_after_days) {
            return Err(PreventionError::CheckAfterDays(new.check_after_days));
        }
        if new.due_at <= now {
            return Err(PreventionError::DueInPast);
        }
        Ok(Prevention {
            id,
            problem: new.problem,
            root_cause: required("a root cause", &new.root_cause)?,
            cause_category: required("a cause category", &new.cause_category)?,
            corrective_action: required("a corrective action", &new.corrective_action)?,
            owner: new.owner,
            opened_at: now,
            due_at: new.due_at,
            check_after_days: new.check_after_days,
            status: PreventionStatus::Open,
            checks: Vec::new(),
        })
    }

    /// The corrective action is done.
    pub fn mark_done(&mut self, now: Timestamp) -> Result<(), PreventionError> {
        match self.status {
            PreventionStatus::Open => {
                self.status = PreventionStatus::Done { at: now };
                Ok(())
            }
            s => Err(PreventionError::NotOpen(s.as_str())),
        }
    }

    /// When effectiveness is to be checked: `check_after_days` × 24 h after done; `None`
    /// unless done.
    pub fn effectiveness_check_at(&self) -> Option<Timestamp> {
        let PreventionStatus::Done { at } = self.status else {
            return None;
        };
        let days = self.check_after_days.clamp(0, MAX_CHECK_AFTER_DAYS);
        at.checked_add(SignedDuration::from_hours(days * 24)).ok()
    }

    /// Whether the effectiveness check is due at `now` (done, and its time has come).
    pub fn check_due(&self, now: Timestamp) -> bool {
        self.effectiveness_check_at().is_some_and(|t| now >= t)
    }

    /// Records the effectiveness check, allowed once it is due. Not effective (with a note)
    /// reopens the prevention from `now`; effective ends it. Either way the check is kept.
    pub fn check(
        &mut self,
        effective: bool,
        note: Option<&str>,
        now: Timestamp,
    ) -> Result<(), PreventionError> {
        let PreventionStatus::Done { at: done_at } = self.status else {
            return Err(PreventionError::NotDone(self.status.as_str()));
        };
        let due = self
            .effectiveness_check_at()
            .ok_or(PreventionError::CheckAfterDays(self.check_after_days))?;
        if now < due {
            return Err(PreventionError::CheckNotDue { due });
        }
        let note = note.map(str::trim).filter(|n| !n.is_empty());
        if !effective && note.is_none() {
            return Err(PreventionError::NoteRequired);
        }
        self.checks.push(EffectivenessCheck {
            done_at,
            checked_at: now,
            effective,
            note: note.map(str::to_owned),
        });
        if effective {
            self.status = PreventionStatus::Effective { checked_at: now };
        } else {
            self.status = PreventionStatus::Open;
            self.opened_at = now;
        }
        Ok(())
    }

    /// A new corrective action and due time for an open prevention, typically after a failed
    /// effectiveness check (whose old due time has passed).
    pub fn revise(
        &mut self,
        corrective_action: &str,
        due_at: Timestamp,
        now: Timestamp,
    ) -> Result<(), PreventionError> {
        if self.status != PreventionStatus::Open {
            return Err(PreventionError::NotOpen(self.status.as_str()));
        }
        if due_at <= now {
            return Err(PreventionError::DueInPast);
        }
        self.corrective_action = required("a corrective action", corrective_action)?;
        self.due_at = due_at;
        self.opened_at = now;
        Ok(())
    }

    /// The latest effectiveness check, if any.
    pub fn last_check(&self) -> Option<&EffectivenessCheck> {
        self.checks.last()
    }

    /// When the current round of the corrective action was done: while done, or the round
    /// that was found effective.
    pub fn done_at(&self) -> Option<Timestamp> {
        match self.status {
            PreventionStatus::Open => None,
            PreventionStatus::Done { at } => Some(at),
            PreventionStatus::Effective { .. } => self.last_check().map(|c| c.done_at),
        }
    }

    /// The due clock at `now`, like a promise's: ok, warning with 20% of the time left,
    /// breached after the due time; met or missed once done.
    pub fn due_clock(&self, now: Timestamp) -> PreventionDue {
        let span = self.due_at.duration_since(self.opened_at);
        let warn_at = warn_at(self.due_at, span, PREVENTION_WARNING_PERCENT);
        let done_at = self.done_at();
        PreventionDue {
            state: deadline_state(warn_at, self.due_at, done_at, now),
            started_at: self.opened_at,
            warn_at,
            due_at: self.due_at,
            done_at,
        }
    }
}

#[cfg(test)]
mod props;
#[cfg(test)]
mod tests;
