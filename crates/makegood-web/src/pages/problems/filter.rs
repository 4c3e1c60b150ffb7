//! The Problems page's filters: read from the query string, turned into a store filter,
//! and written back into links (so every view is a bookmarkable URL).

use makegood_domain::{AccountId, ClockState, MemberId, Origin, Severity, Status};
use makegood_store::{ProblemFilter, ProblemSort};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::pages::PageError;

/// The query string of `/problems`; every field is optional and empty means "any".
#[derive(Clone, Debug, Default, Deserialize)]
pub struct ProblemsQuery {
    #[serde(default)]
    pub status: String,
    /// `true`: only problems not closed.
    #[serde(default)]
    pub open: String,
    /// A member id or `me`.
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub account: String,
    #[serde(default)]
    pub severity: String,
    #[serde(default)]
    pub origin: String,
    /// The worst running clock: `ok`, `warning` or `breached`.
    #[serde(default)]
    pub clock: String,
    /// Words to search for in titles, updates and notes.
    #[serde(default)]
    pub q: String,
    /// `deadline` (default), `severity`, `newest` or `oldest`.
    #[serde(default)]
    pub sort: String,
    #[serde(default)]
    pub cursor: String,
}

/// The API name of a domain value (`waiting_on_customer`).
pub fn api_name<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// A domain value from its API name; `None` for an empty string.
fn parse<T: DeserializeOwned>(field: &str, value: &str) -> Result<Option<T>, PageError> {
    if value.is_empty() {
        return Ok(None);
    }
    serde_json::from_value(serde_json::Value::String(value.to_owned()))
        .map(Some)
        .map_err(|_| PageError::BadForm(format!("`{value}` is not a valid {field}")))
}

fn id(field: &str, value: &str) -> Result<Option<i64>, PageError> {
    if value.is_empty() {
        return Ok(None);
    }
    value
        .parse()
        .map(Some)
        .map_err(|_| PageError::BadForm(format!("`{value}` is not a valid {field}")))
}

/// The sorts the page offers: (query value, label).
pub const SORTS: [(&str, &str); 4] = [
    ("deadline", "Next deadline"),
    ("severity", "Most severe"),
    ("newest", "Newest"),
    ("oldest", "Oldest"),
];

/// The clock states the page filters on.
pub const CLOCKS: [(&str, &str); 3] = [
    ("breached", "Breached"),
    ("warning", "Warning"),
    ("ok", "OK"),
];

impl ProblemsQuery {
    /// The store filter these parameters ask for; `me` is the signed-in member.
    pub fn filter(&self, me: MemberId) -> Result<ProblemFilter, PageError> {
        let clock_state = match self.clock.as_str() {
            "" => None,
            "ok" => Some(ClockState::Ok),
            "warning" => Some(ClockState::Warning),
            "breached" => Some(ClockState::Breached),
            other => {
                return Err(PageError::BadForm(format!(
                    "`{other}` is not a clock state (ok, warning, breached)"
                )));
            }
        };
        let sort = match self.sort.as_str() {
            "" | "deadline" => ProblemSort::NextDeadline,
            "severity" => ProblemSort::Severity,
            "newest" => ProblemSort::Newest,
            "oldest" => ProblemSort::Oldest,
            other => return Err(PageError::BadForm(format!("`{other}` is not a sort"))),
        };
        let owner = match self.owner.as_str() {
            "me" => Some(me),
            other => id("owner", other)?.map(MemberId),
        };
        let text = self.q.trim();
        Ok(ProblemFilter {
            status: parse::<Status>("status", &self.status)?,
            open: (self.open == "true").then_some(true),
            owner,
            account: id("account", &self.account)?.map(AccountId),
            severity: parse::<Severity>("severity", &self.severity)?,
            origin: parse::<Origin>("origin", &self.origin)?,
            clock_state,
            text: (!text.is_empty()).then(|| text.to_owned()),
            sort,
        })
    }

    /// Whether any filter (not the sort) is on.
    pub fn filtered(&self) -> bool {
        [
            &self.status,
            &self.open,
            &self.owner,
            &self.account,
            &self.severity,
            &self.origin,
            &self.clock,
            &self.q,
        ]
        .iter()
        .any(|v| !v.trim().is_empty())
    }

    /// `/problems?…` with these filters and sort, at `cursor` (the first page when `None`).
    pub fn url(&self, cursor: Option<&str>) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (key, value) in [
            ("status", &self.status),
            ("open", &self.open),
            ("owner", &self.owner),
            ("account", &self.account),
            ("severity", &self.severity),
            ("origin", &self.origin),
            ("clock", &self.clock),
            ("q", &self.q),
            ("sort", &self.sort),
        ] {
            if !value.is_empty() {
                query.append_pair(key, value);
            }
        }
        if let Some(cursor) = cursor {
            query.append_pair("cursor", cursor);
        }
        let query = query.finish();
        if query.is_empty() {
            "/problems".to_owned()
        } else {
            format!("/problems?{query}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_round_trip_through_the_url() {
        let query = ProblemsQuery {
            owner: "me".into(),
            q: "late invoices".into(),
            sort: "severity".into(),
            ..ProblemsQuery::default()
        };
        assert_eq!(
            query.url(Some("ab")),
            "/problems?owner=me&q=late+invoices&sort=severity&cursor=ab"
        );
        let filter = query.filter(MemberId(7)).unwrap_or_default();
        assert_eq!(filter.owner, Some(MemberId(7)));
        assert_eq!(filter.text.as_deref(), Some("late invoices"));
        assert_eq!(filter.sort, ProblemSort::Severity);
        assert!(query.filtered());
        assert!(!ProblemsQuery::default().filtered());
        let bad = ProblemsQuery {
            status: "lost".into(),
            ..ProblemsQuery::default()
        };
        assert!(bad.filter(MemberId(1)).is_err());
    }
}
