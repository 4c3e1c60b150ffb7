//! Sessions and API tokens. Only hashes of the secrets are stored; the web crate hashes.
//!
//! A deactivated member's sessions and tokens stop working (they resolve to `None`).

use jiff::Timestamp;
use makegood_domain::text::limits;
use makegood_domain::{Member, MemberId, TokenScope};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, NotSet, QueryFilter, QueryOrder,
};

use crate::convert::{from_db, from_db_opt, to_db};
use crate::db::{api_token, member, session};
use crate::error::{DbResult, unique_or};
use crate::members::to_member;
use crate::validate::text;
use crate::{ApiToken, Result, Store, StoreError};

pub(crate) async fn create_session(
    store: &Store,
    member: MemberId,
    token_hash: &str,
    csrf_token: &str,
    expires_at: Timestamp,
) -> Result<()> {
    crate::members::find(&store.db, member).await?;
    session::ActiveModel {
        token_hash: Set(token_hash.to_owned()),
        member_id: Set(member.0),
        csrf_token: Set(csrf_token.to_owned()),
        expires_at: Set(to_db(expires_at)),
    }
    .insert(&store.writer)
    .await
    .map_err(|e| unique_or(e, || "that session already exists".into()))?;
    Ok(())
}

pub(crate) async fn session(
    store: &Store,
    token_hash: &str,
    now: Timestamp,
) -> Result<Option<(Member, String)>> {
    let Some(s) = session::Entity::find_by_id(token_hash.to_owned())
        .filter(session::Column::ExpiresAt.gt(to_db(now)))
        .one(&store.db)
        .await
        .db()?
    else {
        return Ok(None);
    };
    match member::Entity::find_by_id(s.member_id)
        .one(&store.db)
        .await
        .db()?
    {
        Some(m) if m.active => Ok(Some((to_member(m)?, s.csrf_token))),
        _ => Ok(None),
    }
}

pub(crate) async fn delete_session(store: &Store, token_hash: &str) -> Result<()> {
    session::Entity::delete_by_id(token_hash.to_owned())
        .exec(&store.writer)
        .await
        .db()?;
    Ok(())
}

fn scope(stored: &str) -> Result<TokenScope> {
    TokenScope::parse(stored)
        .ok_or_else(|| StoreError::Database(format!("unknown API token scope {stored:?}")))
}

fn to_token(t: api_token::Model) -> Result<ApiToken> {
    Ok(ApiToken {
        scope: scope(&t.scope)?,
        id: t.id,
        member: MemberId(t.member_id),
        name: t.name,
        created_at: from_db(t.created_at)?,
        last_used_at: from_db_opt(t.last_used_at)?,
    })
}

pub(crate) async fn create_api_token(
    store: &Store,
    member: MemberId,
    name: &str,
    scope: TokenScope,
    token_hash: &str,
    now: Timestamp,
) -> Result<ApiToken> {
    let name = text("name", name, limits::TOKEN_NAME)?;
    crate::members::find(&store.db, member).await?;
    let row = api_token::ActiveModel {
        id: NotSet,
        member_id: Set(member.0),
        name: Set(name),
        token_hash: Set(token_hash.to_owned()),
        created_at: Set(to_db(now)),
        last_used_at: Set(None),
        revoked: Set(false),
        scope: Set(scope.as_str().to_owned()),
    }
    .insert(&store.writer)
    .await
    .map_err(|e| unique_or(e, || "that token already exists".into()))?;
    to_token(row)
}

pub(crate) async fn list_api_tokens(
    store: &Store,
    member: Option<MemberId>,
) -> Result<Vec<ApiToken>> {
    let mut query = api_token::Entity::find().filter(api_token::Column::Revoked.eq(false));
    if let Some(m) = member {
        query = query.filter(api_token::Column::MemberId.eq(m.0));
    }
    query
        .order_by_desc(api_token::Column::CreatedAt)
        .order_by_desc(api_token::Column::Id)
        .all(&store.db)
        .await
        .db()?
        .into_iter()
        .map(to_token)
        .collect()
}

/// A token that has not been revoked.
pub(crate) async fn api_token(store: &Store, id: i64) -> Result<ApiToken> {
    let row = api_token::Entity::find_by_id(id)
        .filter(api_token::Column::Revoked.eq(false))
        .one(&store.db)
        .await
        .db()?
        .ok_or(StoreError::not_found("API token"))?;
    to_token(row)
}

/// Revokes a token; `NotFound` if there is no such token or it was already revoked.
pub(crate) async fn revoke_api_token(store: &Store, id: i64) -> Result<()> {
    let result = api_token::Entity::update_many()
        .col_expr(api_token::Column::Revoked, Expr::value(true))
        .filter(api_token::Column::Id.eq(id))
        .filter(api_token::Column::Revoked.eq(false))
        .exec(&store.writer)
        .await
        .db()?;
    if result.rows_affected == 0 {
        Err(StoreError::not_found("API token"))
    } else {
        Ok(())
    }
}

/// How precisely a token's last use is kept.
const LAST_USED_PRECISION: jiff::SignedDuration = jiff::SignedDuration::from_mins(1);

/// The member a token belongs to and what the token may do; `None` for an unknown or revoked
/// token or a deactivated member.
pub(crate) async fn token_member(
    store: &Store,
    token_hash: &str,
    now: Timestamp,
) -> Result<Option<(Member, TokenScope)>> {
    let Some(token) = api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(token_hash))
        .filter(api_token::Column::Revoked.eq(false))
        .one(&store.db)
        .await
        .db()?
    else {
        return Ok(None);
    };
    let Some(m) = member::Entity::find_by_id(token.member_id)
        .one(&store.db)
        .await
        .db()?
    else {
        return Ok(None);
    };
    if !m.active {
        return Ok(None);
    }
    // "Last used" to the minute: a token in steady use costs no write per request.
    let stale = from_db_opt(token.last_used_at)?
        .is_none_or(|last| now.duration_since(last) >= LAST_USED_PRECISION);
    if stale {
        api_token::Entity::update_many()
            .col_expr(api_token::Column::LastUsedAt, Expr::value(to_db(now)))
            .filter(api_token::Column::Id.eq(token.id))
            .exec(&store.writer)
            .await
            .db()?;
    }
    Ok(Some((to_member(m)?, scope(&token.scope)?)))
}
