//! Duties: what needs doing now, most urgent first.

use axum::extract::State;
use makegood_domain::{Action, Duty};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::types::ListOf;
use crate::auth::CurrentMember;
use crate::error::AppError;
use crate::extract::{Json, Query};
use crate::state::AppState;

/// Whose duties.
#[derive(Clone, Copy, Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DutiesFor {
    /// Yours (the default).
    #[default]
    Me,
    Everyone,
}

/// Whose duties, and how many.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct DutiesQuery {
    #[serde(rename = "for")]
    #[param(rename = "for")]
    pub whose: Option<DutiesFor>,
    /// At most this many (1 to 200, default 100).
    pub limit: Option<u32>,
}

/// What needs doing now, most urgent first.
#[utoipa::path(get, path = "/duties", tag = "duties", params(DutiesQuery),
    responses((status = 200, description = "Breached first, then warning, then ok; earliest due first", body = ListOf<Duty>)))]
pub async fn list_duties(
    State(state): State<AppState>,
    me: CurrentMember,
    Query(q): Query<DutiesQuery>,
) -> Result<Json<ListOf<Duty>>, AppError> {
    me.require(Action::Read, None)?;
    let limit = super::types::check_limit(q.limit)?.unwrap_or(100);
    let member = match q.whose.unwrap_or_default() {
        DutiesFor::Me => Some(me.id()),
        DutiesFor::Everyone => None,
    };
    let items = state.store.duties(member, state.now(), limit).await?;
    Ok(Json(ListOf {
        items,
        next_cursor: None,
    }))
}
