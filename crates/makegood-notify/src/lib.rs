//! makegood's outbound notifications: email over SMTP, HMAC-signed webhooks and chat webhooks,
//! delivered from the store's transactional outbox with retries and backoff.
//!
//! [`render`] turns a [`makegood_domain::Notice`] into what goes on the wire (pure);
//! [`smtp`] and [`webhook`] send it; [`Deliverer`] claims due messages, sends them one by one
//! and marks each delivered or failed before it sends the next.

mod config;
pub mod deliver;
mod error;
pub mod inbound;
pub mod render;
pub mod smtp;
pub mod webhook;

pub use config::NotifyConfig;
pub use deliver::Deliverer;
pub use error::{NotifyError, SendError};
pub use smtp::Mailer;
pub use webhook::{WebhookClient, is_private};
