//! Recurrence: a problem like an earlier one for a shared account (same category, or the same
//! cause category of a prevention) within the organisation's window is flagged as recurring —
//! a `RecurrenceFlagged` event and a row linking it to the earlier problem and its prevention.

use std::collections::HashMap;

use jiff::{SignedDuration, Timestamp};
use makegood_domain::prevention::{Occurrence, PastProblem, is_recurring};
use makegood_domain::{AccountId, EventKind, PreventionId, ProblemId, ProblemNumber};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, NotSet,
    QueryFilter, QueryOrder,
};

use super::Recurrence;
use super::entities::{organisation_setting, prevention, recurrence};
use crate::convert::{from_db, to_db};
use crate::db::{problem, problem_account};
use crate::error::DbResult;
use crate::problems::{append, load as problem_load};
use crate::{Result, Store, StoreError};

/// The recurrence window when none is set.
pub const DEFAULT_WINDOW_DAYS: i64 = 90;
/// The longest recurrence window: ten years.
pub const MAX_WINDOW_DAYS: i64 = 3_650;

/// The organisation's recurrence window in days.
pub(crate) async fn window_days<C: ConnectionTrait>(c: &C) -> Result<i64> {
    Ok(organisation_setting::Entity::find_by_id(1)
        .one(c)
        .await
        .db()?
        .map_or(DEFAULT_WINDOW_DAYS, |r| i64::from(r.recurrence_window_days)))
}

pub(crate) async fn set_window_days(store: &Store, days: i64) -> Result<i64> {
    if !(1..=MAX_WINDOW_DAYS).contains(&days) {
        return Err(StoreError::invalid(
            "recurrence_window_days",
            format!("must be between 1 and {MAX_WINDOW_DAYS} days"),
        ));
    }
    let value = i32::try_from(days).unwrap_or(i32::MAX);
    let txn = store.write().await?;
    let result = organisation_setting::Entity::update_many()
        .col_expr(
            organisation_setting::Column::RecurrenceWindowDays,
            Expr::value(value),
        )
        .filter(organisation_setting::Column::Id.eq(1))
        .exec(&txn)
        .await
        .db()?;
    if result.rows_affected != 1 {
        return Err(StoreError::Conflict(
            "the organisation is not set up yet; finish setup first".into(),
        ));
    }
    txn.commit().await.db()?;
    Ok(days)
}

/// Categories are typed by people: compare them trimmed and without regard to case.
fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim(), b.trim());
    !a.is_empty() && a.eq_ignore_ascii_case(b)
}

