//! Promises: dated commitments to customer contacts, tracked until kept or openly renegotiated.
//!
//! A promise ends exactly once: **kept** by its due time, **renegotiated** before its due time
//! (a successor promise carries the new date on, so history is kept), **released** by the
//! customer, or **broken** when its due time passed with none of those.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::{ContactId, MemberId, ProblemId, PromiseId};

pub mod reliability;

pub use reliability::{PromiseRecord, Rate};

/// Where a promise stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PromiseStatus {
    Open,
    Kept,
    Renegotiated,
    Released,
    Broken,
}

impl PromiseStatus {
    /// Every status.
    pub const ALL: [PromiseStatus; 5] = [
        PromiseStatus::Open,
        PromiseStatus::Kept,
        PromiseStatus::Renegotiated,
        PromiseStatus::Released,
        PromiseStatus::Broken,
    ];

    /// The API name.
    pub fn as_str(self) -> &'static str {
        match self {
            PromiseStatus::Open => "open",
            PromiseStatus::Kept => "kept",
            PromiseStatus::Renegotiated => "renegotiated",
            PromiseStatus::Released => "released",
            PromiseStatus::Broken => "broken",
        }
    }

    /// Parses an API name.
    pub fn parse(s: &str) -> Option<PromiseStatus> {
        PromiseStatus::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// An end state: final.
    pub fn is_final(self) -> bool {
        self != PromiseStatus::Open
    }
}

/// A dated commitment to one or more customer contacts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Promise {
    pub id: PromiseId,
    /// What was promised, in the customer's words if possible.
    pub what: String,
    /// To whom.
    pub contacts: Vec<ContactId>,
    /// Who made it and owns keeping it.
    pub made_by: MemberId,
    pub problem: Option<ProblemId>,
    #[schema(value_type = String, format = DateTime)]
    pub made_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    pub due_at: Timestamp,
    /// The recorded status; see [`Promise::status_at`] for the status at a given moment.
    pub status: PromiseStatus,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub ended_at: Option<Timestamp>,
    /// Why it was renegotiated or released.
    pub reason: Option<String>,
    /// The promise this one renegotiated.
    pub renegotiated_from: Option<PromiseId>,
    /// The promise that carries on the new date.
    pub renegotiated_to: Option<PromiseId>,
    pub version: i64,
}

/// Why a promise could not move.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PromiseError {
    #[error("the promise is already {}", .0.as_str())]
    Ended(PromiseStatus),
    #[error("the promise was due at {due} and is broken; it can no longer be {action}")]
    PastDue {
        due: Timestamp,
        action: &'static str,
    },
    #[error("the due time must be in the future")]
    DueInPast,
    #[error("the new due time must differ from the current one")]
    SameDue,
    #[error("a reason is required")]
    ReasonRequired,
}

impl Promise {
    /// The status at `now`: an open promise whose due time has passed is broken,
    /// whether or not that has been recorded yet.
    pub fn status_at(&self, now: Timestamp) -> PromiseStatus {
        if self.status == PromiseStatus::Open && now > self.due_at {
            PromiseStatus::Broken
        } else {
            self.status
        }
    }

    fn open_at(&self, now: Timestamp, action: &'static str) -> Result<(), PromiseError> {
        match self.status_at(now) {
            PromiseStatus::Open => Ok(()),
            PromiseStatus::Broken if self.status == PromiseStatus::Open => {
                Err(PromiseError::PastDue {
                    due: self.due_at,
                    action,
                })
            }
            other => Err(PromiseError::Ended(other)),
        }
    }

    /// Delivered by its due time.
    pub fn keep(&mut self, now: Timestamp) -> Result<(), PromiseError> {
        self.open_at(now, "kept")?;
        self.end(PromiseStatus::Kept, now, None);
        Ok(())
    }

    /// The customer waived it.
    pub fn release(&mut self, reason: &str, now: Timestamp) -> Result<(), PromiseError> {
        self.open_at(now, "released")?;
        self.end(
            PromiseStatus::Released,
            now,
            Some(reason.trim().to_owned()).filter(|r| !r.is_empty()),
        );
        Ok(())
    }

    /// Agrees a new due time before the old one has passed; returns the successor
    /// (without id; the store assigns it and links both).
    pub fn renegotiate(
        &mut self,
        new_due: Timestamp,
        reason: &str,
        now: Timestamp,
    ) -> Result<Promise, PromiseError> {
        self.open_at(now, "renegotiated")?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(PromiseError::ReasonRequired);
        }
        if new_due <= now {
            return Err(PromiseError::DueInPast);
        }
        if new_due == self.due_at {
            return Err(PromiseError::SameDue);
        }
        self.end(PromiseStatus::Renegotiated, now, Some(reason.to_owned()));
        Ok(Promise {
            id: PromiseId(0),
            made_at: now,
            due_at: new_due,
            status: PromiseStatus::Open,
            ended_at: None,
            reason: None,
            renegotiated_from: Some(self.id),
            renegotiated_to: None,
            version: 1,
            ..self.clone()
        })
    }

    /// Records the break of an open promise whose due time passed; `false` if it is not broken.
    pub fn break_if_due(&mut self, now: Timestamp) -> bool {
        let broken = self.status == PromiseStatus::Open && now > self.due_at;
        if broken {
            // It broke at its due time, not when somebody noticed.
            self.end(PromiseStatus::Broken, self.due_at, None);
        }
        broken
    }

    fn end(&mut self, status: PromiseStatus, at: Timestamp, reason: Option<String>) {
        self.status = status;
        self.ended_at = Some(at);
        self.reason = reason;
    }
}

#[cfg(test)]
mod tests;
