//! Reading an export into an empty database, in one transaction.

use std::io::{BufRead, Seek, SeekFrom};

use sea_orm::{ConnectionTrait, DatabaseTransaction, DbBackend, Statement, Value};
use serde::de::DeserializeOwned;

use super::schema::{self, Table, quote};
use super::value::Kind;
use super::{
    EXPORTED, End, FORMAT, Header, Progress, SEEDED, TableLine, TransferError, Transferred,
    VERSION, coverage,
};
use crate::Store;

/// Opens every statement an import binds values to. sqlx caches prepared statements by their
/// text alone: without it, `INSERT INTO "policies" ("id", "data") VALUES ($1, $2)` would reuse
/// the statement the migrations prepared on the same connection with a 32-bit id, and
/// PostgreSQL would refuse the import's 64-bit one.
const TAG: &str = "/* makegood import */ ";
/// Bound values per `INSERT` (well under SQLite's 32,766 and PostgreSQL's 65,535).
const BATCH_VALUES: usize = 8_000;
/// Bytes of export per `INSERT`: a batch of large rows (raw emails) stays small in memory.
const BATCH_BYTES: usize = 4 << 20;

pub(super) async fn import<R>(
    store: &Store,
    input: R,
    progress: &dyn Progress,
) -> Result<Transferred, TransferError>
where
    R: BufRead + Seek + Send,
{
    let mut input = Lines::new(input);
    let header: Header = input.object("the header")?;
    if header.format != FORMAT {
        return Err(input.error(format!(
            "not a makegood export (format {:?})",
            header.format
        )));
    }
    if header.version != VERSION {
        return Err(input.error(format!(
            "an export of layout version {}; this makegood reads version {VERSION}",
            header.version
        )));
    }

    let txn = store.write().await?;
    let schema_version = schema::schema_version(&txn).await?;
    if header.schema != schema_version {
        return Err(TransferError::Schema(format!(
            "the export is of schema {}, this database of schema {schema_version}: import with \
             the makegood version that exported it, then upgrade",
            header.schema
        )));
    }
    if let Some(problem) = coverage(&txn).await?.problem() {
        return Err(TransferError::Schema(format!(
            "this makegood cannot import losslessly: {problem}"
        )));
    }
    ensure_empty(&txn).await?;

    progress.start(header.rows);
    let mut rows = 0;
    for name in EXPORTED {
        let line: TableLine = input.object("a table line")?;
        if line.table != *name {
            return Err(input.error(format!("expected the table {name}, found {:?}", line.table)));
        }
        progress.table(name);
        let table = schema::describe(&txn, name)
            .await?
            .ok_or_else(|| TransferError::Schema(format!("no table {name}")))?;
        let columns = match_columns(&table, &line).map_err(|m| input.error(m))?;
        rows += write_table(&txn, &mut input, &table, &columns, line.rows, progress).await?;
    }
    let end: End = input.object("the end line")?;
    if end.end != FORMAT || end.rows != rows || end.tables != EXPORTED.len() as u64 {
        return Err(input.error("the end line does not match what was read".into()));
    }
    if !input.at_end()? {
        return Err(input.error("more after the end line".into()));
    }
    if txn.get_database_backend() == DbBackend::Postgres {
        reset_sequences(&txn).await?;
    }
    txn.commit().await?;
    Ok(Transferred {
        tables: EXPORTED.len() as u64,
        rows,
    })
}

/// Refuses a database with data in it; clears the rows a fresh one is seeded with.
async fn ensure_empty(txn: &DatabaseTransaction) -> Result<(), TransferError> {
    for name in EXPORTED.iter().filter(|n| !SEEDED.contains(n)) {
        let rows = schema::count(txn, name).await?;
        if rows > 0 {
            return Err(TransferError::NotEmpty {
                table: (*name).to_owned(),
                rows,
            });
        }
    }
    for name in SEEDED {
        let sql = format!("DELETE FROM {}", quote(name));
        txn.execute_raw(Statement::from_string(txn.get_database_backend(), sql))
            .await?;
    }
    Ok(())
}

/// The export's columns in its order, each with its kind in this database; the two must have
/// the same columns of the same kinds.
fn match_columns(table: &Table, line: &TableLine) -> Result<Vec<(String, Kind)>, String> {
    let mut kinds = Vec::with_capacity(line.columns.len());
    for (name, kind) in &line.columns {
        let column = table
            .columns
            .iter()
            .find(|c| &c.name == name)
            .ok_or_else(|| format!("{}.{name} is not in this database", table.name))?;
        if column.kind.portable() != kind {
            return Err(format!(
                "{}.{name} is {kind} in the export but {} here",
                table.name,
                column.kind.portable()
            ));
        }
        kinds.push((name.clone(), column.kind));
    }
    if let Some(extra) = table
        .columns
        .iter()
        .find(|c| !line.columns.iter().any(|(name, _)| *name == c.name))
    {
        return Err(format!(
            "{}.{} is not in the export",
            table.name, extra.name
        ));
    }
    Ok(kinds)
}

