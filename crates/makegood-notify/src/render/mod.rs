//! What goes on the wire for a notice: email messages, signed webhook JSON, chat text. Pure.

mod account_red;
mod customer_wrote;
mod email;
mod followup;
mod portal_link;
mod templates;
mod time;
mod webhook;

pub use email::{RenderedEmail, message_id, render_email};
pub use followup::survey_link;
pub use time::{format_date, format_time};
pub use webhook::{
    EVENT_ID_HEADER, SIGNATURE_HEADER, WebhookRequest, chat_payload, event_payload, render_webhook,
    sign,
};

/// A notice that cannot be rendered: another attempt would fail the same way.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("not an email notice")]
    NotEmail,
    #[error("not a webhook notice")]
    NotWebhook,
    #[error("invalid address {0:?}")]
    Address(String),
    #[error("cannot build the message: {0}")]
    Message(String),
    #[error("cannot render the template: {0}")]
    Template(#[from] askama::Error),
    #[error("cannot encode the payload: {0}")]
    Json(#[from] serde_json::Error),
}
