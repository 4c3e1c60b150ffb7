//! Portal sessions: the cookie holds a random secret, the row its hash, the contact and a
//! CSRF token; revoking a contact's access ends them all and withdraws their unused links.

use jiff::{SignedDuration, Timestamp};
use makegood_domain::{AccountId, ContactId, Role};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};

use super::{PortalContact, PortalSession, Revoked};
use crate::convert::{from_db, to_db};
use crate::db::{account, contact, member, portal_link, portal_session};
use crate::error::DbResult;
use crate::{Result, Store, StoreError};

/// How long a portal session lasts.
pub const SESSION_LIFETIME: SignedDuration = SignedDuration::from_hours(14 * 24);

/// The organisation's time zone: its first active admin's (whoever set it up), else UTC.
pub(crate) async fn organisation_zone<C: ConnectionTrait>(c: &C) -> Result<String> {
    Ok(member::Entity::find()
        .filter(member::Column::Role.eq(Role::Admin.as_str()))
        .filter(member::Column::Active.eq(true))
        .order_by_asc(member::Column::Id)
        .one(c)
        .await
        .db()?
        .map_or_else(|| "UTC".to_owned(), |m| m.time_zone))
}

/// Contact `id` as the portal knows them; `NotFound` when deleted.
pub(crate) async fn contact_of<C: ConnectionTrait>(c: &C, id: i64) -> Result<PortalContact> {
    let row = contact::Entity::find_by_id(id)
        .one(c)
        .await
        .db()?
        .ok_or(StoreError::not_found("contact"))?;
    let account = account::Entity::find_by_id(row.account_id)
        .one(c)
        .await
        .db()?
        .ok_or(StoreError::not_found("account"))?;
    Ok(PortalContact {
        id: ContactId(row.id),
        name: row.name,
        email: row.email,
        account: AccountId(account.id),
        account_name: account.name,
        time_zone: organisation_zone(c).await?,
    })
}

/// Starts a session for `contact` in the caller's transaction.
pub(crate) async fn create_in<C: ConnectionTrait>(
    c: &C,
    contact: i64,
    session_hash: &str,
    csrf: &str,
    now: Timestamp,
) -> Result<()> {
    portal_session::ActiveModel {
        token_hash: Set(session_hash.to_owned()),
        contact_id: Set(contact),
        csrf_token: Set(csrf.to_owned()),
        created_at: Set(to_db(now)),
        expires_at: Set(to_db(now.saturating_add(SESSION_LIFETIME).unwrap_or(now))),
    }
    .insert(c)
    .await
    .db()?;
    Ok(())
}

pub(crate) async fn get(
    store: &Store,
    session_hash: &str,
    now: Timestamp,
) -> Result<Option<PortalSession>> {
    let txn = store.read().await?;
    let Some(row) = portal_session::Entity::find_by_id(session_hash.to_owned())
        .one(&txn)
        .await
        .db()?
    else {
        return Ok(None);
    };
    if from_db(row.expires_at)? <= now {
        return Ok(None);
    }
    let contact = match contact_of(&txn, row.contact_id).await {
        Ok(contact) => contact,
        Err(StoreError::NotFound { .. }) => return Ok(None),
        Err(e) => return Err(e),
    };
    txn.commit().await.db()?;
    Ok(Some(PortalSession {
        contact,
        csrf: row.csrf_token,
    }))
}

pub(crate) async fn end(store: &Store, session_hash: &str) -> Result<()> {
    portal_session::Entity::delete_by_id(session_hash.to_owned())
        .exec(&store.writer)
        .await
        .db()?;
    Ok(())
}

pub(crate) async fn revoke(store: &Store, contact: ContactId, now: Timestamp) -> Result<Revoked> {
    let txn = store.write().await?;
    contact::Entity::find_by_id(contact.0)
        .one(&txn)
        .await
        .db()?
        .ok_or(StoreError::not_found("contact"))?;
    let links = portal_link::Entity::update_many()
        .col_expr(portal_link::Column::RevokedAt, Expr::value(to_db(now)))
        .filter(portal_link::Column::ContactId.eq(contact.0))
        .filter(portal_link::Column::UsedAt.is_null())
        .filter(portal_link::Column::RevokedAt.is_null())
        .exec(&txn)
        .await
        .db()?
        .rows_affected;
    let sessions = portal_session::Entity::delete_many()
        .filter(portal_session::Column::ContactId.eq(contact.0))
        .exec(&txn)
        .await
        .db()?
        .rows_affected;
    txn.commit().await.db()?;
    Ok(Revoked { links, sessions })
}
