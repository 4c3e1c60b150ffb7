//! When a problem's follow-up survey is due: the policy's days after the fix, or after the
//! last remedy is delivered when it has remedies (none while one is still undelivered).

use jiff::Timestamp;
use makegood_domain::{EventKind, ProblemId, ProblemState, Severity};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::Result;
use crate::clocks::Rules;
use crate::convert::{from_db, parse_name, to_db_opt};
use crate::db::{event, problem};
use crate::error::DbResult;
use crate::incidents::reach;
use crate::problems::load;
use crate::remedies::{REJECTED, remedy};

/// The wire name of the event that ends the schedule for good.
const SURVEY_SENT: &str = "survey_sent";

/// When the survey of problem `row` is due once `kind` (already folded into `state`) is
/// recorded: `None` when it is not fixed (or was reopened), a remedy is still undelivered, a
/// survey was already sent, or no stakeholder has an address to ask at.
pub(crate) async fn due_at<C: ConnectionTrait>(
    c: &C,
    row: &problem::Model,
    state: &ProblemState,
    kind: &EventKind,
    rules: &Rules,
) -> Result<Option<Timestamp>> {
    if matches!(kind, EventKind::SurveySent { .. }) {
        return Ok(None);
    }
    let Some(fixed_at) = state.fixed_at else {
        return Ok(None);
    };
    let Some(anchor) = remedies_settled(c, row.id, fixed_at).await? else {
        return Ok(None);
    };
    if already_sent(c, row.id).await? || !has_stakeholders(c, row).await? {
        return Ok(None);
    }
    let severity: Severity = parse_name(&row.severity)?;
    let after = rules.policies.get(severity).follow_up();
    Ok(Some(anchor.saturating_add(after).unwrap_or(anchor)))
}

/// The anchor of the schedule: `fixed_at`, or the latest delivery when later, once every
/// remedy that is not rejected is delivered; `None` while one is still pending.
async fn remedies_settled<C: ConnectionTrait>(
    c: &C,
    problem: i64,
    fixed_at: Timestamp,
) -> Result<Option<Timestamp>> {
    let rows: Vec<Option<chrono::DateTime<chrono::Utc>>> = remedy::Entity::find()
        .select_only()
        .column(remedy::Column::DeliveredAt)
        .filter(remedy::Column::ProblemId.eq(problem))
        .filter(remedy::Column::Status.ne(REJECTED))
        .into_tuple()
        .all(c)
        .await
        .db()?;
    let mut anchor = fixed_at;
    for delivered in rows {
        let Some(delivered) = delivered else {
            return Ok(None);
        };
        anchor = anchor.max(from_db(delivered)?);
    }
    Ok(Some(anchor))
}

/// Whether `survey_sent` is on problem `id`'s timeline.
async fn already_sent<C: ConnectionTrait>(c: &C, id: i64) -> Result<bool> {
    let found: Option<i64> = event::Entity::find()
        .select_only()
        .column(event::Column::Id)
        .filter(event::Column::ProblemId.eq(id))
        .filter(event::Column::Kind.eq(SURVEY_SENT))
        .into_tuple()
        .one(c)
        .await
        .db()?;
    Ok(found.is_some())
}

/// Whether problem `row` has someone to ask: a stakeholder with an address (any contact of
/// an affected account when all of them are stakeholders).
async fn has_stakeholders<C: ConnectionTrait>(c: &C, row: &problem::Model) -> Result<bool> {
    let contacts = reach::stakeholders_of(c, row.id, row.all_stakeholders).await?;
    Ok(contacts
        .iter()
        .any(|x| x.email.as_deref().is_some_and(|e| !e.trim().is_empty())))
}

/// Recomputes the follow-up time of problem `id` in the caller's transaction, after a write
/// that changes it without going through [`crate::problems::record::apply`] (a remedy's).
pub(crate) async fn sync<C: ConnectionTrait>(c: &C, id: i64) -> Result<()> {
    let row = load::row(c, ProblemId(id), false).await?;
    let state = load::states(c, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    let rules = Rules::load(c).await?;
    // Any event but `survey_sent` will do: the schedule depends on the state, not the event.
    let due = due_at(c, &row, &state, &EventKind::Resumed, &rules).await?;
    problem::Entity::update_many()
        .col_expr(problem::Column::FollowUpAt, Expr::value(to_db_opt(due)))
        .filter(problem::Column::Id.eq(id))
        .exec(c)
        .await
        .db()?;
    Ok(())
}
