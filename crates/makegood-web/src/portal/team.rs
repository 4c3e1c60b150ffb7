//! The team's side of the portal, on the account page's contact rows: "Send portal link"
//! (emailed through the outbox; the secret is never shown) and "Revoke portal access".

use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::post;
use makegood_domain::{Action, ContactId};
use makegood_store::StoreError;

use crate::pages::{ButtonOnly, PageError, PageForm, SignedIn, flash_redirect};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/accounts/{id}/contacts/{contact}/portal-link",
            post(send_link),
        )
        .route(
            "/accounts/{id}/contacts/{contact}/portal-revoke",
            post(revoke_access),
        )
}

/// The contact `contact` of account `id`, or 404.
async fn contact_of(
    state: &AppState,
    id: i64,
    contact: i64,
) -> Result<makegood_domain::Contact, PageError> {
    let found = state.store.contact(ContactId(contact)).await?;
    if found.account.0 != id {
        return Err(PageError::NotFound(format!(
            "contact {contact} of account {id}"
        )));
    }
    Ok(found)
}

pub async fn send_link(
    State(state): State<AppState>,
    user: SignedIn,
    Path((id, contact)): Path<(i64, i64)>,
    PageForm(_): PageForm<ButtonOnly>,
) -> Result<Response, PageError> {
    user.require(Action::ManageParties, None)?;
    let found = contact_of(&state, id, contact).await?;
    let to = format!("/accounts/{id}");
    match state
        .store
        .send_portal_link(found.id, None, Some(user.member.id), state.now())
        .await
    {
        Ok(_) => Ok(flash_redirect(
            &to,
            &format!("A portal sign-in link is on its way to {}.", found.name),
        )),
        Err(StoreError::Invalid { message, .. }) => Ok(flash_redirect(
            &to,
            &format!("No link was sent: {message}."),
        )),
        Err(other) => Err(other.into()),
    }
}

pub async fn revoke_access(
    State(state): State<AppState>,
    user: SignedIn,
    Path((id, contact)): Path<(i64, i64)>,
    PageForm(_): PageForm<ButtonOnly>,
) -> Result<Response, PageError> {
    user.require(Action::ManageParties, None)?;
    let found = contact_of(&state, id, contact).await?;
    let revoked = state
        .store
        .revoke_portal_access(found.id, state.now())
        .await?;
    Ok(flash_redirect(
        &format!("/accounts/{id}"),
        &format!(
            "{}'s portal access is revoked: {} unused link(s) withdrawn, {} session(s) signed out.",
            found.name, revoked.links, revoked.sessions
        ),
    ))
}