/// Inserts the `rows` rows that follow, in batches; then, if the table refers to itself,
/// reads them again to fill in those references. Returns how many rows.
async fn write_table<R: BufRead + Seek>(
    txn: &DatabaseTransaction,
    input: &mut Lines<R>,
    table: &Table,
    columns: &[(String, Kind)],
    rows: u64,
    progress: &dyn Progress,
) -> Result<u64, TransferError> {
    let (line_columns, kinds): (Vec<String>, Vec<Kind>) = columns.iter().cloned().unzip();
    let kinds = kinds.as_slice();
    let deferred: Vec<usize> = table
        .self_references()
        .iter()
        .filter_map(|name| line_columns.iter().position(|c| c == name))
        .collect();
    let start = input.position()?;

    let mut batch = Batch::new(txn.get_database_backend(), &table.name, &line_columns);
    for _ in 0..rows {
        let (values, bytes) = input.row(kinds)?;
        let values = values
            .into_iter()
            .enumerate()
            .map(|(i, v)| {
                if deferred.contains(&i) {
                    kinds[i].null()
                } else {
                    v
                }
            })
            .collect();
        batch.push(values, bytes);
        if batch.is_full() {
            batch.flush(txn).await?;
        }
        progress.advance(1);
    }
    batch.flush(txn).await?;

    if !deferred.is_empty() {
        let end = input.position()?;
        input.seek(start)?;
        fill_in(txn, input, table, kinds, &line_columns, &deferred, rows).await?;
        input.seek(end)?;
    }
    Ok(rows)
}

/// Second pass over a self-referring table's rows: sets each deferred reference.
async fn fill_in<R: BufRead + Seek>(
    txn: &DatabaseTransaction,
    input: &mut Lines<R>,
    table: &Table,
    kinds: &[Kind],
    columns: &[String],
    deferred: &[usize],
    rows: u64,
) -> Result<(), TransferError> {
    let backend = txn.get_database_backend();
    let key: Vec<usize> = table
        .key
        .iter()
        .filter_map(|k| columns.iter().position(|c| c == k))
        .collect();
    if key.is_empty() || key.len() != table.key.len() {
        return Err(TransferError::Schema(format!(
            "{} refers to itself but has no primary key to fill the references in by",
            table.name
        )));
    }
    for _ in 0..rows {
        let (values, _) = input.row(kinds)?;
        if deferred.iter().all(|&i| is_null(&values[i])) {
            continue;
        }
        let mut n = 0;
        let mut placeholder = || {
            n += 1;
            placeholder(backend, n)
        };
        let sets: Vec<String> = deferred
            .iter()
            .map(|&i| format!("{} = {}", quote(&columns[i]), placeholder()))
            .collect();
        let wheres: Vec<String> = key
            .iter()
            .map(|&i| format!("{} = {}", quote(&columns[i]), placeholder()))
            .collect();
        let sql = format!(
            "{TAG}UPDATE {} SET {} WHERE {}",
            quote(&table.name),
            sets.join(", "),
            wheres.join(" AND ")
        );
        let bound: Vec<Value> = deferred
            .iter()
            .chain(key.iter())
            .map(|&i| values[i].clone())
            .collect();
        txn.execute_raw(Statement::from_sql_and_values(backend, sql, bound))
            .await?;
    }
    Ok(())
}

/// PostgreSQL: each serial key's sequence continues after the largest id imported.
async fn reset_sequences(txn: &DatabaseTransaction) -> Result<(), TransferError> {
    let backend = txn.get_database_backend();
    for name in EXPORTED {
        let Some(table) = schema::describe(txn, name).await? else {
            continue;
        };
        for column in &table.key {
            let sequence = txn
                .query_one_raw(Statement::from_sql_and_values(
                    backend,
                    "/* makegood import */ SELECT pg_get_serial_sequence($1, $2)",
                    [quote(name).into(), column.clone().into()],
                ))
                .await?
                .and_then(|row| row.try_get_by_index::<Option<String>>(0).ok().flatten());
            let Some(sequence) = sequence else {
                continue;
            };
            let sql = format!(
                "{TAG}SELECT setval($1, COALESCE((SELECT MAX({}) FROM {}), 0) + 1, false)",
                quote(column),
                quote(name)
            );
            txn.query_one_raw(Statement::from_sql_and_values(
                backend,
                sql,
                [sequence.into()],
            ))
            .await?;
        }
    }
    Ok(())
}

