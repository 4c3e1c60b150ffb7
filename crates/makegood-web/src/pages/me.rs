//! `/me` (My account): the signed-in member's time zone, password, notification preferences,
//! API tokens and calendar feed link. Every form posts to its own path and redirects back.

mod preferences;
mod tokens;

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum_extra::extract::cookie::CookieJar;
use makegood_domain::member::valid_time_zone;
use makegood_store::{Actor, MemberPatch};
use serde::Deserialize;

use super::settings::time_zone_options;
use super::{Chrome, FieldErrors, PageError, PageForm, SignedIn, When, flash_redirect, render};
use crate::auth::{
    ClientIp, DUMMY_HASH, hash_password, session_hash, validate_password, verify_password,
};
use crate::error::AppError;
use crate::pages::settings::TokenRow;
use crate::state::AppState;
use preferences::{FormView, HoursRow};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/me", get(me))
        .route("/me/time-zone", post(set_time_zone))
        .route("/me/password", post(change_password))
        .route("/me/preferences", post(preferences::update_preferences))
        .route("/me/tokens", post(tokens::create_token))
        .route("/me/tokens/{id}/revoke", post(tokens::revoke_token))
        .route("/me/calendar-feed", post(tokens::create_feed))
        .route("/me/calendar-feed/revoke", post(tokens::revoke_feed))
}

#[derive(Template)]
#[template(path = "me.html")]
struct MePage {
    chrome: Chrome,
    email: String,
    /// As stored, or as typed when refused.
    time_zone: String,
    /// The current time in the member's zone, so a change of zone is visible at once.
    now: When,
    zones: Vec<&'static str>,
    email_alerts: bool,
    daily_digest: bool,
    hours: Vec<HoursRow>,
    tokens: Vec<TokenRow>,
    /// The name typed for a new token, when refused.
    token_name: String,
    /// Whether "read-only" was chosen for a new token, when refused (read-write by default).
    token_read_only: bool,
    errors: FieldErrors,
}

/// What a refused form puts back into the page: the values typed, the errors.
#[derive(Default)]
struct Kept {
    time_zone: Option<String>,
    preferences: Option<preferences::PreferencesForm>,
    token_name: String,
    token_read_only: bool,
    errors: FieldErrors,
}

async fn page(state: &AppState, user: &SignedIn, kept: Kept) -> Result<MePage, PageError> {
    let now = state.now();
    let stored = state.store.preferences(user.member.id).await?;
    let (email_alerts, daily_digest, hours) = match &kept.preferences {
        Some(form) => (form.email_alerts(), form.daily_digest(), form.rows()),
        None => (
            stored.email_alerts,
            stored.daily_digest,
            preferences::rows(&stored),
        ),
    };
    let tokens = state
        .store
        .list_api_tokens(Some(user.member.id))
        .await?
        .iter()
        .map(|t| TokenRow::new(t, user.member.name.clone(), &user.zone, now))
        .collect();
    Ok(MePage {
        chrome: user.chrome("me"),
        email: user.member.email.as_str().to_owned(),
        time_zone: kept
            .time_zone
            .unwrap_or_else(|| user.member.time_zone.clone()),
        now: When::new(now, &user.zone, now),
        zones: time_zone_options(),
        email_alerts,
        daily_digest,
        hours,
        tokens,
        token_name: kept.token_name,
        token_read_only: kept.token_read_only,
        errors: kept.errors,
    })
}

/// Re-renders My account with the refused form's input and errors (422).
async fn refused(state: &AppState, user: &SignedIn, kept: Kept) -> Result<Response, PageError> {
    let page = page(state, user, kept).await?;
    Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
}

pub async fn me(State(state): State<AppState>, user: SignedIn) -> Result<Response, PageError> {
    let page = page(&state, &user, Kept::default()).await?;
    Ok(render(StatusCode::OK, &page))
}

/// The time zone form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TimeZoneForm {
    time_zone: String,
}

pub async fn set_time_zone(
    State(state): State<AppState>,
    user: SignedIn,
    PageForm(form): PageForm<TimeZoneForm>,
) -> Result<Response, PageError> {
    let zone = form.time_zone.trim().to_owned();
    if !valid_time_zone(&zone) {
        let mut errors = FieldErrors::default();
        errors.push("time_zone", "is not an IANA time zone like Europe/Berlin");
        let kept = Kept {
            time_zone: Some(form.time_zone),
            errors,
            ..Kept::default()
        };
        return refused(&state, &user, kept).await;
    }
    let patch = MemberPatch {
        time_zone: Some(zone.clone()),
        ..MemberPatch::default()
    };
    state.store.update_member(user.member.id, patch).await?;
    Ok(flash_redirect(
        "/me",
        &format!("Your time zone is now {zone}; times are shown in it."),
    ))
}

/// The password form; neither password is ever sent back.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PasswordForm {
    current_password: String,
    new_password: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
    user: SignedIn,
    PageForm(form): PageForm<PasswordForm>,
) -> Result<Response, PageError> {
    let stored = state
        .store
        .member_credentials(&user.member.email)
        .await?
        .and_then(|(_, hash)| hash)
        .unwrap_or_else(|| DUMMY_HASH.clone());
    let current = form.current_password;
    // Verifying is deliberately slow; keep it off the async workers.
    let matches = tokio::task::spawn_blocking(move || verify_password(&current, &stored))
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    let mut errors = FieldErrors::default();
    if !matches {
        errors.push("current_password", "is not your current password");
    }
    if let Err(message) = validate_password(&form.new_password) {
        errors.push("new_password", message);
    }
    if !errors.is_empty() {
        let kept = Kept {
            errors,
            ..Kept::default()
        };
        return refused(&state, &user, kept).await;
    }
    let password = form.new_password;
    let hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| AppError::Internal(e.into()))?
        .map_err(AppError::Internal)?;
    // Every other session of the member ends: whoever knew the old password is signed out.
    let actor = Actor {
        member: user.member.id,
        now: state.now(),
    };
    let here = session_hash(&jar);
    state
        .store
        .change_password(actor, ip, user.member.id, &hash, here.as_deref())
        .await?;
    Ok(flash_redirect(
        "/me",
        "Your password is changed, and you are signed out everywhere else. Use the new one next time you sign in.",
    ))
}
