//! The transactional outbox: messages written with the change that causes them, then claimed,
//! delivered and marked, with retries and exponential backoff.
//!
//! A claim leases a message by moving its `next_attempt_at` a lease ahead and counting the
//! attempt, in one short transaction (`FOR UPDATE SKIP LOCKED` on PostgreSQL, so instances
//! never claim the same message). If the process dies while sending, the lease runs out and
//! the message is tried again, exactly as after a failure; a message marked delivered is never
//! claimed again.

use jiff::{SignedDuration, Timestamp};
use makegood_domain::{Notice, ProblemId};
use sea_orm::sea_query::{Expr, ExprTrait, LockBehavior, LockType};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, NotSet,
    QueryFilter, QueryOrder, QuerySelect,
};

use crate::convert::{from_db, from_db_opt, from_json, name_of, parse_name, to_db, to_json};
use crate::cursor::{Cursor, Keyset, page};
use crate::db::outbox;
use crate::error::DbResult;
use crate::{
    Delivery, DeliveryFilter, DeliveryStatus, Page, PageRequest, Result, Store, StoreError,
};

/// How long a claimed message is left to its sender before another may try it: longer than
/// a batch of sends can take (each is bounded by its transport's timeout), so a slow server
/// never makes a second instance send what the first is still sending.
pub const DELIVERY_LEASE: SignedDuration = SignedDuration::from_mins(10);
/// After this many failed attempts a message is failed for good (until retried by hand).
pub const MAX_ATTEMPTS: i32 = 10;
const LIST: &str = "deliveries";

/// The wait after the `attempts`-th failure: 1 min, 2 min, 4 min … at most 6 h.
pub(crate) fn backoff(attempts: i32) -> SignedDuration {
    let exponent = u32::try_from(attempts.clamp(1, 30) - 1).unwrap_or(0);
    let minutes = Ord::min(1i64.checked_shl(exponent).unwrap_or(i64::MAX), 6 * 60);
    SignedDuration::from_mins(minutes)
}

/// Writes `notice` to the outbox in the caller's transaction, to be sent from `not_before`.
pub(crate) async fn enqueue<C: ConnectionTrait>(
    c: &C,
    notice: &Notice,
    problem: Option<ProblemId>,
    not_before: Timestamp,
    now: Timestamp,
) -> Result<i64> {
    let row = outbox::ActiveModel {
        id: NotSet,
        channel: Set(name_of(&notice.channel())),
        recipient: Set(notice.recipient()),
        problem_id: Set(problem.map(|p| p.0)),
        notice: Set(to_json(notice)?),
        status: Set(name_of(&DeliveryStatus::Pending)),
        attempts: Set(0),
        next_attempt_at: Set(to_db(not_before.max(now))),
        last_error: Set(None),
        created_at: Set(to_db(now)),
        delivered_at: Set(None),
    }
    .insert(c)
    .await
    .db()?;
    Ok(row.id)
}

fn to_delivery(row: outbox::Model) -> Result<Delivery> {
    Ok(Delivery {
        id: row.id,
        channel: parse_name(&row.channel)?,
        recipient: row.recipient,
        problem: row.problem_id.map(ProblemId),
        notice: from_json(&row.notice)?,
        status: parse_name(&row.status)?,
        attempts: u32::try_from(row.attempts).unwrap_or(0),
        next_attempt_at: from_db(row.next_attempt_at)?,
        last_error: row.last_error,
        created_at: from_db(row.created_at)?,
        delivered_at: from_db_opt(row.delivered_at)?,
    })
}

