//! Setting up: the organisation, its first admin, and the one-time setup token.
//!
//! Both ways to initialise lock the one organisation row first, so of two concurrent
//! callers exactly one wins and the other sees the members already there.

use jiff::Timestamp;
use makegood_domain::text::limits;
use makegood_domain::{Member, Role};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QuerySelect, TransactionTrait,
};

use crate::convert::to_db;
use crate::db::{member, organisation};
use crate::error::DbResult;
use crate::validate::text;
use crate::{NewMember, Organisation, Result, Store, StoreError, members};

const ROW: i64 = 1;

/// Makes sure the organisation row exists (it holds the setup token before setup).
async fn ensure_row<C: ConnectionTrait>(c: &C) -> Result<()> {
    let row = organisation::ActiveModel {
        id: Set(ROW),
        name: Set(None),
        setup_token_hash: Set(None),
        setup_token_used: Set(false),
        created_at: Set(None),
    };
    organisation::Entity::insert(row)
        .on_conflict_do_nothing_on([organisation::Column::Id])
        .exec(c)
        .await
        .db()?;
    Ok(())
}

async fn anyone<C: ConnectionTrait>(c: &C) -> Result<bool> {
    Ok(member::Entity::find().count(c).await.db()? > 0)
}

pub(crate) async fn organisation(store: &Store) -> Result<Option<Organisation>> {
    let row = organisation::Entity::find_by_id(ROW)
        .one(&store.db)
        .await
        .db()?;
    Ok(row.and_then(|r| r.name).map(|name| Organisation { name }))
}

/// Names the organisation and creates its first admin, in the caller's transaction,
/// which has locked the organisation row.
async fn set_up<C: ConnectionTrait>(
    c: &C,
    name: &str,
    admin: NewMember,
    now: Timestamp,
) -> Result<Member> {
    let name = text("organisation", name, limits::ORGANISATION_NAME)?;
    if anyone(c).await? {
        return Err(StoreError::Conflict("makegood is already set up".into()));
    }
    organisation::Entity::update_many()
        .col_expr(organisation::Column::Name, Expr::value(name))
        .col_expr(organisation::Column::CreatedAt, Expr::value(to_db(now)))
        .filter(organisation::Column::Id.eq(ROW))
        .exec(c)
        .await
        .db()?;
    members::insert(
        c,
        NewMember {
            role: Role::Admin,
            ..admin
        },
        now,
    )
    .await
}

pub(crate) async fn initialise(
    store: &Store,
    name: &str,
    admin: NewMember,
    now: Timestamp,
) -> Result<Member> {
    let txn = store.write().await?;
    ensure_row(&txn).await?;
    organisation::Entity::find_by_id(ROW)
        .lock_exclusive()
        .one(&txn)
        .await
        .db()?;
    let member = set_up(&txn, name, admin, now).await?;
    txn.commit().await.db()?;
    Ok(member)
}

pub(crate) async fn set_setup_token(
    store: &Store,
    token_hash: &str,
    _now: Timestamp,
) -> Result<()> {
    let txn = store.write().await?;
    ensure_row(&txn).await?;
    organisation::Entity::update_many()
        .col_expr(
            organisation::Column::SetupTokenHash,
            Expr::value(token_hash.to_owned()),
        )
        .col_expr(organisation::Column::SetupTokenUsed, Expr::value(false))
        .filter(organisation::Column::Id.eq(ROW))
        .exec(&txn)
        .await
        .db()?;
    txn.commit().await.db()
}

pub(crate) async fn setup_token_valid(store: &Store, token_hash: &str) -> Result<bool> {
    let txn = store.writer.begin().await.db()?;
    let row = organisation::Entity::find_by_id(ROW).one(&txn).await.db()?;
    let token_ok = row
        .is_some_and(|r| !r.setup_token_used && r.setup_token_hash.as_deref() == Some(token_hash));
    Ok(token_ok && !anyone(&txn).await?)
}

pub(crate) async fn initialise_with_token(
    store: &Store,
    token_hash: &str,
    name: &str,
    admin: NewMember,
    now: Timestamp,
) -> Result<Member> {
    let txn = store.write().await?;
    // Consume the token with a conditional update: of concurrent callers only one matches.
    let consumed = organisation::Entity::update_many()
        .col_expr(organisation::Column::SetupTokenUsed, Expr::value(true))
        .filter(organisation::Column::Id.eq(ROW))
        .filter(organisation::Column::SetupTokenHash.eq(token_hash))
        .filter(organisation::Column::SetupTokenUsed.eq(false))
        .exec(&txn)
        .await
        .db()?;
    if consumed.rows_affected != 1 {
        return Err(StoreError::Conflict(
            "this setup link is not valid or has already been used".into(),
        ));
    }
    let member = set_up(&txn, name, admin, now).await?;
    txn.commit().await.db()?;
    Ok(member)
}
