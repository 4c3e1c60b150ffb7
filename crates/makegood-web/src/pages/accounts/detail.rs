//! `GET /accounts/{id}`: one account — locations, contacts, open problems with their latest
//! customer-visible update, problem history, promise record.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use makegood_domain::{AccountId, Action, ContactId};
use makegood_store::{
    AccountPatch, NewContact, PageRequest, ProblemFilter, ProblemSort, PromiseFilter,
    ReliabilityBy, StoreError,
};
use serde::Deserialize;

use super::forms::{AccountForm, ContactForm, Outcome, field_errors};
use super::{ParentChoice, parent_choices};
use crate::pages::FieldErrors;
use crate::pages::promises::reliability::ReliabilityRow;
use crate::pages::promises::rows::{Names, PromiseRow};
use crate::pages::{
    ButtonOnly, Chrome, PageError, PageForm, SignedIn, When, flash_redirect, render,
};
use crate::state::AppState;

/// Problems and promises per page of the account's history.
const HISTORY_SIZE: u32 = 20;
/// The most contacts and locations shown.
const PEOPLE_LIMIT: u32 = 200;

/// Cursors of the page's two lists.
#[derive(Debug, Default, Deserialize)]
pub struct DetailQuery {
    problems: Option<String>,
    promises: Option<String>,
}

struct ContactRow {
    id: i64,
    name: String,
    role_title: String,
    email: String,
    phone: String,
}

/// An open problem affecting the account, with its latest customer-visible update.
struct OpenRow {
    number: String,
    title: String,
    status: &'static str,
    /// Other accounts it affects too (a network's incident).
    others: usize,
    update: Option<(String, When)>,
}

struct ProblemRow {
    number: String,
    title: String,
    status: &'static str,
    severity: String,
    detected: When,
}

/// Which form of the page failed, with what was typed.
#[derive(Default)]
struct Forms {
    contact: ContactForm,
    contact_errors: FieldErrors,
    account: Option<AccountForm>,
    account_errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    chrome: Chrome,
    id: i64,
    name: String,
    tier: String,
    parent: Option<(i64, String)>,
    locations: Vec<(i64, String)>,
    contacts: Vec<ContactRow>,
    open: Vec<OpenRow>,
    problems: Vec<ProblemRow>,
    problems_next: Option<String>,
    record: Option<ReliabilityRow>,
    rows: Vec<PromiseRow>,
    promises_next: Option<String>,
    may_manage: bool,
    contact: ContactForm,
    contact_errors: FieldErrors,
    edit: AccountForm,
    edit_open: bool,
    edit_errors: FieldErrors,
    parents: Vec<ParentChoice>,
    /// Follow-up answers and outcomes.
    followup: super::followup::AccountFollowUp,
    /// Who looks after it.
    owner_name: Option<String>,
    /// Members who may own it, for the edit form.
    owners: Vec<ParentChoice>,
    health: super::health::HealthPanel,
}

fn page_of(cursor: Option<String>) -> PageRequest {
    PageRequest {
        cursor: cursor.filter(|c| !c.is_empty()),
        limit: Some(HISTORY_SIZE),
    }
}

async fn build(
    state: &AppState,
    user: &SignedIn,
    id: i64,
    q: DetailQuery,
    forms: Forms,
) -> Result<AccountPage, PageError> {
    user.require(Action::Read, None)?;
    let now = state.now();
    let store = &state.store;
    let account = store.account(AccountId(id)).await?;
    let parent = match account.parent {
        Some(p) => Some((p.0, store.account(p).await?.name)),
        None => None,
    };
    let all = PageRequest {
        cursor: None,
        limit: Some(PEOPLE_LIMIT),
    };
    let locations = store.list_accounts(Some(account.id), &all).await?;
    let contacts = store.list_contacts(Some(account.id), &all).await?;
    let problems = store
        .list_problems(
            &ProblemFilter {
                account: Some(account.id),
                sort: ProblemSort::Newest,
                ..ProblemFilter::default()
            },
            &page_of(q.problems.clone()),
            now,
        )
        .await?;
    let open = store
        .list_problems(
            &ProblemFilter {
                account: Some(account.id),
                open: Some(true),
                ..ProblemFilter::default()
            },
            &page_of(None),
            now,
        )
        .await?
        .items;
    let ids: Vec<_> = open.iter().map(|v| v.problem.id).collect();
    let mut latest = store.latest_customer_updates(&ids).await?;
    let open = open
        .iter()
        .map(|v| OpenRow {
            number: v.problem.number.to_string(),
            title: v.problem.title.clone(),
            status: v.problem.status.as_str(),
            others: v.problem.accounts.len().saturating_sub(1),
            update: latest
                .remove(&v.problem.id)
                .map(|u| (u.body, When::new(u.at, &user.zone, now))),
        })
        .collect();
    let promises = store
        .list_promises(
            &PromiseFilter {
                account: Some(account.id),
                ..PromiseFilter::default()
            },
            &page_of(q.promises.clone()),
            now,
        )
        .await?;
    let record = store
        .promise_reliability(ReliabilityBy::Account, None, now)
        .await?
        .into_iter()
        .find(|r| r.id == id)
        .map(|r| ReliabilityRow::new(&r))
        .filter(|r| r.kept + r.renegotiated + r.broken + r.released + r.open > 0);
    let names = Names::of(store, &promises.items).await?;
    let followup = super::followup::load(state, user, account.id).await?;
    let owner_name = match account.owner {
        Some(o) => Some(store.member(o).await?.name),
        None => None,
    };
    let health = super::health::panel(state, user, &account, now).await?;
    let link = |key: &str, cursor: &str| {
        let mut query = form_urlencoded::Serializer::new(String::new());
        query.append_pair(key, cursor);
        format!("/accounts/{id}?{}", query.finish())
    };
    let edit = forms.account.clone().unwrap_or_else(|| AccountForm {
        name: account.name.clone(),
        parent: account.parent.map(|p| p.0.to_string()).unwrap_or_default(),
        tier: account.tier.clone().unwrap_or_default(),
        owner: account.owner.map(|o| o.0.to_string()).unwrap_or_default(),
    });
    let edit_owner = edit.owner.clone();
    Ok(AccountPage {
        chrome: user.chrome("accounts"),
        id,
        parents: parent_choices(state, &edit.parent, Some(account.id)).await?,
        edit_open: forms.account.is_some(),
        edit,
        edit_errors: forms.account_errors,
        name: account.name,
        tier: account.tier.unwrap_or_default(),
        parent,
        locations: locations
            .items
            .into_iter()
            .map(|a| (a.id.0, a.name))
            .collect(),
        contacts: contacts
            .items
            .into_iter()
            .map(|c| ContactRow {
                id: c.id.0,
                name: c.name,
                role_title: c.role_title,
                email: c.email.map(|e| e.to_string()).unwrap_or_default(),
                phone: c.phone.unwrap_or_default(),
            })
            .collect(),
        open,
        problems: problems
            .items
            .iter()
            .map(|v| ProblemRow {
                number: v.problem.number.to_string(),
                title: v.problem.title.clone(),
                status: v.problem.status.as_str(),
                severity: format!("{:?}", v.problem.severity).to_lowercase(),
                detected: When::new(v.problem.detected_at, &user.zone, now),
            })
            .collect(),
        problems_next: problems.next_cursor.as_deref().map(|c| link("problems", c)),
        record,
        rows: promises
            .items
            .iter()
            .map(|p| names.row(p, &user.zone, now))
            .collect(),
        promises_next: promises.next_cursor.as_deref().map(|c| link("promises", c)),
        may_manage: user.member.may(Action::ManageParties, None),
        contact: forms.contact,
        contact_errors: forms.contact_errors,
        followup,
        owners: super::health::owner_choices(state, &edit_owner).await?,
        owner_name,
        health,
    })
}

