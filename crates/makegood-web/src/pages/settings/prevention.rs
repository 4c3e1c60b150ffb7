//! `/settings/prevention` (admins): the recurrence window — how far back an earlier problem of
//! the same account counts as the same one coming back.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use makegood_domain::Action;
use makegood_store::StoreError;
use serde::Deserialize;

use super::super::{Chrome, FieldErrors, PageError, PageForm, SignedIn, flash_redirect, render};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/settings/prevention", get(show).post(save))
}

#[derive(Template)]
#[template(path = "settings_prevention.html")]
struct PreventionSettingsPage {
    chrome: Chrome,
    /// As stored, or as typed when refused.
    window: String,
    errors: FieldErrors,
}

/// The form.
#[derive(Debug, Deserialize)]
pub struct WindowForm {
    #[serde(default)]
    recurrence_window_days: String,
}

async fn show(State(state): State<AppState>, user: SignedIn) -> Result<Response, PageError> {
    user.require(Action::EditPolicies, None)?;
    let days = state.store.recurrence_window_days().await?;
    let page = PreventionSettingsPage {
        chrome: user.chrome("settings"),
        window: days.to_string(),
        errors: FieldErrors::default(),
    };
    Ok(render(StatusCode::OK, &page))
}

async fn save(
    State(state): State<AppState>,
    user: SignedIn,
    PageForm(form): PageForm<WindowForm>,
) -> Result<Response, PageError> {
    user.require(Action::EditPolicies, None)?;
    let refused = |message: String| {
        let mut errors = FieldErrors::default();
        errors.push("recurrence_window_days", message);
        let page = PreventionSettingsPage {
            chrome: user.chrome("settings"),
            window: form.recurrence_window_days.clone(),
            errors,
        };
        render(StatusCode::UNPROCESSABLE_ENTITY, &page)
    };
    let Ok(days) = form.recurrence_window_days.trim().parse::<i64>() else {
        return Ok(refused("give a whole number of days, 1 to 3650".into()));
    };
    match state.store.set_recurrence_window_days(days).await {
        Ok(days) => Ok(flash_redirect(
            "/settings/prevention",
            &format!("Problems recurring within {days} days are now flagged."),
        )),
        Err(StoreError::Invalid { message, .. }) => Ok(refused(message)),
        Err(e) => Err(e.into()),
    }
}
