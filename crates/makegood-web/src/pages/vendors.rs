//! `/vendors` and `/vendors/{id}`: the vendors with how reliably they keep their promises to
//! us, and one vendor's problems and promises.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use makegood_domain::{Action, VendorId};
use makegood_store::{PageRequest, VendorProblem, VendorReliability};

use super::{Chrome, PageError, SignedIn, When, render};
use crate::extract::Path;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/vendors", get(list_vendors))
        .route("/vendors/{id}", get(vendor))
}

/// A vendor's record in words.
pub struct RecordRow {
    pub kept: u64,
    pub renegotiated: u64,
    pub broken: u64,
    pub open: u64,
    /// Kept on time, e.g. `66.7%`; `—` when nothing was decided yet.
    pub kept_rate: String,
}

impl RecordRow {
    fn of(r: Option<&VendorReliability>) -> Self {
        let record = r.map(|r| r.record).unwrap_or_default();
        Self {
            kept: record.kept,
            renegotiated: record.renegotiated,
            broken: record.broken,
            open: record.open,
            kept_rate: record
                .kept_rate()
                .map_or_else(|| "—".to_owned(), |x| x.to_string()),
        }
    }
}

/// One vendor of the list.
pub struct VendorRow {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub record: RecordRow,
}

#[derive(Template)]
#[template(path = "vendors.html")]
struct VendorsPage {
    chrome: Chrome,
    vendors: Vec<VendorRow>,
}

/// `GET /vendors`.
async fn list_vendors(
    State(state): State<AppState>,
    user: SignedIn,
) -> Result<Response, PageError> {
    user.require(Action::Read, None)?;
    let all = PageRequest {
        cursor: None,
        limit: Some(200),
    };
    let vendors = state.store.list_vendors(&all).await?.items;
    let records = state.store.vendor_reliability(None, state.now()).await?;
    let rows = vendors
        .into_iter()
        .map(|v| VendorRow {
            id: v.id.0,
            record: RecordRow::of(records.iter().find(|r| r.vendor == v.id)),
            email: v.email.map(|e| e.to_string()).unwrap_or_default(),
            name: v.name,
        })
        .collect();
    let page = VendorsPage {
        chrome: user.chrome("vendors"),
        vendors: rows,
    };
    Ok(render(StatusCode::OK, &page))
}

/// One promise of the vendor.
pub struct PromiseRow {
    pub what: String,
    pub number: String,
    pub state: &'static str,
    pub due: When,
}

#[derive(Template)]
#[template(path = "vendor.html")]
struct VendorPage {
    chrome: Chrome,
    name: String,
    email: String,
    record: RecordRow,
    problems: Vec<VendorProblem>,
    promises: Vec<PromiseRow>,
}

/// `GET /vendors/{id}`.
async fn vendor(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    user.require(Action::Read, None)?;
    let now = state.now();
    let v = state.store.vendor(VendorId(id)).await?;
    let records = state.store.vendor_reliability(Some(v.id), now).await?;
    let problems = state.store.vendor_problems(v.id).await?;
    let promises = state
        .store
        .vendor_promises_of(v.id, now)
        .await?
        .into_iter()
        .map(|p| PromiseRow {
            what: p.vendor_promise.what,
            number: p.problem_number.to_string(),
            state: p.state.as_str(),
            due: When::new(p.vendor_promise.due_at, &user.zone, now),
        })
        .collect();
    let page = VendorPage {
        chrome: user.chrome("vendors"),
        email: v.email.map(|e| e.to_string()).unwrap_or_default(),
        name: v.name,
        record: RecordRow::of(records.first()),
        problems,
        promises,
    };
    Ok(render(StatusCode::OK, &page))
}
