//! Calendar feeds: one secret URL per member (only its hash stored), revocable.

use jiff::Timestamp;
use makegood_domain::{Member, MemberId};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::convert::to_db;
use crate::db::{calendar_feed, member};
use crate::error::DbResult;
use crate::{Result, Store, members};

pub(crate) async fn set_token(
    store: &Store,
    member: MemberId,
    token_hash: &str,
    now: Timestamp,
) -> Result<()> {
    let txn = store.write().await?;
    members::find(&txn, member).await?;
    // One feed per member: a new URL replaces the old one, which stops working.
    calendar_feed::Entity::delete_by_id(member.0)
        .exec(&txn)
        .await
        .db()?;
    calendar_feed::Entity::insert(calendar_feed::ActiveModel {
        member_id: sea_orm::Set(member.0),
        token_hash: sea_orm::Set(token_hash.to_owned()),
        created_at: sea_orm::Set(to_db(now)),
    })
    .exec(&txn)
    .await
    .db()?;
    txn.commit().await.db()?;
    Ok(())
}

pub(crate) async fn revoke(store: &Store, member: MemberId) -> Result<bool> {
    let result = calendar_feed::Entity::delete_by_id(member.0)
        .exec(&store.writer)
        .await
        .db()?;
    Ok(result.rows_affected > 0)
}

pub(crate) async fn member_of(store: &Store, token_hash: &str) -> Result<Option<Member>> {
    let Some(feed) = calendar_feed::Entity::find()
        .filter(calendar_feed::Column::TokenHash.eq(token_hash))
        .one(&store.db)
        .await
        .db()?
    else {
        return Ok(None);
    };
    let row = member::Entity::find_by_id(feed.member_id)
        .one(&store.db)
        .await
        .db()?;
    match row {
        Some(m) if m.active => members::to_member(m).map(Some),
        _ => Ok(None),
    }
}
