//! Promises: make, get, list, keep, renegotiate (before due), release.
//!
//! Agents work only the promises they made; supervisors and admins work every promise.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use makegood_domain::text::limits;
use makegood_domain::{AccountId, Action, ContactId, MemberId, PromiseId, PromiseStatus};
use makegood_store::{
    Actor, NewAccountsPromise, NewPromise, PromiseFilter, PromiseListState, PromiseView,
};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::problems::member_param;
use super::types::{Check, ListOf, PromiseBody, Time, page, problem_id};
use crate::auth::CurrentMember;
use crate::error::AppError;
use crate::extract::{IfMatch, Json, Path, Query, etag};
use crate::state::AppState;

/// A new promise.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePromise {
    /// What was promised, in the customer's words if possible.
    #[schema(min_length = 1, pattern = r"\S")]
    pub what: String,
    /// To whom: contacts (of the problem's accounts, when there is a problem). Or, on a
    /// problem, `accounts` or `all_accounts` instead.
    #[serde(default)]
    #[schema(value_type = Vec<i64>)]
    pub contacts: Vec<ContactId>,
    /// To every contact of these accounts (affected by `problem`), as they are now.
    #[schema(value_type = Option<Vec<i64>>)]
    pub accounts: Option<Vec<AccountId>>,
    /// To every contact of every account `problem` affects, as they are now.
    #[serde(default)]
    pub all_accounts: bool,
    /// Who made it and keeps it; defaults to you (only supervisors and admins name someone else).
    #[schema(value_type = Option<i64>)]
    pub made_by: Option<MemberId>,
    /// The problem, by number (`MG-12`) or id.
    pub problem: Option<String>,
    /// In the future.
    pub due_at: Time,
}

/// A new due time, agreed with the customer before the old one passed.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Renegotiate {
    pub due_at: Time,
    #[schema(min_length = 1, pattern = r"\S")]
    pub reason: String,
}

/// Why the customer waived it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Release {
    #[schema(min_length = 1, pattern = r"\S")]
    pub reason: String,
}

/// Which promises to list.
#[derive(Clone, Copy, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PromiseState {
    Open,
    /// Open and in warning.
    AtRisk,
    Kept,
    Broken,
    Renegotiated,
    Released,
}

/// Filters for the promise list (ordered by due time).
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PromiseListQuery {
    pub state: Option<PromiseState>,
    /// Who made them: a member id or `me`.
    pub owner: Option<String>,
    pub account: Option<i64>,
    /// A problem number (`MG-12`) or id.
    pub problem: Option<String>,
    /// Only promises due before this time (RFC 3339 with offset).
    #[param(value_type = Option<String>, format = DateTime)]
    pub due_before: Option<Time>,
    pub cursor: Option<String>,
    /// 1 to 200, default 50.
    pub limit: Option<u32>,
}

fn promise_response(status: StatusCode, view: PromiseView) -> Response {
    (
        status,
        etag(view.promise.version),
        Json(PromiseBody::from(view)),
    )
        .into_response()
}

/// Loads a promise and checks the caller may work it.
async fn workable(state: &AppState, me: &CurrentMember, id: i64) -> Result<PromiseView, AppError> {
    me.require(Action::WorkOwnPromises, None)?;
    let view = state.store.promise(PromiseId(id), state.now()).await?;
    me.require(Action::WorkOwnPromises, Some(view.promise.made_by))?;
    Ok(view)
}

fn actor(state: &AppState, me: &CurrentMember) -> Actor {
    Actor {
        member: me.id(),
        now: state.now(),
    }
}

/// Records a promise to a customer.
#[utoipa::path(post, path = "/promises", tag = "promises",
    responses((status = 201, body = PromiseBody, headers(("ETag" = String)))))]
pub async fn create_promise(
    State(state): State<AppState>,
    me: CurrentMember,
    Json(body): Json<CreatePromise>,
) -> Result<Response, AppError> {
    let made_by = body.made_by.unwrap_or(me.id());
    me.require(Action::WorkOwnPromises, Some(made_by))?;
    let now = state.now();
    let mut check = Check::default();
    let what = check.text("what", &body.what, limits::PROMISE);
    let audiences = usize::from(!body.contacts.is_empty())
        + usize::from(body.accounts.is_some())
        + usize::from(body.all_accounts);
    check.ensure(
        audiences > 0,
        "contacts",
        "name at least one contact the promise is made to, or give accounts or all_accounts",
    );
    check.ensure(
        audiences < 2,
        "contacts",
        "give only one of contacts, accounts and all_accounts",
    );
    if let Some(accounts) = &body.accounts {
        check.ensure(
            !accounts.is_empty(),
            "accounts",
            "name at least one affected account, or use all_accounts",
        );
    }
    check.ensure(
        body.problem.is_some() || audiences == 0 || !body.contacts.is_empty(),
        "problem",
        "a promise to accounts is made on a problem: give the problem they are affected by",
    );
    check.ensure(body.due_at.0 > now, "due_at", "must be in the future");
    check.finish()?;
    let problem = match body.problem.as_deref() {
        Some(key) => Some(problem_id(&state, key).await.map_err(|e| match e {
            AppError::NotFound(m) | AppError::BadRequest { detail: m, .. } => {
                AppError::invalid("problem", m)
            }
            other => other,
        })?),
        None => None,
    };
    if let (Some(problem), true) = (problem, body.accounts.is_some() || body.all_accounts) {
        let new = NewAccountsPromise {
            what,
            problem,
            accounts: body.accounts,
            made_by,
            due_at: body.due_at.0,
        };
        let view = state
            .store
            .create_accounts_promise(actor(&state, &me), new)
            .await?;
        return Ok(promise_response(StatusCode::CREATED, view));
    }
    let new = NewPromise {
        what,
        contacts: body.contacts,
        made_by,
        problem,
        due_at: body.due_at.0,
    };
    let view = state.store.create_promise(actor(&state, &me), new).await?;
    Ok(promise_response(StatusCode::CREATED, view))
}

