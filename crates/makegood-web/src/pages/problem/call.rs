//! The call an upset customer is owed: the "Customer upset" badge's panel and the "Called
//! them" form (`#call`), which records `customer_called` with how the call went.

use axum::extract::State;
use axum::response::Response;
use makegood_domain::text::limits;
use makegood_domain::{Action, ClockKind, EventKind};
use makegood_store::ProblemView;
use serde::Deserialize;

use super::super::{PageError, PageForm, SignedIn, When, flash_redirect};
use super::{Draft, load, problem_path, record};
use crate::api::types::Check;
use crate::state::AppState;

/// What the panel shows.
pub struct CallPanel {
    /// The customer's latest word was strongly negative and no one has called since.
    pub upset: bool,
    /// A call is owed (the Call clock runs): since when, and by when.
    pub owed_since: Option<When>,
    pub due: Option<When>,
    /// The signed-in member may record the call.
    pub can_call: bool,
}

impl CallPanel {
    pub fn new(view: &ProblemView, user: &SignedIn, now: jiff::Timestamp) -> Self {
        let running = view
            .clocks
            .iter()
            .find(|c| c.kind == ClockKind::Call && c.state.is_running());
        let when = |t| When::new(t, &user.zone, now);
        Self {
            upset: view.customer_upset,
            owed_since: running.map(|c| when(c.started_at)),
            due: running.and_then(|c| c.due_at).map(when),
            can_call: user.member.may(Action::WorkProblems, None),
        }
    }
}

/// The form's one field.
#[derive(Debug, Deserialize)]
pub struct CallForm {
    #[serde(default)]
    note: String,
}

/// `POST /problems/{key}/call`: the member called the customer; `note` says how it went.
pub async fn called(
    State(state): State<AppState>,
    user: SignedIn,
    crate::extract::Path(key): crate::extract::Path<String>,
    PageForm(form): PageForm<CallForm>,
) -> Result<Response, PageError> {
    user.require(Action::WorkProblems, None)?;
    let view = load(&state, &key).await?;
    let mut draft = Draft::new("call");
    draft.note.clone_from(&form.note);
    let mut check = Check::default();
    let note = check.text("note", &form.note, limits::REASON);
    if let Err(e) = check.finish() {
        return draft.refuse(&state, &user, &key, e).await;
    }
    match record(&state, &user, &view, EventKind::CustomerCalled { note }).await {
        Ok(after) => Ok(flash_redirect(
            &problem_path(&after),
            "Recorded the call — the customer is no longer flagged upset",
        )),
        Err(e) => draft.refuse(&state, &user, &key, e).await,
    }
}
