//! What an account's health is computed from, read for several accounts at once: open
//! problems and their breached clocks, promises broken lately, follow-up answers, outcomes.

use std::collections::{BTreeMap, HashMap, HashSet};

use jiff::{SignedDuration, Timestamp};
use makegood_domain::health::{Answer, HealthInputs, WINDOW_DAYS};
use makegood_domain::{ClockState, EventKind, Outcome, PromiseStatus, Status};
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::Result;
use crate::clocks::Rules;
use crate::convert::{from_json, name_of, to_db};
use crate::db::{contact, event, problem, problem_account, promise, promise_contact, survey};
use crate::error::DbResult;
use crate::problems::load;

/// When the window of broken promises, answers and outcomes starts.
pub(super) fn window_start(now: Timestamp) -> Timestamp {
    now.checked_sub(SignedDuration::from_hours(WINDOW_DAYS * 24))
        .unwrap_or(now)
}

/// The inputs of each of `accounts` at `now` (every one present, default when untroubled).
pub(super) async fn of_accounts<C: ConnectionTrait>(
    c: &C,
    accounts: &[i64],
    rules: &Rules,
    now: Timestamp,
) -> Result<BTreeMap<i64, HealthInputs>> {
    let mut out: BTreeMap<i64, HealthInputs> = accounts
        .iter()
        .map(|a| (*a, HealthInputs::default()))
        .collect();
    if accounts.is_empty() {
        return Ok(out);
    }
    let since = to_db(window_start(now));

    // Which problems affect which account.
    let links: Vec<(i64, i64)> = problem_account::Entity::find()
        .select_only()
        .column(problem_account::Column::ProblemId)
        .column(problem_account::Column::AccountId)
        .filter(problem_account::Column::AccountId.is_in(accounts.to_vec()))
        .into_tuple()
        .all(c)
        .await
        .db()?;
    let mut affected: HashMap<i64, Vec<i64>> = HashMap::new();
    for (p, a) in &links {
        affected.entry(*p).or_default().push(*a);
    }
    let ids: Vec<i64> = affected.keys().copied().collect();

    // Open problems and their breached clocks.
    let open = if ids.is_empty() {
        Vec::new()
    } else {
        problem::Entity::find()
            .filter(problem::Column::Id.is_in(ids.clone()))
            .filter(problem::Column::Status.ne(name_of(&Status::Closed)))
            .all(c)
            .await
            .db()?
    };
    for v in load::views(c, &open, rules, now).await? {
        let breached = v
            .clocks
            .iter()
            .filter(|k| k.state == ClockState::Breached)
            .count();
        for a in affected.get(&v.problem.id.0).into_iter().flatten() {
            if let Some(i) = out.get_mut(a) {
                i.open.add(v.problem.severity);
                i.breached_clocks += u32::try_from(breached).unwrap_or(u32::MAX);
            }
        }
    }

    // Outcomes: each problem's latest `closed` event in the window, if it is still closed.
    if !ids.is_empty() {
        // A problem reopened since is open again: its outcome no longer stands.
        let still_open: HashSet<i64> = open.iter().map(|p| p.id).collect();
        let events = event::Entity::find()
            .filter(event::Column::Kind.eq("closed"))
            .filter(event::Column::ProblemId.is_in(ids.clone()))
            .filter(event::Column::At.gte(since))
            .all(c)
            .await
            .db()?;
        let mut latest: HashMap<i64, (i64, Outcome)> = HashMap::new();
        for e in events {
            let Some(p) = e.problem_id.filter(|p| !still_open.contains(p)) else {
                continue;
            };
            if let EventKind::Closed { outcome } = from_json(&e.data)?
                && latest.get(&p).is_none_or(|(id, _)| *id < e.id)
            {
                latest.insert(p, (e.id, outcome));
            }
        }
        for (p, (_, outcome)) in latest {
            for a in affected.get(&p).into_iter().flatten() {
                if let Some(i) = out.get_mut(a) {
                    match outcome {
                        Outcome::Lost => i.lost += 1,
                        Outcome::AtRisk => i.at_risk += 1,
                        Outcome::Advocate | Outcome::Retained | Outcome::Unknown => {}
                    }
                }
            }
        }
    }

    // The accounts' contacts, for promises and answers.
    let contacts: HashMap<i64, i64> = contact::Entity::find()
        .select_only()
        .column(contact::Column::Id)
        .column(contact::Column::AccountId)
        .filter(contact::Column::AccountId.is_in(accounts.to_vec()))
        .into_tuple()
        .all(c)
        .await
        .db()?
        .into_iter()
        .collect();
    if contacts.is_empty() {
        return Ok(out);
    }
    let of_accounts = || {
        Query::select()
            .column(contact::Column::Id)
            .from(contact::Entity)
            .and_where(contact::Column::AccountId.is_in(accounts.to_vec()))
            .take()
    };

    // Promises to their contacts due in the window that passed unkept.
    let unkept = Condition::any()
        .add(promise::Column::Status.eq(name_of(&PromiseStatus::Broken)))
        .add(promise::Column::Status.eq(name_of(&PromiseStatus::Open)));
    let broken: Vec<i64> = promise::Entity::find()
        .select_only()
        .column(promise::Column::Id)
        .filter(unkept)
        .filter(promise::Column::DueAt.gte(since))
        .filter(promise::Column::DueAt.lt(to_db(now)))
        .filter(
            promise::Column::Id.in_subquery(
                Query::select()
                    .column(promise_contact::Column::PromiseId)
                    .from(promise_contact::Entity)
                    .and_where(promise_contact::Column::ContactId.in_subquery(of_accounts()))
                    .take(),
            ),
        )
        .into_tuple()
        .all(c)
        .await
        .db()?;
    if !broken.is_empty() {
        let pairs: Vec<(i64, i64)> = promise_contact::Entity::find()
            .select_only()
            .column(promise_contact::Column::PromiseId)
            .column(promise_contact::Column::ContactId)
            .filter(promise_contact::Column::PromiseId.is_in(broken))
            .into_tuple()
            .all(c)
            .await
            .db()?;
        // A promise to several contacts of one account counts once for it.
        let per_account: HashSet<(i64, i64)> = pairs
            .into_iter()
            .filter_map(|(p, k)| contacts.get(&k).map(|a| (p, *a)))
            .collect();
        for (_, a) in per_account {
            if let Some(i) = out.get_mut(&a) {
                i.broken_promises += 1;
            }
        }
    }

    // Follow-up answers in the window.
    let answers: Vec<(i64, Option<i16>, Option<i16>)> = survey::Entity::find()
        .select_only()
        .column(survey::Column::ContactId)
        .column(survey::Column::Rating)
        .column(survey::Column::Recommend)
        .filter(survey::Column::ContactId.in_subquery(of_accounts()))
        .filter(survey::Column::AnsweredAt.gte(since))
        .into_tuple()
        .all(c)
        .await
        .db()?;
    for (k, rating, recommend) in answers {
        let (Some(rating), Some(recommend)) = (rating, recommend) else {
            continue;
        };
        if let (Some(a), Ok(rating), Ok(recommend)) = (
            contacts.get(&k),
            u8::try_from(rating),
            u8::try_from(recommend),
        ) && let Some(i) = out.get_mut(a)
        {
            i.answers.push(Answer { rating, recommend });
        }
    }
    Ok(out)
}
