//! Contacts: the stakeholders at an account.

use axum::extract::State;
use axum::http::StatusCode;
use makegood_domain::text::limits;
use makegood_domain::{AccountId, Action, Contact, ContactId, Email};
use makegood_store::{ContactPatch, NewContact};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::types::{Check, ListOf, double_option, page};
use crate::auth::CurrentMember;
use crate::error::AppError;
use crate::extract::{Json, Path, Query};
use crate::state::AppState;

/// Filters for the contact list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ContactListQuery {
    /// Only the contacts of this account.
    pub account: Option<i64>,
    pub cursor: Option<String>,
    /// 1 to 200, default 50.
    pub limit: Option<u32>,
}

/// A new contact.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateContact {
    #[schema(value_type = i64)]
    pub account: AccountId,
    #[schema(min_length = 1, pattern = r"\S")]
    pub name: String,
    /// What they are to the customer, e.g. `IT Director`.
    pub role_title: String,
    pub email: Option<Email>,
    pub phone: Option<String>,
}

/// Fields to change; `null` clears `email` or `phone`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateContact {
    #[schema(min_length = 1, pattern = r"\S")]
    pub name: Option<String>,
    pub role_title: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, format = Email)]
    pub email: Option<Option<Email>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub phone: Option<Option<String>>,
}

/// Lists contacts.
#[utoipa::path(get, path = "/contacts", tag = "contacts", params(ContactListQuery),
    responses((status = 200, body = ListOf<Contact>)))]
pub async fn list_contacts(
    State(state): State<AppState>,
    me: CurrentMember,
    Query(q): Query<ContactListQuery>,
) -> Result<Json<ListOf<Contact>>, AppError> {
    me.require(Action::Read, None)?;
    let contacts = state
        .store
        .list_contacts(q.account.map(AccountId), &page(q.cursor, q.limit)?)
        .await?;
    Ok(Json(ListOf::from_page(contacts, |c| c)))
}

/// Gets a contact.
#[utoipa::path(get, path = "/contacts/{id}", tag = "contacts", responses((status = 200, body = Contact)))]
pub async fn get_contact(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(id): Path<i64>,
) -> Result<Json<Contact>, AppError> {
    me.require(Action::Read, None)?;
    Ok(Json(state.store.contact(ContactId(id)).await?))
}

/// Adds a contact to an account.
#[utoipa::path(post, path = "/contacts", tag = "contacts", responses((status = 201, body = Contact)))]
pub async fn create_contact(
    State(state): State<AppState>,
    me: CurrentMember,
    Json(body): Json<CreateContact>,
) -> Result<(StatusCode, Json<Contact>), AppError> {
    me.require(Action::ManageParties, None)?;
    let mut check = Check::default();
    let name = check.text("name", &body.name, limits::PERSON_NAME);
    let role_title = check.optional("role_title", &body.role_title, limits::ROLE_TITLE);
    let phone = body.phone.map(|p| check.text("phone", &p, limits::PHONE));
    check.finish()?;
    let new = NewContact {
        account: body.account,
        name,
        role_title,
        email: body.email,
        phone,
    };
    Ok((
        StatusCode::CREATED,
        Json(state.store.create_contact(new).await?),
    ))
}

/// Changes a contact.
#[utoipa::path(patch, path = "/contacts/{id}", tag = "contacts", responses((status = 200, body = Contact)))]
pub async fn update_contact(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(id): Path<i64>,
    Json(body): Json<UpdateContact>,
) -> Result<Json<Contact>, AppError> {
    me.require(Action::ManageParties, None)?;
    let mut check = Check::default();
    let name = body
        .name
        .map(|n| check.text("name", &n, limits::PERSON_NAME));
    let role_title = body
        .role_title
        .map(|r| check.optional("role_title", &r, limits::ROLE_TITLE));
    let phone = body
        .phone
        .map(|p| p.map(|p| check.text("phone", &p, limits::PHONE)));
    check.finish()?;
    let patch = ContactPatch {
        name,
        role_title,
        email: body.email,
        phone,
    };
    Ok(Json(
        state.store.update_contact(ContactId(id), patch).await?,
    ))
}

/// Deletes a contact nothing refers to.
#[utoipa::path(delete, path = "/contacts/{id}", tag = "contacts", responses((status = 204, description = "Deleted")))]
pub async fn delete_contact(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(id): Path<i64>,
) -> Result<StatusCode, AppError> {
    me.require(Action::ManageParties, None)?;
    state.store.delete_contact(ContactId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}
