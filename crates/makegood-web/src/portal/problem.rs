//! A contact's problems: the list (`GET /portal` signed in), one problem
//! (`GET /portal/problems/{id}`), replying and confirming the fix.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use makegood_domain::{ProblemId, PromiseStatus, Status};
use makegood_store::portal::{PortalEntry, PortalProblem, PortalPromise};
use makegood_store::{PageRequest, StoreError};
use serde::Deserialize;

use super::frame::PortalForm;
use super::sign_in::ListQuery;
use super::survey::{SurveyForm, SurveyPanel};
use super::{PortalError, PortalFrame, PortalSignedIn, render};
use crate::pages::{FieldErrors, When, flash_redirect};
use crate::state::AppState;

/// Problems per page of the list.
const PAGE: u32 = 20;

/// A problem in the list.
struct Row {
    id: i64,
    number: String,
    title: String,
    status: &'static str,
    closed: bool,
    detected: When,
    update: Option<When>,
}

/// A promise as the customer reads it.
struct PromiseRow {
    what: String,
    problem: Option<(i64, String)>,
    state: &'static str,
    /// `open`, `kept`, `renegotiated`, `released`, `broken`: for styling.
    class: &'static str,
    due: When,
    ended: Option<When>,
    new_due: Option<When>,
}

/// An entry of the problem's timeline.
struct EntryRow {
    kind: &'static str,
    who: String,
    body: String,
    at: When,
}

/// What a customer reads for a status.
fn status_words(s: Status) -> &'static str {
    match s {
        Status::Open => "Being worked on",
        Status::WaitingOnCustomer => "Waiting for you",
        Status::WaitingOnVendor => "Waiting for a supplier",
        Status::Fixed => "Fixed — please confirm",
        Status::Confirmed => "Fixed and confirmed",
        Status::Closed => "Closed",
    }
}

fn row(p: PortalProblem, who: &PortalSignedIn, now: jiff::Timestamp) -> Row {
    Row {
        id: p.id.0,
        number: p.number.to_string(),
        title: p.title,
        status: status_words(p.status),
        closed: p.status == Status::Closed,
        detected: When::new(p.detected_at, &who.zone, now),
        update: p.last_update_at.map(|t| When::new(t, &who.zone, now)),
    }
}

fn promise_row(p: PortalPromise, who: &PortalSignedIn, now: jiff::Timestamp) -> PromiseRow {
    let (state, class) = match p.state {
        PromiseStatus::Open => ("Open", "open"),
        PromiseStatus::Kept => ("Kept", "kept"),
        PromiseStatus::Renegotiated => ("Moved to a new date", "renegotiated"),
        PromiseStatus::Released => ("Released by you", "released"),
        PromiseStatus::Broken => ("Not kept", "broken"),
    };
    PromiseRow {
        what: p.what,
        problem: p.problem.map(|n| (n.0, n.to_string())),
        state,
        class,
        due: When::new(p.due_at, &who.zone, now),
        ended: p.ended_at.map(|t| When::new(t, &who.zone, now)),
        new_due: p.new_due_at.map(|t| When::new(t, &who.zone, now)),
    }
}

#[derive(Template)]
#[template(path = "portal_list.html")]
struct ListPage {
    frame: PortalFrame,
    account: String,
    rows: Vec<Row>,
    next: Option<String>,
    promises: Vec<PromiseRow>,
    promises_next: Option<String>,
}

fn page_of(cursor: Option<String>) -> PageRequest {
    PageRequest {
        cursor: cursor.filter(|c| !c.is_empty()),
        limit: Some(PAGE),
    }
}

/// A malformed cursor is a 400, not a 500.
fn cursor_error(e: StoreError) -> PortalError {
    match e {
        StoreError::Invalid { message, .. } => {
            PortalError::BadForm(format!("the page link: {message}"))
        }
        other => other.into(),
    }
}

