//! `GET /accounts`: the account directory with a name search, and the new-account form.

mod detail;
mod followup;
mod forms;
mod health;

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use makegood_domain::{AccountId, Action};
use makegood_store::{NewAccount, PageRequest};
use serde::Deserialize;

use self::forms::{AccountForm, Outcome, field_errors};
use super::FieldErrors;
use super::{Chrome, PageError, PageForm, SignedIn, flash_redirect, render};
use crate::state::AppState;

/// Accounts per page of the directory.
const PAGE_SIZE: u32 = 25;
/// The most accounts a parent `<select>` offers.
const PARENT_CHOICES: u32 = 200;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/accounts", get(list_accounts).post(create_account))
        .route(
            "/accounts/{id}",
            get(detail::account).post(detail::update_account),
        )
        .route("/accounts/{id}/contacts", post(detail::add_contact))
        .route("/accounts/{id}/review", post(health::review))
        .route(
            "/accounts/{id}/contacts/{contact}/remove",
            post(detail::remove_contact),
        )
}

/// The directory's query string.
#[derive(Debug, Default, Deserialize)]
pub struct DirectoryQuery {
    q: Option<String>,
    cursor: Option<String>,
    /// `name` sorts by name; anything else (the default) by health, worst first.
    sort: Option<String>,
}

/// One account in the directory.
struct Entry {
    id: i64,
    name: String,
    parent: Option<(i64, String)>,
    tier: String,
    open_problems: u64,
    /// Score, band class and band word.
    health: Option<(u8, &'static str, &'static str)>,
}

/// An option of the parent `<select>`.
pub(super) struct ParentChoice {
    pub id: i64,
    pub name: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "accounts.html")]
struct DirectoryPage {
    chrome: Chrome,
    search: String,
    entries: Vec<Entry>,
    next: Option<String>,
    first: Option<String>,
    may_manage: bool,
    form: AccountForm,
    parents: Vec<ParentChoice>,
    errors: FieldErrors,
    by_name: bool,
    sort_name: String,
    sort_health: String,
}

/// Accounts to choose a parent from, `selected` marked; `except` (the account itself) left out.
pub(super) async fn parent_choices(
    state: &AppState,
    selected: &str,
    except: Option<AccountId>,
) -> Result<Vec<ParentChoice>, PageError> {
    let accounts = state
        .store
        .list_accounts(
            None,
            &PageRequest {
                cursor: None,
                limit: Some(PARENT_CHOICES),
            },
        )
        .await?;
    Ok(accounts
        .items
        .into_iter()
        .filter(|a| Some(a.id) != except)
        .map(|a| ParentChoice {
            selected: selected == a.id.to_string(),
            id: a.id.0,
            name: a.name,
        })
        .collect())
}

async fn directory(
    state: &AppState,
    user: &SignedIn,
    q: DirectoryQuery,
    form: AccountForm,
    errors: FieldErrors,
) -> Result<DirectoryPage, PageError> {
    user.require(Action::Read, None)?;
    let search = q.q.unwrap_or_default();
    let cursor = q.cursor.filter(|c| !c.is_empty());
    let by_name = q.sort.as_deref() == Some("name");
    let request = PageRequest {
        cursor: cursor.clone(),
        limit: Some(PAGE_SIZE),
    };
    let page = if by_name {
        state
            .store
            .search_accounts(Some(search.as_str()), &request)
            .await?
    } else {
        state
            .store
            .search_accounts_by_health(Some(search.as_str()), &request, state.now())
            .await?
    };
    let parents = parent_choices(state, &form.parent, None).await?;
    let name_of = |id: AccountId| {
        parents
            .iter()
            .find(|p| p.id == id.0)
            .map_or_else(|| format!("account {id}"), |p| p.name.clone())
    };
    let entries = page
        .items
        .into_iter()
        .map(|e| Entry {
            id: e.account.id.0,
            parent: e.account.parent.map(|p| (p.0, name_of(p))),
            name: e.account.name,
            tier: e.account.tier.unwrap_or_default(),
            open_problems: e.open_problems,
            health: e.health.map(|h| (h.score, h.band.as_str(), h.band.label())),
        })
        .collect();
    let link = |cursor: Option<&str>, by_name: bool| {
        let mut query = form_urlencoded::Serializer::new(String::new());
        if !search.is_empty() {
            query.append_pair("q", &search);
        }
        if by_name {
            query.append_pair("sort", "name");
        }
        if let Some(cursor) = cursor {
            query.append_pair("cursor", cursor);
        }
        format!("/accounts?{}", query.finish())
    };
    let href = |cursor: Option<&str>| link(cursor, by_name);
    Ok(DirectoryPage {
        chrome: user.chrome("accounts"),
        next: page.next_cursor.as_deref().map(|c| href(Some(c))),
        first: cursor.map(|_| href(None)),
        search: search.clone(),
        entries,
        may_manage: user.member.may(Action::ManageParties, None),
        form,
        parents,
        errors,
        by_name,
        sort_name: link(None, true),
        sort_health: link(None, false),
    })
}

async fn list_accounts(
    State(state): State<AppState>,
    user: SignedIn,
    Query(q): Query<DirectoryQuery>,
) -> Result<Response, PageError> {
    let page = directory(
        &state,
        &user,
        q,
        AccountForm::default(),
        FieldErrors::default(),
    )
    .await?;
    Ok(render(StatusCode::OK, &page))
}

async fn create_account(
    State(state): State<AppState>,
    user: SignedIn,
    PageForm(form): PageForm<AccountForm>,
) -> Result<Response, PageError> {
    user.require(Action::ManageParties, None)?;
    let outcome = match form.parse() {
        Ok((name, parent, tier)) => {
            let created = state
                .store
                .create_account(NewAccount { name, parent, tier })
                .await;
            field_errors(created)?
        }
        Err(errors) => Outcome::Invalid(errors),
    };
    match outcome {
        Outcome::Done(account) => Ok(flash_redirect(
            &format!("/accounts/{}", account.id),
            &format!("Account {} added.", account.name),
        )),
        Outcome::Invalid(errors) => {
            let page = directory(&state, &user, DirectoryQuery::default(), form, errors).await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
    }
}
