//! SeaORM entities: one module per table, private to the store.

#[expect(dead_code, reason = "entities used as the scheduler and settings modules arrive")]
pub mod clock;
pub mod parties;
pub mod people;
pub mod problems;
pub mod promises;
pub mod settings;

#[expect(unused_imports, reason = "used as the scheduler and settings modules arrive")]
pub use clock::{calendar, calendar_feed, member_preference, outbox, timer, webhook};
pub use parties::{account, contact, vendor};
pub use people::{api_token, member, organisation, session};
pub use problems::{event, problem, problem_account, problem_stakeholder};
pub use promises::{promise, promise_contact};
pub use settings::{idempotency_key, policy};