pub async fn list_page(
    state: &AppState,
    who: &PortalSignedIn,
    query: ListQuery,
) -> Result<Response, PortalError> {
    let now = state.now();
    let store = &state.store;
    let problems = store
        .portal_problems(who.contact.id, &page_of(query.cursor))
        .await
        .map_err(cursor_error)?;
    let promises = store
        .portal_promises(who.contact.id, &page_of(query.promises), now)
        .await
        .map_err(cursor_error)?;
    let page = ListPage {
        frame: who.frame(),
        account: who.contact.account_name.clone(),
        rows: problems
            .items
            .into_iter()
            .map(|p| row(p, who, now))
            .collect(),
        next: problems.next_cursor,
        promises: promises
            .items
            .into_iter()
            .map(|p| promise_row(p, who, now))
            .collect(),
        promises_next: promises.next_cursor,
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "portal_problem.html")]
pub(super) struct ProblemPage {
    frame: PortalFrame,
    problem: Row,
    entries: Vec<EntryRow>,
    promises: Vec<PromiseRow>,
    may_confirm: bool,
    confirmed: bool,
    reply: String,
    survey: SurveyPanel,
    errors: FieldErrors,
}

/// Problem `id` as contact `who` sees it, with `reply` and `survey` as typed and `errors`
/// beside their fields.
pub(super) async fn problem_page(
    state: &AppState,
    who: &PortalSignedIn,
    id: i64,
    reply: String,
    errors: FieldErrors,
    survey: SurveyForm,
) -> Result<ProblemPage, PortalError> {
    let now = state.now();
    let detail = state
        .store
        .portal_problem(who.contact.id, ProblemId(id), now)
        .await?;
    let entries = detail
        .entries
        .into_iter()
        .map(|e| {
            let at = When::new(e.at(), &who.zone, now);
            match e {
                PortalEntry::Update { from, body, .. } => EntryRow {
                    kind: "update",
                    who: if from.is_empty() {
                        "The team".to_owned()
                    } else {
                        from
                    },
                    body,
                    at,
                },
                PortalEntry::Reply { body, by_email, .. } => EntryRow {
                    kind: "reply",
                    who: if by_email {
                        "You, by email".to_owned()
                    } else {
                        "You".to_owned()
                    },
                    body,
                    at,
                },
                PortalEntry::Confirmed { .. } => EntryRow {
                    kind: "confirmed",
                    who: "You".to_owned(),
                    body: "Confirmed it works now.".to_owned(),
                    at,
                },
            }
        })
        .collect();
    let survey = SurveyPanel::load(&state.store, who.contact.id, ProblemId(id), survey).await?;
    Ok(ProblemPage {
        frame: who.frame(),
        problem: row(detail.problem, who, now),
        entries,
        promises: detail
            .promises
            .into_iter()
            .map(|p| promise_row(p, who, now))
            .collect(),
        may_confirm: detail.may_confirm,
        confirmed: detail.confirmed,
        reply,
        survey,
        errors,
    })
}

pub async fn show(
    State(state): State<AppState>,
    who: PortalSignedIn,
    Path(id): Path<String>,
) -> Result<Response, PortalError> {
    let id: i64 = id.parse().map_err(|_| PortalError::NotFound)?;
    let page = problem_page(
        &state,
        &who,
        id,
        String::new(),
        FieldErrors::default(),
        SurveyForm::default(),
    )
    .await?;
    Ok(render(StatusCode::OK, &page))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReplyForm {
    body: String,
}

pub async fn reply(
    State(state): State<AppState>,
    who: PortalSignedIn,
    Path(id): Path<String>,
    PortalForm(form): PortalForm<ReplyForm>,
) -> Result<Response, PortalError> {
    let id: i64 = id.parse().map_err(|_| PortalError::NotFound)?;
    match state
        .store
        .portal_reply(who.contact.id, ProblemId(id), &form.body, state.now())
        .await
    {
        Ok(()) => Ok(flash_redirect(
            &format!("/portal/problems/{id}#timeline"),
            "Thank you — your reply is on the problem and the team has it.",
        )),
        Err(StoreError::Invalid { message, .. }) => {
            let mut errors = FieldErrors::default();
            errors.push("body", message);
            let page =
                problem_page(&state, &who, id, form.body, errors, SurveyForm::default()).await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ConfirmForm {}

pub async fn confirm(
    State(state): State<AppState>,
    who: PortalSignedIn,
    Path(id): Path<String>,
    PortalForm(_): PortalForm<ConfirmForm>,
) -> Result<Response, PortalError> {
    let id: i64 = id.parse().map_err(|_| PortalError::NotFound)?;
    state
        .store
        .portal_confirm(who.contact.id, ProblemId(id), state.now())
        .await?;
    Ok(flash_redirect(
        &format!("/portal/problems/{id}"),
        "Thank you for confirming — we have recorded that it works now.",
    ))
}