fn is_null(v: &Value) -> bool {
    !v.is_some()
}

fn placeholder(backend: DbBackend, n: usize) -> String {
    match backend {
        DbBackend::Postgres => format!("${n}"),
        _ => "?".to_owned(),
    }
}

/// Rows waiting for one multi-row `INSERT`.
struct Batch<'a> {
    backend: DbBackend,
    table: &'a str,
    columns: &'a [String],
    values: Vec<Value>,
    rows: usize,
    bytes: usize,
}

impl<'a> Batch<'a> {
    fn new(backend: DbBackend, table: &'a str, columns: &'a [String]) -> Self {
        Batch {
            backend,
            table,
            columns,
            values: Vec::new(),
            rows: 0,
            bytes: 0,
        }
    }

    fn push(&mut self, row: Vec<Value>, bytes: usize) {
        self.values.extend(row);
        self.rows += 1;
        self.bytes += bytes;
    }

    fn is_full(&self) -> bool {
        self.values.len() + self.columns.len() > BATCH_VALUES || self.bytes >= BATCH_BYTES
    }

    async fn flush(&mut self, txn: &DatabaseTransaction) -> Result<(), TransferError> {
        if self.rows == 0 {
            return Ok(());
        }
        let width = self.columns.len();
        let mut n = 0;
        let tuples: Vec<String> = (0..self.rows)
            .map(|_| {
                let marks: Vec<String> = (0..width)
                    .map(|_| {
                        n += 1;
                        placeholder(self.backend, n)
                    })
                    .collect();
                format!("({})", marks.join(", "))
            })
            .collect();
        let columns: Vec<String> = self.columns.iter().map(|c| quote(c)).collect();
        let sql = format!(
            "{TAG}INSERT INTO {} ({}) VALUES {}",
            quote(self.table),
            columns.join(", "),
            tuples.join(", ")
        );
        let values = std::mem::take(&mut self.values);
        txn.execute_raw(Statement::from_sql_and_values(self.backend, sql, values))
            .await?;
        self.rows = 0;
        self.bytes = 0;
        Ok(())
    }
}

/// The export read line by line, counting lines for messages.
struct Lines<R> {
    input: R,
    line: u64,
    buffer: String,
}

impl<R: BufRead + Seek> Lines<R> {
    fn new(input: R) -> Self {
        Lines {
            input,
            line: 0,
            buffer: String::new(),
        }
    }

    fn error(&self, message: String) -> TransferError {
        TransferError::Format {
            line: self.line,
            message,
        }
    }

    /// The next line, without its newline; an error at the end of the file.
    fn next(&mut self, what: &str) -> Result<&str, TransferError> {
        self.buffer.clear();
        self.line += 1;
        let n = self.input.read_line(&mut self.buffer)?;
        if n == 0 || !self.buffer.ends_with('\n') {
            return Err(self.error(format!(
                "the export ends where {what} should be: it was cut short"
            )));
        }
        Ok(self.buffer.trim_end_matches('\n'))
    }

    fn object<T: DeserializeOwned>(&mut self, what: &str) -> Result<T, TransferError> {
        let text = self.next(what)?;
        serde_json::from_str(text).map_err(|e| self.error(format!("expected {what}: {e}")))
    }

    /// The next row, its values bound to `kinds`, and its length in bytes.
    fn row(&mut self, kinds: &[Kind]) -> Result<(Vec<Value>, usize), TransferError> {
        let text = self.next("a row")?;
        let bytes = text.len();
        let values: Vec<serde_json::Value> =
            serde_json::from_str(text).map_err(|e| self.error(format!("expected a row: {e}")))?;
        if values.len() != kinds.len() {
            return Err(self.error(format!(
                "a row of {} values where the table has {} columns",
                values.len(),
                kinds.len()
            )));
        }
        let bound = values
            .iter()
            .zip(kinds)
            .enumerate()
            .map(|(i, (v, kind))| {
                kind.bind(v)
                    .map_err(|m| self.error(format!("value {}: {m}", i + 1)))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok((bound, bytes))
    }

    fn position(&mut self) -> Result<(u64, u64), TransferError> {
        Ok((self.input.stream_position()?, self.line))
    }

    fn seek(&mut self, (offset, line): (u64, u64)) -> Result<(), TransferError> {
        self.input.seek(SeekFrom::Start(offset))?;
        self.line = line;
        Ok(())
    }

    fn at_end(&mut self) -> Result<bool, TransferError> {
        Ok(self.input.fill_buf()?.is_empty())
    }
}
