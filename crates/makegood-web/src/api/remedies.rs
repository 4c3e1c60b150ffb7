//! Remedies: propose one for a problem, list (per problem, or the approval queue), get,
//! approve, reject with a reason, deliver, record the vendor's share as received.
//!
//! Agents, supervisors and admins propose, deliver and record vendor shares; only supervisors
//! and admins decide, and approving needs a remedy authority that covers the net cost.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use makegood_domain::text::limits;
use makegood_domain::{
    Action, Money, NewRemedy, Remedy, RemedyApproval, RemedyId, RemedyKind, VendorId, VendorShare,
};
use makegood_store::{Actor, RemedyFilter, RemedyListState, RemedyView};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::problems::member_param;
use super::types::{Check, ListOf, Time, page, problem_id};
use crate::auth::CurrentMember;
use crate::error::AppError;
use crate::extract::{IfMatch, Json, Path, Query, etag, is_json, parse_json};
use crate::state::AppState;

/// A remedy with its net cost and approval clock.
#[derive(Debug, Serialize, ToSchema)]
pub struct RemedyBody {
    #[serde(flatten)]
    pub remedy: Remedy,
    /// The cost less the vendor's share: what it costs us, and what an approver's authority
    /// must cover.
    pub net_cost: Money,
    /// The approval clock (24 h to decide); `null` when it was within the proposer's authority.
    pub approval: Option<RemedyApproval>,
    /// When the vendor's share was recorded as received.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub vendor_share_received_at: Option<Timestamp>,
}

impl From<RemedyView> for RemedyBody {
    fn from(v: RemedyView) -> Self {
        Self {
            remedy: v.remedy,
            net_cost: v.net_cost,
            approval: v.approval,
            vendor_share_received_at: v.vendor_share_received_at,
        }
    }
}

/// What the vendor who caused it contributes.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposedShare {
    #[schema(value_type = i64)]
    pub vendor: VendorId,
    /// In the cost's currency, at most the cost.
    pub amount: Money,
}

/// A remedy to propose.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposeRemedy {
    pub kind: RemedyKind,
    /// What the customer is told they get.
    #[schema(min_length = 1, max_length = 1000, pattern = r"\S")]
    pub description: String,
    /// What it costs us before any vendor contribution, in minor units.
    pub cost: Money,
    pub vendor_share: Option<ProposedShare>,
}

/// Why the remedy is refused.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RejectRemedy {
    #[schema(min_length = 1, pattern = r"\S")]
    pub reason: String,
}

/// When it was delivered; the body may be left out.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeliverRemedy {
    /// Defaults to now; never in the future, never before the approval.
    pub delivered_at: Option<Time>,
}

/// Which remedies to list.
#[derive(Clone, Copy, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RemedyState {
    /// The approval queue, earliest deadline first.
    AwaitingApproval,
    Approved,
    Rejected,
    Delivered,
}

/// Filters for the remedy list (by proposal time; the approval queue by deadline).
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct RemedyListQuery {
    #[param(inline)]
    pub state: Option<RemedyState>,
    /// A problem number (`MG-12`) or id.
    pub problem: Option<String>,
    /// Who proposed them: a member id or `me`.
    pub proposed_by: Option<String>,
    pub vendor: Option<i64>,
    /// `true`: only remedies (not rejected) whose vendor share is still to be received.
    pub share_outstanding: Option<bool>,
    pub cursor: Option<String>,
    /// 1 to 200, default 50.
    pub limit: Option<u32>,
}

/// A page of one problem's remedies.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ProblemRemediesQuery {
    pub cursor: Option<String>,
    /// 1 to 200, default 50.
    pub limit: Option<u32>,
}

fn remedy_response(status: StatusCode, view: RemedyView) -> Response {
    (status, etag(view.version), Json(RemedyBody::from(view))).into_response()
}

fn actor(state: &AppState, me: &CurrentMember) -> Actor {
    Actor {
        member: me.id(),
        now: state.now(),
    }
}

/// Proposes a remedy: approved at once within your remedy authority, otherwise awaiting a
/// supervisor's or admin's approval.
#[utoipa::path(post, path = "/problems/{problem}/remedies", tag = "remedies",
    params(("problem" = String, Path, description = "A problem number (`MG-12`) or id")),
    responses((status = 201, description = "Proposed: `approved` within your authority, else `awaiting_approval`", body = RemedyBody, headers(("ETag" = String)))))]
