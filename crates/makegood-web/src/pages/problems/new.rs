//! `GET/POST /problems/new`: recording a problem. Invalid input is shown again with each
//! error beside its field (422); success redirects to the new problem with a flash.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use makegood_domain::text::limits;
use makegood_domain::{AccountId, Action, ContactId, MemberId, Origin, Severity, VendorId};
use makegood_store::{Actor, NewProblem, PageRequest};
use serde::de::DeserializeOwned;

use super::options::{self, Choice, Lookup};
use crate::api::types::Check;
use crate::error::AppError;
use crate::pages::{Chrome, FieldErrors, PageError, PageForm, SignedIn, flash_redirect, render};
use crate::state::AppState;

/// The fields the form shows (errors about others go in a banner).
const FIELDS: [&str; 12] = [
    "title",
    "description",
    "origin",
    "vendor",
    "severity",
    "category",
    "owner",
    "accounts",
    "stakeholders",
    "detected_at",
    "include_locations",
    "all_stakeholders",
];

/// What was typed into the form, kept as text so it can be shown again.
#[derive(Clone, Debug, Default)]
pub struct NewProblemInput {
    pub title: String,
    pub description: String,
    pub origin: String,
    pub vendor: String,
    pub severity: String,
    pub category: String,
    pub owner: String,
    pub accounts: Vec<String>,
    pub stakeholders: Vec<String>,
    pub detected_at: String,
    /// Also every location of the ticked accounts.
    pub include_locations: bool,
    /// Every contact of every affected account, instead of the ticked stakeholders.
    pub all_stakeholders: bool,
}

impl NewProblemInput {
    /// The form's fields from its urlencoded pairs (accounts and stakeholders repeat).
    fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut input = Self::default();
        for (key, value) in pairs {
            match key.as_str() {
                "title" => input.title = value,
                "description" => input.description = value,
                "origin" => input.origin = value,
                "vendor" => input.vendor = value,
                "severity" => input.severity = value,
                "category" => input.category = value,
                "owner" => input.owner = value,
                "accounts" => input.accounts.push(value),
                "stakeholders" => input.stakeholders.push(value),
                "detected_at" => input.detected_at = value,
                "include_locations" => input.include_locations = value == "true",
                "all_stakeholders" => input.all_stakeholders = value == "true",
                _ => {}
            }
        }
        input
    }
}

/// A contact to pick as stakeholder, under its account's name.
pub struct ContactGroup {
    pub account: String,
    pub contacts: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "problem_new.html")]
struct NewProblemPage {
    chrome: Chrome,
    input: NewProblemInput,
    errors: FieldErrors,
    others: Vec<String>,
    origins: Vec<Choice>,
    severities: Vec<Choice>,
    vendors: Vec<Choice>,
    owners: Vec<Choice>,
    accounts: Vec<Choice>,
    contacts: Vec<ContactGroup>,
}

/// `yyyy-mm-ddThh:mm` in `zone`, as a `datetime-local` input shows it.
fn local_input(at: Timestamp, zone: &TimeZone) -> String {
    at.to_zoned(zone.clone())
        .strftime("%Y-%m-%dT%H:%M")
        .to_string()
}

async fn page(
    state: &AppState,
    user: &SignedIn,
    input: NewProblemInput,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let lookup = Lookup::load(state).await?;
    let first = PageRequest {
        cursor: None,
        limit: Some(200),
    };
    let vendors = state.store.list_vendors(&first).await?.items;
    let contacts = state.store.list_contacts(None, &first).await?.items;
    let picked: Vec<&str> = input.stakeholders.iter().map(String::as_str).collect();
    let groups = lookup
        .accounts
        .iter()
        .map(|a| ContactGroup {
            account: a.name.clone(),
            contacts: contacts
                .iter()
                .filter(|c| c.account == a.id)
                .map(|c| Choice {
                    value: c.id.to_string(),
                    label: if c.role_title.is_empty() {
                        c.name.clone()
                    } else {
                        format!("{} ({})", c.name, c.role_title)
                    },
                    selected: picked.contains(&c.id.to_string().as_str()),
                })
                .collect::<Vec<_>>(),
        })
        .filter(|g| !g.contacts.is_empty())
        .collect();
    let chosen_accounts: Vec<&str> = input.accounts.iter().map(String::as_str).collect();
    let page = NewProblemPage {
        chrome: user.chrome("problems"),
        others: errors.others(&FIELDS),
        origins: options::origins(&input.origin),
        severities: options::severities(&input.severity),
        vendors: vendors
            .iter()
            .map(|v| Choice {
                value: v.id.to_string(),
                label: v.name.clone(),
                selected: input.vendor == v.id.to_string(),
            })
            .collect(),
        owners: lookup.owner_choices(&input.owner, false),
        accounts: lookup.account_choices(&chosen_accounts),
        contacts: groups,
        input,
        errors,
    };
    Ok(render(status, &page))
}

