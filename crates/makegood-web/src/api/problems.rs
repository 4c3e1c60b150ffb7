//! Problems: create, get, list (sorted by next deadline), edit, timeline.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use makegood_domain::text::limits;
use makegood_domain::{
    AccountId, Action, ClockState, ContactId, Event, MemberId, Origin, Severity, Status, VendorId,
};
use makegood_store::{Actor, NewProblem, ProblemFilter, ProblemPatch, ProblemSort};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::types::{
    Check, ListOf, ProblemBody, Time, double_option, find_problem, page, problem_id, problem_key,
};
use crate::auth::CurrentMember;
use crate::error::AppError;
use crate::extract::{IfMatch, Json, Path, Query, etag};
use crate::state::AppState;

/// A new problem.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateProblem {
    #[schema(min_length = 1, pattern = r"\S")]
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub origin: Origin,
    /// The vendor at fault; required exactly when `origin` is `vendor`.
    #[schema(value_type = Option<i64>)]
    pub vendor: Option<VendorId>,
    pub severity: Severity,
    #[serde(default)]
    pub category: String,
    /// Defaults to you.
    #[schema(value_type = Option<i64>)]
    pub owner: Option<MemberId>,
    /// One or more affected accounts; the first is the primary one.
    #[schema(value_type = Vec<i64>)]
    pub accounts: Vec<AccountId>,
    /// Contacts of those accounts to keep informed.
    #[serde(default)]
    #[schema(value_type = Vec<i64>)]
    pub stakeholders: Vec<ContactId>,
    /// When we first knew (defaults to now); never in the future.
    pub detected_at: Option<Time>,
    /// Also affect every location of the named accounts (and theirs), as they are now: a
    /// location added later joins only when you say so again (see `update_problem`).
    #[serde(default)]
    pub include_locations: bool,
    /// Keep every contact of every affected account informed, whoever they are when each
    /// update is sent; `stakeholders` must then be empty.
    #[serde(default)]
    pub all_stakeholders: bool,
}

/// Fields to change; absent fields stay. Ownership changes go through `change_owner`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateProblem {
    #[schema(min_length = 1, pattern = r"\S")]
    pub title: Option<String>,
    pub description: Option<String>,
    pub origin: Option<Origin>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>)]
    pub vendor: Option<Option<VendorId>>,
    pub severity: Option<Severity>,
    pub category: Option<String>,
    #[schema(value_type = Option<Vec<i64>>)]
    pub accounts: Option<Vec<AccountId>>,
    #[schema(value_type = Option<Vec<i64>>)]
    pub stakeholders: Option<Vec<ContactId>>,
    pub detected_at: Option<Time>,
    /// `true`: add every location of the accounts (the new list, or the current one) as
    /// they are now — send it again to take in locations opened since.
    #[serde(default)]
    pub include_locations: bool,
    /// `true`: every contact of every affected account; `false`: only `stakeholders`.
    /// Naming `stakeholders` alone also turns it off.
    pub all_stakeholders: Option<bool>,
}

/// The clock states a list can filter on.
#[derive(Clone, Copy, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RunningClockState {
    Ok,
    Warning,
    Breached,
}

/// How to order the list.
#[derive(Clone, Copy, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProblemOrder {
    /// Earliest next deadline first (the default).
    NextDeadline,
    /// Newest first.
    Newest,
    /// Oldest first.
    Oldest,
    /// Most severe first, then earliest next deadline.
    Severity,
}

/// Filters for the problem list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ProblemListQuery {
    pub status: Option<Status>,
    /// `true`: only problems not closed.
    pub open: Option<bool>,
    /// A member id, or `me`.
    pub owner: Option<String>,
    pub account: Option<i64>,
    pub severity: Option<Severity>,
    pub origin: Option<Origin>,
    /// The worst running clock.
    pub clock_state: Option<RunningClockState>,
    /// Words to search for in titles, updates and notes (each word must match the start of
    /// a word; case-insensitive).
    pub q: Option<String>,
    pub sort: Option<ProblemOrder>,
    pub cursor: Option<String>,
    /// 1 to 200, default 50.
    pub limit: Option<u32>,
}

