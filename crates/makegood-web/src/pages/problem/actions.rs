//! The actions panel's forms: wait on the customer or a vendor, resume, fixed, confirmed,
//! close with an outcome, reopen, change owner. The domain's state machine refuses the rest.

use axum::extract::State;
use axum::response::Response;
use makegood_domain::text::limits;
use makegood_domain::{Action, EventKind, MemberId, WaitingOn};
use makegood_store::StoreError;
use serde::Deserialize;

use super::super::{ButtonOnly, PageError, PageForm, SignedIn, flash_redirect};
use super::words::OUTCOMES;
use super::{Draft, load, problem_path, record};
use crate::api::types::Check;
use crate::error::AppError;
use crate::extract::Path;
use crate::state::AppState;

/// Every action's fields; each form sends the ones it shows.
#[derive(Debug, Deserialize)]
pub struct ActionForm {
    #[serde(default)]
    on: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    owner: String,
}

/// Checks the form, records the event it makes, and redirects with `done`; a refusal
/// re-renders the page with the form's input and the message.
async fn act(
    state: &AppState,
    user: &SignedIn,
    key: &str,
    mut draft: Draft,
    event: Result<EventKind, AppError>,
    done: &str,
) -> Result<Response, PageError> {
    user.require(Action::WorkProblems, None)?;
    let view = load(state, key).await?;
    let event = match event {
        Ok(event) => event,
        Err(e) => return draft.refuse(state, user, key, e).await,
    };
    draft.alert = None;
    match record(state, user, &view, event).await {
        Ok(after) => Ok(flash_redirect(&problem_path(&after), done)),
        Err(e) => draft.refuse(state, user, key, e).await,
    }
}

fn text(field: &str, value: &str) -> Result<String, AppError> {
    let mut check = Check::default();
    let value = check.text(field, value, limits::REASON);
    check.finish().map(|()| value)
}

/// `POST /problems/{key}/wait`: openly waiting on the customer or a vendor.
pub async fn wait(
    State(state): State<AppState>,
    user: SignedIn,
    Path(key): Path<String>,
    PageForm(form): PageForm<ActionForm>,
) -> Result<Response, PageError> {
    let mut draft = Draft::new("wait");
    draft.reason.clone_from(&form.reason);
    draft.on.clone_from(&form.on);
    let on = match form.on.as_str() {
        "customer" => Some(WaitingOn::Customer),
        "vendor" => Some(WaitingOn::Vendor),
        _ => None,
    };
    let event = match (on, text("reason", &form.reason)) {
        (Some(on), Ok(reason)) => Ok(EventKind::Waiting { on, reason }),
        (None, _) => Err(AppError::invalid("on", "choose whom the problem waits on")),
        (_, Err(e)) => Err(e),
    };
    let done = match on {
        Some(WaitingOn::Customer) => {
            "Waiting on the customer — the update and fix clocks are paused"
        }
        _ => "Waiting on the vendor — the update and fix clocks are paused",
    };
    act(&state, &user, &key, draft, event, done).await
}

/// `POST /problems/{key}/resume`: no longer waiting.
pub async fn resume(
    State(state): State<AppState>,
    user: SignedIn,
    Path(key): Path<String>,
    PageForm(_): PageForm<ButtonOnly>,
) -> Result<Response, PageError> {
    let draft = Draft::new("resume");
    let done = "Resumed — the clocks run again";
    act(&state, &user, &key, draft, Ok(EventKind::Resumed), done).await
}

/// `POST /problems/{key}/fix`: we believe it is fixed.
pub async fn fix(
    State(state): State<AppState>,
    user: SignedIn,
    Path(key): Path<String>,
    PageForm(form): PageForm<ActionForm>,
) -> Result<Response, PageError> {
    let mut draft = Draft::new("fix");
    draft.summary.clone_from(&form.summary);
    let event = text("summary", &form.summary).map(|summary| EventKind::Fixed { summary });
    let done = "Marked fixed — ask the customer to confirm";
    act(&state, &user, &key, draft, event, done).await
}

/// `POST /problems/{key}/confirm`: the customer confirmed the fix.
pub async fn confirm(
    State(state): State<AppState>,
    user: SignedIn,
    Path(key): Path<String>,
    PageForm(_): PageForm<ButtonOnly>,
) -> Result<Response, PageError> {
    let draft = Draft::new("confirm");
    let done = "Recorded that the customer confirmed the fix";
    act(
        &state,
        &user,
        &key,
        draft,
        Ok(EventKind::Confirmed { contact: None }),
        done,
    )
    .await
}

/// `POST /problems/{key}/close`: closed with the relationship outcome.
pub async fn close(
    State(state): State<AppState>,
    user: SignedIn,
    Path(key): Path<String>,
    PageForm(form): PageForm<ActionForm>,
) -> Result<Response, PageError> {
    let draft = Draft::new("close");
    let event = OUTCOMES
        .iter()
        .find(|(value, _, _)| *value == form.outcome)
        .map(|(_, outcome, _)| EventKind::Closed { outcome: *outcome })
        .ok_or_else(|| AppError::invalid("outcome", "choose the relationship outcome"));
    let done = "Closed — every clock has stopped";
    act(&state, &user, &key, draft, event, done).await
}

/// `POST /problems/{key}/reopen`: open again, with the reason.
pub async fn reopen(
    State(state): State<AppState>,
    user: SignedIn,
    Path(key): Path<String>,
    PageForm(form): PageForm<ActionForm>,
) -> Result<Response, PageError> {
    let mut draft = Draft::new("reopen");
    draft.reason.clone_from(&form.reason);
    let event = text("reason", &form.reason).map(|reason| EventKind::Reopened { reason });
    let done = "Reopened — the fix clock runs again";
    act(&state, &user, &key, draft, event, done).await
}

/// `POST /problems/{key}/owner`: gives the problem to another member.
///
/// Needs `Reassign` (supervisors, admins), or being the owner: owning includes finding a
/// better owner.
pub async fn change_owner(
    State(state): State<AppState>,
    user: SignedIn,
    Path(key): Path<String>,
    PageForm(form): PageForm<ActionForm>,
) -> Result<Response, PageError> {
    let view = load(&state, &key).await?;
    let from = view.problem.owner;
    if !(from == user.member.id && user.member.may(Action::WorkProblems, None)) {
        user.require(Action::Reassign, None)?;
    }
    let draft = Draft::new("owner");
    let to = match form.owner.trim().parse::<i64>() {
        Ok(id) => match state.store.member(MemberId(id)).await {
            Ok(m) if m.active && m.role.may_own() => Ok(m),
            Ok(_) => Err(AppError::invalid(
                "owner",
                "is a viewer or deactivated and cannot own problems",
            )),
            Err(StoreError::NotFound { .. }) => Err(AppError::invalid("owner", "no such member")),
            Err(e) => return Err(e.into()),
        },
        Err(_) => Err(AppError::invalid("owner", "choose the new owner")),
    };
    let to = match to {
        Ok(m) if m.id == from => {
            return Ok(flash_redirect(
                &problem_path(&view),
                &format!("{} already owns it", m.name),
            ));
        }
        Ok(m) => m,
        Err(e) => return draft.refuse(&state, &user, &key, e).await,
    };
    let event = EventKind::OwnerChanged { from, to: to.id };
    match super::record(&state, &user, &view, event).await {
        Ok(after) => Ok(flash_redirect(
            &problem_path(&after),
            &format!("{} owns it now", to.name),
        )),
        Err(e) => draft.refuse(&state, &user, &key, e).await,
    }
}
