//! Migration 9: playbooks per problem category — checklist items, message templates — and
//! each problem's checklist ticks.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::m0001_people_and_parties::Members;
use super::m0002_problems_and_promises::Problems;
use super::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Playbooks {
    Table,
    Id,
    Category,
    /// The category trimmed and lower-cased: unique, and what a problem's category is matched by.
    CategoryKey,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PlaybookItems {
    Table,
    PlaybookId,
    Position,
    Text,
}

#[derive(DeriveIden)]
enum PlaybookTemplates {
    Table,
    PlaybookId,
    Kind,
    Body,
}

#[derive(DeriveIden)]
enum ChecklistTicks {
    Table,
    ProblemId,
    /// Progress is keyed by the item's text: moving it keeps the tick, rewording starts afresh.
    Item,
    /// Where the item stood when ticked (for the record; the current order is the playbook's).
    Position,
    DoneBy,
    DoneAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Playbooks::Table)
                .col(big_pk_auto(Playbooks::Id))
                .col(string(Playbooks::Category))
                .col(string_uniq(Playbooks::CategoryKey))
                .col(timestamp_with_time_zone(Playbooks::CreatedAt))
                .col(timestamp_with_time_zone(Playbooks::UpdatedAt))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(PlaybookItems::Table)
                .col(big_integer(PlaybookItems::PlaybookId))
                .col(integer(PlaybookItems::Position))
                .col(text(PlaybookItems::Text))
                .primary_key(
                    Index::create()
                        .col(PlaybookItems::PlaybookId)
                        .col(PlaybookItems::Position),
                )
                .foreign_key(&mut fk(
                    PlaybookItems::Table,
                    PlaybookItems::PlaybookId,
                    Playbooks::Table,
                    Playbooks::Id,
                ))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(PlaybookTemplates::Table)
                .col(big_integer(PlaybookTemplates::PlaybookId))
                .col(string(PlaybookTemplates::Kind))
                .col(text(PlaybookTemplates::Body))
                .primary_key(
                    Index::create()
                        .col(PlaybookTemplates::PlaybookId)
                        .col(PlaybookTemplates::Kind),
                )
                .foreign_key(&mut fk(
                    PlaybookTemplates::Table,
                    PlaybookTemplates::PlaybookId,
                    Playbooks::Table,
                    Playbooks::Id,
                ))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ChecklistTicks::Table)
                .col(big_integer(ChecklistTicks::ProblemId))
                .col(string(ChecklistTicks::Item))
                .col(integer(ChecklistTicks::Position))
                .col(big_integer(ChecklistTicks::DoneBy))
                .col(timestamp_with_time_zone(ChecklistTicks::DoneAt))
                .primary_key(
                    Index::create()
                        .col(ChecklistTicks::ProblemId)
                        .col(ChecklistTicks::Item),
                )
                .foreign_key(&mut fk(
                    ChecklistTicks::Table,
                    ChecklistTicks::ProblemId,
                    Problems::Table,
                    Problems::Id,
                ))
                .foreign_key(&mut fk(
                    ChecklistTicks::Table,
                    ChecklistTicks::DoneBy,
                    Members::Table,
                    Members::Id,
                ))
                .take(),
        )
        .await?;
        m.create_index(index(
            "idx_checklist_ticks_member",
            ChecklistTicks::Table,
            [ChecklistTicks::DoneBy],
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ChecklistTicks::Table.into_iden(),
            PlaybookTemplates::Table.into_iden(),
            PlaybookItems::Table.into_iden(),
            Playbooks::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).take()).await?;
        }
        Ok(())
    }
}
