//! Versioned schema migrations, embedded in the binary and run by [`crate::Store::migrate`].
//!
//! A migration, once released, never changes; a change of schema is a new migration.

mod m0001_people_and_parties;
mod m0002_problems_and_promises;
mod m0003_settings;
mod m0004_clock_and_outbox;
mod m0005_search;
mod m0006_invitations;
mod m0007_remedies;
mod m0008_prevention;
mod m0009_playbooks;
mod m0010_incidents;
mod m0011_inbound;
mod m0012_customer;
mod m0013_reports;
mod m0014_failures_and_health;
mod m0015_token_scopes;
mod m0016_audit;

use sea_orm_migration::prelude::*;

/// Every migration, oldest first.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m0001_people_and_parties::Migration),
            Box::new(m0002_problems_and_promises::Migration),
            Box::new(m0003_settings::Migration),
            Box::new(m0004_clock_and_outbox::Migration),
            Box::new(m0005_search::Migration),
            Box::new(m0006_invitations::Migration),
            Box::new(m0007_remedies::Migration),
            Box::new(m0008_prevention::Migration),
            Box::new(m0009_playbooks::Migration),
            Box::new(m0010_incidents::Migration),
            Box::new(m0011_inbound::Migration),
            Box::new(m0012_customer::Migration),
            Box::new(m0013_reports::Migration),
            Box::new(m0014_failures_and_health::Migration),
            Box::new(m0015_token_scopes::Migration),
            Box::new(m0016_audit::Migration),
        ]
    }
}

/// A foreign key `table.column → target.id`.
fn fk(
    table: impl IntoIden + 'static,
    column: impl IntoIden + 'static,
    target: impl IntoIden + 'static,
    target_id: impl IntoIden + 'static,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, column)
        .to(target, target_id)
        .take()
}

/// An index named `name` on `table(columns…)`.
fn index<T, C>(name: &str, table: T, columns: impl IntoIterator<Item = C>) -> IndexCreateStatement
where
    T: IntoIden + 'static,
    C: IntoIndexColumn,
{
    let mut index = Index::create();
    index.name(name).table(table).if_not_exists();
    for column in columns {
        index.col(column);
    }
    index
}
