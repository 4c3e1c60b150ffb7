//! Incidents across many accounts: a problem affecting a franchise network and all its
//! locations, its updates fanned out in batches, each account's view of them, and promises
//! to the stakeholders of some affected accounts or of all.

pub(crate) mod fanout;
mod locations;
mod promises;
pub(crate) mod reach;
mod updates;

use std::collections::HashMap;

use jiff::Timestamp;
use makegood_domain::{Account, AccountId, EventId, MemberId, ProblemId, ProblemNumber};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::Serialize;

pub use locations::{LocationContact, NewLocation};

use crate::db::account;
use crate::error::DbResult;
use crate::problems::load;
use crate::{Actor, Page, PageRequest, PromiseView, Result, Store};

/// A customer-visible update as an affected account sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AccountUpdate {
    pub event: EventId,
    pub problem: ProblemId,
    pub number: ProblemNumber,
    pub title: String,
    pub at: Timestamp,
    pub body: String,
}

/// A promise on a problem made to the contacts of some of its affected accounts
/// (`accounts`), or of all of them (`None`), as they are when it is made.
#[derive(Clone, Debug)]
pub struct NewAccountsPromise {
    pub what: String,
    pub problem: ProblemId,
    pub accounts: Option<Vec<AccountId>>,
    pub made_by: MemberId,
    pub due_at: Timestamp,
}

/// Whom a problem's updates reach now.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Reach {
    /// Affected accounts.
    pub accounts: u64,
    /// Stakeholders (listed, or every contact of every affected account).
    pub stakeholders: u64,
    /// Of those, the ones with an email address (each update emails each distinct one).
    pub with_email: u64,
}

impl Store {
    /// The customer-visible updates of every problem affecting `account`, newest first.
    pub async fn customer_updates_for_account(
        &self,
        account: AccountId,
        page: &PageRequest,
    ) -> Result<Page<AccountUpdate>> {
        updates::for_account(&self.db, account.0, page).await
    }

    /// The latest customer-visible update of each of `problems` that has one.
    pub async fn latest_customer_updates(
        &self,
        problems: &[ProblemId],
    ) -> Result<HashMap<ProblemId, AccountUpdate>> {
        updates::latest(&self.db, problems).await
    }

    /// The accounts problem `id` affects, primary first, read in one query.
    pub async fn affected_accounts(&self, id: ProblemId) -> Result<Vec<Account>> {
        let txn = self.read().await?;
        load::row(&txn, id, false).await?;
        let order = reach::accounts_of(&txn, id.0).await?;
        let mut found = Vec::with_capacity(order.len());
        for chunk in order.chunks(10_000) {
            found.extend(
                account::Entity::find()
                    .filter(account::Column::Id.is_in(chunk.to_vec()))
                    .all(&txn)
                    .await
                    .db()?,
            );
        }
        txn.commit().await.db()?;
        let position: HashMap<i64, usize> = order.iter().zip(0..).map(|(a, i)| (*a, i)).collect();
        found.sort_by_key(|a| position.get(&a.id).copied());
        Ok(found.into_iter().map(crate::accounts::to_account).collect())
    }

    /// How many accounts and stakeholders problem `id`'s updates reach now.
    pub async fn problem_reach(&self, id: ProblemId) -> Result<Reach> {
        let txn = self.read().await?;
        let row = load::row(&txn, id, false).await?;
        let accounts = reach::accounts_of(&txn, row.id).await?;
        let contacts = reach::stakeholders_of(&txn, row.id, row.all_stakeholders).await?;
        txn.commit().await.db()?;
        Ok(Reach {
            accounts: accounts.len() as u64,
            stakeholders: contacts.len() as u64,
            with_email: contacts.iter().filter(|c| c.email.is_some()).count() as u64,
        })
    }

    /// Creates `locations` under account `parent`, each with its contacts, in one
    /// transaction; returns their ids in order.
    pub async fn import_locations(
        &self,
        parent: AccountId,
        locations: Vec<NewLocation>,
    ) -> Result<Vec<AccountId>> {
        locations::import(self, parent, locations).await
    }

    /// Makes a promise on a problem to the contacts of some affected accounts, or of all:
    /// validated like [`Store::create_promise`], the accounts affected by the problem.
    pub async fn create_accounts_promise(
        &self,
        actor: Actor,
        promise: NewAccountsPromise,
    ) -> Result<PromiseView> {
        promises::create(self, actor, promise).await
    }
}