/// A page of the timeline.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct TimelineQuery {
    pub cursor: Option<String>,
    /// 1 to 200, default 50.
    pub limit: Option<u32>,
}

/// A problem with its `ETag`.
pub(crate) fn problem_response(status: StatusCode, body: ProblemBody) -> Response {
    (status, etag(body.problem.version), Json(body)).into_response()
}

/// Parses `me` or a member id.
pub(crate) fn member_param(
    me: &CurrentMember,
    field: &str,
    value: Option<&str>,
) -> Result<Option<MemberId>, AppError> {
    match value {
        None => Ok(None),
        Some("me") => Ok(Some(me.id())),
        Some(v) => v
            .parse()
            .map(|id| Some(MemberId(id)))
            .map_err(|_| AppError::BadRequest {
                detail: format!("bad query string: {field} must be a member id or `me`"),
                errors: vec![crate::error::FieldError::new(
                    field,
                    "must be a member id or `me`",
                )],
            }),
    }
}

/// Records a problem.
#[utoipa::path(post, path = "/problems", tag = "problems",
    responses((status = 201, body = ProblemBody, headers(("ETag" = String)))))]
pub async fn create_problem(
    State(state): State<AppState>,
    me: CurrentMember,
    Json(body): Json<CreateProblem>,
) -> Result<Response, AppError> {
    me.require(Action::WorkProblems, None)?;
    let mut check = Check::default();
    let title = check.text("title", &body.title, limits::TITLE);
    let description = check.optional("description", &body.description, limits::DESCRIPTION);
    let category = check.optional("category", &body.category, limits::CATEGORY);
    check.ensure(
        !body.accounts.is_empty(),
        "accounts",
        "name at least one affected account",
    );
    check.ensure(
        !body.all_stakeholders || body.stakeholders.is_empty(),
        "stakeholders",
        "leave stakeholders empty when all_stakeholders is true: every contact of every affected account is then told",
    );
    let now = state.now();
    if let Some(Time(at)) = body.detected_at {
        check.ensure(at <= now, "detected_at", "must not be in the future");
    }
    check.finish()?;
    let new = NewProblem {
        title,
        description,
        origin: body.origin,
        vendor: body.vendor,
        severity: body.severity,
        category,
        owner: body.owner.unwrap_or(me.id()),
        accounts: body.accounts,
        stakeholders: body.stakeholders,
        detected_at: body.detected_at.map(|t| t.0),
        include_locations: body.include_locations,
        all_stakeholders: body.all_stakeholders,
    };
    let view = state
        .store
        .create_problem(
            Actor {
                member: me.id(),
                now,
            },
            new,
        )
        .await?;
    Ok(problem_response(StatusCode::CREATED, view.into()))
}

/// Gets a problem with its clocks.
#[utoipa::path(get, path = "/problems/{problem}", tag = "problems",
    params(("problem" = String, Path, description = "The number, e.g. MG-12 (or the id)")),
    responses((status = 200, body = ProblemBody, headers(("ETag" = String)))))]
pub async fn get_problem(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(problem): Path<String>,
) -> Result<Response, AppError> {
    me.require(Action::Read, None)?;
    let view = find_problem(&state, problem_key(&problem)?).await?;
    Ok(problem_response(StatusCode::OK, view.into()))
}

/// Lists problems, most urgent deadline first.
#[utoipa::path(get, path = "/problems", tag = "problems", params(ProblemListQuery),
    responses((status = 200, description = "By next deadline unless `sort` says otherwise; `q` searches titles, updates and notes", body = ListOf<ProblemBody>)))]
