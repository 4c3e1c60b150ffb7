//! Migration 16: the audit trail (sign-ins, token use, permission changes) and the sign-in
//! throttle that backs off repeated failures.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::m0001_people_and_parties::Members;
use super::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Append-only: what happened, when, by whom, to whom.
#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    Id,
    At,
    /// Who did it; `None` for an anonymous caller (a failed sign-in) or the system.
    ActorId,
    Kind,
    /// The member it concerns, when it concerns one.
    MemberId,
    /// What it concerns, in words: an email, `token 3`, `policies`.
    Subject,
    /// JSON object with the particulars (old and new role, token name…).
    Detail,
    ClientIp,
}

/// Failed sign-ins per key (`email:…`), and how long further attempts are refused.
#[derive(DeriveIden)]
enum LoginThrottle {
    Table,
    Key,
    Failures,
    LastFailureAt,
    LockedUntil,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(AuditEvents::Table)
                .col(big_pk_auto(AuditEvents::Id))
                .col(timestamp_with_time_zone(AuditEvents::At))
                .col(big_integer_null(AuditEvents::ActorId))
                .col(string(AuditEvents::Kind))
                .col(big_integer_null(AuditEvents::MemberId))
                .col(text(AuditEvents::Subject))
                .col(text(AuditEvents::Detail))
                .col(string_null(AuditEvents::ClientIp))
                .foreign_key(&mut fk(
                    AuditEvents::Table,
                    AuditEvents::ActorId,
                    Members::Table,
                    Members::Id,
                ))
                .foreign_key(&mut fk(
                    AuditEvents::Table,
                    AuditEvents::MemberId,
                    Members::Table,
                    Members::Id,
                ))
                .take(),
        )
        .await?;
        m.create_index(index(
            "idx_audit_events_at",
            AuditEvents::Table,
            [AuditEvents::At, AuditEvents::Id],
        ))
        .await?;
        m.create_index(index(
            "idx_audit_events_kind",
            AuditEvents::Table,
            [AuditEvents::Kind, AuditEvents::At, AuditEvents::Id],
        ))
        .await?;
        m.create_index(index(
            "idx_audit_events_actor",
            AuditEvents::Table,
            [AuditEvents::ActorId, AuditEvents::At],
        ))
        .await?;
        m.create_index(index(
            "idx_audit_events_member",
            AuditEvents::Table,
            [AuditEvents::MemberId, AuditEvents::At],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(LoginThrottle::Table)
                .col(string(LoginThrottle::Key).primary_key())
                .col(integer(LoginThrottle::Failures))
                .col(timestamp_with_time_zone(LoginThrottle::LastFailureAt))
                .col(timestamp_with_time_zone_null(LoginThrottle::LockedUntil))
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            LoginThrottle::Table.into_iden(),
            AuditEvents::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
