//! Session cookies: a random token in `makegood_session`, its SHA-256 kept by the store.

use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use jiff::{SignedDuration, Timestamp};
use makegood_domain::MemberId;

use super::{random_secret, sha256_hex};
use crate::error::AppError;
use crate::state::AppState;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "makegood_session";

/// How long a session lasts.
const SESSION_LENGTH: SignedDuration = SignedDuration::from_hours(14 * 24);

/// The store's key for the session in `jar`, if there is one.
pub fn session_hash(jar: &CookieJar) -> Option<String> {
    jar.get(SESSION_COOKIE).map(|c| sha256_hex(c.value()))
}

/// Starts a session for `member` and adds its cookie to `jar`. Whatever session the
/// browser carried is ended first, and the new one has a new secret and CSRF token: a
/// session id planted before sign-in is worth nothing after it (no session fixation).
pub async fn start_session(
    state: &AppState,
    jar: CookieJar,
    member: MemberId,
) -> Result<CookieJar, AppError> {
    if let Some(old) = session_hash(&jar) {
        state.store.delete_session(&old).await?;
    }
    let secret = random_secret();
    let csrf = random_secret();
    let now: Timestamp = state.now();
    let expires = now
        .checked_add(SESSION_LENGTH)
        .map_err(|e| AppError::Internal(e.into()))?;
    state
        .store
        .create_session(member, &sha256_hex(&secret), &csrf, expires)
        .await?;
    let cookie = Cookie::build((SESSION_COOKIE, secret))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.secure_cookies)
        .path("/")
        .max_age(cookie::time::Duration::seconds(SESSION_LENGTH.as_secs()))
        .build();
    Ok(jar.add(cookie))
}

/// Ends the session in `jar` (if any) and removes its cookie.
pub async fn end_session(state: &AppState, jar: CookieJar) -> Result<CookieJar, AppError> {
    if let Some(hash) = session_hash(&jar) {
        state.store.delete_session(&hash).await?;
    }
    Ok(jar.remove(Cookie::build(SESSION_COOKIE).path("/")))
}
