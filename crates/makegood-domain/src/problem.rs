//! Problems: the case a team works, with one owner at all times.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::{AccountId, ContactId, MemberId, ProblemId, ProblemNumber, VendorId};

/// Whose fault it was, as far as is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    Ours,
    Customer,
    Vendor,
    Unknown,
}

/// How bad it is; selects the [`crate::Policy`].
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Critical,
    Major,
    Minor,
}

impl Severity {
    /// Every severity, worst first.
    pub const ALL: [Severity; 3] = [Severity::Critical, Severity::Major, Severity::Minor];
}

/// Whom a problem is openly waiting on; the update and fix clocks pause meanwhile.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WaitingOn {
    Customer,
    Vendor,
}

/// Where a problem stands, derived from its events.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Open,
    WaitingOnCustomer,
    WaitingOnVendor,
    Fixed,
    Confirmed,
    Closed,
}

impl Status {
    /// Every status, in the order a problem usually passes through them.
    pub const ALL: [Status; 6] = [
        Status::Open,
        Status::WaitingOnCustomer,
        Status::WaitingOnVendor,
        Status::Fixed,
        Status::Confirmed,
        Status::Closed,
    ];

    /// The API name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::WaitingOnCustomer => "waiting_on_customer",
            Status::WaitingOnVendor => "waiting_on_vendor",
            Status::Fixed => "fixed",
            Status::Confirmed => "confirmed",
            Status::Closed => "closed",
        }
    }

    /// Parses an API name.
    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Waiting on someone else: the update and fix clocks are paused.
    pub fn is_waiting(self) -> bool {
        matches!(self, Status::WaitingOnCustomer | Status::WaitingOnVendor)
    }

    /// Not yet fixed.
    pub fn is_unfixed(self) -> bool {
        matches!(
            self,
            Status::Open | Status::WaitingOnCustomer | Status::WaitingOnVendor
        )
    }
}

/// The relationship result recorded when a problem closes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Advocate,
    Retained,
    AtRisk,
    Lost,
    Unknown,
}

/// A customer problem as it stands now (the materialised view of its events).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Problem {
    pub id: ProblemId,
    pub number: ProblemNumber,
    pub title: String,
    pub description: String,
    pub origin: Origin,
    /// The vendor at fault when `origin` is `vendor`.
    pub vendor: Option<VendorId>,
    pub severity: Severity,
    pub category: String,
    pub owner: MemberId,
    /// One or more affected accounts; the first is the primary one.
    pub accounts: Vec<AccountId>,
    /// Contacts to keep informed (empty when `all_stakeholders`).
    pub stakeholders: Vec<ContactId>,
    /// Every contact of every affected account is kept informed, whoever they are when an
    /// update is sent: contacts added later, and those of accounts added later, are told too.
    pub all_stakeholders: bool,
    /// When we first knew; clocks run from here. May precede `created_at`.
    #[schema(value_type = String, format = DateTime)]
    pub detected_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    pub status: Status,
    /// Set while closed.
    pub outcome: Option<Outcome>,
    /// Optimistic-concurrency version; the API's `ETag`.
    pub version: i64,
}
