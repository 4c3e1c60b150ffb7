//! The delivery loop: claim due outbox messages, send each, mark it, and sleep until the next.
//!
//! Messages are sent one at a time and each is marked delivered (or failed) before the next is
//! sent, so a crash loses at most the mark of the one in flight: its lease runs out and it is
//! sent again (at least once; receivers dedupe by Message-ID or `Makegood-Event-Id`).
//!
//! Emails while no SMTP server is configured fail *retryably* ("no SMTP server configured"):
//! they wait with the usual backoff and go out once a server is set, or fail after
//! [`makegood_store::MAX_ATTEMPTS`] attempts (about 14 hours) and can be retried by hand.

use std::future::Future;
use std::time::Duration;

use jiff::Timestamp;
use makegood_domain::Notice;
use makegood_store::{Delivery, DeliveryStatus, Store, StoreError, WebhookKind};
use tracing::{debug, error, info, warn};

use crate::render::{render_email, render_webhook};
use crate::{Mailer, NotifyConfig, NotifyError, SendError, WebhookClient};

/// How many messages one round claims: at most ten transport timeouts (5 min) fit in the
/// claim's lease.
pub const BATCH: u64 = 10;
/// The error recorded on emails while no SMTP server is configured.
pub const NO_SMTP: &str = "no SMTP server configured (set --smtp-url)";
/// The longest sleep between rounds: messages enqueued meanwhile wait at most this long.
pub const MAX_WAIT: Duration = Duration::from_secs(5);
/// The shortest sleep between rounds, so a busy outbox never spins.
pub const MIN_WAIT: Duration = Duration::from_millis(200);
/// On shutdown, how long the message being sent may take to finish before it is handed back
/// to the outbox (to be sent, perhaps again, by the next process).
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);

/// Sends the outbox's due messages by email and webhook.
#[derive(Clone)]
pub struct Deliverer {
    store: Store,
    mailer: Option<Mailer>,
    http: WebhookClient,
    config: NotifyConfig,
}

impl Deliverer {
    /// A deliverer for `store`'s outbox; without a mailer, emails wait (see the module docs).
    pub fn new(
        store: Store,
        mailer: Option<Mailer>,
        config: NotifyConfig,
    ) -> Result<Deliverer, NotifyError> {
        Ok(Deliverer {
            store,
            mailer,
            http: WebhookClient::new()?,
            config,
        })
    }

    /// Claims up to [`BATCH`] messages due at `now` and sends them one by one, marking each
    /// before sending the next. Returns how many were attempted.
    pub async fn deliver_due(&self, now: Timestamp) -> Result<usize, NotifyError> {
        let never = std::pin::pin!(std::future::pending::<()>());
        self.round(now, &mut Stop::new(never)).await
    }

    /// A round of [`Deliverer::deliver_due`] that stops early once `stop` fires: the message
    /// being sent gets [`SHUTDOWN_GRACE`] to finish, and every message claimed but not sent is
    /// handed back (due again at once, its attempt not counted).
    async fn round<F: Future<Output = ()>>(
        &self,
        now: Timestamp,
        stop: &mut Stop<'_, F>,
    ) -> Result<usize, NotifyError> {
        let claimed = self.store.claim_deliveries(now, BATCH).await?;
        for (i, delivery) in claimed.iter().enumerate() {
            if stop.fired() {
                self.hand_back(&claimed[i..], now).await;
                return Ok(i);
            }
            let mut send = std::pin::pin!(self.send(delivery, now));
            let sent = tokio::select! {
                biased;
                sent = &mut send => Some(sent),
                () = stop.wait() => tokio::time::timeout(SHUTDOWN_GRACE, &mut send).await.ok(),
            };
            let Some(sent) = sent else {
                // Abandoned mid-send: it may have gone out, and may go again (at least once).
                self.hand_back(&claimed[i..], now).await;
                return Ok(i);
            };
            match sent {
                Ok(()) => {
                    self.store.mark_delivered(delivery.id, now).await?;
                    info!(
                        delivery = delivery.id,
                        recipient = %delivery.recipient,
                        attempt = delivery.attempts,
                        "delivered"
                    );
                }
                Err(e) => {
                    let status = self
                        .store
                        .mark_failed(delivery.id, &e.message, e.permanent, now)
                        .await?;
                    warn!(
                        delivery = delivery.id,
                        recipient = %delivery.recipient,
                        attempt = delivery.attempts,
                        permanent = e.permanent,
                        gave_up = status == DeliveryStatus::Failed,
                        error = %e.message,
                        "delivery failed"
                    );
                }
            }
        }
        Ok(claimed.len())
    }

    /// Gives claimed, unsent messages back to the outbox; if that fails, their lease runs out.
    async fn hand_back(&self, unsent: &[Delivery], now: Timestamp) {
        match self.store.release_deliveries(unsent, now).await {
            Ok(released) => info!(released, "handed unsent messages back to the outbox"),
            Err(e) => warn!(
                error = %e,
                unsent = unsent.len(),
                "cannot hand unsent messages back; they wait for their lease to run out"
            ),
        }
    }

