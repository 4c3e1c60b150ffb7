//! One problem's page (`/problems/MG-12`): header, clocks, timeline, composer, promises, actions.
//!
//! Every form posts to a route under the problem, is checked with the same store calls as the
//! JSON API, and answers with POST-redirect-GET and a flash; a refused form re-renders the page
//! (422, or 409 for a refused transition) with the input kept and the message beside the field.

mod actions;
mod call;
mod checklist;
mod composer;
mod followup;
mod prevention_words;
mod preventions;
mod promises;
mod remedies;
mod vendor_promises;
mod view;
mod words;

use std::borrow::Borrow;

use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use makegood_domain::EventKind;
use makegood_store::{Actor, ProblemView};
use serde::Deserialize;

use super::page::FieldErrors;
use super::{PageError, SignedIn};
use crate::api::types::{find_problem, problem_key};
use crate::error::AppError;
use crate::extract::Path;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/problems/{key}", get(show_problem))
        .route("/problems/{key}/messages", post(composer::post_message))
        .route("/problems/{key}/promises", post(promises::make_promise))
        .route(
            "/problems/{key}/promises/{id}/keep",
            post(promises::keep_promise),
        )
        .route(
            "/problems/{key}/promises/{id}/renegotiate",
            post(promises::renegotiate_promise),
        )
        .route(
            "/problems/{key}/promises/{id}/release",
            post(promises::release_promise),
        )
        .route("/problems/{key}/wait", post(actions::wait))
        .route("/problems/{key}/resume", post(actions::resume))
        .route("/problems/{key}/fix", post(actions::fix))
        .route("/problems/{key}/confirm", post(actions::confirm))
        .route("/problems/{key}/close", post(actions::close))
        .route("/problems/{key}/reopen", post(actions::reopen))
        .route("/problems/{key}/owner", post(actions::change_owner))
        .route("/problems/{key}/call", post(call::called))
        .merge(remedies::forms::routes())
        .route(
            "/problems/{key}/checklist/{position}/done",
            post(checklist::tick),
        )
        .route(
            "/problems/{key}/checklist/{position}/undone",
            post(checklist::untick),
        )
        .merge(prevention_routes())
}

/// The prevention and vendor-promise panels' forms.
fn prevention_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/problems/{key}/preventions",
            post(preventions::record_prevention),
        )
        .route(
            "/problems/{key}/preventions/{id}/done",
            post(preventions::mark_done),
        )
        .route(
            "/problems/{key}/preventions/{id}/check",
            post(preventions::check),
        )
        .route(
            "/problems/{key}/preventions/{id}/revise",
            post(preventions::revise),
        )
        .route(
            "/problems/{key}/vendor-promises",
            post(vendor_promises::make),
        )
        .route(
            "/problems/{key}/vendor-promises/{id}/keep",
            post(vendor_promises::keep),
        )
        .route(
            "/problems/{key}/vendor-promises/{id}/renegotiate",
            post(vendor_promises::renegotiate),
        )
}

/// The page's query: which way the composer starts, and where the timeline page starts.
#[derive(Debug, Default, Deserialize)]
pub struct ShowQuery {
    /// `update` or `note`: preselects the composer (Today links with `?compose=update`).
    pub compose: Option<String>,
    /// The timeline's page cursor.
    pub timeline: Option<String>,
    /// A playbook template to start the composer from (`apology`), for `contact`.
    pub template: Option<String>,
    pub contact: Option<i64>,
}

async fn show_problem(
    State(state): State<AppState>,
    user: SignedIn,
    Path(key): Path<String>,
    Query(query): Query<ShowQuery>,
) -> Result<Response, PageError> {
    let view = load(&state, &key).await?;
    let mut draft = Draft::default();
    if let Some(kind) = query
        .compose
        .as_deref()
        .filter(|k| matches!(*k, "update" | "note"))
    {
        kind.clone_into(&mut draft.kind);
    }
    if let Some(template) = query.template.as_deref().filter(|t| !t.is_empty()) {
        checklist::prefill(&state, &user, &view, template, query.contact, &mut draft).await?;
    }
    view::show(&state, &user, view, draft, query.timeline, StatusCode::OK).await
}

/// The problem named by `key` (`MG-12` or its id).
async fn load(state: &AppState, key: &str) -> Result<ProblemView, PageError> {
    Ok(find_problem(state, problem_key(key)?).await?)
}

/// Where a problem's page lives.
fn problem_path(view: &ProblemView) -> String {
    format!("/problems/{}", view.problem.number)
}

