//! `GET/PUT /api/v1/me/preferences`: how and when the caller hears from makegood.

use axum::extract::State;
use makegood_domain::Preferences;

use crate::auth::CurrentMember;
use crate::error::AppError;
use crate::extract::Json;
use crate::state::AppState;

/// Your notification preferences.
#[utoipa::path(get, path = "/me/preferences", tag = "me", responses((status = 200, body = Preferences)))]
pub async fn get_preferences(
    State(state): State<AppState>,
    me: CurrentMember,
) -> Result<Json<Preferences>, AppError> {
    Ok(Json(state.store.preferences(me.id()).await?))
}

/// Replaces your notification preferences.
///
/// Working hours are read in your time zone; warnings wait for them, breaches do not.
#[utoipa::path(put, path = "/me/preferences", tag = "me", responses((status = 200, body = Preferences)))]
pub async fn update_preferences(
    State(state): State<AppState>,
    me: CurrentMember,
    Json(body): Json<Preferences>,
) -> Result<Json<Preferences>, AppError> {
    Ok(Json(state.store.set_preferences(me.id(), body).await?))
}
