//! The writes: propose, approve, reject, deliver, receive the vendor's share.
//!
//! Each is one transaction: the problem row is locked, then the remedy row; the change is a
//! conditional update at the version read (and, for decisions, the status read), so two
//! approvers cannot both decide and a caller's stale `If-Match` is refused.

use jiff::Timestamp;
use makegood_domain::text::limits;
use makegood_domain::{
    EventKind, NewRemedy, ProblemId, ProblemNumber, Remedy, RemedyError, RemedyId, Status,
};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, NotSet, QueryFilter};
use sea_orm::{ConnectionTrait, DatabaseTransaction};

use super::RemedyView;
use super::entity::remedy;
use super::record::{approval_times, row, status_columns, to_remedy, view};
use crate::convert::{micros, name_of, to_db, to_db_opt};
use crate::db::vendor;
use crate::error::DbResult;
use crate::members::{find as find_member, to_member};
use crate::problems::{append, check_version, load as problem_load};
use crate::validate::{optional_text, text};
use crate::{Actor, Result, Store, StoreError, timers};

/// A domain refusal as a store error: bad input names its field, a refused move conflicts.
fn refused(e: RemedyError) -> StoreError {
    use RemedyError as E;
    let message = e.to_string();
    match e {
        E::DescriptionRequired => StoreError::invalid("description", message),
        E::NegativeCost(_) => StoreError::invalid("cost", message),
        E::NegativeShare(_) | E::ShareCurrency { .. } | E::ShareExceedsCost { .. } => {
            StoreError::invalid("vendor_share.amount", message)
        }
        E::ReasonRequired => StoreError::invalid("reason", "is required: say why it is refused"),
        E::DeliveredInFuture(_) | E::DeliveredBeforeApproval { .. } => {
            StoreError::invalid("delivered_at", message)
        }
        E::Inactive
        | E::MayNotPropose(_)
        | E::NotApprover(_)
        | E::AuthorityTooLow { .. }
        | E::AuthorityCurrency { .. }
        | E::NotAwaiting(_)
        | E::NotApproved(_)
        | E::NoVendorShare => StoreError::Conflict(message),
    }
}

/// The acting member as a domain member.
async fn member<C: ConnectionTrait>(c: &C, actor: Actor) -> Result<makegood_domain::Member> {
    to_member(find_member(c, actor.member).await?)
}

pub(crate) async fn propose(store: &Store, actor: Actor, new: NewRemedy) -> Result<RemedyView> {
    let now = micros(actor.now);
    let description = text("description", &new.description, limits::REMEDY)?;
    let txn = store.write().await?;
    let problem = problem_load::row(&txn, new.problem, true).await?;
    if problem.status == name_of(&Status::Closed) {
        return Err(StoreError::Conflict(format!(
            "{} is closed; reopen it before proposing a remedy",
            ProblemNumber(problem.id)
        )));
    }
    if let Some(share) = &new.vendor_share {
        let found = vendor::Entity::find_by_id(share.vendor.0)
            .one(&txn)
            .await
            .db()?;
        if found.is_none() {
            return Err(StoreError::invalid(
                "vendor_share.vendor",
                format!("vendor {} does not exist", share.vendor),
            ));
        }
    }
    let proposer = member(&txn, actor).await?;
    let new = NewRemedy {
        description,
        vendor_share: new.vendor_share.map(|s| makegood_domain::VendorShare {
            received: false,
            ..s
        }),
        ..new
    };
    let remedy = Remedy::propose(RemedyId(0), new, &proposer, now).map_err(refused)?;
    let net = remedy.net_cost().map_err(refused)?;
    let times = approval_times(&remedy);
    let share = remedy.vendor_share;
    let mut row = status_columns(&remedy);
    row.id = NotSet;
    row.problem_id = Set(problem.id);
    row.kind = Set(remedy.kind.as_str().to_owned());
    row.description = Set(remedy.description.clone());
    row.currency = Set(remedy.cost.currency.code().to_owned());
    row.cost_minor = Set(remedy.cost.minor);
    row.vendor_id = Set(share.map(|s| s.vendor.0));
    row.vendor_share_minor = Set(share.map(|s| s.amount.minor));
    row.vendor_share_received = Set(false);
    row.vendor_share_received_at = Set(None);
    row.net_minor = Set(net.minor);
    row.proposed_by = Set(proposer.id.0);
    row.proposed_at = Set(to_db(now));
    row.approval_required = Set(remedy.approval_required);
    row.approval_warn_at = Set(to_db_opt(times.map(|t| t.0)));
    row.approval_due_at = Set(to_db_opt(times.map(|t| t.1)));
    row.version = Set(1);
    let row = row.insert(&txn).await.db()?;
    timers::sync_remedy(&txn, &row).await?;
    let event = EventKind::RemedyProposed {
        remedy: RemedyId(row.id),
        kind: remedy.kind,
        description: remedy.description.clone(),
        cost: remedy.cost,
        net_cost: net,
        approval_required: remedy.approval_required,
    };
    append(
        &txn,
        Some(problem.id),
        None,
        now,
        Some(actor.member.0),
        &event,
    )
    .await?;
    crate::followup::schedule::sync(&txn, problem.id).await?;
    let view = view(&row, now)?;
    txn.commit().await.db()?;
    Ok(view)
}

