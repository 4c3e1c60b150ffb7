//! `/settings` (admins): the organisation's name, members and invitations, policies, API
//! tokens, and a link to deliveries. Every part answers others with the 403 page.

mod audit;
mod fields;
mod inbox;
mod member_edit;
mod members;
mod playbooks;
mod policies;
mod prevention;
mod tokens;

pub(crate) use fields::time_zone_options;
pub(crate) use tokens::TokenRow;

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use makegood_domain::Action;
use makegood_domain::text::limits;
use makegood_store::StoreError;
use serde::Deserialize;

use super::{Chrome, FieldErrors, PageError, PageForm, SignedIn, flash_redirect, render};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/settings", get(settings))
        .route("/settings/organisation", post(rename_organisation))
        .merge(members::routes())
        .merge(member_edit::routes())
        .merge(policies::routes())
        .merge(tokens::routes())
        .merge(playbooks::routes())
        .merge(prevention::routes())
        .merge(inbox::routes())
        .merge(audit::routes())
}

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    chrome: Chrome,
    /// The name as stored, or as typed when it was refused.
    organisation: String,
    errors: FieldErrors,
}

/// The form renaming the organisation.
#[derive(Debug, Deserialize)]
pub struct OrganisationForm {
    #[serde(default)]
    organisation: String,
}

/// Refuses unless the member may change settings (admins).
fn require_admin(user: &SignedIn) -> Result<(), PageError> {
    user.require(Action::ManageMembers, None)
}

/// The index: the organisation's name and links to each part.
pub async fn settings(
    State(state): State<AppState>,
    user: SignedIn,
) -> Result<Response, PageError> {
    require_admin(&user)?;
    let organisation = state
        .store
        .organisation()
        .await?
        .map(|o| o.name)
        .unwrap_or_default();
    let page = SettingsPage {
        chrome: user.chrome("settings"),
        organisation,
        errors: FieldErrors::default(),
    };
    Ok(render(StatusCode::OK, &page))
}

/// Renames the organisation.
pub async fn rename_organisation(
    State(state): State<AppState>,
    user: SignedIn,
    PageForm(form): PageForm<OrganisationForm>,
) -> Result<Response, PageError> {
    require_admin(&user)?;
    let refused = |message: String| {
        let mut errors = FieldErrors::default();
        errors.push("organisation", message);
        let page = SettingsPage {
            chrome: user.chrome("settings"),
            organisation: form.organisation.clone(),
            errors,
        };
        render(StatusCode::UNPROCESSABLE_ENTITY, &page)
    };
    if form.organisation.trim().chars().count() > limits::ORGANISATION_NAME {
        return Ok(refused(format!(
            "must be at most {} characters",
            limits::ORGANISATION_NAME
        )));
    }
    match state.store.rename_organisation(&form.organisation).await {
        Ok(org) => Ok(flash_redirect(
            "/settings",
            &format!("The organisation is now called {}.", org.name),
        )),
        Err(StoreError::Invalid { message, .. }) => Ok(refused(message)),
        Err(e) => Err(e.into()),
    }
}
