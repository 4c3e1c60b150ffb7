//! Vendors: third parties whose fault or help is part of a problem.

use axum::extract::State;
use axum::http::StatusCode;
use makegood_domain::text::limits;
use makegood_domain::{Action, Email, Vendor, VendorId};
use makegood_store::{NewVendor, VendorPatch};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::types::{Check, ListOf, double_option, page};
use crate::auth::CurrentMember;
use crate::error::AppError;
use crate::extract::{Json, Path, Query};
use crate::state::AppState;

/// A page of vendors.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct VendorListQuery {
    pub cursor: Option<String>,
    /// 1 to 200, default 50.
    pub limit: Option<u32>,
}

/// A new vendor.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateVendor {
    #[schema(min_length = 1, pattern = r"\S")]
    pub name: String,
    pub email: Option<Email>,
}

/// Fields to change; `null` clears `email`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateVendor {
    #[schema(min_length = 1, pattern = r"\S")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, format = Email)]
    pub email: Option<Option<Email>>,
}

/// Lists vendors.
#[utoipa::path(get, path = "/vendors", tag = "vendors", params(VendorListQuery),
    responses((status = 200, body = ListOf<Vendor>)))]
pub async fn list_vendors(
    State(state): State<AppState>,
    me: CurrentMember,
    Query(q): Query<VendorListQuery>,
) -> Result<Json<ListOf<Vendor>>, AppError> {
    me.require(Action::Read, None)?;
    let vendors = state.store.list_vendors(&page(q.cursor, q.limit)?).await?;
    Ok(Json(ListOf::from_page(vendors, |v| v)))
}

/// Gets a vendor.
#[utoipa::path(get, path = "/vendors/{id}", tag = "vendors", responses((status = 200, body = Vendor)))]
pub async fn get_vendor(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(id): Path<i64>,
) -> Result<Json<Vendor>, AppError> {
    me.require(Action::Read, None)?;
    Ok(Json(state.store.vendor(VendorId(id)).await?))
}

/// Adds a vendor.
#[utoipa::path(post, path = "/vendors", tag = "vendors", responses((status = 201, body = Vendor)))]
pub async fn create_vendor(
    State(state): State<AppState>,
    me: CurrentMember,
    Json(body): Json<CreateVendor>,
) -> Result<(StatusCode, Json<Vendor>), AppError> {
    me.require(Action::ManageParties, None)?;
    let mut check = Check::default();
    let name = check.text("name", &body.name, limits::ORGANISATION_NAME);
    check.finish()?;
    let vendor = state
        .store
        .create_vendor(NewVendor {
            name,
            email: body.email,
        })
        .await?;
    Ok((StatusCode::CREATED, Json(vendor)))
}

/// Changes a vendor.
#[utoipa::path(patch, path = "/vendors/{id}", tag = "vendors", responses((status = 200, body = Vendor)))]
pub async fn update_vendor(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(id): Path<i64>,
    Json(body): Json<UpdateVendor>,
) -> Result<Json<Vendor>, AppError> {
    me.require(Action::ManageParties, None)?;
    let mut check = Check::default();
    let name = body
        .name
        .map(|n| check.text("name", &n, limits::ORGANISATION_NAME));
    check.finish()?;
    Ok(Json(
        state
            .store
            .update_vendor(
                VendorId(id),
                VendorPatch {
                    name,
                    email: body.email,
                },
            )
            .await?,
    ))
}

/// Deletes a vendor no problem refers to.
#[utoipa::path(delete, path = "/vendors/{id}", tag = "vendors", responses((status = 204, description = "Deleted")))]
pub async fn delete_vendor(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(id): Path<i64>,
) -> Result<StatusCode, AppError> {
    me.require(Action::ManageParties, None)?;
    state.store.delete_vendor(VendorId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}
