//! Migration 10: incidents across many accounts — a problem may keep every contact of every
//! affected account informed (`all_stakeholders`), resolved when each update is sent.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::m0002_problems_and_promises::Problems;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Incidents {
    AllStakeholders,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Problems::Table)
                .add_column(boolean(Incidents::AllStakeholders).default(false))
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Problems::Table)
                .drop_column(Incidents::AllStakeholders)
                .take(),
        )
        .await
    }
}
