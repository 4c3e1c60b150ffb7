//! The account directory: accounts by name with a name search, each with its open problems.

use std::collections::HashMap;

use makegood_domain::{Account, Status};
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr, Query};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::accounts;
use crate::convert::name_of;
use crate::cursor::page;
use crate::db::{account, problem, problem_account};
use crate::error::DbResult;
use crate::{Page, PageRequest, Result, Store};

/// An account as the directory lists it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct AccountEntry {
    pub account: Account,
    /// Problems affecting it that are not closed.
    pub open_problems: u64,
    /// Its health as last computed; `None` before the first computation.
    pub health: Option<makegood_domain::health::Health>,
}

/// `text` as a `LIKE` pattern matching it anywhere, its wildcards taken literally.
pub(crate) fn contains(text: &str) -> LikeExpr {
    let mut pattern = String::from("%");
    for c in text.trim().to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    LikeExpr::new(pattern).escape('\\')
}

impl Store {
    /// Accounts by name (then id) whose name contains `name` (any case), with how many open
    /// problems affect each and its health: three queries, whatever the page size.
    pub async fn search_accounts(
        &self,
        name: Option<&str>,
        page_request: &PageRequest,
    ) -> Result<Page<AccountEntry>> {
        let mut query = account::Entity::find();
        if let Some(name) = name.filter(|n| !n.trim().is_empty()) {
            let lower = Func::lower(Expr::col((account::Entity, account::Column::Name)));
            query = query.filter(Expr::expr(lower).like(contains(name)));
        }
        let (rows, next) = accounts::by_name(self, query, page_request).await?;
        Ok(page(entries(self, rows).await?, next))
    }
}

/// Directory entries of `rows`: the open problems of each (one grouped query) and their
/// stored health.
pub(crate) async fn entries(store: &Store, rows: Vec<account::Model>) -> Result<Vec<AccountEntry>> {
    let ids: Vec<i64> = rows.iter().map(|a| a.id).collect();
    let mut open = Query::select();
    open.column((problem::Entity, problem::Column::Id))
        .from(problem::Entity)
        .and_where(problem::Column::Status.ne(name_of(&Status::Closed)));
    let counts: HashMap<i64, i64> = if ids.is_empty() {
        HashMap::new()
    } else {
        problem_account::Entity::find()
            .select_only()
            .column(problem_account::Column::AccountId)
            .column_as(
                Expr::expr(Func::count(Expr::col((
                    problem_account::Entity,
                    problem_account::Column::ProblemId,
                )))),
                "open_count",
            )
            .filter(problem_account::Column::AccountId.is_in(ids.clone()))
            .filter(problem_account::Column::ProblemId.in_subquery(open.take()))
            .group_by(problem_account::Column::AccountId)
            .into_tuple::<(i64, i64)>()
            .all(&store.db)
            .await
            .db()?
            .into_iter()
            .collect()
    };
    let health = crate::health::stored(&store.db, &ids).await?;
    let entries = rows
        .into_iter()
        .map(|a| AccountEntry {
            open_problems: counts
                .get(&a.id)
                .and_then(|n| u64::try_from(*n).ok())
                .unwrap_or(0),
            health: health.get(&a.id).copied(),
            account: accounts::to_account(a),
        })
        .collect();
    Ok(entries)
}
