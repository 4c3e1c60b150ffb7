//! `ClientIp`: the address a request came from, for the audit trail.
//!
//! It is the peer address of the connection (`makegood serve` records it). Forwarded-for
//! headers are not read: anyone can send them, so behind a reverse proxy every request
//! carries the proxy's address.

use std::convert::Infallible;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;

/// The client's address as text, when the server knows it.
#[derive(Clone, Debug, Default)]
pub struct ClientIp(pub Option<String>);

impl ClientIp {
    /// The address of the request in `parts`.
    pub fn of(parts: &Parts) -> Self {
        ClientIp(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(addr)| addr.ip().to_string()),
        )
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        Ok(Self::of(parts))
    }
}
