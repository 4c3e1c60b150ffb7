//! The promise panel's forms: make, keep, renegotiate (new due time and reason), release.
//!
//! Agents work only the promises they made; supervisors and admins work every promise.

use axum::extract::State;
use axum::response::Response;
use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use makegood_domain::text::limits;
use makegood_domain::{AccountId, Action, ContactId, PromiseId, PromiseStatus};
use makegood_store::{Actor, NewAccountsPromise, NewPromise, PromiseView};
use serde::Deserialize;

use super::super::{ButtonOnly, PageError, PageForm, SignedIn, When, flash_redirect};
use super::{Draft, load, problem_path};
use crate::api::types::Check;
use crate::error::AppError;
use crate::extract::Path;
use crate::state::AppState;

/// A new due time, or why the customer waived the promise.
#[derive(Debug, Deserialize)]
pub struct ChangeForm {
    #[serde(default)]
    due_at: String,
    #[serde(default)]
    reason: String,
}

fn actor(state: &AppState, user: &SignedIn) -> Actor {
    Actor {
        member: user.member.id,
        now: state.now(),
    }
}

/// A `datetime-local` value (`2026-11-22T15:30`) read in the member's time zone.
fn local_time(value: &str, zone: &TimeZone) -> Result<Timestamp, &'static str> {
    let value = value.trim();
    if value.is_empty() {
        return Err("give the date and time it is due");
    }
    value
        .parse::<DateTime>()
        .ok()
        .and_then(|dt| dt.to_zoned(zone.clone()).ok())
        .map(|z| z.timestamp())
        .ok_or("give a date and time like 2026-11-22 15:30")
}

/// Checks a due time: readable, in the member's zone, in the future.
pub(super) fn due(check: &mut Check, value: &str, user: &SignedIn, now: Timestamp) -> Timestamp {
    match local_time(value, &user.zone) {
        Ok(at) if at > now => at,
        Ok(at) => {
            check.fail("due_at", "must be in the future");
            at
        }
        Err(message) => {
            check.fail("due_at", message);
            now
        }
    }
}

/// `POST /problems/{key}/promises`: makes a promise to some of the stakeholders, or to
/// those of one affected account (`to` = its id) or of all (`to=all`).
pub async fn make_promise(
    State(state): State<AppState>,
    user: SignedIn,
    Path(key): Path<String>,
    PageForm(fields): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Action::WorkOwnPromises, Some(user.member.id))?;
    let view = load(&state, &key).await?;
    let mut draft = Draft::new("promise");
    for (name, value) in fields {
        match name.as_str() {
            "what" => draft.what = value,
            "due_at" => draft.due_at = value,
            "to" => draft.to = value,
            "contacts" => {
                if let Ok(id) = value.parse() {
                    draft.contacts.push(id);
                }
            }
            _ => {}
        }
    }
    let now = state.now();
    let mut check = Check::default();
    let what = check.text("what", &draft.what, limits::PROMISE);
    let to = draft.to.trim().to_owned();
    let accounts = match to.as_str() {
        "" => None,
        "all" => Some(None),
        id => match id.parse() {
            Ok(id) => Some(Some(vec![AccountId(id)])),
            Err(_) => {
                check.fail(
                    "accounts",
                    "choose one of the affected accounts, or all of them",
                );
                Some(None)
            }
        },
    };
    check.ensure(
        accounts.is_some() || !draft.contacts.is_empty(),
        "contacts",
        "choose at least one contact the promise is made to",
    );
    check.ensure(
        accounts.is_none() || draft.contacts.is_empty(),
        "contacts",
        "untick the contacts, or choose “the contacts ticked below”: a promise goes to one or the other",
    );
    let due_at = due(&mut check, &draft.due_at, &user, now);
    if let Err(e) = check.finish() {
        return draft.refuse(&state, &user, &key, e).await;
    }
    if let Some(accounts) = accounts {
        let new = NewAccountsPromise {
            what,
            problem: view.problem.id,
            accounts,
            made_by: user.member.id,
            due_at,
        };
        return match state
            .store
            .create_accounts_promise(actor(&state, &user), new)
            .await
        {
            Ok(made) => Ok(promise_made(&view, &made, &user, now)),
            Err(e) => draft.refuse(&state, &user, &key, e.into()).await,
        };
    }
    let new = NewPromise {
        what,
        contacts: draft.contacts.iter().copied().map(ContactId).collect(),
        made_by: user.member.id,
        problem: Some(view.problem.id),
        due_at,
    };
    match state.store.create_promise(actor(&state, &user), new).await {
        Ok(made) => Ok(promise_made(&view, &made, &user, now)),
        Err(e) => draft.refuse(&state, &user, &key, e.into()).await,
    }
}

