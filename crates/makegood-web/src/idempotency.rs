//! `Idempotency-Key` on API POSTs: the key is reserved before the handler runs, so of two
//! identical requests only one runs; a retry replays the first successful response, a
//! retry while the first still runs gets 409, and the same key with another request 422.

use axum::body::{Body, to_bytes};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use makegood_store::{Reservation, StoredResponse};
use sha2::{Digest, Sha256};

use crate::auth::CurrentMember;
use crate::error::AppError;
use crate::state::AppState;

/// The request header.
pub const IDEMPOTENCY_KEY: &str = "idempotency-key";
/// Set on a replayed response.
const REPLAYED: &str = "idempotent-replayed";
/// Largest body remembered or hashed.
const MAX_BODY: usize = 2 * 1024 * 1024;

/// The middleware; only acts on `POST /api/…` carrying the header.
pub async fn layer(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(key) = request.headers().get(IDEMPOTENCY_KEY).cloned() else {
        return next.run(request).await;
    };
    if request.method() != Method::POST || !request.uri().path().starts_with("/api/") {
        return next.run(request).await;
    }
    match run(state, key, request, next).await {
        Ok(response) => response,
        Err(e) => e.into_response(),
    }
}

async fn run(
    state: AppState,
    key: HeaderValue,
    request: Request,
    next: Next,
) -> Result<Response, AppError> {
    let key = key
        .to_str()
        .ok()
        .filter(|k| (1..=255).contains(&k.len()))
        .ok_or_else(|| {
            AppError::bad_request("Idempotency-Key must be 1 to 255 visible ASCII characters")
        })?
        .to_owned();
    let (mut parts, body) = request.into_parts();
    let Ok(me) = CurrentMember::from_request_parts(&mut parts, &state).await else {
        // Not signed in: the handler answers 401 as usual.
        return Ok(next.run(Request::from_parts(parts, body)).await);
    };
    let bytes = to_bytes(body, MAX_BODY).await.map_err(|_| {
        AppError::PayloadTooLarge(
            "the body is too large to retry safely (2 MiB at most with Idempotency-Key)".into(),
        )
    })?;
    let target = parts
        .uri
        .path_and_query()
        .map_or(parts.uri.path(), |p| p.as_str());
    let mut hasher = Sha256::new();
    hasher.update(format!("{}\n{target}\n", parts.method));
    hasher.update(&bytes);
    let request_hash = hex::encode(hasher.finalize());

    match state
        .store
        .reserve_idempotency_key(me.id(), &key, &request_hash, state.now())
        .await?
    {
        Reservation::Reserved => {}
        Reservation::Replay(stored) => return Ok(replay(&stored)),
        Reservation::InFlight => {
            return Err(AppError::Conflict(
                "a request with this Idempotency-Key is still being processed; retry in a moment"
                    .into(),
            ));
        }
        Reservation::Mismatch => {
            return Err(AppError::invalid(
                "Idempotency-Key",
                "was already used for a different request; use a new key for a new request",
            ));
        }
    }

    let response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    if !response.status().is_success() {
        // Only successes are remembered: a retry after a failure runs again.
        state.store.release_idempotency_key(me.id(), &key).await?;
        return Ok(response);
    }
    let (parts, body) = response.into_parts();
    let bytes = match to_bytes(body, MAX_BODY).await {
        Ok(bytes) => bytes,
        Err(e) => {
            state.store.release_idempotency_key(me.id(), &key).await?;
            return Err(AppError::Internal(anyhow::anyhow!(
                "buffering the response: {e}"
            )));
        }
    };
    let stored = StoredResponse {
        request_hash,
        status: parts.status.as_u16(),
        body: String::from_utf8_lossy(&bytes).into_owned(),
    };
    state
        .store
        .complete_idempotency_key(me.id(), &key, &stored)
        .await?;
    Ok(Response::from_parts(parts, Body::from(bytes)))
}

fn replay(stored: &StoredResponse) -> Response {
    let status = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK);
    let mut response = (status, stored.body.clone()).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert(REPLAYED, HeaderValue::from_static("true"));
    response
}