pub async fn propose_remedy(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(problem): Path<String>,
    Json(body): Json<ProposeRemedy>,
) -> Result<Response, AppError> {
    me.require(Action::WorkProblems, None)?;
    let problem = problem_id(&state, &problem).await?;
    let mut check = Check::default();
    let description = check.text("description", &body.description, limits::REMEDY);
    check.ensure(body.cost.minor >= 0, "cost", "cannot be negative");
    if let Some(share) = &body.vendor_share {
        check.ensure(
            share.amount.minor >= 0,
            "vendor_share.amount",
            "cannot be negative",
        );
        check.ensure(
            share.amount.currency == body.cost.currency,
            "vendor_share.amount",
            "must be in the cost's currency",
        );
        check.ensure(
            share.amount.minor <= body.cost.minor,
            "vendor_share.amount",
            "cannot be more than the cost",
        );
    }
    check.finish()?;
    let new = NewRemedy {
        problem,
        kind: body.kind,
        description,
        cost: body.cost,
        vendor_share: body.vendor_share.map(|s| VendorShare {
            vendor: s.vendor,
            amount: s.amount,
            received: false,
        }),
    };
    let view = state.store.propose_remedy(actor(&state, &me), new).await?;
    Ok(remedy_response(StatusCode::CREATED, view))
}

/// Lists one problem's remedies, oldest first.
#[utoipa::path(get, path = "/problems/{problem}/remedies", tag = "remedies",
    params(("problem" = String, Path, description = "A problem number (`MG-12`) or id"), ProblemRemediesQuery),
    responses((status = 200, description = "By proposal time", body = ListOf<RemedyBody>)))]
pub async fn list_problem_remedies(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(problem): Path<String>,
    Query(q): Query<ProblemRemediesQuery>,
) -> Result<Json<ListOf<RemedyBody>>, AppError> {
    me.require(Action::Read, None)?;
    let filter = RemedyFilter {
        problem: Some(problem_id(&state, &problem).await?),
        ..RemedyFilter::default()
    };
    let remedies = state
        .store
        .list_remedies(&filter, &page(q.cursor, q.limit)?, state.now())
        .await?;
    Ok(Json(ListOf::from_page(remedies, RemedyBody::from)))
}

/// Lists remedies; `state=awaiting_approval` is the approval queue, earliest deadline first.
#[utoipa::path(get, path = "/remedies", tag = "remedies", params(RemedyListQuery),
    responses((status = 200, description = "By proposal time (the approval queue by deadline)", body = ListOf<RemedyBody>)))]
pub async fn list_remedies(
    State(state): State<AppState>,
    me: CurrentMember,
    Query(q): Query<RemedyListQuery>,
) -> Result<Json<ListOf<RemedyBody>>, AppError> {
    me.require(Action::Read, None)?;
    let problem = match q.problem.as_deref() {
        Some(key) => Some(problem_id(&state, key).await?),
        None => None,
    };
    let filter = RemedyFilter {
        state: q.state.map(|s| match s {
            RemedyState::AwaitingApproval => RemedyListState::AwaitingApproval,
            RemedyState::Approved => RemedyListState::Approved,
            RemedyState::Rejected => RemedyListState::Rejected,
            RemedyState::Delivered => RemedyListState::Delivered,
        }),
        problem,
        proposed_by: member_param(&me, "proposed_by", q.proposed_by.as_deref())?,
        vendor: q.vendor.map(VendorId),
        share_outstanding: q.share_outstanding.unwrap_or(false),
    };
    let remedies = state
        .store
        .list_remedies(&filter, &page(q.cursor, q.limit)?, state.now())
        .await?;
    Ok(Json(ListOf::from_page(remedies, RemedyBody::from)))
}

/// Gets a remedy with its net cost and approval clock.
#[utoipa::path(get, path = "/remedies/{id}", tag = "remedies",
    responses((status = 200, body = RemedyBody, headers(("ETag" = String)))))]
pub async fn get_remedy(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    me.require(Action::Read, None)?;
    let view = state.store.remedy(RemedyId(id), state.now()).await?;
    Ok(remedy_response(StatusCode::OK, view))
}

/// Approves a remedy awaiting approval: a supervisor or admin whose remedy authority covers
/// its net cost.
#[utoipa::path(post, path = "/remedies/{id}/approve", tag = "remedies",
    params(("If-Match" = Option<String>, Header, description = "The ETag last seen")),
    responses(
        (status = 200, description = "Approved; the approval clock stopped", body = RemedyBody, headers(("ETag" = String))),
        (status = 412, description = "If-Match does not match the current version (ETag)", body = crate::error::ProblemDetails, content_type = "application/problem+json")))]