/// Back to the problem, saying when the promise is due.
fn promise_made(
    view: &makegood_store::ProblemView,
    made: &PromiseView,
    user: &SignedIn,
    now: Timestamp,
) -> Response {
    let when = When::new(made.promise.due_at, &user.zone, now);
    let to = match made.promise.contacts.len() {
        1 => String::new(),
        n => format!(" to {n} contacts"),
    };
    let message = format!(
        "Promise recorded{to} — due {} ({}); you will be warned before it is due",
        when.absolute, when.relative
    );
    flash_redirect(&problem_path(view), &message)
}

/// The promise `id` of the problem `key`, if the member may work it.
async fn workable(
    state: &AppState,
    user: &SignedIn,
    key: &str,
    id: i64,
) -> Result<(makegood_store::ProblemView, PromiseView), PageError> {
    user.require(Action::WorkOwnPromises, None)?;
    let view = load(state, key).await?;
    let promise = state.store.promise(PromiseId(id), state.now()).await?;
    if promise.promise.problem != Some(view.problem.id) {
        return Err(PageError::NotFound(format!(
            "promise {id} of problem {}",
            view.problem.number
        )));
    }
    user.require(Action::WorkOwnPromises, Some(promise.promise.made_by))?;
    Ok((view, promise))
}

/// `POST /problems/{key}/promises/{id}/keep`.
pub async fn keep_promise(
    State(state): State<AppState>,
    user: SignedIn,
    Path((key, id)): Path<(String, i64)>,
    PageForm(_): PageForm<ButtonOnly>,
) -> Result<Response, PageError> {
    let (view, promise) = workable(&state, &user, &key, id).await?;
    let mut draft = Draft::new("keep");
    draft.promise = Some(id);
    match state
        .store
        .keep_promise(actor(&state, &user), promise.promise.id, None)
        .await
    {
        Ok(_) => Ok(flash_redirect(
            &problem_path(&view),
            "Promise kept — recorded as kept on time",
        )),
        Err(e) => draft.refuse(&state, &user, &key, e.into()).await,
    }
}

/// `POST /problems/{key}/promises/{id}/renegotiate`: a new due time agreed before the old one.
pub async fn renegotiate_promise(
    State(state): State<AppState>,
    user: SignedIn,
    Path((key, id)): Path<(String, i64)>,
    PageForm(form): PageForm<ChangeForm>,
) -> Result<Response, PageError> {
    let (view, promise) = workable(&state, &user, &key, id).await?;
    let mut draft = Draft::new("renegotiate");
    draft.promise = Some(id);
    draft.due_at.clone_from(&form.due_at);
    draft.reason.clone_from(&form.reason);
    if promise.state == PromiseStatus::Broken {
        let e = AppError::Conflict(
            "this promise is already broken: a promise can only be renegotiated before it is due"
                .into(),
        );
        return draft.refuse(&state, &user, &key, e).await;
    }
    let now = state.now();
    let mut check = Check::default();
    let new_due = due(&mut check, &form.due_at, &user, now);
    let reason = check.text("reason", &form.reason, limits::REASON);
    if let Err(e) = check.finish() {
        return draft.refuse(&state, &user, &key, e).await;
    }
    match state
        .store
        .renegotiate_promise(
            actor(&state, &user),
            promise.promise.id,
            None,
            new_due,
            &reason,
        )
        .await
    {
        Ok(successor) => {
            let when = When::new(successor.promise.due_at, &user.zone, now);
            let message = format!(
                "Promise renegotiated in time — now due {} ({})",
                when.absolute, when.relative
            );
            Ok(flash_redirect(&problem_path(&view), &message))
        }
        Err(e) => draft.refuse(&state, &user, &key, e.into()).await,
    }
}

/// `POST /problems/{key}/promises/{id}/release`: the customer waived it.
pub async fn release_promise(
    State(state): State<AppState>,
    user: SignedIn,
    Path((key, id)): Path<(String, i64)>,
    PageForm(form): PageForm<ChangeForm>,
) -> Result<Response, PageError> {
    let (view, promise) = workable(&state, &user, &key, id).await?;
    let mut draft = Draft::new("release");
    draft.promise = Some(id);
    draft.reason.clone_from(&form.reason);
    let mut check = Check::default();
    let reason = check.text("reason", &form.reason, limits::REASON);
    if let Err(e) = check.finish() {
        return draft.refuse(&state, &user, &key, e).await;
    }
    match state
        .store
        .release_promise(actor(&state, &user), promise.promise.id, None, &reason)
        .await
    {
        Ok(_) => Ok(flash_redirect(
            &problem_path(&view),
            "Promise released — the customer waived it",
        )),
        Err(e) => draft.refuse(&state, &user, &key, e.into()).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_local_time_is_read_in_the_members_zone() {
        let berlin = TimeZone::get("Europe/Berlin").unwrap();
        let at = local_time("2026-11-22T15:30", &berlin).unwrap();
        assert_eq!(at.to_string(), "2026-11-22T14:30:00Z");
        assert_eq!(
            local_time(" ", &berlin),
            Err("give the date and time it is due")
        );
        assert!(local_time("tomorrow", &berlin).is_err());
    }
}
