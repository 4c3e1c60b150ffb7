//! The stylesheet and the comfort script, embedded in the binary and served from `/assets/`.

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

use crate::state::AppState;

/// Appended to asset URLs so a new release is never served from a stale cache.
pub const ASSET_VERSION: &str = env!("CARGO_PKG_VERSION");

/// One stylesheet, kept in a file per area of the app.
const CSS: &str = concat!(
    include_str!("../../assets/css/base.css"),
    include_str!("../../assets/css/today.css"),
    include_str!("../../assets/css/problems.css"),
    include_str!("../../assets/css/problem.css"),
    include_str!("../../assets/css/promises.css"),
    include_str!("../../assets/css/accounts.css"),
    include_str!("../../assets/css/settings.css"),
    include_str!("../../assets/css/playbooks.css"),
    include_str!("../../assets/css/followup.css"),
    include_str!("../../assets/css/signals.css"),
    include_str!("../../assets/css/portal.css"),
    include_str!("../../assets/css/reports.css"),
    include_str!("../../assets/css/health.css"),
);
const JS: &str = include_str!("../../assets/app.js");

/// A day: the version in the URL changes with every release.
const CACHE: &str = "public, max-age=86400";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/assets/app.css",
            get(|| async {
                (
                    [
                        (header::CONTENT_TYPE, "text/css; charset=utf-8"),
                        (header::CACHE_CONTROL, CACHE),
                    ],
                    CSS,
                )
                    .into_response()
            }),
        )
        .route(
            "/assets/app.js",
            get(|| async {
                (
                    [
                        (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
                        (header::CACHE_CONTROL, CACHE),
                    ],
                    JS,
                )
                    .into_response()
            }),
        )
}
