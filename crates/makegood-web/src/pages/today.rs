//! `GET /`: Today — what needs the signed-in member now, most urgent first.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use jiff::Timestamp;
use jiff::tz::TimeZone;
use makegood_domain::Duty;

use super::{Chrome, PageError, SignedIn, When, render};
use crate::state::AppState;

/// The most duties the page lists; the API pages through the rest.
const DUTY_LIMIT: u32 = 50;

pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(today))
}

#[derive(Template)]
#[template(path = "today.html")]
struct TodayPage {
    chrome: Chrome,
    organisation: String,
    duties: Vec<DutyRow>,
}

/// One duty as the page shows it.
struct DutyRow {
    summary: String,
    state: &'static str,
    due: Option<When>,
}

impl DutyRow {
    fn new(duty: &Duty, zone: &TimeZone, now: Timestamp) -> Self {
        Self {
            summary: duty.summary.clone(),
            state: duty.clock.state.as_str(),
            due: duty.clock.due_at.map(|due| When::new(due, zone, now)),
        }
    }
}

async fn today(State(state): State<AppState>, user: SignedIn) -> Result<Response, PageError> {
    let organisation = state
        .store
        .organisation()
        .await?
        .map_or_else(|| "makegood".to_owned(), |o| o.name);
    let now = state.now();
    let duties = state
        .store
        .duties(Some(user.member.id), now, DUTY_LIMIT)
        .await?;
    let page = TodayPage {
        chrome: user.chrome("today"),
        organisation,
        duties: duties
            .iter()
            .map(|d| DutyRow::new(d, &user.zone, now))
            .collect(),
    };
    Ok(render(StatusCode::OK, &page))
}
