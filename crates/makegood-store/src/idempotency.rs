//! `Idempotency-Key`s per member: reserved before the request runs, then completed with
//! its response (replayed to retries) or released (so a retry runs again).

use jiff::{SignedDuration, Timestamp};
use makegood_domain::MemberId;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, NotSet, QueryFilter, TryInsertResult};

use crate::convert::to_db;
use crate::db::idempotency_key::{self, Column};
use crate::error::DbResult;
use crate::{Reservation, Result, Store, StoreError, StoredResponse};

/// The status of a row whose request is still running.
const PENDING: i32 = 0;
/// A pending row older than this belongs to a request whose process died; it may be taken over.
const ABANDONED_AFTER: SignedDuration = SignedDuration::from_secs(60);

fn check(key: &str) -> Result<()> {
    if key.is_empty() || key.chars().count() > 255 {
        return Err(StoreError::invalid(
            "idempotency_key",
            "must be 1 to 255 characters",
        ));
    }
    Ok(())
}

/// Inserts a pending row unless (member, key) exists; otherwise says what the existing row means.
pub(crate) async fn reserve(
    store: &Store,
    member: MemberId,
    key: &str,
    request_hash: &str,
    now: Timestamp,
) -> Result<Reservation> {
    check(key)?;
    let row = idempotency_key::ActiveModel {
        id: NotSet,
        member_id: Set(member.0),
        key: Set(key.to_owned()),
        request_hash: Set(request_hash.to_owned()),
        status: Set(PENDING),
        body: Set(String::new()),
        created_at: Set(to_db(now)),
    };
    // Rows affected rather than RETURNING: "nothing inserted" is then plainly 0 on both backends.
    let inserted = idempotency_key::Entity::insert(row)
        .on_conflict_do_nothing_on([Column::MemberId, Column::Key])
        .exec_without_returning(&store.writer)
        .await
        .db()?;
    if matches!(inserted, TryInsertResult::Inserted(n) if n > 0) {
        return Ok(Reservation::Reserved);
    }

    let Some(existing) = idempotency_key::Entity::find()
        .filter(Column::MemberId.eq(member.0))
        .filter(Column::Key.eq(key))
        .one(&store.db)
        .await
        .db()?
    else {
        // Released between our insert and this read: the caller may simply retry.
        return Ok(Reservation::InFlight);
    };
    if existing.request_hash != request_hash {
        return Ok(Reservation::Mismatch);
    }
    if existing.status != PENDING {
        return Ok(Reservation::Replay(StoredResponse {
            request_hash: existing.request_hash,
            status: u16::try_from(existing.status).unwrap_or(500),
            body: existing.body,
        }));
    }
    // Pending: take it over only if abandoned, and only if no other taker got there first
    // (the first taker moves `created_at` past the cutoff).
    let cutoff = now.checked_sub(ABANDONED_AFTER).unwrap_or(now);
    let taken = idempotency_key::Entity::update_many()
        .col_expr(Column::CreatedAt, Expr::value(to_db(now)))
        .filter(Column::Id.eq(existing.id))
        .filter(Column::Status.eq(PENDING))
        .filter(Column::CreatedAt.lt(to_db(cutoff)))
        .exec(&store.writer)
        .await
        .db()?;
    Ok(if taken.rows_affected == 1 {
        Reservation::Reserved
    } else {
        Reservation::InFlight
    })
}

/// Fills in the pending row with the response; a row no longer pending is left alone.
pub(crate) async fn complete(
    store: &Store,
    member: MemberId,
    key: &str,
    response: &StoredResponse,
) -> Result<()> {
    check(key)?;
    idempotency_key::Entity::update_many()
        .col_expr(Column::Status, Expr::value(i32::from(response.status)))
        .col_expr(Column::Body, Expr::value(response.body.clone()))
        .filter(Column::MemberId.eq(member.0))
        .filter(Column::Key.eq(key))
        .filter(Column::RequestHash.eq(response.request_hash.as_str()))
        .filter(Column::Status.eq(PENDING))
        .exec(&store.writer)
        .await
        .db()?;
    Ok(())
}

/// Deletes the pending row, so the next request with this key runs.
pub(crate) async fn release(store: &Store, member: MemberId, key: &str) -> Result<()> {
    check(key)?;
    idempotency_key::Entity::delete_many()
        .filter(Column::MemberId.eq(member.0))
        .filter(Column::Key.eq(key))
        .filter(Column::Status.eq(PENDING))
        .exec(&store.writer)
        .await
        .db()?;
    Ok(())
}
