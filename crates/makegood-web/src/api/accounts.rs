//! Accounts: customer organisations, optionally under a parent (a franchise network).

use axum::extract::State;
use axum::http::StatusCode;
use makegood_domain::text::limits;
use makegood_domain::{Account, AccountId, Action, MemberId};
use makegood_store::{AccountPatch, NewAccount};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::types::{Check, ListOf, double_option, page};
use crate::auth::CurrentMember;
use crate::error::AppError;
use crate::extract::{Json, Path, Query};
use crate::state::AppState;

/// Filters for the account list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AccountListQuery {
    /// Only the locations under this account.
    pub parent: Option<i64>,
    pub cursor: Option<String>,
    /// 1 to 200, default 50.
    pub limit: Option<u32>,
}

/// A new account.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateAccount {
    #[schema(min_length = 1, pattern = r"\S")]
    pub name: String,
    #[schema(value_type = Option<i64>)]
    pub parent: Option<AccountId>,
    pub tier: Option<String>,
    /// The member who looks after it (active, not a viewer).
    #[schema(value_type = Option<i64>)]
    pub owner: Option<MemberId>,
}

/// Fields to change; `null` clears `parent` or `tier`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateAccount {
    #[schema(min_length = 1, pattern = r"\S")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>)]
    pub parent: Option<Option<AccountId>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub tier: Option<Option<String>>,
    /// The member who looks after it (active, not a viewer); `null`: nobody in particular.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>)]
    pub owner: Option<Option<MemberId>>,
}

/// Lists accounts.
#[utoipa::path(get, path = "/accounts", tag = "accounts", params(AccountListQuery),
    responses((status = 200, description = "Accounts by name", body = ListOf<Account>)))]
pub async fn list_accounts(
    State(state): State<AppState>,
    me: CurrentMember,
    Query(q): Query<AccountListQuery>,
) -> Result<Json<ListOf<Account>>, AppError> {
    me.require(Action::Read, None)?;
    let accounts = state
        .store
        .list_accounts(q.parent.map(AccountId), &page(q.cursor, q.limit)?)
        .await?;
    Ok(Json(ListOf::from_page(accounts, |a| a)))
}

/// Gets an account.
#[utoipa::path(get, path = "/accounts/{id}", tag = "accounts", responses((status = 200, body = Account)))]
pub async fn get_account(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(id): Path<i64>,
) -> Result<Json<Account>, AppError> {
    me.require(Action::Read, None)?;
    Ok(Json(state.store.account(AccountId(id)).await?))
}

/// Adds an account.
#[utoipa::path(post, path = "/accounts", tag = "accounts", responses((status = 201, body = Account)))]
pub async fn create_account(
    State(state): State<AppState>,
    me: CurrentMember,
    Json(body): Json<CreateAccount>,
) -> Result<(StatusCode, Json<Account>), AppError> {
    me.require(Action::ManageParties, None)?;
    let mut check = Check::default();
    let name = check.text("name", &body.name, limits::ORGANISATION_NAME);
    let tier = body.tier.map(|t| check.text("tier", &t, limits::TIER));
    check.finish()?;
    let mut account = state
        .store
        .create_account(NewAccount {
            name,
            parent: body.parent,
            tier,
        })
        .await?;
    if let Some(owner) = body.owner {
        let patch = AccountPatch {
            owner: Some(Some(owner)),
            ..AccountPatch::default()
        };
        account = state.store.update_account(account.id, patch).await?;
    }
    Ok((StatusCode::CREATED, Json(account)))
}

/// Changes an account.
#[utoipa::path(patch, path = "/accounts/{id}", tag = "accounts", responses((status = 200, body = Account)))]
pub async fn update_account(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(id): Path<i64>,
    Json(body): Json<UpdateAccount>,
) -> Result<Json<Account>, AppError> {
    me.require(Action::ManageParties, None)?;
    let mut check = Check::default();
    let name = body
        .name
        .map(|n| check.text("name", &n, limits::ORGANISATION_NAME));
    let tier = body
        .tier
        .map(|t| t.map(|t| check.text("tier", &t, limits::TIER)));
    check.ensure(
        body.parent != Some(Some(AccountId(id))),
        "parent",
        "an account cannot be its own parent",
    );
    check.finish()?;
    let patch = AccountPatch {
        name,
        parent: body.parent,
        tier,
        owner: body.owner,
    };
    Ok(Json(
        state.store.update_account(AccountId(id), patch).await?,
    ))
}

/// Deletes an account nothing refers to.
#[utoipa::path(delete, path = "/accounts/{id}", tag = "accounts", responses((status = 204, description = "Deleted")))]
pub async fn delete_account(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(id): Path<i64>,
) -> Result<StatusCode, AppError> {
    me.require(Action::ManageParties, None)?;
    state.store.delete_account(AccountId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}
