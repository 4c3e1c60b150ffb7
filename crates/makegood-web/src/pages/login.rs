//! `GET/POST /login` and `POST /logout`.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use makegood_domain::Email;
use serde::Deserialize;

use super::{csrf_refused, form_csrf, form_csrf_ok, render, session_member};
use crate::auth::{DUMMY_HASH, end_session, same_secret, start_session, verify_password};
use crate::error::AppError;
use crate::state::AppState;

/// The only message a failed sign-in gets: it does not say which part was wrong.
const WRONG: &str = "The email or password is wrong.";

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    /// Set while nobody has set makegood up yet.
    not_set_up: bool,
    email: String,
    error: Option<&'static str>,
    csrf_token: String,
    /// Where to go once signed in.
    next: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LoginForm {
    email: String,
    password: String,
    csrf_token: String,
    next: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NextQuery {
    next: String,
}

/// `next` if it is a path on this site, else Today: never a redirect to another host.
fn safe_next(next: &str) -> &str {
    let local = next.starts_with('/') && !next.starts_with("//") && !next.contains('\\');
    if local { next } else { "/" }
}

pub async fn login_form(
    State(state): State<AppState>,
    jar: CookieJar,
    Query(query): Query<NextQuery>,
) -> Result<Response, AppError> {
    let next = safe_next(&query.next).to_owned();
    if session_member(&state, &jar).await?.is_some() {
        return Ok(Redirect::to(&next).into_response());
    }
    let not_set_up = state.store.organisation().await?.is_none();
    let (jar, csrf_token) = form_csrf(&state, jar);
    let page = LoginPage {
        not_set_up,
        email: String::new(),
        error: None,
        csrf_token,
        next,
    };
    Ok((jar, render(StatusCode::OK, &page)).into_response())
}

pub async fn login(
    State(state): State<AppState>,
    jar: CookieJar,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    if !form_csrf_ok(&jar, &form.csrf_token) {
        return Ok(csrf_refused());
    }
    let found = match Email::parse(&form.email) {
        Ok(email) => state.store.member_credentials(&email).await?,
        Err(_) => None,
    };
    // Verify against a dummy hash when there is no member, so timing does not tell.
    let (member, hash) = match found {
        Some((member, Some(hash))) => (Some(member), hash),
        _ => (None, DUMMY_HASH.clone()),
    };
    let password = form.password;
    let matches = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    match member.filter(|m| matches && m.active) {
        Some(member) => {
            let jar = start_session(&state, jar, member.id).await?;
            Ok((jar, Redirect::to(safe_next(&form.next))).into_response())
        }
        None => {
            let page = LoginPage {
                not_set_up: false,
                email: form.email,
                error: Some(WRONG),
                csrf_token: form.csrf_token,
                next: safe_next(&form.next).to_owned(),
            };
            Ok(render(StatusCode::UNAUTHORIZED, &page))
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LogoutForm {
    csrf_token: String,
}

pub async fn logout(
    State(state): State<AppState>,
    jar: CookieJar,
    Form(form): Form<LogoutForm>,
) -> Result<Response, AppError> {
    match session_member(&state, &jar).await? {
        Some((_, csrf)) if !same_secret(&csrf, &form.csrf_token) => Ok(csrf_refused()),
        _ => {
            let jar = end_session(&state, jar).await?;
            Ok((jar, Redirect::to("/login")).into_response())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(safe_next("/problems?owner=3"), "/problems?owner=3");
        for foreign in [
            "https://evil.example/",
            "//evil.example/",
            "/\\evil.example",
            "",
            "problems",
        ] {
            assert_eq!(safe_next(foreign), "/", "{foreign}");
        }
    }
}
