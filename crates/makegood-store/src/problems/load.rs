//! Loading problems with their links and folded state, and turning them into views.

use std::collections::HashMap;

use jiff::Timestamp;
use makegood_domain::clock::NextDeadlines;
use makegood_domain::{
    AccountId, Clock, ContactId, EventKind, MemberId, Problem, ProblemId, ProblemNumber,
    ProblemState, Severity, VendorId,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::Expr,
};

use crate::clocks::Rules;
use crate::convert::{from_db, from_json, parse_name, to_db_opt};
use crate::db::{event, problem, problem_account, problem_stakeholder};
use crate::error::DbResult;
use crate::{ProblemView, Result, StoreError, timers};

/// The event kinds that change a problem's state; the others fold to no-ops.
pub(crate) const STATE_EVENTS: [&str; 10] = [
    "update",
    "waiting",
    "resumed",
    "fixed",
    "confirmed",
    "closed",
    "reopened",
    // What the customer said (and the call it may ask for) folds into the state too.
    "customer_replied",
    "customer_called",
    "survey_answered",
];

/// The problem row `id`, locked for update when `lock` (a no-op on SQLite, whose write
/// transactions are exclusive anyway).
pub(crate) async fn row<C: ConnectionTrait>(
    c: &C,
    id: ProblemId,
    lock: bool,
) -> Result<problem::Model> {
    let mut query = problem::Entity::find_by_id(id.0);
    if lock {
        query = query.lock_exclusive();
    }
    query
        .one(c)
        .await
        .db()?
        .ok_or(StoreError::not_found("problem"))
}

/// When the latest event on problem `id` happened, if it has any.
pub(crate) async fn last_event_at<C: ConnectionTrait>(c: &C, id: i64) -> Result<Option<Timestamp>> {
    let last = event::Entity::find()
        .filter(event::Column::ProblemId.eq(id))
        .order_by_desc(event::Column::Id)
        .one(c)
        .await
        .db()?;
    last.map(|e| from_db(e.at)).transpose()
}

/// The folded state of each problem in `ids`.
pub(crate) async fn states<C: ConnectionTrait>(
    c: &C,
    ids: &[i64],
) -> Result<HashMap<i64, ProblemState>> {
    let mut states: HashMap<i64, ProblemState> =
        ids.iter().map(|id| (*id, ProblemState::new())).collect();
    if ids.is_empty() {
        return Ok(states);
    }
    let rows = event::Entity::find()
        .filter(event::Column::ProblemId.is_in(ids.to_vec()))
        .filter(event::Column::Kind.is_in(STATE_EVENTS))
        .order_by_asc(event::Column::ProblemId)
        .order_by_asc(event::Column::Id)
        .all(c)
        .await
        .db()?;
    for row in rows {
        let Some(problem) = row.problem_id else {
            continue;
        };
        let kind: EventKind = from_json(&row.data)?;
        states
            .entry(problem)
            .or_default()
            .apply(from_db(row.at)?, &kind)
            .map_err(|e| {
                StoreError::Database(format!(
                    "the timeline of problem {problem} does not fold: {e}"
                ))
            })?;
    }
    Ok(states)
}

/// The accounts and stakeholders of each problem in `ids`, in order.
pub(crate) async fn links<C: ConnectionTrait>(
    c: &C,
    ids: &[i64],
) -> Result<(HashMap<i64, Vec<AccountId>>, HashMap<i64, Vec<ContactId>>)> {
    let mut accounts: HashMap<i64, Vec<AccountId>> = HashMap::new();
    let mut stakeholders: HashMap<i64, Vec<ContactId>> = HashMap::new();
    if ids.is_empty() {
        return Ok((accounts, stakeholders));
    }
    for a in problem_account::Entity::find()
        .filter(problem_account::Column::ProblemId.is_in(ids.to_vec()))
        .order_by_asc(problem_account::Column::ProblemId)
        .order_by_asc(problem_account::Column::Position)
        .all(c)
        .await
        .db()?
    {
        accounts
            .entry(a.problem_id)
            .or_default()
            .push(AccountId(a.account_id));
    }
    for s in problem_stakeholder::Entity::find()
        .filter(problem_stakeholder::Column::ProblemId.is_in(ids.to_vec()))
        .order_by_asc(problem_stakeholder::Column::ProblemId)
        .order_by_asc(problem_stakeholder::Column::Position)
        .all(c)
        .await
        .db()?
    {
        stakeholders
            .entry(s.problem_id)
            .or_default()
            .push(ContactId(s.contact_id));
    }
    Ok((accounts, stakeholders))
}

