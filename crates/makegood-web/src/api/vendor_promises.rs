//! Vendor promises: what a vendor promised us about a problem — record, list, keep,
//! renegotiate (before due); broken by the scheduler. And each vendor's reliability.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use makegood_domain::text::limits;
use makegood_domain::{
    Action, Clock, ProblemNumber, PromiseStatus, VendorId, VendorPromise, VendorPromiseId,
};
use makegood_store::{Actor, NewVendorPromise, VendorPromiseView, VendorReliability};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::types::{Check, Time, problem_id};
use crate::auth::CurrentMember;
use crate::error::AppError;
use crate::extract::{IfMatch, Json, Path, etag};
use crate::state::AppState;

/// A vendor promise with its state and clock now.
#[derive(Debug, Serialize, ToSchema)]
pub struct VendorPromiseBody {
    #[serde(flatten)]
    pub vendor_promise: VendorPromise,
    pub vendor_name: String,
    #[schema(value_type = String, example = "MG-12")]
    pub problem_number: ProblemNumber,
    /// The state now: an open vendor promise past due is broken.
    pub state: PromiseStatus,
    pub clock: Clock,
}

impl From<VendorPromiseView> for VendorPromiseBody {
    fn from(v: VendorPromiseView) -> Self {
        Self {
            vendor_promise: v.vendor_promise,
            vendor_name: v.vendor_name,
            problem_number: v.problem_number,
            state: v.state,
            clock: v.clock,
        }
    }
}

/// How a vendor's promises to us ended.
#[derive(Debug, Serialize, ToSchema)]
pub struct VendorReliabilityBody {
    #[schema(value_type = i64)]
    pub vendor: VendorId,
    pub name: String,
    pub kept: u64,
    pub renegotiated: u64,
    /// Including open ones already past due.
    pub broken: u64,
    /// Open and not yet due.
    pub open: u64,
    /// Kept on time, of the decided (kept, renegotiated, broken), e.g. `66.7%`.
    pub kept_on_time: Option<String>,
    /// The same in basis points (10000 = 100%).
    pub kept_on_time_bp: Option<u32>,
    pub broken_rate: Option<String>,
}

impl From<VendorReliability> for VendorReliabilityBody {
    fn from(r: VendorReliability) -> Self {
        Self {
            vendor: r.vendor,
            name: r.name,
            kept: r.record.kept,
            renegotiated: r.record.renegotiated,
            broken: r.record.broken,
            open: r.record.open,
            kept_on_time: r.record.kept_rate().map(|x| x.to_string()),
            kept_on_time_bp: r.record.kept_rate().map(|x| x.basis_points()),
            broken_rate: r.record.broken_rate().map(|x| x.to_string()),
        }
    }
}

/// What a vendor promised us, and by when.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateVendorPromise {
    #[schema(value_type = i64)]
    pub vendor: VendorId,
    #[schema(min_length = 1, max_length = 500, pattern = r"\S")]
    pub what: String,
    /// In the future.
    pub due_at: Time,
}

/// A new due time agreed with the vendor before the old one passed.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RenegotiateVendorPromise {
    pub due_at: Time,
    #[schema(min_length = 1, pattern = r"\S")]
    pub reason: String,
}

fn response(status: StatusCode, view: VendorPromiseView) -> Response {
    (
        status,
        etag(view.vendor_promise.version),
        Json(VendorPromiseBody::from(view)),
    )
        .into_response()
}

fn actor(state: &AppState, me: &CurrentMember) -> Actor {
    Actor {
        member: me.id(),
        now: state.now(),
    }
}

/// Records what a vendor promised us about a problem.
#[utoipa::path(post, path = "/problems/{problem}/vendor-promises", tag = "vendor-promises",
    params(("problem" = String, Path, description = "The number, e.g. MG-12 (or the id)")),
    responses((status = 201, body = VendorPromiseBody, headers(("ETag" = String)))))]
