//! `POST/DELETE /api/v1/me/calendar-feed`: the caller's secret iCalendar feed URL.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::{CurrentMember, random_secret, sha256_hex};
use crate::error::AppError;
use crate::extract::Json;
use crate::state::AppState;

/// A new feed URL, shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct CalendarFeed {
    /// Subscribe to this in a calendar app; anyone with it sees your deadlines.
    #[schema(example = "https://desk.example.com/calendar/3f9c….ics")]
    pub url: String,
}

/// Creates your calendar feed URL, replacing (and disabling) any earlier one.
#[utoipa::path(post, path = "/me/calendar-feed", tag = "me",
    responses((status = 201, description = "The URL is in this response only", body = CalendarFeed)))]
pub async fn create_calendar_feed(
    State(state): State<AppState>,
    me: CurrentMember,
) -> Result<(StatusCode, Json<CalendarFeed>), AppError> {
    let secret = random_secret();
    state
        .store
        .set_feed_token(me.id(), &sha256_hex(&secret), state.now())
        .await?;
    let url = format!("{}/calendar/{secret}.ics", state.public_url);
    Ok((StatusCode::CREATED, Json(CalendarFeed { url })))
}

/// Revokes your calendar feed URL.
#[utoipa::path(delete, path = "/me/calendar-feed", tag = "me", responses((status = 204, description = "Revoked (or there was none)")))]
pub async fn revoke_calendar_feed(
    State(state): State<AppState>,
    me: CurrentMember,
) -> Result<StatusCode, AppError> {
    state.store.revoke_feed_token(me.id()).await?;
    Ok(StatusCode::NO_CONTENT)
}
