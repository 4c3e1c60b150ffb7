//! `GET /calendar/{token}.ics`: a member's promise due times and running deadlines as
//! iCalendar, for their calendar app. The secret in the URL is the only credential.

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use icalendar::{Calendar, Component, Event, EventLike};
use jiff::Timestamp;
use makegood_domain::{ClockKind, Member, ProblemId};
use makegood_store::{PageRequest, PromiseFilter, PromiseListState};

use crate::auth::sha256_hex;
use crate::error::AppError;
use crate::extract::Path;
use crate::state::AppState;

/// The most events of each kind a feed lists.
const LIMIT: u32 = 200;

fn utc(t: Timestamp) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(t.as_microsecond()).unwrap_or_default()
}

/// The API name of a clock kind, for stable event UIDs.
fn clock_name(kind: ClockKind) -> &'static str {
    match kind {
        ClockKind::Tell => "tell",
        ClockKind::Update => "update",
        ClockKind::Fix => "fix",
        ClockKind::Promise => "promise",
        ClockKind::Approval => "approval",
        ClockKind::Prevention => "prevention",
        ClockKind::Check => "check",
        ClockKind::VendorPromise => "vendor_promise",
        ClockKind::Call => "call",
        ClockKind::Review => "review",
    }
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "no calendar feed at this address\n").into_response()
}

pub async fn calendar_feed(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let Some(secret) = file.strip_suffix(".ics").filter(|s| !s.is_empty()) else {
        return Ok(not_found());
    };
    let Some(member) = state.store.feed_member(&sha256_hex(secret)).await? else {
        return Ok(not_found());
    };
    let body = feed(&state, &member).await?;
    let mut response = body.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/calendar; charset=utf-8"),
    );
    // The URL is a secret: keep it (and the deadlines) out of shared caches.
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(response)
}

/// The feed of `member` at the app's now.
async fn feed(state: &AppState, member: &Member) -> Result<String, AppError> {
    let now = state.now();
    let stamp = utc(now);
    let link = |problem: ProblemId| format!("{}/problems/{}", state.public_url, problem.0);
    let mut calendar = Calendar::empty();
    calendar
        .append_property(("VERSION", "2.0"))
        .append_property(("PRODID", "-//makegood//deadlines//EN"))
        .append_property(("CALSCALE", "GREGORIAN"))
        .name(&format!("makegood: {}", member.name));

    let filter = PromiseFilter {
        state: Some(PromiseListState::Open),
        made_by: Some(member.id),
        ..PromiseFilter::default()
    };
    let page = PageRequest {
        cursor: None,
        limit: Some(LIMIT),
    };
    let promises = state.store.list_promises(&filter, &page, now).await?;
    for view in promises.items {
        let promise = view.promise;
        let mut event = Event::new();
        event
            .uid(&format!("promise-{}@makegood", promise.id.0))
            .timestamp(stamp)
            .summary(&format!("Promise: {}", promise.what))
            .starts(utc(promise.due_at));
        if let Some(problem) = promise.problem {
            event.description(&link(problem)).url(&link(problem));
        }
        calendar.push(event.done());
    }

    let duties = state.store.duties(Some(member.id), now, LIMIT).await?;
    for duty in duties {
        // Promises are listed above; a paused clock has no deadline to show.
        let (Some(problem), None, Some(due)) = (&duty.problem, &duty.promise, duty.clock.due_at)
        else {
            continue;
        };
        let mut event = Event::new();
        event
            .uid(&format!(
                "problem-{}-{}@makegood",
                problem.id.0,
                clock_name(duty.clock.kind)
            ))
            .timestamp(stamp)
            .summary(&duty.summary)
            .description(&link(problem.id))
            .url(&link(problem.id))
            .starts(utc(due));
        calendar.push(event.done());
    }
    Ok(calendar.done().to_string())
}
