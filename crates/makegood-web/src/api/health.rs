//! Account health: an account's score, band, what lowered it and its trend; and marking a
//! red account reviewed.

use axum::extract::State;
use jiff::Timestamp;
use makegood_domain::health::{Band, Factor};
use makegood_domain::{AccountId, Action, MemberId};
use makegood_store::{AccountHealthView, Actor};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::CurrentMember;
use crate::error::AppError;
use crate::extract::{Json, Path};
use crate::state::AppState;

/// The health routes, merged into `/api/v1`.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_account_health))
        .routes(routes!(review_account))
}

/// One day's last score (UTC days).
#[derive(Debug, Serialize, ToSchema)]
pub struct HealthDayBody {
    #[schema(value_type = String, format = Date)]
    pub day: jiff::civil::Date,
    pub score: u8,
    pub band: Band,
}

/// An account's health.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountHealthBody {
    #[schema(value_type = i64)]
    pub account: AccountId,
    /// 0 (in trouble) to 100 (nothing wrong).
    pub score: u8,
    /// Green from 75, amber from 50, red below.
    pub band: Band,
    /// What lowered the score, most points first.
    pub factors: Vec<Factor>,
    #[schema(value_type = String, format = DateTime)]
    pub computed_at: Timestamp,
    /// When it last turned red; `null` while not red.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub red_since: Option<Timestamp>,
    /// Who reviewed it since it turned red; `null` while the review is owed (or not red).
    #[schema(value_type = Option<i64>)]
    pub reviewed_by: Option<MemberId>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub reviewed_at: Option<Timestamp>,
    /// The last score of each of the last 30 days that has one, oldest first.
    pub history: Vec<HealthDayBody>,
    /// The latest day's score minus the earliest's; `null` with fewer than two days.
    pub trend: Option<i16>,
}

impl From<AccountHealthView> for AccountHealthBody {
    fn from(v: AccountHealthView) -> Self {
        let scores: Vec<u8> = v.history.iter().map(|d| d.score).collect();
        Self {
            account: v.account,
            score: v.health.score,
            band: v.health.band,
            factors: v.factors,
            computed_at: v.computed_at,
            red_since: v.red_since,
            reviewed_by: v.reviewed.map(|r| r.0),
            reviewed_at: v.reviewed.map(|r| r.1),
            trend: makegood_domain::health::trend(&scores),
            history: v
                .history
                .into_iter()
                .map(|d| HealthDayBody {
                    day: d.day,
                    score: d.score,
                    band: d.band,
                })
                .collect(),
        }
    }
}

/// Gets an account's health (recomputed first when a write made it stale).
#[utoipa::path(get, path = "/accounts/{id}/health", tag = "accounts",
    responses((status = 200, body = AccountHealthBody)))]
pub async fn get_account_health(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(id): Path<i64>,
) -> Result<Json<AccountHealthBody>, AppError> {
    me.require(Action::Read, None)?;
    let view = state
        .store
        .account_health(AccountId(id), state.now())
        .await?;
    Ok(Json(view.into()))
}

/// Marks a red account reviewed, settling its review duty: its owner (without one, any
/// supervisor or admin), or a supervisor or admin. 409 when it is not red or already reviewed.
#[utoipa::path(post, path = "/accounts/{id}/health/review", tag = "accounts",
    responses((status = 200, body = AccountHealthBody)))]
pub async fn review_account(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(id): Path<i64>,
) -> Result<Json<AccountHealthBody>, AppError> {
    let account = state.store.account(AccountId(id)).await?;
    let owner = account.owner.filter(|o| *o == me.id());
    if owner.is_none() {
        me.require(Action::Reassign, None)?;
    }
    let actor = Actor {
        member: me.id(),
        now: state.now(),
    };
    let view = state.store.review_account(actor, account.id).await?;
    Ok(Json(view.into()))
}
