//! Playbooks per problem category (everyone reads, admins change them), a problem's checklist
//! (members who work problems tick it), and rendering a template for the composer.
//!
//! A template that does not render is refused at save with 422, its field
//! (`templates.apology`) and `line N: what is wrong` in `errors` and in `detail`.

use axum::extract::State;
use axum::http::StatusCode;
use makegood_domain::playbook::PlaybookDraft;
use makegood_domain::{
    Action, Checklist, ChecklistItem, ContactId, Playbook, PlaybookId, ProblemNumber, TemplateKind,
    Templates,
};
use makegood_store::{Actor, RenderedMessage};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::types::{find_problem, problem_key};
use crate::auth::CurrentMember;
use crate::error::{AppError, FieldError};
use crate::extract::{Json, Path};
use crate::state::AppState;

/// A playbook to create, or to replace one whole.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlaybookInput {
    /// The problem category it is for (matched trimmed, in any case); one playbook each.
    #[schema(min_length = 1, pattern = r"\S", example = "print")]
    pub category: String,
    /// The checklist, in order; blank items are dropped, each item at most once.
    #[serde(default)]
    #[schema(example = json!(["Call the IT director", "Offer a re-shoot at our expense"]))]
    pub items: Vec<String>,
    /// minijinja templates; an empty one means none for that moment. Variables:
    /// `contact.first_name`, `contact.name`, `contact.role_title`, `account.name`,
    /// `problem.number`, `problem.title`, `problem.category`, `owner.name`,
    /// `organisation.name`, `promise.what`, `promise.due_at` (`promise` is `none` without an
    /// open promise).
    #[serde(default)]
    pub templates: Templates,
}

impl PlaybookInput {
    /// The draft, checked: every refusal as a field error (templates with their line).
    fn checked(self) -> Result<PlaybookDraft, AppError> {
        let draft = PlaybookDraft {
            category: self.category,
            items: self.items,
            templates: self.templates,
        };
        draft.validate().map_err(|errors| {
            AppError::Validation(
                errors
                    .into_iter()
                    .map(|e| FieldError::new(e.field, e.message))
                    .collect(),
            )
        })
    }
}

/// Every playbook.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlaybookList {
    pub items: Vec<Playbook>,
}

/// A problem's checklist with its progress.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChecklistBody {
    pub problem: ProblemNumber,
    /// The playbook of the problem's category; `null` (and no items) when it has none.
    #[schema(value_type = Option<i64>)]
    pub playbook: Option<PlaybookId>,
    pub category: String,
    pub items: Vec<ChecklistItem>,
    pub done: usize,
    pub total: usize,
}

impl ChecklistBody {
    fn new(problem: ProblemNumber, list: Checklist) -> Self {
        Self {
            problem,
            playbook: list.playbook,
            done: list.done(),
            total: list.items.len(),
            category: list.category,
            items: list.items,
        }
    }
}

/// Whom to write to.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RenderRequest {
    /// A contact of the problem's accounts; defaults to its first stakeholder.
    #[schema(value_type = Option<i64>)]
    pub contact: Option<ContactId>,
}

/// A rendered template, to review and send as an update; nothing has been sent.
#[derive(Debug, Serialize, ToSchema)]
pub struct RenderedBody {
    pub kind: TemplateKind,
    #[schema(value_type = i64)]
    pub contact: ContactId,
    pub body: String,
}

impl From<RenderedMessage> for RenderedBody {
    fn from(m: RenderedMessage) -> Self {
        Self {
            kind: m.kind,
            contact: m.contact,
            body: m.body,
        }
    }
}

fn kind_param(kind: &str) -> Result<TemplateKind, AppError> {
    TemplateKind::parse(kind).ok_or_else(|| {
        AppError::bad_request(format!(
            "`{kind}` is not a template kind; use first_told, update, fixed or apology"
        ))
    })
}

/// Lists the playbooks by category.
#[utoipa::path(get, path = "/playbooks", tag = "playbooks",
    responses((status = 200, body = PlaybookList)))]
pub async fn list_playbooks(
    State(state): State<AppState>,
    me: CurrentMember,
) -> Result<Json<PlaybookList>, AppError> {
    me.require(Action::Read, None)?;
    let items = state.store.list_playbooks().await?;
    Ok(Json(PlaybookList { items }))
}

/// Gets a playbook.
#[utoipa::path(get, path = "/playbooks/{id}", tag = "playbooks",
    responses((status = 200, body = Playbook)))]
pub async fn get_playbook(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(id): Path<i64>,
) -> Result<Json<Playbook>, AppError> {
    me.require(Action::Read, None)?;
    Ok(Json(state.store.playbook(PlaybookId(id)).await?))
}

/// Creates a playbook for a category (admins); every template must render.
#[utoipa::path(post, path = "/playbooks", tag = "playbooks",
    responses((status = 201, body = Playbook)))]
