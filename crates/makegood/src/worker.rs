//! `makegood worker`: the scheduler and the outbox delivery without the web app.

use makegood_store::Store;

use crate::cli::WorkerArgs;
use crate::serve::Stopping;
use crate::{background, clock};

pub async fn worker(store: Store, args: WorkerArgs) -> anyhow::Result<()> {
    let deliverer = background::deliverer(store.clone(), &args.public_url, &args.notify)?;
    let imap = crate::mail::start_imap(&store, &args.public_url, &args.imap).await?;
    let stopping = Stopping::listen();
    let scheduler = tokio::spawn(background::scheduler(store, stopping.clone()));
    tracing::info!("worker running");
    // On the signal the delivery claims nothing more and hands back what it claimed but did
    // not send; the scheduler finishes its tick (each transaction commits or rolls back whole).
    deliverer.run(clock::now, stopping.wait()).await;
    if let Some(imap) = imap {
        imap.abort();
    }
    let _ = scheduler.await;
    tracing::info!("stopped");
    Ok(())
}
