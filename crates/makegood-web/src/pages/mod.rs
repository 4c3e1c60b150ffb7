//! The team's server-rendered pages. Each module owns its routes; `page.rs` holds what they
//! share (the signed-in extractor, the frame, CSRF-checked forms, flash, error pages).
//!
//! Forms carry a CSRF token: before sign-in a double-submit cookie, after it the session's.

mod accounts;
mod assets;
mod deliveries;
mod failures;
mod invite;
mod login;
mod me;
mod page;
mod problem;
mod problems;
mod promises;
pub(crate) mod reports;
mod settings;
mod setup;
mod time;
mod today;
mod vendors;

pub use assets::ASSET_VERSION;
pub(crate) use page::FieldErrors;
pub(crate) use page::{
    ButtonOnly, Chrome, PageError, PageForm, SignedIn, clear_flash, flash_redirect,
};
pub(crate) use time::When;

use askama::Template;
use axum::Router;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use makegood_domain::Member;

use crate::auth::{random_secret, same_secret, session_hash};
use crate::error::AppError;
use crate::state::AppState;

/// The double-submit cookie guarding sign-in and setup forms.
const FORM_CSRF_COOKIE: &str = "makegood_form_csrf";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/setup", get(setup::setup_form).post(setup::setup))
        .route("/login", get(login::login_form).post(login::login))
        .route("/logout", post(login::logout))
        .route("/settings/deliveries", get(deliveries::deliveries))
        .route("/settings/deliveries/{id}/retry", post(deliveries::retry))
        .merge(assets::routes())
        .merge(today::routes())
        .merge(problems::routes())
        .merge(problem::routes())
        .merge(promises::routes())
        .merge(accounts::routes())
        .merge(settings::routes())
        .merge(me::routes())
        .merge(invite::routes())
        .merge(vendors::routes())
        .merge(reports::routes())
        .merge(failures::routes())
}

/// Renders a template with `status`, or a plain 500 if rendering fails.
fn render(status: StatusCode, template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => AppError::Internal(anyhow::anyhow!("rendering a page: {e}")).into_response(),
    }
}

/// The pre-session CSRF token in `jar`, set if missing.
fn form_csrf(state: &AppState, jar: CookieJar) -> (CookieJar, String) {
    if let Some(c) = jar.get(FORM_CSRF_COOKIE) {
        let token = c.value().to_owned();
        return (jar, token);
    }
    let token = random_secret();
    let cookie = Cookie::build((FORM_CSRF_COOKIE, token.clone()))
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(state.secure_cookies)
        .path("/")
        .build();
    (jar.add(cookie), token)
}

/// Whether a submitted pre-session form carries the cookie's token.
fn form_csrf_ok(jar: &CookieJar, submitted: &str) -> bool {
    jar.get(FORM_CSRF_COOKIE)
        .is_some_and(|c| !submitted.is_empty() && same_secret(c.value(), submitted))
}

/// The member signed in with the session cookie, and the session's CSRF token.
async fn session_member(
    state: &AppState,
    jar: &CookieJar,
) -> Result<Option<(Member, String)>, AppError> {
    let Some(hash) = session_hash(jar) else {
        return Ok(None);
    };
    Ok(state
        .store
        .session(&hash, state.now())
        .await?
        .filter(|(m, _)| m.active))
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage<'a> {
    title: &'a str,
    message: &'a str,
}

/// A page that only says something.
fn message(status: StatusCode, title: &str, message: &str) -> Response {
    render(status, &MessagePage { title, message })
}

/// A refused form: the CSRF token is missing or stale.
fn csrf_refused() -> Response {
    message(
        StatusCode::FORBIDDEN,
        "Please try again",
        "This form was out of date (its security token did not match). Reload the page and submit it again.",
    )
}
