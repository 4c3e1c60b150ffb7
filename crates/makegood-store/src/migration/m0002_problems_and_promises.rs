//! Migration 2: problems, their accounts and stakeholders, promises, and the event timeline.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::m0001_people_and_parties::{Accounts, Contacts, Members, Vendors};
use super::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub(super) enum Problems {
    Table,
    Id,
    Title,
    Description,
    Origin,
    VendorId,
    Severity,
    Category,
    OwnerId,
    DetectedAt,
    CreatedAt,
    Status,
    Outcome,
    Version,
    NextWarnAt,
    NextDueAt,
}

#[derive(DeriveIden)]
enum ProblemAccounts {
    Table,
    ProblemId,
    AccountId,
    Position,
}

#[derive(DeriveIden)]
enum ProblemStakeholders {
    Table,
    ProblemId,
    ContactId,
    Position,
}

#[derive(DeriveIden)]
pub(super) enum Promises {
    Table,
    Id,
    What,
    MadeBy,
    ProblemId,
    MadeAt,
    DueAt,
    Status,
    EndedAt,
    Reason,
    RenegotiatedFrom,
    RenegotiatedTo,
    Version,
    WarnAt,
}

#[derive(DeriveIden)]
enum PromiseContacts {
    Table,
    PromiseId,
    ContactId,
    Position,
}

