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
/// The longest the scheduler sleeps: other processes (and this one's web requests) may add
/// an earlier deadline while it sleeps.
const POLL: Duration = Duration::from_secs(5);
/// The pause after a database error, so a broken database is not hammered.
const AFTER_ERROR: Duration = Duration::from_secs(5);

/// Fires due deadlines until `stopping`: wakes at the earliest next one (or after [`POLL`]),
/// fires every transition due by then, and sleeps again. Several processes may run it against
/// one PostgreSQL database; each transition fires once. A tick under way when the signal
/// comes is finished (each of its transactions commits whole); the sleep is not.
pub async fn scheduler(store: Store, stopping: Stopping) {
    while !stopping.is_set() {
        let pause = match store.fire_due(clock::now(), BATCH).await {
            // A full batch: more may be due at once.
            Ok(fired) if fired as u64 >= BATCH => continue,
            Ok(fired) => {
                if fired > 0 {
                    tracing::info!(fired, "fired deadlines");
                }
                match store.next_wakeup().await {
                    Ok(Some(at)) => Duration::try_from(at.duration_since(clock::now()))
                        .unwrap_or(Duration::ZERO)
                        .min(POLL),
                    Ok(None) => POLL,
                    Err(e) => {
                        tracing::warn!(error = %e, "the scheduler cannot read the next deadline");
                        AFTER_ERROR
                    }
                }
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
