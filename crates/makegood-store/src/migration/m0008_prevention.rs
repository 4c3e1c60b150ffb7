//! Migration 8: preventions (root cause, corrective action, effectiveness checks), recurrences
//! flagged between problems, vendor promises, and the organisation's recurrence window.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::m0001_people_and_parties::{Members, Organisation, Vendors};
use super::m0002_problems_and_promises::Problems;
use super::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Preventions {
    Table,
    Id,
    ProblemId,
    RootCause,
    CauseCategory,
    CorrectiveAction,
    OwnerId,
    OpenedAt,
    DueAt,
    WarnAt,
    CheckAfterDays,
    Status,
    DoneAt,
    /// When the effectiveness check falls due, while done: indexed for "due for check".
    CheckAt,
    CheckedAt,
    /// JSON of every effectiveness check so far.
    Checks,
    CreatedAt,
    Version,
}

#[derive(DeriveIden)]
enum Recurrences {
    Table,
    Id,
    ProblemId,
    EarlierId,
    PreventionId,
    Basis,
    Category,
    FlaggedAt,
}

#[derive(DeriveIden)]
enum VendorPromises {
    Table,
    Id,
    ProblemId,
    VendorId,
    What,
    RecordedBy,
    MadeAt,
    DueAt,
    WarnAt,
    Status,
    EndedAt,
    Reason,
    RenegotiatedFrom,
    RenegotiatedTo,
    Version,
}

/// The organisation's recurrence window, beside its name.
#[derive(DeriveIden)]
enum OrganisationSettings {
    RecurrenceWindowDays,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Preventions::Table)
                .col(big_pk_auto(Preventions::Id))
                .col(big_integer(Preventions::ProblemId))
                .col(text(Preventions::RootCause))
                .col(string(Preventions::CauseCategory))
                .col(text(Preventions::CorrectiveAction))
                .col(big_integer(Preventions::OwnerId))
                .col(timestamp_with_time_zone(Preventions::OpenedAt))
                .col(timestamp_with_time_zone(Preventions::DueAt))
                .col(timestamp_with_time_zone(Preventions::WarnAt))
                .col(big_integer(Preventions::CheckAfterDays))
                .col(string(Preventions::Status))
                .col(timestamp_with_time_zone_null(Preventions::DoneAt))
                .col(timestamp_with_time_zone_null(Preventions::CheckAt))
                .col(timestamp_with_time_zone_null(Preventions::CheckedAt))
                .col(text(Preventions::Checks))
                .col(timestamp_with_time_zone(Preventions::CreatedAt))
                .col(big_integer(Preventions::Version))
                .foreign_key(&mut fk(
                    Preventions::Table,
                    Preventions::ProblemId,
                    Problems::Table,
                    Problems::Id,
                ))
                .foreign_key(&mut fk(
                    Preventions::Table,
                    Preventions::OwnerId,
                    Members::Table,
                    Members::Id,
                ))
                .take(),
        )
        .await?;
        for (name, column) in [
            ("idx_preventions_problem", Preventions::ProblemId),
            ("idx_preventions_check_at", Preventions::CheckAt),
            ("idx_preventions_owner", Preventions::OwnerId),
            ("idx_preventions_cause", Preventions::CauseCategory),
        ] {
            m.create_index(index(name, Preventions::Table, [column]))
                .await?;
        }

        m.create_table(
            Table::create()
                .table(Recurrences::Table)
                .col(big_pk_auto(Recurrences::Id))
                .col(big_integer(Recurrences::ProblemId))
                .col(big_integer(Recurrences::EarlierId))
                .col(big_integer_null(Recurrences::PreventionId))
                .col(string(Recurrences::Basis))
                .col(string(Recurrences::Category))
                .col(timestamp_with_time_zone(Recurrences::FlaggedAt))
                .foreign_key(&mut fk(
                    Recurrences::Table,
                    Recurrences::ProblemId,
                    Problems::Table,
                    Problems::Id,
                ))
                .foreign_key(&mut fk(
                    Recurrences::Table,
                    Recurrences::EarlierId,
                    Problems::Table,
                    Problems::Id,
                ))
                .foreign_key(&mut fk(
                    Recurrences::Table,
                    Recurrences::PreventionId,
                    Preventions::Table,
                    Preventions::Id,
                ))
                .take(),
        )
        .await?;
        // A problem recurs a given earlier one once.
        m.create_index(
            index(
                "idx_recurrences_once",
                Recurrences::Table,
                [Recurrences::ProblemId, Recurrences::EarlierId],
            )
            .unique()
            .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(VendorPromises::Table)
                .col(big_pk_auto(VendorPromises::Id))
                .col(big_integer(VendorPromises::ProblemId))
                .col(big_integer(VendorPromises::VendorId))
                .col(text(VendorPromises::What))
                .col(big_integer(VendorPromises::RecordedBy))
                .col(timestamp_with_time_zone(VendorPromises::MadeAt))
                .col(timestamp_with_time_zone(VendorPromises::DueAt))
                .col(timestamp_with_time_zone(VendorPromises::WarnAt))
                .col(string(VendorPromises::Status))
                .col(timestamp_with_time_zone_null(VendorPromises::EndedAt))
                .col(text_null(VendorPromises::Reason))
                .col(big_integer_null(VendorPromises::RenegotiatedFrom))
                .col(big_integer_null(VendorPromises::RenegotiatedTo))
                .col(big_integer(VendorPromises::Version))
                .foreign_key(&mut fk(
                    VendorPromises::Table,
                    VendorPromises::ProblemId,
                    Problems::Table,
                    Problems::Id,
                ))
                .foreign_key(&mut fk(
                    VendorPromises::Table,
                    VendorPromises::VendorId,
                    Vendors::Table,
                    Vendors::Id,
                ))
                .foreign_key(&mut fk(
                    VendorPromises::Table,
                    VendorPromises::RecordedBy,
                    Members::Table,
                    Members::Id,
                ))
                .take(),
        )
        .await?;
        for (name, columns) in [
            (
                "idx_vendor_promises_problem",
                vec![VendorPromises::ProblemId],
            ),
            (
                "idx_vendor_promises_vendor",
                vec![VendorPromises::VendorId, VendorPromises::DueAt],
            ),
            (
                "idx_vendor_promises_open_due",
                vec![VendorPromises::Status, VendorPromises::DueAt],
            ),
        ] {
            m.create_index(index(name, VendorPromises::Table, columns))
                .await?;
        }

        m.alter_table(
            Table::alter()
                .table(Organisation::Table)
                .add_column(integer(OrganisationSettings::RecurrenceWindowDays).default(90))
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            VendorPromises::Table.into_iden(),
            Recurrences::Table.into_iden(),
            Preventions::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).take()).await?;
        }
        Ok(())
    }
}
