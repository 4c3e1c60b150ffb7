//! `GET /settings/deliveries`: failed and pending outbox messages, with a Retry button for
//! each failed one (admins). `POST /settings/deliveries/{id}/retry` redirects back with a flash.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use jiff::tz::TimeZone;
use makegood_domain::Action;
use makegood_store::{Delivery, DeliveryFilter, DeliveryStatus, PageRequest, StoreError};

use super::{ButtonOnly, Chrome, PageError, PageForm, SignedIn, flash_redirect, render};
use crate::extract::Path;
use crate::state::AppState;

/// How many messages of each status the page lists; the API pages through the rest.
const LIMIT: u32 = 100;

#[derive(Template)]
#[template(path = "deliveries.html")]
struct DeliveriesPage {
    chrome: Chrome,
    failed: Vec<Row>,
    pending: Vec<Row>,
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

pub async fn deliveries(
    State(state): State<AppState>,
    user: SignedIn,
) -> Result<Response, PageError> {
    user.require(Action::ManageIntegrations, None)?;
    let zone = &user.zone;
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
    let page = DeliveriesPage {
        failed: failed.items.iter().map(|d| Row::new(d, zone)).collect(),
        pending: pending.items.iter().map(|d| Row::new(d, zone)).collect(),
        chrome: user.chrome("settings"),
    };
    Ok(render(StatusCode::OK, &page))
}

pub async fn retry(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<i64>,
    PageForm(ButtonOnly {}): PageForm<ButtonOnly>,
) -> Result<Response, PageError> {
    user.require(Action::ManageIntegrations, None)?;
    let message = match state.store.retry_delivery(id, state.now()).await {
        Ok(_) => format!("Message {id} will be sent again now."),
        Err(StoreError::Conflict(_)) => {
            format!("Message {id} was already delivered; it is never sent twice.")
        }
        Err(e) => return Err(e.into()),
    };
    Ok(flash_redirect("/settings/deliveries", &message))
}
