//! The report's filter as the page, its CSV files and the API read it: text from the query
//! string, checked field by field (every error named, the input kept), into a
//! [`ReportFilter`]. The default period is the twelve months ending this month.

use makegood_domain::report::{Month, ReportFilter};
use makegood_domain::{AccountId, MemberId, Origin, Severity};
use makegood_store::{PageRequest, StoreError};
use serde::Deserialize;

use crate::error::FieldError;
use crate::state::AppState;

/// The longest period a report covers.
pub const MAX_MONTHS: usize = 120;

/// How many accounts matching a typed name are read (an exact name among them wins).
const ACCOUNT_MATCHES: u32 = 50;
/// How many of several matching accounts the error names.
const NAMED_MATCHES: usize = 5;

/// The query string of `/reports` (and its CSV files); every field may be empty.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct ReportsQuery {
    /// First month, `YYYY-MM`.
    #[serde(default)]
    pub from: String,
    /// Last month, `YYYY-MM`.
    #[serde(default)]
    pub to: String,
    /// A member id.
    #[serde(default)]
    pub member: String,
    /// On the page: an account's name (or part of it, if only one account matches); in the
    /// API: its id.
    #[serde(default)]
    pub account: String,
    #[serde(default)]
    pub severity: String,
    #[serde(default)]
    pub origin: String,
}

/// How the `account` field names an account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountBy {
    /// By name, as a person types it.
    Name,
    /// By id, as a program sends it.
    Id,
}

/// A checked filter and the names of what it narrows to, for the page to say.
#[derive(Clone, Debug)]
pub struct Checked {
    pub filter: ReportFilter,
    pub account_name: Option<String>,
    pub member_name: Option<String>,
}

impl ReportsQuery {
    /// The query string of these fields (empty ones left out), for links that keep them.
    pub fn query_string(&self) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (key, value) in [
            ("from", &self.from),
            ("to", &self.to),
            ("member", &self.member),
            ("account", &self.account),
            ("severity", &self.severity),
            ("origin", &self.origin),
        ] {
            if !value.trim().is_empty() {
                query.append_pair(key, value.trim());
            }
        }
        query.finish()
    }

    /// The fields checked against `this_month` (the default end) and the store; every invalid
    /// field is named.
    pub async fn check(
        &self,
        state: &AppState,
        this_month: Month,
        account_by: AccountBy,
    ) -> Result<Checked, Vec<FieldError>> {
        let mut errors = Vec::new();
        let to = month(&mut errors, "to", &self.to)
            .ok()
            .flatten()
            .unwrap_or(this_month);
        let from = month(&mut errors, "from", &self.from)
            .ok()
            .flatten()
            .unwrap_or_else(|| to.minus(11));
        let severity = choice(&mut errors, "severity", &self.severity, &Severity::ALL);
        let origin = choice(
            &mut errors,
            "origin",
            &self.origin,
            &[
                Origin::Ours,
                Origin::Customer,
                Origin::Vendor,
                Origin::Unknown,
            ],
        );
        let member = member(state, &mut errors, &self.member).await;
        let account = match account_by {
            AccountBy::Name => account_by_name(state, &mut errors, &self.account).await,
            AccountBy::Id => account_by_id(state, &mut errors, &self.account).await,
        };
        if from > to {
            errors.push(FieldError::new(
                "from",
                format!("must not be after the last month ({to})"),
            ));
        } else if months_spanned(from, to) > MAX_MONTHS as i32 {
            errors.push(FieldError::new(
                "from",
                format!(
                    "a report covers at most {MAX_MONTHS} months; choose {} or later",
                    to.minus(MAX_MONTHS as u16 - 1)
                ),
            ));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Checked {
            filter: ReportFilter {
                from,
                to,
                member: member.as_ref().map(|(id, _)| *id),
                account: account.as_ref().map(|(id, _)| *id),
                severity: severity.flatten(),
                origin: origin.flatten(),
            },
            member_name: member.map(|(_, name)| name),
            account_name: account.map(|(_, name)| name),
        })
    }
}

/// How many months `from..=to` covers.
fn months_spanned(from: Month, to: Month) -> i32 {
    (i32::from(to.year) - i32::from(from.year)) * 12 + i32::from(to.month) - i32::from(from.month)
        + 1
}

/// A month field: `Ok(None)` when empty, `Err` (recorded) when unreadable.
fn month(errors: &mut Vec<FieldError>, field: &str, text: &str) -> Result<Option<Month>, ()> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse().map(Some).map_err(|e| {
        errors.push(FieldError::new(
            field,
            format!("{e}; got `{}`", shorten(text)),
        ));
    })
}

