//! Storage errors in domain terms; the web crate maps them to HTTP.

use sea_orm::{DbErr, SqlErr};

/// Why a store call failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The thing asked for does not exist (or is not visible to the caller).
    #[error("{what} not found")]
    NotFound { what: &'static str },
    /// The caller's version (`If-Match`) is not the current one.
    #[error(
        "the {what} was changed by someone else (now at version {current}); reload and try again"
    )]
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
    /// The database's disk is full (SQLite `SQLITE_FULL`, PostgreSQL `53100 disk_full`): the
    /// write was rolled back whole. Carries what the database said, for the log.
    #[error("the disk is full; nothing was saved; try again once space is freed")]
    DiskFull(String),
}

impl StoreError {
    /// An [`StoreError::Invalid`] for `field`.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    /// A [`StoreError::NotFound`] for `what`.
    pub(crate) fn not_found(what: &'static str) -> Self {
        Self::NotFound { what }
    }
}

/// Maps a database error: constraint violations become conflicts, a full disk says so, the
/// rest stays opaque.
pub(crate) fn from_db(e: DbErr) -> StoreError {
    if disk_full(&e) {
        return StoreError::DiskFull(e.to_string());
    }
    match e.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => {
            StoreError::Conflict("that already exists".into())
        }
        Some(SqlErr::ForeignKeyConstraintViolation(_)) => StoreError::Conflict(
            "it refers to something that does not exist, or is still referred to".into(),
        ),
        _ => StoreError::Database(e.to_string()),
    }
}

/// Whether the database refused a write for want of disk space: SQLite's `SQLITE_FULL` (13,
/// also as the primary code of an extended one), PostgreSQL's `53100`, or the operating
/// system's "No space left on device" passed through either.
fn disk_full(e: &DbErr) -> bool {
    use sea_orm::RuntimeErr;
    use sea_orm::sqlx::Error as Sqlx;
    if let DbErr::Exec(RuntimeErr::SqlxError(inner))
    | DbErr::Query(RuntimeErr::SqlxError(inner))
    | DbErr::Conn(RuntimeErr::SqlxError(inner)) = e
        && let Sqlx::Database(db) = inner.as_ref()
        && let Some(code) = db.code()
    {
        let sqlite_full = code.parse::<i32>().is_ok_and(|c| c & 0xff == 13);
        if sqlite_full || code == "53100" {
            return true;
        }
    }
    let text = e.to_string();
    text.contains("database or disk is full") || text.contains("No space left on device")
}

/// Maps a unique violation to `Conflict(message())`, anything else as [`from_db`].
pub(crate) fn unique_or(e: DbErr, message: impl FnOnce() -> String) -> StoreError {
    match e.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => StoreError::Conflict(message()),
        _ => from_db(e),
    }
}

/// `.db()?` turns a SeaORM result into a store result.
pub(crate) trait DbResult<T> {
    fn db(self) -> crate::Result<T>;
}

impl<T> DbResult<T> for Result<T, DbErr> {
    fn db(self) -> crate::Result<T> {
        self.map_err(from_db)
    }
}
