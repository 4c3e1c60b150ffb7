//! Vendor promises: make, keep, renegotiate (a linked successor), broken by the scheduler.
//!
//! Every move is a conditional update (`status = 'open'` and the version) in one transaction
//! with its event on the problem's timeline, so a vendor promise ends exactly once.

use std::collections::HashMap;

use jiff::Timestamp;
use makegood_domain::text::limits;
use makegood_domain::{
    AlertKind, EventKind, MemberId, Policies, ProblemId, ProblemNumber, PromiseError,
    PromiseStatus, VendorId, VendorPromise, VendorPromiseId,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, NotSet,
    QueryFilter, QueryOrder, QuerySelect,
};

use super::entities::vendor_promise;
use super::record::problem_for;
use super::{NewVendorPromise, VendorPromiseView, schedule};
use crate::convert::{from_db, from_db_opt, micros, name_of, parse_name, to_db, to_db_opt};
use crate::db::vendor;
use crate::error::DbResult;
use crate::problems::{append, append_as_of, check_version, load as problem_load};
use crate::validate::{optional_text, text};
use crate::{Actor, Result, Store, StoreError, policies, promises};

fn refused(e: PromiseError) -> StoreError {
    match e {
        PromiseError::DueInPast => StoreError::invalid("due_at", "must be in the future"),
        PromiseError::SameDue => StoreError::invalid("due_at", e.to_string()),
        PromiseError::ReasonRequired => {
            StoreError::invalid("reason", "is required: why did the vendor move the date?")
        }
        PromiseError::Ended(_) | PromiseError::PastDue { .. } => {
            StoreError::Conflict(e.to_string().replace("the promise", "the vendor promise"))
        }
    }
}

/// A stored vendor promise as a domain one.
pub(crate) fn to_vendor_promise(row: &vendor_promise::Model) -> Result<VendorPromise> {
    Ok(VendorPromise {
        id: VendorPromiseId(row.id),
        problem: ProblemId(row.problem_id),
        vendor: VendorId(row.vendor_id),
        what: row.what.clone(),
        recorded_by: MemberId(row.recorded_by),
        made_at: from_db(row.made_at)?,
        due_at: from_db(row.due_at)?,
        status: parse_name(&row.status)?,
        ended_at: from_db_opt(row.ended_at)?,
        reason: row.reason.clone(),
        renegotiated_from: row.renegotiated_from.map(VendorPromiseId),
        renegotiated_to: row.renegotiated_to.map(VendorPromiseId),
        version: row.version,
    })
}

/// The names of the vendors in `ids`.
pub(crate) async fn vendor_names<C: ConnectionTrait>(
    c: &C,
    ids: Vec<i64>,
) -> Result<HashMap<i64, String>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(vendor::Entity::find()
        .filter(vendor::Column::Id.is_in(ids))
        .all(c)
        .await
        .db()?
        .into_iter()
        .map(|v| (v.id, v.name))
        .collect())
}

/// Views of `rows` at `now`, in their order.
pub(crate) async fn views<C: ConnectionTrait>(
    c: &C,
    rows: &[vendor_promise::Model],
    policies: &Policies,
    now: Timestamp,
) -> Result<Vec<VendorPromiseView>> {
    let names = vendor_names(c, rows.iter().map(|r| r.vendor_id).collect()).await?;
    rows.iter()
        .map(|row| {
            let p = to_vendor_promise(row)?;
            Ok(VendorPromiseView {
                vendor_name: names.get(&row.vendor_id).cloned().unwrap_or_default(),
                problem_number: ProblemNumber(row.problem_id),
                state: p.status_at(now),
                clock: p.clock(policies, now),
                vendor_promise: p,
            })
        })
        .collect()
}

async fn one<C: ConnectionTrait>(c: &C, id: i64, now: Timestamp) -> Result<VendorPromiseView> {
    let r = row(c, VendorPromiseId(id), false).await?;
    let policies = policies::load(c).await?;
    views(c, &[r], &policies, now)
        .await?
        .pop()
        .ok_or(StoreError::not_found("vendor promise"))
}

/// The vendor promise row `id`, locked for update when `lock`.
pub(crate) async fn row<C: ConnectionTrait>(
    c: &C,
    id: VendorPromiseId,
    lock: bool,
) -> Result<vendor_promise::Model> {
    let mut query = vendor_promise::Entity::find_by_id(id.0);
    if lock {
        query = query.lock_exclusive();
    }
    query
        .one(c)
        .await
        .db()?
        .ok_or(StoreError::not_found("vendor promise"))
}

