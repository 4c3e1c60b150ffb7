//! Vendor reliability: how each vendor's promises to us ended, in one grouped query.
//!
//! Counted as customer promises are (see `promises::reliability`): an open vendor promise
//! past due is broken; the kept rate is of the decided ones (kept, renegotiated, broken).

use jiff::Timestamp;
use makegood_domain::{PromiseRecord, PromiseStatus, VendorId};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Order, Query, SelectStatement};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, QueryResult};

use super::VendorReliability;
use super::entities::vendor_promise;
use crate::convert::{name_of, to_db};
use crate::db::vendor;
use crate::error::DbResult;
use crate::{Result, Store, StoreError};

fn buckets(now: Timestamp) -> [(&'static str, Condition); 5] {
    let status = |s: PromiseStatus| vendor_promise::Column::Status.eq(name_of(&s));
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
        (
            "broken",
            Condition::any().add(status(PromiseStatus::Broken)).add(
                Condition::all()
                    .add(status(PromiseStatus::Open))
                    .add(vendor_promise::Column::DueAt.lt(now)),
            ),
        ),
        (
            "open",
            Condition::all()
                .add(status(PromiseStatus::Open))
                .add(vendor_promise::Column::DueAt.gte(now)),
        ),
    ]
}

/// `SELECT vendors.id, vendors.name, COUNT(CASE WHEN … THEN vendor_promises.id END) …`
fn query(only: Option<VendorId>, now: Timestamp) -> SelectStatement {
    let id = Expr::col((vendor::Entity, vendor::Column::Id));
    let name = Expr::col((vendor::Entity, vendor::Column::Name));
    let mut q = Query::select();
    q.from(vendor_promise::Entity)
        .inner_join(
            vendor::Entity,
            Expr::col((vendor::Entity, vendor::Column::Id))
                .equals((vendor_promise::Entity, vendor_promise::Column::VendorId)),
        )
        .expr_as(id.clone(), Alias::new("vendor_id"))
        .expr_as(name.clone(), Alias::new("vendor_name"));
    for (column, condition) in buckets(now) {
        let counted = Expr::case(
            condition,
            Expr::col((vendor_promise::Entity, vendor_promise::Column::Id)),
        );
        q.expr_as(Func::count(counted), Alias::new(column));
    }
    if let Some(v) = only {
        q.and_where(vendor_promise::Column::VendorId.eq(v.0));
    }
    q.add_group_by([id, name.clone()])
        .order_by_expr(name, Order::Asc)
        .order_by_expr(Expr::col(Alias::new("vendor_id")), Order::Asc);
    q.take()
}

fn count(row: &QueryResult, column: &str) -> Result<u64> {
    let n: i64 = row.try_get("", column).db()?;
    u64::try_from(n).map_err(|_| StoreError::Database(format!("negative count in {column}")))
}

fn reliability(row: &QueryResult) -> Result<VendorReliability> {
    Ok(VendorReliability {
        vendor: VendorId(row.try_get("", "vendor_id").db()?),
        name: row.try_get("", "vendor_name").db()?,
        record: PromiseRecord {
            kept: count(row, "kept")?,
            renegotiated: count(row, "renegotiated")?,
            broken: count(row, "broken")?,
            released: count(row, "released")?,
            open: count(row, "open")?,
        },
    })
}

pub(crate) async fn of(
    store: &Store,
    only: Option<VendorId>,
    now: Timestamp,
) -> Result<Vec<VendorReliability>> {
    let rows = store.db.query_all(&query(only, now)).await.db()?;
    rows.iter().map(reliability).collect()
}
