//! Remedy rows as domain remedies and views, and back: the status columns, money columns and
//! the materialised approval deadline.

use jiff::Timestamp;
use makegood_domain::remedy::DEFAULT_APPROVAL_WITHIN;
use makegood_domain::{
    Currency, MemberId, Money, ProblemId, Remedy, RemedyId, RemedyKind, RemedyStatus, VendorId,
    VendorShare,
};
use sea_orm::{ConnectionTrait, EntityTrait, QuerySelect};

use super::RemedyView;
use super::entity::remedy;
use crate::convert::{from_db, from_db_opt, to_db_opt};
use crate::error::DbResult;
use crate::{Result, StoreError};

/// The stored status names.
pub(crate) const AWAITING: &str = "awaiting_approval";
pub(crate) const APPROVED: &str = "approved";
pub(crate) const REJECTED: &str = "rejected";
pub(crate) const DELIVERED: &str = "delivered";

fn corrupt(what: &str, id: i64) -> StoreError {
    StoreError::Database(format!("remedy {id}: {what}"))
}

/// A stored remedy as a domain remedy.
pub(crate) fn to_remedy(r: &remedy::Model) -> Result<Remedy> {
    let currency = Currency::new(&r.currency).map_err(|_| corrupt("bad currency", r.id))?;
    let money = |minor| Money::new(minor, currency);
    let kind = RemedyKind::parse(&r.kind).ok_or_else(|| corrupt("unknown kind", r.id))?;
    let vendor_share = match (r.vendor_id, r.vendor_share_minor) {
        (Some(vendor), Some(minor)) => Some(VendorShare {
            vendor: VendorId(vendor),
            amount: money(minor),
            received: r.vendor_share_received,
        }),
        _ => None,
    };
    let decided = || -> Result<(MemberId, Timestamp)> {
        match (r.decided_by, r.decided_at) {
            (Some(by), Some(at)) => Ok((MemberId(by), from_db(at)?)),
            _ => Err(corrupt("decided without who or when", r.id)),
        }
    };
    let status = match r.status.as_str() {
        AWAITING => RemedyStatus::AwaitingApproval,
        APPROVED => {
            let (by, at) = decided()?;
            RemedyStatus::Approved { by, at }
        }
        REJECTED => {
            let (by, at) = decided()?;
            RemedyStatus::Rejected {
                by,
                at,
                reason: r.reason.clone().unwrap_or_default(),
            }
        }
        DELIVERED => {
            let (approved_by, approved_at) = decided()?;
            let at = r
                .delivered_at
                .ok_or_else(|| corrupt("delivered without a date", r.id))?;
            RemedyStatus::Delivered {
                at: from_db(at)?,
                approved_by,
                approved_at,
            }
        }
        other => return Err(corrupt(&format!("unknown status {other:?}"), r.id)),
    };
    Ok(Remedy {
        id: RemedyId(r.id),
        problem: ProblemId(r.problem_id),
        kind,
        description: r.description.clone(),
        cost: money(r.cost_minor),
        vendor_share,
        proposed_by: MemberId(r.proposed_by),
        proposed_at: from_db(r.proposed_at)?,
        approval_required: r.approval_required,
        status,
    })
}

/// The status columns of `remedy`: (status, decided_by, decided_at, reason, delivered_at).
pub(crate) fn status_columns(remedy: &Remedy) -> remedy::ActiveModel {
    use sea_orm::ActiveValue::Set;
    let (status, decided, reason, delivered) = match &remedy.status {
        RemedyStatus::AwaitingApproval => (AWAITING, None, None, None),
        RemedyStatus::Approved { by, at } => (APPROVED, Some((*by, *at)), None, None),
        RemedyStatus::Rejected { by, at, reason } => {
            (REJECTED, Some((*by, *at)), Some(reason.clone()), None)
        }
        RemedyStatus::Delivered {
            at,
            approved_by,
            approved_at,
        } => (
            DELIVERED,
            Some((*approved_by, *approved_at)),
            None,
            Some(*at),
        ),
    };
    remedy::ActiveModel {
        status: Set(status.to_owned()),
        decided_by: Set(decided.map(|(by, _)| by.0)),
        decided_at: Set(to_db_opt(decided.map(|(_, at)| at))),
        reason: Set(reason),
        delivered_at: Set(to_db_opt(delivered)),
        ..Default::default()
    }
}

/// The approval deadline of `remedy` and its warning time, when it needs approval.
pub(crate) fn approval_times(remedy: &Remedy) -> Option<(Timestamp, Timestamp)> {
    remedy
        .approval_clock(DEFAULT_APPROVAL_WITHIN, remedy.proposed_at)
        .map(|clock| (clock.warn_at, clock.due_at))
}

/// A remedy with its net cost and approval clock at `now`.
pub(crate) fn view(r: &remedy::Model, now: Timestamp) -> Result<RemedyView> {
    let remedy = to_remedy(r)?;
    let currency = remedy.cost.currency;
    Ok(RemedyView {
        net_cost: Money::new(r.net_minor, currency),
        approval: remedy.approval_clock(DEFAULT_APPROVAL_WITHIN, now),
        vendor_share_received_at: from_db_opt(r.vendor_share_received_at)?,
        version: r.version,
        remedy,
    })
}

/// The remedy row `id`, locked for update when `lock` (a no-op on SQLite).
pub(crate) async fn row<C: ConnectionTrait>(
    c: &C,
    id: RemedyId,
    lock: bool,
) -> Result<remedy::Model> {
    let mut query = remedy::Entity::find_by_id(id.0);
    if lock {
        query = query.lock_exclusive();
    }
    query
        .one(c)
        .await
        .db()?
        .ok_or(StoreError::not_found("remedy"))
}
