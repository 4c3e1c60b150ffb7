//! The state every handler shares: the store, the clock and how cookies are set.

use jiff::Timestamp;
use makegood_store::Store;

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
}

impl AppState {
    pub fn new(store: Store, config: Config) -> Self {
        let secure_cookies = config.public_url.starts_with("https");
        Self {
            store,
            now: config.now,
            secure_cookies,
            public_url: config.public_url.trim_end_matches('/').to_owned(),
        }
    }

    /// The current time, from the configured clock.
    pub fn now(&self) -> Timestamp {
        (self.now)()
    }
}
