//! Preventions: record on a problem, list (e.g. `check_due=true`), get, done, the
//! effectiveness check, revise; and the organisation's recurrence window.
//!
//! Members who work problems record and work preventions; everyone reads them.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use makegood_domain::prevention::{DEFAULT_CHECK_AFTER_DAYS, NewPrevention, PreventionDue};
use makegood_domain::text::limits;
use makegood_domain::{Action, MemberId, Prevention, PreventionId, ProblemId, ProblemNumber};
use makegood_store::{Actor, PreventionFilter, PreventionView, Recurrence};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::problems::member_param;
use super::types::{Check, ListOf, Time, page, problem_id};
use crate::auth::CurrentMember;
use crate::error::AppError;
use crate::extract::{IfMatch, Json, Path, Query, etag};
use crate::state::AppState;

/// A prevention with its clocks now.
#[derive(Debug, Serialize, ToSchema)]
pub struct PreventionBody {
    #[serde(flatten)]
    pub prevention: Prevention,
    #[schema(value_type = String, example = "MG-12")]
    pub problem_number: ProblemNumber,
    /// The corrective action against its due time.
    pub due: PreventionDue,
    /// When the effectiveness check falls due, while done.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub check_due_at: Option<Timestamp>,
    /// Whether the effectiveness check may be recorded now.
    pub check_due: bool,
    pub version: i64,
}

impl From<PreventionView> for PreventionBody {
    fn from(v: PreventionView) -> Self {
        Self {
            prevention: v.prevention,
            problem_number: v.problem_number,
            due: v.due,
            check_due_at: v.check_due_at,
            check_due: v.check_due,
            version: v.version,
        }
    }
}

/// An earlier problem this one recurs.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecurrenceBody {
    #[schema(value_type = i64)]
    pub earlier: ProblemId,
    #[schema(value_type = String, example = "MG-4")]
    pub earlier_number: ProblemNumber,
    pub earlier_title: String,
    #[schema(value_type = String, format = DateTime)]
    pub earlier_detected_at: Timestamp,
    /// What matched: `category` or `cause_category`.
    pub basis: String,
    pub category: String,
    /// The earlier problem's prevention and its corrective action, if it had one.
    #[schema(value_type = Option<i64>)]
    pub prevention: Option<PreventionId>,
    pub corrective_action: Option<String>,
    pub prevention_status: Option<String>,
    #[schema(value_type = String, format = DateTime)]
    pub flagged_at: Timestamp,
}

impl From<Recurrence> for RecurrenceBody {
    fn from(r: Recurrence) -> Self {
        Self {
            earlier: r.earlier,
            earlier_number: r.earlier_number,
            earlier_title: r.earlier_title,
            earlier_detected_at: r.earlier_detected_at,
            basis: r.basis,
            category: r.category,
            prevention: r.prevention,
            corrective_action: r.corrective_action,
            prevention_status: r.prevention_status,
            flagged_at: r.flagged_at,
        }
    }
}

/// A root cause and the corrective action that keeps it from recurring.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePrevention {
    #[schema(min_length = 1, pattern = r"\S")]
    pub root_cause: String,
    /// A category of causes, compared when looking for recurrences (e.g. `Process`).
    #[schema(min_length = 1, max_length = 80, pattern = r"\S")]
    pub cause_category: String,
    #[schema(min_length = 1, max_length = 500, pattern = r"\S")]
    pub corrective_action: String,
    /// Who does it; defaults to you.
    #[schema(value_type = Option<i64>)]
    pub owner: Option<MemberId>,
    /// In the future.
    pub due_at: Time,
    /// Days after done that effectiveness is checked (0 to 3650, default 30).
    #[schema(minimum = 0, maximum = 3650)]
    pub check_after_days: Option<i64>,
}

/// A new corrective action and due time.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RevisePrevention {
    #[schema(min_length = 1, max_length = 500, pattern = r"\S")]
    pub corrective_action: String,
    pub due_at: Time,
}

/// The effectiveness check.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckPrevention {
    pub effective: bool,
    /// What was seen; required when not effective.
    pub note: Option<String>,
}