async fn insert<C: ConnectionTrait>(
    c: &C,
    p: &VendorPromise,
    policies: &Policies,
) -> Result<vendor_promise::Model> {
    let row = vendor_promise::ActiveModel {
        id: NotSet,
        problem_id: Set(p.problem.0),
        vendor_id: Set(p.vendor.0),
        what: Set(p.what.clone()),
        recorded_by: Set(p.recorded_by.0),
        made_at: Set(to_db(p.made_at)),
        due_at: Set(to_db(p.due_at)),
        warn_at: Set(to_db(promises::warn_at(p.made_at, p.due_at, policies))),
        status: Set(name_of(&p.status)),
        ended_at: Set(None),
        reason: Set(None),
        renegotiated_from: Set(p.renegotiated_from.map(|x| x.0)),
        renegotiated_to: Set(None),
        version: Set(1),
    }
    .insert(c)
    .await
    .db()?;
    schedule::sync_vendor_promise(c, &row).await?;
    Ok(row)
}

pub(crate) async fn make(
    store: &Store,
    actor: Actor,
    new: NewVendorPromise,
) -> Result<VendorPromiseView> {
    let now = micros(actor.now);
    let what = text("what", &new.what, limits::PROMISE)?;
    let due_at = micros(new.due_at);
    if due_at <= now {
        return Err(StoreError::invalid(
            "due_at",
            "must be in the future: when did the vendor promise it?",
        ));
    }
    let txn = store.write().await?;
    problem_for(&txn, "problem", new.problem).await?;
    if vendor::Entity::find_by_id(new.vendor.0)
        .one(&txn)
        .await
        .db()?
        .is_none()
    {
        return Err(StoreError::invalid(
            "vendor",
            format!(
                "vendor {} does not exist; add it under Vendors first",
                new.vendor
            ),
        ));
    }
    let policies = policies::load(&txn).await?;
    let p = VendorPromise {
        id: VendorPromiseId(0),
        problem: new.problem,
        vendor: new.vendor,
        what: what.clone(),
        recorded_by: actor.member,
        made_at: now,
        due_at,
        status: PromiseStatus::Open,
        ended_at: None,
        reason: None,
        renegotiated_from: None,
        renegotiated_to: None,
        version: 1,
    };
    let row = insert(&txn, &p, &policies).await?;
    let event = EventKind::VendorPromiseMade {
        vendor_promise: VendorPromiseId(row.id),
        vendor: new.vendor,
        what,
        due_at,
    };
    append(
        &txn,
        Some(row.problem_id),
        None,
        now,
        Some(actor.member.0),
        &event,
    )
    .await?;
    let view = views(&txn, &[row], &policies, now).await?.pop();
    txn.commit().await.db()?;
    view.ok_or(StoreError::not_found("vendor promise"))
}

pub(crate) async fn get(
    store: &Store,
    id: VendorPromiseId,
    now: Timestamp,
) -> Result<VendorPromiseView> {
    let txn = store.read().await?;
    let view = one(&txn, id.0, now).await?;
    txn.commit().await.db()?;
    Ok(view)
}

/// Writes the end of `p` (moved in memory) if the row is still open at `version`.
async fn save_end<C: ConnectionTrait>(
    c: &C,
    p: &VendorPromise,
    version: Option<i64>,
    to: Option<i64>,
) -> Result<bool> {
    let mut update = vendor_promise::Entity::update_many()
        .set(vendor_promise::ActiveModel {
            status: Set(name_of(&p.status)),
            ended_at: Set(to_db_opt(p.ended_at)),
            reason: Set(p.reason.clone()),
            renegotiated_to: Set(to),
            version: Set(p.version + 1),
            ..Default::default()
        })
        .filter(vendor_promise::Column::Id.eq(p.id.0))
        .filter(vendor_promise::Column::Status.eq(name_of(&PromiseStatus::Open)));
    if let Some(v) = version {
        update = update.filter(vendor_promise::Column::Version.eq(v));
    }
    let result = update.exec(c).await.db()?;
    if result.rows_affected != 1 {
        return Ok(false);
    }
    let saved = row(c, p.id, false).await?;
    schedule::sync_vendor_promise(c, &saved).await?;
    Ok(true)
}

async fn load_for_move<C: ConnectionTrait>(
    c: &C,
    id: VendorPromiseId,
    if_match: Option<i64>,
) -> Result<VendorPromise> {
    let r = row(c, id, true).await?;
    check_version("vendor promise", r.version, if_match)?;
    to_vendor_promise(&r)
}

async fn stale<C: ConnectionTrait>(c: &C, id: VendorPromiseId) -> StoreError {
    match row(c, id, false).await {
        Ok(r) => StoreError::Stale {
            what: "vendor promise",
            current: r.version,
        },
        Err(e) => e,
    }
}

pub(crate) async fn keep(
    store: &Store,
    actor: Actor,
    id: VendorPromiseId,
    if_match: Option<i64>,
) -> Result<VendorPromiseView> {
    let now = micros(actor.now);
    let txn = store.write().await?;
    let mut p = load_for_move(&txn, id, if_match).await?;
    p.keep(now).map_err(refused)?;
    if !save_end(&txn, &p, Some(p.version), None).await? {
        return Err(stale(&txn, id).await);
    }
    let event = EventKind::VendorPromiseKept { vendor_promise: id };
    append(
        &txn,
        Some(p.problem.0),
        None,
        now,
        Some(actor.member.0),
        &event,
    )
    .await?;
    let view = one(&txn, id.0, now).await?;
    txn.commit().await.db()?;
    Ok(view)
}

