//! `GET /`: who is signed in and what needs them now, most urgent first.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Span, SpanRound, Timestamp, Unit};
use makegood_domain::Duty;

use super::{render, session_member};
use crate::error::AppError;
use crate::state::AppState;

/// The most duties the home page lists; the API pages through the rest.
const DUTY_LIMIT: u32 = 50;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    organisation: String,
    name: String,
    role: &'static str,
    duties: Vec<DutyRow>,
    time_zone: String,
    csrf_token: String,
}

/// One duty as the page shows it.
struct DutyRow {
    summary: String,
    state: &'static str,
    /// The deadline in the member's time zone, e.g. `Sun 22 Nov 14:30`.
    due: String,
    /// `40m left` or `1h 20m overdue`.
    left: String,
}

impl DutyRow {
    fn new(duty: &Duty, zone: &TimeZone, now: Timestamp) -> Self {
        let (due, left) = match duty.clock.due_at {
            Some(due) => {
                let left = due.duration_since(now);
                let amount = friendly(left.abs());
                let left = if left.is_negative() {
                    format!("{amount} overdue")
                } else {
                    format!("{amount} left")
                };
                (
                    due.to_zoned(zone.clone())
                        .strftime("%a %-d %b %H:%M")
                        .to_string(),
                    left,
                )
            }
            None => (String::new(), String::new()),
        };
        Self {
            summary: duty.summary.clone(),
            state: duty.clock.state.as_str(),
            due,
            left,
        }
    }
}

/// `3d 4h 5m`: days of 24 hours down to whole minutes.
fn friendly(d: SignedDuration) -> String {
    let minutes = SignedDuration::from_mins(d.as_mins());
    let rounding = SpanRound::new()
        .largest(Unit::Day)
        .smallest(Unit::Minute)
        .days_are_24_hours();
    Span::try_from(minutes)
        .and_then(|span| span.round(rounding))
        .map_or_else(|_| format!("{minutes:#}"), |span| format!("{span:#}"))
}

pub async fn home(State(state): State<AppState>, jar: CookieJar) -> Result<Response, AppError> {
    let Some((member, csrf_token)) = session_member(&state, &jar).await? else {
        return Ok(Redirect::to("/login").into_response());
    };
    let organisation = state
        .store
        .organisation()
        .await?
        .map_or_else(|| "makegood".to_owned(), |o| o.name);
    let now = state.now();
    let zone = TimeZone::get(&member.time_zone).unwrap_or(TimeZone::UTC);
    let duties = state.store.duties(Some(member.id), now, DUTY_LIMIT).await?;
    let page = HomePage {
        organisation,
        name: member.name,
        role: member.role.as_str(),
        duties: duties.iter().map(|d| DutyRow::new(d, &zone, now)).collect(),
        time_zone: member.time_zone,
        csrf_token,
    };
    Ok(render(StatusCode::OK, &page))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_in_days_hours_and_minutes() {
        let d = SignedDuration::from_mins(12 * 24 * 60 - 1) + SignedDuration::from_secs(59);
        assert_eq!(friendly(d), "11d 23h 59m");
        assert_eq!(friendly(SignedDuration::from_mins(40)), "40m");
        assert_eq!(friendly(SignedDuration::ZERO), "0s");
    }
}