pub async fn create_vendor_promise(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(problem): Path<String>,
    Json(body): Json<CreateVendorPromise>,
) -> Result<Response, AppError> {
    me.require(Action::WorkProblems, None)?;
    let problem = problem_id(&state, &problem).await?;
    let mut check = Check::default();
    let what = check.text("what", &body.what, limits::PROMISE);
    check.ensure(
        body.due_at.0 > state.now(),
        "due_at",
        "must be in the future",
    );
    check.finish()?;
    let new = NewVendorPromise {
        problem,
        vendor: body.vendor,
        what,
        due_at: body.due_at.0,
    };
    let view = state
        .store
        .make_vendor_promise(actor(&state, &me), new)
        .await?;
    Ok(response(StatusCode::CREATED, view))
}

/// The vendor promises of a problem, by due time.
#[utoipa::path(get, path = "/problems/{problem}/vendor-promises", tag = "vendor-promises",
    params(("problem" = String, Path, description = "The number, e.g. MG-12 (or the id)")),
    responses((status = 200, body = Vec<VendorPromiseBody>)))]
pub async fn list_problem_vendor_promises(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(problem): Path<String>,
) -> Result<Json<Vec<VendorPromiseBody>>, AppError> {
    me.require(Action::Read, None)?;
    let problem = problem_id(&state, &problem).await?;
    let views = state
        .store
        .problem_vendor_promises(problem, state.now())
        .await?;
    Ok(Json(
        views.into_iter().map(VendorPromiseBody::from).collect(),
    ))
}

/// Gets a vendor promise with its state and clock.
#[utoipa::path(get, path = "/vendor-promises/{id}", tag = "vendor-promises",
    responses((status = 200, body = VendorPromiseBody, headers(("ETag" = String)))))]
pub async fn get_vendor_promise(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    me.require(Action::Read, None)?;
    let view = state
        .store
        .vendor_promise(VendorPromiseId(id), state.now())
        .await?;
    Ok(response(StatusCode::OK, view))
}

/// The vendor delivered by the due time.
#[utoipa::path(post, path = "/vendor-promises/{id}/keep", tag = "vendor-promises",
    params(("If-Match" = Option<String>, Header, description = "The ETag last seen")),
    responses((status = 200, description = "Kept", body = VendorPromiseBody, headers(("ETag" = String)))))]
pub async fn keep_vendor_promise(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(id): Path<i64>,
    IfMatch(version): IfMatch,
) -> Result<Response, AppError> {
    me.require(Action::WorkProblems, None)?;
    let view = state
        .store
        .keep_vendor_promise(actor(&state, &me), VendorPromiseId(id), version)
        .await?;
    Ok(response(StatusCode::OK, view))
}

/// Agrees a new due time with the vendor before the old one passes.
#[utoipa::path(post, path = "/vendor-promises/{id}/renegotiate", tag = "vendor-promises",
    params(("If-Match" = Option<String>, Header, description = "The ETag last seen")),
    responses((status = 201, description = "The successor carrying the new due time", body = VendorPromiseBody, headers(("ETag" = String)))))]
pub async fn renegotiate_vendor_promise(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(id): Path<i64>,
    IfMatch(version): IfMatch,
    Json(body): Json<RenegotiateVendorPromise>,
) -> Result<Response, AppError> {
    me.require(Action::WorkProblems, None)?;
    let mut check = Check::default();
    let reason = check.text("reason", &body.reason, limits::REASON);
    check.ensure(
        body.due_at.0 > state.now(),
        "due_at",
        "must be in the future",
    );
    check.finish()?;
    let view = state
        .store
        .renegotiate_vendor_promise(
            actor(&state, &me),
            VendorPromiseId(id),
            version,
            body.due_at.0,
            &reason,
        )
        .await?;
    Ok(response(StatusCode::CREATED, view))
}

/// How a vendor's promises to us ended: kept on time, renegotiated, broken.
#[utoipa::path(get, path = "/vendors/{id}/reliability", tag = "vendor-promises",
    responses((status = 200, body = VendorReliabilityBody)))]
pub async fn get_vendor_reliability(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(id): Path<i64>,
) -> Result<Json<VendorReliabilityBody>, AppError> {
    me.require(Action::Read, None)?;
    let vendor = state.store.vendor(VendorId(id)).await?;
    let found = state
        .store
        .vendor_reliability(Some(vendor.id), state.now())
        .await?
        .pop();
    let r = found.unwrap_or(VendorReliability {
        vendor: vendor.id,
        name: vendor.name,
        record: Default::default(),
    });
    Ok(Json(r.into()))
}
