//! Duties: what the running clocks ask of people now, most urgent first.
//!
//! Candidates come from the indexed deadlines only: problems by next due time (all breached
//! ones come first) and by next warning time, open promises by due time and warning time,
//! remedies awaiting approval by approval deadline.

use std::collections::{BTreeMap, HashMap};

use jiff::Timestamp;
use makegood_domain::clock::promise_clock;
use makegood_domain::duty::ProblemRef;
use makegood_domain::{Duty, MemberId, PromiseStatus};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::clocks::Rules;
use crate::convert::{name_of, to_db};
use crate::db::{account, contact, problem, promise};
use crate::error::DbResult;
use crate::problems::load as problem_load;
use crate::promises;
use crate::{Result, Store, StoreError};

/// The most duties one call returns.
const MAX: u32 = 500;

pub(crate) async fn duties(
    store: &Store,
    member: Option<MemberId>,
    now: Timestamp,
    limit: u32,
) -> Result<Vec<Duty>> {
    if limit == 0 || limit > MAX {
        return Err(StoreError::invalid(
            "limit",
            format!("must be between 1 and {MAX}"),
        ));
    }
    let txn = store.read().await?;
    let duties = duties_in(&txn, member, now, limit).await?;
    txn.commit().await.db()?;
    Ok(duties)
}

/// Like [`duties`], in the caller's transaction (the digest reads them while it claims).
pub(crate) async fn duties_in<C: ConnectionTrait>(
    txn: &C,
    member: Option<MemberId>,
    now: Timestamp,
    limit: u32,
) -> Result<Vec<Duty>> {
    let take = u64::from(limit);
    let at = to_db(now);
    let rules = Rules::load(txn).await?;
    let policies = &rules.policies;

    // Problems: earliest due first (breached, then the rest), plus those already warning.
    let owned = |q: sea_orm::Select<problem::Entity>| match member {
        Some(m) => q.filter(problem::Column::OwnerId.eq(m.0)),
        None => q,
    };
    let mut problems: BTreeMap<i64, problem::Model> = BTreeMap::new();
    let by_due = owned(problem::Entity::find().filter(problem::Column::NextDueAt.is_not_null()))
        .order_by_asc(problem::Column::NextDueAt)
        .order_by_asc(problem::Column::Id)
        .limit(take)
        .all(txn)
        .await
        .db()?;
    let warning = owned(problem::Entity::find().filter(problem::Column::NextWarnAt.lte(at)))
        .filter(problem::Column::NextDueAt.gte(at))
        .order_by_asc(problem::Column::NextWarnAt)
        .order_by_asc(problem::Column::Id)
        .limit(take)
        .all(txn)
        .await
        .db()?;
    problems.extend(by_due.into_iter().chain(warning).map(|p| (p.id, p)));
    let problems: Vec<problem::Model> = problems.into_values().collect();

    // Promises still open at `now`: earliest due first, plus those already warning.
    let made_by = |q: sea_orm::Select<promise::Entity>| match member {
        Some(m) => q.filter(promise::Column::MadeBy.eq(m.0)),
        None => q,
    };
    let open = || {
        made_by(
            promise::Entity::find()
                .filter(promise::Column::Status.eq(name_of(&PromiseStatus::Open)))
                .filter(promise::Column::DueAt.gte(at)),
        )
    };
    let mut promise_rows: BTreeMap<i64, promise::Model> = BTreeMap::new();
    let soonest = open()
        .order_by_asc(promise::Column::DueAt)
        .order_by_asc(promise::Column::Id)
        .limit(take)
        .all(txn)
        .await
        .db()?;
    let at_risk = open()
        .filter(promise::Column::WarnAt.lte(at))
        .order_by_asc(promise::Column::DueAt)
        .order_by_asc(promise::Column::Id)
        .limit(take)
        .all(txn)
        .await
        .db()?;
    promise_rows.extend(soonest.into_iter().chain(at_risk).map(|p| (p.id, p)));
    let promise_rows: Vec<promise::Model> = promise_rows.into_values().collect();

    let mut duties = Vec::new();
    let views = problem_load::views(txn, &problems, &rules, now).await?;
    let primary: Vec<i64> = views
        .iter()
        .filter_map(|v| v.problem.accounts.first().map(|a| a.0))
        .collect();
    let names = account_names(txn, primary).await?;
    for v in &views {
        let customer = v
            .problem
            .accounts
            .first()
            .and_then(|a| names.get(&a.0))
            .map_or("the customer", String::as_str);
        duties.extend(Duty::for_problem(&v.problem, customer, &v.clocks));
    }

    let promise_views = promises::views(txn, &promise_rows, policies, now).await?;
    let first_contacts: Vec<i64> = promise_views
        .iter()
        .filter_map(|v| v.promise.contacts.first().map(|c| c.0))
        .collect();
    let contacts: HashMap<i64, contact::Model> = if first_contacts.is_empty() {
        HashMap::new()
    } else {
        contact::Entity::find()
            .filter(contact::Column::Id.is_in(first_contacts))
            .all(txn)
            .await
            .db()?
            .into_iter()
            .map(|c| (c.id, c))
            .collect()
    };
    let names = account_names(txn, contacts.values().map(|c| c.account_id).collect()).await?;
    let problem_ids: Vec<i64> = promise_views
        .iter()
        .filter_map(|v| v.promise.problem.map(|p| p.0))
        .collect();
    let refs: HashMap<i64, ProblemRef> = if problem_ids.is_empty() {
        HashMap::new()
    } else {
        problem::Entity::find()
            .filter(problem::Column::Id.is_in(problem_ids))
            .all(txn)
            .await
            .db()?
            .into_iter()
            .map(|p| {
                let r = ProblemRef {
                    id: makegood_domain::ProblemId(p.id),
                    number: makegood_domain::ProblemNumber(p.id),
                    title: p.title,
                };
                (p.id, r)
            })
            .collect()
    };
    for v in promise_views {
        let contact = v.promise.contacts.first().and_then(|c| contacts.get(&c.0));
        let customer = contact
            .map(|c| {
                names
                    .get(&c.account_id)
                    .cloned()
                    .unwrap_or_else(|| c.name.clone())
            })
            .unwrap_or_else(|| "the customer".to_owned());
        let clock = promise_clock(&v.promise, policies, now);
        let problem = v.promise.problem.and_then(|p| refs.get(&p.0).cloned());
        duties.extend(Duty::for_promise(&v.promise, &customer, clock, problem));
    }

    duties.extend(crate::remedies::duties::duties(txn, member, now, take).await?);
    duties.extend(crate::preventions::schedule::duties_in(txn, member, now, take).await?);
    duties.extend(crate::health::duties(txn, member, now).await?);
    if let Some(m) = member {
        duties.retain(|d| d.member == m);
    }
    Duty::sort(&mut duties);
    duties.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    Ok(duties)
}

async fn account_names<C: ConnectionTrait>(c: &C, ids: Vec<i64>) -> Result<HashMap<i64, String>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(account::Entity::find()
        .filter(account::Column::Id.is_in(ids))
        .all(c)
        .await
        .db()?
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect())
}
