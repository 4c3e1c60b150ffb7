//! SQLite files as a whole: a consistent copy of a live database (`VACUUM INTO`), what a
//! file holds (integrity, schema version), and exclusive use of one before it is replaced.
//!
//! PostgreSQL has its own tools for this (`pg_dump`, `pg_restore`); these are SQLite only.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sea_orm::sqlx::{Connection, Row};
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use sea_orm_migration::MigratorTrait;

use crate::error::DbResult;
use crate::migration::Migrator;
use crate::{Backend, Result, Store, StoreError};

/// The first 16 bytes of every SQLite database file.
const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// The schema versions this build knows, oldest first: the names of its migrations.
pub fn schema_versions() -> Vec<String> {
    Migrator::migrations()
        .iter()
        .map(|m| m.name().to_owned())
        .collect()
}

/// This build's schema version: the name of its latest migration.
pub fn schema_version() -> String {
    schema_versions().pop().unwrap_or_default()
}

/// The file of a `sqlite://` URL; `None` for PostgreSQL or an in-memory database.
pub fn sqlite_path(url: &str) -> Option<PathBuf> {
    if !url.starts_with("sqlite:") || url.contains(":memory:") || url.contains("mode=memory") {
        return None;
    }
    let options = SqliteConnectOptions::from_str(url).ok()?;
    Some(options.get_filename().to_owned())
}

/// What a SQLite file holds, read without changing it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SqliteFile {
    /// `PRAGMA integrity_check`'s findings; empty when it says `ok`.
    pub integrity_problems: Vec<String>,
    /// The latest migration applied; `None` when it has no makegood schema at all.
    pub schema_version: Option<String>,
    /// Migrations applied that this build does not know: the file is from a newer makegood.
    pub unknown_migrations: Vec<String>,
    /// It has an organisation set up (a member), not only an empty schema.
    pub has_data: bool,
}

impl SqliteFile {
    /// Reads `path` read-only: [`StoreError::Invalid`] on `file` when it is not a SQLite database.
    pub async fn inspect(path: &Path) -> Result<SqliteFile> {
        let mut header = [0u8; 16];
        std::fs::File::open(path)
            .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut header))
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::UnexpectedEof => {
                    StoreError::invalid("file", "it is not a SQLite database")
                }
                _ => StoreError::invalid("file", format!("cannot read it: {e}")),
            })?;
        if &header != SQLITE_HEADER {
            return Err(StoreError::invalid("file", "it is not a SQLite database"));
        }
        let options = SqliteConnectOptions::new()
            .filename(path)
            .read_only(true)
            .create_if_missing(false);
        let mut conn = SqliteConnection::connect_with(&options)
            .await
            .map_err(|e| StoreError::invalid("file", format!("cannot open it: {e}")))?;
        let result = inspect_on(&mut conn).await;
        let _ = conn.close().await;
        result
    }
}

async fn inspect_on(conn: &mut SqliteConnection) -> Result<SqliteFile> {
    let sqlx = |e: sea_orm::sqlx::Error| StoreError::invalid("file", e.to_string());
    let integrity: Vec<String> = sea_orm::sqlx::query("PRAGMA integrity_check")
        .fetch_all(&mut *conn)
        .await
        .map_err(sqlx)?
        .iter()
        .map(|row| row.try_get::<String, _>(0).unwrap_or_default())
        .collect();
    let integrity_problems = if integrity == ["ok"] {
        Vec::new()
    } else {
        integrity
    };
    let tables: Vec<String> =
        sea_orm::sqlx::query("SELECT name FROM sqlite_master WHERE type = 'table'")
            .fetch_all(&mut *conn)
            .await
            .map_err(sqlx)?
            .iter()
            .filter_map(|row| row.try_get::<String, _>(0).ok())
            .collect();
    let has = |name: &str| tables.iter().any(|t| t == name);
    let applied: Vec<String> = if has("seaql_migrations") {
        sea_orm::sqlx::query("SELECT version FROM seaql_migrations ORDER BY version")
            .fetch_all(&mut *conn)
            .await
            .map_err(sqlx)?
            .iter()
            .filter_map(|row| row.try_get::<String, _>(0).ok())
            .collect()
    } else {
        Vec::new()
    };
    let known = schema_versions();
    let unknown_migrations = applied
        .iter()
        .filter(|v| !known.contains(v))
        .cloned()
        .collect();
    let has_data = has("members")
        && sea_orm::sqlx::query("SELECT EXISTS (SELECT 1 FROM members)")
            .fetch_one(&mut *conn)
            .await
            .map_err(sqlx)?
            .try_get::<i64, _>(0)
            .map_err(sqlx)?
            != 0;
    Ok(SqliteFile {
        integrity_problems,
        schema_version: applied.last().cloned(),
        unknown_migrations,
        has_data,
    })
}