#[derive(DeriveIden)]
enum Events {
    Table,
    Id,
    ProblemId,
    PromiseId,
    At,
    ActorId,
    Kind,
    Data,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Problems::Table)
                .col(big_pk_auto(Problems::Id))
                .col(string(Problems::Title))
                .col(text(Problems::Description))
                .col(string(Problems::Origin))
                .col(big_integer_null(Problems::VendorId))
                .col(string(Problems::Severity))
                .col(string(Problems::Category))
                .col(big_integer(Problems::OwnerId))
                .col(timestamp_with_time_zone(Problems::DetectedAt))
                .col(timestamp_with_time_zone(Problems::CreatedAt))
                .col(string(Problems::Status))
                .col(string_null(Problems::Outcome))
                .col(big_integer(Problems::Version))
                .col(timestamp_with_time_zone_null(Problems::NextWarnAt))
                .col(timestamp_with_time_zone_null(Problems::NextDueAt))
                .foreign_key(&mut fk(
                    Problems::Table,
                    Problems::VendorId,
                    Vendors::Table,
                    Vendors::Id,
                ))
                .foreign_key(&mut fk(
                    Problems::Table,
                    Problems::OwnerId,
                    Members::Table,
                    Members::Id,
                ))
                .take(),
        )
        .await?;

        m.create_index(index(
            "idx_problems_next_due",
            Problems::Table,
            [Problems::NextDueAt, Problems::Id],
        ))
        .await?;
        m.create_index(index(
            "idx_problems_next_warn",
            Problems::Table,
            [Problems::NextWarnAt, Problems::Id],
        ))
        .await?;
        m.create_index(index(
            "idx_problems_owner_next_due",
            Problems::Table,
            [Problems::OwnerId, Problems::NextDueAt, Problems::Id],
        ))
        .await?;
        m.create_index(index(
            "idx_problems_created",
            Problems::Table,
            [Problems::CreatedAt, Problems::Id],
        ))
        .await?;
        m.create_index(index(
            "idx_problems_status",
            Problems::Table,
            [Problems::Status, Problems::NextDueAt, Problems::Id],
        ))
        .await?;
        m.create_index(index(
            "idx_problems_vendor",
            Problems::Table,
            [Problems::VendorId],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(ProblemAccounts::Table)
                .col(big_integer(ProblemAccounts::ProblemId))
                .col(big_integer(ProblemAccounts::AccountId))
                .col(integer(ProblemAccounts::Position))
                .primary_key(
                    Index::create()
                        .col(ProblemAccounts::ProblemId)
                        .col(ProblemAccounts::AccountId),
                )
                .foreign_key(&mut fk(
                    ProblemAccounts::Table,
                    ProblemAccounts::ProblemId,
                    Problems::Table,
                    Problems::Id,
                ))
                .foreign_key(&mut fk(
                    ProblemAccounts::Table,
                    ProblemAccounts::AccountId,
                    Accounts::Table,
                    Accounts::Id,
                ))
                .take(),
        )
        .await?;
        m.create_index(index(
            "idx_problem_accounts_account",
            ProblemAccounts::Table,
            [ProblemAccounts::AccountId, ProblemAccounts::ProblemId],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(ProblemStakeholders::Table)
                .col(big_integer(ProblemStakeholders::ProblemId))
                .col(big_integer(ProblemStakeholders::ContactId))
                .col(integer(ProblemStakeholders::Position))
                .primary_key(
                    Index::create()
                        .col(ProblemStakeholders::ProblemId)
                        .col(ProblemStakeholders::ContactId),
                )
                .foreign_key(&mut fk(
                    ProblemStakeholders::Table,
                    ProblemStakeholders::ProblemId,
                    Problems::Table,
                    Problems::Id,
                ))
                .foreign_key(&mut fk(
                    ProblemStakeholders::Table,
                    ProblemStakeholders::ContactId,
                    Contacts::Table,
                    Contacts::Id,
                ))
                .take(),
        )
        .await?;
        m.create_index(index(
            "idx_problem_stakeholders_contact",
            ProblemStakeholders::Table,
            [ProblemStakeholders::ContactId],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Promises::Table)
                .col(big_pk_auto(Promises::Id))
                .col(text(Promises::What))
                .col(big_integer(Promises::MadeBy))
                .col(big_integer_null(Promises::ProblemId))
                .col(timestamp_with_time_zone(Promises::MadeAt))
                .col(timestamp_with_time_zone(Promises::DueAt))
                .col(string(Promises::Status))
                .col(timestamp_with_time_zone_null(Promises::EndedAt))
                .col(text_null(Promises::Reason))
                .col(big_integer_null(Promises::RenegotiatedFrom))
                .col(big_integer_null(Promises::RenegotiatedTo))
                .col(big_integer(Promises::Version))
                .col(timestamp_with_time_zone(Promises::WarnAt))
                .foreign_key(&mut fk(
                    Promises::Table,
                    Promises::MadeBy,
                    Members::Table,
                    Members::Id,
                ))
                .foreign_key(&mut fk(
                    Promises::Table,
                    Promises::ProblemId,
                    Problems::Table,
                    Problems::Id,
                ))
                .foreign_key(&mut fk(
                    Promises::Table,
                    Promises::RenegotiatedFrom,
                    Promises::Table,
                    Promises::Id,
                ))
                .foreign_key(&mut fk(
                    Promises::Table,
                    Promises::RenegotiatedTo,
                    Promises::Table,
                    Promises::Id,
                ))
                .take(),
        )
        .await?;

        m.create_index(index(
            "idx_promises_status_due",
            Promises::Table,
            [Promises::Status, Promises::DueAt, Promises::Id],
        ))
        .await?;
        m.create_index(index(
            "idx_promises_status_warn",
            Promises::Table,
            [Promises::Status, Promises::WarnAt, Promises::Id],
        ))
        .await?;
        m.create_index(index(
            "idx_promises_made_by_due",
            Promises::Table,
            [Promises::MadeBy, Promises::DueAt, Promises::Id],
        ))
        .await?;
        m.create_index(index(
            "idx_promises_due",
            Promises::Table,
            [Promises::DueAt, Promises::Id],
        ))
        .await?;
        m.create_index(index(
            "idx_promises_problem",
            Promises::Table,
            [Promises::ProblemId, Promises::DueAt],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(PromiseContacts::Table)
                .col(big_integer(PromiseContacts::PromiseId))
                .col(big_integer(PromiseContacts::ContactId))
                .col(integer(PromiseContacts::Position))
                .primary_key(
                    Index::create()
                        .col(PromiseContacts::PromiseId)
                        .col(PromiseContacts::ContactId),
                )
                .foreign_key(&mut fk(
                    PromiseContacts::Table,
                    PromiseContacts::PromiseId,
                    Promises::Table,
                    Promises::Id,
                ))
                .foreign_key(&mut fk(
                    PromiseContacts::Table,
                    PromiseContacts::ContactId,
                    Contacts::Table,
                    Contacts::Id,
                ))
                .take(),
        )
        .await?;
        m.create_index(index(
            "idx_promise_contacts_contact",
            PromiseContacts::Table,
            [PromiseContacts::ContactId],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Events::Table)
                .col(big_pk_auto(Events::Id))
                .col(big_integer_null(Events::ProblemId))
                .col(big_integer_null(Events::PromiseId))
                .col(timestamp_with_time_zone(Events::At))
                .col(big_integer_null(Events::ActorId))
                .col(string(Events::Kind))
                .col(text(Events::Data))
                .foreign_key(&mut fk(
                    Events::Table,
                    Events::ProblemId,
                    Problems::Table,
                    Problems::Id,
                ))
                .foreign_key(&mut fk(
                    Events::Table,
                    Events::PromiseId,
                    Promises::Table,
                    Promises::Id,
                ))
                .foreign_key(&mut fk(
                    Events::Table,
                    Events::ActorId,
                    Members::Table,
                    Members::Id,
                ))
                .take(),
        )
        .await?;
        m.create_index(index(
            "idx_events_problem",
            Events::Table,
            [Events::ProblemId, Events::Id],
        ))
        .await?;
        m.create_index(index(
            "idx_events_promise",
            Events::Table,
            [Events::PromiseId, Events::Id],
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Events::Table.into_iden(),
            PromiseContacts::Table.into_iden(),
            Promises::Table.into_iden(),
            ProblemStakeholders::Table.into_iden(),
            ProblemAccounts::Table.into_iden(),
            Problems::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).take()).await?;
        }
        Ok(())
    }
}