/// Remedy `id` for a move: its problem locked, then the remedy row, version-checked.
async fn load_for_move(
    txn: &DatabaseTransaction,
    id: RemedyId,
    if_match: Option<i64>,
) -> Result<remedy::Model> {
    let problem = row(txn, id, false).await?.problem_id;
    problem_load::row(txn, ProblemId(problem), true).await?;
    let r = row(txn, id, true).await?;
    check_version("remedy", r.version, if_match)?;
    Ok(r)
}

/// Writes `changes` to `r` if it is still at its version and status, bumping the version,
/// and re-syncs its timers; returns the row as written.
async fn save(
    txn: &DatabaseTransaction,
    r: &remedy::Model,
    mut changes: remedy::ActiveModel,
) -> Result<remedy::Model> {
    changes.version = Set(r.version + 1);
    let result = remedy::Entity::update_many()
        .set(changes)
        .filter(remedy::Column::Id.eq(r.id))
        .filter(remedy::Column::Version.eq(r.version))
        .filter(remedy::Column::Status.eq(r.status.clone()))
        .exec(txn)
        .await
        .db()?;
    let saved = row(txn, RemedyId(r.id), false).await?;
    if result.rows_affected != 1 {
        return Err(StoreError::Stale {
            what: "remedy",
            current: saved.version,
        });
    }
    timers::sync_remedy(txn, &saved).await?;
    Ok(saved)
}

/// Applies `step` to remedy `id` as `actor`, saves it and appends the event `step` returns.
async fn decide(
    store: &Store,
    actor: Actor,
    id: RemedyId,
    if_match: Option<i64>,
    step: impl FnOnce(&mut Remedy, &makegood_domain::Member, Timestamp) -> Result<EventKind>,
) -> Result<RemedyView> {
    let now = micros(actor.now);
    let txn = store.write().await?;
    let r = load_for_move(&txn, id, if_match).await?;
    let who = member(&txn, actor).await?;
    let mut remedy = to_remedy(&r)?;
    let event = step(&mut remedy, &who, now)?;
    let saved = save(&txn, &r, status_columns(&remedy)).await?;
    append(
        &txn,
        Some(r.problem_id),
        None,
        now,
        Some(actor.member.0),
        &event,
    )
    .await?;
    // A delivery (or a rejection) may be what the follow-up survey waited for.
    crate::followup::schedule::sync(&txn, r.problem_id).await?;
    let view = view(&saved, now)?;
    txn.commit().await.db()?;
    Ok(view)
}

pub(crate) async fn approve(
    store: &Store,
    actor: Actor,
    id: RemedyId,
    if_match: Option<i64>,
) -> Result<RemedyView> {
    decide(store, actor, id, if_match, |remedy, who, now| {
        remedy.approve(who, now).map_err(refused)?;
        Ok(EventKind::RemedyApproved { remedy: id })
    })
    .await
}

pub(crate) async fn reject(
    store: &Store,
    actor: Actor,
    id: RemedyId,
    if_match: Option<i64>,
    reason: &str,
) -> Result<RemedyView> {
    let reason = optional_text("reason", reason, limits::REASON)?;
    decide(store, actor, id, if_match, |remedy, who, now| {
        remedy.reject(who, &reason, now).map_err(refused)?;
        Ok(EventKind::RemedyRejected {
            remedy: id,
            reason: reason.clone(),
        })
    })
    .await
}

pub(crate) async fn deliver(
    store: &Store,
    actor: Actor,
    id: RemedyId,
    if_match: Option<i64>,
    delivered_at: Option<Timestamp>,
) -> Result<RemedyView> {
    decide(store, actor, id, if_match, |remedy, _, now| {
        let on = micros(delivered_at.unwrap_or(now));
        remedy.deliver(on, now).map_err(refused)?;
        Ok(EventKind::RemedyDelivered {
            remedy: id,
            delivered_at: on,
        })
    })
    .await
}

pub(crate) async fn receive_share(
    store: &Store,
    actor: Actor,
    id: RemedyId,
    if_match: Option<i64>,
) -> Result<RemedyView> {
    let now = micros(actor.now);
    let txn = store.write().await?;
    let r = load_for_move(&txn, id, if_match).await?;
    let mut remedy = to_remedy(&r)?;
    if matches!(
        remedy.status,
        makegood_domain::RemedyStatus::Rejected { .. }
    ) {
        return Err(StoreError::Conflict(
            "the remedy was rejected, so no vendor share is due".into(),
        ));
    }
    let Some(share) = remedy.vendor_share else {
        return Err(refused(RemedyError::NoVendorShare));
    };
    if share.received {
        // Already recorded: nothing changes, nothing is appended.
        let view = view(&r, now)?;
        txn.commit().await.db()?;
        return Ok(view);
    }
    remedy.receive_vendor_share().map_err(refused)?;
    let changes = remedy::ActiveModel {
        vendor_share_received: Set(true),
        vendor_share_received_at: Set(Some(to_db(now))),
        ..Default::default()
    };
    let saved = save(&txn, &r, changes).await?;
    let event = EventKind::VendorShareReceived {
        remedy: id,
        vendor: share.vendor,
        amount: share.amount,
    };
    append(
        &txn,
        Some(r.problem_id),
        None,
        now,
        Some(actor.member.0),
        &event,
    )
    .await?;
    let view = view(&saved, now)?;
    txn.commit().await.db()?;
    Ok(view)
}
