//! Storage errors in domain terms; the web crate maps them to HTTP.

/// Why a store call failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The thing asked for does not exist (or is not visible to the caller).
    #[error("{what} not found")]
    NotFound { what: &'static str },
    /// The caller's version (`If-Match`) is not the current one.
    #[error("the {what} was changed by someone else (now at version {current}); reload and try again")]
    Stale { what: &'static str, current: i64 },
    /// Input that parsed but does not fit: a contact of another account, an owner who is a viewer …
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    /// A uniqueness clash or a state-machine refusal: an email already taken, resuming an open problem …
    #[error("{0}")]
    Conflict(String),
    /// Anything else the database said; logged in full, shown generically.
    #[error("database error: {0}")]
    Database(String),
}

impl StoreError {
    /// An [`StoreError::Invalid`] for `field`.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid { field: field.into(), message: message.into() }
    }
}
