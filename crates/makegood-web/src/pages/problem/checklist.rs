//! The problem page's playbook: the checklist panel (tick and untick, with CSRF) and the
//! composer's "start from a template" (`?template=apology&contact=3` pre-fills the body with
//! the rendered text, which the member reviews and sends as any update; nothing is sent).

use std::collections::HashMap;

use axum::extract::State;
use axum::response::Response;
use makegood_domain::{Action, ContactId, MemberId, TemplateKind};
use makegood_store::{Actor, ProblemView};
use serde::Deserialize;

use super::super::{PageError, PageForm, SignedIn, When, flash_redirect};
use super::{Draft, capitalised, load, problem_path};
use crate::error::AppError;
use crate::extract::Path;
use crate::state::AppState;

/// One checklist item as the panel shows it.
pub struct ItemRow {
    pub position: u32,
    pub text: String,
    pub done: bool,
    /// "Sam Patel, Tue 3 Mar 2026 10:00 UTC" when done.
    pub by: String,
    pub at: Option<When>,
}

/// The playbook of the problem's category, as the page shows it.
#[derive(Default)]
pub struct PlaybookPanel {
    /// Whether the category has a playbook.
    pub exists: bool,
    pub progress: String,
    pub items: Vec<ItemRow>,
    /// The member may tick items and start messages from templates.
    pub can_work: bool,
    /// The templates the playbook has: form value and label.
    pub kinds: Vec<(&'static str, &'static str)>,
    /// The template and contact the composer was started from.
    pub template: String,
    pub contact: i64,
}

impl PlaybookPanel {
    /// Whether `kind` is the template the composer was started from.
    pub fn chose(&self, kind: &&str) -> bool {
        self.template == *kind
    }
}

/// The panel for `view`, read for `user`; `members` names who ticked.
pub async fn panel(
    state: &AppState,
    user: &SignedIn,
    view: &ProblemView,
    members: &HashMap<MemberId, String>,
    draft: &Draft,
) -> Result<PlaybookPanel, PageError> {
    let list = state.store.checklist(view.problem.id).await?;
    let Some(id) = list.playbook else {
        return Ok(PlaybookPanel::default());
    };
    let playbook = state.store.playbook(id).await?;
    let now = state.now();
    let items = list
        .items
        .iter()
        .map(|i| ItemRow {
            position: i.position,
            text: i.text.clone(),
            done: i.done.is_some(),
            by: i.done.map_or_else(String::new, |t| {
                members
                    .get(&t.by)
                    .cloned()
                    .unwrap_or_else(|| format!("member #{}", t.by))
            }),
            at: i.done.map(|t| When::new(t.at, &user.zone, now)),
        })
        .collect();
    Ok(PlaybookPanel {
        exists: true,
        progress: list.progress(),
        items,
        can_work: user.member.may(Action::WorkProblems, None),
        kinds: playbook
            .templates
            .kinds()
            .into_iter()
            .map(|k| (k.as_str(), k.label()))
            .collect(),
        template: draft.template.clone(),
        contact: draft.contact,
    })
}

/// Pre-fills the composer of `draft` with template `template` rendered for `contact`
/// (default: the first stakeholder); a template that cannot be rendered says why above it.
pub async fn prefill(
    state: &AppState,
    user: &SignedIn,
    view: &ProblemView,
    template: &str,
    contact: Option<i64>,
    draft: &mut Draft,
) -> Result<(), PageError> {
    user.require(Action::WorkProblems, None)?;
    draft.form = "composer";
    "update".clone_into(&mut draft.kind);
    template.clone_into(&mut draft.template);
    draft.contact = contact.unwrap_or_default();
    let Some(kind) = TemplateKind::parse(template) else {
        draft.alert = Some(format!(
            "There is no “{template}” template; choose one from the list"
        ));
        return Ok(());
    };
    let actor = Actor {
        member: user.member.id,
        now: state.now(),
    };
    let rendered = state
        .store
        .render_message(actor, view.problem.id, kind, contact.map(ContactId))
        .await
        .map_err(AppError::from);
    match rendered {
        Ok(m) => {
            draft.body = m.body;
            draft.contact = m.contact.0;
        }
        Err(AppError::NotFound(m)) => draft.alert = Some(capitalised(&m)),
        Err(AppError::Validation(errors)) => {
            let why: Vec<String> = errors.into_iter().map(|e| e.message).collect();
            draft.alert = Some(format!(
                "The {} template cannot be used here: {}",
                kind.label().to_lowercase(),
                why.join("; ")
            ));
        }
        Err(other) => return Err(other.into()),
    }
    Ok(())
}

/// The tick box form: the item text the member saw, so a changed playbook is noticed.
#[derive(Debug, Deserialize)]
pub struct TickForm {
    #[serde(default)]
    item: String,
}

async fn set(
    state: &AppState,
    user: &SignedIn,
    key: &str,
    position: u32,
    done: bool,
    item: &str,
) -> Result<Response, PageError> {
    user.require(Action::WorkProblems, None)?;
    let view = load(state, key).await?;
    let actor = Actor {
        member: user.member.id,
        now: state.now(),
    };
    let expected = Some(item).filter(|i| !i.trim().is_empty());
    let result = state
        .store
        .set_checklist_item(actor, view.problem.id, position, done, expected)
        .await
        .map_err(AppError::from);
    let path = format!("{}#checklist", problem_path(&view));
    match result {
        Ok(list) => {
            let what = list.item(position).map_or("", |i| i.text.as_str());
            let message = if done {
                format!("Done: “{what}” — {}", list.progress())
            } else {
                format!("Not done: “{what}” — {}", list.progress())
            };
            Ok(flash_redirect(&path, &message))
        }
        Err(AppError::Conflict(message)) => Ok(flash_redirect(&path, &capitalised(&message))),
        Err(e) => Err(e.into()),
    }
}

pub async fn tick(
    State(state): State<AppState>,
    user: SignedIn,
    Path((key, position)): Path<(String, u32)>,
    PageForm(form): PageForm<TickForm>,
) -> Result<Response, PageError> {
    set(&state, &user, &key, position, true, &form.item).await
}

pub async fn untick(
    State(state): State<AppState>,
    user: SignedIn,
    Path((key, position)): Path<(String, u32)>,
    PageForm(form): PageForm<TickForm>,
) -> Result<Response, PageError> {
    set(&state, &user, &key, position, false, &form.item).await
}