pub async fn list_problems(
    State(state): State<AppState>,
    me: CurrentMember,
    Query(q): Query<ProblemListQuery>,
) -> Result<Json<ListOf<ProblemBody>>, AppError> {
    me.require(Action::Read, None)?;
    let filter = ProblemFilter {
        status: q.status,
        open: q.open,
        owner: member_param(&me, "owner", q.owner.as_deref())?,
        account: q.account.map(AccountId),
        severity: q.severity,
        origin: q.origin,
        clock_state: q.clock_state.map(|c| match c {
            RunningClockState::Ok => ClockState::Ok,
            RunningClockState::Warning => ClockState::Warning,
            RunningClockState::Breached => ClockState::Breached,
        }),
        text: q.q.filter(|t| !t.trim().is_empty()),
        sort: match q.sort {
            Some(ProblemOrder::Newest) => ProblemSort::Newest,
            Some(ProblemOrder::Oldest) => ProblemSort::Oldest,
            Some(ProblemOrder::Severity) => ProblemSort::Severity,
            Some(ProblemOrder::NextDeadline) | None => ProblemSort::NextDeadline,
        },
    };
    let problems = state
        .store
        .list_problems(&filter, &page(q.cursor, q.limit)?, state.now())
        .await?;
    Ok(Json(ListOf::from_page(problems, ProblemBody::from)))
}

/// Edits a problem.
#[utoipa::path(patch, path = "/problems/{problem}", tag = "problems",
    params(("problem" = String, Path, description = "The number, e.g. MG-12"),
        ("If-Match" = Option<String>, Header, description = "The ETag last seen")),
    responses((status = 200, body = ProblemBody, headers(("ETag" = String)))))]
pub async fn update_problem(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(problem): Path<String>,
    IfMatch(version): IfMatch,
    Json(body): Json<UpdateProblem>,
) -> Result<Response, AppError> {
    me.require(Action::WorkProblems, None)?;
    let id = problem_id(&state, &problem).await?;
    let mut check = Check::default();
    let title = body.title.map(|t| check.text("title", &t, limits::TITLE));
    let description = body
        .description
        .map(|d| check.optional("description", &d, limits::DESCRIPTION));
    let category = body
        .category
        .map(|c| check.optional("category", &c, limits::CATEGORY));
    if let Some(accounts) = &body.accounts {
        check.ensure(
            !accounts.is_empty(),
            "accounts",
            "name at least one affected account",
        );
    }
    let now = state.now();
    if let Some(Time(at)) = body.detected_at {
        check.ensure(at <= now, "detected_at", "must not be in the future");
    }
    check.finish()?;
    let patch = ProblemPatch {
        title,
        description,
        origin: body.origin,
        vendor: body.vendor,
        severity: body.severity,
        category,
        accounts: body.accounts,
        stakeholders: body.stakeholders,
        detected_at: body.detected_at.map(|t| t.0),
        include_locations: body.include_locations,
        all_stakeholders: body.all_stakeholders,
    };
    let view = state
        .store
        .update_problem(
            Actor {
                member: me.id(),
                now,
            },
            id,
            version,
            patch,
        )
        .await?;
    Ok(problem_response(StatusCode::OK, view.into()))
}

/// The timeline of a problem.
#[utoipa::path(get, path = "/problems/{problem}/timeline", tag = "problems",
    params(("problem" = String, Path, description = "The number, e.g. MG-12"), TimelineQuery),
    responses((status = 200, description = "Oldest first", body = ListOf<Event>)))]
pub async fn get_timeline(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(problem): Path<String>,
    Query(q): Query<TimelineQuery>,
) -> Result<Json<ListOf<Event>>, AppError> {
    me.require(Action::Read, None)?;
    let id = problem_id(&state, &problem).await?;
    let events = state.store.timeline(id, &page(q.cursor, q.limit)?).await?;
    Ok(Json(ListOf::from_page(events, |e| e)))
}
