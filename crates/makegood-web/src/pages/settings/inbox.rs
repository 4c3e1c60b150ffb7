//! `/settings/inbox`: held mail for review (whoever manages integrations), oldest first, each
//! with "Attach to problem", "Open as new problem" (adding the sender as a contact when they
//! are not one) and "Dismiss". A refused form shows the page again with the message beside it.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use makegood_domain::{AccountId, Action, ProblemNumber};
use makegood_store::{Actor, HeldSender, InboundSummary, PageRequest, StoreError};
use serde::Deserialize;

use crate::api::types::problem_id;
use crate::error::AppError;
use crate::extract::Path;
use crate::pages::{
    ButtonOnly, Chrome, FieldErrors, PageError, PageForm, SignedIn, When, flash_redirect, render,
};
use crate::state::AppState;

/// Held messages per page.
const PAGE: u32 = 25;
/// The most accounts offered for a new contact.
const ACCOUNTS: u32 = 200;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/settings/inbox", get(inbox))
        .route("/settings/inbox/{id}/attach", post(attach))
        .route("/settings/inbox/{id}/open", post(open))
        .route("/settings/inbox/{id}/dismiss", post(dismiss))
}

/// One held message as the page shows it.
pub struct HeldRow {
    pub id: i64,
    /// "Pat <pat@example.com>", or whatever of it is known.
    pub sender: String,
    pub subject: String,
    pub received: When,
    pub reply: String,
    pub reason: String,
    /// The sender is a contact already: open for them without asking.
    pub known: bool,
    pub upset: bool,
}

impl HeldRow {
    fn new(s: &InboundSummary, user: &SignedIn, now: jiff::Timestamp) -> Self {
        let sender = match (&s.from_name, &s.from_email) {
            (Some(n), Some(e)) if !n.trim().is_empty() => format!("{n} <{e}>"),
            (_, Some(e)) => e.clone(),
            (Some(n), None) => n.clone(),
            (None, None) => "(no sender)".to_owned(),
        };
        Self {
            id: s.id,
            sender,
            subject: s.subject.clone(),
            received: When::new(s.received_at, &user.zone, now),
            reply: s.reply.clone(),
            reason: s.reason.clone().unwrap_or_default(),
            known: s.contact.is_some(),
            upset: s.sentiment.is_upset(),
        }
    }
}

/// A refused form: which message and form, what was typed, and why.
#[derive(Default)]
pub struct Draft {
    pub id: i64,
    pub form: &'static str,
    pub problem: String,
    pub account: String,
    pub name: String,
    pub errors: FieldErrors,
    pub alert: Option<String>,
}

impl Draft {
    /// The error beside `field` of `form` on message `id`.
    pub fn error(&self, id: &i64, form: &str, field: &str) -> Option<&str> {
        (self.id == *id && self.form == form)
            .then(|| self.errors.get(field))
            .flatten()
    }

    /// The refusal shown on message `id`.
    pub fn alert_for(&self, id: &i64) -> Option<&str> {
        (self.id == *id).then_some(self.alert.as_deref()).flatten()
    }

    pub fn kept(&self, id: &i64, field: &str) -> &str {
        if self.id != *id {
            return "";
        }
        match field {
            "problem" => &self.problem,
            "account" => &self.account,
            "name" => &self.name,
            _ => "",
        }
    }
}

#[derive(Template)]
#[template(path = "settings_inbox.html")]
struct InboxPage {
    chrome: Chrome,
    held: Vec<HeldRow>,
    next: Option<String>,
    paged: bool,
    accounts: Vec<(i64, String)>,
    /// A refusal about a message no longer listed (reviewed meanwhile), shown at the top.
    loose_alert: Option<String>,
    draft: Draft,
}

/// The page's query: where the list starts.
#[derive(Debug, Default, Deserialize)]
pub struct InboxQuery {
    pub cursor: Option<String>,
}

fn require(user: &SignedIn) -> Result<(), PageError> {
    user.require(Action::ManageIntegrations, None)
}

async fn show(
    state: &AppState,
    user: &SignedIn,
    cursor: Option<String>,
    draft: Draft,
    status: StatusCode,
) -> Result<Response, PageError> {
    let now = state.now();
    let paged = cursor.is_some();
    let held = state
        .store
        .held_emails(&PageRequest {
            cursor,
            limit: Some(PAGE),
        })
        .await?;
    let accounts = state
        .store
        .list_accounts(
            None,
            &PageRequest {
                cursor: None,
                limit: Some(ACCOUNTS),
            },
        )
        .await?
        .items
        .into_iter()
        .map(|a| (a.id.0, a.name))
        .collect();
    let loose_alert = draft
        .alert
        .clone()
        .filter(|_| !held.items.iter().any(|h| h.id == draft.id));
    let page = InboxPage {
        chrome: user.chrome("settings"),
        loose_alert,
        held: held
            .items
            .iter()
            .map(|s| HeldRow::new(s, user, now))
            .collect(),
        next: held.next_cursor,
        paged,
        accounts,
        draft,
    };
    Ok(render(status, &page))
}

