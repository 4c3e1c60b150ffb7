//! Migration 13: reports — the problem columns they read, and the incremental aggregates:
//! subjects to recount, each subject's contributions, and their sums.
//!
//! Every existing problem (and promise made without one) is marked to recount; a problem
//! whose `cadence` is still NULL has its report columns derived from its timeline then.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::index;
use super::m0002_problems_and_promises::Problems;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The report columns of a problem, set whenever an event is recorded on it.
#[derive(DeriveIden, Clone, Copy)]
enum ReportColumns {
    /// When the tell clock stopped (first customer-visible update, or the close), and its
    /// deadline then.
    TellStoppedAt,
    TellDueAt,
    /// When the fix clock stopped (fixed, confirmed or closed), and its deadline then.
    FixStoppedAt,
    FixDueAt,
    ClosedAt,
    /// JSON `[[microseconds, met], …]`: each update interval that ended; NULL until derived.
    Cadence,
}

/// Subjects whose contributions are out of date: a problem id, or minus the id of a promise
/// made without a problem.
#[derive(DeriveIden)]
enum ReportDirty {
    Table,
    Subject,
}

/// Each subject's current contributions (compact JSON, see `report::tally::encode`).
#[derive(DeriveIden)]
enum ReportContrib {
    Table,
    Subject,
    Data,
}

/// The sums of every contribution, rolled up by member, severity and origin (0 = any).
#[derive(DeriveIden)]
enum ReportCounts {
    Table,
    Member,
    Severity,
    Origin,
    Month,
    Metric,
    Bucket,
    N,
    Total,
}

/// Free-text buckets (cause categories) by their key.
#[derive(DeriveIden)]
enum ReportLabels {
    Table,
    LabelKey,
    Label,
}

/// The time zone the aggregates' months were counted in (one row).
#[derive(DeriveIden)]
enum ReportState {
    Table,
    Id,
    Zone,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one change at a time.
        for column in [
            ReportColumns::TellStoppedAt,
            ReportColumns::TellDueAt,
            ReportColumns::FixStoppedAt,
            ReportColumns::FixDueAt,
            ReportColumns::ClosedAt,
        ] {
            m.alter_table(
                Table::alter()
                    .table(Problems::Table)
                    .add_column(timestamp_with_time_zone_null(column))
                    .take(),
            )
            .await?;
        }
        m.alter_table(
            Table::alter()
                .table(Problems::Table)
                .add_column(text_null(ReportColumns::Cadence))
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(ReportDirty::Table)
                .col(big_integer(ReportDirty::Subject).primary_key())
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ReportContrib::Table)
                .col(big_integer(ReportContrib::Subject).primary_key())
                .col(text(ReportContrib::Data))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ReportCounts::Table)
                .col(big_integer(ReportCounts::Member))
                .col(small_integer(ReportCounts::Severity))
                .col(small_integer(ReportCounts::Origin))
                .col(integer(ReportCounts::Month))
                .col(small_integer(ReportCounts::Metric))
                .col(big_integer(ReportCounts::Bucket))
                .col(big_integer(ReportCounts::N))
                .col(big_integer(ReportCounts::Total))
                .primary_key(
                    Index::create()
                        .col(ReportCounts::Member)
                        .col(ReportCounts::Severity)
                        .col(ReportCounts::Origin)
                        .col(ReportCounts::Metric)
                        .col(ReportCounts::Month)
                        .col(ReportCounts::Bucket),
                )
                .take(),
        )
        .await?;
        // Promises per member: every member's rows of one metric and selection.
        m.create_index(index(
            "idx_report_counts_metric",
            ReportCounts::Table,
            [
                ReportCounts::Metric,
                ReportCounts::Severity,
                ReportCounts::Origin,
                ReportCounts::Month,
                ReportCounts::Member,
            ],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table(ReportLabels::Table)
                .col(big_integer(ReportLabels::LabelKey).primary_key())
                .col(text(ReportLabels::Label))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ReportState::Table)
                .col(big_integer(ReportState::Id).primary_key())
                .col(string(ReportState::Zone))
                .take(),
        )
        .await?;

        let db = m.get_connection();
        db.execute_unprepared("INSERT INTO report_dirty (subject) SELECT id FROM problems")
            .await?;
        db.execute_unprepared(
            "INSERT INTO report_dirty (subject) SELECT -id FROM promises WHERE problem_id IS NULL",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "report_state",
            "report_labels",
            "report_counts",
            "report_contrib",
            "report_dirty",
        ] {
            m.drop_table(Table::drop().table(Alias::new(table)).take())
                .await?;
        }
        for column in [
            ReportColumns::Cadence,
            ReportColumns::ClosedAt,
            ReportColumns::FixDueAt,
            ReportColumns::FixStoppedAt,
            ReportColumns::TellDueAt,
            ReportColumns::TellStoppedAt,
        ] {
            m.alter_table(
                Table::alter()
                    .table(Problems::Table)
                    .drop_column(column)
                    .take(),
            )
            .await?;
        }
        Ok(())
    }
}
