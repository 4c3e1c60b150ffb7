//! What a contact may read: the problems affecting their account, one of them with its
//! customer-visible timeline, and the promises made to their account's contacts.

use std::collections::HashMap;

use jiff::Timestamp;
use makegood_domain::{ContactId, EventKind, ProblemId, ProblemNumber, Status};
use sea_orm::sea_query::{CaseStatement, Expr, ExprTrait, Order, Query, SimpleExpr};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::{PortalEntry, PortalProblem, PortalProblemDetail, PortalPromise};
use crate::convert::{from_db, from_json, name_of, parse_name, to_db};
use crate::cursor::{Cursor, Keyset, page};
use crate::db::{contact, event, member, problem, problem_account, promise, promise_contact};
use crate::error::DbResult;
use crate::{Page, PageRequest, PromiseView, Result, Store, StoreError, policies, promises};

/// The most promises shown on one problem's page.
const PROBLEM_PROMISES: u64 = 100;

/// The account of contact `id`; `NotFound` when the contact is gone.
pub(crate) async fn account_of<C: ConnectionTrait>(c: &C, id: ContactId) -> Result<i64> {
    Ok(contact::Entity::find_by_id(id.0)
        .one(c)
        .await
        .db()?
        .ok_or(StoreError::not_found("contact"))?
        .account_id)
}

/// Problem `problem` when it affects `account`; `NotFound` otherwise, as for a missing one.
pub(crate) async fn scoped<C: ConnectionTrait>(
    c: &C,
    account: i64,
    problem: ProblemId,
) -> Result<problem::Model> {
    let affected = problem_account::Entity::find()
        .filter(problem_account::Column::ProblemId.eq(problem.0))
        .filter(problem_account::Column::AccountId.eq(account))
        .one(c)
        .await
        .db()?
        .is_some();
    if !affected {
        return Err(StoreError::not_found("problem"));
    }
    problem::Entity::find_by_id(problem.0)
        .one(c)
        .await
        .db()?
        .ok_or(StoreError::not_found("problem"))
}

fn affecting(account: i64) -> SimpleExpr {
    problem::Column::Id.in_subquery(
        Query::select()
            .column(problem_account::Column::ProblemId)
            .from(problem_account::Entity)
            .and_where(problem_account::Column::AccountId.eq(account))
            .take(),
    )
}

/// 0 for a problem not closed, 1 for a closed one: open ones sort first.
fn closed_rank() -> SimpleExpr {
    CaseStatement::new()
        .case(
            problem::Column::Status.eq(name_of(&Status::Closed)),
            Expr::val(1i64),
        )
        .finally(Expr::val(0i64))
        .into()
}

async fn to_rows(store: &Store, rows: Vec<problem::Model>) -> Result<Vec<PortalProblem>> {
    let ids: Vec<ProblemId> = rows.iter().map(|r| ProblemId(r.id)).collect();
    let latest = store.latest_customer_updates(&ids).await?;
    rows.into_iter()
        .map(|r| {
            Ok(PortalProblem {
                id: ProblemId(r.id),
                number: ProblemNumber(r.id),
                status: parse_name(&r.status)?,
                detected_at: from_db(r.detected_at)?,
                last_update_at: latest.get(&ProblemId(r.id)).map(|u| u.at),
                title: r.title,
            })
        })
        .collect()
}

pub(crate) async fn problems(
    store: &Store,
    contact: ContactId,
    page_request: &PageRequest,
) -> Result<Page<PortalProblem>> {
    const LIST: &str = "portal_problems";
    let keyset = Keyset::of(page_request, LIST)?;
    let account = account_of(&store.db, contact).await?;
    let closed = || problem::Column::Status.eq(name_of(&Status::Closed));
    let mut query = problem::Entity::find().filter(affecting(account));
    if let Some(after) = &keyset.after {
        let rest = Condition::all().add(problem::Column::Id.lt(after.id));
        query = query.filter(if after.t == Some(1) {
            rest.add(closed())
        } else {
            Condition::any()
                .add(closed())
                .add(rest.add(problem::Column::Status.ne(name_of(&Status::Closed))))
        });
    }
    let rows = query
        .order_by(closed_rank(), Order::Asc)
        .order_by_desc(problem::Column::Id)
        .limit(keyset.fetch())
        .all(&store.db)
        .await
        .db()?;
    let closed_name = name_of(&Status::Closed);
    let (rows, next) = keyset.finish(rows, |p| Cursor {
        t: Some(i64::from(p.status == closed_name)),
        ..Cursor::new(LIST, p.id)
    });
    Ok(page(to_rows(store, rows).await?, next))
}

/// The customer-visible entries of problem `id` for `contact`, oldest first.
async fn entries<C: ConnectionTrait>(
    c: &C,
    id: i64,
    contact: ContactId,
) -> Result<Vec<PortalEntry>> {
    let rows = event::Entity::find()
        .filter(event::Column::ProblemId.eq(id))
        .filter(event::Column::Kind.is_in(["update", "customer_replied", "confirmed"]))
        .order_by_asc(event::Column::Id)
        .all(c)
        .await
        .db()?;
    let writers: Vec<i64> = rows.iter().filter_map(|r| r.actor_id).collect();
    let names: HashMap<i64, String> = member::Entity::find()
        .select_only()
        .column(member::Column::Id)
        .column(member::Column::Name)
        .filter(member::Column::Id.is_in(writers))
        .into_tuple::<(i64, String)>()
        .all(c)
        .await
        .db()?
        .into_iter()
        .collect();
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let at = from_db(row.at)?;
        match from_json::<EventKind>(&row.data)? {
            EventKind::Update { body } => out.push(PortalEntry::Update {
                at,
                from: row
                    .actor_id
                    .and_then(|a| names.get(&a).cloned())
                    .unwrap_or_default(),
                body,
            }),
            EventKind::CustomerReplied {
                contact: who,
                body,
                inbound,
                ..
            } if who == contact => out.push(PortalEntry::Reply {
                at,
                body,
                by_email: inbound.is_some(),
            }),
            EventKind::Confirmed { contact: Some(who) } if who == contact => {
                out.push(PortalEntry::Confirmed { at });
            }
            _ => {}
        }
    }
    Ok(out)
}

