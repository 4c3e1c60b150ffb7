//! Remedies: propose (approved at once within the proposer's authority, otherwise waiting for a
//! supervisor or admin), approve, reject, deliver, receive the vendor's share; lists in
//! [`list`], the approval clock's timers and alerts in [`clock`], its duties in [`duties`].
//!
//! Every write is one transaction that locks the problem and then the remedy (the order the
//! scheduler's timers respect), changes the remedy only at the version the caller saw, keeps
//! its approval timers in step and appends its event to the problem's timeline.

pub(crate) mod clock;
pub(crate) mod duties;
pub(crate) mod entity;
mod list;
mod moves;
mod record;

use jiff::Timestamp;
use makegood_domain::{
    MemberId, Money, NewRemedy, ProblemId, Remedy, RemedyApproval, RemedyId, VendorId,
};
use serde::Serialize;

use crate::{Actor, Page, PageRequest, Result, Store};

pub(crate) use entity::remedy::Model as RemedyRow;
pub(crate) use record::AWAITING;
// The follow-up schedule waits for every remedy that is not rejected to be delivered.
pub(crate) use entity::remedy;
pub(crate) use record::REJECTED;

/// A remedy with its net cost, its approval clock at `now` and its version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RemedyView {
    #[serde(flatten)]
    pub remedy: Remedy,
    /// The cost less the vendor's share: what it costs us.
    pub net_cost: Money,
    /// The approval clock; `None` when it was within the proposer's authority.
    pub approval: Option<RemedyApproval>,
    /// When the vendor's share was recorded as received.
    pub vendor_share_received_at: Option<Timestamp>,
    /// For `If-Match`.
    pub version: i64,
}

/// Which remedies to list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RemedyListState {
    /// The approval queue, earliest deadline first.
    AwaitingApproval,
    Approved,
    Rejected,
    Delivered,
}

/// Which remedies to list (by proposal time, or by approval deadline for the approval
/// queue); the filters combine.
#[derive(Clone, Debug, Default)]
pub struct RemedyFilter {
    pub state: Option<RemedyListState>,
    pub problem: Option<ProblemId>,
    pub proposed_by: Option<MemberId>,
    pub vendor: Option<VendorId>,
    /// Only remedies (not rejected) whose vendor share has not been received yet.
    pub share_outstanding: bool,
}

impl Store {
    /// Proposes a remedy for an existing problem that is not closed, as `actor`: approved at
    /// once when its net cost (cost less the vendor's share) is within the actor's remedy
    /// authority, otherwise awaiting a supervisor's or admin's approval with an approval clock
    /// (24 h). The vendor share's `received` is ignored: nothing is received at proposal.
    /// Appends `remedy_proposed`.
    pub async fn propose_remedy(&self, actor: Actor, remedy: NewRemedy) -> Result<RemedyView> {
        moves::propose(self, actor, remedy).await
    }
    /// The remedy `id` with its approval clock at `now`.
    pub async fn remedy(&self, id: RemedyId, now: Timestamp) -> Result<RemedyView> {
        list::get(self, id, now).await
    }
    /// Remedies by proposal time (the approval queue by deadline), keyset-paginated.
    pub async fn list_remedies(
        &self,
        filter: &RemedyFilter,
        page: &PageRequest,
        now: Timestamp,
    ) -> Result<Page<RemedyView>> {
        list::list(self, filter, page, now).await
    }
    /// Approves a waiting remedy as `actor`, an active supervisor or admin whose authority
    /// covers the net cost; stops the approval clock. Appends `remedy_approved`.
    pub async fn approve_remedy(
        &self,
        actor: Actor,
        id: RemedyId,
        if_match: Option<i64>,
    ) -> Result<RemedyView> {
        moves::approve(self, actor, id, if_match).await
    }
    /// Rejects a waiting remedy with a reason; stops the approval clock. Appends
    /// `remedy_rejected`.
    pub async fn reject_remedy(
        &self,
        actor: Actor,
        id: RemedyId,
        if_match: Option<i64>,
        reason: &str,
    ) -> Result<RemedyView> {
        moves::reject(self, actor, id, if_match, reason).await
    }
    /// Records an approved remedy as delivered at `delivered_at` (default now; not in the
    /// future, not before the approval). Appends `remedy_delivered`.
    pub async fn deliver_remedy(
        &self,
        actor: Actor,
        id: RemedyId,
        if_match: Option<i64>,
        delivered_at: Option<Timestamp>,
    ) -> Result<RemedyView> {
        moves::deliver(self, actor, id, if_match, delivered_at).await
    }
    /// Records that the vendor's share has been received (once; again changes nothing).
    /// Appends `vendor_share_received`.
    pub async fn receive_vendor_share(
        &self,
        actor: Actor,
        id: RemedyId,
        if_match: Option<i64>,
    ) -> Result<RemedyView> {
        moves::receive_share(self, actor, id, if_match).await
    }
}
