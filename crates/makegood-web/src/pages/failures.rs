//! `GET /failures`: the failure log — a quick-entry form at the top (workers), the entries
//! newest first with level and period filters, and the period's distribution by level with
//! the broken promises counted in; editing and deleting (with a confirmation page).

mod forms;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use makegood_domain::failure::{FailureEntry, FailureId, FailureLevel};
use makegood_domain::{Action, Month, ReportFilter};
use makegood_store::{Actor, FailureFilter, PageRequest};
use serde::Deserialize;

use self::forms::FailureForm;
use super::{
    ButtonOnly, Chrome, FieldErrors, PageError, PageForm, SignedIn, When, flash_redirect, render,
};
use crate::state::AppState;

/// Entries per page.
const PAGE_SIZE: u32 = 30;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/failures", get(log).post(create))
        .route("/failures/{id}/edit", get(edit_form).post(edit))
        .route("/failures/{id}/delete", get(delete_form).post(delete))
}

/// The log's query string: a level and a period of months (default the last twelve).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LogQuery {
    level: String,
    from: String,
    to: String,
    cursor: Option<String>,
}

/// One entry as listed.
struct Row {
    id: i64,
    level: &'static str,
    level_name: &'static str,
    what_happened: String,
    lesson: String,
    problem: Option<String>,
    by: String,
    at: When,
    may_change: bool,
}

/// A level's bar in the distribution.
struct Bar {
    label: &'static str,
    level: &'static str,
    logged: u64,
    broken: u64,
    /// Width in percent of the largest total.
    width: u64,
}

#[derive(Template)]
#[template(path = "failures.html")]
struct LogPage {
    chrome: Chrome,
    may_log: bool,
    form: FailureForm,
    errors: FieldErrors,
    levels: Vec<(&'static str, &'static str)>,
    level: String,
    from: String,
    to: String,
    period_error: Option<String>,
    rows: Vec<Row>,
    next: Option<String>,
    bars: Vec<Bar>,
    broken_promises: u64,
}

/// Every level as (API name, label).
fn levels() -> Vec<(&'static str, &'static str)> {
    FailureLevel::ALL
        .into_iter()
        .map(|l| (l.as_str(), l.label()))
        .collect()
}

fn may_change(user: &SignedIn, entry: &FailureEntry) -> bool {
    user.member.may(Action::WorkProblems, None)
        && (entry.logged_by == user.member.id || user.member.may(Action::Reassign, None))
}

async fn build(
    state: &AppState,
    user: &SignedIn,
    q: LogQuery,
    form: FailureForm,
    errors: FieldErrors,
) -> Result<LogPage, PageError> {
    user.require(Action::Read, None)?;
    let now = state.now();
    let this = state.store.failure_month(now).await?;
    let mut period = ReportFilter::last_twelve_months(this);
    let mut period_error = None;
    let month = |s: &str, default: Month, error: &mut Option<String>| match s.trim() {
        "" => default,
        s => s.parse::<Month>().unwrap_or_else(|e| {
            *error = Some(format!("“{s}” {e}; showing the last twelve months."));
            default
        }),
    };
    period.from = month(&q.from, period.from, &mut period_error);
    period.to = month(&q.to, period.to, &mut period_error);
    if period.from > period.to {
        period_error =
            Some("The period starts after it ends; showing the last twelve months.".into());
        period = ReportFilter::last_twelve_months(this);
    }
    let level = FailureLevel::parse(q.level.trim());
    let (from, to) = state
        .store
        .failure_period(Some(period.from), Some(period.to))
        .await?;
    let filter = FailureFilter {
        level,
        from,
        to,
        logged_by: None,
    };
    let cursor = q.cursor.filter(|c| !c.is_empty());
    let found = state
        .store
        .list_failures(
            &filter,
            &PageRequest {
                cursor,
                limit: Some(PAGE_SIZE),
            },
        )
        .await?;
    let mut names: std::collections::HashMap<makegood_domain::MemberId, String> =
        std::collections::HashMap::new();
    let mut rows = Vec::with_capacity(found.items.len());
    for e in &found.items {
        rows.push(Row {
            id: e.id.0,
            level: e.level.as_str(),
            level_name: e.level.label(),
            what_happened: e.what_happened.clone(),
            lesson: e.lesson.clone(),
            problem: e.problem.map(|p| format!("MG-{}", p.0)),
            by: match names.get(&e.logged_by) {
                Some(n) => n.clone(),
                None => {
                    let n = state.store.member(e.logged_by).await?.name;
                    names.insert(e.logged_by, n.clone());
                    n
                }
            },
            at: When::new(e.logged_at, &user.zone, now),
            may_change: may_change(user, e),
        });
    }
    let summary = state.store.failure_summary(&period, now).await?;
    let total = |l: FailureLevel, n: u64| {
        n + if l == FailureLevel::Promise {
            summary.broken_promises
        } else {
            0
        }
    };
    let most = summary
        .logged
        .iter()
        .map(|(l, n)| total(*l, *n))
        .max()
        .unwrap_or(0)
        .max(1);
    let bars = summary
        .logged
        .iter()
        .map(|(l, n)| {
            let broken = if *l == FailureLevel::Promise {
                summary.broken_promises
            } else {
                0
            };
            Bar {
                label: l.label(),
                level: l.as_str(),
                logged: *n,
                broken,
                width: total(*l, *n) * 100 / most,
            }
        })
        .collect();
    let level_name = level.map(|l| l.as_str().to_owned()).unwrap_or_default();
    let next = found.next_cursor.as_deref().map(|c| {
        let mut query = form_urlencoded::Serializer::new(String::new());
        query.append_pair("level", &level_name);
        query.append_pair("from", &period.from.to_string());
        query.append_pair("to", &period.to.to_string());
        query.append_pair("cursor", c);
        format!("/failures?{}", query.finish())
    });
    Ok(LogPage {
        chrome: user.chrome("failures"),
        may_log: user.member.may(Action::WorkProblems, None),
        form,
        errors,
        levels: levels(),
        level: level_name,
        from: period.from.to_string(),
        to: period.to.to_string(),
        period_error,
        rows,
        next,
        bars,
        broken_promises: summary.broken_promises,
    })
}

