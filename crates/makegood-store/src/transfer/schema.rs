//! What the database itself says about its tables: columns, primary keys, foreign keys.
//!
//! Read from the catalogue at run time (SQLite's `pragma_*` functions, PostgreSQL's
//! `information_schema`), so a column another migration adds is exported without anyone
//! listing it here.

use sea_orm::{ConnectionTrait, DbBackend, Statement};

use super::TransferError;
use super::value::Kind;

/// One column of a table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Column {
    pub name: String,
    pub kind: Kind,
    pub nullable: bool,
}

/// One table as the database describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Table {
    pub name: String,
    /// In the table's own order (SQLite's `cid`, PostgreSQL's `ordinal_position`).
    pub columns: Vec<Column>,
    /// The primary key's columns, in key order (empty if it has none).
    pub key: Vec<String>,
    /// `(column, referenced table)` for every foreign key.
    pub references: Vec<(String, String)>,
}

impl Table {
    /// The columns that refer to this same table (a promise renegotiated to another, an
    /// account's parent): inserted empty and filled in once every row is there.
    pub fn self_references(&self) -> Vec<&str> {
        self.references
            .iter()
            .filter(|(_, target)| *target == self.name)
            .map(|(column, _)| column.as_str())
            .collect()
    }
}

/// The names of every ordinary table, sorted; SQLite's own `sqlite_*` tables left out.
pub(crate) async fn table_names<C: ConnectionTrait>(c: &C) -> Result<Vec<String>, TransferError> {
    let sql = match c.get_database_backend() {
        // SQLite arm: virtual tables (FTS5) are listed too, and told apart by the caller.
        DbBackend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
        }
        // PostgreSQL arm: the tables of the schema makegood migrated.
        DbBackend::Postgres => {
            "SELECT table_name::text AS name FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1"
        }
        other => return Err(unsupported(other)),
    };
    strings(c, sql, vec![]).await
}

/// SQLite's full-text index tables: each virtual table and the shadow tables it keeps
/// (`<name>_data`, `<name>_idx`, …). Derived from their content table by triggers.
pub(crate) async fn sqlite_fts_tables<C: ConnectionTrait>(
    c: &C,
) -> Result<Vec<String>, TransferError> {
    if c.get_database_backend() != DbBackend::Sqlite {
        return Ok(Vec::new());
    }
    let virtual_tables = strings(
        c,
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'",
        vec![],
    )
    .await?;
    let names = table_names(c).await?;
    Ok(names
        .into_iter()
        .filter(|name| {
            virtual_tables.iter().any(|v| {
                name == v
                    || name
                        .strip_prefix(v.as_str())
                        .is_some_and(|rest| rest.starts_with('_'))
            })
        })
        .collect())
}

/// Table `name` as the database describes it, `None` if there is no such table.
pub(crate) async fn describe<C: ConnectionTrait>(
    c: &C,
    name: &str,
) -> Result<Option<Table>, TransferError> {
    let backend = c.get_database_backend();
    let (columns_sql, key_sql, references_sql) = match backend {
        // SQLite arm: the pragma table-valued functions.
        DbBackend::Sqlite => (
            "SELECT name, type AS decl, \"notnull\" = 0 AS nullable FROM pragma_table_info(?) ORDER BY cid",
            "SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk",
            "SELECT \"from\" AS col, \"table\" AS target FROM pragma_foreign_key_list(?) ORDER BY id, seq",
        ),
        // PostgreSQL arm: information_schema, in the current schema.
        DbBackend::Postgres => (
            "SELECT column_name::text AS name, data_type::text AS decl, is_nullable = 'YES' AS nullable \
             FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 \
             ORDER BY ordinal_position",
            "SELECT k.column_name::text AS name FROM information_schema.table_constraints t \
             JOIN information_schema.key_column_usage k \
               ON k.constraint_name = t.constraint_name AND k.table_schema = t.table_schema \
             WHERE t.table_schema = current_schema() AND t.table_name = $1 \
               AND t.constraint_type = 'PRIMARY KEY' ORDER BY k.ordinal_position",
            "SELECT k.column_name::text AS col, u.table_name::text AS target \
             FROM information_schema.table_constraints t \
             JOIN information_schema.key_column_usage k \
               ON k.constraint_name = t.constraint_name AND k.table_schema = t.table_schema \
             JOIN information_schema.constraint_column_usage u \
               ON u.constraint_name = t.constraint_name AND u.table_schema = t.table_schema \
             WHERE t.table_schema = current_schema() AND t.table_name = $1 \
               AND t.constraint_type = 'FOREIGN KEY' ORDER BY t.constraint_name, k.ordinal_position",
        ),
        other => return Err(unsupported(other)),
    };
    let rows = c
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            columns_sql,
            [name.into()],
        ))
        .await?;
    if rows.is_empty() {
        return Ok(None);
    }
    let mut columns = Vec::with_capacity(rows.len());
    for row in rows {
        let column: String = row.try_get_by_index(0)?;
        let decl: String = row.try_get_by_index(1)?;
        let nullable: bool = row.try_get_by_index(2)?;
        let kind = Kind::from_declared(backend, &decl).ok_or_else(|| {
            TransferError::Schema(format!(
                "{name}.{column} has type {decl:?}, which export does not know how to keep exactly"
            ))
        })?;
        columns.push(Column {
            name: column,
            kind,
            nullable,
        });
    }
    let key = strings(c, key_sql, vec![name.into()]).await?;
    let mut references = Vec::new();
    for row in c
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            references_sql,
            [name.into()],
        ))
        .await?
    {
        references.push((row.try_get_by_index(0)?, row.try_get_by_index(1)?));
    }
    Ok(Some(Table {
        name: name.to_owned(),
        columns,
        key,
        references,
    }))
}

/// The newest migration applied: the schema version an export belongs to.
pub(crate) async fn schema_version<C: ConnectionTrait>(c: &C) -> Result<String, TransferError> {
    strings(
        c,
        "SELECT version FROM seaql_migrations ORDER BY version DESC LIMIT 1",
        vec![],
    )
    .await?
    .pop()
    .ok_or_else(|| TransferError::Schema("the database has not been migrated".into()))
}

/// How many rows table `name` has.
pub(crate) async fn count<C: ConnectionTrait>(c: &C, name: &str) -> Result<u64, TransferError> {
    let sql = format!("SELECT COUNT(*) FROM {}", quote(name));
    let row = c
        .query_one_raw(Statement::from_string(c.get_database_backend(), sql))
        .await?
        .ok_or_else(|| TransferError::Database(format!("cannot count {name}")))?;
    let n: i64 = row.try_get_by_index(0)?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// `"name"`: an identifier quoted for both backends.
pub(crate) fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

async fn strings<C: ConnectionTrait>(
    c: &C,
    sql: &str,
    values: Vec<sea_orm::Value>,
) -> Result<Vec<String>, TransferError> {
    let rows = c
        .query_all_raw(Statement::from_sql_and_values(
            c.get_database_backend(),
            sql,
            values,
        ))
        .await?;
    rows.iter()
        .map(|row| row.try_get_by_index::<String>(0).map_err(Into::into))
        .collect()
}

fn unsupported(backend: DbBackend) -> TransferError {
    TransferError::Schema(format!("{backend:?} is not supported"))
}
