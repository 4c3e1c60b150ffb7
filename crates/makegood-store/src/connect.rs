//! Connecting, migrating and starting transactions, with the per-backend settings.

use std::str::FromStr;
use std::time::Duration;

use sea_orm::sqlx::Connection;
use sea_orm::sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous,
};
use sea_orm::{
    ConnectOptions, Database, DatabaseTransaction, SqliteTransactionMode, SqlxSqliteConnector,
    TransactionOptions, TransactionTrait,
};
use sea_orm_migration::MigratorTrait;

use crate::error::DbResult;
use crate::migration::Migrator;
use crate::{Backend, Result, Store, StoreError};

impl Store {
    pub(crate) async fn open(url: &str) -> Result<Store> {
        if url.starts_with("sqlite:") {
            // --- SQLite: durability first. WAL for concurrent readers, FULL sync, FKs on,
            // and a busy timeout so writers queue instead of failing.
            let memory = url.contains(":memory:") || url.contains("mode=memory");
            let mut options = SqliteConnectOptions::from_str(url)
                .map_err(|e| StoreError::invalid("database_url", e.to_string()))?
                .create_if_missing(true)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(5))
                .synchronous(SqliteSynchronous::Full);
            if !memory {
                options = options.journal_mode(SqliteJournalMode::Wal);
            }
            let open = |max: u32| {
                SqlitePoolOptions::new()
                    .max_connections(max)
                    // A writer waits its turn at most as long as a request may take.
                    .acquire_timeout(Duration::from_secs(30))
                    // A connection that comes back still inside a transaction (a COMMIT or
                    // ROLLBACK that failed, say on a full disk) is closed, which rolls it
                    // back: the next writer must never add to a transaction nobody commits.
                    .after_release(|conn, _| {
                        Box::pin(async move {
                            // Waits for the rollback a dropped transaction queued.
                            conn.ping().await?;
                            Ok(!conn.is_in_transaction())
                        })
                    })
                    .connect_with(options.clone())
            };
            let cannot =
                |e: sea_orm::sqlx::Error| StoreError::Database(format!("cannot open {url}: {e}"));
            // An in-memory database lives in one connection only.
            if memory {
                let db = SqlxSqliteConnector::from_sqlx_sqlite_pool(open(1).await.map_err(cannot)?);
                return Ok(Store {
                    writer: db.clone(),
                    db,
                    backend: Backend::Sqlite,
                });
            }
            // Readers share a pool; every write goes through one connection of its own.
            let db = SqlxSqliteConnector::from_sqlx_sqlite_pool(open(8).await.map_err(cannot)?);
            let writer = SqlxSqliteConnector::from_sqlx_sqlite_pool(open(1).await.map_err(cannot)?);
            Ok(Store {
                db,
                writer,
                backend: Backend::Sqlite,
            })
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            // --- PostgreSQL.
            let mut options = ConnectOptions::new(url.to_owned());
            options.max_connections(16).sqlx_logging(false);
            let db = Database::connect(options)
                .await
                .map_err(|e| StoreError::Database(format!("cannot connect to PostgreSQL: {e}")))?;
            Ok(Store {
                writer: db.clone(),
                db,
                backend: Backend::Postgres,
            })
        } else {
            Err(StoreError::invalid(
                "database_url",
                "must start with sqlite:// or postgres://",
            ))
        }
    }

    pub(crate) async fn run_migrations(&self) -> Result<()> {
        Migrator::up(&self.db, None).await.db()
    }

    /// Begins a write transaction. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`), so two writers queue on the busy timeout instead of one failing
    /// when it upgrades from reading; PostgreSQL writers lock the rows they change.
    pub(crate) async fn write(&self) -> Result<DatabaseTransaction> {
        let options = TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        };
        self.writer.begin_with_options(options).await.db()
    }

    /// Begins a read transaction: a consistent snapshot for views assembled from several queries.
    pub(crate) async fn read(&self) -> Result<DatabaseTransaction> {
        self.db.begin().await.db()
    }
}