pub(crate) async fn claim(store: &Store, now: Timestamp, limit: u64) -> Result<Vec<Delivery>> {
    let txn = store.write().await?;
    // PostgreSQL: concurrent instances skip each other's rows; SQLite's write transaction is
    // exclusive, so the clause is not needed (and SeaORM leaves it out).
    let rows = outbox::Entity::find()
        .filter(outbox::Column::Status.eq(name_of(&DeliveryStatus::Pending)))
        .filter(outbox::Column::NextAttemptAt.lte(to_db(now)))
        .order_by_asc(outbox::Column::NextAttemptAt)
        .order_by_asc(outbox::Column::Id)
        .limit(limit)
        .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
        .all(&txn)
        .await
        .db()?;
    let lease_end = to_db(now.saturating_add(DELIVERY_LEASE).unwrap_or(now));
    let mut claimed = Vec::with_capacity(rows.len());
    for mut row in rows {
        outbox::Entity::update_many()
            .col_expr(outbox::Column::NextAttemptAt, Expr::value(lease_end))
            .col_expr(
                outbox::Column::Attempts,
                Expr::col(outbox::Column::Attempts).add(1),
            )
            .filter(outbox::Column::Id.eq(row.id))
            .exec(&txn)
            .await
            .db()?;
        row.attempts += 1;
        row.next_attempt_at = lease_end;
        claimed.push(to_delivery(row)?);
    }
    txn.commit().await.db()?;
    Ok(claimed)
}

/// Hands back messages `claimed` but not sent (the sender is stopping): each is due again at
/// `now`, for any process to claim at once, and its attempt is not counted. Only a lease still
/// held is handed back: a message marked since, or claimed again after its lease ran out, is
/// left as it is. Returns how many were handed back.
pub(crate) async fn release(store: &Store, claimed: &[Delivery], now: Timestamp) -> Result<u64> {
    if claimed.is_empty() {
        return Ok(0);
    }
    let txn = store.write().await?;
    let mut released = 0;
    for d in claimed {
        let done = outbox::Entity::update_many()
            .col_expr(outbox::Column::NextAttemptAt, Expr::value(to_db(now)))
            .col_expr(
                outbox::Column::Attempts,
                Expr::col(outbox::Column::Attempts).sub(1),
            )
            .filter(outbox::Column::Id.eq(d.id))
            .filter(outbox::Column::Status.eq(name_of(&DeliveryStatus::Pending)))
            .filter(outbox::Column::NextAttemptAt.eq(to_db(d.next_attempt_at)))
            .filter(outbox::Column::Attempts.eq(i32::try_from(d.attempts).unwrap_or(i32::MAX)))
            .filter(outbox::Column::Attempts.gt(0))
            .exec(&txn)
            .await
            .db()?;
        released += done.rows_affected;
    }
    txn.commit().await.db()?;
    Ok(released)
}

async fn find(store: &Store, id: i64) -> Result<outbox::Model> {
    outbox::Entity::find_by_id(id)
        .one(&store.db)
        .await
        .db()?
        .ok_or_else(|| StoreError::not_found("delivery"))
}

pub(crate) async fn get(store: &Store, id: i64) -> Result<Delivery> {
    to_delivery(find(store, id).await?)
}

pub(crate) async fn delivered(store: &Store, id: i64, now: Timestamp) -> Result<()> {
    outbox::Entity::update_many()
        .col_expr(
            outbox::Column::Status,
            Expr::value(name_of(&DeliveryStatus::Delivered)),
        )
        .col_expr(outbox::Column::DeliveredAt, Expr::value(to_db(now)))
        .col_expr(
            outbox::Column::LastError,
            Expr::value(Option::<String>::None),
        )
        .filter(outbox::Column::Id.eq(id))
        .filter(outbox::Column::Status.eq(name_of(&DeliveryStatus::Pending)))
        .exec(&store.writer)
        .await
        .db()?;
    Ok(())
}

/// Records every pending message about `problems` as delivered when it was queued.
pub(crate) async fn delivered_when_queued(store: &Store, problems: &[i64]) -> Result<u64> {
    let done = outbox::Entity::update_many()
        .col_expr(
            outbox::Column::Status,
            Expr::value(name_of(&DeliveryStatus::Delivered)),
        )
        .col_expr(
            outbox::Column::DeliveredAt,
            Expr::col(outbox::Column::CreatedAt),
        )
        .filter(outbox::Column::ProblemId.is_in(problems.iter().copied()))
        .filter(outbox::Column::Status.eq(name_of(&DeliveryStatus::Pending)))
        .exec(&store.writer)
        .await
        .db()?;
    Ok(done.rows_affected)
}

