//! `makegood serve`: the web app and the API, with the scheduler and the outbox delivery.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use makegood_store::Store;
use makegood_web::{Config, Metrics, MetricsAccess};
use tokio::net::TcpListener;

use crate::cli::ServeArgs;
use crate::{background, clock};

/// After ctrl-c or SIGTERM, how long requests in flight have to finish before the server
/// stops anyway (an unfinished request's transaction rolls back).
const DRAIN: Duration = Duration::from_secs(30);

pub async fn serve(store: Store, args: ServeArgs) -> anyhow::Result<()> {
    let listener = TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    let addr = listener.local_addr()?;
    let public_url = args
        .public_url
        .unwrap_or_else(|| format!("http://{addr}"))
        .trim_end_matches('/')
        .to_owned();

    // Printed on stdout, so scripts and tests can find the port when it was 0.
    println!("makegood listening on http://{addr}");
    if store.organisation().await?.is_none() {
        let token = makegood_web::auth::issue_setup_token(&store, clock::now()).await?;
        println!("No organisation yet. Create the first admin here (the link works once):");
        println!("  {public_url}/setup?token={token}");
    }

    let stopping = Stopping::listen();
    let deliverer = background::deliverer(store.clone(), &public_url, &args.notify)?;
    let scheduler = tokio::spawn(background::scheduler(store.clone(), stopping.clone()));
    let imap = crate::mail::start_imap(&store, &public_url, &args.imap).await?;
    let delivery = tokio::spawn(deliverer.run(clock::now, stopping.clone().wait()));
    let config = Config {
        public_url,
        now: Arc::new(clock::now),
    };
    let metrics = Metrics::new();
    let access = match args.metrics.metrics_token.filter(|t| !t.trim().is_empty()) {
        Some(token) => MetricsAccess::Token(token.trim().to_owned()),
        None => MetricsAccess::Hidden,
    };
    let metrics_server = match args.metrics.metrics_addr {
        Some(addr) => {
            let listener = TcpListener::bind(addr)
                .await
                .with_context(|| format!("cannot listen for metrics on {addr}"))?;
            tracing::info!(address = %listener.local_addr()?, "serving /metrics");
            let app = makegood_web::metrics_app(store.clone(), config.clone(), metrics.clone());
            let stopping = stopping.clone();
            Some(tokio::spawn(async move {
                if let Err(e) = axum::serve(listener, app)
                    .with_graceful_shutdown(stopping.wait())
                    .await
                {
                    tracing::warn!(error = %e, "the metrics listener stopped");
                }
            }))
        }
        None => None,
    };
    let app = makegood_web::app_with_metrics(store, config, metrics, access);
    // With each connection's peer address, for the audit trail.
    let app = app.into_make_service_with_connect_info::<std::net::SocketAddr>();
    // On the signal the listener closes and requests in flight finish (within DRAIN).
    let server = axum::serve(listener, app)
        .with_graceful_shutdown(stopping.clone().wait())
        .into_future();
    let drained = async {
        stopping.clone().wait().await;
        tokio::time::sleep(DRAIN).await;
    };
    tokio::select! {
        served = server => served.context("the server stopped")?,
        () = drained => tracing::warn!(
            seconds = DRAIN.as_secs(),
            "requests still in flight after the drain time were cut off; their writes rolled back"
        ),
    }
    if let Some(metrics_server) = metrics_server {
        metrics_server.abort();
    }
    // A message being recorded rolls back and stays unseen, to be fetched again.
    if let Some(imap) = imap {
        imap.abort();
    }
    // The delivery claims nothing more and hands back what it claimed but did not send; the
    // scheduler finishes its tick, whose transactions each commit or roll back whole.
    let _ = delivery.await;
    let _ = scheduler.await;
    tracing::info!("stopped");
    Ok(())
}

/// The shutdown signal (ctrl-c or SIGTERM), heard once and shared by every part of the process.
#[derive(Clone)]
pub(crate) struct Stopping(tokio::sync::watch::Receiver<bool>);

impl Stopping {
    /// Starts listening for the signal.
    pub(crate) fn listen() -> Stopping {
        let (tx, rx) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            shutdown().await;
            let _ = tx.send(true);
        });
        Stopping(rx)
    }

    /// Whether the signal has come.
    pub(crate) fn is_set(&self) -> bool {
        *self.0.borrow()
    }

    /// Resolves once the signal has come.
    pub(crate) async fn wait(mut self) {
        // An error means the listener is gone, which it never is before the signal.
        let _ = self.0.wait_for(|stop| *stop).await;
    }
}

/// Resolves on ctrl-c or SIGTERM.
async fn shutdown() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::warn!(error = %e, "cannot listen for ctrl-c");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down");
}
