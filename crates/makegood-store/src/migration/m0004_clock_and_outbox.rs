//! Migration 4: business calendars, scheduler timers, the outbox, webhooks, member
//! preferences and calendar feeds.

use makegood_domain::Preferences as DomainPreferences;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::m0001_people_and_parties::Members;
use super::m0002_problems_and_promises::{Problems, Promises};
use super::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Calendars {
    Table,
    Id,
    Name,
    Spec,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Timers {
    Table,
    Id,
    /// `problem:<id>` or `promise:<id>`: one key for uniqueness, whichever it belongs to.
    Subject,
    ProblemId,
    PromiseId,
    Clock,
    Transition,
    At,
    DueAt,
    FiredAt,
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Id,
    Channel,
    Recipient,
    ProblemId,
    Notice,
    Status,
    Attempts,
    NextAttemptAt,
    LastError,
    CreatedAt,
    DeliveredAt,
}

#[derive(DeriveIden)]
enum Webhooks {
    Table,
    Id,
    Name,
    Url,
    Kind,
    Secret,
    Events,
    AllowPrivate,
    Active,
    CreatedAt,
}

#[derive(DeriveIden)]
enum MemberPreferences {
    Table,
    MemberId,
    Data,
    NextDigestAt,
}

#[derive(DeriveIden)]
enum CalendarFeeds {
    Table,
    MemberId,
    TokenHash,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Calendars::Table)
                .col(big_pk_auto(Calendars::Id))
                .col(string(Calendars::Name).unique_key())
                .col(text(Calendars::Spec))
                .col(timestamp_with_time_zone(Calendars::CreatedAt))
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Timers::Table)
                .col(big_pk_auto(Timers::Id))
                .col(string(Timers::Subject))
                .col(big_integer_null(Timers::ProblemId))
                .col(big_integer_null(Timers::PromiseId))
                .col(string(Timers::Clock))
                .col(string(Timers::Transition))
                .col(timestamp_with_time_zone(Timers::At))
                .col(timestamp_with_time_zone(Timers::DueAt))
                .col(timestamp_with_time_zone_null(Timers::FiredAt))
                .foreign_key(&mut fk(
                    Timers::Table,
                    Timers::ProblemId,
                    Problems::Table,
                    Problems::Id,
                ))
                .foreign_key(&mut fk(
                    Timers::Table,
                    Timers::PromiseId,
                    Promises::Table,
                    Promises::Id,
                ))
                .take(),
        )
        .await?;
        // A transition of one deadline fires once: a recomputation that finds the same
        // deadline again cannot add a second timer for it.
        m.create_index(
            index(
                "idx_timers_once",
                Timers::Table,
                [
                    Timers::Subject,
                    Timers::Clock,
                    Timers::Transition,
                    Timers::DueAt,
                ],
            )
            .unique()
            .take(),
        )
        .await?;
        // The scheduler's question, "what is due next", reads this index from its start.
        m.create_index(index(
            "idx_timers_pending",
            Timers::Table,
            [Timers::FiredAt, Timers::At, Timers::Id],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Outbox::Table)
                .col(big_pk_auto(Outbox::Id))
                .col(string(Outbox::Channel))
                .col(string(Outbox::Recipient))
                .col(big_integer_null(Outbox::ProblemId))
                .col(text(Outbox::Notice))
                .col(string(Outbox::Status))
                .col(integer(Outbox::Attempts))
                .col(timestamp_with_time_zone(Outbox::NextAttemptAt))
                .col(text_null(Outbox::LastError))
                .col(timestamp_with_time_zone(Outbox::CreatedAt))
                .col(timestamp_with_time_zone_null(Outbox::DeliveredAt))
                .foreign_key(&mut fk(
                    Outbox::Table,
                    Outbox::ProblemId,
                    Problems::Table,
                    Problems::Id,
                ))
                .take(),
        )
        .await?;
        m.create_index(index(
            "idx_outbox_due",
            Outbox::Table,
            [Outbox::Status, Outbox::NextAttemptAt, Outbox::Id],
        ))
        .await?;
        m.create_index(index(
            "idx_outbox_thread",
            Outbox::Table,
            [Outbox::ProblemId, Outbox::Recipient, Outbox::Id],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Webhooks::Table)
                .col(big_pk_auto(Webhooks::Id))
                .col(string(Webhooks::Name))
                .col(text(Webhooks::Url))
                .col(string(Webhooks::Kind))
                .col(string(Webhooks::Secret))
                .col(text(Webhooks::Events))
                .col(boolean(Webhooks::AllowPrivate))
                .col(boolean(Webhooks::Active))
                .col(timestamp_with_time_zone(Webhooks::CreatedAt))
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(MemberPreferences::Table)
                .col(big_integer(MemberPreferences::MemberId).primary_key())
                .col(text(MemberPreferences::Data))
                .col(timestamp_with_time_zone_null(
                    MemberPreferences::NextDigestAt,
                ))
                .foreign_key(&mut fk(
                    MemberPreferences::Table,
                    MemberPreferences::MemberId,
                    Members::Table,
                    Members::Id,
                ))
                .take(),
        )
        .await?;
        m.create_index(index(
            "idx_member_preferences_digest",
            MemberPreferences::Table,
            [MemberPreferences::NextDigestAt, MemberPreferences::MemberId],
        ))
        .await?;
        // Every member so far gets the defaults; their first digest is scheduled by the
        // scheduler's first pass (a null next_digest_at means "not yet scheduled").
        let defaults = serde_json::to_string(&DomainPreferences::default())
            .map_err(|e| DbErr::Custom(e.to_string()))?;
        m.exec_stmt(
            Query::insert()
                .into_table(MemberPreferences::Table)
                .columns([MemberPreferences::MemberId, MemberPreferences::Data])
                .select_from(
                    Query::select()
                        .column(Members::Id)
                        .expr(Expr::val(defaults))
                        .from(Members::Table)
                        .take(),
                )
                .map_err(|e| DbErr::Custom(e.to_string()))?
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(CalendarFeeds::Table)
                .col(big_integer(CalendarFeeds::MemberId).primary_key())
                .col(string(CalendarFeeds::TokenHash).unique_key())
                .col(timestamp_with_time_zone(CalendarFeeds::CreatedAt))
                .foreign_key(&mut fk(
                    CalendarFeeds::Table,
                    CalendarFeeds::MemberId,
                    Members::Table,
                    Members::Id,
                ))
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            CalendarFeeds::Table.into_iden(),
            MemberPreferences::Table.into_iden(),
            Webhooks::Table.into_iden(),
            Outbox::Table.into_iden(),
            Timers::Table.into_iden(),
            Calendars::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).take()).await?;
        }
        Ok(())
    }
}
