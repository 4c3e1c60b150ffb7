//! Migration 12: the customer's side — portal sign-in links and sessions, follow-up surveys,
//! when a problem's survey falls due, and who reviewed a held email.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::m0001_people_and_parties::{Contacts, Members};
use super::m0002_problems_and_promises::Problems;
use super::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Single-use sign-in links for a contact; only a hash of the secret is kept.
#[derive(DeriveIden)]
enum PortalLinks {
    Table,
    Id,
    TokenHash,
    ContactId,
    /// Where the link lands (a problem's page, its survey); `None` for the problem list.
    ProblemId,
    /// The member who sent it; `None` when the contact asked or the system sent it.
    CreatedBy,
    CreatedAt,
    ExpiresAt,
    UsedAt,
    RevokedAt,
}

/// A contact signed in to the portal (a cookie holds the secret, the row its hash).
#[derive(DeriveIden)]
enum PortalSessions {
    Table,
    TokenHash,
    ContactId,
    CsrfToken,
    CreatedAt,
    ExpiresAt,
}

/// One follow-up survey per problem and stakeholder.
#[derive(DeriveIden)]
enum Surveys {
    Table,
    Id,
    ProblemId,
    ContactId,
    SentAt,
    AnsweredAt,
    Rating,
    Recommend,
    Comment,
    Sentiment,
}

#[derive(DeriveIden)]
enum FollowUp {
    /// When the problem's survey is due to go out; `None` once sent or while not due.
    FollowUpAt,
}

#[derive(DeriveIden)]
enum InboundEmails {
    Table,
    ReviewedBy,
    ReviewedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(PortalLinks::Table)
                .col(big_pk_auto(PortalLinks::Id))
                .col(string(PortalLinks::TokenHash).unique_key())
                .col(big_integer(PortalLinks::ContactId))
                .col(big_integer_null(PortalLinks::ProblemId))
                .col(big_integer_null(PortalLinks::CreatedBy))
                .col(timestamp_with_time_zone(PortalLinks::CreatedAt))
                .col(timestamp_with_time_zone(PortalLinks::ExpiresAt))
                .col(timestamp_with_time_zone_null(PortalLinks::UsedAt))
                .col(timestamp_with_time_zone_null(PortalLinks::RevokedAt))
                .foreign_key(&mut fk(
                    PortalLinks::Table,
                    PortalLinks::ContactId,
                    Contacts::Table,
                    Contacts::Id,
                ))
                .foreign_key(&mut fk(
                    PortalLinks::Table,
                    PortalLinks::ProblemId,
                    Problems::Table,
                    Problems::Id,
                ))
                .foreign_key(&mut fk(
                    PortalLinks::Table,
                    PortalLinks::CreatedBy,
                    Members::Table,
                    Members::Id,
                ))
                .take(),
        )
        .await?;
        m.create_index(index(
            "idx_portal_links_contact",
            PortalLinks::Table,
            [PortalLinks::ContactId, PortalLinks::Id],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(PortalSessions::Table)
                .col(string(PortalSessions::TokenHash).primary_key())
                .col(big_integer(PortalSessions::ContactId))
                .col(string(PortalSessions::CsrfToken))
                .col(timestamp_with_time_zone(PortalSessions::CreatedAt))
                .col(timestamp_with_time_zone(PortalSessions::ExpiresAt))
                .foreign_key(&mut fk(
                    PortalSessions::Table,
                    PortalSessions::ContactId,
                    Contacts::Table,
                    Contacts::Id,
                ))
                .take(),
        )
        .await?;
        m.create_index(index(
            "idx_portal_sessions_contact",
            PortalSessions::Table,
            [PortalSessions::ContactId],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Surveys::Table)
                .col(big_pk_auto(Surveys::Id))
                .col(big_integer(Surveys::ProblemId))
                .col(big_integer(Surveys::ContactId))
                .col(timestamp_with_time_zone(Surveys::SentAt))
                .col(timestamp_with_time_zone_null(Surveys::AnsweredAt))
                .col(small_integer_null(Surveys::Rating))
                .col(small_integer_null(Surveys::Recommend))
                .col(text_null(Surveys::Comment))
                .col(small_integer_null(Surveys::Sentiment))
                .foreign_key(&mut fk(
                    Surveys::Table,
                    Surveys::ProblemId,
                    Problems::Table,
                    Problems::Id,
                ))
                .foreign_key(&mut fk(
                    Surveys::Table,
                    Surveys::ContactId,
                    Contacts::Table,
                    Contacts::Id,
                ))
                .take(),
        )
        .await?;
        m.create_index(
            index(
                "idx_surveys_problem_contact",
                Surveys::Table,
                [Surveys::ProblemId, Surveys::ContactId],
            )
            .unique()
            .take(),
        )
        .await?;
        m.create_index(index(
            "idx_surveys_contact",
            Surveys::Table,
            [Surveys::ContactId],
        ))
        .await?;

        m.alter_table(
            Table::alter()
                .table(Problems::Table)
                .add_column(timestamp_with_time_zone_null(FollowUp::FollowUpAt))
                .take(),
        )
        .await?;
        m.create_index(index(
            "idx_problems_follow_up_at",
            Problems::Table,
            [FollowUp::FollowUpAt],
        ))
        .await?;

        // One column per statement: SQLite alters a table one change at a time.
        m.alter_table(
            Table::alter()
                .table(InboundEmails::Table)
                .add_column(big_integer_null(InboundEmails::ReviewedBy))
                .take(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(InboundEmails::Table)
                .add_column(timestamp_with_time_zone_null(InboundEmails::ReviewedAt))
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in [InboundEmails::ReviewedAt, InboundEmails::ReviewedBy] {
            m.alter_table(
                Table::alter()
                    .table(InboundEmails::Table)
                    .drop_column(column)
                    .take(),
            )
            .await?;
        }
        m.drop_index(
            Index::drop()
                .name("idx_problems_follow_up_at")
                .table(Problems::Table)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Problems::Table)
                .drop_column(FollowUp::FollowUpAt)
                .take(),
        )
        .await?;
        m.drop_table(Table::drop().table(Surveys::Table).take())
            .await?;
        m.drop_table(Table::drop().table(PortalSessions::Table).take())
            .await?;
        m.drop_table(Table::drop().table(PortalLinks::Table).take())
            .await
    }
}
