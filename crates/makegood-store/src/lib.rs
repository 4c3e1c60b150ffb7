//! makegood's store: the domain persisted on SQLite (embedded default) or PostgreSQL.
//!
//! The API speaks domain types only; no ORM type crosses it. Every write is one
//! transaction that appends events and updates the materialised state, including each
//! problem's and promise's next warning and due times (indexed, so "what is due next"
//! never scans).
//!
//! Lists are keyset-paginated: a page's `next_cursor` is an opaque string; a `limit`
//! outside 1..=200 or a malformed cursor is refused as [`StoreError::Invalid`].

mod account_search;
mod accounts;
mod api;
pub mod audit;
mod auth;
pub mod backup;
mod calendars;
mod clocks;
mod connect;
mod convert;
mod cursor;
mod db;
mod duties;
mod error;
mod failures;
mod feeds;
mod followup;
mod gauges;
mod health;
mod idempotency;
mod inbound;
mod inbound_review;
mod incidents;
mod invitations;
mod members;
mod migration;
mod operations;
mod operations_settings;
mod outbox;
mod parties;
mod playbooks;
mod policies;
pub mod portal;
mod preferences;
mod preventions;
mod problems;
mod promises;
mod remedies;
pub(crate) mod reports;
mod scheduler;
mod setup;
#[cfg(feature = "testing")]
pub mod testing;
mod timers;
pub mod transfer;
mod validate;
mod webhooks;

pub use account_search::AccountEntry;
pub use api::*;
pub use audit::{AuditEvent, AuditFilter, AuditKind, NewAuditEvent};
pub use error::StoreError;
pub use failures::{FailureFilter, FailureSummary};
pub use gauges::Gauges;
pub use health::{AccountHealthView, HealthDay};
pub use inbound::{InboundSummary, Ingested, NewAttachment, NewInboundEmail, TRIAGE_CATEGORY};
pub use inbound_review::{HeldSender, Reviewed};
pub use incidents::{AccountUpdate, LocationContact, NewAccountsPromise, NewLocation, Reach};
pub use invitations::{INVITATION_LIFETIME, Invitation, InvitationLookup};
pub use outbox::{DELIVERY_LEASE, MAX_ATTEMPTS};
pub use playbooks::RenderedMessage;
pub use preventions::{
    NewVendorPromise, PreventionFilter, PreventionView, Recurrence, VendorProblem,
    VendorPromiseView, VendorReliability,
};
pub use promises::reliability::{Reliability, ReliabilityBy};
pub use remedies::{RemedyFilter, RemedyListState, RemedyView};
pub use transfer::{Coverage, Progress, Quiet, TransferError, Transferred};

/// The result of a store call.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
