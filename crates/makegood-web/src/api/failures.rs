//! The failure log: quick entries by level — idea, prototype, mockup, pilot, promise — with
//! what happened and the lesson; and their distribution over a period. Everyone reads;
//! workers log; whoever logged an entry, supervisors and admins edit and delete it.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use makegood_domain::failure::{
    FailureEntry, FailureError, FailureFields, FailureId, FailureLevel,
};
use makegood_domain::{Action, MemberId, Month, ProblemId, ReportFilter};
use makegood_store::{Actor, FailureFilter};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::types::{ListOf, ProblemKey, double_option, page, parse_problem_key};
use crate::auth::CurrentMember;
use crate::error::{AppError, FieldError};
use crate::extract::{IfMatch, Json, Path, Query, etag};
use crate::state::AppState;

/// The failure log's routes, merged into `/api/v1`.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_failures, log_failure))
        .routes(routes!(get_failure_summary))
        .routes(routes!(get_failure, edit_failure, delete_failure))
}

/// Filters of the log; months are calendar months in the organisation's reporting time zone.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct FailureListQuery {
    pub level: Option<FailureLevel>,
    /// Logged in this month or later, e.g. `2026-09`.
    #[param(value_type = Option<String>)]
    pub from: Option<Month>,
    /// Logged in this month or earlier.
    #[param(value_type = Option<String>)]
    pub to: Option<Month>,
    /// Logged by this member.
    pub logged_by: Option<i64>,
    pub cursor: Option<String>,
    /// 1 to 200, default 50.
    pub limit: Option<u32>,
}

/// A new entry.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LogFailure {
    pub level: FailureLevel,
    #[schema(min_length = 1, max_length = 2000)]
    pub what_happened: String,
    #[schema(min_length = 1, max_length = 2000)]
    pub lesson: String,
    /// The problem it is about, e.g. `MG-12`.
    pub problem: Option<String>,
}

/// Fields to change; `problem: null` clears it.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EditFailure {
    pub level: Option<FailureLevel>,
    pub what_happened: Option<String>,
    pub lesson: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub problem: Option<Option<String>>,
}

/// The period of a distribution (default: the twelve months up to this one).
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct SummaryQuery {
    #[param(value_type = Option<String>)]
    pub from: Option<Month>,
    #[param(value_type = Option<String>)]
    pub to: Option<Month>,
    /// Entries logged by, and promises made by, this member.
    pub member: Option<i64>,
}

/// One level's count.
#[derive(Debug, Serialize, ToSchema)]
pub struct LevelCount {
    pub level: FailureLevel,
    /// Entries logged by hand.
    pub logged: u64,
    /// Broken promises counted in (at the promise level only).
    pub broken_promises: u64,
}

/// The distribution of a period: a healthy team fails often early and never on promises.
#[derive(Debug, Serialize, ToSchema)]
pub struct FailureSummaryBody {
    #[schema(value_type = String)]
    pub from: Month,
    #[schema(value_type = String)]
    pub to: Month,
    /// One row per level, idea first, zeros included.
    pub levels: Vec<LevelCount>,
}

/// Parses an optional `MG-12` (or `12`) for field `problem`.
fn problem_of(errors: &mut Vec<FieldError>, text: Option<&str>) -> Option<ProblemId> {
    let text = text.map(str::trim).filter(|t| !t.is_empty())?;
    match parse_problem_key(text) {
        Some(ProblemKey::Number(n)) => Some(ProblemId(n.0)),
        Some(ProblemKey::Id(id)) => Some(id),
        None => {
            errors.push(FieldError::new(
                "problem",
                format!("`{text}` is not a problem number like MG-12"),
            ));
            None
        }
    }
}

/// Checks the fields, naming every bad one.
pub(crate) fn fields(
    level: FailureLevel,
    what_happened: &str,
    lesson: &str,
    problem: Option<&str>,
) -> Result<FailureFields, Vec<FieldError>> {
    let mut errors = Vec::new();
    let problem = problem_of(&mut errors, problem);
    match FailureFields::new(level, what_happened, lesson, problem) {
        Ok(f) if errors.is_empty() => Ok(f),
        Ok(_) => Err(errors),
        Err(more) => {
            errors.extend(
                more.into_iter()
                    .map(|FailureError { field, message }| FieldError::new(field, message)),
            );
            Err(errors)
        }
    }
}

/// The instants of months `from`..=`to` as a store filter (reporting zone), via the summary
/// the store computes; `None` ends are open.
async fn bounds(
    state: &AppState,
    from: Option<Month>,
    to: Option<Month>,
) -> Result<(Option<jiff::Timestamp>, Option<jiff::Timestamp>), AppError> {
    if from.is_none() && to.is_none() {
        return Ok((None, None));
    }
    let (start, end) = state.store.failure_period(from, to).await?;
    Ok((start, end))
}

/// Lists the log, newest first.
#[utoipa::path(get, path = "/failures", tag = "failures", params(FailureListQuery),
    responses((status = 200, description = "Newest first", body = ListOf<FailureEntry>)))]
