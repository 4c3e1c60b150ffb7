//! `makegood export` / `makegood import`: the whole organisation as JSON Lines, lossless
//! between SQLite and PostgreSQL.
//!
//! The file is one JSON document per line:
//!
//! ```text
//! {"format":"makegood-export","version":1,"schema":"m0012_customer","tables":33,"rows":1234}
//! {"table":"organisation","rows":1,"columns":[["id","integer"],["name","text"],…]}
//! [1,"Northwind Consulting",…]
//! {"table":"members","rows":6,"columns":[…]}
//! [1,"Alex Morgan","alex@northwind.example",…]
//! …
//! {"end":"makegood-export","tables":33,"rows":1234}
//! ```
//!
//! Tables come in [`EXPORTED`] order (every table after the tables it refers to), rows in
//! primary-key order, values typed per column (see [`value`]) — so exporting the same data
//! from either backend gives the same bytes. Both directions stream row by row: memory does
//! not grow with the data. An import goes into an empty database in one transaction.

mod export;
mod import;
mod schema;
mod value;

use std::io;

use serde::{Deserialize, Serialize};

use crate::Store;

/// The first line's `format`.
pub const FORMAT: &str = "makegood-export";
/// The version of the file layout (not of the schema, which the header names too).
pub const VERSION: u64 = 1;

/// Every table an export holds, in the order an import writes them: each after every table
/// it refers to (a table referring to itself is filled in after its rows).
pub const EXPORTED: &[&str] = &[
    "organisation",
    "policies",
    "members",
    "api_tokens",
    "member_preferences",
    "calendar_feeds",
    "invitations",
    "calendars",
    "accounts",
    "contacts",
    "vendors",
    "webhooks",
    "playbooks",
    "playbook_items",
    "playbook_templates",
    "problems",
    "problem_accounts",
    "problem_stakeholders",
    "promises",
    "promise_contacts",
    "events",
    "problem_text",
    "timers",
    "outbox",
    "remedies",
    "preventions",
    "recurrences",
    "vendor_promises",
    "checklist_ticks",
    "inbound_emails",
    "inbound_attachments",
    "portal_links",
    "surveys",
    "failures",
    // Health is recomputed from the rest, but its days are the trend and its red_since
    // starts the review duty's clock: both history that cannot be derived again.
    "account_health",
    "account_health_days",
    "account_reviews",
    "audit_events",
];

/// Tables an export leaves out, with why: sign-ins and replay protection that should not
/// outlive a move, derived data rebuilt after an import, and the migrations' own bookkeeping
/// (the header names the schema version instead).
pub const SKIPPED: &[(&str, &str)] = &[
    (
        "seaql_migrations",
        "the schema version, named in the header",
    ),
    ("sessions", "browser sign-ins: everyone signs in again"),
    ("portal_sessions", "portal sign-ins: contacts sign in again"),
    (
        "idempotency_keys",
        "replay protection for API retries, short-lived",
    ),
    ("report_dirty", "report aggregates: rebuilt after an import"),
    (
        "health_dirty",
        "accounts whose health is to be recomputed: all of them after an import",
    ),
    (
        "report_contrib",
        "report aggregates: rebuilt after an import",
    ),
    (
        "report_counts",
        "report aggregates: rebuilt after an import",
    ),
    (
        "report_labels",
        "report aggregates: rebuilt after an import",
    ),
    ("report_state", "report aggregates: rebuilt after an import"),
    (
        "login_throttle",
        "failed sign-ins being backed off, short-lived",
    ),
];

/// Tables that a fresh database already has a row in before anyone signs in (the default
/// policies from the migrations, the setup token `serve` issues): an import replaces them.
const SEEDED: &[&str] = &["organisation", "policies"];

/// The first line.
#[derive(Debug, Serialize, Deserialize)]
struct Header {
    format: String,
    version: u64,
    /// The newest migration of the database it came from.
    schema: String,
    tables: u64,
    rows: u64,
}

/// The line before each table's rows.
#[derive(Debug, Serialize, Deserialize)]
struct TableLine {
    table: String,
    rows: u64,
    /// `[name, kind]` in the table's column order.
    columns: Vec<(String, String)>,
}

/// The last line: an export that lacks it was cut short.
#[derive(Debug, Serialize, Deserialize)]
struct End {
    end: String,
    tables: u64,
    rows: u64,
}

/// Why an export or import failed.
#[derive(Debug, thiserror::Error)]
pub enum TransferError {
    /// Reading or writing the file.
    #[error("{0}")]
    Io(#[from] io::Error),
    /// The file is not an export this makegood can read; `line` counts from 1.
    #[error("line {line}: {message}")]
    Format { line: u64, message: String },
    /// The schema and the export (or the lists above) disagree.
    #[error("{0}")]
    Schema(String),
    /// An import into a database that already holds data.
    #[error(
        "the database is not empty ({table} has {rows} rows), so nothing was imported: import only into a new database (a new --database-url)"
    )]
    NotEmpty { table: String, rows: u64 },
    /// What the database said.
    #[error("database error: {0}")]
    Database(String),
}

