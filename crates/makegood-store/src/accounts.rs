//! Accounts: customer organisations, optionally located under a parent (franchise network).

use makegood_domain::text::limits;
use makegood_domain::{Account, AccountId};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel,
    NotSet, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select,
};

use crate::cursor::{Cursor, Keyset, after_name, page};
use crate::db::{account, contact, problem_account};
use crate::error::DbResult;
use crate::validate::{optional_field, text};
use crate::{AccountPatch, NewAccount, Page, PageRequest, Result, Store, StoreError};

const LIST: &str = "accounts";
/// How deep a chain of parents may go; also stops a walk through a corrupted cycle.
const MAX_DEPTH: usize = 32;

pub(crate) fn to_account(a: account::Model) -> Account {
    Account {
        id: AccountId(a.id),
        name: a.name,
        parent: a.parent_id.map(AccountId),
        tier: a.tier,
        owner: a.owner_id.map(makegood_domain::MemberId),
    }
}

async fn find<C: ConnectionTrait>(c: &C, id: i64) -> Result<Option<account::Model>> {
    account::Entity::find_by_id(id).one(c).await.db()
}

/// Checks that `parent` exists and that `child` (if already stored) is not among its ancestors.
async fn check_parent<C: ConnectionTrait>(
    c: &C,
    child: Option<i64>,
    parent: AccountId,
) -> Result<()> {
    let mut next = Some(parent.0);
    for _ in 0..MAX_DEPTH {
        let Some(id) = next else { return Ok(()) };
        if Some(id) == child {
            return Err(StoreError::invalid(
                "parent",
                "an account cannot be located under itself",
            ));
        }
        let Some(a) = find(c, id).await? else {
            return Err(StoreError::invalid(
                "parent",
                format!("account {id} does not exist"),
            ));
        };
        next = a.parent_id;
    }
    Err(StoreError::invalid(
        "parent",
        format!("accounts nest at most {MAX_DEPTH} levels deep"),
    ))
}

pub(crate) async fn create(store: &Store, new: NewAccount) -> Result<Account> {
    let name = text("name", &new.name, limits::ORGANISATION_NAME)?;
    let tier = optional_field("tier", new.tier.as_deref(), 40)?;
    let txn = store.write().await?;
    if let Some(parent) = new.parent {
        check_parent(&txn, None, parent).await?;
    }
    let row = account::ActiveModel {
        id: NotSet,
        name: Set(name),
        parent_id: Set(new.parent.map(|p| p.0)),
        tier: Set(tier),
        owner_id: Set(None),
    }
    .insert(&txn)
    .await
    .db()?;
    crate::health::mark(&txn, &[row.id]).await?;
    txn.commit().await.db()?;
    Ok(to_account(row))
}

pub(crate) async fn get(store: &Store, id: AccountId) -> Result<Account> {
    find(&store.db, id.0)
        .await?
        .map(to_account)
        .ok_or(StoreError::not_found("account"))
}

pub(crate) async fn list(
    store: &Store,
    parent: Option<AccountId>,
    page_request: &PageRequest,
) -> Result<Page<Account>> {
    let mut query = account::Entity::find();
    if let Some(parent) = parent {
        query = query.filter(account::Column::ParentId.eq(parent.0));
    }
    let (rows, next) = by_name(store, query, page_request).await?;
    Ok(page(rows.into_iter().map(to_account).collect(), next))
}

/// One keyset page of the accounts `query` selects, by name then id, and the next cursor.
pub(crate) async fn by_name(
    store: &Store,
    mut query: Select<account::Entity>,
    page_request: &PageRequest,
) -> Result<(Vec<account::Model>, Option<String>)> {
    let keyset = Keyset::of(page_request, LIST)?;
    if let Some(after) = &keyset.after {
        query = query.filter(after_name(
            account::Column::Name,
            account::Column::Id,
            after,
        ));
    }
    let rows = query
        .order_by_asc(account::Column::Name)
        .order_by_asc(account::Column::Id)
        .limit(keyset.fetch())
        .all(&store.db)
        .await
        .db()?;
    Ok(keyset.finish(rows, |a| Cursor {
        s: Some(a.name.clone()),
        ..Cursor::new(LIST, a.id)
    }))
}

pub(crate) async fn update(store: &Store, id: AccountId, patch: AccountPatch) -> Result<Account> {
    let txn = store.write().await?;
    let current = find(&txn, id.0)
        .await?
        .ok_or(StoreError::not_found("account"))?;
    let mut row = current.into_active_model();
    if let Some(name) = &patch.name {
        row.name = Set(text("name", name, limits::ORGANISATION_NAME)?);
    }
    if let Some(parent) = patch.parent {
        if let Some(parent) = parent {
            check_parent(&txn, Some(id.0), parent).await?;
        }
        row.parent_id = Set(parent.map(|p| p.0));
    }
    if let Some(tier) = &patch.tier {
        row.tier = Set(optional_field("tier", tier.as_deref(), 40)?);
    }
    if let Some(owner) = patch.owner {
        if let Some(owner) = owner {
            crate::validate::owner(&txn, "owner", owner).await?;
        }
        row.owner_id = Set(owner.map(|o| o.0));
    }
    let saved = if row.is_changed() {
        row.update(&txn).await.db()?
    } else {
        find(&txn, id.0)
            .await?
            .ok_or(StoreError::not_found("account"))?
    };
    txn.commit().await.db()?;
    Ok(to_account(saved))
}

pub(crate) async fn delete(store: &Store, id: AccountId) -> Result<()> {
    let txn = store.write().await?;
    find(&txn, id.0)
        .await?
        .ok_or(StoreError::not_found("account"))?;
    let in_use = |what: &str| {
        StoreError::Conflict(format!(
            "account {id} still has {what}; it cannot be deleted"
        ))
    };
    if account::Entity::find()
        .filter(account::Column::ParentId.eq(id.0))
        .count(&txn)
        .await
        .db()?
        > 0
    {
        return Err(in_use("locations"));
    }
    if contact::Entity::find()
        .filter(contact::Column::AccountId.eq(id.0))
        .count(&txn)
        .await
        .db()?
        > 0
    {
        return Err(in_use("contacts"));
    }
    if problem_account::Entity::find()
        .filter(problem_account::Column::AccountId.eq(id.0))
        .count(&txn)
        .await
        .db()?
        > 0
    {
        return Err(in_use("problems"));
    }
    crate::health::forget(&txn, id.0).await?;
    account::Entity::delete_by_id(id.0).exec(&txn).await.db()?;
    txn.commit().await.db()
}