/// One of `all` by its API name; `Some(None)` when empty, `None` (recorded) when unknown.
fn choice<T: Copy + serde::Serialize>(
    errors: &mut Vec<FieldError>,
    field: &str,
    text: &str,
    all: &[T],
) -> Option<Option<T>> {
    let text = text.trim();
    if text.is_empty() {
        return Some(None);
    }
    let names: Vec<String> = all.iter().map(api_name).collect();
    if let Some(i) = names.iter().position(|n| n == text) {
        return all.get(i).map(|v| Some(*v));
    }
    errors.push(FieldError::new(
        field,
        format!(
            "must be one of {}; got `{}`",
            names.join(", "),
            shorten(text)
        ),
    ));
    None
}

/// The API name of a domain value (`at_risk`).
pub fn api_name<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn shorten(text: &str) -> String {
    text.chars().take(40).collect()
}

fn id(errors: &mut Vec<FieldError>, field: &str, text: &str, what: &str) -> Option<i64> {
    let parsed = text.parse::<i64>().ok().filter(|n| *n > 0);
    if parsed.is_none() {
        errors.push(FieldError::new(
            field,
            format!(
                "must be {what}'s id (a positive number); got `{}`",
                shorten(text)
            ),
        ));
    }
    parsed
}

/// Records a store error about a lookup: not found is the field's fault, the rest is not.
fn lookup_failed(errors: &mut Vec<FieldError>, field: &str, e: StoreError, missing: String) {
    match e {
        StoreError::NotFound { .. } => errors.push(FieldError::new(field, missing)),
        other => {
            tracing::error!(error = %other, "looking up a report filter");
            errors.push(FieldError::new(
                field,
                "could not be checked just now; try again in a moment",
            ));
        }
    }
}

async fn member(
    state: &AppState,
    errors: &mut Vec<FieldError>,
    text: &str,
) -> Option<(MemberId, String)> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let id = MemberId(id(errors, "member", text, "a member")?);
    match state.store.member(id).await {
        Ok(m) => Some((m.id, m.name)),
        Err(e) => {
            lookup_failed(errors, "member", e, format!("there is no member {id}"));
            None
        }
    }
}

async fn account_by_id(
    state: &AppState,
    errors: &mut Vec<FieldError>,
    text: &str,
) -> Option<(AccountId, String)> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let id = AccountId(id(errors, "account", text, "an account")?);
    match state.store.account(id).await {
        Ok(a) => Some((a.id, a.name)),
        Err(e) => {
            lookup_failed(errors, "account", e, format!("there is no account {id}"));
            None
        }
    }
}

/// The account a typed name means: the one named exactly so (any case), or the only one
/// whose name contains it.
async fn account_by_name(
    state: &AppState,
    errors: &mut Vec<FieldError>,
    text: &str,
) -> Option<(AccountId, String)> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let found = state
        .store
        .search_accounts(
            Some(text),
            &PageRequest {
                cursor: None,
                limit: Some(ACCOUNT_MATCHES),
            },
        )
        .await;
    let page = match found {
        Ok(page) => page,
        Err(e) => {
            lookup_failed(errors, "account", e, String::new());
            return None;
        }
    };
    let accounts: Vec<_> = page.items.into_iter().map(|e| e.account).collect();
    if let Some(exact) = accounts
        .iter()
        .find(|a| a.name.trim().eq_ignore_ascii_case(text))
    {
        return Some((exact.id, exact.name.clone()));
    }
    match accounts.as_slice() {
        [only] if page.next_cursor.is_none() => Some((only.id, only.name.clone())),
        [] => {
            errors.push(FieldError::new(
                "account",
                format!(
                    "no account name contains “{}”; check the spelling on the Accounts page",
                    shorten(text)
                ),
            ));
            None
        }
        several => {
            let names: Vec<&str> = several
                .iter()
                .take(NAMED_MATCHES)
                .map(|a| a.name.as_str())
                .collect();
            let more = if page.next_cursor.is_some() || several.len() > NAMED_MATCHES {
                " and more"
            } else {
                ""
            };
            errors.push(FieldError::new(
                "account",
                format!(
                    "several accounts match “{}” ({}{more}); type the account's full name",
                    shorten(text),
                    names.join(", ")
                ),
            ));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_string_keeps_only_what_was_given() {
        let query = ReportsQuery {
            from: "2026-01".into(),
            account: "Harbor Freight".into(),
            ..ReportsQuery::default()
        };
        assert_eq!(query.query_string(), "from=2026-01&account=Harbor+Freight");
    }

    #[test]
    fn months_and_choices_name_their_field() {
        let mut errors = Vec::new();
        assert_eq!(month(&mut errors, "from", ""), Ok(None));
        assert!(month(&mut errors, "from", "2026-13").is_err());
        assert_eq!(
            choice(&mut errors, "severity", "major", &Severity::ALL),
            Some(Some(Severity::Major))
        );
        assert_eq!(
            choice(&mut errors, "severity", "huge", &Severity::ALL),
            None
        );
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["from", "severity"]);
        assert!(errors[1].message.contains("critical, major, minor"));
    }
}