pub(crate) async fn failed(
    store: &Store,
    id: i64,
    error: &str,
    permanent: bool,
    now: Timestamp,
) -> Result<DeliveryStatus> {
    let row = find(store, id).await?;
    if row.status != name_of(&DeliveryStatus::Pending) {
        return parse_name(&row.status);
    }
    let status = if permanent || row.attempts >= MAX_ATTEMPTS {
        DeliveryStatus::Failed
    } else {
        DeliveryStatus::Pending
    };
    let next = now.saturating_add(backoff(row.attempts)).unwrap_or(now);
    // Errors come from remote servers: keep them short enough to show.
    let error: String = error.chars().take(1_000).collect();
    outbox::Entity::update_many()
        .col_expr(outbox::Column::Status, Expr::value(name_of(&status)))
        .col_expr(outbox::Column::NextAttemptAt, Expr::value(to_db(next)))
        .col_expr(outbox::Column::LastError, Expr::value(error))
        .filter(outbox::Column::Id.eq(id))
        .filter(outbox::Column::Status.eq(name_of(&DeliveryStatus::Pending)))
        .exec(&store.writer)
        .await
        .db()?;
    Ok(status)
}

pub(crate) async fn retry(store: &Store, id: i64, now: Timestamp) -> Result<Delivery> {
    let row = find(store, id).await?;
    if row.status == name_of(&DeliveryStatus::Delivered) {
        return Err(StoreError::Conflict(
            "this message was delivered; it is never sent twice".into(),
        ));
    }
    outbox::Entity::update_many()
        .col_expr(
            outbox::Column::Status,
            Expr::value(name_of(&DeliveryStatus::Pending)),
        )
        .col_expr(outbox::Column::Attempts, Expr::value(0))
        .col_expr(outbox::Column::NextAttemptAt, Expr::value(to_db(now)))
        .filter(outbox::Column::Id.eq(id))
        .filter(outbox::Column::Status.ne(name_of(&DeliveryStatus::Delivered)))
        .exec(&store.writer)
        .await
        .db()?;
    get(store, id).await
}

pub(crate) async fn list(
    store: &Store,
    filter: &DeliveryFilter,
    page_request: &PageRequest,
) -> Result<Page<Delivery>> {
    let keyset = Keyset::of(page_request, LIST)?;
    let mut query = outbox::Entity::find();
    if let Some(status) = filter.status {
        query = query.filter(outbox::Column::Status.eq(name_of(&status)));
    }
    if let Some(problem) = filter.problem {
        query = query.filter(outbox::Column::ProblemId.eq(problem.0));
    }
    if let Some(after) = &keyset.after {
        query = query.filter(outbox::Column::Id.lt(after.id));
    }
    let rows = query
        .order_by_desc(outbox::Column::Id)
        .limit(keyset.fetch())
        .all(&store.db)
        .await
        .db()?;
    let (rows, next) = keyset.finish(rows, |r| Cursor::new(LIST, r.id));
    Ok(page(
        rows.into_iter().map(to_delivery).collect::<Result<_>>()?,
        next,
    ))
}

pub(crate) async fn next_attempt(store: &Store) -> Result<Option<Timestamp>> {
    let next: Option<chrono::DateTime<chrono::Utc>> = outbox::Entity::find()
        .select_only()
        .column(outbox::Column::NextAttemptAt)
        .filter(outbox::Column::Status.eq(name_of(&DeliveryStatus::Pending)))
        .order_by_asc(outbox::Column::NextAttemptAt)
        .into_tuple()
        .one(&store.db)
        .await
        .db()?;
    next.map(from_db).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_a_minute_up_to_six_hours() {
        assert_eq!(backoff(1), SignedDuration::from_mins(1));
        assert_eq!(backoff(2), SignedDuration::from_mins(2));
        assert_eq!(backoff(5), SignedDuration::from_mins(16));
        assert_eq!(backoff(9), SignedDuration::from_mins(256));
        assert_eq!(backoff(10), SignedDuration::from_hours(6));
        assert_eq!(backoff(99), SignedDuration::from_hours(6));
    }
}
