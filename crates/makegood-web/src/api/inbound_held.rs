//! Held mail (admins, or whoever manages integrations): messages from unknown senders or
//! about problems that do not fit, kept for a person to attach to a problem, open as a new
//! problem, or dismiss. Nothing is deleted.

use axum::extract::State;
use axum::http::StatusCode;
use jiff::Timestamp;
use makegood_domain::{AccountId, Action, ContactId, MemberId, ProblemId};
use makegood_store::{Actor, HeldSender, InboundSummary, Reviewed};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::types::{ListOf, page, problem_id};
use crate::auth::CurrentMember;
use crate::error::AppError;
use crate::extract::{Json, Path, Query};
use crate::state::AppState;

/// One held (or reviewed) inbound message.
#[derive(Debug, Serialize, ToSchema)]
pub struct HeldEmailBody {
    pub id: i64,
    pub message_id: Option<String>,
    pub from_email: Option<String>,
    pub from_name: Option<String>,
    pub subject: String,
    #[schema(value_type = String, format = DateTime)]
    pub received_at: Timestamp,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub sent_at: Option<Timestamp>,
    /// The new words, without the quoted thread and signature.
    pub reply: String,
    /// VADER score in thousandths; −500 or below is upset.
    pub sentiment: i16,
    /// `held`; after review `threaded`, `opened` or `dismissed`.
    #[schema(example = "held")]
    pub status: String,
    /// Why it was held.
    pub reason: Option<String>,
    #[schema(value_type = Option<i64>)]
    pub problem: Option<ProblemId>,
    #[schema(value_type = Option<i64>)]
    pub contact: Option<ContactId>,
    #[schema(value_type = Option<i64>)]
    pub reviewed_by: Option<MemberId>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub reviewed_at: Option<Timestamp>,
}

impl From<InboundSummary> for HeldEmailBody {
    fn from(s: InboundSummary) -> Self {
        Self {
            id: s.id,
            message_id: s.message_id,
            from_email: s.from_email,
            from_name: s.from_name,
            subject: s.subject,
            received_at: s.received_at,
            sent_at: s.sent_at,
            reply: s.reply,
            sentiment: s.sentiment.0,
            status: s.status,
            reason: s.reason,
            problem: s.problem,
            contact: s.contact,
            reviewed_by: s.reviewed_by,
            reviewed_at: s.reviewed_at,
        }
    }
}

/// What a review did.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewedBody {
    pub inbound: HeldEmailBody,
    /// The problem it went to.
    #[schema(value_type = Option<i64>)]
    pub problem: Option<ProblemId>,
    /// `true`: threaded as the contact's reply; `false`: attached as an internal note
    /// naming the sender (not a contact of an account the problem affects).
    pub as_reply: bool,
}

impl From<Reviewed> for ReviewedBody {
    fn from(r: Reviewed) -> Self {
        Self {
            inbound: r.inbound.into(),
            problem: r.problem,
            as_reply: r.as_reply,
        }
    }
}

/// A page of held mail.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct HeldListQuery {
    pub cursor: Option<String>,
    /// 1 to 200, default 50.
    pub limit: Option<u32>,
}

/// Where to attach a held message.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Attach {
    /// A problem number (`MG-12`) or id.
    #[schema(example = "MG-12")]
    pub problem: String,
}

/// For whom to open a problem: the sender's contact (omit both fields), or the sender added
/// first as a contact of `account` named `name`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Open {
    #[schema(value_type = Option<i64>)]
    pub account: Option<AccountId>,
    pub name: Option<String>,
}

fn actor(state: &AppState, me: &CurrentMember) -> Actor {
    Actor {
        member: me.id(),
        now: state.now(),
    }
}

/// Lists held messages, oldest first.
#[utoipa::path(get, path = "/inbound/held", tag = "inbound", params(HeldListQuery),
    responses((status = 200, description = "Oldest first", body = ListOf<HeldEmailBody>)))]
pub async fn list_held_emails(
    State(state): State<AppState>,
    me: CurrentMember,
    Query(q): Query<HeldListQuery>,
) -> Result<Json<ListOf<HeldEmailBody>>, AppError> {
    me.require(Action::ManageIntegrations, None)?;
    let items = state.store.held_emails(&page(q.cursor, q.limit)?).await?;
    Ok(Json(ListOf::from_page(items, HeldEmailBody::from)))
}

/// Gets a held message, or one reviewed from held.
#[utoipa::path(get, path = "/inbound/held/{id}", tag = "inbound",
    responses((status = 200, body = HeldEmailBody)))]
pub async fn get_held_email(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(id): Path<i64>,
) -> Result<Json<HeldEmailBody>, AppError> {
    me.require(Action::ManageIntegrations, None)?;
    let found = state.store.inbound_email(id).await?;
    if found.status != "held" && found.reviewed_by.is_none() {
        return Err(AppError::NotFound(format!(
            "inbound email {id} was never held; it went to its problem by itself"
        )));
    }
    Ok(Json(found.into()))
}

/// Attaches a held message to a problem: the contact's reply when the sender is a contact of
/// an account it affects, otherwise an internal note naming the sender.
#[utoipa::path(post, path = "/inbound/held/{id}/attach", tag = "inbound",
    responses((status = 200, body = ReviewedBody),
        (status = 409, description = "Already reviewed")))]
pub async fn attach_held_email(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(id): Path<i64>,
    Json(a): Json<Attach>,
) -> Result<Json<ReviewedBody>, AppError> {
    me.require(Action::ManageIntegrations, None)?;
    let problem = problem_id(&state, &a.problem).await?;
    let done = state
        .store
        .attach_held_email(actor(&state, &me), id, problem)
        .await?;
    Ok(Json(done.into()))
}

/// Opens a new problem in triage, owned by the caller, from a held message.
#[utoipa::path(post, path = "/inbound/held/{id}/open", tag = "inbound",
    request_body = Open,
    responses((status = 201, body = ReviewedBody),
        (status = 409, description = "Already reviewed")))]
pub async fn open_held_email(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(id): Path<i64>,
    Json(o): Json<Open>,
) -> Result<(StatusCode, Json<ReviewedBody>), AppError> {
    me.require(Action::ManageIntegrations, None)?;
    let who = match (o.account, o.name) {
        (None, None) => HeldSender::Known,
        (Some(account), name) => HeldSender::NewContact {
            account,
            name: name.unwrap_or_default(),
        },
        (None, Some(_)) => {
            return Err(AppError::invalid(
                "account",
                "name the account the new contact belongs to",
            ));
        }
    };
    let done = state
        .store
        .open_held_email(actor(&state, &me), id, who)
        .await?;
    Ok((StatusCode::CREATED, Json(done.into())))
}

/// Dismisses a held message: kept, marked dismissed with who decided.
#[utoipa::path(post, path = "/inbound/held/{id}/dismiss", tag = "inbound",
    responses((status = 200, body = HeldEmailBody),
        (status = 409, description = "Already reviewed")))]
pub async fn dismiss_held_email(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(id): Path<i64>,
) -> Result<Json<HeldEmailBody>, AppError> {
    me.require(Action::ManageIntegrations, None)?;
    let done = state
        .store
        .dismiss_held_email(actor(&state, &me), id)
        .await?;
    Ok(Json(done.into()))
}