/// Promise ids made to a contact of `account`.
fn made_to(account: i64) -> SimpleExpr {
    promise::Column::Id.in_subquery(
        Query::select()
            .column((promise_contact::Entity, promise_contact::Column::PromiseId))
            .from(promise_contact::Entity)
            .inner_join(
                contact::Entity,
                Expr::col((contact::Entity, contact::Column::Id))
                    .equals((promise_contact::Entity, promise_contact::Column::ContactId)),
            )
            .and_where(contact::Column::AccountId.eq(account))
            .take(),
    )
}

/// Views of promise `rows` as the customer sees them, with each renegotiated one's new date.
async fn to_promises<C: ConnectionTrait>(
    c: &C,
    rows: &[promise::Model],
    now: Timestamp,
) -> Result<Vec<PortalPromise>> {
    let successors: Vec<i64> = rows.iter().filter_map(|r| r.renegotiated_to).collect();
    let new_due: HashMap<i64, Timestamp> = if successors.is_empty() {
        HashMap::new()
    } else {
        promise::Entity::find()
            .filter(promise::Column::Id.is_in(successors))
            .all(c)
            .await
            .db()?
            .into_iter()
            .map(|p| Ok((p.id, from_db(p.due_at)?)))
            .collect::<Result<_>>()?
    };
    let policies = policies::load(c).await?;
    let views: Vec<PromiseView> = promises::views(c, rows, &policies, now).await?;
    Ok(views
        .into_iter()
        .map(|v| {
            let p = v.promise;
            PortalPromise {
                id: p.id,
                what: p.what,
                problem: p.problem.map(|id| ProblemNumber(id.0)),
                made_at: p.made_at,
                due_at: p.due_at,
                state: v.state,
                ended_at: p.ended_at,
                new_due_at: p
                    .renegotiated_to
                    .and_then(|next| new_due.get(&next.0).copied()),
            }
        })
        .collect())
}

pub(crate) async fn problem(
    store: &Store,
    contact: ContactId,
    id: ProblemId,
    now: Timestamp,
) -> Result<PortalProblemDetail> {
    let txn = store.read().await?;
    let account = account_of(&txn, contact).await?;
    let row = scoped(&txn, account, id).await?;
    let entries = entries(&txn, row.id, contact).await?;
    let promise_rows = promise::Entity::find()
        .filter(promise::Column::ProblemId.eq(row.id))
        .filter(made_to(account))
        .order_by_asc(promise::Column::DueAt)
        .order_by_asc(promise::Column::Id)
        .limit(PROBLEM_PROMISES)
        .all(&txn)
        .await
        .db()?;
    let promises = to_promises(&txn, &promise_rows, now).await?;
    txn.commit().await.db()?;
    let status: Status = parse_name(&row.status)?;
    let confirmed = entries
        .iter()
        .any(|e| matches!(e, PortalEntry::Confirmed { .. }));
    let mut problem = to_rows(store, vec![row]).await?;
    let problem = problem.pop().ok_or(StoreError::not_found("problem"))?;
    Ok(PortalProblemDetail {
        problem,
        entries,
        promises,
        may_confirm: status == Status::Fixed,
        confirmed,
    })
}

pub(crate) async fn promises(
    store: &Store,
    contact: ContactId,
    page_request: &PageRequest,
    now: Timestamp,
) -> Result<Page<PortalPromise>> {
    const LIST: &str = "portal_promises";
    let keyset = Keyset::of(page_request, LIST)?;
    let txn = store.read().await?;
    let account = account_of(&txn, contact).await?;
    let mut query = promise::Entity::find().filter(made_to(account));
    if let Some(after) = &keyset.after {
        let due = after
            .t
            .and_then(|t| Timestamp::from_microsecond(t).ok())
            .map(to_db)
            .ok_or_else(|| StoreError::invalid("cursor", "is not a cursor of this list"))?;
        query = query.filter(
            Condition::any().add(promise::Column::DueAt.lt(due)).add(
                Condition::all()
                    .add(promise::Column::DueAt.eq(due))
                    .add(promise::Column::Id.lt(after.id)),
            ),
        );
    }
    // Latest due first: what is coming, then what was.
    let rows = query
        .order_by_desc(promise::Column::DueAt)
        .order_by_desc(promise::Column::Id)
        .limit(keyset.fetch())
        .all(&txn)
        .await
        .db()?;
    let (rows, next) = keyset.finish(rows, |p| Cursor {
        t: Some(p.due_at.timestamp_micros()),
        ..Cursor::new(LIST, p.id)
    });
    let items = to_promises(&txn, &rows, now).await?;
    txn.commit().await.db()?;
    Ok(page(items, next))
}
