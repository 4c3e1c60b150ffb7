//! `GET/POST /invite/{token}`: an invited member sets a password and is signed in.
//!
//! Before sign-in there is no session, so the form is guarded by the double-submit cookie
//! (as `/setup` is). A used, expired or unknown link gets a page saying what to do.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Router};
use axum_extra::extract::cookie::CookieJar;
use makegood_store::{InvitationLookup, StoreError};
use serde::Deserialize;

use super::{csrf_refused, flash_redirect, form_csrf, form_csrf_ok, message, render};
use crate::auth::{hash_password, sha256_hex, start_session, validate_password};
use crate::error::AppError;
use crate::extract::Path;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/invite/{token}", get(invite_form).post(accept_invite))
}

#[derive(Template)]
#[template(path = "invite.html")]
struct InvitePage {
    token: String,
    csrf_token: String,
    name: String,
    email: String,
    /// Beside the password field (the password itself is never sent back).
    error: Option<String>,
}

/// The password form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AcceptForm {
    csrf_token: String,
    password: String,
}

/// The page for a link that cannot be used, saying why and what to do.
fn unusable(state: &InvitationLookup) -> Response {
    let (title, text) = match state {
        InvitationLookup::Used => (
            "Invitation already used",
            "This invitation link was already used to set a password. Sign in with your email and that password; if you forgot it, ask an admin of your organisation for a new invitation link.",
        ),
        InvitationLookup::Expired => (
            "Invitation expired",
            "This invitation link has expired (links work for 7 days) or was replaced by a newer one. Ask an admin of your organisation for a new invitation link.",
        ),
        _ => (
            "Invitation not valid",
            "This invitation link is not valid: check that it was copied completely, or ask an admin of your organisation for a new one.",
        ),
    };
    message(StatusCode::NOT_FOUND, title, text)
}

pub async fn invite_form(
    State(state): State<AppState>,
    jar: CookieJar,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let member = match state
        .store
        .invitation(&sha256_hex(&token), state.now())
        .await?
    {
        InvitationLookup::Valid(member) => member,
        other => return Ok(unusable(&other)),
    };
    let (jar, csrf_token) = form_csrf(&state, jar);
    let page = InvitePage {
        token,
        csrf_token,
        name: member.name,
        email: member.email.as_str().to_owned(),
        error: None,
    };
    Ok((jar, render(StatusCode::OK, &page)).into_response())
}

pub async fn accept_invite(
    State(state): State<AppState>,
    jar: CookieJar,
    Path(token): Path<String>,
    Form(form): Form<AcceptForm>,
) -> Result<Response, AppError> {
    if !form_csrf_ok(&jar, &form.csrf_token) {
        return Ok(csrf_refused());
    }
    let token_hash = sha256_hex(&token);
    let member = match state.store.invitation(&token_hash, state.now()).await? {
        InvitationLookup::Valid(member) => member,
        other => return Ok(unusable(&other)),
    };
    if let Err(error) = validate_password(&form.password) {
        let page = InvitePage {
            token,
            csrf_token: form.csrf_token,
            name: member.name,
            email: member.email.as_str().to_owned(),
            error: Some(error),
        };
        return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page));
    }
    let password = form.password;
    let hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| AppError::Internal(e.into()))??;
    let member = match state
        .store
        .accept_invitation(&token_hash, &hash, state.now())
        .await
    {
        Ok(member) => member,
        // Used by a concurrent request between the look-up and now.
        Err(StoreError::Conflict(_)) => return Ok(unusable(&InvitationLookup::Used)),
        Err(e) => return Err(e.into()),
    };
    let jar = start_session(&state, jar, member.id).await?;
    let welcome = format!(
        "Welcome, {}! Your password is set and you are signed in.",
        member.name
    );
    Ok((jar, flash_redirect("/", &welcome)).into_response())
}
