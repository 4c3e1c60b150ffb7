//! The accounts list by health: worst first (lowest score), then by name; accounts not yet
//! computed count as 100 until they are.

use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    Condition, EntityTrait, JoinType, Order, QueryFilter, QueryOrder, QuerySelect, RelationTrait,
};

use super::entities::account_health;
use crate::account_search::{AccountEntry, contains, entries};
use crate::cursor::{Cursor, Keyset, page};
use crate::db::account;
use crate::error::DbResult;
use crate::{Page, PageRequest, Result, Store};

/// The list (and sort) name of its cursors.
pub const HEALTH_SORT: &str = "accounts-by-health";

fn score() -> Expr {
    Func::coalesce([
        Expr::col((account_health::Entity, account_health::Column::Score)),
        Expr::val(100),
    ])
    .into()
}

impl Store {
    /// Like [`Store::search_accounts`], ordered worst health first (lowest score, then name,
    /// then id); the accounts writes made stale are recomputed first (at most 500 per call).
    pub async fn search_accounts_by_health(
        &self,
        name: Option<&str>,
        page_request: &PageRequest,
        now: jiff::Timestamp,
    ) -> Result<Page<AccountEntry>> {
        super::tick(self, now, 500).await?;
        let keyset = Keyset::of(page_request, HEALTH_SORT)?;
        let mut query = account::Entity::find()
            .join_rev(JoinType::LeftJoin, account_health::Relation::Account.def());
        if let Some(name) = name.filter(|n| !n.trim().is_empty()) {
            let lower = Func::lower(Expr::col((account::Entity, account::Column::Name)));
            query = query.filter(Expr::expr(lower).like(contains(name)));
        }
        if let Some(after) = &keyset.after {
            let t = after.t.unwrap_or(100);
            let s = after.s.clone().unwrap_or_default();
            query = query.filter(
                Condition::any()
                    .add(score().gt(t))
                    .add(
                        Condition::all()
                            .add(score().eq(t))
                            .add(Expr::col((account::Entity, account::Column::Name)).gt(s.clone())),
                    )
                    .add(
                        Condition::all()
                            .add(score().eq(t))
                            .add(Expr::col((account::Entity, account::Column::Name)).eq(s))
                            .add(Expr::col((account::Entity, account::Column::Id)).gt(after.id)),
                    ),
            );
        }
        let rows = query
            .order_by(score(), Order::Asc)
            .order_by_asc(account::Column::Name)
            .order_by_asc(account::Column::Id)
            .limit(keyset.fetch())
            .all(&self.db)
            .await
            .db()?;
        let list = entries(self, rows).await?;
        let (list, next) = keyset.finish(list, |e| Cursor {
            s: Some(e.account.name.clone()),
            t: Some(e.health.map_or(100, |h| i64::from(h.score))),
            ..Cursor::new(HEALTH_SORT, e.account.id.0)
        });
        Ok(page(list, next))
    }
}
