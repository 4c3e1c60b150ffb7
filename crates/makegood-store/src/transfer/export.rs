//! Writing an export: one consistent snapshot, streamed table by table, row by row.

use std::io::Write;

use futures_util::TryStreamExt;
use sea_orm::{
    AccessMode, ConnectionTrait, DatabaseTransaction, DbBackend, IsolationLevel, Statement,
    StreamTrait, TransactionTrait,
};
use serde::Serialize;

use super::schema::{self, Table, quote};
use super::value::Kind;
use super::{
    EXPORTED, End, FORMAT, Header, Progress, TableLine, TransferError, Transferred, VERSION,
    coverage,
};
use crate::Store;

pub(super) async fn export(
    store: &Store,
    out: &mut (dyn Write + Send),
    progress: &dyn Progress,
) -> Result<Transferred, TransferError> {
    let txn = snapshot(store).await?;
    if let Some(problem) = coverage(&txn).await?.problem() {
        return Err(TransferError::Schema(format!(
            "this makegood cannot export the database losslessly: {problem}"
        )));
    }
    let schema_version = schema::schema_version(&txn).await?;
    let mut tables = Vec::with_capacity(EXPORTED.len());
    for name in EXPORTED {
        let table = schema::describe(&txn, name)
            .await?
            .ok_or_else(|| TransferError::Schema(format!("no table {name}")))?;
        let rows = schema::count(&txn, &table.name).await?;
        tables.push((table, rows));
    }
    let total: u64 = tables.iter().map(|(_, rows)| rows).sum();
    progress.start(total);
    let count = tables.len() as u64;
    line(
        out,
        &Header {
            format: FORMAT.into(),
            version: VERSION,
            schema: schema_version,
            tables: count,
            rows: total,
        },
    )?;
    for (table, rows) in &tables {
        progress.table(&table.name);
        let columns = table
            .columns
            .iter()
            .map(|c| (c.name.clone(), c.kind.portable().to_owned()))
            .collect();
        line(
            out,
            &TableLine {
                table: table.name.clone(),
                rows: *rows,
                columns,
            },
        )?;
        let written = rows_of(&txn, table, out, progress).await?;
        if written != *rows {
            return Err(TransferError::Database(format!(
                "{} changed while it was exported ({rows} rows counted, {written} read)",
                table.name
            )));
        }
    }
    line(
        out,
        &End {
            end: FORMAT.into(),
            tables: count,
            rows: total,
        },
    )?;
    out.flush()?;
    txn.commit().await?;
    Ok(Transferred {
        tables: count,
        rows: total,
    })
}

/// A read-only transaction that sees one moment of the database throughout.
async fn snapshot(store: &Store) -> Result<DatabaseTransaction, TransferError> {
    Ok(match store.db.get_database_backend() {
        // PostgreSQL arm: REPEATABLE READ, so every table is read as of the first query.
        DbBackend::Postgres => {
            store
                .db
                .begin_with_config(
                    Some(IsolationLevel::RepeatableRead),
                    Some(AccessMode::ReadOnly),
                )
                .await?
        }
        // SQLite arm: a read transaction in WAL mode is a snapshot from its first read on.
        _ => store.db.begin().await?,
    })
}

/// Streams `table`'s rows in key order to `out`, one JSON array a line; returns how many.
async fn rows_of(
    txn: &DatabaseTransaction,
    table: &Table,
    out: &mut (dyn Write + Send),
    progress: &dyn Progress,
) -> Result<u64, TransferError> {
    let backend = ConnectionTrait::get_database_backend(txn);
    let sql = select(backend, table);
    let kinds: Vec<Kind> = table.columns.iter().map(|c| c.kind).collect();
    let stream = txn.stream_raw(Statement::from_string(backend, sql)).await?;
    let mut stream = std::pin::pin!(stream);
    let mut n = 0;
    let mut values = Vec::with_capacity(kinds.len());
    while let Some(row) = stream.try_next().await? {
        values.clear();
        for (i, kind) in kinds.iter().enumerate() {
            values.push(kind.read(&row, i)?);
        }
        serde_json::to_writer(&mut *out, &values).map_err(std::io::Error::from)?;
        out.write_all(b"\n")?;
        n += 1;
        progress.advance(1);
    }
    Ok(n)
}

/// `SELECT every column FROM table ORDER BY its key`, text keys in byte order on both backends.
pub(super) fn select(backend: DbBackend, table: &Table) -> String {
    let columns: Vec<String> = table.columns.iter().map(|c| quote(&c.name)).collect();
    let key: Vec<&str> = if table.key.is_empty() {
        table.columns.iter().map(|c| c.name.as_str()).collect()
    } else {
        table.key.iter().map(String::as_str).collect()
    };
    let order: Vec<String> = key
        .iter()
        .map(|name| {
            let text = table
                .columns
                .iter()
                .any(|c| c.name == *name && c.kind == Kind::Text);
            match backend {
                // PostgreSQL arm: its default collation sorts by language rules; SQLite's is bytes.
                DbBackend::Postgres if text => format!("{} COLLATE \"C\"", quote(name)),
                _ => quote(name),
            }
        })
        .collect();
    format!(
        "SELECT {} FROM {} ORDER BY {}",
        columns.join(", "),
        quote(&table.name),
        order.join(", ")
    )
}

fn line(out: &mut (dyn Write + Send), value: &impl Serialize) -> Result<(), TransferError> {
    serde_json::to_writer(&mut *out, value).map_err(std::io::Error::from)?;
    out.write_all(b"\n")?;
    Ok(())
}
