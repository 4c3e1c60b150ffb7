//! The state every handler shares: the store, the clock and how cookies are set.

use jiff::Timestamp;
use makegood_store::Store;

use crate::metrics::{Metrics, MetricsAccess};
use crate::{Config, Now};

/// Shared by all handlers; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    now: Now,
    /// Mark cookies `Secure` (served over TLS).
    pub secure_cookies: bool,
    /// Where people reach makegood, without a trailing slash: links in feeds start with it.
    pub public_url: String,
    /// Where request latencies are recorded and `/metrics` reads from.
    pub metrics: Metrics,
    /// Who may read `/metrics` on this address.
    pub metrics_access: MetricsAccess,
}

impl AppState {
    pub fn new(store: Store, config: Config) -> Self {
        let secure_cookies = config.public_url.starts_with("https");
        Self {
            store,
            now: config.now,
            secure_cookies,
            public_url: config.public_url.trim_end_matches('/').to_owned(),
            metrics: Metrics::new(),
            metrics_access: MetricsAccess::Hidden,
        }
    }

    /// The same state, recording into `metrics` and serving `/metrics` to `access`.
    pub fn with_metrics(mut self, metrics: Metrics, access: MetricsAccess) -> Self {
        self.metrics = metrics;
        self.metrics_access = access;
        self
    }

    /// The current time, from the configured clock.
    pub fn now(&self) -> Timestamp {
        (self.now)()
    }
}
