//! Webhook bodies: signed JSON events, and one-line chat messages (Slack-compatible).

use hmac::{Hmac, Mac};
use jiff::Timestamp;
use makegood_domain::duty::ProblemRef;
use makegood_domain::{Event, Notice};
use makegood_store::WebhookKind;
use serde_json::{Value, json};
use sha2::Sha256;

use super::RenderError;
use crate::NotifyConfig;

/// `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
pub const SIGNATURE_HEADER: &str = "Makegood-Signature";
/// `evt_<event id>`: the same on every retry, for receivers to drop duplicates.
pub const EVENT_ID_HEADER: &str = "Makegood-Event-Id";

/// A webhook POST: its JSON body and headers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebhookRequest {
    pub body: Vec<u8>,
    pub headers: Vec<(&'static str, String)>,
}

/// The JSON event payload: `{id, type, created_at, problem, event}`.
pub fn event_payload(event: &Event, problem: Option<&ProblemRef>) -> Value {
    json!({
        "id": format!("evt_{}", event.id),
        "type": event.kind.name(),
        "created_at": event.at.to_string(),
        "problem": problem,
        "event": event,
    })
}

/// The signature header's value for `body` sent at `timestamp` (unix seconds).
pub fn sign(secret: &str, timestamp: i64, body: &[u8]) -> String {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!(
        "t={timestamp},v1={}",
        hex::encode(mac.finalize().into_bytes())
    )
}

/// Slack's three special characters, escaped so a title cannot forge a link or mention.
fn chat_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// `{"text": "MG-12 Title: update posted <link>"}`.
pub fn chat_payload(event: &Event, problem: Option<&ProblemRef>, config: &NotifyConfig) -> Value {
    let what = event.kind.name().replace('_', " ");
    let text = match problem {
        Some(p) => format!(
            "<{}|{}> {}: {what}",
            config.problem_link(p.id),
            p.number,
            chat_escape(&p.title)
        ),
        None => what,
    };
    json!({ "text": text })
}

/// The request for a `Notice::Event` to an endpoint of `kind`, signed with `secret` at `now`.
pub fn render_webhook(
    notice: &Notice,
    kind: WebhookKind,
    secret: &str,
    now: Timestamp,
    config: &NotifyConfig,
) -> Result<WebhookRequest, RenderError> {
    let Notice::Event { event, problem, .. } = notice else {
        return Err(RenderError::NotWebhook);
    };
    let content_type = ("Content-Type", "application/json".to_owned());
    match kind {
        WebhookKind::Json => {
            let body = serde_json::to_vec(&event_payload(event, problem.as_ref()))?;
            let signature = sign(secret, now.as_second(), &body);
            Ok(WebhookRequest {
                body,
                headers: vec![
                    content_type,
                    (SIGNATURE_HEADER, signature),
                    (EVENT_ID_HEADER, format!("evt_{}", event.id)),
                ],
            })
        }
        WebhookKind::Chat => Ok(WebhookRequest {
            body: serde_json::to_vec(&chat_payload(event, problem.as_ref(), config))?,
            headers: vec![content_type],
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_hmac_sha256_of_timestamp_dot_body() {
        // Reference value: python3 -c 'import hmac,hashlib;
        //   print(hmac.new(b"whsec", b"1700000000.{}", hashlib.sha256).hexdigest())'
        assert_eq!(
            sign("whsec", 1_700_000_000, b"{}"),
            "t=1700000000,v1=7d44587dddbaf4c7f70fef20f48cd594834ffea1641e3ac227b84408298738af"
        );
    }

    #[test]
    fn chat_text_escapes_slack_markup() {
        assert_eq!(chat_escape("<!here> & co"), "&lt;!here&gt; &amp; co");
    }
}
