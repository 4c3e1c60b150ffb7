//! Conversions at the storage boundary: timestamps, enum names, JSON.
//!
//! Timestamps are stored with microsecond precision (PostgreSQL's), so a value read back
//! equals the value written on both backends, and SQLite's text timestamps, all in UTC with
//! the same layout, compare in time order.

use chrono::{DateTime, Utc};
use jiff::Timestamp;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::{Result, StoreError};

/// `t` truncated to whole microseconds.
pub(crate) fn micros(t: Timestamp) -> Timestamp {
    Timestamp::from_microsecond(t.as_microsecond()).unwrap_or(t)
}

/// A timestamp as the database column type.
pub(crate) fn to_db(t: Timestamp) -> DateTime<Utc> {
    // jiff's range (years -9999..=9999) lies well inside chrono's, so this never falls back.
    DateTime::from_timestamp_micros(t.as_microsecond()).unwrap_or_default()
}

/// An optional timestamp as the database column type.
pub(crate) fn to_db_opt(t: Option<Timestamp>) -> Option<DateTime<Utc>> {
    t.map(to_db)
}

/// A database timestamp as a domain timestamp.
pub(crate) fn from_db(t: DateTime<Utc>) -> Result<Timestamp> {
    Timestamp::from_microsecond(t.timestamp_micros())
        .map_err(|e| StoreError::Database(format!("timestamp out of range: {e}")))
}

/// An optional database timestamp as a domain timestamp.
pub(crate) fn from_db_opt(t: Option<DateTime<Utc>>) -> Result<Option<Timestamp>> {
    t.map(from_db).transpose()
}

/// The API name of a unit enum (`Severity::Critical` → `critical`), via its serde name.
pub(crate) fn name_of<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        other => format!("{other:?}"),
    }
}

/// Parses a stored enum name.
pub(crate) fn parse_name<T: DeserializeOwned>(s: &str) -> Result<T> {
    serde_json::from_value(serde_json::Value::String(s.to_owned()))
        .map_err(|e| StoreError::Database(format!("unexpected stored value {s:?}: {e}")))
}

/// Serialises a value stored as JSON text.
pub(crate) fn to_json<T: Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value)
        .map_err(|e| StoreError::Database(format!("cannot encode JSON: {e}")))
}

/// Parses a value stored as JSON text.
pub(crate) fn from_json<T: DeserializeOwned>(s: &str) -> Result<T> {
    serde_json::from_str(s)
        .map_err(|e| StoreError::Database(format!("unexpected stored JSON: {e}")))
}

/// Parses a stored email.
pub(crate) fn email(s: &str) -> Result<makegood_domain::Email> {
    makegood_domain::Email::parse(s)
        .map_err(|e| StoreError::Database(format!("stored email {s:?} {e}")))
}
