//! makegood's HTTP interfaces: the JSON API (with its OpenAPI document), pages and auth.

pub mod api;
pub mod auth;
mod error;
mod extract;
mod feed;
mod health;
mod idempotency;
pub mod limits;
mod metrics;
mod pages;
mod portal;
mod state;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, header};
use makegood_store::Store;
use tower_http::set_header::SetResponseHeaderLayer;

pub use auth::validate_password;
pub use error::{AppError, FieldError, ProblemDetails};
pub use limits::Limits;
pub use metrics::{Metrics, MetricsAccess, metrics_app};
use state::AppState;

/// Pages load only their own stylesheet and script, and are never framed.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Sent only when makegood is reached over TLS: a year, subdomains included.
const STRICT_TRANSPORT_SECURITY: &str = "max-age=31536000; includeSubDomains";

/// The clock the app reads "now" from: the system clock in the binary, a controllable one in tests.
pub type Now = Arc<dyn Fn() -> jiff::Timestamp + Send + Sync>;

/// How the app is served.
#[derive(Clone)]
pub struct Config {
    /// The URL people reach makegood at, e.g. `https://desk.example.com`; cookies are
    /// marked `Secure` when it starts with `https`.
    pub public_url: String,
    /// Where "now" comes from.
    pub now: Now,
}

/// The whole app: JSON API, OpenAPI document, pages and `/healthz`; `/metrics` is a 404.
pub fn app(store: Store, config: Config) -> Router {
    app_with_metrics(store, config, Metrics::new(), MetricsAccess::Hidden)
}

/// The whole app, recording request latencies into `metrics` and serving `/metrics` to
/// `access` (see [`MetricsAccess`]; [`metrics_app`] serves the same `metrics` elsewhere).
pub fn app_with_metrics(
    store: Store,
    config: Config,
    metrics: Metrics,
    access: MetricsAccess,
) -> Router {
    app_with_limits(store, config, metrics, access, Limits::default())
}

/// [`app_with_metrics`] refusing what `limits` says (bodies too large, requests too slow).
pub fn app_with_limits(
    store: Store,
    config: Config,
    metrics: Metrics,
    access: MetricsAccess,
    limits: Limits,
) -> Router {
    let tls = config.public_url.starts_with("https://");
    let state = AppState::new(store, config).with_metrics(metrics.clone(), access);
    let (api, doc) = api::split();
    let doc = Arc::new(doc);
    let router = Router::new()
        .merge(api)
        .merge(pages::router())
        .merge(portal::routes())
        .route("/healthz", axum::routing::get(health::healthz))
        .route("/metrics", axum::routing::get(metrics::metrics))
        .route("/calendar/{file}", axum::routing::get(feed::calendar_feed))
        .route(
            "/api/openapi.json",
            axum::routing::get(move || {
                let doc = Arc::clone(&doc);
                async move { axum::Json(doc.as_ref().clone()) }
            }),
        )
        .fallback(error::fallback)
        .method_not_allowed_fallback(error::method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            idempotency::layer,
        ))
        .layer(axum::middleware::from_fn(pages::clear_flash))
        .layer(DefaultBodyLimit::max(limits.body_bytes))
        // Outside everything that reads the body or writes: a request out of time is
        // dropped whole, and its transaction rolls back.
        .layer(axum::middleware::from_fn_with_state(limits, limits::guard))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        // Older browsers know framing only by this header; CSP's frame-ancestors says the same.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ));
    // Over plain HTTP the header would be ignored, and a mistaken public URL would pin
    // browsers to a TLS that is not there.
    let router = if tls {
        router.layer(SetResponseHeaderLayer::if_not_present(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(STRICT_TRANSPORT_SECURITY),
        ))
    } else {
        router
    };
    router
        // Spans name the path only: query strings can carry secrets (the setup token).
        .layer(tower_http::trace::TraceLayer::new_for_http().make_span_with(
            |request: &axum::http::Request<axum::body::Body>| {
                tracing::info_span!("request", method = %request.method(), path = %request.uri().path())
            },
        ))
        // Outermost: the time of everything above, under the route that matched.
        .layer(axum::middleware::from_fn_with_state(metrics, metrics::track))
        .with_state(state)
}

/// The OpenAPI 3.1 document of the JSON API, generated from the handlers.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api::split().1
}
