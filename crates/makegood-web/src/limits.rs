//! Request limits: how large a body may be and how long a request may take, each refusal
//! answered as problem+json under `/api` and as a readable page elsewhere.

use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::{AppError, PROBLEM_JSON};
use crate::pages::PageError;

/// A JSON or form body larger than this is refused with 413 (inbound email, read by its own
/// endpoint, has its own limit: `makegood_notify::inbound::Limits`).
pub const BODY_BYTES: usize = 1024 * 1024;

/// A request still unanswered after this long is abandoned with 503; whatever it was
/// writing rolls back.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// What the app refuses; [`Limits::default`] is what `makegood serve` uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// The largest JSON or form body, in bytes.
    pub body_bytes: usize,
    /// How long one request may take, body reading included.
    pub request_timeout: Duration,
}

impl Default for Limits {
    /// 1 MiB bodies, 30 s per request.
    fn default() -> Self {
        Self {
            body_bytes: BODY_BYTES,
            request_timeout: REQUEST_TIMEOUT,
        }
    }
}

/// Abandons a request that runs past the timeout, and turns the bare 413 of axum's body
/// extractors (forms, raw bodies) into problem+json or a page.
pub async fn guard(State(limits): State<Limits>, mut request: Request, next: Next) -> Response {
    let api = request.uri().path().starts_with("/api");
    // The extractors word their own refusals with it.
    request.extensions_mut().insert(limits);
    let Ok(response) = tokio::time::timeout(limits.request_timeout, next.run(request)).await else {
        tracing::warn!(
            timeout_ms = limits.request_timeout.as_millis(),
            "a request ran out of time"
        );
        let seconds = limits.request_timeout.as_secs_f64();
        return if api {
            AppError::Unavailable(format!(
                "the request took longer than {seconds} s and was abandoned; nothing it started \
                 was kept; try again in a moment"
            ))
            .into_response()
        } else {
            PageError::Unavailable(format!(
                "This took longer than {seconds} seconds, so it was stopped and nothing was saved"
            ))
            .into_response()
        };
    };
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE && !is_explained(&response) {
        return too_large(api, limits.body_bytes);
    }
    response
}

/// Whether a response already says what went wrong in the app's own words.
fn is_explained(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with(PROBLEM_JSON) || v.starts_with("text/html"))
}

/// The API's 413 for a body over `limit` bytes.
pub(crate) fn too_large_error(limit: usize) -> AppError {
    AppError::PayloadTooLarge(format!(
        "the body is larger than {} ({limit} bytes), the most this API reads; send less",
        describe_bytes(limit)
    ))
}

/// The 413 for a body over `limit` bytes.
fn too_large(api: bool, limit: usize) -> Response {
    let size = describe_bytes(limit);
    if api {
        too_large_error(limit).into_response()
    } else {
        PageError::TooLarge(format!(
            "What you sent is larger than {size}, the most a form may send"
        ))
        .into_response()
    }
}

/// `1 MiB`, `512 KiB`, `300 bytes`.
fn describe_bytes(bytes: usize) -> String {
    const KIB: usize = 1024;
    const MIB: usize = 1024 * 1024;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= KIB && bytes.is_multiple_of(KIB) {
        format!("{} KiB", bytes / KIB)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_say_them() {
        assert_eq!(describe_bytes(BODY_BYTES), "1 MiB");
        assert_eq!(describe_bytes(2048), "2 KiB");
        assert_eq!(describe_bytes(1500), "1500 bytes");
    }
}