pub async fn account(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<i64>,
    Query(q): Query<DetailQuery>,
) -> Result<Response, PageError> {
    let page = build(&state, &user, id, q, Forms::default()).await?;
    Ok(render(StatusCode::OK, &page))
}

async fn invalid(
    state: &AppState,
    user: &SignedIn,
    id: i64,
    forms: Forms,
) -> Result<Response, PageError> {
    let page = build(state, user, id, DetailQuery::default(), forms).await?;
    Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
}

pub async fn add_contact(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<i64>,
    PageForm(form): PageForm<ContactForm>,
) -> Result<Response, PageError> {
    user.require(Action::ManageParties, None)?;
    let account = state.store.account(AccountId(id)).await?;
    let outcome = match form.parse() {
        Ok(fields) => field_errors(
            state
                .store
                .create_contact(NewContact {
                    account: account.id,
                    name: fields.name,
                    role_title: fields.role_title,
                    email: fields.email,
                    phone: fields.phone,
                })
                .await,
        )?,
        Err(errors) => Outcome::Invalid(errors),
    };
    match outcome {
        Outcome::Done(contact) => Ok(flash_redirect(
            &format!("/accounts/{id}"),
            &format!("{} added as a contact at {}.", contact.name, account.name),
        )),
        Outcome::Invalid(contact_errors) => {
            let forms = Forms {
                contact: form,
                contact_errors,
                ..Forms::default()
            };
            invalid(&state, &user, id, forms).await
        }
    }
}

pub async fn remove_contact(
    State(state): State<AppState>,
    user: SignedIn,
    Path((id, contact)): Path<(i64, i64)>,
    PageForm(_): PageForm<ButtonOnly>,
) -> Result<Response, PageError> {
    user.require(Action::ManageParties, None)?;
    let found = state.store.contact(ContactId(contact)).await?;
    if found.account.0 != id {
        return Err(PageError::NotFound(format!(
            "contact {contact} of account {id}"
        )));
    }
    let to = format!("/accounts/{id}");
    match state.store.delete_contact(found.id).await {
        Ok(()) => Ok(flash_redirect(&to, &format!("{} removed.", found.name))),
        Err(StoreError::Conflict(why)) => Ok(flash_redirect(
            &to,
            &format!("{} was not removed: {why}.", found.name),
        )),
        Err(other) => Err(other.into()),
    }
}

pub async fn update_account(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<i64>,
    PageForm(form): PageForm<AccountForm>,
) -> Result<Response, PageError> {
    user.require(Action::ManageParties, None)?;
    state.store.account(AccountId(id)).await?;
    let parsed = form.parse().and_then(|fields| Ok((fields, form.owner()?)));
    let outcome = match parsed {
        Ok(((name, parent, tier), owner)) => {
            let patch = AccountPatch {
                name: Some(name),
                parent: Some(parent),
                tier: Some(tier),
                owner: Some(owner),
            };
            field_errors(state.store.update_account(AccountId(id), patch).await)?
        }
        Err(errors) => Outcome::Invalid(errors),
    };
    match outcome {
        Outcome::Done(account) => Ok(flash_redirect(
            &format!("/accounts/{id}"),
            &format!("Account {} saved.", account.name),
        )),
        Outcome::Invalid(account_errors) => {
            let forms = Forms {
                account: Some(form),
                account_errors,
                ..Forms::default()
            };
            invalid(&state, &user, id, forms).await
        }
    }
}
