//! Responses remembered per (member, `Idempotency-Key`), so a retried create returns the first response.

use jiff::Timestamp;
use makegood_domain::MemberId;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, NotSet, QueryFilter};

use crate::convert::to_db;
use crate::db::idempotency_key;
use crate::error::DbResult;
use crate::{Result, Store, StoreError, StoredResponse};

pub(crate) async fn lookup(
    store: &Store,
    member: MemberId,
    key: &str,
) -> Result<Option<StoredResponse>> {
    let row = idempotency_key::Entity::find()
        .filter(idempotency_key::Column::MemberId.eq(member.0))
        .filter(idempotency_key::Column::Key.eq(key))
        .one(&store.db)
        .await
        .db()?;
    Ok(row.map(|r| StoredResponse {
        request_hash: r.request_hash,
        status: u16::try_from(r.status).unwrap_or(500),
        body: r.body,
    }))
}

/// Inserts unless (member, key) is already there: the first response wins.
pub(crate) async fn save(
    store: &Store,
    member: MemberId,
    key: &str,
    response: &StoredResponse,
    now: Timestamp,
) -> Result<()> {
    if key.is_empty() || key.chars().count() > 255 {
        return Err(StoreError::invalid(
            "idempotency_key",
            "must be 1 to 255 characters",
        ));
    }
    let key = key.to_owned();
    let row = idempotency_key::ActiveModel {
        id: NotSet,
        member_id: Set(member.0),
        key: Set(key),
        request_hash: Set(response.request_hash.clone()),
        status: Set(i32::from(response.status)),
        body: Set(response.body.clone()),
        created_at: Set(to_db(now)),
    };
    idempotency_key::Entity::insert(row)
        .on_conflict_do_nothing_on([
            idempotency_key::Column::MemberId,
            idempotency_key::Column::Key,
        ])
        .exec(&store.db)
        .await
        .db()?;
    Ok(())
}
