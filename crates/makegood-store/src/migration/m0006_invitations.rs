//! Migration 6: invitations — single-use, expiring links for invited members to set a password.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::m0001_people_and_parties::Members;
use super::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Invitations {
    Table,
    Id,
    MemberId,
    TokenHash,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Invitations::Table)
                .col(big_pk_auto(Invitations::Id))
                .col(big_integer(Invitations::MemberId))
                .col(string_uniq(Invitations::TokenHash))
                .col(timestamp_with_time_zone(Invitations::CreatedAt))
                .col(timestamp_with_time_zone(Invitations::ExpiresAt))
                .col(timestamp_with_time_zone_null(Invitations::UsedAt))
                .foreign_key(&mut fk(
                    Invitations::Table,
                    Invitations::MemberId,
                    Members::Table,
                    Members::Id,
                ))
                .take(),
        )
        .await?;
        m.create_index(index(
            "idx_invitations_member",
            Invitations::Table,
            [Invitations::MemberId],
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Invitations::Table).take())
            .await
    }
}