async fn log(
    State(state): State<AppState>,
    user: SignedIn,
    Query(q): Query<LogQuery>,
) -> Result<Response, PageError> {
    let page = build(
        &state,
        &user,
        q,
        FailureForm::default(),
        FieldErrors::default(),
    )
    .await?;
    Ok(render(StatusCode::OK, &page))
}

async fn create(
    State(state): State<AppState>,
    user: SignedIn,
    PageForm(form): PageForm<FailureForm>,
) -> Result<Response, PageError> {
    user.require(Action::WorkProblems, None)?;
    let result = match form.parse() {
        Ok(fields) => {
            let actor = Actor {
                member: user.member.id,
                now: state.now(),
            };
            forms::outcome(state.store.log_failure(actor, fields).await)?
        }
        Err(errors) => Err(errors),
    };
    match result {
        Ok(entry) => Ok(flash_redirect(
            "/failures",
            &format!(
                "Logged: a failure at the {} level.",
                entry.level.label().to_lowercase()
            ),
        )),
        Err(errors) => {
            let page = build(&state, &user, LogQuery::default(), form, errors).await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
    }
}

#[derive(Template)]
#[template(path = "failure_edit.html")]
struct EditPage {
    chrome: Chrome,
    id: i64,
    form: FailureForm,
    errors: FieldErrors,
    levels: Vec<(&'static str, &'static str)>,
}

/// The entry `id`, refused unless `user` may change it.
async fn changeable(state: &AppState, user: &SignedIn, id: i64) -> Result<FailureEntry, PageError> {
    let entry = state.store.failure(FailureId(id)).await?;
    if may_change(user, &entry) {
        Ok(entry)
    } else {
        Err(PageError::Forbidden)
    }
}

async fn edit_form(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let entry = changeable(&state, &user, id).await?;
    let page = EditPage {
        chrome: user.chrome("failures"),
        id,
        form: FailureForm::of(&entry),
        errors: FieldErrors::default(),
        levels: levels(),
    };
    Ok(render(StatusCode::OK, &page))
}

async fn edit(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<i64>,
    PageForm(form): PageForm<FailureForm>,
) -> Result<Response, PageError> {
    let entry = changeable(&state, &user, id).await?;
    let result = match form.parse() {
        Ok(fields) => {
            let actor = Actor {
                member: user.member.id,
                now: state.now(),
            };
            let version = form.version.parse().ok().or(Some(entry.version));
            forms::outcome(
                state
                    .store
                    .edit_failure(actor, entry.id, version, fields)
                    .await,
            )?
        }
        Err(errors) => Err(errors),
    };
    match result {
        Ok(_) => Ok(flash_redirect("/failures", "Entry saved.")),
        Err(errors) => {
            let page = EditPage {
                chrome: user.chrome("failures"),
                id,
                form,
                errors,
                levels: levels(),
            };
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
    }
}

#[derive(Template)]
#[template(path = "failure_delete.html")]
struct DeletePage {
    chrome: Chrome,
    id: i64,
    level: &'static str,
    what_happened: String,
    lesson: String,
}

async fn delete_form(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let entry = changeable(&state, &user, id).await?;
    let page = DeletePage {
        chrome: user.chrome("failures"),
        id,
        level: entry.level.label(),
        what_happened: entry.what_happened,
        lesson: entry.lesson,
    };
    Ok(render(StatusCode::OK, &page))
}

async fn delete(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<i64>,
    PageForm(_): PageForm<ButtonOnly>,
) -> Result<Response, PageError> {
    let entry = changeable(&state, &user, id).await?;
    let actor = Actor {
        member: user.member.id,
        now: state.now(),
    };
    state.store.delete_failure(actor, entry.id).await?;
    Ok(flash_redirect("/failures", "Entry deleted."))
}