/// Appends `event` to the problem's timeline as the signed-in member.
async fn record(
    state: &AppState,
    user: &SignedIn,
    view: &ProblemView,
    event: EventKind,
) -> Result<ProblemView, AppError> {
    let actor = Actor {
        member: user.member.id,
        now: state.now(),
    };
    Ok(state
        .store
        .record(actor, view.problem.id, None, event)
        .await?)
}

/// What a refused form typed and why it was refused, to show the page again with it.
#[derive(Clone, Debug, Default)]
pub struct Draft {
    /// Which form was sent: `composer`, `promise`, `renegotiate`, `release`, `wait`, `fix`,
    /// `close`, `reopen`, `owner`, `call`; empty on a plain GET.
    pub form: &'static str,
    /// The promise a `renegotiate` or `release` form was about.
    pub promise: Option<i64>,
    /// The composer's choice: `update`, `note` or empty.
    pub kind: String,
    pub body: String,
    pub what: String,
    pub contacts: Vec<i64>,
    /// The promise form's "to the stakeholders of": empty (the ticked contacts), `all`, or an account id.
    pub to: String,
    pub due_at: String,
    pub reason: String,
    pub summary: String,
    pub on: String,
    /// How the call went (the "Called them" form).
    pub note: String,
    pub errors: FieldErrors,
    /// A refusal that is about no one field (a refused transition).
    pub alert: Option<String>,
    /// A refused remedy form.
    pub remedy: remedies::RemedyDraft,
    /// The playbook template and contact the composer started from (`?template=…`).
    pub template: String,
    pub contact: i64,
    /// A refused prevention or vendor-promise form.
    pub prevention: preventions::PreventionDraft,
}

impl Draft {
    fn new(form: &'static str) -> Self {
        Self {
            form,
            ..Self::default()
        }
    }

    /// The error beside `field` of `form` (and of promise `promise`, for per-promise forms).
    pub fn error(&self, form: &str, promise: impl Borrow<i64>, field: &str) -> Option<&str> {
        self.about(form, promise)
            .then(|| self.errors.get(field))
            .flatten()
    }

    /// The refusal shown above `form`.
    pub fn alert_for(&self, form: &str, promise: impl Borrow<i64>) -> Option<&str> {
        self.about(form, promise)
            .then_some(self.alert.as_deref())
            .flatten()
    }

    /// A refused action of the actions panel.
    pub fn action_alert(&self) -> Option<&str> {
        const ACTIONS: [&str; 7] = [
            "wait", "resume", "fix", "confirm", "close", "reopen", "owner",
        ];
        ACTIONS
            .contains(&self.form)
            .then_some(self.alert.as_deref())
            .flatten()
    }

    /// The text kept for `field` of `form`.
    pub fn kept(&self, form: &str, promise: impl Borrow<i64>, field: &str) -> &str {
        if !self.about(form, promise) {
            return "";
        }
        match field {
            "body" => &self.body,
            "what" => &self.what,
            "due_at" => &self.due_at,
            "reason" => &self.reason,
            "summary" => &self.summary,
            "note" => &self.note,
            _ => "",
        }
    }

    /// Whether this draft came from `form` (about promise `promise`, or 0).
    pub fn about(&self, form: &str, promise: impl Borrow<i64>) -> bool {
        self.form == form && self.promise.unwrap_or(0) == *promise.borrow()
    }

    /// Takes a refusal from a store or domain call: errors beside fields, a refused
    /// transition as the form's alert; anything else is an error page.
    fn refused(mut self, e: AppError) -> Result<(Self, StatusCode), PageError> {
        match e {
            AppError::Validation(errors) => {
                for error in errors {
                    self.errors.push(&error.field, error.message);
                }
                Ok((self, StatusCode::UNPROCESSABLE_ENTITY))
            }
            AppError::Conflict(message) | AppError::PreconditionFailed(message) => {
                self.alert = Some(capitalised(&message));
                Ok((self, StatusCode::CONFLICT))
            }
            other => Err(other.into()),
        }
    }

    /// Shows the page again with this draft.
    async fn show(
        self,
        state: &AppState,
        user: &SignedIn,
        view: ProblemView,
        status: StatusCode,
    ) -> Result<Response, PageError> {
        view::show(state, user, view, self, None, status).await
    }

    /// Shows the page again with a refusal from a store call.
    async fn refuse(
        self,
        state: &AppState,
        user: &SignedIn,
        key: &str,
        e: AppError,
    ) -> Result<Response, PageError> {
        let (draft, status) = self.refused(e)?;
        let view = load(state, key).await?;
        draft.show(state, user, view, status).await
    }
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}