/// Filters for the prevention list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PreventionListQuery {
    /// Only those done whose effectiveness check is due now (ordered by check time).
    pub check_due: Option<bool>,
    /// `open`, `done` or `effective`.
    pub status: Option<String>,
    /// A member id or `me`.
    pub owner: Option<String>,
    /// A problem number (`MG-12`) or id.
    pub problem: Option<String>,
    pub cursor: Option<String>,
    /// 1 to 200, default 50.
    pub limit: Option<u32>,
}

/// The organisation's prevention settings.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreventionSettings {
    /// How many days back an earlier problem of the same account counts as the same one
    /// coming back (1 to 3650, default 90).
    #[schema(minimum = 1, maximum = 3650)]
    pub recurrence_window_days: i64,
}

fn response(status: StatusCode, view: PreventionView) -> Response {
    (status, etag(view.version), Json(PreventionBody::from(view))).into_response()
}

fn actor(state: &AppState, me: &CurrentMember) -> Actor {
    Actor {
        member: me.id(),
        now: state.now(),
    }
}

/// Records a root cause and corrective action on a problem.
#[utoipa::path(post, path = "/problems/{problem}/preventions", tag = "preventions",
    params(("problem" = String, Path, description = "The number, e.g. MG-12 (or the id)")),
    responses((status = 201, body = PreventionBody, headers(("ETag" = String)))))]
pub async fn create_prevention(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(problem): Path<String>,
    Json(body): Json<CreatePrevention>,
) -> Result<Response, AppError> {
    me.require(Action::WorkProblems, None)?;
    let problem = problem_id(&state, &problem).await?;
    let mut check = Check::default();
    let root_cause = check.text("root_cause", &body.root_cause, limits::DESCRIPTION);
    let cause_category = check.text("cause_category", &body.cause_category, limits::CATEGORY);
    let corrective_action = check.text(
        "corrective_action",
        &body.corrective_action,
        limits::PROMISE,
    );
    check.ensure(
        body.due_at.0 > state.now(),
        "due_at",
        "must be in the future",
    );
    check.finish()?;
    let new = NewPrevention {
        problem,
        root_cause,
        cause_category,
        corrective_action,
        owner: body.owner.unwrap_or(me.id()),
        due_at: body.due_at.0,
        check_after_days: body.check_after_days.unwrap_or(DEFAULT_CHECK_AFTER_DAYS),
    };
    let view = state
        .store
        .record_prevention(actor(&state, &me), new)
        .await?;
    Ok(response(StatusCode::CREATED, view))
}

/// The preventions of a problem, oldest first.
#[utoipa::path(get, path = "/problems/{problem}/preventions", tag = "preventions",
    params(("problem" = String, Path, description = "The number, e.g. MG-12 (or the id)")),
    responses((status = 200, body = Vec<PreventionBody>)))]
pub async fn list_problem_preventions(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(problem): Path<String>,
) -> Result<Json<Vec<PreventionBody>>, AppError> {
    me.require(Action::Read, None)?;
    let problem = problem_id(&state, &problem).await?;
    let views = state
        .store
        .problem_preventions(problem, state.now())
        .await?;
    Ok(Json(views.into_iter().map(PreventionBody::from).collect()))
}

/// Lists preventions by due time, or those due for their effectiveness check.
#[utoipa::path(get, path = "/preventions", tag = "preventions", params(PreventionListQuery),
    responses((status = 200, description = "By due time; by check time with `check_due=true`", body = ListOf<PreventionBody>)))]
pub async fn list_preventions(
    State(state): State<AppState>,
    me: CurrentMember,
    Query(q): Query<PreventionListQuery>,
) -> Result<Json<ListOf<PreventionBody>>, AppError> {
    me.require(Action::Read, None)?;
    let problem = match q.problem.as_deref() {
        Some(key) => Some(problem_id(&state, key).await?),
        None => None,
    };
    let filter = PreventionFilter {
        check_due: q.check_due.unwrap_or(false),
        owner: member_param(&me, "owner", q.owner.as_deref())?,
        status: q.status,
        problem,
    };
    let list = state
        .store
        .list_preventions(&filter, &page(q.cursor, q.limit)?, state.now())
        .await?;
    Ok(Json(ListOf::from_page(list, PreventionBody::from)))
}

/// Gets a prevention with its clocks.
#[utoipa::path(get, path = "/preventions/{id}", tag = "preventions",
    responses((status = 200, body = PreventionBody, headers(("ETag" = String)))))]
