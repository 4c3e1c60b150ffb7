//! Remedies: what we do to make good (redo, refund, …), their net cost and who may approve them.
//!
//! A remedy whose net cost (cost less the vendor's share) is within the proposer's remedy
//! authority is approved at once; above it, it waits for a supervisor or admin whose authority
//! covers it, who approves it or rejects it with a reason. Only an approved remedy is delivered.
//! Authority covers only its own currency: a cost in another currency is never "within" it.

mod approval;
mod duty;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::{Currency, Member, MemberId, Money, ProblemId, Role, VendorId};

pub use approval::{APPROVAL_WARNING_PERCENT, DEFAULT_APPROVAL_WITHIN, RemedyApproval};
pub(crate) use approval::{deadline_state, warn_at};

pub use crate::ids::RemedyId;

/// What kind of making good it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RemedyKind {
    /// Do the work again (a reprint, a re-shoot).
    Redo,
    /// Money back.
    Refund,
    /// Credit against future invoices.
    Credit,
    /// A reduced price.
    Discount,
    /// Something given as an apology.
    Gift,
    /// Anything else.
    Other,
}

impl RemedyKind {
    /// Every kind.
    pub const ALL: [RemedyKind; 6] = [
        RemedyKind::Redo,
        RemedyKind::Refund,
        RemedyKind::Credit,
        RemedyKind::Discount,
        RemedyKind::Gift,
        RemedyKind::Other,
    ];

    /// What it is called in a sentence ("approve the redo"): the API name, `remedy` for other.
    pub fn noun(self) -> &'static str {
        match self {
            RemedyKind::Other => "remedy",
            kind => kind.as_str(),
        }
    }

    /// The API name.
    pub fn as_str(self) -> &'static str {
        match self {
            RemedyKind::Redo => "redo",
            RemedyKind::Refund => "refund",
            RemedyKind::Credit => "credit",
            RemedyKind::Discount => "discount",
            RemedyKind::Gift => "gift",
            RemedyKind::Other => "other",
        }
    }

    /// Parses an API name.
    pub fn parse(s: &str) -> Option<RemedyKind> {
        RemedyKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// What a vendor contributes to a remedy they caused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct VendorShare {
    pub vendor: VendorId,
    /// In the remedy's currency, never more than its cost.
    pub amount: Money,
    /// Whether the vendor has paid (or credited) it yet.
    pub received: bool,
}

/// Where a remedy stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum RemedyStatus {
    /// Above the proposer's authority: waits for a supervisor or admin.
    AwaitingApproval,
    /// May be delivered. `by` is the proposer when it was within their own authority.
    Approved {
        by: MemberId,
        #[schema(value_type = String, format = DateTime)]
        at: Timestamp,
    },
    /// Refused, with the reason; final.
    Rejected {
        by: MemberId,
        #[schema(value_type = String, format = DateTime)]
        at: Timestamp,
        reason: String,
    },
    /// Given to the customer; final. Keeps who approved it.
    Delivered {
        #[schema(value_type = String, format = DateTime)]
        at: Timestamp,
        approved_by: MemberId,
        #[schema(value_type = String, format = DateTime)]
        approved_at: Timestamp,
    },
}

impl RemedyStatus {
    /// The API name of the state.
    pub fn as_str(&self) -> &'static str {
        match self {
            RemedyStatus::AwaitingApproval => "awaiting_approval",
            RemedyStatus::Approved { .. } => "approved",
            RemedyStatus::Rejected { .. } => "rejected",
            RemedyStatus::Delivered { .. } => "delivered",
        }
    }

    /// Who approved it and when, once approved (also after delivery).
    pub fn approval(&self) -> Option<(MemberId, Timestamp)> {
        match *self {
            RemedyStatus::Approved { by, at } => Some((by, at)),
            RemedyStatus::Delivered {
                approved_by,
                approved_at,
                ..
            } => Some((approved_by, approved_at)),
            _ => None,
        }
    }
}

/// What is proposed, before any approval rule is applied.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NewRemedy {
    pub problem: ProblemId,
    pub kind: RemedyKind,
    /// What the customer is told they get.
    pub description: String,
    pub cost: Money,
    pub vendor_share: Option<VendorShare>,
}

