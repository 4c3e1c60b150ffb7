//! `GET /settings/deliveries`: failed and pending outbox messages, with a Retry button for
//! each failed one (admins). `POST /settings/deliveries/{id}/retry` redirects back with a notice.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use jiff::tz::TimeZone;
use makegood_domain::{Action, Member};
use makegood_store::{Delivery, DeliveryFilter, DeliveryStatus, PageRequest, StoreError};
use serde::Deserialize;

use super::{csrf_refused, message, render, session_member};
use crate::auth::same_secret;
use crate::error::AppError;
use crate::extract::Path;
use crate::state::AppState;

/// How many messages of each status the page lists; the API pages through the rest.
const LIMIT: u32 = 100;

#[derive(Template)]
#[template(path = "deliveries.html")]
struct DeliveriesPage {
    failed: Vec<Row>,
    pending: Vec<Row>,
    time_zone: String,
    csrf_token: String,
    notice: Option<String>,
}

/// One message as the page shows it.
struct Row {
    id: i64,
    recipient: String,
    channel: &'static str,
    attempts: u32,
    last_error: String,
    /// In the member's time zone.
    next_attempt: String,
}

impl Row {
    fn new(d: &Delivery, zone: &TimeZone) -> Self {
        Self {
            id: d.id,
            recipient: d.recipient.clone(),
            channel: match d.channel {
                makegood_domain::Channel::Email => "email",
                makegood_domain::Channel::Webhook => "webhook",
            },
            attempts: d.attempts,
            last_error: d.last_error.clone().unwrap_or_default(),
            next_attempt: d
                .next_attempt_at
                .to_zoned(zone.clone())
                .strftime("%a %-d %b %H:%M")
                .to_string(),
        }
    }
}

/// What the redirect after a retry tells the page.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Notice {
    retried: Option<i64>,
    delivered: Option<i64>,
}

/// The signed-in admin and the session's CSRF token, or the response to give instead.
async fn admin(
    state: &AppState,
    jar: &CookieJar,
) -> Result<Result<(Member, String), Response>, AppError> {
    let Some((member, csrf)) = session_member(state, jar).await? else {
        return Ok(Err(Redirect::to("/login").into_response()));
    };
    if !member.may(Action::ManageIntegrations, None) {
        return Ok(Err(message(
            StatusCode::FORBIDDEN,
            "Admins only",
            "Only admins see and retry the messages makegood sends.",
        )));
    }
    Ok(Ok((member, csrf)))
}

pub async fn deliveries(
    State(state): State<AppState>,
    jar: CookieJar,
    Query(notice): Query<Notice>,
) -> Result<Response, AppError> {
    let (member, csrf_token) = match admin(&state, &jar).await? {
        Ok(found) => found,
        Err(response) => return Ok(response),
    };
    let zone = TimeZone::get(&member.time_zone).unwrap_or(TimeZone::UTC);
    let list = |status| {
        let store = state.store.clone();
        async move {
            let filter = DeliveryFilter {
                status: Some(status),
                problem: None,
            };
            let page = PageRequest {
                cursor: None,
                limit: Some(LIMIT),
            };
            store.list_deliveries(&filter, &page).await
        }
    };
    let failed = list(DeliveryStatus::Failed).await?;
    let pending = list(DeliveryStatus::Pending).await?;
    let notice = match notice {
        Notice {
            retried: Some(id), ..
        } => Some(format!("Message {id} will be sent again now.")),
        Notice {
            delivered: Some(id),
            ..
        } => Some(format!(
            "Message {id} was already delivered; it is never sent twice."
        )),
        _ => None,
    };
    let page = DeliveriesPage {
        failed: failed.items.iter().map(|d| Row::new(d, &zone)).collect(),
        pending: pending.items.iter().map(|d| Row::new(d, &zone)).collect(),
        time_zone: member.time_zone,
        csrf_token,
        notice,
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RetryForm {
    csrf_token: String,
}

pub async fn retry(
    State(state): State<AppState>,
    jar: CookieJar,
    Path(id): Path<i64>,
    Form(form): Form<RetryForm>,
) -> Result<Response, AppError> {
    let (_, csrf) = match admin(&state, &jar).await? {
        Ok(found) => found,
        Err(response) => return Ok(response),
    };
    if !same_secret(&csrf, &form.csrf_token) {
        return Ok(csrf_refused());
    }
    let to = match state.store.retry_delivery(id, state.now()).await {
        Ok(_) => format!("/settings/deliveries?retried={id}"),
        Err(StoreError::Conflict(_)) => format!("/settings/deliveries?delivered={id}"),
        Err(e) => return Err(e.into()),
    };
    Ok(Redirect::to(&to).into_response())
}
