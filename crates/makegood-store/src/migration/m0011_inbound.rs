//! Migration 11: inbound email — every message kept whole, what became of it, and its files.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::m0001_people_and_parties::Contacts;
use super::m0002_problems_and_promises::Problems;
use super::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum InboundEmails {
    Table,
    Id,
    /// Unique when present: the same message arriving twice is recorded once.
    MessageId,
    FromEmail,
    FromName,
    Subject,
    SentAt,
    ReceivedAt,
    /// The message as it arrived, byte for byte.
    Raw,
    Text,
    Reply,
    Sentiment,
    /// `threaded`, `opened` (a new problem), `held` (for review) or `dismissed`.
    Status,
    /// Why it is held, for the person reviewing it.
    Reason,
    ProblemId,
    ContactId,
}

#[derive(DeriveIden)]
enum InboundAttachments {
    Table,
    Id,
    InboundId,
    Filename,
    ContentType,
    Size,
    Content,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(InboundEmails::Table)
                .col(big_pk_auto(InboundEmails::Id))
                .col(string_null(InboundEmails::MessageId).unique_key())
                .col(string_null(InboundEmails::FromEmail))
                .col(string_null(InboundEmails::FromName))
                .col(text(InboundEmails::Subject))
                .col(timestamp_with_time_zone_null(InboundEmails::SentAt))
                .col(timestamp_with_time_zone(InboundEmails::ReceivedAt))
                .col(blob(InboundEmails::Raw))
                .col(text(InboundEmails::Text))
                .col(text(InboundEmails::Reply))
                .col(small_integer(InboundEmails::Sentiment))
                .col(string(InboundEmails::Status))
                .col(text_null(InboundEmails::Reason))
                .col(big_integer_null(InboundEmails::ProblemId))
                .col(big_integer_null(InboundEmails::ContactId))
                .foreign_key(&mut fk(
                    InboundEmails::Table,
                    InboundEmails::ProblemId,
                    Problems::Table,
                    Problems::Id,
                ))
                .foreign_key(&mut fk(
                    InboundEmails::Table,
                    InboundEmails::ContactId,
                    Contacts::Table,
                    Contacts::Id,
                ))
                .take(),
        )
        .await?;
        m.create_index(index(
            "idx_inbound_emails_status",
            InboundEmails::Table,
            [InboundEmails::Status, InboundEmails::Id],
        ))
        .await?;
        m.create_index(index(
            "idx_inbound_emails_problem",
            InboundEmails::Table,
            [InboundEmails::ProblemId],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table(InboundAttachments::Table)
                .col(big_pk_auto(InboundAttachments::Id))
                .col(big_integer(InboundAttachments::InboundId))
                .col(string(InboundAttachments::Filename))
                .col(string(InboundAttachments::ContentType))
                .col(big_integer(InboundAttachments::Size))
                .col(blob(InboundAttachments::Content))
                .foreign_key(&mut fk(
                    InboundAttachments::Table,
                    InboundAttachments::InboundId,
                    InboundEmails::Table,
                    InboundEmails::Id,
                ))
                .take(),
        )
        .await?;
        m.create_index(index(
            "idx_inbound_attachments_inbound",
            InboundAttachments::Table,
            [InboundAttachments::InboundId],
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(InboundAttachments::Table).take())
            .await?;
        m.drop_table(Table::drop().table(InboundEmails::Table).take())
            .await
    }
}
