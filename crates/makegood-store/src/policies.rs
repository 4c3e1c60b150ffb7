//! Policies: one JSON row, seeded with the defaults by the migrations; changing them
//! recomputes the materialised deadlines and timers of every problem not closed and every
//! open promise.

use makegood_domain::Policies;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::Expr,
};

use crate::clocks::Rules;
use crate::convert::{from_json, to_json};
use crate::db::{policy, problem, promise};
use crate::error::DbResult;
use crate::{Result, Store, StoreError, problems, promises, timers};

const ROW: i64 = 1;
/// How many rows a recomputation loads at a time.
const BATCH: u64 = 200;

/// The current policies (the defaults if the row is somehow missing).
pub(crate) async fn load<C: ConnectionTrait>(c: &C) -> Result<Policies> {
    match policy::Entity::find_by_id(ROW).one(c).await.db()? {
        Some(row) => from_json(&row.data),
        None => Ok(Policies::default()),
    }
}

pub(crate) async fn get(store: &Store) -> Result<Policies> {
    load(&store.db).await
}

pub(crate) async fn set(store: &Store, policies: &Policies) -> Result<Policies> {
    policies
        .validate()
        .map_err(|e| StoreError::invalid(e.field, e.message))?;
    let data = to_json(policies)?;
    let txn = store.write().await?;
    // Each calendar a policy names must exist (checked in the transaction that stores them).
    for (name, policy) in [
        ("critical", &policies.critical),
        ("major", &policies.major),
        ("minor", &policies.minor),
    ] {
        if let Some(id) = policy.calendar
            && crate::calendars::spec(&txn, id).await?.is_none()
        {
            let message = format!("calendar {id} does not exist");
            return Err(StoreError::invalid(format!("{name}.calendar"), message));
        }
    }
    let updated = policy::Entity::update_many()
        .col_expr(policy::Column::Data, Expr::value(data.clone()))
        .filter(policy::Column::Id.eq(ROW))
        .exec(&txn)
        .await
        .db()?;
    if updated.rows_affected == 0 {
        policy::Entity::insert(policy::ActiveModel {
            id: sea_orm::Set(ROW),
            data: sea_orm::Set(data),
        })
        .exec(&txn)
        .await
        .db()?;
    }
    recompute(&txn, policies).await?;
    txn.commit().await.db()?;
    Ok(policies.clone())
}

/// Recomputes, under `policies` and the calendars as stored now, the next deadlines and the
/// pending timers of every problem not closed and the warning time and timers of every open
/// promise, in batches by id. Called after the policies or a calendar changed, in that
/// change's transaction.
pub(crate) async fn recompute<C: ConnectionTrait>(c: &C, policies: &Policies) -> Result<()> {
    let rules = Rules::with(c, policies.clone()).await?;
    let mut after = 0;
    loop {
        let rows = problem::Entity::find()
            .filter(problem::Column::Status.ne("closed"))
            .filter(problem::Column::Id.gt(after))
            .order_by_asc(problem::Column::Id)
            .limit(BATCH)
            .all(c)
            .await
            .db()?;
        let Some(last) = rows.last() else { break };
        after = last.id;
        problems::load::refresh_deadlines(c, &rows, &rules).await?;
    }
    let mut after = 0;
    loop {
        let rows = promise::Entity::find()
            .filter(promise::Column::Status.eq("open"))
            .filter(promise::Column::Id.gt(after))
            .order_by_asc(promise::Column::Id)
            .limit(BATCH)
            .all(c)
            .await
            .db()?;
        let Some(last) = rows.last() else { break };
        after = last.id;
        for mut row in rows {
            let warn_at = promises::warn_at(
                crate::convert::from_db(row.made_at)?,
                crate::convert::from_db(row.due_at)?,
                policies,
            );
            promise::Entity::update_many()
                .col_expr(
                    promise::Column::WarnAt,
                    Expr::value(crate::convert::to_db(warn_at)),
                )
                .filter(promise::Column::Id.eq(row.id))
                .exec(c)
                .await
                .db()?;
            row.warn_at = crate::convert::to_db(warn_at);
            timers::sync_promise(c, &row).await?;
        }
    }
    Ok(())
}
