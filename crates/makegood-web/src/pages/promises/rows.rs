//! Promise rows as the ledger and the account page show them: names resolved, times readable.

use std::collections::HashMap;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use makegood_domain::{AccountId, ContactId, MemberId, ProblemNumber, PromiseStatus};
use makegood_store::{PageRequest, PromiseView, Store};

use crate::pages::{PageError, When};

/// The most members a name lookup reads (and the member filter offers).
const MEMBER_LIMIT: u32 = 200;

/// One promise in a list.
pub struct PromiseRow {
    pub what: String,
    /// `Ann (Acme), Carol (Acme)`.
    pub to_whom: String,
    pub made_by: String,
    pub due: When,
    /// Open and not yet due: the due time counts down.
    pub running: bool,
    /// The badge's class: the state, or `warning` when at risk.
    pub badge: &'static str,
    /// `at risk` for an open promise in warning; else the state.
    pub label: &'static str,
    /// When it ended, if it did.
    pub ended: Option<When>,
    pub reason: Option<String>,
    /// `MG-12`, for `/problems/MG-12`.
    pub problem: Option<String>,
}

/// A promise to more contacts than this names them by their number.
const NAMED: usize = 5;

/// Names of members, contacts and accounts, looked up once per page.
#[derive(Default)]
pub struct Names {
    members: HashMap<MemberId, String>,
    contacts: HashMap<ContactId, (String, AccountId)>,
    accounts: HashMap<AccountId, String>,
}

impl Names {
    /// The names the `promises` mention: every member (one query) and each distinct contact
    /// and its account.
    pub async fn of(store: &Store, promises: &[PromiseView]) -> Result<Self, PageError> {
        let mut names = Names::default();
        let members = store
            .list_members(&PageRequest {
                cursor: None,
                limit: Some(MEMBER_LIMIT),
            })
            .await?;
        names.members = members.items.into_iter().map(|m| (m.id, m.name)).collect();
        // A promise to a whole network's contacts is shown by their number, not their names.
        for view in promises
            .iter()
            .filter(|v| v.promise.contacts.len() <= NAMED)
        {
            for id in &view.promise.contacts {
                if names.contacts.contains_key(id) {
                    continue;
                }
                let contact = store.contact(*id).await?;
                if !names.accounts.contains_key(&contact.account) {
                    let account = store.account(contact.account).await?;
                    names.accounts.insert(account.id, account.name);
                }
                names.contacts.insert(*id, (contact.name, contact.account));
            }
        }
        Ok(names)
    }

    /// Every member, by name.
    pub fn members(&self) -> impl Iterator<Item = (MemberId, &str)> {
        let mut all: Vec<_> = self
            .members
            .iter()
            .map(|(id, name)| (*id, name.as_str()))
            .collect();
        all.sort_by(|a, b| a.1.cmp(b.1).then(a.0.0.cmp(&b.0.0)));
        all.into_iter()
    }

    fn member(&self, id: MemberId) -> String {
        self.members
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("member {id}"))
    }

    fn to_whom(&self, contacts: &[ContactId]) -> String {
        if contacts.len() > NAMED {
            return format!("{} contacts", contacts.len());
        }
        contacts
            .iter()
            .map(|id| match self.contacts.get(id) {
                Some((name, account)) => match self.accounts.get(account) {
                    Some(account) => format!("{name} ({account})"),
                    None => name.clone(),
                },
                None => format!("contact {id}"),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The row of `view` at `now`, times in `zone`.
    pub fn row(&self, view: &PromiseView, zone: &TimeZone, now: Timestamp) -> PromiseRow {
        let p = &view.promise;
        let running = view.state == PromiseStatus::Open;
        let at_risk = running && view.clock.state == makegood_domain::ClockState::Warning;
        PromiseRow {
            what: p.what.clone(),
            to_whom: self.to_whom(&p.contacts),
            made_by: self.member(p.made_by),
            due: When::new(p.due_at, zone, now),
            running,
            badge: if at_risk {
                "warning"
            } else {
                view.state.as_str()
            },
            label: if at_risk {
                "at risk"
            } else {
                view.state.as_str()
            },
            ended: p.ended_at.map(|t| When::new(t, zone, now)),
            reason: p.reason.clone(),
            problem: p.problem.map(|id| ProblemNumber(id.0).to_string()),
        }
    }
}
