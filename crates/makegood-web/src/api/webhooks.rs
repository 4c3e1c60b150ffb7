//! Webhook endpoints (admins): JSON receivers signed with HMAC-SHA256, and chat webhooks.

use axum::extract::State;
use axum::http::StatusCode;
use jiff::Timestamp;
use makegood_domain::Action;
use makegood_domain::text::limits;
use makegood_store::{NewWebhook, Webhook, WebhookKind, WebhookPatch};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::types::{Check, ListOf};
use crate::auth::{CurrentMember, random_secret};
use crate::error::AppError;
use crate::extract::{Json, Path};
use crate::state::AppState;

/// What a webhook endpoint speaks.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WebhookKindBody {
    /// JSON event payloads, signed with HMAC-SHA256.
    Json,
    /// A Slack-compatible incoming webhook: `{"text": …}`.
    Chat,
}

impl From<WebhookKindBody> for WebhookKind {
    fn from(k: WebhookKindBody) -> Self {
        match k {
            WebhookKindBody::Json => WebhookKind::Json,
            WebhookKindBody::Chat => WebhookKind::Chat,
        }
    }
}

impl From<WebhookKind> for WebhookKindBody {
    fn from(k: WebhookKind) -> Self {
        match k {
            WebhookKind::Json => WebhookKindBody::Json,
            WebhookKind::Chat => WebhookKindBody::Chat,
        }
    }
}

/// A webhook endpoint, with the secret that signs its payloads.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookBody {
    pub id: i64,
    pub name: String,
    #[schema(example = "https://hooks.example.com/makegood")]
    pub url: String,
    pub kind: WebhookKindBody,
    /// The HMAC-SHA256 key (hex) of the signature header.
    pub secret: String,
    /// Event types sent (`update`, `clock_breached` …); empty for all.
    pub events: Vec<String>,
    /// Whether loopback and private addresses are allowed.
    pub allow_private: bool,
    pub active: bool,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
}

impl From<Webhook> for WebhookBody {
    fn from(w: Webhook) -> Self {
        Self {
            id: w.id,
            name: w.name,
            url: w.url,
            kind: w.kind.into(),
            secret: w.secret,
            events: w.events,
            allow_private: w.allow_private,
            active: w.active,
            created_at: w.created_at,
        }
    }
}

/// A new webhook endpoint; its secret is generated.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateWebhook {
    #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
    pub name: String,
    /// An http(s) URL; private and loopback hosts need `allow_private`.
    pub url: String,
    #[serde(default = "json_kind")]
    pub kind: WebhookKindBody,
    /// Event types to send; empty or absent for all.
    #[serde(default)]
    pub events: Vec<String>,
    #[serde(default)]
    pub allow_private: bool,
}

fn json_kind() -> WebhookKindBody {
    WebhookKindBody::Json
}

/// Fields to change.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateWebhook {
    #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
    pub name: Option<String>,
    pub url: Option<String>,
    pub events: Option<Vec<String>>,
    pub allow_private: Option<bool>,
    pub active: Option<bool>,
}

/// Lists webhook endpoints (admins).
#[utoipa::path(get, path = "/webhooks", tag = "webhooks", responses((status = 200, body = ListOf<WebhookBody>)))]
pub async fn list_webhooks(
    State(state): State<AppState>,
    me: CurrentMember,
) -> Result<Json<ListOf<WebhookBody>>, AppError> {
    me.require(Action::ManageIntegrations, None)?;
    let items = state.store.list_webhooks().await?;
    Ok(Json(ListOf {
        items: items.into_iter().map(WebhookBody::from).collect(),
        next_cursor: None,
    }))
}

/// Gets a webhook endpoint (admins).
#[utoipa::path(get, path = "/webhooks/{id}", tag = "webhooks", responses((status = 200, body = WebhookBody)))]
pub async fn get_webhook(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(id): Path<i64>,
) -> Result<Json<WebhookBody>, AppError> {
    me.require(Action::ManageIntegrations, None)?;
    Ok(Json(state.store.webhook(id).await?.into()))
}

/// Adds a webhook endpoint with a new secret (admins).
#[utoipa::path(post, path = "/webhooks", tag = "webhooks", responses((status = 201, body = WebhookBody)))]
pub async fn create_webhook(
    State(state): State<AppState>,
    me: CurrentMember,
    Json(body): Json<CreateWebhook>,
) -> Result<(StatusCode, Json<WebhookBody>), AppError> {
    me.require(Action::ManageIntegrations, None)?;
    let mut check = Check::default();
    let name = check.text("name", &body.name, limits::WEBHOOK_NAME);
    check.finish()?;
    let new = NewWebhook {
        name,
        url: body.url,
        kind: body.kind.into(),
        events: body.events,
        allow_private: body.allow_private,
    };
    let webhook = state
        .store
        .create_webhook(new, &random_secret(), state.now())
        .await?;
    Ok((StatusCode::CREATED, Json(webhook.into())))
}

/// Changes a webhook endpoint (admins).
#[utoipa::path(patch, path = "/webhooks/{id}", tag = "webhooks", responses((status = 200, body = WebhookBody)))]
pub async fn update_webhook(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(id): Path<i64>,
    Json(body): Json<UpdateWebhook>,
) -> Result<Json<WebhookBody>, AppError> {
    me.require(Action::ManageIntegrations, None)?;
    let mut check = Check::default();
    let name = body
        .name
        .map(|n| check.text("name", &n, limits::WEBHOOK_NAME));
    check.finish()?;
    let patch = WebhookPatch {
        name,
        url: body.url,
        events: body.events,
        allow_private: body.allow_private,
        active: body.active,
    };
    Ok(Json(state.store.update_webhook(id, patch).await?.into()))
}

/// Deletes a webhook endpoint (admins).
#[utoipa::path(delete, path = "/webhooks/{id}", tag = "webhooks", responses((status = 204, description = "Deleted")))]
pub async fn delete_webhook(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(id): Path<i64>,
) -> Result<StatusCode, AppError> {
    me.require(Action::ManageIntegrations, None)?;
    state.store.delete_webhook(id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Replaces the signing secret (admins); the old one stops working at once.
#[utoipa::path(post, path = "/webhooks/{id}/rotate-secret", tag = "webhooks", responses((status = 200, body = WebhookBody)))]
pub async fn rotate_webhook_secret(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(id): Path<i64>,
) -> Result<Json<WebhookBody>, AppError> {
    me.require(Action::ManageIntegrations, None)?;
    Ok(Json(
        state
            .store
            .rotate_webhook_secret(id, &random_secret())
            .await?
            .into(),
    ))
}
