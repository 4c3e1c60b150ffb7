//! Who a problem reaches: its accounts with their locations, its stakeholders (listed, or
//! every contact of every affected account), and batched inserts within the bind limits.

use std::collections::HashMap;

use makegood_domain::ContactId;
use sea_orm::sea_query::Query;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::db::{account, contact, problem_account, problem_stakeholder};
use crate::error::DbResult;
use crate::validate;
use crate::{Result, StoreError};

/// Bound parameters per statement: below SQLite's 32,766 and PostgreSQL's 65,535.
const MAX_BINDS: usize = 30_000;

/// Inserts `rows` (each binding `columns` values) in as few statements as the limits allow.
pub(crate) async fn insert_chunked<C, A>(c: &C, rows: Vec<A>, columns: usize) -> Result<u64>
where
    C: ConnectionTrait,
    A: ActiveModelTrait + Send,
{
    let per = (MAX_BINDS / columns.max(1)).max(1);
    let mut rows = rows;
    let mut written = 0;
    while !rows.is_empty() {
        let rest = rows.split_off(per.min(rows.len()));
        let chunk = std::mem::replace(&mut rows, rest);
        written += A::Entity::insert_many(chunk)
            .exec_without_returning(c)
            .await
            .db()?;
    }
    Ok(written)
}

/// `ids` then, when `include_locations`, every account below them (locations, and theirs),
/// level by level, each level by name then id; no account twice.
pub(crate) async fn with_locations<C: ConnectionTrait>(
    c: &C,
    ids: Vec<i64>,
    include_locations: bool,
) -> Result<Vec<i64>> {
    if !include_locations {
        return Ok(ids);
    }
    let mut all = ids.clone();
    let mut seen: std::collections::HashSet<i64> = ids.iter().copied().collect();
    let mut level = ids;
    while !level.is_empty() {
        let mut next = Vec::new();
        for parents in level.chunks(MAX_BINDS) {
            let mut children = account::Entity::find()
                .filter(account::Column::ParentId.is_in(parents.to_vec()))
                .all(c)
                .await
                .db()?;
            children.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
            next.extend(
                children
                    .into_iter()
                    .map(|a| a.id)
                    .filter(|id| seen.insert(*id)),
            );
        }
        all.extend_from_slice(&next);
        level = next;
    }
    Ok(all)
}

/// The listed stakeholders of a write: none when every contact is to be told (naming both
/// is refused), else `listed`, each a contact of one of `accounts`.
pub(crate) async fn listed<C: ConnectionTrait>(
    c: &C,
    all_stakeholders: bool,
    listed: &[ContactId],
    accounts: &[i64],
) -> Result<Vec<i64>> {
    if all_stakeholders {
        if !listed.is_empty() {
            return Err(StoreError::invalid(
                "stakeholders",
                "leave stakeholders empty when all_stakeholders is true: every contact of every affected account is then told",
            ));
        }
        return Ok(Vec::new());
    }
    validate::contacts(c, "stakeholders", listed, Some(accounts)).await
}

/// The contacts of `accounts`, in the accounts' order, each account's by id.
pub(crate) async fn contacts_of<C: ConnectionTrait>(
    c: &C,
    accounts: &[i64],
) -> Result<Vec<contact::Model>> {
    let order: HashMap<i64, usize> = accounts.iter().zip(0..).map(|(a, i)| (*a, i)).collect();
    let mut found = Vec::new();
    for chunk in accounts.chunks(MAX_BINDS) {
        found.extend(
            contact::Entity::find()
                .filter(contact::Column::AccountId.is_in(chunk.to_vec()))
                .all(c)
                .await
                .db()?,
        );
    }
    found.sort_by_key(|x| (order.get(&x.account_id).copied(), x.id));
    Ok(found)
}

/// The affected accounts of problem `id`, primary first.
pub(crate) async fn accounts_of<C: ConnectionTrait>(c: &C, id: i64) -> Result<Vec<i64>> {
    let mut rows = problem_account::Entity::find()
        .filter(problem_account::Column::ProblemId.eq(id))
        .all(c)
        .await
        .db()?;
    rows.sort_by_key(|r| r.position);
    Ok(rows.into_iter().map(|r| r.account_id).collect())
}

/// The stakeholders of problem `id` as they are now, in order: every contact of every
/// affected account when `all`, else the listed ones.
pub(crate) async fn stakeholders_of<C: ConnectionTrait>(
    c: &C,
    id: i64,
    all: bool,
) -> Result<Vec<contact::Model>> {
    if all {
        let accounts = accounts_of(c, id).await?;
        return contacts_of(c, &accounts).await;
    }
    let links = problem_stakeholder::Entity::find()
        .filter(problem_stakeholder::Column::ProblemId.eq(id))
        .all(c)
        .await
        .db()?;
    let order: HashMap<i64, i32> = links.iter().map(|l| (l.contact_id, l.position)).collect();
    let mut found = contact::Entity::find()
        .filter(
            contact::Column::Id.in_subquery(
                Query::select()
                    .column(problem_stakeholder::Column::ContactId)
                    .from(problem_stakeholder::Entity)
                    .and_where(problem_stakeholder::Column::ProblemId.eq(id))
                    .take(),
            ),
        )
        .all(c)
        .await
        .db()?;
    found.sort_by_key(|x| order.get(&x.id).copied());
    Ok(found)
}
