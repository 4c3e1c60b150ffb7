//! The rows of Today: a duty with its one-click action, a broken promise with whom to call.

use std::collections::HashMap;

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use makegood_domain::{ClockKind, ContactId, Duty, MemberId, ProblemId, ProblemNumber};
use makegood_store::{PageRequest, PromiseFilter, PromiseListState};

use crate::pages::{PageError, When};
use crate::state::AppState;

/// How far back a broken promise still shows on Today.
const BROKEN_FOR: SignedDuration = SignedDuration::from_hours(30 * 24);
/// Pages of broken promises read at most (of 200 each), oldest due first.
const BROKEN_PAGES: usize = 5;

/// One duty as the page shows it: what, for whom, by when, and the button that does it.
pub struct DutyRow {
    /// "Tell Acme about MG-12".
    pub summary: String,
    /// `ok`, `warning` or `breached`.
    pub state: &'static str,
    pub due: Option<When>,
    /// The problem's title, when the duty is about one.
    pub title: Option<String>,
    /// Where the one-click action goes, and what its button says.
    pub href: String,
    pub action: &'static str,
    /// Whose duty it is (team view only).
    pub owner: Option<String>,
    /// The problem's customer is upset (set by the page from the store).
    pub upset: bool,
}

impl DutyRow {
    pub fn new(duty: &Duty, owner: Option<String>, zone: &TimeZone, now: Timestamp) -> Self {
        let number = duty.problem.as_ref().map(|p| p.number);
        let (href, action) = match (duty.kind, number) {
            (ClockKind::Tell, Some(n)) => (
                format!("/problems/{n}?compose=update#composer"),
                "Tell them now",
            ),
            (ClockKind::Update, Some(n)) => (
                format!("/problems/{n}?compose=update#composer"),
                "Write the update",
            ),
            (ClockKind::Promise, Some(n)) => (format!("/problems/{n}#promises"), "See the promise"),
            (ClockKind::Promise, None) => ("/promises?state=open".to_owned(), "See the promise"),
            (ClockKind::Fix, Some(n)) => (format!("/problems/{n}"), "Open the problem"),
            (ClockKind::Approval, Some(n)) => (format!("/problems/{n}#remedies"), "Decide it"),
            (ClockKind::Prevention | ClockKind::Check, Some(n)) => {
                (format!("/problems/{n}#preventions"), "See the prevention")
            }
            (ClockKind::VendorPromise, Some(n)) => {
                (format!("/problems/{n}#vendor-promises"), "Chase the vendor")
            }
            (ClockKind::Call, Some(n)) => (format!("/problems/{n}#call"), "Call them"),
            (ClockKind::Review, _) => (
                duty.account.as_ref().map_or_else(
                    || "/accounts".to_owned(),
                    |a| format!("/accounts/{}#health", a.id),
                ),
                "Review the account",
            ),
            (
                ClockKind::Fix
                | ClockKind::Tell
                | ClockKind::Update
                | ClockKind::Approval
                | ClockKind::Prevention
                | ClockKind::Check
                | ClockKind::VendorPromise
                | ClockKind::Call,
                None,
            ) => ("/problems".to_owned(), "Open the problems"),
        };
        Self {
            summary: duty.summary.clone(),
            state: duty.clock.state.as_str(),
            due: duty.clock.due_at.map(|due| When::new(due, zone, now)),
            title: duty.problem.as_ref().map(|p| p.title.clone()),
            href,
            action,
            owner,
            upset: false,
        }
    }
}

/// A promise that was broken recently: the customer is owed a conversation.
pub struct BrokenRow {
    /// The customer (account) the promise was made to.
    pub customer: String,
    pub what: String,
    pub due: When,
    pub problem: Option<ProblemNumber>,
    /// Who broke it (team view only).
    pub owner: Option<String>,
}

impl BrokenRow {
    /// Where to talk about it: the problem's promise panel, or the ledger.
    pub fn href(&self) -> String {
        self.problem.map_or_else(
            || "/promises?state=broken".to_owned(),
            |n| format!("/problems/{n}#promises"),
        )
    }
}

/// Names of members and customers, each looked up once per page.
pub struct Names<'a> {
    state: &'a AppState,
    members: HashMap<MemberId, String>,
    customers: HashMap<ContactId, String>,
}

impl<'a> Names<'a> {
    pub fn new(state: &'a AppState) -> Self {
        Self {
            state,
            members: HashMap::new(),
            customers: HashMap::new(),
        }
    }

    pub async fn member(&mut self, id: MemberId) -> Result<String, PageError> {
        if let Some(name) = self.members.get(&id) {
            return Ok(name.clone());
        }
        let name = self.state.store.member(id).await?.name;
        self.members.insert(id, name.clone());
        Ok(name)
    }

    /// The account of a contact, as "Acme".
    pub async fn customer(&mut self, contact: ContactId) -> Result<String, PageError> {
        if let Some(name) = self.customers.get(&contact) {
            return Ok(name.clone());
        }
        let contact_row = self.state.store.contact(contact).await?;
        let account = self.state.store.account(contact_row.account).await?;
        self.customers.insert(contact, account.name.clone());
        Ok(account.name)
    }
}

/// Broken promises due in the last 30 days, made by `made_by` (everyone's when `None`),
/// most recently due first.
pub async fn broken(
    state: &AppState,
    names: &mut Names<'_>,
    made_by: Option<MemberId>,
    zone: &TimeZone,
    now: Timestamp,
) -> Result<Vec<BrokenRow>, PageError> {
    let since = now.checked_sub(BROKEN_FOR).unwrap_or(now);
    let filter = PromiseFilter {
        state: Some(PromiseListState::Broken),
        made_by,
        due_before: Some(now),
        ..PromiseFilter::default()
    };
    let mut found = Vec::new();
    let mut cursor = None;
    for _ in 0..BROKEN_PAGES {
        let page = state
            .store
            .list_promises(
                &filter,
                &PageRequest {
                    cursor,
                    limit: Some(200),
                },
                now,
            )
            .await?;
        found.extend(page.items.into_iter().filter(|p| p.promise.due_at >= since));
        cursor = page.next_cursor;
        if cursor.is_none() {
            break;
        }
    }
    found.sort_by_key(|p| std::cmp::Reverse(p.promise.due_at));
    let mut rows = Vec::with_capacity(found.len());
    for view in found {
        let p = view.promise;
        let customer = match p.contacts.first() {
            Some(c) => names.customer(*c).await?,
            None => "the customer".to_owned(),
        };
        let owner = match made_by {
            None => Some(names.member(p.made_by).await?),
            Some(_) => None,
        };
        rows.push(BrokenRow {
            customer,
            what: p.what,
            due: When::new(p.due_at, zone, now),
            problem: p.problem.map(|ProblemId(id)| ProblemNumber(id)),
            owner,
        });
    }
    Ok(rows)
}
