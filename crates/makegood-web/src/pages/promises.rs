//! `GET /promises`: the promise ledger by state, with reliability per member and per account.

pub(super) mod reliability;
pub(super) mod rows;

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use makegood_domain::{AccountId, Action, MemberId};
use makegood_store::{PageRequest, PromiseFilter, PromiseListState, ReliabilityBy};
use serde::Deserialize;

use self::reliability::{Period, ReliabilityRow};
use self::rows::{Names, PromiseRow};
use super::{Chrome, PageError, SignedIn, render};
use crate::state::AppState;

/// Promises per page of the ledger.
const PAGE_SIZE: u32 = 25;
/// The most accounts the account filter offers.
const ACCOUNT_CHOICES: u32 = 200;

pub fn routes() -> Router<AppState> {
    Router::new().route("/promises", get(ledger))
}

/// The ledger's tabs: (query value, label, state, empty-state message).
const TABS: [(&str, &str, PromiseListState, &str); 6] = [
    (
        "open",
        "Open",
        PromiseListState::Open,
        "No open promises. A promise made to a customer on a problem shows here, soonest due first, until it is kept, renegotiated or released.",
    ),
    (
        "at_risk",
        "At risk",
        PromiseListState::AtRisk,
        "Nothing at risk: every open promise still has time to spare.",
    ),
    (
        "broken",
        "Broken",
        PromiseListState::Broken,
        "No broken promises — keep it that way.",
    ),
    (
        "kept",
        "Kept",
        PromiseListState::Kept,
        "No kept promises yet. Keep one from its problem's promise panel and it is counted here.",
    ),
    (
        "renegotiated",
        "Renegotiated",
        PromiseListState::Renegotiated,
        "No renegotiated promises. When a date cannot be met, renegotiate before it is due: the difficult conversation, had in time.",
    ),
    (
        "released",
        "Released",
        PromiseListState::Released,
        "No released promises: no customer has waived one.",
    ),
];

/// The ledger's query string; every part optional, so a bookmark never breaks.
#[derive(Debug, Default, Deserialize)]
pub struct LedgerQuery {
    state: Option<String>,
    /// `me`, or a member id.
    member: Option<String>,
    account: Option<String>,
    period: Option<String>,
    cursor: Option<String>,
}

/// What the ledger shows, as it goes back into links.
#[derive(Clone, Debug)]
struct View {
    member: String,
    account: String,
    period: Period,
}

impl View {
    fn href(&self, tab: usize, period: Period, cursor: Option<&str>) -> String {
        let mut q = form_urlencoded::Serializer::new(String::new());
        q.append_pair("state", TABS.get(tab).map_or("open", |t| t.0));
        if !self.member.is_empty() {
            q.append_pair("member", &self.member);
        }
        if !self.account.is_empty() {
            q.append_pair("account", &self.account);
        }
        q.append_pair("period", period.as_str());
        if let Some(cursor) = cursor {
            q.append_pair("cursor", cursor);
        }
        format!("/promises?{}", q.finish())
    }
}

/// A link in a row of links; `current` marks the one shown.
struct Link {
    label: &'static str,
    href: String,
    current: bool,
}

/// An option of a filter `<select>`.
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "promises.html")]
struct LedgerPage {
    chrome: Chrome,
    tabs: Vec<Link>,
    heading: &'static str,
    state: &'static str,
    rows: Vec<PromiseRow>,
    empty: String,
    next: Option<String>,
    first: Option<String>,
    members: Vec<Choice>,
    accounts: Vec<Choice>,
    period: &'static str,
    period_label: &'static str,
    periods: Vec<Link>,
    by_member: Vec<ReliabilityRow>,
    by_account: Vec<ReliabilityRow>,
}

fn parse_id(s: &str) -> Result<Option<i64>, PageError> {
    if s.is_empty() {
        return Ok(None);
    }
    s.parse::<i64>()
        .map(Some)
        .map_err(|_| PageError::BadForm(format!("`{s}` is not an id")))
}

async fn ledger(
    State(state): State<AppState>,
    user: SignedIn,
    Query(q): Query<LedgerQuery>,
) -> Result<Response, PageError> {
    user.require(Action::Read, None)?;
    let now = state.now();
    let tab = TABS
        .iter()
        .position(|t| Some(t.0) == q.state.as_deref())
        .unwrap_or(0);
    let (_, heading, list_state, empty) = TABS[tab];
    let view = View {
        member: q.member.clone().unwrap_or_default(),
        account: q.account.clone().unwrap_or_default(),
        period: Period::parse(q.period.as_deref()),
    };
    let made_by = match view.member.as_str() {
        "me" => Some(user.member.id),
        other => parse_id(other)?.map(MemberId),
    };
    let account = parse_id(&view.account)?.map(AccountId);
    let filter = PromiseFilter {
        state: Some(list_state),
        made_by,
        account,
        ..PromiseFilter::default()
    };
    let page = state
        .store
        .list_promises(
            &filter,
            &PageRequest {
                cursor: q.cursor.clone().filter(|c| !c.is_empty()),
                limit: Some(PAGE_SIZE),
            },
            now,
        )
        .await?;
    let names = Names::of(&state.store, &page.items).await?;
    let rows = page
        .items
        .iter()
        .map(|p| names.row(p, &user.zone, now))
        .collect();
    let since = view.period.since(now);
    let by_member = state
        .store
        .promise_reliability(ReliabilityBy::Member, since, now)
        .await?;
    let by_account = state
        .store
        .promise_reliability(ReliabilityBy::Account, since, now)
        .await?;
    let accounts = state
        .store
        .list_accounts(
            None,
            &PageRequest {
                cursor: None,
                limit: Some(ACCOUNT_CHOICES),
            },
        )
        .await?;
    let mut members = vec![Choice {
        value: "me".into(),
        label: "Me".into(),
        selected: view.member == "me",
    }];
    members.extend(names.members().map(|(id, name)| Choice {
        value: id.to_string(),
        label: name.to_owned(),
        selected: view.member == id.to_string(),
    }));
    let filtered = made_by.is_some() || account.is_some();
    let page = LedgerPage {
        chrome: user.chrome("promises"),
        tabs: TABS
            .iter()
            .enumerate()
            .map(|(i, t)| Link {
                label: t.1,
                href: view.href(i, view.period, None),
                current: i == tab,
            })
            .collect(),
        heading,
        state: TABS[tab].0,
        rows,
        empty: if filtered {
            format!("{empty} (Only promises matching the filters are shown.)")
        } else {
            empty.to_owned()
        },
        next: page
            .next_cursor
            .as_deref()
            .map(|c| view.href(tab, view.period, Some(c))),
        first: q
            .cursor
            .as_ref()
            .filter(|c| !c.is_empty())
            .map(|_| view.href(tab, view.period, None)),
        members,
        accounts: accounts
            .items
            .into_iter()
            .map(|a| Choice {
                selected: view.account == a.id.to_string(),
                value: a.id.to_string(),
                label: a.name,
            })
            .collect(),
        period: view.period.as_str(),
        period_label: view.period.label(),
        periods: Period::ALL
            .into_iter()
            .map(|p| Link {
                label: p.label(),
                href: view.href(tab, p, None),
                current: p == view.period,
            })
            .collect(),
        by_member: by_member.iter().map(ReliabilityRow::new).collect(),
        by_account: by_account.iter().map(ReliabilityRow::new).collect(),
    };
    Ok(render(StatusCode::OK, &page))
}