impl From<sea_orm::DbErr> for TransferError {
    fn from(e: sea_orm::DbErr) -> Self {
        TransferError::Database(e.to_string())
    }
}

impl From<crate::StoreError> for TransferError {
    fn from(e: crate::StoreError) -> Self {
        TransferError::Database(e.to_string())
    }
}

/// Told how far an export or import is; every method does nothing by default.
pub trait Progress: Send + Sync {
    /// The number of rows in all, before the first.
    fn start(&self, _rows: u64) {}
    /// The next table begins.
    fn table(&self, _name: &str) {}
    /// `n` more rows are done.
    fn advance(&self, _n: u64) {}
}

/// A [`Progress`] that shows nothing.
#[derive(Debug)]
pub struct Quiet;

impl Progress for Quiet {}

/// What an export wrote or an import read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Transferred {
    pub tables: u64,
    pub rows: u64,
}

/// How the schema compares with [`EXPORTED`] and [`SKIPPED`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Coverage {
    /// Tables in the schema that are neither exported nor skipped: an export would lose them.
    pub unlisted: Vec<String>,
    /// Exported tables the schema does not have.
    pub missing: Vec<String>,
    /// `table.column → target` references to a table that comes later in [`EXPORTED`] (or
    /// to one not exported), which an import could not write in order.
    pub out_of_order: Vec<String>,
}

impl Coverage {
    /// Nothing is lost and the order is safe.
    pub fn is_complete(&self) -> bool {
        self.unlisted.is_empty() && self.missing.is_empty() && self.out_of_order.is_empty()
    }

    fn problem(&self) -> Option<String> {
        if self.is_complete() {
            return None;
        }
        let mut parts = Vec::new();
        if !self.unlisted.is_empty() {
            parts.push(format!(
                "tables neither exported nor skipped: {}",
                self.unlisted.join(", ")
            ));
        }
        if !self.missing.is_empty() {
            parts.push(format!(
                "exported tables missing: {}",
                self.missing.join(", ")
            ));
        }
        if !self.out_of_order.is_empty() {
            parts.push(format!(
                "references to a later table: {}",
                self.out_of_order.join(", ")
            ));
        }
        Some(parts.join("; "))
    }
}

impl Store {
    /// How this database's schema compares with what an export holds. Export refuses to run
    /// unless it [is complete](Coverage::is_complete), so no table is ever silently left out.
    pub async fn export_coverage(&self) -> Result<Coverage, TransferError> {
        coverage(&self.db).await
    }

    /// Writes the whole organisation to `out` (see the module docs), from one consistent
    /// snapshot, row by row.
    pub async fn export(
        &self,
        out: &mut (dyn io::Write + Send),
        progress: &dyn Progress,
    ) -> Result<Transferred, TransferError> {
        export::export(self, out, progress).await
    }

    /// Reads an export into this database, which must be empty (a new, migrated database):
    /// in one transaction, so a failure leaves it as it was. `input` is read twice where a
    /// table refers to itself, hence `Seek`.
    pub async fn import<R>(
        &self,
        input: R,
        progress: &dyn Progress,
    ) -> Result<Transferred, TransferError>
    where
        R: io::BufRead + io::Seek + Send,
    {
        let done = import::import(self, input, progress).await?;
        after_import(self).await?;
        Ok(done)
    }
}

/// What an import leaves to be derived again once its rows are in.
async fn after_import(store: &Store) -> Result<(), TransferError> {
    store.rebuild_reports().await?;
    crate::health::mark_all(&store.db).await?;
    Ok(())
}

async fn coverage<C: sea_orm::ConnectionTrait>(c: &C) -> Result<Coverage, TransferError> {
    let names = schema::table_names(c).await?;
    let fts = schema::sqlite_fts_tables(c).await?;
    let skipped = |name: &str| SKIPPED.iter().any(|(s, _)| *s == name);
    let mut coverage = Coverage {
        unlisted: names
            .iter()
            .filter(|n| !EXPORTED.contains(&n.as_str()) && !skipped(n) && !fts.contains(n))
            .cloned()
            .collect(),
        missing: EXPORTED
            .iter()
            .filter(|e| !names.iter().any(|n| n == *e))
            .map(|e| (*e).to_owned())
            .collect(),
        out_of_order: Vec::new(),
    };
    for (position, name) in EXPORTED.iter().enumerate() {
        let Some(table) = schema::describe(c, name).await? else {
            continue;
        };
        for (column, target) in &table.references {
            let earlier = EXPORTED[..position].contains(&target.as_str());
            let nullable = table
                .columns
                .iter()
                .any(|c| &c.name == column && c.nullable);
            let fine = earlier || (target == name && nullable);
            if !fine {
                coverage
                    .out_of_order
                    .push(format!("{name}.{column} → {target}"));
            }
        }
    }
    Ok(coverage)
}
