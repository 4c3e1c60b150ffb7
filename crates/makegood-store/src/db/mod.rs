//! SeaORM entities: one module per table, private to the store.

pub mod clock;
pub mod customer;
pub mod inbound;
pub mod parties;
pub mod people;
pub mod problems;
pub mod promises;
pub mod settings;

pub use clock::{calendar, calendar_feed, member_preference, outbox, timer, webhook};
pub use customer::{portal_link, portal_session, survey};
pub use inbound::{inbound_attachment, inbound_email};
pub use parties::{account, contact, vendor};
pub use people::{api_token, member, organisation, session};
pub use problems::{event, problem, problem_account, problem_stakeholder};
pub use promises::{promise, promise_contact};
pub use settings::{idempotency_key, policy};