/// Gets a promise with its state and clock.
#[utoipa::path(get, path = "/promises/{id}", tag = "promises",
    responses((status = 200, body = PromiseBody, headers(("ETag" = String)))))]
pub async fn get_promise(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    me.require(Action::Read, None)?;
    let view = state.store.promise(PromiseId(id), state.now()).await?;
    Ok(promise_response(StatusCode::OK, view))
}

/// Lists promises by due time.
#[utoipa::path(get, path = "/promises", tag = "promises", params(PromiseListQuery),
    responses((status = 200, description = "By due time", body = ListOf<PromiseBody>)))]
pub async fn list_promises(
    State(state): State<AppState>,
    me: CurrentMember,
    Query(q): Query<PromiseListQuery>,
) -> Result<Json<ListOf<PromiseBody>>, AppError> {
    me.require(Action::Read, None)?;
    let problem = match q.problem.as_deref() {
        Some(key) => Some(problem_id(&state, key).await?),
        None => None,
    };
    let filter = PromiseFilter {
        state: q.state.map(|s| match s {
            PromiseState::Open => PromiseListState::Open,
            PromiseState::AtRisk => PromiseListState::AtRisk,
            PromiseState::Kept => PromiseListState::Kept,
            PromiseState::Broken => PromiseListState::Broken,
            PromiseState::Renegotiated => PromiseListState::Renegotiated,
            PromiseState::Released => PromiseListState::Released,
        }),
        made_by: member_param(&me, "owner", q.owner.as_deref())?,
        account: q.account.map(AccountId),
        problem,
        due_before: q.due_before.map(|t| t.0),
    };
    let promises = state
        .store
        .list_promises(&filter, &page(q.cursor, q.limit)?, state.now())
        .await?;
    Ok(Json(ListOf::from_page(promises, PromiseBody::from)))
}

/// Marks a promise kept.
#[utoipa::path(post, path = "/promises/{id}/keep", tag = "promises",
    params(("If-Match" = Option<String>, Header, description = "The ETag last seen")),
    responses((status = 200, description = "Kept", body = PromiseBody, headers(("ETag" = String)))))]
pub async fn keep_promise(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(id): Path<i64>,
    IfMatch(version): IfMatch,
) -> Result<Response, AppError> {
    let view = workable(&state, &me, id).await?;
    let view = state
        .store
        .keep_promise(actor(&state, &me), view.promise.id, version)
        .await?;
    Ok(promise_response(StatusCode::OK, view))
}

/// Agrees a new due time before the old one passes.
#[utoipa::path(post, path = "/promises/{id}/renegotiate", tag = "promises",
    params(("If-Match" = Option<String>, Header, description = "The ETag last seen")),
    responses((status = 201, description = "The successor promise carrying the new due time", body = PromiseBody, headers(("ETag" = String)))))]
pub async fn renegotiate_promise(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(id): Path<i64>,
    IfMatch(version): IfMatch,
    Json(body): Json<Renegotiate>,
) -> Result<Response, AppError> {
    let view = workable(&state, &me, id).await?;
    if view.state == PromiseStatus::Broken {
        return Err(AppError::Conflict(format!(
            "the promise was due at {} and is broken; a promise can only be renegotiated before it is due",
            view.promise.due_at
        )));
    }
    let mut check = Check::default();
    let reason = check.text("reason", &body.reason, limits::REASON);
    check.ensure(
        body.due_at.0 > state.now(),
        "due_at",
        "must be in the future",
    );
    check.finish()?;
    let successor = state
        .store
        .renegotiate_promise(
            actor(&state, &me),
            view.promise.id,
            version,
            body.due_at.0,
            &reason,
        )
        .await?;
    Ok(promise_response(StatusCode::CREATED, successor))
}

/// Records that the customer released the promise.
#[utoipa::path(post, path = "/promises/{id}/release", tag = "promises",
    params(("If-Match" = Option<String>, Header, description = "The ETag last seen")),
    responses((status = 200, description = "Released", body = PromiseBody, headers(("ETag" = String)))))]
pub async fn release_promise(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(id): Path<i64>,
    IfMatch(version): IfMatch,
    Json(body): Json<Release>,
) -> Result<Response, AppError> {
    let view = workable(&state, &me, id).await?;
    let mut check = Check::default();
    let reason = check.text("reason", &body.reason, limits::REASON);
    check.finish()?;
    let view = state
        .store
        .release_promise(actor(&state, &me), view.promise.id, version, &reason)
        .await?;
    Ok(promise_response(StatusCode::OK, view))
}
