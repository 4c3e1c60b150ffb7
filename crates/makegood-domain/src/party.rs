//! The other parties of a problem: accounts, their contacts, and vendors.

use serde::{Deserialize, Serialize};

use crate::{AccountId, ContactId, Email, VendorId};

/// A customer organisation; a location of a franchise network has the network as parent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Account {
    pub id: AccountId,
    pub name: String,
    pub parent: Option<AccountId>,
    /// Optional tier label, e.g. `gold`, for tier-specific policies later.
    pub tier: Option<String>,
    /// The member who looks after the account (and reviews it when it turns red).
    #[schema(value_type = Option<i64>)]
    pub owner: Option<crate::MemberId>,
}

/// A stakeholder at an account: the Controller, the IT Director.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Contact {
    pub id: ContactId,
    pub account: AccountId,
    pub name: String,
    /// What they are to the customer, e.g. `IT Director`.
    pub role_title: String,
    pub email: Option<Email>,
    pub phone: Option<String>,
}

/// A third party whose fault or help is part of a problem.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Vendor {
    pub id: VendorId,
    pub name: String,
    pub email: Option<Email>,
}
