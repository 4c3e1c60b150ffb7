//! Policies: the targets per severity; everyone reads them, admins edit them.

use axum::extract::State;
use makegood_domain::{Action, Policies};

use crate::auth::CurrentMember;
use crate::error::AppError;
use crate::extract::Json;
use crate::state::AppState;

/// The policies per severity.
#[utoipa::path(get, path = "/policies", tag = "policies", responses((status = 200, body = Policies)))]
pub async fn get_policies(
    State(state): State<AppState>,
    me: CurrentMember,
) -> Result<Json<Policies>, AppError> {
    me.require(Action::Read, None)?;
    Ok(Json(state.store.policies().await?))
}

/// Replaces the policies (admins).
///
/// Replaces the whole policy set; the deadlines of open problems are recomputed.
#[utoipa::path(put, path = "/policies", tag = "policies", responses((status = 200, body = Policies)))]
pub async fn update_policies(
    State(state): State<AppState>,
    me: CurrentMember,
    Json(policies): Json<Policies>,
) -> Result<Json<Policies>, AppError> {
    me.require(Action::EditPolicies, None)?;
    policies
        .validate()
        .map_err(|e| AppError::invalid(e.field, e.message))?;
    let saved = state.store.set_policies(&policies).await?;
    let detail =
        serde_json::json!({ "policies": serde_json::to_value(&saved).unwrap_or_default() });
    crate::auth::audit::policies_changed(&state, me.id(), detail).await?;
    Ok(Json(saved))
}
