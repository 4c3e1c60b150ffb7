//! The outbox (admins): every message makegood sends, its attempts and errors, and retry.

use axum::extract::State;
use jiff::Timestamp;
use makegood_domain::{Action, Channel, Notice, ProblemId};
use makegood_store::{Delivery, DeliveryFilter, DeliveryStatus};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::types::{ListOf, page, problem_id};
use crate::auth::CurrentMember;
use crate::error::AppError;
use crate::extract::{Json, Path, Query};
use crate::state::AppState;

/// Where a message stands.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryState {
    /// Waiting for its next attempt (or being sent right now).
    Pending,
    /// Accepted by the receiving server; never sent again.
    Delivered,
    /// Given up; can be retried.
    Failed,
}

impl From<DeliveryStatus> for DeliveryState {
    fn from(s: DeliveryStatus) -> Self {
        match s {
            DeliveryStatus::Pending => Self::Pending,
            DeliveryStatus::Delivered => Self::Delivered,
            DeliveryStatus::Failed => Self::Failed,
        }
    }
}

impl From<DeliveryState> for DeliveryStatus {
    fn from(s: DeliveryState) -> Self {
        match s {
            DeliveryState::Pending => Self::Pending,
            DeliveryState::Delivered => Self::Delivered,
            DeliveryState::Failed => Self::Failed,
        }
    }
}

/// One message in the outbox.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryBody {
    pub id: i64,
    pub channel: Channel,
    /// An email address, or `webhook:<id>`.
    pub recipient: String,
    #[schema(value_type = Option<i64>)]
    pub problem: Option<ProblemId>,
    pub notice: Notice,
    pub status: DeliveryState,
    /// Attempts so far.
    pub attempts: u32,
    /// When it is tried next (while pending).
    #[schema(value_type = String, format = DateTime)]
    pub next_attempt_at: Timestamp,
    pub last_error: Option<String>,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub delivered_at: Option<Timestamp>,
}

impl From<Delivery> for DeliveryBody {
    fn from(d: Delivery) -> Self {
        Self {
            id: d.id,
            channel: d.channel,
            recipient: d.recipient,
            problem: d.problem,
            notice: redacted(d.notice),
            status: d.status.into(),
            attempts: d.attempts,
            next_attempt_at: d.next_attempt_at,
            last_error: d.last_error,
            created_at: d.created_at,
            delivered_at: d.delivered_at,
        }
    }
}

/// The notice without secrets: a portal sign-in link's secret (a survey's too) belongs in
/// its one email, so the outbox shows `redacted` in its place.
fn redacted(notice: Notice) -> Notice {
    match notice {
        Notice::PortalLink {
            to,
            problem,
            expires_at,
            ..
        } => Notice::PortalLink {
            to,
            token: "redacted".into(),
            problem,
            expires_at,
        },
        Notice::Survey {
            problem,
            to,
            first,
            previous,
            ..
        } => Notice::Survey {
            problem,
            to,
            token: "redacted".into(),
            first,
            previous,
        },
        other => other,
    }
}

/// Filters for the outbox (newest first).
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct DeliveryListQuery {
    pub status: Option<DeliveryState>,
    /// A problem number (`MG-12`) or id.
    pub problem: Option<String>,
    pub cursor: Option<String>,
    /// 1 to 200, default 50.
    pub limit: Option<u32>,
}

/// Lists outbox messages, newest first (admins).
#[utoipa::path(get, path = "/deliveries", tag = "deliveries", params(DeliveryListQuery),
    responses((status = 200, description = "Newest first", body = ListOf<DeliveryBody>)))]
pub async fn list_deliveries(
    State(state): State<AppState>,
    me: CurrentMember,
    Query(q): Query<DeliveryListQuery>,
) -> Result<Json<ListOf<DeliveryBody>>, AppError> {
    me.require(Action::ManageIntegrations, None)?;
    let problem = match q.problem.as_deref() {
        Some(key) => Some(problem_id(&state, key).await?),
        None => None,
    };
    let filter = DeliveryFilter {
        status: q.status.map(Into::into),
        problem,
    };
    let items = state
        .store
        .list_deliveries(&filter, &page(q.cursor, q.limit)?)
        .await?;
    Ok(Json(ListOf::from_page(items, DeliveryBody::from)))
}

/// Gets an outbox message (admins).
#[utoipa::path(get, path = "/deliveries/{id}", tag = "deliveries", responses((status = 200, body = DeliveryBody)))]
pub async fn get_delivery(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(id): Path<i64>,
) -> Result<Json<DeliveryBody>, AppError> {
    me.require(Action::ManageIntegrations, None)?;
    Ok(Json(state.store.delivery(id).await?.into()))
}

/// Sends a failed or waiting message again now (admins); a delivered one is refused.
#[utoipa::path(post, path = "/deliveries/{id}/retry", tag = "deliveries", responses((status = 200, body = DeliveryBody)))]
pub async fn retry_delivery(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(id): Path<i64>,
) -> Result<Json<DeliveryBody>, AppError> {
    me.require(Action::ManageIntegrations, None)?;
    Ok(Json(
        state.store.retry_delivery(id, state.now()).await?.into(),
    ))
}
