//! `POST /problems/{key}/messages`: the composer — an update to the customer or an internal note.

use axum::extract::State;
use axum::response::Response;
use makegood_domain::text::limits;
use makegood_domain::{Action, ClockKind, ClockState, EventKind};
use serde::Deserialize;

use super::super::{PageError, PageForm, SignedIn, flash_redirect};
use super::{Draft, load, problem_path, record};
use crate::api::types::Check;
use crate::extract::Path;
use crate::state::AppState;

/// The composer's fields: the chosen radio (`kind`), the pressed button (`send`), the text.
#[derive(Debug, Deserialize)]
pub struct MessageForm {
    #[serde(default)]
    kind: String,
    /// The submit button pressed: its label names where the message goes, so it wins.
    #[serde(default)]
    send: String,
    #[serde(default)]
    body: String,
}

pub async fn post_message(
    State(state): State<AppState>,
    user: SignedIn,
    Path(key): Path<String>,
    PageForm(form): PageForm<MessageForm>,
) -> Result<Response, PageError> {
    user.require(Action::WorkProblems, None)?;
    let view = load(&state, &key).await?;
    let kind = if form.send.is_empty() {
        form.kind
    } else {
        form.send
    };
    let mut draft = Draft::new("composer");
    draft.body.clone_from(&form.body);
    let mut check = Check::default();
    let body = check.text("body", &form.body, limits::MESSAGE);
    let event = match kind.as_str() {
        "update" => Some(EventKind::Update { body }),
        "note" => Some(EventKind::Note { body }),
        _ => {
            check.fail(
                "kind",
                "choose whether this goes to the customer or stays internal",
            );
            None
        }
    };
    draft.kind = kind;
    if let Err(e) = check.finish() {
        return draft.refuse(&state, &user, &key, e).await;
    }
    let Some(event) = event else {
        return Err(PageError::BadForm("no message kind".into()));
    };
    let customer = event.is_customer_visible();
    let tell_was_running = tell_state(&view.clocks).is_some_and(ClockState::is_running);
    let after = match record(&state, &user, &view, event).await {
        Ok(after) => after,
        Err(e) => return draft.refuse(&state, &user, &key, e).await,
    };
    let message = if !customer {
        "Internal note added — only the team sees it; it does not count as telling the customer"
    } else if tell_was_running && tell_state(&after.clocks) == Some(ClockState::Met) {
        "Update sent to the customer — the tell clock is met"
    } else if tell_was_running {
        "Update sent to the customer — later than the policy asked, so the tell clock is missed"
    } else {
        "Update sent to the customer"
    };
    Ok(flash_redirect(&problem_path(&after), message))
}

fn tell_state(clocks: &[makegood_domain::Clock]) -> Option<ClockState> {
    clocks
        .iter()
        .find(|c| c.kind == ClockKind::Tell)
        .map(|c| c.state)
}