    async fn send(&self, delivery: &Delivery, now: Timestamp) -> Result<(), SendError> {
        let notice = &delivery.notice;
        if let Notice::Event { webhook, .. } = notice {
            let hook = match self.store.webhook(*webhook).await {
                Ok(hook) => hook,
                Err(StoreError::NotFound { .. }) => {
                    return Err(SendError::permanent(format!(
                        "webhook {webhook} was deleted"
                    )));
                }
                Err(e) => {
                    return Err(SendError::retry(format!("reading webhook {webhook}: {e}")));
                }
            };
            if !hook.active {
                return Err(SendError::permanent(format!(
                    "webhook {webhook} is inactive"
                )));
            }
            let (url, kind, secret, allow_private) =
                (hook.url, hook.kind, hook.secret, hook.allow_private);
            let request = render_webhook(notice, kind, &secret, now, &self.config)
                .map_err(|e| SendError::permanent(e.to_string()))?;
            debug!(
                delivery = delivery.id,
                webhook,
                chat = kind == WebhookKind::Chat,
                "posting"
            );
            return self.http.post(&url, allow_private, &request).await;
        }
        let Some(mailer) = &self.mailer else {
            return Err(SendError::retry(NO_SMTP));
        };
        let message = render_email(notice, delivery.id, delivery.created_at, &self.config)
            .and_then(|email| email.to_message(now))
            .map_err(|e| SendError::permanent(e.to_string()))?;
        mailer.send(message).await
    }

    /// Delivers until `shutdown` completes: a round, then a sleep until the next message is
    /// due (at most [`MAX_WAIT`], at least [`MIN_WAIT`]). Once `shutdown` completes nothing
    /// more is claimed: the message being sent gets [`SHUTDOWN_GRACE`] to finish and the rest
    /// of the round is handed back to the outbox for any process to take at once. `now` is
    /// read at each round; sleeps use `tokio::time`.
    pub async fn run(self, now: impl Fn() -> Timestamp, shutdown: impl Future<Output = ()>) {
        let shutdown = std::pin::pin!(shutdown);
        let mut stop = Stop::new(shutdown);
        if let Some(mailer) = &self.mailer {
            info!(smtp = mailer.endpoint(), "delivering the outbox");
        } else {
            info!("delivering the outbox; emails wait: no SMTP server configured");
        }
        while !stop.fired() {
            if let Err(e) = self.round(now(), &mut stop).await {
                error!(error = %e, "outbox round failed");
            }
            if stop.fired() {
                break;
            }
            let wait = match self.store.next_delivery_at().await {
                Ok(next) => wait_for(next, now()),
                Err(e) => {
                    error!(error = %e, "reading the next delivery time failed");
                    MAX_WAIT
                }
            };
            tokio::select! {
                () = stop.wait() => break,
                () = tokio::time::sleep(wait) => {}
            }
        }
        info!("outbox delivery stopped");
    }
}

/// A shutdown signal that can be checked without waiting, and waited on more than once.
struct Stop<'a, F> {
    signal: std::pin::Pin<&'a mut F>,
    done: bool,
}

impl<'a, F: Future<Output = ()>> Stop<'a, F> {
    fn new(signal: std::pin::Pin<&'a mut F>) -> Self {
        Stop {
            signal,
            done: false,
        }
    }

    /// Whether the signal has come (polled once, without waiting).
    fn fired(&mut self) -> bool {
        if !self.done {
            let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
            self.done = self.signal.as_mut().poll(&mut cx).is_ready();
        }
        self.done
    }

    /// Resolves once the signal has come.
    async fn wait(&mut self) {
        if !self.done {
            self.signal.as_mut().await;
            self.done = true;
        }
    }
}

/// The sleep until `next` is due, within [`MIN_WAIT`]..=[`MAX_WAIT`]; the floor also keeps a
/// failing store or a message due again at once from spinning the loop.
fn wait_for(next: Option<Timestamp>, now: Timestamp) -> Duration {
    let until = next.map_or(MAX_WAIT, |next| {
        Duration::try_from(next.duration_since(now)).unwrap_or(Duration::ZERO)
    });
    until.clamp(MIN_WAIT, MAX_WAIT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sleep_is_until_the_next_message_within_bounds() {
        let now: Timestamp = "2026-11-24T13:00:00Z".parse().unwrap();
        let later = |s: i64| now + jiff::SignedDuration::from_secs(s);
        assert_eq!(wait_for(None, now), MAX_WAIT);
        assert_eq!(wait_for(Some(later(5)), now), Duration::from_secs(5));
        assert_eq!(wait_for(Some(later(3600)), now), MAX_WAIT);
        assert_eq!(wait_for(Some(later(-60)), now), MIN_WAIT);
        assert_eq!(wait_for(Some(now), now), MIN_WAIT);
    }
}
