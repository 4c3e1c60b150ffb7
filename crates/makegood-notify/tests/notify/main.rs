//! makegood-notify's integration tests: rendering snapshots, and delivery to real SMTP and
//! HTTP peers (Python processes on loopback, started by the tests).

#![expect(
    clippy::unwrap_used,
    reason = "a test helper that cannot do its job should fail the test loudly"
)]

mod account_red;
mod common;
mod customer_wrote;
mod email;
mod followup;
mod imap;
mod inbound;
mod portal_link;
mod render;
mod restart;
mod webhook;
