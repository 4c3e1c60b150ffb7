//! `makegood serve`: the web app and the API, with the scheduler and the outbox delivery.

use std::sync::Arc;

use anyhow::Context;
use makegood_store::Store;
use makegood_web::{Config, Metrics, MetricsAccess};
use tokio::net::TcpListener;

use crate::cli::ServeArgs;
use crate::{background, clock};

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

    let deliverer = background::deliverer(store.clone(), &public_url, &args.notify)?;
    let scheduler = tokio::spawn(background::scheduler(store.clone()));
    let imap = crate::mail::start_imap(&store, &public_url, &args.imap).await?;
    let (stop_delivery, stopped) = tokio::sync::oneshot::channel::<()>();
    let delivery = tokio::spawn(deliverer.run(clock::now, async {
        let _ = stopped.await;
    }));
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
            Some(tokio::spawn(async move {
                if let Err(e) = axum::serve(listener, app)
                    .with_graceful_shutdown(shutdown())
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
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown())
        .await
        .context("the server stopped")?;
    // Aborting drops any transaction in flight, which rolls back: nothing half-done remains.
    scheduler.abort();
    if let Some(metrics_server) = metrics_server {
        metrics_server.abort();
    }
    // A message being recorded rolls back and stays unseen, to be fetched again.
    if let Some(imap) = imap {
        imap.abort();
    }
    // The delivery finishes the message in hand, so nothing is sent without being marked.
    let _ = stop_delivery.send(());
    let _ = delivery.await;
    tracing::info!("stopped");
    Ok(())
}

/// Resolves on ctrl-c or SIGTERM.
pub(crate) async fn shutdown() {
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
