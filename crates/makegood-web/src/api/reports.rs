//! Reports: the whole report as JSON, and each of its tables as CSV, for any filter.
//!
//! Every member may read them. The filter is the query string: `from`/`to` (`YYYY-MM`,
//! default the twelve months ending this month in the organisation's reporting time zone),
//! `member`, `account` (ids), `severity`, `origin`; a value that does not fit is a 422
//! naming its parameter.

use axum::extract::State;
use axum::response::Response;
use makegood_domain::Action;
use makegood_domain::report::Report;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::CurrentMember;
use crate::error::{AppError, FieldError};
use crate::extract::{Json, Path, Query};
use crate::pages::reports::filter::{AccountBy, ReportsQuery};
use crate::pages::reports::tables::Table;
use crate::pages::reports::{check, csv_response, read_report};
use crate::state::AppState;

/// The report routes, merged into `/api/v1`.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_report))
        .routes(routes!(get_report_table))
}

/// What a report covers.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReportParams {
    /// The first month, `YYYY-MM`; default eleven months before `to`.
    #[param(example = "2026-01", pattern = r"^\d{4}-\d{2}$")]
    pub from: Option<String>,
    /// The last month, `YYYY-MM`; default this month. At most 120 months from `from`.
    #[param(example = "2026-12", pattern = r"^\d{4}-\d{2}$")]
    pub to: Option<String>,
    /// Only this member's work (a member id): problems they own, promises they made,
    /// remedies they proposed, preventions they own.
    #[param(value_type = Option<i64>)]
    pub member: Option<String>,
    /// Only problems affecting this account (an account id) and promises to its contacts.
    #[param(value_type = Option<i64>)]
    pub account: Option<String>,
    /// `critical`, `major` or `minor`.
    #[param(value_type = Option<makegood_domain::Severity>)]
    pub severity: Option<String>,
    /// `ours`, `customer`, `vendor` or `unknown`.
    #[param(value_type = Option<makegood_domain::Origin>)]
    pub origin: Option<String>,
}

impl From<ReportParams> for ReportsQuery {
    fn from(p: ReportParams) -> Self {
        Self {
            from: p.from.unwrap_or_default(),
            to: p.to.unwrap_or_default(),
            member: p.member.unwrap_or_default(),
            account: p.account.unwrap_or_default(),
            severity: p.severity.unwrap_or_default(),
            origin: p.origin.unwrap_or_default(),
        }
    }
}

impl ReportParams {
    /// Parameters given with no value (`?to=`): the page's form may send those, the API
    /// asks for the parameter to be left out instead.
    fn empty(&self) -> Vec<FieldError> {
        let given = [
            ("from", &self.from),
            ("to", &self.to),
            ("member", &self.member),
            ("account", &self.account),
            ("severity", &self.severity),
            ("origin", &self.origin),
        ];
        given
            .into_iter()
            .filter(|(_, v)| v.as_deref().is_some_and(|v| v.trim().is_empty()))
            .map(|(field, _)| {
                FieldError::new(field, "is empty; leave the parameter out for the default")
            })
            .collect()
    }
}

async fn report_for(state: &AppState, params: ReportParams) -> Result<Report, AppError> {
    let empty = params.empty();
    if !empty.is_empty() {
        return Err(AppError::Validation(empty));
    }
    let query = ReportsQuery::from(params);
    let checked = check(state, &query, AccountBy::Id)
        .await?
        .map_err(AppError::Validation)?;
    match read_report(state, &checked.filter).await {
        Ok(report) => Ok(report),
        Err(Ok(errors)) => Err(AppError::Validation(errors)),
        Err(Err(e)) => Err(e),
    }
}

/// The report for a filter.
///
/// Promise reliability, time to tell and to fix, update cadence, remedies, prevention,
/// recovery and the hierarchy of failure, for the filter's months.
#[utoipa::path(get, path = "/reports", tag = "reports", params(ReportParams),
    responses(
        (status = 200, body = Report, description = "Every `by_month` list has one entry per month of the period"),
        (status = 422, description = "A filter value does not fit (each named in `errors`)", body = crate::error::ProblemDetails, content_type = "application/problem+json")))]
pub async fn get_report(
    State(state): State<AppState>,
    me: CurrentMember,
    Query(params): Query<ReportParams>,
) -> Result<Json<Report>, AppError> {
    me.require(Action::Read, None)?;
    Ok(Json(report_for(&state, params).await?))
}

/// One table of the report as CSV.
///
/// Always `text/csv` (whatever `Accept` says): a header row, then one row per month,
/// severity, member …. `table` is one of `promises`, `promises-by-member`, `promises-by-account`,
/// `timing`, `timing-by-month`, `cadence`, `remedies`, `vendor-shares`, `approvals`,
/// `prevention`, `recurring`, `recovery`, `outcomes`, `failures`, optionally ending `.csv`.
#[utoipa::path(get, path = "/reports/{table}", tag = "reports",
    params(("table" = String, Path, description = "The table's name, e.g. `promises` or `promises.csv`"), ReportParams),
    responses(
        (status = 200, content_type = "text/csv", body = String, description = "The table, with a `Content-Disposition: attachment` file name"),
        (status = 404, description = "No table by that name", body = crate::error::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "A filter value does not fit (each named in `errors`)", body = crate::error::ProblemDetails, content_type = "application/problem+json")))]
pub async fn get_report_table(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(table): Path<String>,
    Query(params): Query<ReportParams>,
) -> Result<Response, AppError> {
    me.require(Action::Read, None)?;
    let name = table.strip_suffix(".csv").unwrap_or(&table);
    let table = Table::parse(name).ok_or_else(|| {
        AppError::NotFound(format!(
            "report table `{name}`; the tables are {}",
            Table::names()
        ))
    })?;
    let report = report_for(&state, params).await?;
    csv_response(table, &report)
}
