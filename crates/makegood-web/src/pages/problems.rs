//! `GET /problems`: the filterable, sortable, searchable problem list (filters live in the
//! URL, so a view can be bookmarked), and `GET/POST /problems/new`: recording a problem.

mod filter;
mod new;
mod options;

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use jiff::Timestamp;
use jiff::tz::TimeZone;
use makegood_domain::{Action, ProblemNumber};
use makegood_store::{PageRequest, ProblemView};

use self::filter::{CLOCKS, ProblemsQuery, SORTS, api_name};
use self::options::{Choice, Lookup};
use super::{Chrome, PageError, SignedIn, When, render};
use crate::state::AppState;

/// Problems per page.
const PAGE_SIZE: u32 = 25;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/problems", get(list_problems))
        .route("/problems/new", get(new::new_form).post(new::create))
}

#[derive(Template)]
#[template(path = "problems.html")]
struct ProblemsPage {
    chrome: Chrome,
    query: ProblemsQuery,
    rows: Vec<Row>,
    statuses: Vec<Choice>,
    severities: Vec<Choice>,
    origins: Vec<Choice>,
    owners: Vec<Choice>,
    accounts: Vec<Choice>,
    clocks: &'static [(&'static str, &'static str)],
    sorts: &'static [(&'static str, &'static str)],
    filtered: bool,
    /// The link to the next page, with the filters kept.
    next: Option<String>,
    /// The link to the first page, when not on it.
    first: Option<String>,
    may_create: bool,
}

/// One problem as the list shows it.
struct Row {
    number: ProblemNumber,
    title: String,
    severity: String,
    status: String,
    owner: String,
    accounts: String,
    /// The worst running clock (`ok`, `warning`, `breached`), if any runs.
    clock: Option<&'static str>,
    /// The earliest deadline of a running clock.
    next_due: Option<When>,
    /// The customer's latest word was strongly negative, and no one has called since.
    upset: bool,
}

impl Row {
    fn new(view: &ProblemView, lookup: &Lookup, zone: &TimeZone, now: Timestamp) -> Self {
        let p = &view.problem;
        let next_due = view
            .clocks
            .iter()
            .filter(|c| c.state.is_running())
            .filter_map(|c| c.due_at)
            .min();
        Self {
            number: p.number,
            title: p.title.clone(),
            severity: api_name(&p.severity),
            status: api_name(&p.status).replace('_', " "),
            owner: lookup.member(p.owner),
            accounts: p
                .accounts
                .iter()
                .map(|a| lookup.account(*a))
                .collect::<Vec<_>>()
                .join(", "),
            clock: view.clock_state.map(|c| c.as_str()),
            next_due: next_due.map(|d| When::new(d, zone, now)),
            upset: view.customer_upset,
        }
    }
}

async fn list_problems(
    State(state): State<AppState>,
    user: SignedIn,
    Query(query): Query<ProblemsQuery>,
) -> Result<Response, PageError> {
    user.require(Action::Read, None)?;
    let filter = query.filter(user.member.id)?;
    let now = state.now();
    let cursor = (!query.cursor.is_empty()).then(|| query.cursor.clone());
    let on_first_page = cursor.is_none();
    let page = state
        .store
        .list_problems(
            &filter,
            &PageRequest {
                cursor,
                limit: Some(PAGE_SIZE),
            },
            now,
        )
        .await?;
    let lookup = Lookup::load(&state).await?;
    let rows = page
        .items
        .iter()
        .map(|v| Row::new(v, &lookup, &user.zone, now))
        .collect();
    let page = ProblemsPage {
        chrome: user.chrome("problems"),
        statuses: options::statuses(&query.status),
        severities: options::severities(&query.severity),
        origins: options::origins(&query.origin),
        owners: lookup.owner_choices(&query.owner, true),
        accounts: lookup.account_choices(&[query.account.as_str()]),
        clocks: &CLOCKS,
        sorts: &SORTS,
        filtered: query.filtered(),
        next: page.next_cursor.as_deref().map(|c| query.url(Some(c))),
        first: (!on_first_page).then(|| query.url(None)),
        may_create: user.member.may(Action::WorkProblems, None),
        query,
        rows,
    };
    Ok(render(StatusCode::OK, &page))
}
