//! Promises on a many-account problem made to the stakeholders of some affected accounts,
//! or of all of them: expanded to those accounts' contacts when the promise is made.

use makegood_domain::text::limits;
use makegood_domain::{ContactId, EventKind, Promise, PromiseId, PromiseStatus};

use super::{NewAccountsPromise, reach};
use crate::convert::micros;
use crate::error::DbResult;
use crate::problems::{append, load as problem_load};
use crate::promises::{insert, views};
use crate::validate::{self, text};
use crate::{Actor, PromiseView, Result, Store, StoreError, policies};

pub(crate) async fn create(
    store: &Store,
    actor: Actor,
    new: NewAccountsPromise,
) -> Result<PromiseView> {
    let now = micros(actor.now);
    let what = text("what", &new.what, limits::PROMISE)?;
    let due_at = micros(new.due_at);
    if due_at <= now {
        return Err(StoreError::invalid(
            "due_at",
            "a promise cannot be due in the past",
        ));
    }
    if new.accounts.as_ref().is_some_and(Vec::is_empty) {
        return Err(StoreError::invalid(
            "accounts",
            "name at least one affected account, or make the promise to all of them",
        ));
    }
    let txn = store.write().await?;
    validate::owner(&txn, "made_by", new.made_by).await?;
    let problem = problem_load::row(&txn, new.problem, false)
        .await
        .map_err(|e| match e {
            StoreError::NotFound { .. } => {
                StoreError::invalid("problem", format!("problem {} does not exist", new.problem))
            }
            other => other,
        })?;
    let affected = reach::accounts_of(&txn, problem.id).await?;
    let accounts = match &new.accounts {
        None => affected,
        Some(ids) => {
            let ids = validate::dedup(ids.iter().map(|a| a.0));
            if let Some(other) = ids.iter().find(|a| !affected.contains(a)) {
                return Err(StoreError::invalid(
                    "accounts",
                    format!(
                        "account {other} is not affected by {}: add it to the problem first, or choose one of its accounts",
                        new.problem
                    ),
                ));
            }
            ids
        }
    };
    let contacts = reach::contacts_of(&txn, &accounts).await?;
    if contacts.is_empty() {
        return Err(StoreError::invalid(
            "accounts",
            "no contact works at these accounts yet: add the contacts the promise is made to first",
        ));
    }
    let policies = policies::load(&txn).await?;
    let promise = Promise {
        id: PromiseId(0),
        what: what.clone(),
        contacts: contacts.into_iter().map(|x| ContactId(x.id)).collect(),
        made_by: new.made_by,
        problem: Some(new.problem),
        made_at: now,
        due_at,
        status: PromiseStatus::Open,
        ended_at: None,
        reason: None,
        renegotiated_from: None,
        renegotiated_to: None,
        version: 1,
    };
    let row = insert(&txn, &promise, &policies).await?;
    let made = EventKind::PromiseMade { what, due_at };
    append(
        &txn,
        row.problem_id,
        Some(row.id),
        now,
        Some(actor.member.0),
        &made,
    )
    .await?;
    let view = views(&txn, &[row], &policies, now).await?.pop();
    txn.commit().await.db()?;
    view.ok_or(StoreError::not_found("promise"))
}