/// Flags problem `id` as recurring the most recent earlier problem it repeats, if any and not
/// flagged for that one yet. `cause_category` is a prevention's, when one is being recorded.
pub(crate) async fn flag<C: ConnectionTrait>(
    c: &C,
    id: i64,
    cause_category: Option<&str>,
    actor: Option<i64>,
    now: Timestamp,
) -> Result<()> {
    let row = problem_load::row(c, ProblemId(id), false).await?;
    let accounts: Vec<i64> = problem_account::Entity::find()
        .filter(problem_account::Column::ProblemId.eq(id))
        .all(c)
        .await
        .db()?
        .into_iter()
        .map(|a| a.account_id)
        .collect();
    if accounts.is_empty() {
        return Ok(());
    }
    let detected_at = from_db(row.detected_at)?;
    let window = SignedDuration::from_hours(window_days(c).await? * 24);
    let since = detected_at.checked_sub(window).unwrap_or(Timestamp::MIN);
    // Earlier problems of the same accounts detected within the window.
    let shared = problem_account::Entity::find()
        .filter(problem_account::Column::AccountId.is_in(accounts.clone()))
        .filter(problem_account::Column::ProblemId.ne(id))
        .all(c)
        .await
        .db()?;
    let mut past_accounts: HashMap<i64, Vec<AccountId>> = HashMap::new();
    for a in shared {
        past_accounts
            .entry(a.problem_id)
            .or_default()
            .push(AccountId(a.account_id));
    }
    if past_accounts.is_empty() {
        return Ok(());
    }
    let candidates = problem::Entity::find()
        .filter(problem::Column::Id.is_in(past_accounts.keys().copied().collect::<Vec<_>>()))
        .filter(problem::Column::DetectedAt.gte(to_db(since)))
        .filter(problem::Column::DetectedAt.lte(row.detected_at))
        .all(c)
        .await
        .db()?;
    // Only earlier problems: detected before it, or at the same time and recorded before it.
    let candidates: Vec<problem::Model> = candidates
        .into_iter()
        .filter(|p| p.detected_at < row.detected_at || p.id < id)
        .collect();
    let ids: Vec<i64> = candidates.iter().map(|p| p.id).collect();
    // The latest prevention of each candidate.
    let mut latest: HashMap<i64, prevention::Model> = HashMap::new();
    for p in prevention::Entity::find()
        .filter(prevention::Column::ProblemId.is_in(ids))
        .order_by_asc(prevention::Column::Id)
        .all(c)
        .await
        .db()?
    {
        latest.insert(p.problem_id, p);
    }
    let mut past = Vec::with_capacity(candidates.len());
    for p in &candidates {
        past.push(PastProblem {
            id: ProblemId(p.id),
            accounts: past_accounts.remove(&p.id).unwrap_or_default(),
            category: p.category.clone(),
            cause_category: latest.get(&p.id).map(|x| x.cause_category.clone()),
            detected_at: from_db(p.detected_at)?,
        });
    }
    let accounts: Vec<AccountId> = accounts.into_iter().map(AccountId).collect();
    let new = Occurrence {
        accounts: &accounts,
        category: &row.category,
        cause_category,
        detected_at,
    };
    let Some(earlier) = is_recurring(&new, &past, window) else {
        return Ok(());
    };
    let Some(found) = past.iter().find(|p| p.id == earlier) else {
        return Ok(());
    };
    let already = recurrence::Entity::find()
        .filter(recurrence::Column::ProblemId.eq(id))
        .filter(recurrence::Column::EarlierId.eq(earlier.0))
        .one(c)
        .await
        .db()?;
    if already.is_some() {
        return Ok(());
    }
    let (basis, category) = if same(&row.category, &found.category) {
        ("category", found.category.clone())
    } else {
        (
            "cause_category",
            found.cause_category.clone().unwrap_or_default(),
        )
    };
    let prevention = latest.get(&earlier.0).map(|p| p.id);
    recurrence::ActiveModel {
        id: NotSet,
        problem_id: Set(id),
        earlier_id: Set(earlier.0),
        prevention_id: Set(prevention),
        basis: Set(basis.to_owned()),
        category: Set(category.clone()),
        flagged_at: Set(to_db(now)),
    }
    .insert(c)
    .await
    .db()?;
    let event = EventKind::RecurrenceFlagged {
        earlier,
        prevention: prevention.map(PreventionId),
        basis: basis.to_owned(),
        category,
    };
    append(c, Some(id), None, now, actor, &event).await?;
    Ok(())
}

/// The recurrences of each problem in `ids`, latest flag first.
pub(crate) async fn of_problems<C: ConnectionTrait>(
    c: &C,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<Recurrence>>> {
    let mut out: HashMap<i64, Vec<Recurrence>> = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let rows = recurrence::Entity::find()
        .filter(recurrence::Column::ProblemId.is_in(ids.to_vec()))
        .order_by_desc(recurrence::Column::Id)
        .all(c)
        .await
        .db()?;
    if rows.is_empty() {
        return Ok(out);
    }
    let earlier: HashMap<i64, problem::Model> = problem::Entity::find()
        .filter(problem::Column::Id.is_in(rows.iter().map(|r| r.earlier_id).collect::<Vec<_>>()))
        .all(c)
        .await
        .db()?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let preventions: HashMap<i64, prevention::Model> = prevention::Entity::find()
        .filter(
            prevention::Column::Id.is_in(
                rows.iter()
                    .filter_map(|r| r.prevention_id)
                    .collect::<Vec<_>>(),
            ),
        )
        .all(c)
        .await
        .db()?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    for r in rows {
        let Some(e) = earlier.get(&r.earlier_id) else {
            continue;
        };
        let p = r.prevention_id.and_then(|id| preventions.get(&id));
        out.entry(r.problem_id).or_default().push(Recurrence {
            earlier: ProblemId(e.id),
            earlier_number: ProblemNumber(e.id),
            earlier_title: e.title.clone(),
            earlier_detected_at: from_db(e.detected_at)?,
            basis: r.basis.clone(),
            category: r.category.clone(),
            prevention: r.prevention_id.map(PreventionId),
            corrective_action: p.map(|p| p.corrective_action.clone()),
            prevention_status: p.map(|p| p.status.clone()),
            flagged_at: from_db(r.flagged_at)?,
        });
    }
    Ok(out)
}

pub(crate) async fn of_problem(store: &Store, problem: ProblemId) -> Result<Vec<Recurrence>> {
    let txn = store.read().await?;
    problem_load::row(&txn, problem, false).await?;
    let mut all = of_problems(&txn, &[problem.0]).await?;
    txn.commit().await.db()?;
    Ok(all.remove(&problem.0).unwrap_or_default())
}
