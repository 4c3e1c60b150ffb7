//! Migration 7: remedies — what we do to make good, with cost, vendor share and approval.
//!
//! Money is stored as integer minor units with the ISO 4217 code beside it (one currency per
//! remedy: cost, vendor share and net cost). The approval deadline and its warning time are
//! materialised and indexed with the status, so the approval queue, the duties and the
//! scheduler never scan.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::m0001_people_and_parties::{Members, Vendors};
use super::m0002_problems_and_promises::Problems;
use super::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Remedies {
    Table,
    Id,
    ProblemId,
    Kind,
    Description,
    Currency,
    CostMinor,
    VendorId,
    VendorShareMinor,
    VendorShareReceived,
    VendorShareReceivedAt,
    NetMinor,
    ProposedBy,
    ProposedAt,
    ApprovalRequired,
    Status,
    ApprovalWarnAt,
    ApprovalDueAt,
    DecidedBy,
    DecidedAt,
    Reason,
    DeliveredAt,
    Version,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Remedies::Table)
                .col(big_pk_auto(Remedies::Id))
                .col(big_integer(Remedies::ProblemId))
                .col(string(Remedies::Kind))
                .col(text(Remedies::Description))
                .col(string_len(Remedies::Currency, 3))
                .col(big_integer(Remedies::CostMinor))
                .col(big_integer_null(Remedies::VendorId))
                .col(big_integer_null(Remedies::VendorShareMinor))
                .col(boolean(Remedies::VendorShareReceived).default(false))
                .col(timestamp_with_time_zone_null(
                    Remedies::VendorShareReceivedAt,
                ))
                .col(big_integer(Remedies::NetMinor))
                .col(big_integer(Remedies::ProposedBy))
                .col(timestamp_with_time_zone(Remedies::ProposedAt))
                .col(boolean(Remedies::ApprovalRequired))
                .col(string(Remedies::Status))
                .col(timestamp_with_time_zone_null(Remedies::ApprovalWarnAt))
                .col(timestamp_with_time_zone_null(Remedies::ApprovalDueAt))
                .col(big_integer_null(Remedies::DecidedBy))
                .col(timestamp_with_time_zone_null(Remedies::DecidedAt))
                .col(text_null(Remedies::Reason))
                .col(timestamp_with_time_zone_null(Remedies::DeliveredAt))
                .col(big_integer(Remedies::Version))
                .foreign_key(&mut fk(
                    Remedies::Table,
                    Remedies::ProblemId,
                    Problems::Table,
                    Problems::Id,
                ))
                .foreign_key(&mut fk(
                    Remedies::Table,
                    Remedies::VendorId,
                    Vendors::Table,
                    Vendors::Id,
                ))
                .foreign_key(&mut fk(
                    Remedies::Table,
                    Remedies::ProposedBy,
                    Members::Table,
                    Members::Id,
                ))
                .foreign_key(&mut fk(
                    Remedies::Table,
                    Remedies::DecidedBy,
                    Members::Table,
                    Members::Id,
                ))
                .take(),
        )
        .await?;
        m.create_index(index(
            "idx_remedies_problem",
            Remedies::Table,
            [Remedies::ProblemId, Remedies::Id],
        ))
        .await?;
        // The approval queue and the approval duties: waiting remedies by deadline.
        m.create_index(index(
            "idx_remedies_approval_due",
            Remedies::Table,
            [Remedies::Status, Remedies::ApprovalDueAt, Remedies::Id],
        ))
        .await?;
        m.create_index(index(
            "idx_remedies_approval_warn",
            Remedies::Table,
            [Remedies::Status, Remedies::ApprovalWarnAt, Remedies::Id],
        ))
        .await?;
        m.create_index(index(
            "idx_remedies_proposed",
            Remedies::Table,
            [Remedies::ProposedAt, Remedies::Id],
        ))
        .await?;
        m.create_index(index(
            "idx_remedies_vendor",
            Remedies::Table,
            [Remedies::VendorId, Remedies::VendorShareReceived],
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Remedies::Table).take())
            .await
    }
}