/// `GET /settings/inbox`.
pub async fn inbox(
    State(state): State<AppState>,
    user: SignedIn,
    Query(q): Query<InboxQuery>,
) -> Result<Response, PageError> {
    require(&user)?;
    show(&state, &user, q.cursor, Draft::default(), StatusCode::OK).await
}

/// Shows the page again with `draft` and the refusal `e`.
async fn refuse(
    state: &AppState,
    user: &SignedIn,
    mut draft: Draft,
    e: AppError,
) -> Result<Response, PageError> {
    let status = match e {
        AppError::Validation(errors) => {
            for error in errors {
                draft.errors.push(&error.field, error.message);
            }
            StatusCode::UNPROCESSABLE_ENTITY
        }
        AppError::Conflict(message) => {
            draft.alert = Some(message);
            StatusCode::CONFLICT
        }
        other => return Err(other.into()),
    };
    show(state, user, None, draft, status).await
}

fn actor(state: &AppState, user: &SignedIn) -> Actor {
    Actor {
        member: user.member.id,
        now: state.now(),
    }
}

/// The attach form.
#[derive(Debug, Deserialize)]
pub struct AttachForm {
    #[serde(default)]
    problem: String,
}

/// `POST /settings/inbox/{id}/attach`: threads it onto problem `MG-n`.
pub async fn attach(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<i64>,
    PageForm(form): PageForm<AttachForm>,
) -> Result<Response, PageError> {
    require(&user)?;
    let draft = Draft {
        id,
        form: "attach",
        problem: form.problem.clone(),
        ..Draft::default()
    };
    let key = form.problem.trim();
    let problem = match problem_id(&state, key).await {
        Ok(p) if !key.is_empty() => p,
        _ => {
            let e = AppError::invalid("problem", "name an existing problem, e.g. MG-12");
            return refuse(&state, &user, draft, e).await;
        }
    };
    match state
        .store
        .attach_held_email(actor(&state, &user), id, problem)
        .await
    {
        Ok(done) => {
            let how = if done.as_reply {
                "as the contact's reply"
            } else {
                "as a note naming the sender"
            };
            let message = format!("Attached to {} {how}", ProblemNumber(problem.0));
            Ok(flash_redirect("/settings/inbox", &message))
        }
        Err(StoreError::NotFound { what }) => Err(PageError::from(StoreError::NotFound { what })),
        Err(e) => refuse(&state, &user, draft, e.into()).await,
    }
}

/// The open form: nothing for a known contact, else the account and name to add them with.
#[derive(Debug, Deserialize)]
pub struct OpenForm {
    #[serde(default)]
    account: String,
    #[serde(default)]
    name: String,
}

/// `POST /settings/inbox/{id}/open`: a new problem in triage, owned by the reviewer.
pub async fn open(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<i64>,
    PageForm(form): PageForm<OpenForm>,
) -> Result<Response, PageError> {
    require(&user)?;
    let draft = Draft {
        id,
        form: "open",
        account: form.account.clone(),
        name: form.name.clone(),
        ..Draft::default()
    };
    let who = if form.account.trim().is_empty() && form.name.trim().is_empty() {
        HeldSender::Known
    } else {
        match form.account.trim().parse::<i64>() {
            Ok(a) => HeldSender::NewContact {
                account: AccountId(a),
                name: form.name.clone(),
            },
            Err(_) => {
                let e = AppError::invalid("account", "choose the sender's account");
                return refuse(&state, &user, draft, e).await;
            }
        }
    };
    match state
        .store
        .open_held_email(actor(&state, &user), id, who)
        .await
    {
        Ok(done) => {
            let to = done.problem.map_or_else(
                || "/settings/inbox".to_owned(),
                |p| format!("/problems/{}", ProblemNumber(p.0)),
            );
            Ok(flash_redirect(
                &to,
                "Opened a new problem from the held email",
            ))
        }
        Err(StoreError::NotFound { what }) => Err(PageError::from(StoreError::NotFound { what })),
        Err(e) => refuse(&state, &user, draft, e.into()).await,
    }
}

/// `POST /settings/inbox/{id}/dismiss`: kept, but no longer waiting for review.
pub async fn dismiss(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<i64>,
    PageForm(_): PageForm<ButtonOnly>,
) -> Result<Response, PageError> {
    require(&user)?;
    match state
        .store
        .dismiss_held_email(actor(&state, &user), id)
        .await
    {
        Ok(_) => Ok(flash_redirect(
            "/settings/inbox",
            "Dismissed — the message is kept",
        )),
        Err(StoreError::Conflict(message)) => {
            let draft = Draft {
                id,
                form: "dismiss",
                ..Draft::default()
            };
            refuse(&state, &user, draft, AppError::Conflict(message)).await
        }
        Err(e) => Err(e.into()),
    }
}
