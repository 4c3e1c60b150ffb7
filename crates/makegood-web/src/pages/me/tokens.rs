//! My API tokens (create: the secret shown once; revoke) and my calendar feed link.
//!
//! Creating answers with the secret directly instead of redirecting: only its hash is
//! stored, so no later page could show it.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use makegood_domain::text::{bounded, limits};
use makegood_domain::{Action, TokenScope};
use makegood_store::StoreError;
use serde::Deserialize;

use super::{Kept, refused};
use crate::auth::{issue_api_token, random_secret, sha256_hex};
use crate::extract::Path;
use crate::pages::{
    ButtonOnly, Chrome, FieldErrors, PageError, PageForm, SignedIn, flash_redirect, render,
};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "me_secret.html")]
struct SecretPage {
    chrome: Chrome,
    title: &'static str,
    label: &'static str,
    secret: String,
    hint: String,
}

/// The new token form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TokenForm {
    name: String,
    /// `write` (the default) or `read`.
    scope: String,
}

pub async fn create_token(
    State(state): State<AppState>,
    user: SignedIn,
    PageForm(form): PageForm<TokenForm>,
) -> Result<Response, PageError> {
    user.require(Action::ManageOwnTokens, None)?;
    let mut errors = FieldErrors::default();
    let name = bounded(&form.name, limits::TOKEN_NAME)
        .inspect_err(|e| errors.push("token_name", e.to_string()))
        .ok();
    let scope = match form.scope.as_str() {
        "" => Some(TokenScope::Write),
        given => TokenScope::parse(given),
    };
    if scope.is_none() {
        errors.push("token_scope", "choose read-write or read-only");
    }
    let (Some(name), Some(scope)) = (name, scope) else {
        let kept = Kept {
            token_read_only: form.scope == "read",
            token_name: form.name,
            errors,
            ..Kept::default()
        };
        return refused(&state, &user, kept).await;
    };
    let (token, secret) =
        issue_api_token(&state.store, user.member.id, &name, scope, state.now()).await?;
    crate::auth::audit::token_created(&state, user.member.id, &token).await?;
    let page = SecretPage {
        chrome: user.chrome("me"),
        title: "Your new API token",
        label: "Token",
        secret,
        hint: format!(
            "Copy the {} token “{}” now (Ctrl+C or ⌘C) and keep it somewhere safe: it is shown only this once. Send it as Authorization: Bearer <token>. If it is lost, revoke it and create another.",
            crate::pages::settings::TokenRow::access(token.scope),
            token.name
        ),
    };
    Ok(render(StatusCode::CREATED, &page))
}

pub async fn revoke_token(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<i64>,
    PageForm(ButtonOnly {}): PageForm<ButtonOnly>,
) -> Result<Response, PageError> {
    user.require(Action::ManageOwnTokens, None)?;
    let not_found = || PageError::NotFound(format!("API token {id}"));
    let token = match state.store.api_token(id).await {
        Err(StoreError::NotFound { .. }) => return Err(not_found()),
        other => other?,
    };
    // Other members' tokens are invisible here, not forbidden (as in the API).
    if token.member != user.member.id {
        return Err(not_found());
    }
    state.store.revoke_api_token(id).await?;
    crate::auth::audit::token_revoked(&state, user.member.id, &token).await?;
    Ok(flash_redirect(
        "/me#tokens",
        &format!("Revoked the token “{}”.", token.name),
    ))
}

/// A new calendar feed link, replacing (and disabling) any earlier one; shown once.
pub async fn create_feed(
    State(state): State<AppState>,
    user: SignedIn,
    PageForm(ButtonOnly {}): PageForm<ButtonOnly>,
) -> Result<Response, PageError> {
    let secret = random_secret();
    state
        .store
        .set_feed_token(user.member.id, &sha256_hex(&secret), state.now())
        .await?;
    let page = SecretPage {
        chrome: user.chrome("me"),
        title: "Your calendar feed link",
        label: "Feed link",
        secret: format!("{}/calendar/{secret}.ics", state.public_url),
        hint: "Subscribe to this link in your calendar app to see your deadlines. Anyone with it sees them, so keep it private. It is shown only this once; any earlier link no longer works.".into(),
    };
    Ok(render(StatusCode::CREATED, &page))
}

pub async fn revoke_feed(
    State(state): State<AppState>,
    user: SignedIn,
    PageForm(ButtonOnly {}): PageForm<ButtonOnly>,
) -> Result<Response, PageError> {
    let had = state.store.revoke_feed_token(user.member.id).await?;
    let message = if had {
        "Your calendar feed link is revoked; calendars subscribed to it stop updating."
    } else {
        "You had no calendar feed link."
    };
    Ok(flash_redirect("/me#calendar", message))
}
