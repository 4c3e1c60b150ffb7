//! Ending promises: kept, renegotiated (with a linked successor), released, or broken.
//!
//! Every move is one transaction with a conditional update (`status = 'open'` and, for
//! moves by a member, the version), so a promise ends exactly once.

use jiff::Timestamp;
use makegood_domain::text::limits;
use makegood_domain::{AlertKind, EventKind, Promise, PromiseError, PromiseId, PromiseStatus};
use sea_orm::sea_query::{LockBehavior, LockType};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use super::{contacts, insert, row, to_promise, views};
use crate::convert::{micros, name_of, to_db, to_db_opt};
use crate::db::promise;
use crate::error::DbResult;
use crate::problems::{append, append_as_of, check_version};
use crate::validate::optional_text;
use crate::{Actor, PromiseView, Result, Store, StoreError, policies, scheduler, timers};

/// How many overdue promises one transaction breaks.
const BATCH: u64 = 100;

fn refused(e: PromiseError) -> StoreError {
    match e {
        PromiseError::DueInPast => {
            StoreError::invalid("due_at", "a promise cannot be due in the past")
        }
        PromiseError::SameDue => StoreError::invalid("due_at", e.to_string()),
        PromiseError::ReasonRequired => StoreError::invalid("reason", "is required"),
        PromiseError::Ended(_) | PromiseError::PastDue { .. } => {
            StoreError::Conflict(e.to_string())
        }
    }
}

/// Writes the end of `p` (already moved in memory) if the row is still open at `version`.
async fn save_end<C: ConnectionTrait>(
    c: &C,
    p: &Promise,
    version: i64,
    to: Option<PromiseId>,
) -> Result<()> {
    let changes = promise::ActiveModel {
        status: Set(name_of(&p.status)),
        ended_at: Set(to_db_opt(p.ended_at)),
        reason: Set(p.reason.clone()),
        renegotiated_to: Set(to.map(|x| x.0)),
        version: Set(version + 1),
        ..Default::default()
    };
    let result = promise::Entity::update_many()
        .set(changes)
        .filter(promise::Column::Id.eq(p.id.0))
        .filter(promise::Column::Version.eq(version))
        .filter(promise::Column::Status.eq(name_of(&PromiseStatus::Open)))
        .exec(c)
        .await
        .db()?;
    if result.rows_affected == 1 {
        // Ended: its pending warning and breach go.
        timers::sync_promise_id(c, p.id.0).await
    } else {
        let current = row(c, p.id, false).await?;
        Err(StoreError::Stale {
            what: "promise",
            current: current.version,
        })
    }
}

/// Loads promise `id` for a move by `actor`: locked, version-checked, as a domain promise.
async fn load_for_move<C: ConnectionTrait>(
    c: &C,
    id: PromiseId,
    if_match: Option<i64>,
) -> Result<(Promise, i64)> {
    let r = row(c, id, true).await?;
    check_version("promise", r.version, if_match)?;
    let contacts = contacts(c, &[r.id])
        .await?
        .remove(&r.id)
        .unwrap_or_default();
    Ok((to_promise(&r, contacts)?, r.version))
}

async fn finish<C: ConnectionTrait>(c: &C, id: PromiseId, now: Timestamp) -> Result<PromiseView> {
    let r = row(c, id, false).await?;
    let policies = policies::load(c).await?;
    views(c, &[r], &policies, now)
        .await?
        .pop()
        .ok_or(StoreError::not_found("promise"))
}

pub(crate) async fn keep(
    store: &Store,
    actor: Actor,
    id: PromiseId,
    if_match: Option<i64>,
) -> Result<PromiseView> {
    let now = micros(actor.now);
    let txn = store.write().await?;
    let (mut p, version) = load_for_move(&txn, id, if_match).await?;
    p.keep(now).map_err(refused)?;
    save_end(&txn, &p, version, None).await?;
    append(
        &txn,
        p.problem.map(|x| x.0),
        Some(id.0),
        now,
        Some(actor.member.0),
        &EventKind::PromiseKept,
    )
    .await?;
    let view = finish(&txn, id, now).await?;
    txn.commit().await.db()?;
    Ok(view)
}