pub async fn get_prevention(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    me.require(Action::Read, None)?;
    let view = state
        .store
        .prevention(PreventionId(id), state.now())
        .await?;
    Ok(response(StatusCode::OK, view))
}

/// Marks the corrective action done; the effectiveness check is scheduled.
#[utoipa::path(post, path = "/preventions/{id}/done", tag = "preventions",
    params(("If-Match" = Option<String>, Header, description = "The ETag last seen")),
    responses((status = 200, body = PreventionBody, headers(("ETag" = String)))))]
pub async fn mark_prevention_done(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(id): Path<i64>,
    IfMatch(version): IfMatch,
) -> Result<Response, AppError> {
    me.require(Action::WorkProblems, None)?;
    let view = state
        .store
        .mark_prevention_done(actor(&state, &me), PreventionId(id), version)
        .await?;
    Ok(response(StatusCode::OK, view))
}

/// Records the effectiveness check: effective ends it, not effective reopens it.
#[utoipa::path(post, path = "/preventions/{id}/check", tag = "preventions",
    params(("If-Match" = Option<String>, Header, description = "The ETag last seen")),
    responses((status = 200, body = PreventionBody, headers(("ETag" = String)))))]
pub async fn check_prevention(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(id): Path<i64>,
    IfMatch(version): IfMatch,
    Json(body): Json<CheckPrevention>,
) -> Result<Response, AppError> {
    me.require(Action::WorkProblems, None)?;
    let mut check = Check::default();
    let note = body
        .note
        .as_deref()
        .map(|n| check.optional("note", n, limits::REASON));
    check.ensure(
        body.effective || note.as_deref().is_some_and(|n| !n.is_empty()),
        "note",
        "say what was seen: a note is required when the action was not effective",
    );
    check.finish()?;
    let view = state
        .store
        .check_prevention(
            actor(&state, &me),
            PreventionId(id),
            version,
            body.effective,
            note.as_deref(),
        )
        .await?;
    Ok(response(StatusCode::OK, view))
}

/// A new corrective action and due time for an open prevention.
#[utoipa::path(post, path = "/preventions/{id}/revise", tag = "preventions",
    params(("If-Match" = Option<String>, Header, description = "The ETag last seen")),
    responses((status = 200, body = PreventionBody, headers(("ETag" = String)))))]
pub async fn revise_prevention(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(id): Path<i64>,
    IfMatch(version): IfMatch,
    Json(body): Json<RevisePrevention>,
) -> Result<Response, AppError> {
    me.require(Action::WorkProblems, None)?;
    let mut check = Check::default();
    let action = check.text(
        "corrective_action",
        &body.corrective_action,
        limits::PROMISE,
    );
    check.ensure(
        body.due_at.0 > state.now(),
        "due_at",
        "must be in the future",
    );
    check.finish()?;
    let view = state
        .store
        .revise_prevention(
            actor(&state, &me),
            PreventionId(id),
            version,
            &action,
            body.due_at.0,
        )
        .await?;
    Ok(response(StatusCode::OK, view))
}

/// The organisation's prevention settings.
#[utoipa::path(get, path = "/settings/prevention", tag = "preventions",
    responses((status = 200, body = PreventionSettings)))]
pub async fn get_prevention_settings(
    State(state): State<AppState>,
    me: CurrentMember,
) -> Result<Json<PreventionSettings>, AppError> {
    me.require(Action::Read, None)?;
    let days = state.store.recurrence_window_days().await?;
    Ok(Json(PreventionSettings {
        recurrence_window_days: days,
    }))
}

/// Changes the recurrence window (admins).
#[utoipa::path(put, path = "/settings/prevention", tag = "preventions",
    responses((status = 200, body = PreventionSettings)))]
pub async fn update_prevention_settings(
    State(state): State<AppState>,
    me: CurrentMember,
    Json(body): Json<PreventionSettings>,
) -> Result<Json<PreventionSettings>, AppError> {
    me.require(Action::EditPolicies, None)?;
    let days = state
        .store
        .set_recurrence_window_days(body.recurrence_window_days)
        .await?;
    Ok(Json(PreventionSettings {
        recurrence_window_days: days,
    }))
}
