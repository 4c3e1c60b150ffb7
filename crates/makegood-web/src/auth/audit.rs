//! One-line hooks that append to the audit trail where the web layer makes a change the
//! store has no actor for (API tokens, policies, members added with a password).

use makegood_domain::MemberId;
use makegood_store::{ApiToken, AuditKind, NewAuditEvent};
use serde_json::json;

use crate::error::AppError;
use crate::state::AppState;

/// `by` created `token`.
pub(crate) async fn token_created(
    state: &AppState,
    by: MemberId,
    token: &ApiToken,
) -> Result<(), AppError> {
    token_event(state, AuditKind::TokenCreated, by, token).await
}

/// `by` revoked `token`.
pub(crate) async fn token_revoked(
    state: &AppState,
    by: MemberId,
    token: &ApiToken,
) -> Result<(), AppError> {
    token_event(state, AuditKind::TokenRevoked, by, token).await
}

async fn token_event(
    state: &AppState,
    kind: AuditKind,
    by: MemberId,
    token: &ApiToken,
) -> Result<(), AppError> {
    let event = NewAuditEvent::new(kind, format!("token {}", token.id))
        .by(by)
        .about(token.member)
        .detail(json!({ "token": token.id, "name": token.name }));
    state.store.record_audit(event, state.now()).await?;
    Ok(())
}

/// `by` changed the policies; `detail` says how.
pub(crate) async fn policies_changed(
    state: &AppState,
    by: MemberId,
    detail: serde_json::Value,
) -> Result<(), AppError> {
    let event = NewAuditEvent::new(AuditKind::PoliciesChanged, "policies")
        .by(by)
        .detail(detail);
    state.store.record_audit(event, state.now()).await?;
    Ok(())
}

/// `by` added `member` (with a password, not an invitation).
pub(crate) async fn member_added(
    state: &AppState,
    by: MemberId,
    member: &makegood_domain::Member,
) -> Result<(), AppError> {
    let event = NewAuditEvent::new(AuditKind::MemberAdded, member.email.as_str())
        .by(by)
        .about(member.id)
        .detail(json!({ "role": member.role.as_str() }));
    state.store.record_audit(event, state.now()).await?;
    Ok(())
}
