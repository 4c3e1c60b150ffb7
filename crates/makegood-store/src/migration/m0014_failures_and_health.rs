//! Migration 14: the failure log, account owners and account health (materialised per
//! account, a daily history for the trend, reviews of red accounts, and the accounts whose
//! health a write has made stale).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::m0001_people_and_parties::{Accounts, Members};
use super::m0002_problems_and_promises::Problems;
use super::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Entries of the failure log.
#[derive(DeriveIden)]
enum Failures {
    Table,
    Id,
    Level,
    WhatHappened,
    Lesson,
    ProblemId,
    LoggedBy,
    LoggedAt,
    Version,
}

#[derive(DeriveIden)]
enum Owner {
    /// The member who looks after the account; `None` for nobody in particular.
    OwnerId,
}

/// Each account's health as last computed.
#[derive(DeriveIden)]
enum AccountHealth {
    Table,
    AccountId,
    Score,
    Band,
    /// JSON: the factors that lowered the score.
    Factors,
    ComputedAt,
    /// When it last turned red; `None` while not red.
    RedSince,
    /// When the owner reviewed it since it turned red; `None` while the review is owed.
    ReviewedAt,
    ReviewedBy,
}

/// The last score of each day (UTC), for the trend.
#[derive(DeriveIden)]
enum AccountHealthDays {
    Table,
    AccountId,
    /// `YYYY-MM-DD`.
    Day,
    Score,
    Band,
}

/// Every review of a red account, kept.
#[derive(DeriveIden)]
enum AccountReviews {
    Table,
    Id,
    AccountId,
    RedSince,
    ReviewedBy,
    ReviewedAt,
}

/// Accounts whose health a write has made stale; drained by the next read or scheduler tick.
#[derive(DeriveIden)]
enum HealthDirty {
    Table,
    AccountId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Failures::Table)
                .col(big_pk_auto(Failures::Id))
                .col(string(Failures::Level))
                .col(text(Failures::WhatHappened))
                .col(text(Failures::Lesson))
                .col(big_integer_null(Failures::ProblemId))
                .col(big_integer(Failures::LoggedBy))
                .col(timestamp_with_time_zone(Failures::LoggedAt))
                .col(big_integer(Failures::Version))
                .foreign_key(&mut fk(
                    Failures::Table,
                    Failures::ProblemId,
                    Problems::Table,
                    Problems::Id,
                ))
                .foreign_key(&mut fk(
                    Failures::Table,
                    Failures::LoggedBy,
                    Members::Table,
                    Members::Id,
                ))
                .take(),
        )
        .await?;
        m.create_index(index(
            "idx_failures_logged_at",
            Failures::Table,
            [Failures::LoggedAt, Failures::Id],
        ))
        .await?;
        m.create_index(index(
            "idx_failures_level",
            Failures::Table,
            [Failures::Level, Failures::LoggedAt],
        ))
        .await?;

        // SQLite cannot add a foreign key to an existing table; the store checks the member.
        m.alter_table(
            Table::alter()
                .table(Accounts::Table)
                .add_column(big_integer_null(Owner::OwnerId))
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(AccountHealth::Table)
                .col(big_integer(AccountHealth::AccountId).primary_key())
                .col(small_integer(AccountHealth::Score))
                .col(string(AccountHealth::Band))
                .col(text(AccountHealth::Factors))
                .col(timestamp_with_time_zone(AccountHealth::ComputedAt))
                .col(timestamp_with_time_zone_null(AccountHealth::RedSince))
                .col(timestamp_with_time_zone_null(AccountHealth::ReviewedAt))
                .col(big_integer_null(AccountHealth::ReviewedBy))
                .foreign_key(&mut fk(
                    AccountHealth::Table,
                    AccountHealth::AccountId,
                    Accounts::Table,
                    Accounts::Id,
                ))
                .take(),
        )
        .await?;
        m.create_index(index(
            "idx_account_health_score",
            AccountHealth::Table,
            [AccountHealth::Score, AccountHealth::AccountId],
        ))
        .await?;
        m.create_index(index(
            "idx_account_health_computed_at",
            AccountHealth::Table,
            [AccountHealth::ComputedAt],
        ))
        .await?;
        m.create_index(index(
            "idx_account_health_red",
            AccountHealth::Table,
            [AccountHealth::RedSince],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(AccountHealthDays::Table)
                .col(big_integer(AccountHealthDays::AccountId))
                .col(string(AccountHealthDays::Day))
                .col(small_integer(AccountHealthDays::Score))
                .col(string(AccountHealthDays::Band))
                .primary_key(
                    Index::create()
                        .col(AccountHealthDays::AccountId)
                        .col(AccountHealthDays::Day),
                )
                .foreign_key(&mut fk(
                    AccountHealthDays::Table,
                    AccountHealthDays::AccountId,
                    Accounts::Table,
                    Accounts::Id,
                ))
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(AccountReviews::Table)
                .col(big_pk_auto(AccountReviews::Id))
                .col(big_integer(AccountReviews::AccountId))
                .col(timestamp_with_time_zone(AccountReviews::RedSince))
                .col(big_integer(AccountReviews::ReviewedBy))
                .col(timestamp_with_time_zone(AccountReviews::ReviewedAt))
                .foreign_key(&mut fk(
                    AccountReviews::Table,
                    AccountReviews::AccountId,
                    Accounts::Table,
                    Accounts::Id,
                ))
                .foreign_key(&mut fk(
                    AccountReviews::Table,
                    AccountReviews::ReviewedBy,
                    Members::Table,
                    Members::Id,
                ))
                .take(),
        )
        .await?;
        m.create_index(index(
            "idx_account_reviews_account",
            AccountReviews::Table,
            [AccountReviews::AccountId, AccountReviews::Id],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(HealthDirty::Table)
                .col(big_integer(HealthDirty::AccountId).primary_key())
                .take(),
        )
        .await?;
        // Every existing account is computed by the first read or tick.
        let mark = Query::insert()
            .into_table(HealthDirty::Table)
            .columns([HealthDirty::AccountId])
            .select_from(
                Query::select()
                    .column(Accounts::Id)
                    .from(Accounts::Table)
                    .take(),
            )
            .map_err(|e| DbErr::Custom(e.to_string()))?
            .take();
        m.exec_stmt(mark).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            HealthDirty::Table.into_iden(),
            AccountReviews::Table.into_iden(),
            AccountHealthDays::Table.into_iden(),
            AccountHealth::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).take()).await?;
        }
        m.alter_table(
            Table::alter()
                .table(Accounts::Table)
                .drop_column(Owner::OwnerId)
                .take(),
        )
        .await?;
        m.drop_table(Table::drop().table(Failures::Table).take())
            .await
    }
}
