//! Promise reliability per member or per account: how their promises ended, in one grouped query.

use jiff::Timestamp;
use makegood_domain::{PromiseRecord, PromiseStatus};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Order, Query, SelectStatement};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, QueryResult};

use crate::convert::{name_of, to_db};
use crate::db::{account, contact, member, promise, promise_contact};
use crate::error::DbResult;
use crate::{Result, Store, StoreError};

/// Whose promises to count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReliabilityBy {
    /// By the member who made them.
    Member,
    /// By the accounts of the contacts they were made to (a promise to two contacts of one
    /// account counts once for it).
    Account,
}

/// The promise record of one member or account.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Reliability {
    /// The member's or the account's id.
    pub id: i64,
    pub name: String,
    pub record: PromiseRecord,
}

/// The columns counted, each a condition on the promise at `now`.
fn buckets(now: Timestamp) -> [(&'static str, Condition); 5] {
    let status = |s: PromiseStatus| promise::Column::Status.eq(name_of(&s));
    let now = to_db(now);
    [
        ("kept", Condition::all().add(status(PromiseStatus::Kept))),
        (
            "renegotiated",
            Condition::all().add(status(PromiseStatus::Renegotiated)),
        ),
        (
            "released",
            Condition::all().add(status(PromiseStatus::Released)),
        ),
        // An open promise already past due is broken, as the list counts it.
        (
            "broken",
            Condition::any().add(status(PromiseStatus::Broken)).add(
                Condition::all()
                    .add(status(PromiseStatus::Open))
                    .add(promise::Column::DueAt.lt(now)),
            ),
        ),
        (
            "open",
            Condition::all()
                .add(status(PromiseStatus::Open))
                .add(promise::Column::DueAt.gte(now)),
        ),
    ]
}

/// `SELECT subject.id, subject.name, COUNT(DISTINCT CASE WHEN … THEN promises.id END) …`
fn query(by: ReliabilityBy, since: Option<Timestamp>, now: Timestamp) -> SelectStatement {
    let mut q = Query::select();
    let (id, name) = match by {
        ReliabilityBy::Member => {
            q.from(promise::Entity).inner_join(
                member::Entity,
                Expr::col((member::Entity, member::Column::Id))
                    .equals((promise::Entity, promise::Column::MadeBy)),
            );
            (
                Expr::col((member::Entity, member::Column::Id)),
                Expr::col((member::Entity, member::Column::Name)),
            )
        }
        ReliabilityBy::Account => {
            q.from(promise::Entity)
                .inner_join(
                    promise_contact::Entity,
                    Expr::col((promise_contact::Entity, promise_contact::Column::PromiseId))
                        .equals((promise::Entity, promise::Column::Id)),
                )
                .inner_join(
                    contact::Entity,
                    Expr::col((contact::Entity, contact::Column::Id))
                        .equals((promise_contact::Entity, promise_contact::Column::ContactId)),
                )
                .inner_join(
                    account::Entity,
                    Expr::col((account::Entity, account::Column::Id))
                        .equals((contact::Entity, contact::Column::AccountId)),
                );
            (
                Expr::col((account::Entity, account::Column::Id)),
                Expr::col((account::Entity, account::Column::Name)),
            )
        }
    };
    q.expr_as(id.clone(), Alias::new("subject_id"))
        .expr_as(name.clone(), Alias::new("subject_name"));
    for (column, condition) in buckets(now) {
        let counted = Expr::case(condition, Expr::col((promise::Entity, promise::Column::Id)));
        q.expr_as(Func::count_distinct(counted), Alias::new(column));
    }
    if let Some(since) = since {
        q.and_where(promise::Column::DueAt.gte(to_db(since)));
    }
    q.add_group_by([id, name.clone()])
        .order_by_expr(name, Order::Asc)
        .order_by_expr(Expr::col(Alias::new("subject_id")), Order::Asc);
    q.take()
}

fn count(row: &QueryResult, column: &str) -> Result<u64> {
    let n: i64 = row.try_get("", column).db()?;
    u64::try_from(n).map_err(|_| StoreError::Database(format!("negative count in {column}")))
}

fn reliability(row: &QueryResult) -> Result<Reliability> {
    Ok(Reliability {
        id: row.try_get("", "subject_id").db()?,
        name: row.try_get("", "subject_name").db()?,
        record: PromiseRecord {
            kept: count(row, "kept")?,
            renegotiated: count(row, "renegotiated")?,
            broken: count(row, "broken")?,
            released: count(row, "released")?,
            open: count(row, "open")?,
        },
    })
}

impl Store {
    /// The promise record of every member (or account) with a promise due since `since`
    /// (all promises when `None`), counted at `now`, ordered by name. One grouped query.
    pub async fn promise_reliability(
        &self,
        by: ReliabilityBy,
        since: Option<Timestamp>,
        now: Timestamp,
    ) -> Result<Vec<Reliability>> {
        let rows = self.db.query_all(&query(by, since, now)).await.db()?;
        rows.iter().map(reliability).collect()
    }
}