pub async fn list_failures(
    State(state): State<AppState>,
    me: CurrentMember,
    Query(q): Query<FailureListQuery>,
) -> Result<Json<ListOf<FailureEntry>>, AppError> {
    me.require(Action::Read, None)?;
    if let (Some(f), Some(t)) = (q.from, q.to)
        && f > t
    {
        return Err(AppError::invalid("from", "must not be after `to`"));
    }
    let (from, to) = bounds(&state, q.from, q.to).await?;
    let filter = FailureFilter {
        level: q.level,
        from,
        to,
        logged_by: q.logged_by.map(MemberId),
    };
    let found = state
        .store
        .list_failures(&filter, &page(q.cursor, q.limit)?)
        .await?;
    Ok(Json(ListOf::from_page(found, |e| e)))
}

/// Logs a failure, by the caller, now.
#[utoipa::path(post, path = "/failures", tag = "failures",
    responses((status = 201, body = FailureEntry)))]
pub async fn log_failure(
    State(state): State<AppState>,
    me: CurrentMember,
    Json(body): Json<LogFailure>,
) -> Result<impl IntoResponse, AppError> {
    me.require(Action::WorkProblems, None)?;
    let fields = fields(
        body.level,
        &body.what_happened,
        &body.lesson,
        body.problem.as_deref(),
    )
    .map_err(AppError::Validation)?;
    let actor = Actor {
        member: me.id(),
        now: state.now(),
    };
    let entry = state.store.log_failure(actor, fields).await?;
    Ok((StatusCode::CREATED, etag(entry.version), Json(entry)))
}

/// Gets an entry.
#[utoipa::path(get, path = "/failures/{id}", tag = "failures",
    responses((status = 200, body = FailureEntry)))]
pub async fn get_failure(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(id): Path<i64>,
) -> Result<impl IntoResponse, AppError> {
    me.require(Action::Read, None)?;
    let entry = state.store.failure(FailureId(id)).await?;
    Ok((etag(entry.version), Json(entry)))
}

/// Changes an entry (whoever logged it, a supervisor or an admin); honours `If-Match`.
#[utoipa::path(patch, path = "/failures/{id}", tag = "failures",
    responses((status = 200, body = FailureEntry)))]
pub async fn edit_failure(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(id): Path<i64>,
    IfMatch(version): IfMatch,
    Json(body): Json<EditFailure>,
) -> Result<impl IntoResponse, AppError> {
    me.require(Action::WorkProblems, None)?;
    let current = state.store.failure(FailureId(id)).await?;
    may_change(&me, &current)?;
    let problem = match &body.problem {
        Some(p) => p.clone(),
        None => current.problem.map(|p| format!("MG-{}", p.0)),
    };
    let fields = fields(
        body.level.unwrap_or(current.level),
        body.what_happened
            .as_deref()
            .unwrap_or(&current.what_happened),
        body.lesson.as_deref().unwrap_or(&current.lesson),
        problem.as_deref(),
    )
    .map_err(AppError::Validation)?;
    let actor = Actor {
        member: me.id(),
        now: state.now(),
    };
    let entry = state
        .store
        .edit_failure(actor, FailureId(id), version, fields)
        .await?;
    Ok((etag(entry.version), Json(entry)))
}

/// Deletes an entry (whoever logged it, a supervisor or an admin).
#[utoipa::path(delete, path = "/failures/{id}", tag = "failures",
    responses((status = 204, description = "Deleted")))]
pub async fn delete_failure(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(id): Path<i64>,
) -> Result<StatusCode, AppError> {
    me.require(Action::WorkProblems, None)?;
    let current = state.store.failure(FailureId(id)).await?;
    may_change(&me, &current)?;
    let actor = Actor {
        member: me.id(),
        now: state.now(),
    };
    state.store.delete_failure(actor, FailureId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Refuses (403) a worker changing someone else's entry.
fn may_change(me: &CurrentMember, entry: &FailureEntry) -> Result<(), AppError> {
    if me.id() == entry.logged_by || me.member.may(Action::Reassign, None) {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "only whoever logged this entry, a supervisor or an admin may change it".into(),
        ))
    }
}

/// The distribution of a period by level, broken promises counted in at the promise level
/// (from the promises whose due time fell in the period and passed unkept).
#[utoipa::path(get, path = "/failures/summary", tag = "failures", params(SummaryQuery),
    responses((status = 200, body = FailureSummaryBody)))]
pub async fn get_failure_summary(
    State(state): State<AppState>,
    me: CurrentMember,
    Query(q): Query<SummaryQuery>,
) -> Result<Json<FailureSummaryBody>, AppError> {
    me.require(Action::Read, None)?;
    let now = state.now();
    let this = state.store.failure_month(now).await?;
    let mut filter = ReportFilter::last_twelve_months(this);
    filter.from = q.from.unwrap_or(filter.from);
    filter.to = q.to.unwrap_or(filter.to);
    filter.member = q.member.map(MemberId);
    if filter.from > filter.to {
        return Err(AppError::invalid("from", "must not be after `to`"));
    }
    let summary = state.store.failure_summary(&filter, now).await?;
    Ok(Json(FailureSummaryBody {
        from: filter.from,
        to: filter.to,
        levels: summary
            .logged
            .into_iter()
            .map(|(level, logged)| LevelCount {
                level,
                logged,
                broken_promises: if level == FailureLevel::Promise {
                    summary.broken_promises
                } else {
                    0
                },
            })
            .collect(),
    }))
}
