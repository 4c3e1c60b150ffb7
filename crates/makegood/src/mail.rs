//! Email in: `makegood mail ingest` (one message on stdin, for an MTA pipe) and the IMAP
//! polling loop of `serve` and `worker`. Both hand the raw message to the one parser.

use std::io::Read;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, anyhow, bail};
use makegood_domain::{Email, MemberId, ProblemNumber};
use makegood_notify::inbound::imap::ImapSource;
use makegood_notify::inbound::{IngestError, Limits, ingest};
use makegood_store::{Ingested, Store};
use url::Url;

use crate::cli::{ImapArgs, MailIngestArgs};
use crate::clock;

/// sysexits.h, which MTAs read: refuse the message for good, or ask to be tried later.
const EX_DATAERR: u8 = 65;
const EX_TEMPFAIL: u8 = 75;

/// An error that ends the process with a particular exit status.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct Exit {
    pub code: u8,
    pub message: String,
}

impl Exit {
    pub fn code(&self) -> ExitCode {
        ExitCode::from(self.code)
    }

    /// "Try again later".
    pub fn tempfail() -> ExitCode {
        ExitCode::from(EX_TEMPFAIL)
    }
}

/// How inbound mail is routed: the host of our Message-IDs and who owns what it opens.
pub struct Routing {
    pub host: String,
    pub triage_owner: Option<MemberId>,
}

impl Routing {
    /// The public URL's host and the triage owner named (the store's default is the first
    /// active admin).
    pub async fn of(
        store: &Store,
        public_url: &str,
        triage_owner: Option<&str>,
    ) -> anyhow::Result<Routing> {
        let url = Url::parse(public_url)
            .with_context(|| format!("the public URL {public_url} is not a URL"))?;
        let host = url
            .host_str()
            .ok_or_else(|| anyhow!("the public URL {public_url} has no host"))?
            .to_owned();
        let triage_owner = match triage_owner {
            Some(email) => {
                let email = Email::parse(email).map_err(|e| anyhow!("triage owner: email {e}"))?;
                let Some((member, _)) = store.member_credentials(&email).await? else {
                    bail!("triage owner: no member has the email {email}");
                };
                if !member.active || !member.role.may_own() {
                    bail!("triage owner: {} cannot own problems", member.name);
                }
                Some(member.id)
            }
            None => None,
        };
        Ok(Routing { host, triage_owner })
    }
}

/// One line on what became of a message.
pub fn describe(outcome: &Ingested) -> String {
    match outcome {
        Ingested::Threaded { inbound, problem } => {
            format!(
                "threaded onto {} (inbound {inbound})",
                ProblemNumber(problem.0)
            )
        }
        Ingested::Opened { inbound, problem } => {
            format!(
                "opened {} in triage (inbound {inbound})",
                ProblemNumber(problem.0)
            )
        }
        Ingested::Held { inbound, reason } => {
            format!("held for review: {reason} (inbound {inbound})")
        }
        Ingested::Duplicate { inbound } => format!("already recorded (inbound {inbound})"),
    }
}

/// `makegood mail ingest`: records the message on stdin. Exit 0 once it is recorded
/// (whatever its route), 65 when the message itself is refused, 75 when it could not be
/// recorded now (the MTA tries again later).
pub async fn ingest_stdin(store: &Store, args: MailIngestArgs) -> anyhow::Result<()> {
    let tempfail = |message: String| Exit {
        code: EX_TEMPFAIL,
        message,
    };
    // Read one byte past the limit, not the whole of an endless pipe: the parser then refuses
    // it as too large (EX_DATAERR), without the process holding all of it in memory.
    let limit = Limits::default().message_bytes;
    let mut raw = Vec::new();
    std::io::stdin()
        .take(u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1))
        .read_to_end(&mut raw)
        .map_err(|e| tempfail(format!("cannot read the message on standard input: {e}")))?;
    let routing = Routing::of(
        store,
        &args.inbound.public_url,
        args.inbound.triage_owner.as_deref(),
    )
    .await
    .map_err(|e| tempfail(format!("{e:#}")))?;
    match ingest(
        store,
        &raw,
        &routing.host,
        routing.triage_owner,
        clock::now(),
    )
    .await
    {
        Ok(outcome) => {
            println!("{}", describe(&outcome));
            Ok(())
        }
        Err(IngestError::Refused(e)) => Err(Exit {
            code: EX_DATAERR,
            message: format!("message refused: {e}"),
        }
        .into()),
        Err(e @ IngestError::Store(_)) => Err(tempfail(e.to_string()).into()),
    }
}

/// Starts polling when `args` names a mailbox.
pub async fn start_imap(
    store: &Store,
    public_url: &str,
    args: &ImapArgs,
) -> anyhow::Result<Option<tokio::task::JoinHandle<()>>> {
    let Some(url) = &args.imap_url else {
        return Ok(None);
    };
    let source = ImapSource::from_url(url).context("cannot use the IMAP mailbox")?;
    let routing = Routing::of(store, public_url, args.triage_owner.as_deref()).await?;
    tracing::info!("polling {source} every {} s", args.imap_interval);
    let every = Duration::from_secs(args.imap_interval);
    Ok(Some(tokio::spawn(poll_imap(
        store.clone(),
        source,
        routing,
        every,
    ))))
}

/// How many messages one poll takes.
const POLL_BATCH: usize = 100;

/// Polls `source` every `every` for ever, recording each message; a failed poll is logged
/// and tried again at the next tick.
pub async fn poll_imap(store: Store, source: ImapSource, routing: Routing, every: Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let polled = source
            .poll(POLL_BATCH, |raw| {
                let (store, routing, source) = (&store, &routing, &source);
                async move {
                    match ingest(store, &raw, &routing.host, routing.triage_owner, clock::now())
                        .await
                    {
                        Ok(outcome) => {
                            tracing::info!(source = %source, "inbound email {}", describe(&outcome));
                            Ok(())
                        }
                        // A refused message is dealt with: flagged seen, not fetched for ever.
                        Err(IngestError::Refused(e)) => {
                            tracing::warn!(source = %source, error = %e, "inbound email refused");
                            Ok(())
                        }
                        Err(e @ IngestError::Store(_)) => Err(e),
                    }
                }
            })
            .await;
        match polled {
            Ok(p) if p.kept + p.failed > 0 => {
                tracing::info!(kept = p.kept, failed = p.failed, "polled {source}");
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "cannot poll {source}"),
        }
    }
}
