//! A contact's customer portal access: email them a sign-in link, or revoke every link and
//! session they have. The link's secret never leaves the server here: it goes into one email.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use jiff::Timestamp;
use makegood_domain::{Action, ContactId, ProblemId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::types::problem_id;
use crate::auth::CurrentMember;
use crate::error::AppError;
use crate::extract::{Json, Path, is_json, parse_json};
use crate::state::AppState;

/// Where the link lands; leave the body out for the list of the contact's problems.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SendPortalLink {
    /// A problem affecting the contact's account, by number (`MG-12`) or id: the link
    /// lands on it.
    pub problem: Option<String>,
}

/// A sign-in link on its way (the secret is only in the email).
#[derive(Debug, Serialize, ToSchema)]
pub struct PortalLinkSent {
    #[schema(value_type = i64)]
    pub contact: ContactId,
    /// The address the email goes to.
    pub sent_to: String,
    /// The id of the problem the link lands on.
    #[schema(value_type = Option<i64>)]
    pub problem: Option<ProblemId>,
    /// When the link stops working (it also works only once).
    #[schema(value_type = String, format = DateTime)]
    pub expires_at: Timestamp,
}

/// Emails the contact a single-use sign-in link to the customer portal.
#[utoipa::path(post, path = "/contacts/{id}/portal-link", tag = "contacts",
    request_body(content = Option<SendPortalLink>, description = "Optional: leave it out for a link to the contact's list of problems"),
    responses(
        (status = 202, description = "The email is in the outbox", body = PortalLinkSent),
        (status = 422, description = "The contact has no email address, or the problem does not affect their account", body = crate::error::ProblemDetails, content_type = "application/problem+json")))]
pub async fn send_portal_link(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(id): Path<i64>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<PortalLinkSent>), AppError> {
    me.require(Action::ManageParties, None)?;
    let body: SendPortalLink = if body.iter().all(u8::is_ascii_whitespace) {
        SendPortalLink::default()
    } else if is_json(&headers) {
        parse_json(&body)?
    } else {
        return Err(AppError::UnsupportedMediaType(
            "send the body as JSON with the header `Content-Type: application/json`, or none"
                .into(),
        ));
    };
    let problem = match body.problem.as_deref() {
        Some(key) => Some(problem_id(&state, key).await.map_err(|e| match e {
            AppError::NotFound(m) | AppError::BadRequest { detail: m, .. } => {
                AppError::invalid("problem", m)
            }
            other => other,
        })?),
        None => None,
    };
    let issued = state
        .store
        .send_portal_link(ContactId(id), problem, Some(me.member.id), state.now())
        .await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(PortalLinkSent {
            contact: issued.contact.id,
            sent_to: issued.contact.email.unwrap_or_default(),
            problem: issued.problem,
            expires_at: issued.expires_at,
        }),
    ))
}

/// Revokes the contact's portal access: withdraws their unused links, signs out their sessions.
#[utoipa::path(delete, path = "/contacts/{id}/portal-access", tag = "contacts",
    responses((status = 204, description = "Revoked (also when there was nothing to revoke)")))]
pub async fn revoke_portal_access(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(id): Path<i64>,
) -> Result<StatusCode, AppError> {
    me.require(Action::ManageParties, None)?;
    state
        .store
        .revoke_portal_access(ContactId(id), state.now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
