//! Promises: make and read; lists in [`list`], keep / renegotiate / release / break in [`moves`].

pub(crate) mod list;
pub(crate) mod moves;
pub(crate) mod reliability;

use makegood_domain::text::limits;
use std::collections::HashMap;

use jiff::Timestamp;
use makegood_domain::clock::promise_clock;
use makegood_domain::{
    ContactId, EventKind, MemberId, Policies, ProblemId, Promise, PromiseId, PromiseStatus,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, NotSet,
    QueryFilter, QueryOrder, QuerySelect,
};

use crate::convert::{from_db, from_db_opt, micros, name_of, parse_name, to_db};
use crate::db::{problem_account, promise, promise_contact};
use crate::error::DbResult;
use crate::problems::{append, load as problem_load};
use crate::validate::{self, text};
use crate::{Actor, NewPromise, PromiseView, Result, Store, StoreError, policies, timers};

/// When a promise made at `made_at` and due at `due_at` turns to warning under `policies`.
pub(crate) fn warn_at(made_at: Timestamp, due_at: Timestamp, policies: &Policies) -> Timestamp {
    let probe = Promise {
        id: PromiseId(0),
        what: String::new(),
        contacts: Vec::new(),
        made_by: MemberId(0),
        problem: None,
        made_at,
        due_at,
        status: PromiseStatus::Open,
        ended_at: None,
        reason: None,
        renegotiated_from: None,
        renegotiated_to: None,
        version: 1,
    };
    micros(
        promise_clock(&probe, policies, made_at)
            .warn_at
            .unwrap_or(made_at),
    )
}

/// A stored promise as a domain promise.
pub(crate) fn to_promise(row: &promise::Model, contacts: Vec<ContactId>) -> Result<Promise> {
    Ok(Promise {
        id: PromiseId(row.id),
        what: row.what.clone(),
        contacts,
        made_by: MemberId(row.made_by),
        problem: row.problem_id.map(ProblemId),
        made_at: from_db(row.made_at)?,
        due_at: from_db(row.due_at)?,
        status: parse_name(&row.status)?,
        ended_at: from_db_opt(row.ended_at)?,
        reason: row.reason.clone(),
        renegotiated_from: row.renegotiated_from.map(PromiseId),
        renegotiated_to: row.renegotiated_to.map(PromiseId),
        version: row.version,
    })
}

/// The contacts of each promise in `ids`, in order.
pub(crate) async fn contacts<C: ConnectionTrait>(
    c: &C,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<ContactId>>> {
    let mut map: HashMap<i64, Vec<ContactId>> = HashMap::new();
    if ids.is_empty() {
        return Ok(map);
    }
    for row in promise_contact::Entity::find()
        .filter(promise_contact::Column::PromiseId.is_in(ids.to_vec()))
        .order_by_asc(promise_contact::Column::PromiseId)
        .order_by_asc(promise_contact::Column::Position)
        .all(c)
        .await
        .db()?
    {
        map.entry(row.promise_id)
            .or_default()
            .push(ContactId(row.contact_id));
    }
    Ok(map)
}

/// A promise with its status and clock at `now`.
pub(crate) fn view(promise: Promise, policies: &Policies, now: Timestamp) -> PromiseView {
    let clock = promise_clock(&promise, policies, now);
    PromiseView {
        state: promise.status_at(now),
        clock,
        promise,
    }
}

/// Views of `rows`, in their order.
pub(crate) async fn views<C: ConnectionTrait>(
    c: &C,
    rows: &[promise::Model],
    policies: &Policies,
    now: Timestamp,
) -> Result<Vec<PromiseView>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut contacts = contacts(c, &ids).await?;
    rows.iter()
        .map(|row| {
            Ok(view(
                to_promise(row, contacts.remove(&row.id).unwrap_or_default())?,
                policies,
                now,
            ))
        })
        .collect()
}

/// The promise row `id`, locked for update when `lock`.
pub(crate) async fn row<C: ConnectionTrait>(
    c: &C,
    id: PromiseId,
    lock: bool,
) -> Result<promise::Model> {
    let mut query = promise::Entity::find_by_id(id.0);
    if lock {
        query = query.lock_exclusive();
    }
    query
        .one(c)
        .await
        .db()?
        .ok_or(StoreError::not_found("promise"))
}

