//! `makegood worker`: the scheduler and the outbox delivery without the web app.

use makegood_store::Store;

use crate::cli::WorkerArgs;
use crate::serve::shutdown;
use crate::{background, clock};

pub async fn worker(store: Store, args: WorkerArgs) -> anyhow::Result<()> {
    let deliverer = background::deliverer(store.clone(), &args.public_url, &args.notify)?;
    let imap = crate::mail::start_imap(&store, &args.public_url, &args.imap).await?;
    let scheduler = tokio::spawn(background::scheduler(store));
    tracing::info!("worker running");
    // The delivery finishes the message in hand before stopping; the scheduler's transaction
    // in flight, if any, rolls back when its task is aborted.
    deliverer.run(clock::now, shutdown()).await;
    scheduler.abort();
    if let Some(imap) = imap {
        imap.abort();
    }
    Ok(())
}
