//! Migration 3: policies (seeded with the defaults) and remembered idempotent responses.

use makegood_domain::Policies as DomainPolicies;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::m0001_people_and_parties::Members;
use super::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Policies {
    Table,
    Id,
    Data,
}

#[derive(DeriveIden)]
enum IdempotencyKeys {
    Table,
    Id,
    MemberId,
    Key,
    RequestHash,
    Status,
    Body,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Policies::Table)
                .col(big_integer(Policies::Id).primary_key())
                .col(text(Policies::Data))
                .take(),
        )
        .await?;
        // The playbook's defaults, as of this migration; later changes go through set_policies.
        let defaults = serde_json::to_string(&DomainPolicies::default())
            .map_err(|e| DbErr::Custom(e.to_string()))?;
        m.exec_stmt(
            Query::insert()
                .into_table(Policies::Table)
                .columns([Policies::Id, Policies::Data])
                .values_panic([1.into(), defaults.into()])
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(IdempotencyKeys::Table)
                .col(big_pk_auto(IdempotencyKeys::Id))
                .col(big_integer(IdempotencyKeys::MemberId))
                .col(string(IdempotencyKeys::Key))
                .col(string(IdempotencyKeys::RequestHash))
                .col(integer(IdempotencyKeys::Status))
                .col(text(IdempotencyKeys::Body))
                .col(timestamp_with_time_zone(IdempotencyKeys::CreatedAt))
                .foreign_key(&mut fk(
                    IdempotencyKeys::Table,
                    IdempotencyKeys::MemberId,
                    Members::Table,
                    Members::Id,
                ))
                .take(),
        )
        .await?;
        m.create_index(
            index(
                "idx_idempotency_member_key",
                IdempotencyKeys::Table,
                [IdempotencyKeys::MemberId, IdempotencyKeys::Key],
            )
            .unique()
            .take(),
        )
        .await?;
        m.create_index(index(
            "idx_idempotency_created",
            IdempotencyKeys::Table,
            [IdempotencyKeys::CreatedAt],
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(IdempotencyKeys::Table).take())
            .await?;
        m.drop_table(Table::drop().table(Policies::Table).take())
            .await
    }
}
