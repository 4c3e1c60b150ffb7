//! The promise list: by due time, then id; states at `now` from the indexed status and times.

use jiff::Timestamp;
use makegood_domain::PromiseStatus;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::views;
use crate::convert::{name_of, to_db};
use crate::cursor::{Cursor, Keyset, page};
use crate::db::{contact, problem_account, promise, promise_contact};
use crate::error::DbResult;
use crate::{
    Page, PageRequest, PromiseFilter, PromiseListState, PromiseView, Result, Store, StoreError,
    policies,
};

const LIST: &str = "promises";

fn status(s: PromiseStatus) -> String {
    name_of(&s)
}

fn state_condition(state: PromiseListState, now: Timestamp) -> Condition {
    let now = to_db(now);
    let open = || promise::Column::Status.eq(status(PromiseStatus::Open));
    match state {
        PromiseListState::Open => Condition::all()
            .add(open())
            .add(promise::Column::DueAt.gte(now)),
        PromiseListState::AtRisk => Condition::all()
            .add(open())
            .add(promise::Column::WarnAt.lte(now))
            .add(promise::Column::DueAt.gte(now)),
        PromiseListState::Broken => Condition::any()
            .add(promise::Column::Status.eq(status(PromiseStatus::Broken)))
            .add(
                Condition::all()
                    .add(open())
                    .add(promise::Column::DueAt.lt(now)),
            ),
        PromiseListState::Kept => {
            Condition::all().add(promise::Column::Status.eq(status(PromiseStatus::Kept)))
        }
        PromiseListState::Renegotiated => {
            Condition::all().add(promise::Column::Status.eq(status(PromiseStatus::Renegotiated)))
        }
        PromiseListState::Released => {
            Condition::all().add(promise::Column::Status.eq(status(PromiseStatus::Released)))
        }
    }
}

fn filters(filter: &PromiseFilter, now: Timestamp) -> Condition {
    let mut c = Condition::all();
    if let Some(state) = filter.state {
        c = c.add(state_condition(state, now));
    }
    if let Some(member) = filter.made_by {
        c = c.add(promise::Column::MadeBy.eq(member.0));
    }
    if let Some(problem) = filter.problem {
        c = c.add(promise::Column::ProblemId.eq(problem.0));
    }
    if let Some(before) = filter.due_before {
        c = c.add(promise::Column::DueAt.lt(to_db(before)));
    }
    if let Some(account) = filter.account {
        // Made to a contact of the account, or about a problem affecting it.
        let via_contacts = Query::select()
            .column((promise_contact::Entity, promise_contact::Column::PromiseId))
            .from(promise_contact::Entity)
            .inner_join(
                contact::Entity,
                Expr::col((contact::Entity, contact::Column::Id))
                    .equals((promise_contact::Entity, promise_contact::Column::ContactId)),
            )
            .and_where(contact::Column::AccountId.eq(account.0))
            .take();
        let via_problems = Query::select()
            .column(problem_account::Column::ProblemId)
            .from(problem_account::Entity)
            .and_where(problem_account::Column::AccountId.eq(account.0))
            .take();
        c = c.add(
            Condition::any()
                .add(promise::Column::Id.in_subquery(via_contacts))
                .add(promise::Column::ProblemId.in_subquery(via_problems)),
        );
    }
    c
}

pub(crate) async fn list(
    store: &Store,
    filter: &PromiseFilter,
    page_request: &PageRequest,
    now: Timestamp,
) -> Result<Page<PromiseView>> {
    let keyset = Keyset::of(page_request, LIST)?;
    let mut query = promise::Entity::find().filter(filters(filter, now));
    if let Some(after) = &keyset.after {
        let due = after
            .t
            .and_then(|t| Timestamp::from_microsecond(t).ok())
            .map(to_db)
            .ok_or_else(|| StoreError::invalid("cursor", "is not a cursor of this list"))?;
        query = query.filter(
            Condition::any().add(promise::Column::DueAt.gt(due)).add(
                Condition::all()
                    .add(promise::Column::DueAt.eq(due))
                    .add(promise::Column::Id.gt(after.id)),
            ),
        );
    }
    let txn = store.read().await?;
    let rows = query
        .order_by_asc(promise::Column::DueAt)
        .order_by_asc(promise::Column::Id)
        .limit(keyset.fetch())
        .all(&txn)
        .await
        .db()?;
    let (rows, next) = keyset.finish(rows, |p| Cursor {
        t: Some(p.due_at.timestamp_micros()),
        ..Cursor::new(LIST, p.id)
    });
    let policies = policies::load(&txn).await?;
    let views = views(&txn, &rows, &policies, now).await?;
    txn.commit().await.db()?;
    Ok(page(views, next))
}
