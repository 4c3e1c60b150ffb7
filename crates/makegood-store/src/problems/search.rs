//! Text search over a problem's title, updates and notes.
//!
//! Each searchable text is a row of `problem_text` (the title with no event, each update or
//! note with its event), written in the same transaction as the text itself. The index and
//! the query are per backend: SQLite's FTS5 table `problem_text_fts` (kept by triggers) and
//! PostgreSQL's GIN index over `to_tsvector('simple', body)`.
//!
//! A search is words: a problem matches when each word starts a word of its title or of one
//! of its updates or notes (case-insensitive; the words may be in different texts).

use makegood_domain::EventKind;
use sea_orm::sea_query::Expr;
use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};

use crate::error::DbResult;
use crate::{Result, StoreError};

/// The most words a search uses; more are ignored.
const MAX_WORDS: usize = 8;

/// The words of a search: letters and digits, lower-cased; anything else separates words.
pub(crate) fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .take(MAX_WORDS)
        .collect()
}

/// The condition "problems.id matches every word of `text`", or `None` for no words.
pub(crate) fn condition(backend: DbBackend, text: &str) -> Result<Option<sea_orm::Condition>> {
    let words = words(text);
    if words.is_empty() {
        return Ok(None);
    }
    let mut all = sea_orm::Condition::all();
    for word in words {
        // `word` holds only letters and digits, and is bound as a value besides.
        let expr = match backend {
            // SQLite arm: an FTS5 prefix query on one quoted word.
            DbBackend::Sqlite => Expr::cust_with_values(
                "problems.id IN (SELECT problem_id FROM problem_text_fts WHERE problem_text_fts MATCH ?)",
                [format!("\"{word}\"*")],
            ),
            // PostgreSQL arm: a prefix tsquery against the GIN-indexed tsvector.
            DbBackend::Postgres => Expr::cust_with_values(
                "problems.id IN (SELECT problem_id FROM problem_text \
                 WHERE to_tsvector('simple', body) @@ to_tsquery('simple', $1))",
                [format!("{word}:*")],
            ),
            other => {
                return Err(StoreError::Database(format!(
                    "text search is not supported on {other:?}"
                )));
            }
        };
        all = all.add(expr);
    }
    Ok(Some(all))
}

/// Runs `sql` with `$n` placeholders, rewritten to `?` for SQLite.
async fn run<C: ConnectionTrait>(c: &C, sql: &str, values: Vec<Value>) -> Result<()> {
    let backend = c.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => sql.to_owned(),
        _ => (1..=values.len())
            .rev()
            .fold(sql.to_owned(), |s, n| s.replace(&format!("${n}"), "?")),
    };
    c.execute_raw(Statement::from_sql_and_values(backend, sql, values))
        .await
        .db()?;
    Ok(())
}

/// Makes `title` the searchable title of problem `problem`.
pub(crate) async fn set_title<C: ConnectionTrait>(c: &C, problem: i64, title: &str) -> Result<()> {
    run(
        c,
        "DELETE FROM problem_text WHERE problem_id = $1 AND event_id IS NULL",
        vec![problem.into()],
    )
    .await?;
    run(
        c,
        "INSERT INTO problem_text (problem_id, event_id, body) VALUES ($1, NULL, $2)",
        vec![problem.into(), title.into()],
    )
    .await
}

/// Makes the body of event `event` searchable if it is an update or a note.
pub(crate) async fn add_event<C: ConnectionTrait>(
    c: &C,
    problem: i64,
    event: i64,
    kind: &EventKind,
) -> Result<()> {
    let (EventKind::Update { body } | EventKind::Note { body }) = kind else {
        return Ok(());
    };
    run(
        c,
        "INSERT INTO problem_text (problem_id, event_id, body) VALUES ($1, $2, $3)",
        vec![problem.into(), event.into(), body.as_str().into()],
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::words;

    #[test]
    fn a_search_is_lower_cased_words_of_letters_and_digits() {
        assert_eq!(
            words("  Invoice \"MG-12\" ÄRGER*"),
            ["invoice", "mg", "12", "ärger"]
        );
        assert!(words(" \"*:() ").is_empty());
    }
}
