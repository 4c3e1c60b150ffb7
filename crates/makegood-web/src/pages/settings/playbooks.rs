//! `/settings/playbooks` (admins): per problem category, a checklist (one item per line) and
//! the four message templates. A template that does not render is refused beside its field
//! with its line and message, the input kept.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use makegood_domain::playbook::render::VARIABLES;
use makegood_domain::playbook::{PlaybookDraft, items_from_lines};
use makegood_domain::{Action, Playbook, PlaybookId, TemplateKind, Templates};
use makegood_store::StoreError;
use serde::Deserialize;

use crate::extract::Path;
use crate::pages::{
    ButtonOnly, Chrome, FieldErrors, PageError, PageForm, SignedIn, flash_redirect, render,
};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/settings/playbooks",
            get(list_playbooks).post(create_playbook),
        )
        .route("/settings/playbooks/new", get(new_playbook))
        .route(
            "/settings/playbooks/{id}",
            get(edit_playbook).post(update_playbook),
        )
        .route("/settings/playbooks/{id}/delete", post(delete_playbook))
}

fn require_admin(user: &SignedIn) -> Result<(), PageError> {
    user.require(Action::EditPolicies, None)
}

/// One playbook in the list.
struct Row {
    id: i64,
    category: String,
    items: usize,
    /// The kinds it has templates for, in words.
    templates: String,
}

#[derive(Template)]
#[template(path = "settings_playbooks.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<Row>,
}

/// One template field of the form.
struct TemplateField {
    /// The form field, e.g. `apology`.
    name: &'static str,
    label: &'static str,
    value: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "settings_playbook.html")]
struct FormPage {
    chrome: Chrome,
    /// `None` for a new playbook.
    id: Option<i64>,
    category: String,
    /// The items, one per line.
    items: String,
    templates: Vec<TemplateField>,
    variables: Vec<(&'static str, &'static str)>,
    errors: FieldErrors,
}

/// The form: the category, the items one per line, and a field per template kind.
#[derive(Debug, Default, Deserialize)]
pub struct PlaybookForm {
    #[serde(default)]
    category: String,
    #[serde(default)]
    items: String,
    #[serde(default)]
    first_told: String,
    #[serde(default)]
    update: String,
    #[serde(default)]
    fixed: String,
    #[serde(default)]
    apology: String,
}

impl PlaybookForm {
    fn of(p: &Playbook) -> Self {
        let t = &p.templates;
        Self {
            category: p.category.clone(),
            items: p.items.join("\n"),
            first_told: t.first_told.clone(),
            update: t.update.clone(),
            fixed: t.fixed.clone(),
            apology: t.apology.clone(),
        }
    }

    fn draft(&self) -> PlaybookDraft {
        PlaybookDraft {
            category: self.category.clone(),
            items: items_from_lines(&self.items),
            templates: Templates {
                first_told: self.first_told.clone(),
                update: self.update.clone(),
                fixed: self.fixed.clone(),
                apology: self.apology.clone(),
            },
        }
    }

    fn page(self, user: &SignedIn, id: Option<i64>, errors: FieldErrors) -> FormPage {
        let templates = TemplateKind::ALL
            .into_iter()
            .map(|kind| TemplateField {
                name: kind.as_str(),
                label: kind.label(),
                value: self.draft().templates.get(kind).to_owned(),
                error: errors
                    .get(&format!("templates.{}", kind.as_str()))
                    .map(str::to_owned),
            })
            .collect();
        FormPage {
            chrome: user.chrome("settings"),
            id,
            category: self.category,
            items: self.items,
            templates,
            variables: VARIABLES.to_vec(),
            errors,
        }
    }
}

async fn list_playbooks(
    State(state): State<AppState>,
    user: SignedIn,
) -> Result<Response, PageError> {
    require_admin(&user)?;
    let rows = state
        .store
        .list_playbooks()
        .await?
        .into_iter()
        .map(|p| Row {
            id: p.id.0,
            items: p.items.len(),
            templates: p
                .templates
                .kinds()
                .iter()
                .map(|k| k.label().to_lowercase())
                .collect::<Vec<_>>()
                .join(", "),
            category: p.category,
        })
        .collect();
    let page = ListPage {
        chrome: user.chrome("settings"),
        rows,
    };
    Ok(render(StatusCode::OK, &page))
}

async fn new_playbook(State(_): State<AppState>, user: SignedIn) -> Result<Response, PageError> {
    require_admin(&user)?;
    let page = PlaybookForm::default().page(&user, None, FieldErrors::default());
    Ok(render(StatusCode::OK, &page))
}

async fn edit_playbook(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    require_admin(&user)?;
    let playbook = state.store.playbook(PlaybookId(id)).await?;
    let page = PlaybookForm::of(&playbook).page(&user, Some(id), FieldErrors::default());
    Ok(render(StatusCode::OK, &page))
}

/// Saves the form (a new playbook when `id` is `None`), or shows it again with every refusal.
async fn save(
    state: &AppState,
    user: &SignedIn,
    id: Option<i64>,
    form: PlaybookForm,
) -> Result<Response, PageError> {
    let draft = match form.draft().validate() {
        Ok(draft) => draft,
        Err(errors) => {
            let mut shown = FieldErrors::default();
            for e in errors {
                shown.push(&e.field, e.message);
            }
            let page = form.page(user, id, shown);
            return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page));
        }
    };
    let now = state.now();
    let saved = match id {
        Some(id) => {
            state
                .store
                .update_playbook(PlaybookId(id), &draft, now)
                .await
        }
        None => state.store.create_playbook(&draft, now).await,
    };
    match saved {
        Ok(p) => Ok(flash_redirect(
            "/settings/playbooks",
            &format!("Playbook for “{}” saved.", p.category),
        )),
        Err(StoreError::Conflict(message)) => {
            let mut errors = FieldErrors::default();
            errors.push("category", message);
            let page = form.page(user, id, errors);
            Ok(render(StatusCode::CONFLICT, &page))
        }
        Err(StoreError::Invalid { field, message }) => {
            let mut errors = FieldErrors::default();
            errors.push(&field, message);
            let page = form.page(user, id, errors);
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e.into()),
    }
}

async fn create_playbook(
    State(state): State<AppState>,
    user: SignedIn,
    PageForm(form): PageForm<PlaybookForm>,
) -> Result<Response, PageError> {
    require_admin(&user)?;
    save(&state, &user, None, form).await
}

async fn update_playbook(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<i64>,
    PageForm(form): PageForm<PlaybookForm>,
) -> Result<Response, PageError> {
    require_admin(&user)?;
    state.store.playbook(PlaybookId(id)).await?;
    save(&state, &user, Some(id), form).await
}

async fn delete_playbook(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<i64>,
    PageForm(ButtonOnly {}): PageForm<ButtonOnly>,
) -> Result<Response, PageError> {
    require_admin(&user)?;
    let playbook = state.store.playbook(PlaybookId(id)).await?;
    state.store.delete_playbook(playbook.id).await?;
    Ok(flash_redirect(
        "/settings/playbooks",
        &format!("Playbook for “{}” deleted.", playbook.category),
    ))
}
