//! Migration 1: the organisation, members, sessions, API tokens, accounts, contacts, vendors.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub(super) enum Organisation {
    Table,
    Id,
    Name,
    SetupTokenHash,
    SetupTokenUsed,
    CreatedAt,
}

#[derive(DeriveIden)]
pub(super) enum Members {
    Table,
    Id,
    Name,
    Email,
    PasswordHash,
    Role,
    AuthorityMinor,
    AuthorityCurrency,
    TimeZone,
    Active,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    TokenHash,
    MemberId,
    CsrfToken,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum ApiTokens {
    Table,
    Id,
    MemberId,
    Name,
    TokenHash,
    CreatedAt,
    LastUsedAt,
    Revoked,
}

#[derive(DeriveIden)]
pub(super) enum Accounts {
    Table,
    Id,
    Name,
    ParentId,
    Tier,
}

#[derive(DeriveIden)]
pub(super) enum Contacts {
    Table,
    Id,
    AccountId,
    Name,
    RoleTitle,
    Email,
    Phone,
}

#[derive(DeriveIden)]
pub(super) enum Vendors {
    Table,
    Id,
    Name,
    Email,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Organisation::Table)
                .col(big_integer(Organisation::Id).primary_key())
                .col(string_null(Organisation::Name))
                .col(string_null(Organisation::SetupTokenHash))
                .col(boolean(Organisation::SetupTokenUsed).default(false))
                .col(timestamp_with_time_zone_null(Organisation::CreatedAt))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Members::Table)
                .col(big_pk_auto(Members::Id))
                .col(string(Members::Name))
                .col(string_uniq(Members::Email))
                .col(string_null(Members::PasswordHash))
                .col(string(Members::Role))
                .col(big_integer(Members::AuthorityMinor))
                .col(string(Members::AuthorityCurrency))
                .col(string(Members::TimeZone))
                .col(boolean(Members::Active))
                .col(timestamp_with_time_zone(Members::CreatedAt))
                .take(),
        )
        .await?;
        m.create_index(index(
            "idx_members_name_id",
            Members::Table,
            [Members::Name, Members::Id],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table(Sessions::Table)
                .col(string(Sessions::TokenHash).primary_key())
                .col(big_integer(Sessions::MemberId))
                .col(string(Sessions::CsrfToken))
                .col(timestamp_with_time_zone(Sessions::ExpiresAt))
                .foreign_key(
                    &mut fk(
                        Sessions::Table,
                        Sessions::MemberId,
                        Members::Table,
                        Members::Id,
                    )
                    .on_delete(ForeignKeyAction::Cascade)
                    .take(),
                )
                .take(),
        )
        .await?;
        m.create_index(index(
            "idx_sessions_member",
            Sessions::Table,
            [Sessions::MemberId],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table(ApiTokens::Table)
                .col(big_pk_auto(ApiTokens::Id))
                .col(big_integer(ApiTokens::MemberId))
                .col(string(ApiTokens::Name))
                .col(string_uniq(ApiTokens::TokenHash))
                .col(timestamp_with_time_zone(ApiTokens::CreatedAt))
                .col(timestamp_with_time_zone_null(ApiTokens::LastUsedAt))
                .col(boolean(ApiTokens::Revoked).default(false))
                .foreign_key(&mut fk(
                    ApiTokens::Table,
                    ApiTokens::MemberId,
                    Members::Table,
                    Members::Id,
                ))
                .take(),
        )
        .await?;
        m.create_index(index(
            "idx_api_tokens_member",
            ApiTokens::Table,
            [ApiTokens::MemberId, ApiTokens::Id],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table(Accounts::Table)
                .col(big_pk_auto(Accounts::Id))
                .col(string(Accounts::Name))
                .col(big_integer_null(Accounts::ParentId))
                .col(string_null(Accounts::Tier))
                .foreign_key(&mut fk(
                    Accounts::Table,
                    Accounts::ParentId,
                    Accounts::Table,
                    Accounts::Id,
                ))
                .take(),
        )
        .await?;
        m.create_index(index(
            "idx_accounts_name_id",
            Accounts::Table,
            [Accounts::Name, Accounts::Id],
        ))
        .await?;
        m.create_index(index(
            "idx_accounts_parent",
            Accounts::Table,
            [Accounts::ParentId, Accounts::Name, Accounts::Id],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table(Contacts::Table)
                .col(big_pk_auto(Contacts::Id))
                .col(big_integer(Contacts::AccountId))
                .col(string(Contacts::Name))
                .col(string(Contacts::RoleTitle))
                .col(string_null(Contacts::Email))
                .col(string_null(Contacts::Phone))
                .foreign_key(&mut fk(
                    Contacts::Table,
                    Contacts::AccountId,
                    Accounts::Table,
                    Accounts::Id,
                ))
                .take(),
        )
        .await?;
        m.create_index(index(
            "idx_contacts_name_id",
            Contacts::Table,
            [Contacts::Name, Contacts::Id],
        ))
        .await?;
        m.create_index(index(
            "idx_contacts_account",
            Contacts::Table,
            [Contacts::AccountId, Contacts::Name, Contacts::Id],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table(Vendors::Table)
                .col(big_pk_auto(Vendors::Id))
                .col(string(Vendors::Name))
                .col(string_null(Vendors::Email))
                .take(),
        )
        .await?;
        m.create_index(index(
            "idx_vendors_name_id",
            Vendors::Table,
            [Vendors::Name, Vendors::Id],
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Vendors::Table.into_iden(),
            Contacts::Table.into_iden(),
            Accounts::Table.into_iden(),
            ApiTokens::Table.into_iden(),
            Sessions::Table.into_iden(),
            Members::Table.into_iden(),
            Organisation::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).take()).await?;
        }
        Ok(())
    }
}
