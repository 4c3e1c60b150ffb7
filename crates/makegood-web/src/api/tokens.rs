//! API tokens: members create and revoke their own; admins see and revoke everyone's.

use axum::extract::State;
use axum::http::StatusCode;
use makegood_domain::text::limits;
use makegood_domain::{Action, TokenScope};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::types::{Check, ListOf, TokenBody};
use crate::auth::{CurrentMember, issue_api_token};
use crate::error::AppError;
use crate::extract::{Json, Path};
use crate::state::AppState;

/// A new token.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateToken {
    /// What it is for, e.g. `laptop CLI`.
    #[schema(min_length = 1, pattern = r"\S")]
    pub name: String,
    /// `read` for a token that may only read; `write` (the default) for one that may also
    /// change things, as far as your role allows.
    #[serde(default)]
    pub scope: TokenScope,
}

/// A created token with its secret, shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedToken {
    pub token: TokenBody,
    /// Send as `Authorization: Bearer <secret>`. Not shown again.
    pub secret: String,
}

/// Lists API tokens.
#[utoipa::path(get, path = "/tokens", tag = "tokens",
    responses((status = 200, description = "Yours, newest first; admins see everyone's", body = ListOf<TokenBody>)))]
pub async fn list_tokens(
    State(state): State<AppState>,
    me: CurrentMember,
) -> Result<Json<ListOf<TokenBody>>, AppError> {
    me.require(Action::ManageOwnTokens, None)?;
    let whose = (!me.member.may(Action::ManageOthersTokens, None)).then_some(me.id());
    let tokens = state.store.list_api_tokens(whose).await?;
    Ok(Json(ListOf {
        items: tokens.into_iter().map(TokenBody::from).collect(),
        next_cursor: None,
    }))
}

/// Creates an API token; its secret is shown once.
#[utoipa::path(post, path = "/tokens", tag = "tokens",
    responses((status = 201, description = "The secret is in this response only", body = CreatedToken)))]
pub async fn create_token(
    State(state): State<AppState>,
    me: CurrentMember,
    Json(body): Json<CreateToken>,
) -> Result<(StatusCode, Json<CreatedToken>), AppError> {
    me.require(Action::ManageOwnTokens, None)?;
    let mut check = Check::default();
    let name = check.text("name", &body.name, limits::TOKEN_NAME);
    check.finish()?;
    let (token, secret) =
        issue_api_token(&state.store, me.id(), &name, body.scope, state.now()).await?;
    crate::auth::audit::token_created(&state, me.id(), &token).await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedToken {
            token: token.into(),
            secret,
        }),
    ))
}

/// Revokes an API token.
#[utoipa::path(delete, path = "/tokens/{id}", tag = "tokens", responses((status = 204, description = "Revoked")))]
pub async fn revoke_token(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(id): Path<i64>,
) -> Result<StatusCode, AppError> {
    me.require(Action::ManageOwnTokens, None)?;
    let token = state.store.api_token(id).await?;
    if token.member != me.id() && !me.member.may(Action::ManageOthersTokens, None) {
        // Other members' tokens are invisible, not forbidden.
        return Err(AppError::NotFound("API token not found".into()));
    }
    state.store.revoke_api_token(id).await?;
    crate::auth::audit::token_revoked(&state, me.id(), &token).await?;
    Ok(StatusCode::NO_CONTENT)
}
