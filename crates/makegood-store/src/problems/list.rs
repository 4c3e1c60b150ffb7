//! The problem list: filters on indexed, materialised columns and keyset pagination.
//!
//! The default order is the next deadline, earliest first, problems with nothing running
//! last (`NULLS LAST`), then id; `Severity` is worst first, then that order; `Newest` and
//! `Oldest` are creation time (then id) descending and ascending. Text search is in [`search`].

use jiff::Timestamp;
use makegood_domain::{ClockState, Severity, Status};
use sea_orm::sea_query::{CaseStatement, Expr, NullOrdering, Order, Query, SimpleExpr};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::{load, search};
use crate::clocks::Rules;
use crate::convert::{from_db, name_of, to_db};
use crate::cursor::{Cursor, Keyset, page};
use crate::db::{problem, problem_account};
use crate::error::DbResult;
use crate::{
    Page, PageRequest, ProblemFilter, ProblemSort, ProblemView, Result, Store, StoreError,
};

/// The condition for the worst running clock being `state` at `now`, from the materialised deadlines.
fn clock_condition(state: ClockState, now: Timestamp) -> Result<Condition> {
    let now = to_db(now);
    Ok(match state {
        ClockState::Breached => Condition::all().add(problem::Column::NextDueAt.lt(now)),
        ClockState::Warning => Condition::all()
            .add(problem::Column::NextWarnAt.lte(now))
            .add(problem::Column::NextDueAt.gte(now)),
        ClockState::Ok => Condition::all().add(problem::Column::NextWarnAt.gt(now)),
        other => {
            return Err(StoreError::invalid(
                "clock_state",
                format!(
                    "filtering by `{}` is not supported; use ok, warning or breached",
                    other.as_str()
                ),
            ));
        }
    })
}

fn filters(filter: &ProblemFilter, now: Timestamp) -> Result<Condition> {
    let mut c = Condition::all();
    if let Some(status) = filter.status {
        c = c.add(problem::Column::Status.eq(name_of(&status)));
    }
    match filter.open {
        Some(true) => c = c.add(problem::Column::Status.ne(name_of(&Status::Closed))),
        Some(false) => c = c.add(problem::Column::Status.eq(name_of(&Status::Closed))),
        None => {}
    }
    if let Some(owner) = filter.owner {
        c = c.add(problem::Column::OwnerId.eq(owner.0));
    }
    if let Some(severity) = filter.severity {
        c = c.add(problem::Column::Severity.eq(name_of(&severity)));
    }
    if let Some(origin) = filter.origin {
        c = c.add(problem::Column::Origin.eq(name_of(&origin)));
    }
    if let Some(account) = filter.account {
        c = c.add(
            problem::Column::Id.in_subquery(
                Query::select()
                    .column(problem_account::Column::ProblemId)
                    .from(problem_account::Entity)
                    .and_where(problem_account::Column::AccountId.eq(account.0))
                    .take(),
            ),
        );
    }
    if let Some(state) = filter.clock_state {
        c = c.add(clock_condition(state, now)?);
    }
    Ok(c)
}

/// Rows after `(due, id)` in next-deadline order (nulls last, then id).
fn after_deadline(due: Option<chrono::DateTime<chrono::Utc>>, id: i64) -> Condition {
    match due {
        Some(due) => Condition::any()
            .add(problem::Column::NextDueAt.gt(due))
            .add(
                Condition::all()
                    .add(problem::Column::NextDueAt.eq(due))
                    .add(problem::Column::Id.gt(id)),
            )
            .add(problem::Column::NextDueAt.is_null()),
        None => Condition::all()
            .add(problem::Column::NextDueAt.is_null())
            .add(problem::Column::Id.gt(id)),
    }
}

/// Rows after `(created, id)` in creation order, oldest first or newest first.
fn after_created(created: chrono::DateTime<chrono::Utc>, id: i64, oldest_first: bool) -> Condition {
    let (later, next_id) = if oldest_first {
        (
            problem::Column::CreatedAt.gt(created),
            problem::Column::Id.gt(id),
        )
    } else {
        (
            problem::Column::CreatedAt.lt(created),
            problem::Column::Id.lt(id),
        )
    };
    Condition::any().add(later).add(
        Condition::all()
            .add(problem::Column::CreatedAt.eq(created))
            .add(next_id),
    )
}

