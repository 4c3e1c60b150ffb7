//! The background work of `serve` and `worker`: the scheduler that fires deadlines, and the
//! delivery of the outbox.

use std::time::Duration;

use anyhow::Context;
use makegood_notify::{Deliverer, Mailer, NotifyConfig};
use makegood_store::Store;

use crate::cli::NotifyArgs;
use crate::clock;
use crate::serve::Stopping;

/// How many timers one scheduler transaction fires.
const BATCH: u64 = 100;
/// The longest between two full rounds (digests, surveys, report and health recounts run
/// then even when no deadline is due).
const POLL: Duration = Duration::from_secs(5);
/// How often a sleeping scheduler looks for a deadline earlier than the one it sleeps until:
/// a member may just have made one, in this process or another.
const LOOK: Duration = Duration::from_millis(200);
/// The pause after a database error, so a broken database is not hammered.
const AFTER_ERROR: Duration = Duration::from_secs(5);

/// Fires due deadlines until `stopping`: fires every transition due, then sleeps until the
/// next one (looking every [`LOOK`] for an earlier one, and at most [`POLL`]), and fires
/// again. Several processes may run it against one PostgreSQL database; each transition
/// fires once. A round under way when the signal comes is finished (each of its
/// transactions commits whole); the sleep is not.
pub async fn scheduler(store: Store, stopping: Stopping) {
    while !stopping.is_set() {
        let pause = match store.fire_due(clock::now(), BATCH).await {
            // A full batch: more may be due at once.
            Ok(fired) if fired as u64 >= BATCH => continue,
            Ok(fired) => {
                if fired > 0 {
                    tracing::info!(fired, "fired deadlines");
                }
                sleep_until_due(&store, &stopping).await
            }
            Err(e) => {
                tracing::warn!(error = %e, "the scheduler cannot fire deadlines");
                AFTER_ERROR
            }
        };
        tokio::select! {
            () = stopping.clone().wait() => break,
            () = tokio::time::sleep(pause) => {}
        }
    }
    tracing::debug!("the scheduler stopped");
}

/// Sleeps until the next deadline is due or [`POLL`] has passed, whichever is first, reading
/// the next deadline again every [`LOOK`]; returns the pause still to take (zero, or
/// [`AFTER_ERROR`] when the next deadline cannot be read).
async fn sleep_until_due(store: &Store, stopping: &Stopping) -> Duration {
    let round = tokio::time::Instant::now() + POLL;
    loop {
        let due = match store.next_wakeup().await {
            Ok(Some(at)) => {
                Duration::try_from(at.duration_since(clock::now())).unwrap_or(Duration::ZERO)
            }
            Ok(None) => POLL,
            Err(e) => {
                tracing::warn!(error = %e, "the scheduler cannot read the next deadline");
                return AFTER_ERROR;
            }
        };
        let left = round.saturating_duration_since(tokio::time::Instant::now());
        let pause = due.min(LOOK).min(left);
        if pause.is_zero() {
            return Duration::ZERO;
        }
        tokio::select! {
            () = stopping.clone().wait() => return Duration::ZERO,
            () = tokio::time::sleep(pause) => {}
        }
        if pause == due || pause == left {
            return Duration::ZERO;
        }
    }
}

/// The outbox's deliverer, configured from the command line: links point at `public_url`.
pub fn deliverer(store: Store, public_url: &str, args: &NotifyArgs) -> anyhow::Result<Deliverer> {
    let config = match &args.mail_from {
        Some(from) => NotifyConfig::new(public_url, from),
        None => NotifyConfig::with_default_sender(public_url),
    }
    .context("cannot configure outgoing messages")?;
    let mailer = args
        .smtp_url
        .as_deref()
        .map(Mailer::from_url)
        .transpose()
        .context("cannot use the SMTP server")?;
    Deliverer::new(store, mailer, config).context("cannot start the outbox delivery")
}