pub async fn new_form(
    State(state): State<AppState>,
    user: SignedIn,
) -> Result<Response, PageError> {
    user.require(Action::WorkProblems, None)?;
    let input = NewProblemInput {
        origin: "ours".into(),
        severity: "major".into(),
        owner: user.member.id.to_string(),
        detected_at: local_input(state.now(), &user.zone),
        ..NewProblemInput::default()
    };
    page(&state, &user, input, FieldErrors::default(), StatusCode::OK).await
}

/// A choice by its API name, or an error beside `field`.
fn pick<T: DeserializeOwned>(check: &mut Check, field: &str, value: &str) -> Option<T> {
    let parsed = serde_json::from_value(serde_json::Value::String(value.to_owned())).ok();
    if parsed.is_none() {
        check.fail(field, "choose one of the options");
    }
    parsed
}

fn ids(check: &mut Check, field: &str, values: &[String]) -> Vec<i64> {
    values
        .iter()
        .filter(|v| !v.is_empty())
        .filter_map(|v| {
            let id = v.parse().ok();
            if id.is_none() {
                check.fail(field, format!("`{v}` is not one of the options"));
            }
            id
        })
        .collect()
}

/// Reads the form into a problem to record, or the errors to show beside its fields.
fn read(input: &NewProblemInput, user: &SignedIn, now: Timestamp) -> Result<NewProblem, AppError> {
    let mut check = Check::default();
    let title = check.text("title", &input.title, limits::TITLE);
    let description = check.optional("description", &input.description, limits::DESCRIPTION);
    let category = check.optional("category", &input.category, limits::CATEGORY);
    let origin = pick::<Origin>(&mut check, "origin", &input.origin);
    let severity = pick::<Severity>(&mut check, "severity", &input.severity);
    let vendor = ids(&mut check, "vendor", std::slice::from_ref(&input.vendor));
    let owner = ids(&mut check, "owner", std::slice::from_ref(&input.owner));
    let accounts = ids(&mut check, "accounts", &input.accounts);
    let stakeholders = ids(&mut check, "stakeholders", &input.stakeholders);
    check.ensure(
        !accounts.is_empty(),
        "accounts",
        "choose at least one affected account",
    );
    check.ensure(
        !input.all_stakeholders || stakeholders.is_empty(),
        "stakeholders",
        "untick the stakeholders, or untick “every contact”: updates go to one or the other",
    );
    let detected_at = match input.detected_at.trim() {
        "" => None,
        text => match text
            .parse::<DateTime>()
            .and_then(|d| d.to_zoned(user.zone.clone()))
        {
            Ok(at) => {
                let at = at.timestamp();
                check.ensure(at <= now, "detected_at", "must not be in the future");
                Some(at)
            }
            Err(_) => {
                check.fail(
                    "detected_at",
                    "enter a date and time, e.g. 2026-11-22 14:30",
                );
                None
            }
        },
    };
    check.finish()?;
    match (origin, severity) {
        (Some(origin), Some(severity)) => Ok(NewProblem {
            title,
            description,
            origin,
            vendor: vendor.first().copied().map(VendorId),
            severity,
            category,
            owner: owner.first().copied().map_or(user.member.id, MemberId),
            accounts: accounts.into_iter().map(AccountId).collect(),
            stakeholders: stakeholders.into_iter().map(ContactId).collect(),
            detected_at,
            include_locations: input.include_locations,
            all_stakeholders: input.all_stakeholders,
        }),
        _ => Err(AppError::Validation(Vec::new())),
    }
}

pub async fn create(
    State(state): State<AppState>,
    user: SignedIn,
    PageForm(pairs): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Action::WorkProblems, None)?;
    let input = NewProblemInput::from_pairs(pairs);
    let now = state.now();
    let result = match read(&input, &user, now) {
        Ok(new) => state
            .store
            .create_problem(
                Actor {
                    member: user.member.id,
                    now,
                },
                new,
            )
            .await
            .map_err(AppError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(view) => {
            let n = view.problem.number;
            Ok(flash_redirect(
                &format!("/problems/{n}"),
                &format!(
                    "Recorded {n}: {}. Tell the customer before they find out.",
                    view.problem.title
                ),
            ))
        }
        Err(AppError::Validation(errors)) => {
            let errors = FieldErrors::from(
                errors
                    .into_iter()
                    .map(|mut e| {
                        // `accounts[0]` and the like are shown beside their list.
                        if let Some((base, _)) = e.field.split_once('[') {
                            e.field = base.to_owned();
                        }
                        e
                    })
                    .collect::<Vec<_>>(),
            );
            page(
                &state,
                &user,
                input,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}
