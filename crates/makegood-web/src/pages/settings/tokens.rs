//! `/settings/tokens`: every member's API tokens, each with a Revoke button (admins).

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use makegood_domain::{Action, MemberId, TokenScope};
use makegood_store::{ApiToken, PageRequest, StoreError};

use crate::extract::Path;
use crate::pages::{
    ButtonOnly, Chrome, PageError, PageForm, SignedIn, When, flash_redirect, render,
};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/settings/tokens", get(tokens))
        .route("/settings/tokens/{id}/revoke", post(revoke_token))
}

/// One API token as a list shows it.
pub(crate) struct TokenRow {
    pub id: i64,
    pub name: String,
    pub member: String,
    pub created: When,
    pub last_used: Option<When>,
    /// `read-only` or `read-write`.
    pub access: &'static str,
}

impl TokenRow {
    /// How a token's scope reads in a list.
    pub fn access(scope: TokenScope) -> &'static str {
        match scope {
            TokenScope::Read => "read-only",
            TokenScope::Write => "read-write",
        }
    }

    pub fn new(t: &ApiToken, member: String, zone: &TimeZone, now: Timestamp) -> Self {
        Self {
            id: t.id,
            name: t.name.clone(),
            member,
            created: When::new(t.created_at, zone, now),
            last_used: t.last_used_at.map(|at| When::new(at, zone, now)),
            access: Self::access(t.scope),
        }
    }
}

#[derive(Template)]
#[template(path = "settings_tokens.html")]
struct TokensPage {
    chrome: Chrome,
    tokens: Vec<TokenRow>,
}

pub async fn tokens(State(state): State<AppState>, user: SignedIn) -> Result<Response, PageError> {
    user.require(Action::ManageOthersTokens, None)?;
    let mut names: HashMap<MemberId, String> = HashMap::new();
    let mut cursor = None;
    loop {
        let page = state
            .store
            .list_members(&PageRequest {
                cursor,
                limit: Some(200),
            })
            .await?;
        names.extend(page.items.into_iter().map(|m| (m.id, m.name)));
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    let now = state.now();
    let tokens = state
        .store
        .list_api_tokens(None)
        .await?
        .iter()
        .map(|t| {
            let member = names
                .get(&t.member)
                .cloned()
                .unwrap_or_else(|| format!("member {}", t.member.0));
            TokenRow::new(t, member, &user.zone, now)
        })
        .collect();
    let page = TokensPage {
        chrome: user.chrome("settings"),
        tokens,
    };
    Ok(render(StatusCode::OK, &page))
}

pub async fn revoke_token(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<i64>,
    PageForm(ButtonOnly {}): PageForm<ButtonOnly>,
) -> Result<Response, PageError> {
    user.require(Action::ManageOthersTokens, None)?;
    let token = match state.store.api_token(id).await {
        Err(StoreError::NotFound { .. }) => {
            return Err(PageError::NotFound(format!("API token {id}")));
        }
        other => other?,
    };
    state.store.revoke_api_token(id).await?;
    crate::auth::audit::token_revoked(&state, user.member.id, &token).await?;
    Ok(flash_redirect(
        "/settings/tokens",
        &format!(
            "Revoked the token “{}”; programs using it can no longer sign in.",
            token.name
        ),
    ))
}
