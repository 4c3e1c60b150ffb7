//! Working a problem: updates, notes, waiting, fixing, closing, reopening, changing owner,
//! calling the customer.
//!
//! Each action appends one event to the timeline, honours `If-Match` and answers the problem
//! with its clocks and new `ETag`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use makegood_domain::text::limits;
use makegood_domain::{Action, EventKind, MemberId, Outcome, WaitingOn};
use makegood_store::Actor;
use serde::Deserialize;
use utoipa::ToSchema;

use super::problems::problem_response;
use super::types::{Check, ProblemBody, find_problem, problem_id, problem_key};
use crate::auth::CurrentMember;
use crate::error::AppError;
use crate::extract::{IfMatch, Json, Path};
use crate::state::AppState;

/// A customer-visible update or an internal note.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Message {
    pub body: String,
}

/// Openly waiting on someone: the update and fix clocks pause.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Wait {
    pub on: WaitingOn,
    pub reason: String,
}

/// What was fixed.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Fix {
    pub summary: String,
}

/// The relationship outcome.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Close {
    pub outcome: Outcome,
}

/// Why it is open again.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Reopen {
    pub reason: String,
}

/// The new owner.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeOwner {
    #[schema(value_type = i64)]
    pub owner: MemberId,
}

/// How the call to the customer went.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Call {
    #[schema(example = "Apologised; the reprint goes out tonight.")]
    pub note: String,
}

/// Records `event` on the problem named `key` after checking `WorkProblems`.
async fn record(
    state: &AppState,
    me: &CurrentMember,
    key: &str,
    version: Option<i64>,
    event: EventKind,
    status: StatusCode,
) -> Result<Response, AppError> {
    me.require(Action::WorkProblems, None)?;
    let id = problem_id(state, key).await?;
    let view = state
        .store
        .record(
            Actor {
                member: me.id(),
                now: state.now(),
            },
            id,
            version,
            event,
        )
        .await?;
    Ok(problem_response(status, ProblemBody::from(view)))
}

fn text(field: &str, value: &str, max: usize) -> Result<String, AppError> {
    let mut check = Check::default();
    let value = check.text(field, value, max);
    check.finish().map(|()| value)
}

/// Posts a customer-visible update.
#[utoipa::path(post, path = "/problems/{problem}/updates", tag = "problems",
    params(("problem" = String, Path, description = "The number, e.g. MG-12"),
        ("If-Match" = Option<String>, Header, description = "The ETag last seen")),
    responses((status = 201, description = "Recorded; satisfies the tell and update clocks", body = ProblemBody)))]
pub async fn post_update(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(problem): Path<String>,
    IfMatch(version): IfMatch,
    Json(m): Json<Message>,
) -> Result<Response, AppError> {
    let body = text("body", &m.body, limits::MESSAGE)?;
    record(
        &state,
        &me,
        &problem,
        version,
        EventKind::Update { body },
        StatusCode::CREATED,
    )
    .await
}

/// Posts an internal note.
#[utoipa::path(post, path = "/problems/{problem}/notes", tag = "problems",
    params(("problem" = String, Path, description = "The number, e.g. MG-12"),
        ("If-Match" = Option<String>, Header, description = "The ETag last seen")),
    responses((status = 201, description = "Recorded; internal, never satisfies a customer clock", body = ProblemBody)))]
pub async fn post_note(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(problem): Path<String>,
    IfMatch(version): IfMatch,
    Json(m): Json<Message>,
) -> Result<Response, AppError> {
    let body = text("body", &m.body, limits::MESSAGE)?;
    record(
        &state,
        &me,
        &problem,
        version,
        EventKind::Note { body },
        StatusCode::CREATED,
    )
    .await
}

/// Marks the problem as openly waiting on the customer or a vendor.
#[utoipa::path(post, path = "/problems/{problem}/wait", tag = "problems",
    params(("problem" = String, Path, description = "The number, e.g. MG-12"),
        ("If-Match" = Option<String>, Header, description = "The ETag last seen")),
    responses((status = 200, body = ProblemBody)))]
pub async fn wait_problem(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(problem): Path<String>,
    IfMatch(version): IfMatch,
    Json(w): Json<Wait>,
) -> Result<Response, AppError> {
    let reason = text("reason", &w.reason, limits::REASON)?;
    record(
        &state,
        &me,
        &problem,
        version,
        EventKind::Waiting { on: w.on, reason },
        StatusCode::OK,
    )
    .await
}

/// Stops waiting.
#[utoipa::path(post, path = "/problems/{problem}/resume", tag = "problems",
    params(("problem" = String, Path, description = "The number, e.g. MG-12"),
        ("If-Match" = Option<String>, Header, description = "The ETag last seen")),
    responses((status = 200, body = ProblemBody)))]
pub async fn resume_problem(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(problem): Path<String>,
    IfMatch(version): IfMatch,
) -> Result<Response, AppError> {
    record(
        &state,
        &me,
        &problem,
        version,
        EventKind::Resumed,
        StatusCode::OK,
    )
    .await
}