/// Sole use of a SQLite file, held until dropped or [`ExclusiveUse::release`]d: nobody else
/// reads or writes it meanwhile. Its write-ahead log is folded into the file first.
pub struct ExclusiveUse {
    conn: Option<SqliteConnection>,
}

impl std::fmt::Debug for ExclusiveUse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExclusiveUse").finish_non_exhaustive()
    }
}

impl ExclusiveUse {
    /// Takes `path` for itself without waiting: [`StoreError::Conflict`] when another
    /// connection (a running makegood) has it open.
    ///
    /// Leaving WAL mode needs the only connection to the file, so it is the test of that;
    /// it also checkpoints the log, so the file alone is the whole database afterwards and
    /// closing deletes nothing beside it. Then `BEGIN EXCLUSIVE` keeps everyone out.
    pub async fn take(path: &Path) -> Result<ExclusiveUse> {
        let in_use = || {
            StoreError::Conflict(format!(
                "{} is in use by another process: stop makegood first",
                path.display()
            ))
        };
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(false)
            .busy_timeout(Duration::ZERO);
        let mut conn = SqliteConnection::connect_with(&options)
            .await
            .map_err(|e| StoreError::Database(format!("cannot open {}: {e}", path.display())))?;
        let mode = sea_orm::sqlx::query("PRAGMA journal_mode = DELETE")
            .fetch_one(&mut conn)
            .await
            .ok()
            .and_then(|row| row.try_get::<String, _>(0).ok());
        if !mode.is_some_and(|m| m.eq_ignore_ascii_case("delete")) {
            let _ = conn.close().await;
            return Err(in_use());
        }
        if sea_orm::sqlx::query("BEGIN EXCLUSIVE")
            .execute(&mut conn)
            .await
            .is_err()
        {
            let _ = conn.close().await;
            return Err(in_use());
        }
        Ok(ExclusiveUse { conn: Some(conn) })
    }

    /// Lets go of the file.
    pub async fn release(mut self) {
        if let Some(mut conn) = self.conn.take() {
            let _ = sea_orm::sqlx::query("ROLLBACK").execute(&mut conn).await;
            let _ = conn.close().await;
        }
    }
}

impl Store {
    /// Writes a consistent copy of this SQLite database to `path` (`VACUUM INTO`: one read
    /// transaction, so writers carry on under WAL). `path` must not exist or be empty.
    pub async fn backup_into(&self, path: &Path) -> Result<()> {
        if self.backend != Backend::Sqlite {
            return Err(StoreError::invalid(
                "database_url",
                "only a SQLite database is backed up this way",
            ));
        }
        let target = path
            .to_str()
            .ok_or_else(|| StoreError::invalid("file", "the path is not valid UTF-8"))?;
        self.db
            .execute_raw(Statement::from_sql_and_values(
                DbBackend::Sqlite,
                "VACUUM INTO ?",
                [target.into()],
            ))
            .await
            .db()?;
        Ok(())
    }

    /// The latest migration applied to this database; `None` before any.
    pub async fn applied_schema_version(&self) -> Result<Option<String>> {
        let applied = Migrator::get_applied_migrations(&self.db).await.db()?;
        Ok(applied.last().map(|m| m.name().to_owned()))
    }
}