pub async fn approve_remedy(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(id): Path<i64>,
    IfMatch(version): IfMatch,
) -> Result<Response, AppError> {
    me.require(Action::DecideRemedies, None)?;
    let view = state.store.remedy(RemedyId(id), state.now()).await?;
    let awaiting = view.remedy.status == makegood_domain::RemedyStatus::AwaitingApproval;
    if awaiting && !view.remedy.approvable_by(&me.member) {
        return Err(AppError::Forbidden(authority_too_low(&me, &view)));
    }
    let view = state
        .store
        .approve_remedy(actor(&state, &me), view.remedy.id, version)
        .await?;
    Ok(remedy_response(StatusCode::OK, view))
}

/// Why `me` may not approve `view`, and what to do.
pub(crate) fn authority_too_low(me: &CurrentMember, view: &RemedyView) -> String {
    format!(
        "your remedy authority of {} does not cover its net cost of {}; a supervisor or admin \
         whose authority does must approve it (an admin can raise authorities under Settings → Members)",
        me.member.remedy_authority.label(),
        view.net_cost.label()
    )
}

/// Rejects a remedy awaiting approval, with the reason.
#[utoipa::path(post, path = "/remedies/{id}/reject", tag = "remedies",
    params(("If-Match" = Option<String>, Header, description = "The ETag last seen")),
    responses(
        (status = 200, description = "Rejected; the approval clock stopped", body = RemedyBody, headers(("ETag" = String))),
        (status = 412, description = "If-Match does not match the current version (ETag)", body = crate::error::ProblemDetails, content_type = "application/problem+json")))]
pub async fn reject_remedy(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(id): Path<i64>,
    IfMatch(version): IfMatch,
    Json(body): Json<RejectRemedy>,
) -> Result<Response, AppError> {
    me.require(Action::DecideRemedies, None)?;
    let mut check = Check::default();
    let reason = check.text("reason", &body.reason, limits::REASON);
    check.finish()?;
    let view = state
        .store
        .reject_remedy(actor(&state, &me), RemedyId(id), version, &reason)
        .await?;
    Ok(remedy_response(StatusCode::OK, view))
}

/// Records an approved remedy as delivered (now, or at `delivered_at`).
#[utoipa::path(post, path = "/remedies/{id}/deliver", tag = "remedies",
    params(("If-Match" = Option<String>, Header, description = "The ETag last seen")),
    request_body(content = Option<DeliverRemedy>, description = "Optional: leave it out to record the delivery now"),
    responses(
        (status = 200, description = "Delivered", body = RemedyBody, headers(("ETag" = String))),
        (status = 412, description = "If-Match does not match the current version (ETag)", body = crate::error::ProblemDetails, content_type = "application/problem+json")))]
pub async fn deliver_remedy(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(id): Path<i64>,
    IfMatch(version): IfMatch,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    me.require(Action::WorkProblems, None)?;
    let body: DeliverRemedy = if body.iter().all(u8::is_ascii_whitespace) {
        DeliverRemedy::default()
    } else if is_json(&headers) {
        parse_json(&body)?
    } else {
        return Err(AppError::UnsupportedMediaType(
            "send the body as JSON with the header `Content-Type: application/json`, or none"
                .into(),
        ));
    };
    let now = state.now();
    let delivered_at = body.delivered_at.map(|t| t.0);
    if delivered_at.is_some_and(|at| at > now) {
        return Err(AppError::invalid(
            "delivered_at",
            "cannot be in the future: record a delivery once it has happened",
        ));
    }
    let view = state
        .store
        .deliver_remedy(actor(&state, &me), RemedyId(id), version, delivered_at)
        .await?;
    Ok(remedy_response(StatusCode::OK, view))
}

/// Records that the vendor's share has been received (again: no change).
#[utoipa::path(post, path = "/remedies/{id}/receive-vendor-share", tag = "remedies",
    params(("If-Match" = Option<String>, Header, description = "The ETag last seen")),
    responses(
        (status = 200, description = "Received", body = RemedyBody, headers(("ETag" = String))),
        (status = 412, description = "If-Match does not match the current version (ETag)", body = crate::error::ProblemDetails, content_type = "application/problem+json")))]
pub async fn receive_vendor_share(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(id): Path<i64>,
    IfMatch(version): IfMatch,
) -> Result<Response, AppError> {
    me.require(Action::WorkProblems, None)?;
    let view = state
        .store
        .receive_vendor_share(actor(&state, &me), RemedyId(id), version)
        .await?;
    Ok(remedy_response(StatusCode::OK, view))
}