pub(crate) async fn renegotiate(
    store: &Store,
    actor: Actor,
    id: VendorPromiseId,
    if_match: Option<i64>,
    new_due: Timestamp,
    reason: &str,
) -> Result<VendorPromiseView> {
    let now = micros(actor.now);
    let new_due = micros(new_due);
    let reason = optional_text("reason", reason, limits::REASON)?;
    let txn = store.write().await?;
    let mut p = load_for_move(&txn, id, if_match).await?;
    let from_due = p.due_at;
    let successor = p.renegotiate(new_due, &reason, now).map_err(refused)?;
    let policies = policies::load(&txn).await?;
    let next = insert(&txn, &successor, &policies).await?;
    if !save_end(&txn, &p, Some(p.version), Some(next.id)).await? {
        return Err(stale(&txn, id).await);
    }
    let event = EventKind::VendorPromiseRenegotiated {
        vendor_promise: id,
        new_vendor_promise: VendorPromiseId(next.id),
        from_due,
        to_due: new_due,
        reason,
    };
    append(
        &txn,
        Some(p.problem.0),
        None,
        now,
        Some(actor.member.0),
        &event,
    )
    .await?;
    let view = one(&txn, next.id, now).await?;
    txn.commit().await.db()?;
    Ok(view)
}

/// Breaks vendor promise `r` if still open and past due at `now`: a conditional update, a
/// `vendor_promise_broken` event dated at its due time, and alerts to the problem's owner and
/// the supervisors. Returns whether this call broke it.
pub(crate) async fn break_if_due<C: ConnectionTrait>(
    c: &C,
    r: &vendor_promise::Model,
    now: Timestamp,
) -> Result<bool> {
    let mut p = to_vendor_promise(r)?;
    if !p.break_if_due(now) || !save_end(c, &p, None, None).await? {
        return Ok(false);
    }
    let event = EventKind::VendorPromiseBroken {
        vendor_promise: p.id,
        due_at: p.due_at,
    };
    append_as_of(c, Some(r.problem_id), None, p.due_at, None, &event, now).await?;
    schedule::alert_vendor_promise(c, r, AlertKind::PromiseBroken, now).await?;
    Ok(true)
}

pub(crate) async fn of_problem(
    store: &Store,
    problem: ProblemId,
    now: Timestamp,
) -> Result<Vec<VendorPromiseView>> {
    let txn = store.read().await?;
    problem_load::row(&txn, problem, false).await?;
    let rows = vendor_promise::Entity::find()
        .filter(vendor_promise::Column::ProblemId.eq(problem.0))
        .order_by_asc(vendor_promise::Column::DueAt)
        .order_by_asc(vendor_promise::Column::Id)
        .all(&txn)
        .await
        .db()?;
    let policies = policies::load(&txn).await?;
    let views = views(&txn, &rows, &policies, now).await?;
    txn.commit().await.db()?;
    Ok(views)
}

pub(crate) async fn of_vendor(
    store: &Store,
    vendor_id: VendorId,
    now: Timestamp,
) -> Result<Vec<VendorPromiseView>> {
    let txn = store.read().await?;
    vendor::Entity::find_by_id(vendor_id.0)
        .one(&txn)
        .await
        .db()?
        .ok_or(StoreError::not_found("vendor"))?;
    let rows = vendor_promise::Entity::find()
        .filter(vendor_promise::Column::VendorId.eq(vendor_id.0))
        .order_by_desc(vendor_promise::Column::DueAt)
        .order_by_desc(vendor_promise::Column::Id)
        .limit(200)
        .all(&txn)
        .await
        .db()?;
    let policies = policies::load(&txn).await?;
    let views = views(&txn, &rows, &policies, now).await?;
    txn.commit().await.db()?;
    Ok(views)
}

/// The problems a vendor is part of: of its origin, or with a promise of its; newest first.
pub(crate) async fn problems_of(
    store: &Store,
    vendor_id: VendorId,
) -> Result<Vec<super::VendorProblem>> {
    use crate::db::problem;
    use sea_orm::Condition;
    use sea_orm::sea_query::Query;
    let txn = store.read().await?;
    let promised = Query::select()
        .column(vendor_promise::Column::ProblemId)
        .from(vendor_promise::Entity)
        .and_where(vendor_promise::Column::VendorId.eq(vendor_id.0))
        .take();
    let rows = problem::Entity::find()
        .filter(
            Condition::any()
                .add(problem::Column::VendorId.eq(vendor_id.0))
                .add(problem::Column::Id.in_subquery(promised)),
        )
        .order_by_desc(problem::Column::Id)
        .limit(200)
        .all(&txn)
        .await
        .db()?;
    txn.commit().await.db()?;
    Ok(rows
        .into_iter()
        .map(|p| super::VendorProblem {
            id: ProblemId(p.id),
            number: ProblemNumber(p.id),
            title: p.title,
            status: p.status,
        })
        .collect())
}