/// A severity's place in the severity order, worst first.
fn severity_rank(name: &str) -> Option<usize> {
    Severity::ALL.iter().position(|s| name_of(s) == name)
}

/// `CASE severity WHEN 'critical' THEN 0 …`: the severity order as a sortable expression.
fn severity_order() -> SimpleExpr {
    let mut case = CaseStatement::new();
    for (rank, severity) in Severity::ALL.iter().enumerate() {
        case = case.case(
            problem::Column::Severity.eq(name_of(severity)),
            Expr::val(i64::try_from(rank).unwrap_or(i64::MAX)),
        );
    }
    case.finally(Expr::val(i64::MAX)).into()
}

pub(crate) async fn list(
    store: &Store,
    filter: &ProblemFilter,
    page_request: &PageRequest,
    now: Timestamp,
) -> Result<Page<ProblemView>> {
    let list = match filter.sort {
        ProblemSort::NextDeadline => "problems",
        ProblemSort::Newest => "problems-newest",
        ProblemSort::Oldest => "problems-oldest",
        ProblemSort::Severity => "problems-severity",
    };
    let keyset = Keyset::of(page_request, list)?;
    let mut query = problem::Entity::find().filter(filters(filter, now)?);
    if let Some(text) = filter.text.as_deref()
        && let Some(matches) = search::condition(store.db.get_database_backend(), text)?
    {
        query = query.filter(matches);
    }
    let after = keyset.after.as_ref();
    query = match filter.sort {
        ProblemSort::NextDeadline => {
            if let Some(after) = after {
                let due = after.t.map(timestamp).transpose()?;
                query = query.filter(after_deadline(due, after.id));
            }
            query
                .order_by_with_nulls(problem::Column::NextDueAt, Order::Asc, NullOrdering::Last)
                .order_by_asc(problem::Column::Id)
        }
        ProblemSort::Severity => {
            if let Some(after) = after {
                let due = after.t.map(timestamp).transpose()?;
                let name = after.s.clone().unwrap_or_default();
                let rank = severity_rank(&name)
                    .ok_or_else(|| StoreError::invalid("cursor", "is not a cursor of this list"))?;
                let worse_later: Vec<String> =
                    Severity::ALL[rank + 1..].iter().map(name_of).collect();
                query = query.filter(
                    Condition::any()
                        .add(problem::Column::Severity.is_in(worse_later))
                        .add(
                            Condition::all()
                                .add(problem::Column::Severity.eq(name))
                                .add(after_deadline(due, after.id)),
                        ),
                );
            }
            query
                .order_by(severity_order(), Order::Asc)
                .order_by_with_nulls(problem::Column::NextDueAt, Order::Asc, NullOrdering::Last)
                .order_by_asc(problem::Column::Id)
        }
        ProblemSort::Newest | ProblemSort::Oldest => {
            let oldest = filter.sort == ProblemSort::Oldest;
            if let Some(after) = after {
                let created = timestamp(after.t.unwrap_or_default())?;
                query = query.filter(after_created(created, after.id, oldest));
            }
            if oldest {
                query
                    .order_by_asc(problem::Column::CreatedAt)
                    .order_by_asc(problem::Column::Id)
            } else {
                query
                    .order_by_desc(problem::Column::CreatedAt)
                    .order_by_desc(problem::Column::Id)
            }
        }
    };
    let txn = store.read().await?;
    let rows = query.limit(keyset.fetch()).all(&txn).await.db()?;
    let sort = filter.sort;
    let (rows, next) = keyset.finish(rows, |p| {
        let (t, s) = match sort {
            ProblemSort::NextDeadline => (p.next_due_at, None),
            ProblemSort::Severity => (p.next_due_at, Some(p.severity.clone())),
            ProblemSort::Newest | ProblemSort::Oldest => (Some(p.created_at), None),
        };
        Cursor {
            t: t.map(|t| t.timestamp_micros()),
            s,
            ..Cursor::new(list, p.id)
        }
    });
    let rules = Rules::load(&txn).await?;
    let views = load::views(&txn, &rows, &rules, now).await?;
    txn.commit().await.db()?;
    Ok(page(views, next))
}

/// A cursor's time key as a column value.
fn timestamp(micros: i64) -> Result<chrono::DateTime<chrono::Utc>> {
    let t = Timestamp::from_microsecond(micros)
        .map_err(|_| StoreError::invalid("cursor", "is not a cursor of this list"))?;
    from_db(to_db(t)).map(to_db)
}
