//! Follow-up results: a problem's surveys, an account's survey summary and its outcomes.

use axum::extract::State;
use jiff::Timestamp;
use makegood_domain::duty::ProblemRef;
use makegood_domain::{AccountId, Action, ContactId, Outcome, ProblemId};
use makegood_store::{AccountSurvey, OutcomeEntry, SurveySummary, SurveyView};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::types::{ListOf, problem_id};
use crate::auth::CurrentMember;
use crate::error::AppError;
use crate::extract::{Json, Path, Query};
use crate::state::AppState;

/// The answers listed in an account's summary unless `latest` says otherwise.
const LATEST: u32 = 10;

/// The follow-up routes, merged into `/api/v1`.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_problem_surveys))
        .routes(routes!(get_account_surveys))
        .routes(routes!(list_account_outcomes))
}

/// One stakeholder's follow-up survey: sent, and the answer once given.
#[derive(Debug, Serialize, ToSchema)]
pub struct SurveyBody {
    #[schema(value_type = i64)]
    pub problem: ProblemId,
    #[schema(value_type = i64)]
    pub contact: ContactId,
    pub contact_name: String,
    #[schema(value_type = String, format = DateTime)]
    pub sent_at: Timestamp,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub answered_at: Option<Timestamp>,
    /// 1 (very poor) to 5 (excellent).
    #[schema(minimum = 1, maximum = 5)]
    pub rating: Option<u8>,
    /// Would they recommend us: 0 to 10.
    #[schema(minimum = 0, maximum = 10)]
    pub recommend: Option<u8>,
    pub comment: Option<String>,
    /// A rating of 1–2 or a recommend of 0–6: the owner and the supervisors were alerted.
    pub low: bool,
}

impl From<SurveyView> for SurveyBody {
    fn from(v: SurveyView) -> Self {
        Self {
            problem: v.problem,
            contact: v.contact,
            contact_name: v.contact_name,
            sent_at: v.sent_at,
            answered_at: v.answered_at,
            rating: v.rating,
            recommend: v.recommend,
            comment: v.comment,
            low: v.low,
        }
    }
}

/// An answer with the problem it is about.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountSurveyBody {
    pub problem: ProblemRef,
    pub survey: SurveyBody,
}

impl From<AccountSurvey> for AccountSurveyBody {
    fn from(a: AccountSurvey) -> Self {
        Self {
            problem: a.problem,
            survey: a.survey.into(),
        }
    }
}

/// How an account's contacts answered their follow-up surveys.
#[derive(Debug, Serialize, ToSchema)]
pub struct SurveySummaryBody {
    pub sent: u64,
    pub answered: u64,
    /// The mean rating (1–5); `null` before the first answer.
    pub average_rating: Option<f64>,
    /// % promoters (9–10) − % detractors (0–6), −100 to 100; `null` before the first answer.
    pub nps: Option<i64>,
    /// The latest answers, newest first.
    pub latest: Vec<AccountSurveyBody>,
}

impl From<SurveySummary> for SurveySummaryBody {
    fn from(s: SurveySummary) -> Self {
        Self {
            sent: s.sent,
            answered: s.answered,
            average_rating: s.average_rating,
            nps: s.nps,
            latest: s.latest.into_iter().map(Into::into).collect(),
        }
    }
}

/// How one closed problem ended.
#[derive(Debug, Serialize, ToSchema)]
pub struct OutcomeBody {
    pub problem: ProblemRef,
    #[schema(value_type = String, format = DateTime)]
    pub closed_at: Timestamp,
    pub outcome: Outcome,
}

impl From<OutcomeEntry> for OutcomeBody {
    fn from(o: OutcomeEntry) -> Self {
        Self {
            problem: o.problem,
            closed_at: o.closed_at,
            outcome: o.outcome,
        }
    }
}

/// How many of a list to return.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct LatestQuery {
    /// 1 to 200 (default 10 answers, 50 outcomes).
    pub limit: Option<u32>,
}

fn limit(q: &LatestQuery, default: u32) -> Result<u64, AppError> {
    Ok(u64::from(
        super::types::check_limit(q.limit)?.unwrap_or(default),
    ))
}

/// Lists the follow-up surveys sent about a problem, in the order sent, with the answers.
#[utoipa::path(get, path = "/problems/{problem}/surveys", tag = "problems",
    params(("problem" = String, Path, description = "The number, e.g. MG-12")),
    responses((status = 200, description = "In the order sent", body = ListOf<SurveyBody>)))]
pub async fn list_problem_surveys(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(problem): Path<String>,
) -> Result<Json<ListOf<SurveyBody>>, AppError> {
    me.require(Action::Read, None)?;
    let id = problem_id(&state, &problem).await?;
    let surveys = state.store.problem_surveys(id).await?;
    Ok(Json(ListOf {
        items: surveys.into_iter().map(Into::into).collect(),
        next_cursor: None,
    }))
}

/// How an account's contacts answered their follow-up surveys: counts, average rating, NPS
/// and the latest answers.
#[utoipa::path(get, path = "/accounts/{id}/surveys", tag = "accounts", params(LatestQuery),
    responses((status = 200, body = SurveySummaryBody)))]
pub async fn get_account_surveys(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(id): Path<i64>,
    Query(q): Query<LatestQuery>,
) -> Result<Json<SurveySummaryBody>, AppError> {
    me.require(Action::Read, None)?;
    let latest = limit(&q, LATEST)?;
    let summary = state.store.account_surveys(AccountId(id), latest).await?;
    Ok(Json(summary.into()))
}

/// Lists how an account's closed problems ended, latest close first.
#[utoipa::path(get, path = "/accounts/{id}/outcomes", tag = "accounts", params(LatestQuery),
    responses((status = 200, description = "Latest close first", body = ListOf<OutcomeBody>)))]
pub async fn list_account_outcomes(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(id): Path<i64>,
    Query(q): Query<LatestQuery>,
) -> Result<Json<ListOf<OutcomeBody>>, AppError> {
    me.require(Action::Read, None)?;
    let limit = limit(&q, 50)?;
    let outcomes = state.store.account_outcomes(AccountId(id), limit).await?;
    Ok(Json(ListOf {
        items: outcomes.into_iter().map(Into::into).collect(),
        next_cursor: None,
    }))
}
