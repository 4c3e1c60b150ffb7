//! `GET /metrics`: Prometheus text exposition (version 0.0.4) of request latencies, recorded
//! by a middleware around every route, and of gauges read from the store at scrape time.
//!
//! Served only to a request that carries `Authorization: Bearer <token>` when a token is
//! configured ([`MetricsAccess::Token`]), or by [`metrics_app`] on a separate listener;
//! anyone else gets the same 404 as for an address that does not exist.

use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use makegood_store::Gauges;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::state::AppState;

/// Upper bounds of the latency buckets, in seconds (Prometheus' defaults).
const BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// Who may read `/metrics` on the app's own address.
#[derive(Clone)]
pub enum MetricsAccess {
    /// Nobody: `/metrics` is a 404 (it may still be served by [`metrics_app`] elsewhere).
    Hidden,
    /// A request with `Authorization: Bearer` and this token.
    Token(String),
}

impl std::fmt::Debug for MetricsAccess {
    // Never the token itself.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MetricsAccess::Hidden => f.write_str("Hidden"),
            MetricsAccess::Token(_) => f.write_str("Token(***)"),
        }
    }
}

impl MetricsAccess {
    /// Whether `headers` carry the token, compared in constant time.
    fn allows(&self, headers: &HeaderMap) -> bool {
        let MetricsAccess::Token(token) = self else {
            return false;
        };
        let Some(given) = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
        else {
            return false;
        };
        // Hashing first makes the comparison independent of the lengths too.
        let given = Sha256::digest(given.trim().as_bytes());
        let expected = Sha256::digest(token.as_bytes());
        given.ct_eq(&expected).into()
    }
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: &'static str,
    /// The matched route template (`/problems/{problem}`), never the path with its ids.
    route: String,
    /// `2xx`, `4xx`, …
    status: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StatusLabel {
    status: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ClockLabels {
    subject: &'static str,
    state: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct FailureLabel {
    state: &'static str,
}

type Requests = Family<RequestLabels, Histogram, fn() -> Histogram>;

/// The metrics of one process: what the middleware records and what a scrape reads.
/// Cheap to clone; every clone records into the same registry.
#[derive(Clone)]
pub struct Metrics(Arc<Inner>);

struct Inner {
    registry: Registry,
    requests: Requests,
    problems: Family<StatusLabel, Gauge>,
    clocks: Family<ClockLabels, Gauge>,
    outbox: Family<StatusLabel, Gauge>,
    failures: Family<FailureLabel, Gauge>,
    scheduler_lag: Gauge<f64, std::sync::atomic::AtomicU64>,
    database_up: Gauge,
    /// One scrape at a time sets and encodes the gauges.
    scrape: tokio::sync::Mutex<()>,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

impl Metrics {
    /// An empty registry with makegood's metrics in it.
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("makegood");
        let requests: Requests = Family::new_with_constructor(|| Histogram::new(BUCKETS));
        registry.register(
            "http_request_duration_seconds",
            "Time from a request's arrival to its response head, by method, matched route and status class",
            requests.clone(),
        );
        let problems = Family::<StatusLabel, Gauge>::default();
        registry.register(
            "problems",
            "Problems not closed, by status",
            problems.clone(),
        );
        let clocks = Family::<ClockLabels, Gauge>::default();
        registry.register(
            "clocks",
            "Problems whose most urgent clock, and open promises, in warning or breached",
            clocks.clone(),
        );
        let outbox = Family::<StatusLabel, Gauge>::default();
        registry.register(
            "outbox_messages",
            "Messages not yet delivered, by status",
            outbox.clone(),
        );
        let failures = Family::<FailureLabel, Gauge>::default();
        registry.register(
            "delivery_failures",
            "Messages whose last attempt failed: still being retried, or given up",
            failures.clone(),
        );
        let scheduler_lag = Gauge::<f64, std::sync::atomic::AtomicU64>::default();
        registry.register(
            "scheduler_lag_seconds",
            "How long the oldest due timer has waited to fire (0 when none is overdue)",
            scheduler_lag.clone(),
        );
        let database_up = Gauge::default();
        registry.register(
            "database_up",
            "1 when the gauges above could be read from the database at this scrape, else 0",
            database_up.clone(),
        );
        Metrics(Arc::new(Inner {
            registry,
            requests,
            problems,
            clocks,
            outbox,
            failures,
            scheduler_lag,
            database_up,
            scrape: tokio::sync::Mutex::new(()),
        }))
    }

    fn observe(&self, method: &Method, route: String, status: StatusCode, seconds: f64) {
        let labels = RequestLabels {
            method: method_label(method),
            route,
            status: status_class(status),
        };
        self.0.requests.get_or_create(&labels).observe(seconds);
    }

    /// Sets the store's gauges from `gauges`, or clears them when the database could not be read.
    fn set(&self, gauges: Option<&Gauges>) {
        let inner = &self.0;
        inner.problems.clear();
        inner.clocks.clear();
        inner.outbox.clear();
        inner.failures.clear();
        let Some(g) = gauges else {
            inner.database_up.set(0);
            inner.scheduler_lag.set(0.0);
            return;
        };
        inner.database_up.set(1);
        for (status, n) in &g.problems {
            inner
                .problems
                .get_or_create(&StatusLabel {
                    status: status.as_str(),
                })
                .set(gauge(*n));
        }
        for (subject, state, n) in [
            ("problem", "warning", g.problem_clocks_warning),
            ("problem", "breached", g.problem_clocks_breached),
            ("promise", "warning", g.promise_clocks_warning),
            ("promise", "breached", g.promise_clocks_breached),
        ] {
            inner
                .clocks
                .get_or_create(&ClockLabels { subject, state })
                .set(gauge(n));
        }
        let mut failed = 0;
        for (status, n) in &g.outbox {
            let status = match status {
                makegood_store::DeliveryStatus::Pending => "pending",
                makegood_store::DeliveryStatus::Failed => {
                    failed = *n;
                    "failed"
                }
                makegood_store::DeliveryStatus::Delivered => "delivered",
            };
            inner
                .outbox
                .get_or_create(&StatusLabel { status })
                .set(gauge(*n));
        }
        for (state, n) in [("retrying", g.deliveries_retrying), ("failed", failed)] {
            inner
                .failures
                .get_or_create(&FailureLabel { state })
                .set(gauge(n));
        }
        inner
            .scheduler_lag
            .set(g.scheduler_lag.as_secs_f64().max(0.0));
    }

    /// Reads the gauges at `now` and encodes everything.
    async fn render(&self, state: &AppState) -> Response {
        let _one = self.0.scrape.lock().await;
        match state.store.gauges(state.now()).await {
            Ok(gauges) => self.set(Some(&gauges)),
            Err(e) => {
                tracing::error!(error = %e, "metrics: cannot read the gauges");
                self.set(None);
            }
        }
        let mut text = String::new();
        if let Err(e) =
            prometheus_client::encoding::prometheus_text::encode(&mut text, &self.0.registry)
        {
            tracing::error!(error = %e, "metrics: cannot encode");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
        (
            [(
                header::CONTENT_TYPE,
                prometheus_client::encoding::prometheus_text::CONTENT_TYPE,
            )],
            text,
        )
            .into_response()
    }
}

fn gauge(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// The method as a label: the standard ones by name, anything else as `other` (so a client
/// cannot mint label values).
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

fn status_class(status: StatusCode) -> &'static str {
    match status.as_u16() {
        100..=199 => "1xx",
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        _ => "5xx",
    }
}

/// The middleware: times each request under its matched route (`unmatched` for a 404 of
/// the fallback, so unknown paths never become labels).
pub(crate) async fn track(
    State(metrics): State<Metrics>,
    request: Request,
    next: Next,
) -> Response {
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let started = Instant::now();
    let response = next.run(request).await;
    metrics.observe(
        &method,
        route,
        response.status(),
        started.elapsed().as_secs_f64(),
    );
    response
}

/// `GET /metrics` on the app's address: the exposition for the token's bearer, else the
/// app's ordinary 404.
pub(crate) async fn metrics(State(state): State<AppState>, request: Request) -> Response {
    if !state.metrics_access.allows(request.headers()) {
        return crate::error::fallback(request.uri().clone()).await;
    }
    state.metrics.render(&state).await
}

/// `GET /metrics` without a token, and nothing else: for a listener on a separate address
/// (`serve --metrics-addr`) that only the monitoring network reaches.
pub fn metrics_app(
    store: makegood_store::Store,
    config: crate::Config,
    metrics: Metrics,
) -> Router {
    let state = AppState::new(store, config).with_metrics(metrics, MetricsAccess::Hidden);
    Router::new()
        .route(
            "/metrics",
            axum::routing::get(|State(state): State<AppState>| async move {
                state.metrics.render(&state).await
            }),
        )
        .fallback(crate::error::fallback)
        .with_state(state)
}
