//! The choices of the problem forms' selects: statuses, severities, origins, members, accounts.

use std::collections::HashMap;

use makegood_domain::{Account, AccountId, Member, MemberId, Origin, Severity, Status};
use makegood_store::PageRequest;

use super::filter::api_name;
use crate::pages::PageError;
use crate::state::AppState;

/// The most members or accounts a select lists (the store's largest page).
const MAX_CHOICES: u32 = 200;

/// One `<option>`.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

impl Choice {
    fn new(value: String, label: String, chosen: &[&str]) -> Self {
        let selected = chosen.contains(&value.as_str());
        Self {
            value,
            label,
            selected,
        }
    }
}

/// "waiting_on_customer" → "Waiting on customer".
pub fn label(name: &str) -> String {
    let words = name.replace('_', " ");
    let mut chars = words.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

fn choices<T: serde::Serialize>(all: &[T], chosen: &str) -> Vec<Choice> {
    all.iter()
        .map(|v| {
            let name = api_name(v);
            Choice::new(name.clone(), label(&name), &[chosen])
        })
        .collect()
}

pub fn statuses(chosen: &str) -> Vec<Choice> {
    choices(&Status::ALL, chosen)
}

pub fn severities(chosen: &str) -> Vec<Choice> {
    choices(&Severity::ALL, chosen)
}

pub fn origins(chosen: &str) -> Vec<Choice> {
    choices(
        &[
            Origin::Ours,
            Origin::Customer,
            Origin::Vendor,
            Origin::Unknown,
        ],
        chosen,
    )
}

/// Members and accounts, for selects and for naming them in tables.
pub struct Lookup {
    pub members: Vec<Member>,
    pub accounts: Vec<Account>,
    member_names: HashMap<MemberId, String>,
    account_names: HashMap<AccountId, String>,
}

impl Lookup {
    pub async fn load(state: &AppState) -> Result<Self, PageError> {
        let first = PageRequest {
            cursor: None,
            limit: Some(MAX_CHOICES),
        };
        let members = state.store.list_members(&first).await?.items;
        let accounts = state.store.list_accounts(None, &first).await?.items;
        Ok(Self {
            member_names: members.iter().map(|m| (m.id, m.name.clone())).collect(),
            account_names: accounts.iter().map(|a| (a.id, a.name.clone())).collect(),
            members,
            accounts,
        })
    }

    pub fn member(&self, id: MemberId) -> String {
        self.member_names
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("member {id}"))
    }

    pub fn account(&self, id: AccountId) -> String {
        self.account_names
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("account {id}"))
    }

    /// Active members who may own problems; with `me`, a "Me" choice first.
    pub fn owner_choices(&self, chosen: &str, me: bool) -> Vec<Choice> {
        let mut list = Vec::new();
        if me {
            list.push(Choice::new("me".into(), "Me".into(), &[chosen]));
        }
        list.extend(
            self.members
                .iter()
                .filter(|m| m.active && m.role.may_own())
                .map(|m| Choice::new(m.id.to_string(), m.name.clone(), &[chosen])),
        );
        list
    }

    pub fn account_choices(&self, chosen: &[&str]) -> Vec<Choice> {
        self.accounts
            .iter()
            .map(|a| Choice::new(a.id.to_string(), a.name.clone(), chosen))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_read_as_labels() {
        assert_eq!(super::label("waiting_on_customer"), "Waiting on customer");
        assert_eq!(super::label(""), "");
    }
}