/// A remedy for a problem.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Remedy {
    pub id: RemedyId,
    pub problem: ProblemId,
    pub kind: RemedyKind,
    /// Customer-visible: what they get.
    pub description: String,
    /// What it costs us before any vendor contribution; never negative.
    pub cost: Money,
    pub vendor_share: Option<VendorShare>,
    pub proposed_by: MemberId,
    #[schema(value_type = String, format = DateTime)]
    pub proposed_at: Timestamp,
    /// Whether the net cost exceeded the proposer's authority, so that it had to wait for
    /// approval (and its approval clock ran).
    pub approval_required: bool,
    pub status: RemedyStatus,
}

/// Why a remedy could not be proposed or move on.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RemedyError {
    #[error("a description the customer will see is required")]
    DescriptionRequired,
    #[error("a remedy cannot cost less than nothing ({0})")]
    NegativeCost(Money),
    #[error("a vendor's share cannot be negative ({0})")]
    NegativeShare(Money),
    #[error("the vendor's share is in {share} but the cost is in {cost}")]
    ShareCurrency { cost: Currency, share: Currency },
    #[error("the vendor's share ({share}) is larger than the cost ({cost})")]
    ShareExceedsCost { cost: Money, share: Money },
    #[error("an inactive member can neither propose nor decide remedies")]
    Inactive,
    #[error("a {} may not propose remedies", .0.as_str())]
    MayNotPropose(Role),
    #[error("only a supervisor or admin may decide a remedy, not a {}", .0.as_str())]
    NotApprover(Role),
    #[error("an authority of {authority} cannot approve a net cost of {net}")]
    AuthorityTooLow { authority: Money, net: Money },
    #[error("an authority in {authority} cannot approve a net cost in {net}")]
    AuthorityCurrency { authority: Currency, net: Currency },
    #[error("the remedy is {0}, not awaiting approval")]
    NotAwaiting(&'static str),
    #[error("a reason is required")]
    ReasonRequired,
    #[error("only an approved remedy can be delivered; this one is {0}")]
    NotApproved(&'static str),
    #[error("a delivery cannot be recorded for a time still to come ({0})")]
    DeliveredInFuture(Timestamp),
    #[error("a delivery cannot precede the approval ({approved_at})")]
    DeliveredBeforeApproval { approved_at: Timestamp },
    #[error("there is no vendor share to receive")]
    NoVendorShare,
}

/// `cost` less the vendor's `share`: the same currency is required, and a share larger than
/// the cost (or a negative amount) is refused.
pub fn net_cost(cost: &Money, share: Option<&VendorShare>) -> Result<Money, RemedyError> {
    if cost.minor < 0 {
        return Err(RemedyError::NegativeCost(*cost));
    }
    let Some(share) = share else {
        return Ok(*cost);
    };
    let amount = share.amount;
    if amount.minor < 0 {
        return Err(RemedyError::NegativeShare(amount));
    }
    if amount.currency != cost.currency {
        return Err(RemedyError::ShareCurrency {
            cost: cost.currency,
            share: amount.currency,
        });
    }
    if amount.minor > cost.minor {
        return Err(RemedyError::ShareExceedsCost {
            cost: *cost,
            share: amount,
        });
    }
    // Both are non-negative with share ≤ cost, so this cannot overflow or go negative.
    cost.checked_sub(&amount)
        .ok_or(RemedyError::ShareExceedsCost {
            cost: *cost,
            share: amount,
        })
}

/// Whether `authority` covers `net`, or why not.
pub fn check_authority(authority: &Money, net: &Money) -> Result<(), RemedyError> {
    if authority.currency != net.currency {
        Err(RemedyError::AuthorityCurrency {
            authority: authority.currency,
            net: net.currency,
        })
    } else if net.within(authority) {
        Ok(())
    } else {
        Err(RemedyError::AuthorityTooLow {
            authority: *authority,
            net: *net,
        })
    }
}

/// Whether `member` may decide (approve or reject) remedies at all: active supervisors and admins.
fn check_decider(member: &Member) -> Result<(), RemedyError> {
    if !member.active {
        Err(RemedyError::Inactive)
    } else if matches!(member.role, Role::Supervisor | Role::Admin) {
        Ok(())
    } else {
        Err(RemedyError::NotApprover(member.role))
    }
}

impl Remedy {
    /// Proposes `new` for `proposer` at `now`: approved at once when the net cost is within
    /// the proposer's authority (same currency), otherwise awaiting approval.
    ///
    /// Agents, supervisors and admins may propose; viewers and inactive members may not.
    pub fn propose(
        id: RemedyId,
        new: NewRemedy,
        proposer: &Member,
        now: Timestamp,
    ) -> Result<Remedy, RemedyError> {
        if !proposer.active {
            return Err(RemedyError::Inactive);
        }
        if !proposer.may(crate::Action::WorkProblems, None) {
            return Err(RemedyError::MayNotPropose(proposer.role));
        }
        let description = new.description.trim();
        if description.is_empty() {
            return Err(RemedyError::DescriptionRequired);
        }
        let net = net_cost(&new.cost, new.vendor_share.as_ref())?;
        let within = check_authority(&proposer.remedy_authority, &net).is_ok();
        Ok(Remedy {
            id,
            problem: new.problem,
            kind: new.kind,
            description: description.to_owned(),
            cost: new.cost,
            vendor_share: new.vendor_share,
            proposed_by: proposer.id,
            proposed_at: now,
            approval_required: !within,
            status: if within {
                RemedyStatus::Approved {
                    by: proposer.id,
                    at: now,
                }
            } else {
                RemedyStatus::AwaitingApproval
            },
        })
    }

    /// The cost to us: cost less the vendor's share.
    pub fn net_cost(&self) -> Result<Money, RemedyError> {
        net_cost(&self.cost, self.vendor_share.as_ref())
    }

    fn awaiting(&self) -> Result<(), RemedyError> {
        match self.status {
            RemedyStatus::AwaitingApproval => Ok(()),
            ref s => Err(RemedyError::NotAwaiting(s.as_str())),
        }
    }

    /// Approves a waiting remedy: only an active supervisor or admin whose authority covers
    /// the net cost, in its currency.
    pub fn approve(&mut self, by: &Member, now: Timestamp) -> Result<(), RemedyError> {
        self.awaiting()?;
        check_decider(by)?;
        check_authority(&by.remedy_authority, &self.net_cost()?)?;
        self.status = RemedyStatus::Approved { by: by.id, at: now };
        Ok(())
    }

    /// Rejects a waiting remedy with a reason. Any active supervisor or admin may: refusing
    /// spends nothing, so it needs no authority over the amount.
    pub fn reject(&mut self, by: &Member, reason: &str, now: Timestamp) -> Result<(), RemedyError> {
        self.awaiting()?;
        check_decider(by)?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(RemedyError::ReasonRequired);
        }
        self.status = RemedyStatus::Rejected {
            by: by.id,
            at: now,
            reason: reason.to_owned(),
        };
        Ok(())
    }

    /// Records that the approved remedy was delivered `on` (not after `now`, not before the
    /// approval).
    pub fn deliver(&mut self, on: Timestamp, now: Timestamp) -> Result<(), RemedyError> {
        let RemedyStatus::Approved { by, at } = self.status else {
            return Err(RemedyError::NotApproved(self.status.as_str()));
        };
        if on > now {
            return Err(RemedyError::DeliveredInFuture(on));
        }
        if on < at {
            return Err(RemedyError::DeliveredBeforeApproval { approved_at: at });
        }
        self.status = RemedyStatus::Delivered {
            at: on,
            approved_by: by,
            approved_at: at,
        };
        Ok(())
    }

    /// Records that the vendor's share has been received. Idempotent.
    pub fn receive_vendor_share(&mut self) -> Result<(), RemedyError> {
        let share = self
            .vendor_share
            .as_mut()
            .ok_or(RemedyError::NoVendorShare)?;
        share.received = true;
        Ok(())
    }
}

#[cfg(test)]
mod approval_tests;
#[cfg(test)]
mod props;
#[cfg(test)]
mod tests;
