//! The audit trail (admins): sign-ins, API token use and changes of who may do what,
//! newest first.

use axum::extract::State;
use makegood_domain::{Action, MemberId};
use makegood_store::{AuditEvent, AuditFilter, AuditKind};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::types::{ListOf, page};
use crate::auth::CurrentMember;
use crate::error::{AppError, FieldError};
use crate::extract::{Json, Query};
use crate::state::AppState;

/// The audit trail's routes, merged into `/api/v1`.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_audit_events))
}

/// Filters of the trail; they combine.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AuditListQuery {
    /// Only events of this kind: `sign_in`, `sign_in_failed`, `sign_in_refused`,
    /// `sign_out`, `token_created`, `token_revoked`, `token_used`, `member_invited`,
    /// `member_added`, `member_joined`, `role_changed`, `authority_changed`,
    /// `member_deactivated`, `member_reactivated`, `password_changed`, `policies_changed`.
    #[param(example = "sign_in_failed")]
    pub kind: Option<String>,
    /// Only events by or about this member.
    pub member: Option<i64>,
    pub cursor: Option<String>,
    /// 1 to 200, default 50.
    pub limit: Option<u32>,
}

/// One event of the audit trail.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEventBody {
    pub id: i64,
    /// When it happened (RFC 3339, UTC).
    #[schema(value_type = String, format = DateTime)]
    pub at: String,
    /// What happened, e.g. `role_changed` (the kinds are listed under the `kind` filter).
    #[schema(example = "role_changed")]
    pub kind: String,
    /// The member who did it; `null` for an anonymous caller (a failed sign-in).
    pub actor: Option<i64>,
    /// The member it concerns, if any.
    pub member: Option<i64>,
    /// What it concerns, in words: an email, `token 3`, `policies`.
    pub subject: String,
    /// Particulars, e.g. `{"from": "agent", "to": "supervisor"}`.
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
    /// The address the request came from, when known.
    pub client_ip: Option<String>,
}

impl From<AuditEvent> for AuditEventBody {
    fn from(e: AuditEvent) -> Self {
        Self {
            id: e.id,
            at: e.at.to_string(),
            kind: e.kind.as_str(),
            actor: e.actor.map(|m| m.0),
            member: e.member.map(|m| m.0),
            subject: e.subject,
            detail: e.detail,
            client_ip: e.client_ip,
        }
    }
}

/// Lists the audit trail, newest first (admins).
#[utoipa::path(get, path = "/audit", tag = "audit", params(AuditListQuery),
    responses((status = 200, description = "Newest first", body = ListOf<AuditEventBody>)))]
pub async fn list_audit_events(
    State(state): State<AppState>,
    me: CurrentMember,
    Query(q): Query<AuditListQuery>,
) -> Result<Json<ListOf<AuditEventBody>>, AppError> {
    me.require(Action::ManageMembers, None)?;
    let kind = match q.kind.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(k) => Some(AuditKind::parse(k).ok_or_else(|| AppError::BadRequest {
            detail: format!("bad query string: `{k}` is not a kind of audit event"),
            errors: vec![FieldError::new("kind", "is not a kind of audit event")],
        })?),
    };
    let filter = AuditFilter {
        kind,
        member: q.member.map(MemberId),
    };
    let found = state
        .store
        .list_audit(&filter, &page(q.cursor, q.limit)?)
        .await?;
    Ok(Json(ListOf::from_page(found, AuditEventBody::from)))
}
