//! Raw SQL for the aggregate tables, with each backend's placeholders.

use sea_orm::{ConnectionTrait, DbBackend, QueryResult, Statement, Value};

use crate::Result;
use crate::error::DbResult;

/// A statement being written: SQL text and the values bound so far.
pub(crate) struct Sql {
    backend: DbBackend,
    pub text: String,
    values: Vec<Value>,
}

impl Sql {
    pub fn new<C: ConnectionTrait>(c: &C) -> Sql {
        Sql {
            backend: c.get_database_backend(),
            text: String::new(),
            values: Vec::new(),
        }
    }

    /// Binds `v`, returning its placeholder (`$n` on PostgreSQL, `?` on SQLite).
    pub fn bind(&mut self, v: impl Into<Value>) -> String {
        self.values.push(v.into());
        match self.backend {
            DbBackend::Postgres => format!("${}", self.values.len()),
            _ => "?".to_owned(),
        }
    }

    pub fn push(&mut self, s: &str) -> &mut Sql {
        self.text.push_str(s);
        self
    }

    fn statement(&mut self) -> Statement {
        Statement::from_sql_and_values(
            self.backend,
            std::mem::take(&mut self.text),
            std::mem::take(&mut self.values),
        )
    }

    /// Runs it, returning the rows affected.
    pub async fn execute<C: ConnectionTrait>(&mut self, c: &C) -> Result<u64> {
        Ok(c.execute_raw(self.statement()).await.db()?.rows_affected())
    }

    /// Runs it, returning the rows.
    pub async fn all<C: ConnectionTrait>(&mut self, c: &C) -> Result<Vec<QueryResult>> {
        c.query_all_raw(self.statement()).await.db()
    }
}

/// Column `i` of `row` as an integer (every aggregate column is cast to BIGINT).
pub(crate) fn int(row: &QueryResult, i: usize) -> Result<i64> {
    row.try_get_by_index::<i64>(i)
        .map_err(|e| crate::StoreError::Database(format!("unexpected aggregate column {i}: {e:?}")))
}