/// Inserts an open promise and its contacts; returns the row.
pub(crate) async fn insert<C: ConnectionTrait>(
    c: &C,
    p: &Promise,
    policies: &Policies,
) -> Result<promise::Model> {
    let row = promise::ActiveModel {
        id: NotSet,
        what: Set(p.what.clone()),
        made_by: Set(p.made_by.0),
        problem_id: Set(p.problem.map(|x| x.0)),
        made_at: Set(to_db(p.made_at)),
        due_at: Set(to_db(p.due_at)),
        status: Set(name_of(&p.status)),
        ended_at: Set(None),
        reason: Set(None),
        renegotiated_from: Set(p.renegotiated_from.map(|x| x.0)),
        renegotiated_to: Set(None),
        version: Set(1),
        warn_at: Set(to_db(warn_at(p.made_at, p.due_at, policies))),
    }
    .insert(c)
    .await
    .db()?;
    let links =
        p.contacts
            .iter()
            .zip(0..)
            .map(|(contact, position)| promise_contact::ActiveModel {
                promise_id: Set(row.id),
                contact_id: Set(contact.0),
                position: Set(position),
            });
    crate::incidents::reach::insert_chunked(c, links.collect(), 3).await?;
    timers::sync_promise(c, &row).await?;
    Ok(row)
}

pub(crate) async fn create(store: &Store, actor: Actor, new: NewPromise) -> Result<PromiseView> {
    let now = micros(actor.now);
    let what = text("what", &new.what, limits::PROMISE)?;
    let due_at = micros(new.due_at);
    if due_at <= now {
        return Err(StoreError::invalid(
            "due_at",
            "a promise cannot be due in the past",
        ));
    }
    if new.contacts.is_empty() {
        return Err(StoreError::invalid(
            "contacts",
            "a promise is made to at least one contact",
        ));
    }
    let txn = store.write().await?;
    validate::owner(&txn, "made_by", new.made_by).await?;
    let accounts = match new.problem {
        Some(problem) => {
            problem_load::row(&txn, problem, false)
                .await
                .map_err(|e| match e {
                    StoreError::NotFound { .. } => {
                        StoreError::invalid("problem", format!("problem {problem} does not exist"))
                    }
                    other => other,
                })?;
            let rows = problem_account::Entity::find()
                .filter(problem_account::Column::ProblemId.eq(problem.0))
                .all(&txn)
                .await
                .db()?;
            Some(rows.into_iter().map(|r| r.account_id).collect::<Vec<_>>())
        }
        None => None,
    };
    let contacts = validate::contacts(&txn, "contacts", &new.contacts, accounts.as_deref()).await?;
    let policies = policies::load(&txn).await?;
    let promise = Promise {
        id: PromiseId(0),
        what: what.clone(),
        contacts: contacts.into_iter().map(ContactId).collect(),
        made_by: new.made_by,
        problem: new.problem,
        made_at: now,
        due_at,
        status: PromiseStatus::Open,
        ended_at: None,
        reason: None,
        renegotiated_from: None,
        renegotiated_to: None,
        version: 1,
    };
    let row = insert(&txn, &promise, &policies).await?;
    let made = EventKind::PromiseMade { what, due_at };
    append(
        &txn,
        row.problem_id,
        Some(row.id),
        now,
        Some(actor.member.0),
        &made,
    )
    .await?;
    let view = views(&txn, &[row], &policies, now).await?.pop();
    txn.commit().await.db()?;
    view.ok_or(StoreError::not_found("promise"))
}

pub(crate) async fn get(store: &Store, id: PromiseId, now: Timestamp) -> Result<PromiseView> {
    let txn = store.read().await?;
    let row = row(&txn, id, false).await?;
    let policies = policies::load(&txn).await?;
    let view = views(&txn, &[row], &policies, now).await?.pop();
    txn.commit().await.db()?;
    view.ok_or(StoreError::not_found("promise"))
}