pub(crate) async fn release(
    store: &Store,
    actor: Actor,
    id: PromiseId,
    if_match: Option<i64>,
    reason: &str,
) -> Result<PromiseView> {
    let now = micros(actor.now);
    let reason = optional_text("reason", reason, limits::REASON)?;
    let txn = store.write().await?;
    let (mut p, version) = load_for_move(&txn, id, if_match).await?;
    p.release(&reason, now).map_err(refused)?;
    save_end(&txn, &p, version, None).await?;
    let event = EventKind::PromiseReleased { reason };
    append(
        &txn,
        p.problem.map(|x| x.0),
        Some(id.0),
        now,
        Some(actor.member.0),
        &event,
    )
    .await?;
    let view = finish(&txn, id, now).await?;
    txn.commit().await.db()?;
    Ok(view)
}

pub(crate) async fn renegotiate(
    store: &Store,
    actor: Actor,
    id: PromiseId,
    if_match: Option<i64>,
    new_due: Timestamp,
    reason: &str,
) -> Result<PromiseView> {
    let now = micros(actor.now);
    let new_due = micros(new_due);
    let reason = optional_text("reason", reason, limits::REASON)?;
    let txn = store.write().await?;
    let (mut p, version) = load_for_move(&txn, id, if_match).await?;
    let from_due = p.due_at;
    let successor = p.renegotiate(new_due, &reason, now).map_err(refused)?;
    let policies = policies::load(&txn).await?;
    let next = insert(&txn, &successor, &policies).await?;
    save_end(&txn, &p, version, Some(PromiseId(next.id))).await?;
    let event = EventKind::PromiseRenegotiated {
        new_promise: PromiseId(next.id),
        from_due,
        to_due: new_due,
        reason,
    };
    append(
        &txn,
        p.problem.map(|x| x.0),
        Some(id.0),
        now,
        Some(actor.member.0),
        &event,
    )
    .await?;
    let view = finish(&txn, PromiseId(next.id), now).await?;
    txn.commit().await.db()?;
    Ok(view)
}

/// Breaks promise `r` if it is still open and its due time has passed at `now`: a conditional
/// update, then a `promise_broken` event dated at its due time (it broke then, not when
/// somebody noticed) and the alerts to its maker and the supervisors. Returns whether this
/// call broke it.
pub(crate) async fn break_if_due<C: ConnectionTrait>(
    c: &C,
    r: &promise::Model,
    now: Timestamp,
) -> Result<bool> {
    let mut p = to_promise(r, Vec::new())?;
    if !p.break_if_due(now) {
        return Ok(false);
    }
    let result = promise::Entity::update_many()
        .set(promise::ActiveModel {
            status: Set(name_of(&p.status)),
            ended_at: Set(to_db_opt(p.ended_at)),
            version: Set(r.version + 1),
            ..Default::default()
        })
        .filter(promise::Column::Id.eq(r.id))
        .filter(promise::Column::Status.eq(name_of(&PromiseStatus::Open)))
        .exec(c)
        .await
        .db()?;
    if result.rows_affected != 1 {
        return Ok(false);
    }
    timers::sync_promise_id(c, r.id).await?;
    let event = EventKind::PromiseBroken { due_at: p.due_at };
    append_as_of(c, r.problem_id, Some(r.id), p.due_at, None, &event, now).await?;
    scheduler::alerts::promise(c, r.id, AlertKind::PromiseBroken, now).await?;
    Ok(true)
}

pub(crate) async fn break_overdue(store: &Store, now: Timestamp) -> Result<usize> {
    let mut broken = 0;
    loop {
        let txn = store.write().await?;
        // PostgreSQL: several instances share the work (FOR UPDATE SKIP LOCKED);
        // SQLite ignores the lock clause, its write transaction being exclusive.
        let rows = promise::Entity::find()
            .filter(promise::Column::Status.eq(name_of(&PromiseStatus::Open)))
            .filter(promise::Column::DueAt.lt(to_db(now)))
            .order_by_asc(promise::Column::DueAt)
            .order_by_asc(promise::Column::Id)
            .limit(BATCH)
            .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
            .all(&txn)
            .await
            .db()?;
        let fetched = rows.len();
        for r in rows {
            if break_if_due(&txn, &r, now).await? {
                broken += 1;
            }
        }
        txn.commit().await.db()?;
        if u64::try_from(fetched).unwrap_or(0) < BATCH {
            return Ok(broken);
        }
    }
}