pub async fn create_playbook(
    State(state): State<AppState>,
    me: CurrentMember,
    Json(body): Json<PlaybookInput>,
) -> Result<(StatusCode, Json<Playbook>), AppError> {
    me.require(Action::EditPolicies, None)?;
    let draft = body.checked()?;
    let playbook = state.store.create_playbook(&draft, state.now()).await?;
    Ok((StatusCode::CREATED, Json(playbook)))
}

/// Replaces a playbook whole (admins). Ticks follow the item text: a moved item stays done,
/// a reworded one starts afresh.
#[utoipa::path(put, path = "/playbooks/{id}", tag = "playbooks",
    responses((status = 200, body = Playbook)))]
pub async fn update_playbook(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(id): Path<i64>,
    Json(body): Json<PlaybookInput>,
) -> Result<Json<Playbook>, AppError> {
    me.require(Action::EditPolicies, None)?;
    let draft = body.checked()?;
    let playbook = state
        .store
        .update_playbook(PlaybookId(id), &draft, state.now())
        .await?;
    Ok(Json(playbook))
}

/// Deletes a playbook (admins); the timeline keeps the history of its ticks.
#[utoipa::path(delete, path = "/playbooks/{id}", tag = "playbooks",
    responses((status = 204, description = "Deleted")))]
pub async fn delete_playbook(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(id): Path<i64>,
) -> Result<StatusCode, AppError> {
    me.require(Action::EditPolicies, None)?;
    state.store.delete_playbook(PlaybookId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Gets a problem's checklist: its category's playbook items, done or not.
#[utoipa::path(get, path = "/problems/{problem}/checklist", tag = "playbooks",
    params(("problem" = String, Path, description = "The number, e.g. MG-12 (or the id)")),
    responses((status = 200, body = ChecklistBody)))]
pub async fn get_checklist(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(key): Path<String>,
) -> Result<Json<ChecklistBody>, AppError> {
    me.require(Action::Read, None)?;
    let view = find_problem(&state, problem_key(&key)?).await?;
    let list = state.store.checklist(view.problem.id).await?;
    Ok(Json(ChecklistBody::new(view.problem.number, list)))
}

async fn set_item(
    state: &AppState,
    me: &CurrentMember,
    key: &str,
    position: u32,
    done: bool,
) -> Result<Json<ChecklistBody>, AppError> {
    me.require(Action::WorkProblems, None)?;
    let view = find_problem(state, problem_key(key)?).await?;
    let actor = Actor {
        member: me.id(),
        now: state.now(),
    };
    let list = state
        .store
        .set_checklist_item(actor, view.problem.id, position, done, None)
        .await?;
    Ok(Json(ChecklistBody::new(view.problem.number, list)))
}

/// Ticks a checklist item (1-based position); ticking a done item changes nothing.
#[utoipa::path(post, path = "/problems/{problem}/checklist/{position}/done", tag = "playbooks",
    params(("problem" = String, Path, description = "The number, e.g. MG-12 (or the id)"),
        ("position" = u32, Path, description = "1-based, in the playbook's order")),
    responses((status = 200, body = ChecklistBody)))]
pub async fn tick_checklist_item(
    State(state): State<AppState>,
    me: CurrentMember,
    Path((key, position)): Path<(String, u32)>,
) -> Result<Json<ChecklistBody>, AppError> {
    set_item(&state, &me, &key, position, true).await
}

/// Unticks a checklist item; unticking an open item changes nothing.
#[utoipa::path(post, path = "/problems/{problem}/checklist/{position}/undone", tag = "playbooks",
    params(("problem" = String, Path, description = "The number, e.g. MG-12 (or the id)"),
        ("position" = u32, Path, description = "1-based, in the playbook's order")),
    responses((status = 200, body = ChecklistBody)))]
pub async fn untick_checklist_item(
    State(state): State<AppState>,
    me: CurrentMember,
    Path((key, position)): Path<(String, u32)>,
) -> Result<Json<ChecklistBody>, AppError> {
    set_item(&state, &me, &key, position, false).await
}

/// Renders the problem's playbook template of `kind` for a contact, for the composer.
/// Nothing is sent; a template that fails is a 422 on `template` with its line.
#[utoipa::path(post, path = "/problems/{problem}/templates/{kind}/render", tag = "playbooks",
    params(("problem" = String, Path, description = "The number, e.g. MG-12 (or the id)"),
        ("kind" = String, Path, description = "first_told, update, fixed or apology")),
    responses((status = 200, body = RenderedBody)))]
pub async fn render_template(
    State(state): State<AppState>,
    me: CurrentMember,
    Path((key, kind)): Path<(String, String)>,
    Json(body): Json<RenderRequest>,
) -> Result<Json<RenderedBody>, AppError> {
    me.require(Action::WorkProblems, None)?;
    let kind = kind_param(&kind)?;
    let view = find_problem(&state, problem_key(&key)?).await?;
    let actor = Actor {
        member: me.id(),
        now: state.now(),
    };
    let rendered = state
        .store
        .render_message(actor, view.problem.id, kind, body.contact)
        .await?;
    Ok(Json(rendered.into()))
}
