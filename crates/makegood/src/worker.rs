//! `makegood worker`: the scheduler and the outbox delivery without the web app.

use makegood_store::Store;

use crate::background;
use crate::cli::WorkerArgs;
use crate::serve::shutdown;

pub async fn worker(store: Store, _args: WorkerArgs) -> anyhow::Result<()> {
    let scheduler = tokio::spawn(background::scheduler(store));
    tracing::info!("worker running");
    shutdown().await;
    scheduler.abort();
    Ok(())
}
