//! The customer-visible updates an account sees: those of every problem affecting it.

use std::collections::HashMap;

use makegood_domain::{EventId, ProblemId, ProblemNumber};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::AccountUpdate;
use crate::convert::{from_db, from_json};
use crate::cursor::{Cursor, Keyset, page};
use crate::db::{event, problem, problem_account};
use crate::error::DbResult;
use crate::{Page, PageRequest, Result};

const LIST: &str = "account_updates";
const UPDATE: &str = "update";

/// Rows of `events` as account updates (their problems' titles read in one query).
async fn to_updates<C: ConnectionTrait>(
    c: &C,
    rows: Vec<event::Model>,
) -> Result<Vec<AccountUpdate>> {
    let ids: Vec<i64> = rows.iter().filter_map(|r| r.problem_id).collect();
    let titles: HashMap<i64, String> = problem::Entity::find()
        .select_only()
        .column(problem::Column::Id)
        .column(problem::Column::Title)
        .filter(problem::Column::Id.is_in(ids))
        .into_tuple::<(i64, String)>()
        .all(c)
        .await
        .db()?
        .into_iter()
        .collect();
    rows.into_iter()
        .filter_map(|row| row.problem_id.map(|p| (p, row)))
        .map(|(p, row)| {
            let body = match from_json(&row.data)? {
                makegood_domain::EventKind::Update { body } => body,
                _ => String::new(),
            };
            Ok(AccountUpdate {
                event: EventId(row.id),
                problem: ProblemId(p),
                number: ProblemNumber(p),
                title: titles.get(&p).cloned().unwrap_or_default(),
                at: from_db(row.at)?,
                body,
            })
        })
        .collect()
}

/// The customer-visible updates of every problem affecting `account`, newest first.
pub(crate) async fn for_account<C: ConnectionTrait>(
    c: &C,
    account: i64,
    page_request: &PageRequest,
) -> Result<Page<AccountUpdate>> {
    let keyset = Keyset::of(page_request, LIST)?;
    let mut query = event::Entity::find()
        .filter(event::Column::Kind.eq(UPDATE))
        .filter(
            event::Column::ProblemId.in_subquery(
                Query::select()
                    .column(problem_account::Column::ProblemId)
                    .from(problem_account::Entity)
                    .and_where(problem_account::Column::AccountId.eq(account))
                    .take(),
            ),
        );
    if let Some(after) = &keyset.after {
        query = query.filter(event::Column::Id.lt(after.id));
    }
    let rows = query
        .order_by_desc(event::Column::Id)
        .limit(keyset.fetch())
        .all(c)
        .await
        .db()?;
    let (rows, next) = keyset.finish(rows, |r| Cursor::new(LIST, r.id));
    Ok(page(to_updates(c, rows).await?, next))
}

/// The latest customer-visible update of each of `problems` that has one.
pub(crate) async fn latest<C: ConnectionTrait>(
    c: &C,
    problems: &[ProblemId],
) -> Result<HashMap<ProblemId, AccountUpdate>> {
    if problems.is_empty() {
        return Ok(HashMap::new());
    }
    let last: Vec<i64> = event::Entity::find()
        .select_only()
        .column_as(Expr::col(event::Column::Id).max(), "id")
        .filter(event::Column::Kind.eq(UPDATE))
        .filter(event::Column::ProblemId.is_in(problems.iter().map(|p| p.0)))
        .group_by(event::Column::ProblemId)
        .into_tuple()
        .all(c)
        .await
        .db()?;
    let rows = event::Entity::find()
        .filter(event::Column::Id.is_in(last))
        .all(c)
        .await
        .db()?;
    Ok(to_updates(c, rows)
        .await?
        .into_iter()
        .map(|u| (u.problem, u))
        .collect())
}