/// Marks the problem fixed.
#[utoipa::path(post, path = "/problems/{problem}/fix", tag = "problems",
    params(("problem" = String, Path, description = "The number, e.g. MG-12"),
        ("If-Match" = Option<String>, Header, description = "The ETag last seen")),
    responses((status = 200, body = ProblemBody)))]
pub async fn fix_problem(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(problem): Path<String>,
    IfMatch(version): IfMatch,
    Json(f): Json<Fix>,
) -> Result<Response, AppError> {
    let summary = text("summary", &f.summary, limits::REASON)?;
    record(
        &state,
        &me,
        &problem,
        version,
        EventKind::Fixed { summary },
        StatusCode::OK,
    )
    .await
}

/// Records that the customer confirmed the fix.
#[utoipa::path(post, path = "/problems/{problem}/confirm", tag = "problems",
    params(("problem" = String, Path, description = "The number, e.g. MG-12"),
        ("If-Match" = Option<String>, Header, description = "The ETag last seen")),
    responses((status = 200, description = "The customer confirmed the fix", body = ProblemBody)))]
pub async fn confirm_problem(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(problem): Path<String>,
    IfMatch(version): IfMatch,
) -> Result<Response, AppError> {
    record(
        &state,
        &me,
        &problem,
        version,
        EventKind::Confirmed { contact: None },
        StatusCode::OK,
    )
    .await
}

/// Closes the problem with its relationship outcome.
#[utoipa::path(post, path = "/problems/{problem}/close", tag = "problems",
    params(("problem" = String, Path, description = "The number, e.g. MG-12"),
        ("If-Match" = Option<String>, Header, description = "The ETag last seen")),
    responses((status = 200, body = ProblemBody)))]
pub async fn close_problem(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(problem): Path<String>,
    IfMatch(version): IfMatch,
    Json(c): Json<Close>,
) -> Result<Response, AppError> {
    record(
        &state,
        &me,
        &problem,
        version,
        EventKind::Closed { outcome: c.outcome },
        StatusCode::OK,
    )
    .await
}

/// Reopens a fixed, confirmed or closed problem.
#[utoipa::path(post, path = "/problems/{problem}/reopen", tag = "problems",
    params(("problem" = String, Path, description = "The number, e.g. MG-12"),
        ("If-Match" = Option<String>, Header, description = "The ETag last seen")),
    responses((status = 200, body = ProblemBody)))]
pub async fn reopen_problem(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(problem): Path<String>,
    IfMatch(version): IfMatch,
    Json(r): Json<Reopen>,
) -> Result<Response, AppError> {
    let reason = text("reason", &r.reason, limits::REASON)?;
    record(
        &state,
        &me,
        &problem,
        version,
        EventKind::Reopened { reason },
        StatusCode::OK,
    )
    .await
}

/// Gives the problem to another owner.
///
/// Reassigning needs `Reassign` (supervisors, admins); the owner may also hand their own
/// problem to someone else — owning includes finding a better owner.
#[utoipa::path(post, path = "/problems/{problem}/owner", tag = "problems",
    params(("problem" = String, Path, description = "The number, e.g. MG-12"),
        ("If-Match" = Option<String>, Header, description = "The ETag last seen")),
    responses((status = 200, body = ProblemBody)))]
pub async fn change_owner(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(problem): Path<String>,
    IfMatch(version): IfMatch,
    Json(c): Json<ChangeOwner>,
) -> Result<Response, AppError> {
    let view = find_problem(&state, problem_key(&problem)?).await?;
    let from = view.problem.owner;
    if !(from == me.id() && me.member.may(Action::WorkProblems, None)) {
        me.require(Action::Reassign, None)?;
    }
    let owner = match state.store.member(c.owner).await {
        Ok(m) => m,
        Err(makegood_store::StoreError::NotFound { .. }) => {
            return Err(AppError::invalid("owner", "no such member"));
        }
        Err(e) => return Err(e.into()),
    };
    if !owner.role.may_own() || !owner.active {
        return Err(AppError::invalid(
            "owner",
            "is a viewer or deactivated and cannot own problems",
        ));
    }
    let event = EventKind::OwnerChanged { from, to: owner.id };
    let actor = Actor {
        member: me.id(),
        now: state.now(),
    };
    let view = state
        .store
        .record(actor, view.problem.id, version, event)
        .await?;
    Ok(problem_response(StatusCode::OK, ProblemBody::from(view)))
}

/// Records that the member called the customer, with how it went: the call an upset
/// customer is owed is made and the "customer upset" flag clears.
#[utoipa::path(post, path = "/problems/{problem}/call", tag = "problems",
    params(("problem" = String, Path, description = "The number, e.g. MG-12"),
        ("If-Match" = Option<String>, Header, description = "The ETag last seen")),
    responses((status = 201, description = "Recorded; stops the call clock", body = ProblemBody)))]
pub async fn call_customer(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(problem): Path<String>,
    IfMatch(version): IfMatch,
    Json(c): Json<Call>,
) -> Result<Response, AppError> {
    let note = text("note", &c.note, limits::REASON)?;
    record(
        &state,
        &me,
        &problem,
        version,
        EventKind::CustomerCalled { note },
        StatusCode::CREATED,
    )
    .await
}
