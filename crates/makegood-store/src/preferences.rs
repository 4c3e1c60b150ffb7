//! Member preferences: email alerts, working hours in the member's zone, the daily digest.

use makegood_domain::{MemberId, Preferences};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, sea_query::Expr};

use crate::calendars::calendar_error;
use crate::convert::{from_json, to_json};
use crate::db::member_preference;
use crate::error::DbResult;
use crate::{Result, Store, members};

/// Inserts the default preferences of a new member, in the caller's transaction.
pub(crate) async fn insert_defaults<C: ConnectionTrait>(c: &C, member: MemberId) -> Result<()> {
    member_preference::Entity::insert(member_preference::ActiveModel {
        member_id: sea_orm::Set(member.0),
        data: sea_orm::Set(to_json(&Preferences::default())?),
        next_digest_at: sea_orm::Set(None),
    })
    .exec(c)
    .await
    .db()?;
    Ok(())
}

/// The member's preferences; the defaults when none are stored.
pub(crate) async fn load<C: ConnectionTrait>(c: &C, member: MemberId) -> Result<Preferences> {
    match member_preference::Entity::find_by_id(member.0)
        .one(c)
        .await
        .db()?
    {
        Some(row) => from_json(&row.data),
        None => Ok(Preferences::default()),
    }
}

pub(crate) async fn get(store: &Store, member: MemberId) -> Result<Preferences> {
    members::find(&store.db, member).await?;
    load(&store.db, member).await
}

pub(crate) async fn set(
    store: &Store,
    member: MemberId,
    preferences: Preferences,
) -> Result<Preferences> {
    let txn = store.write().await?;
    let row = members::find(&txn, member).await?;
    preferences
        .working_hours
        .in_zone(&row.time_zone)
        .map_err(|e| calendar_error(&e, "working_hours", &preferences.working_hours))?;
    let data = to_json(&preferences)?;
    // The digest time follows the hours: a null lets the scheduler plan it afresh.
    let updated = member_preference::Entity::update_many()
        .col_expr(member_preference::Column::Data, Expr::value(data.clone()))
        .col_expr(
            member_preference::Column::NextDigestAt,
            Expr::value(Option::<chrono::DateTime<chrono::Utc>>::None),
        )
        .filter(member_preference::Column::MemberId.eq(member.0))
        .exec(&txn)
        .await
        .db()?;
    if updated.rows_affected == 0 {
        member_preference::Entity::insert(member_preference::ActiveModel {
            member_id: sea_orm::Set(member.0),
            data: sea_orm::Set(data),
            next_digest_at: sea_orm::Set(None),
        })
        .exec(&txn)
        .await
        .db()?;
    }
    txn.commit().await.db()?;
    Ok(preferences)
}