/// A stored problem as a domain problem.
pub(crate) fn to_problem(
    row: &problem::Model,
    accounts: Vec<AccountId>,
    stakeholders: Vec<ContactId>,
) -> Result<Problem> {
    Ok(Problem {
        id: ProblemId(row.id),
        number: ProblemNumber(row.id),
        title: row.title.clone(),
        description: row.description.clone(),
        origin: parse_name(&row.origin)?,
        vendor: row.vendor_id.map(VendorId),
        severity: parse_name(&row.severity)?,
        category: row.category.clone(),
        owner: MemberId(row.owner_id),
        accounts,
        stakeholders,
        all_stakeholders: row.all_stakeholders,
        detected_at: from_db(row.detected_at)?,
        created_at: from_db(row.created_at)?,
        status: parse_name(&row.status)?,
        outcome: row.outcome.as_deref().map(parse_name).transpose()?,
        version: row.version,
    })
}

/// The clocks of a problem at `now`.
pub(crate) fn clocks(
    problem: &Problem,
    state: &ProblemState,
    rules: &Rules,
    now: Timestamp,
) -> Vec<Clock> {
    rules.problem_clocks(state, problem.detected_at, problem.severity, now)
}

/// The earliest warning and due times of problem `id`'s running clocks, with its pending
/// timers brought in line with them (in the caller's transaction).
pub(crate) async fn schedule<C: ConnectionTrait>(
    c: &C,
    id: i64,
    state: &ProblemState,
    detected_at: Timestamp,
    severity: Severity,
    rules: &Rules,
) -> Result<NextDeadlines> {
    // Due and warning times do not depend on `now`, so any instant will do.
    let clocks = rules.problem_clocks(state, detected_at, severity, detected_at);
    timers::sync_problem(c, id, &clocks).await?;
    Ok(NextDeadlines::of(&clocks))
}

/// A problem with its clocks at `now`.
pub(crate) fn view(
    problem: Problem,
    state: &ProblemState,
    rules: &Rules,
    now: Timestamp,
) -> ProblemView {
    let clocks = clocks(&problem, state, rules, now);
    let clock_state = clocks
        .iter()
        .map(|c| c.state)
        .filter(|s| s.is_running())
        .min();
    ProblemView {
        problem,
        clocks,
        clock_state,
        recurrences: Vec::new(),
        customer_upset: state.customer_upset,
    }
}

/// Views of `rows`, in their order, with links and states loaded in two batches.
pub(crate) async fn views<C: ConnectionTrait>(
    c: &C,
    rows: &[problem::Model],
    rules: &Rules,
    now: Timestamp,
) -> Result<Vec<ProblemView>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let (mut accounts, mut stakeholders) = links(c, &ids).await?;
    let states = states(c, &ids).await?;
    let mut recurrences = crate::preventions::recurrence::of_problems(c, &ids).await?;
    rows.iter()
        .map(|row| {
            let problem = to_problem(
                row,
                accounts.remove(&row.id).unwrap_or_default(),
                stakeholders.remove(&row.id).unwrap_or_default(),
            )?;
            let state = states.get(&row.id).cloned().unwrap_or_default();
            let mut v = view(problem, &state, rules, now);
            v.recurrences = recurrences.remove(&row.id).unwrap_or_default();
            Ok(v)
        })
        .collect()
}

/// Rewrites the materialised next deadlines and the pending timers of `rows` under `rules`
/// (no version change: the problem itself did not change, only the rules its clocks follow).
pub(crate) async fn refresh_deadlines<C: ConnectionTrait>(
    c: &C,
    rows: &[problem::Model],
    rules: &Rules,
) -> Result<()> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let states = states(c, &ids).await?;
    for row in rows {
        let state = states.get(&row.id).cloned().unwrap_or_default();
        let next = schedule(
            c,
            row.id,
            &state,
            from_db(row.detected_at)?,
            parse_name(&row.severity)?,
            rules,
        )
        .await?;
        problem::Entity::update_many()
            .col_expr(
                problem::Column::NextWarnAt,
                Expr::value(to_db_opt(next.warn_at)),
            )
            .col_expr(
                problem::Column::NextDueAt,
                Expr::value(to_db_opt(next.due_at)),
            )
            .filter(problem::Column::Id.eq(row.id))
            .exec(c)
            .await
            .db()?;
    }
    Ok(())
}
