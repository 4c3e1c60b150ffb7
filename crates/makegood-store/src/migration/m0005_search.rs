//! Migration 5: text search over problem titles, updates and notes (FTS5 / `tsvector`).
//!
//! `problem_text` holds one row per searchable text: a problem's title (`event_id` null)
//! and each update or note body. The store writes it in the same transaction as the title,
//! update or note; the index over it is per backend (see [`crate::problems::search`]).

use sea_orm::DbBackend;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::index;
use super::m0002_problems_and_promises::Problems;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ProblemText {
    Table,
    Id,
    ProblemId,
    EventId,
    Body,
}

/// SQLite: an external-content FTS5 table over `problem_text`, kept in step by triggers
/// (so every insert, update and delete of a text row updates the index in its transaction).
const SQLITE_UP: &[&str] = &[
    "CREATE VIRTUAL TABLE problem_text_fts USING fts5(body, problem_id UNINDEXED, \
     content='problem_text', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER problem_text_ai AFTER INSERT ON problem_text BEGIN \
     INSERT INTO problem_text_fts(rowid, body, problem_id) VALUES (new.id, new.body, new.problem_id); END",
    "CREATE TRIGGER problem_text_ad AFTER DELETE ON problem_text BEGIN \
     INSERT INTO problem_text_fts(problem_text_fts, rowid, body, problem_id) \
     VALUES ('delete', old.id, old.body, old.problem_id); END",
    "CREATE TRIGGER problem_text_au AFTER UPDATE ON problem_text BEGIN \
     INSERT INTO problem_text_fts(problem_text_fts, rowid, body, problem_id) \
     VALUES ('delete', old.id, old.body, old.problem_id); \
     INSERT INTO problem_text_fts(rowid, body, problem_id) VALUES (new.id, new.body, new.problem_id); END",
    "INSERT INTO problem_text (problem_id, event_id, body) SELECT id, NULL, title FROM problems",
    "INSERT INTO problem_text (problem_id, event_id, body) \
     SELECT problem_id, id, json_extract(data, '$.body') FROM events \
     WHERE problem_id IS NOT NULL AND kind IN ('update', 'note') \
     AND json_extract(data, '$.body') IS NOT NULL",
];

const SQLITE_DOWN: &[&str] = &[
    "DROP TRIGGER IF EXISTS problem_text_au",
    "DROP TRIGGER IF EXISTS problem_text_ad",
    "DROP TRIGGER IF EXISTS problem_text_ai",
    "DROP TABLE IF EXISTS problem_text_fts",
];

/// PostgreSQL: a GIN index over the `simple` text-search vector of each body (no stemming,
/// so a search finds the words as typed, in any language).
const POSTGRES_UP: &[&str] = &[
    "CREATE INDEX problem_text_search ON problem_text USING GIN (to_tsvector('simple', body))",
    "INSERT INTO problem_text (problem_id, event_id, body) SELECT id, NULL, title FROM problems",
    "INSERT INTO problem_text (problem_id, event_id, body) \
     SELECT problem_id, id, data::jsonb->>'body' FROM events \
     WHERE problem_id IS NOT NULL AND kind IN ('update', 'note') \
     AND data::jsonb->>'body' IS NOT NULL",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ProblemText::Table)
                .col(big_pk_auto(ProblemText::Id))
                .col(big_integer(ProblemText::ProblemId))
                .col(big_integer_null(ProblemText::EventId))
                .col(text(ProblemText::Body))
                .foreign_key(&mut super::fk(
                    ProblemText::Table,
                    ProblemText::ProblemId,
                    Problems::Table,
                    Problems::Id,
                ))
                .take(),
        )
        .await?;
        m.create_index(index(
            "problem_text_problem",
            ProblemText::Table,
            [ProblemText::ProblemId, ProblemText::EventId],
        ))
        .await?;
        let db = m.get_connection();
        let statements = match m.get_database_backend() {
            // SQLite arm: FTS5.
            DbBackend::Sqlite => SQLITE_UP,
            // PostgreSQL arm: tsvector + GIN.
            DbBackend::Postgres => POSTGRES_UP,
            other => return Err(DbErr::Custom(format!("unsupported backend {other:?}"))),
        };
        for sql in statements {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if m.get_database_backend() == DbBackend::Sqlite {
            for sql in SQLITE_DOWN {
                m.get_connection().execute_unprepared(sql).await?;
            }
        }
        m.drop_table(Table::drop().table(ProblemText::Table).take())
            .await
    }
}
