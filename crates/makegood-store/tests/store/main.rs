//! The store test suite, written once and run on SQLite and on PostgreSQL.
//!
//! Every test is declared with `store_test!` and becomes `<module>::<name>::sqlite` and
//! `<module>::<name>::postgres`, each on a fresh database: a temporary SQLite file, or a
//! PostgreSQL database created for the test on `MAKEGOOD_TEST_DATABASE_URL`
//! (default `postgres://postgres@127.0.0.1:5432/test`) and dropped afterwards.

#![expect(
    clippy::unwrap_used,
    reason = "fixtures and test bodies: a failed unwrap is a failed test"
)]

#[macro_use]
mod common;

mod audit;
mod calendars;
mod customer_signals;
mod duties;
mod failures;
mod followup;
mod health;
mod idempotency;
mod inbound;
mod inbound_review;
mod incidents;
mod invitations;
mod lists;
mod members;
mod notices;
mod outbox;
mod parties;
mod playbooks;
mod portal;
mod preferences;
mod preventions;
mod problems;
mod promises;
mod reliability;
mod remedies;
mod reports;
mod scheduler;
mod search;
mod setup;
mod timestamps;
mod transfer;
mod upgrade;
mod webhooks;
