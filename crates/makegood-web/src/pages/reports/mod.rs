//! `GET /reports`: whether the team keeps its promises and recovers its customers — each
//! section a headline in words, its figures, a chart drawn on the server and its CSV — and
//! `GET /reports/{table}.csv`, the same filter's tables as files. Every member may read them.

pub(crate) mod charts;
pub(crate) mod filter;
pub(crate) mod story;
pub(crate) mod tables;
pub(crate) mod view;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use makegood_domain::report::{Report, ReportFilter};
use makegood_domain::{Action, Origin, Severity};
use makegood_store::{PageRequest, StoreError};

use self::filter::{AccountBy, Checked, ReportsQuery, api_name};
use self::tables::Table;
use self::view::Section;
use super::{Chrome, FieldErrors, PageError, SignedIn, render};
use crate::error::{AppError, FieldError};
use crate::state::AppState;

/// The filter form's fields, in order (errors about anything else go in a banner).
const FIELDS: [&str; 6] = ["from", "to", "member", "account", "severity", "origin"];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/reports", get(show_reports))
        .route("/reports/{file}", get(download_table))
}

/// One `<option>`.
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "reports.html")]
struct ReportsPage {
    chrome: Chrome,
    query: ReportsQuery,
    /// The months shown in the form: the checked period, or what was typed if unreadable.
    from: String,
    to: String,
    errors: FieldErrors,
    banner: Vec<String>,
    members: Vec<Choice>,
    severities: Vec<Choice>,
    origins: Vec<Choice>,
    /// "Jan 2026 to Dec 2026".
    period: String,
    /// What else narrows the report, in words.
    narrowed: Vec<String>,
    sections: Vec<Section>,
    /// When the figures were read, in the member's zone.
    as_of: String,
    /// The same report as JSON.
    json_href: String,
}

/// Reads the report `filter` asks for; a filter the store refuses is a field's fault.
pub(crate) async fn read_report(
    state: &AppState,
    filter: &ReportFilter,
) -> Result<Report, Result<Vec<FieldError>, AppError>> {
    match state.store.report(filter, state.now()).await {
        Ok(report) => Ok(report),
        Err(StoreError::Invalid { field, message }) => {
            Err(Ok(vec![FieldError::new(field, message)]))
        }
        Err(e) => Err(Err(e.into())),
    }
}

/// The checked filter of `query`, its default end this month in the reporting time zone.
pub(crate) async fn check(
    state: &AppState,
    query: &ReportsQuery,
    account_by: AccountBy,
) -> Result<Result<Checked, Vec<FieldError>>, AppError> {
    let this_month = state.store.report_month(state.now()).await?;
    Ok(query.check(state, this_month, account_by).await)
}

async fn show_reports(
    State(state): State<AppState>,
    user: SignedIn,
    Query(query): Query<ReportsQuery>,
) -> Result<Response, PageError> {
    user.require(Action::Read, None)?;
    let (checked, mut errors) = match check(&state, &query, AccountBy::Name).await? {
        Ok(checked) => (Some(checked), Vec::new()),
        Err(errors) => (None, errors),
    };
    let mut report = None;
    if let Some(c) = &checked {
        match read_report(&state, &c.filter).await {
            Ok(r) => report = Some(r),
            Err(Ok(refused)) => errors.extend(refused),
            Err(Err(e)) => return Err(e.into()),
        }
    }
    let errors = FieldErrors::from(errors);
    let query_string = query.query_string();
    let sections = report
        .as_ref()
        .map(|r| view::sections(r, &query_string))
        .unwrap_or_default();
    let shown = |field: &str, typed: &str, checked: Option<String>| {
        if errors.get(field).is_some() {
            typed.trim().to_owned()
        } else {
            checked.unwrap_or_else(|| typed.trim().to_owned())
        }
    };
    let filter = report.as_ref().map(|r| &r.filter);
    let mut narrowed = Vec::new();
    if let Some(c) = &checked {
        if let Some(name) = &c.member_name {
            narrowed.push(format!("the work of {name}"));
        }
        if let Some(name) = &c.account_name {
            narrowed.push(format!("the account {name}"));
        }
        if let Some(s) = c.filter.severity {
            narrowed.push(format!("{} problems", api_name(&s)));
        }
        if let Some(o) = c.filter.origin {
            narrowed.push(format!(
                "problems of origin “{}”",
                view::origin_label(o).to_lowercase()
            ));
        }
    }
    let page = ReportsPage {
        chrome: user.chrome("reports"),
        from: shown("from", &query.from, filter.map(|f| f.from.to_string())),
        to: shown("to", &query.to, filter.map(|f| f.to.to_string())),
        banner: errors.others(&FIELDS),
        members: member_choices(&state, &query.member).await?,
        severities: choices(&Severity::ALL, &query.severity),
        origins: choices(
            &[
                Origin::Ours,
                Origin::Customer,
                Origin::Vendor,
                Origin::Unknown,
            ],
            &query.origin,
        ),
        period: filter.map_or_else(String::new, |f| {
            format!(
                "{} to {}",
                charts::month_label(f.from),
                charts::month_label(f.to)
            )
        }),
        narrowed,
        sections,
        as_of: state
            .now()
            .to_zoned(user.zone.clone())
            .strftime("%a %-d %b %Y %H:%M %Z")
            .to_string(),
        json_href: if query_string.is_empty() {
            "/api/v1/reports".to_owned()
        } else {
            format!("/api/v1/reports?{}", api_query(&query, checked.as_ref()))
        },
        errors,
        query,
    };
    let status = if page.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render(status, &page))
}

