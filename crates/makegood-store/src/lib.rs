//! makegood's store: the domain persisted on SQLite (embedded default) or PostgreSQL.
//!
//! The API speaks domain types only; no ORM type crosses it. Every write is one
//! transaction that appends events and updates the materialised state, including each
//! problem's and promise's next warning and due times (indexed, so "what is due next"
//! never scans).

mod api;
mod error;

pub use api::*;
pub use error::StoreError;

/// The result of a store call.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