/// The API's query string for the page's filter: the account by id, not by name.
fn api_query(query: &ReportsQuery, checked: Option<&Checked>) -> String {
    let mut q = query.clone();
    q.account = checked
        .and_then(|c| c.filter.account)
        .map_or_else(String::new, |a| a.to_string());
    q.query_string()
}

fn choices<T: serde::Serialize>(all: &[T], chosen: &str) -> Vec<Choice> {
    all.iter()
        .map(|v| {
            let value = api_name(v);
            let mut label = value.replace('_', " ");
            if let Some(first) = label.get(..1) {
                label = first.to_uppercase() + label.get(1..).unwrap_or_default();
            }
            Choice {
                selected: value == chosen.trim(),
                value,
                label,
            }
        })
        .collect()
}

/// Every member (the store's largest page), active ones and whoever is chosen.
async fn member_choices(state: &AppState, chosen: &str) -> Result<Vec<Choice>, PageError> {
    let members = state
        .store
        .list_members(&PageRequest {
            cursor: None,
            limit: Some(200),
        })
        .await?
        .items;
    Ok(members
        .into_iter()
        .filter(|m| m.active || m.id.to_string() == chosen.trim())
        .map(|m| Choice {
            selected: m.id.to_string() == chosen.trim(),
            value: m.id.to_string(),
            label: m.name,
        })
        .collect())
}

/// `GET /reports/{table}.csv`: one table of the filtered report as a file.
async fn download_table(
    State(state): State<AppState>,
    user: SignedIn,
    Path(file): Path<String>,
    Query(query): Query<ReportsQuery>,
) -> Result<Response, PageError> {
    user.require(Action::Read, None)?;
    let table = file
        .strip_suffix(".csv")
        .and_then(Table::parse)
        .ok_or_else(|| {
            PageError::NotFound(format!(
                "a report table named “{file}”; the tables are {}, each as NAME.csv",
                Table::names()
            ))
        })?;
    let refused = |errors: Vec<FieldError>| {
        let said: Vec<String> = errors
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect();
        PageError::BadForm(format!(
            "the report's filter is invalid ({})",
            said.join("; ")
        ))
    };
    let checked = check(&state, &query, AccountBy::Name)
        .await?
        .map_err(refused)?;
    let report = match read_report(&state, &checked.filter).await {
        Ok(r) => r,
        Err(Ok(errors)) => return Err(refused(errors)),
        Err(Err(e)) => return Err(e.into()),
    };
    Ok(csv_response(table, &report)?)
}

/// A table as a `text/csv` attachment.
pub(crate) fn csv_response(table: Table, report: &Report) -> Result<Response, AppError> {
    let body = table.csv(report)?;
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", table.file_name(report)),
            ),
        ],
        body,
    )
        .into_response())
}
