//! Loading subjects' facts in batches: a problem with its accounts, promises, remedies,
//! preventions, recurrences and surveys, or a promise made without a problem.

use std::collections::HashMap;

use makegood_domain::prevention::EffectivenessCheck;
use makegood_domain::report::cadence::Materialised;
use makegood_domain::report::facts::{
    PreventionFacts, ProblemFacts, PromiseFacts, RemedyFacts, Subject, SurveyFacts,
};
use makegood_domain::{AccountId, EventKind, MemberId, PromiseStatus};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::columns;
use crate::clocks::Rules;
use crate::convert::{from_db, from_db_opt, from_json, parse_name};
use crate::db::{contact, event, problem, problem_account, promise, promise_contact, survey};
use crate::error::DbResult;
use crate::preventions::entities::{prevention, recurrence};
use crate::remedies::entity::remedy;
use crate::{Result, StoreError};

/// The facts of each of `subjects` (a problem id, or minus a problem-less promise's id)
/// that still exists; a problem whose report columns were never derived gets them derived
/// from its timeline (and stored).
pub(crate) async fn subjects<C: ConnectionTrait>(
    c: &C,
    subjects: &[i64],
    rules: &Rules,
) -> Result<Vec<(i64, Subject)>> {
    let problem_ids: Vec<i64> = subjects.iter().copied().filter(|s| *s > 0).collect();
    let loose: Vec<i64> = subjects.iter().filter(|s| **s < 0).map(|s| -s).collect();

    let problems = if problem_ids.is_empty() {
        Vec::new()
    } else {
        problem::Entity::find()
            .filter(problem::Column::Id.is_in(problem_ids.clone()))
            .all(c)
            .await
            .db()?
    };
    let mut promises = Vec::new();
    if !problem_ids.is_empty() {
        promises.extend(
            promise::Entity::find()
                .filter(promise::Column::ProblemId.is_in(problem_ids.clone()))
                .all(c)
                .await
                .db()?,
        );
    }
    if !loose.is_empty() {
        promises.extend(
            promise::Entity::find()
                .filter(promise::Column::Id.is_in(loose))
                .filter(promise::Column::ProblemId.is_null())
                .all(c)
                .await
                .db()?,
        );
    }
    let promise_accounts = promise_accounts(c, &promises).await?;

    let mut by_problem: HashMap<i64, ProblemFacts> = HashMap::new();
    if !problems.is_empty() {
        let mut accounts: HashMap<i64, Vec<AccountId>> = HashMap::new();
        for row in problem_account::Entity::find()
            .filter(problem_account::Column::ProblemId.is_in(problem_ids.clone()))
            .order_by_asc(problem_account::Column::Position)
            .all(c)
            .await
            .db()?
        {
            accounts
                .entry(row.problem_id)
                .or_default()
                .push(AccountId(row.account_id));
        }
        let mut updates: HashMap<i64, Vec<jiff::Timestamp>> = HashMap::new();
        let rows: Vec<(Option<i64>, chrono::DateTime<chrono::Utc>)> = event::Entity::find()
            .select_only()
            .column(event::Column::ProblemId)
            .column(event::Column::At)
            .filter(event::Column::ProblemId.is_in(problem_ids.clone()))
            .filter(event::Column::Kind.eq("update"))
            .into_tuple()
            .all(c)
            .await
            .db()?;
        for (p, at) in rows {
            if let Some(p) = p {
                updates.entry(p).or_default().push(from_db(at)?);
            }
        }
        for row in &problems {
            let severity = parse_name(&row.severity)?;
            let detected_at = from_db(row.detected_at)?;
            let m = match columns::read(row)? {
                Some(m) => m,
                None => derive(c, row, rules).await?,
            };
            let closed = match (m.closed_at, &row.outcome) {
                (Some(at), Some(o)) => Some((at, parse_name(o)?)),
                _ => None,
            };
            by_problem.insert(
                row.id,
                ProblemFacts {
                    owner: MemberId(row.owner_id),
                    severity,
                    origin: parse_name(&row.origin)?,
                    accounts: accounts.remove(&row.id).unwrap_or_default(),
                    detected_at,
                    tell: m.tell,
                    fix: m.fix,
                    cadence: m.cadence,
                    closed,
                    updates: updates.remove(&row.id).unwrap_or_default(),
                    remedies: Vec::new(),
                    preventions: Vec::new(),
                    recurrences: Vec::new(),
                    surveys: Vec::new(),
                },
            );
        }
        hang_on(c, &problem_ids, &mut by_problem).await?;
    }

    let mut out: HashMap<i64, Subject> = HashMap::new();
    for (id, facts) in by_problem {
        out.insert(
            id,
            Subject {
                problem: Some(facts),
                promises: Vec::new(),
            },
        );
    }
    for p in promises {
        let subject = p.problem_id.unwrap_or(-p.id);
        let facts = PromiseFacts {
            made_by: MemberId(p.made_by),
            warn_at: from_db(p.warn_at)?,
            due_at: from_db(p.due_at)?,
            status: PromiseStatus::parse(&p.status).ok_or_else(|| {
                StoreError::Database(format!("unknown promise status {:?}", p.status))
            })?,
            ended_at: from_db_opt(p.ended_at)?,
            accounts: promise_accounts.get(&p.id).cloned().unwrap_or_default(),
        };
        out.entry(subject)
            .or_insert_with(|| Subject {
                problem: None,
                promises: Vec::new(),
            })
            .promises
            .push(facts);
    }
    // A problem-less subject whose promise is gone, or a deleted problem, has no facts.
    let mut list: Vec<(i64, Subject)> = out
        .into_iter()
        .filter(|(id, s)| *id > 0 && s.problem.is_some() || *id < 0)
        .collect();
    list.sort_by_key(|(id, _)| *id);
    Ok(list)
}

/// The accounts of the contacts each promise was made to, in order, without repeats.
async fn promise_accounts<C: ConnectionTrait>(
    c: &C,
    promises: &[promise::Model],
) -> Result<HashMap<i64, Vec<AccountId>>> {
    let mut out: HashMap<i64, Vec<AccountId>> = HashMap::new();
    if promises.is_empty() {
        return Ok(out);
    }
    let ids: Vec<i64> = promises.iter().map(|p| p.id).collect();
    let links = promise_contact::Entity::find()
        .filter(promise_contact::Column::PromiseId.is_in(ids))
        .order_by_asc(promise_contact::Column::Position)
        .all(c)
        .await
        .db()?;
    let mut contact_ids: Vec<i64> = links.iter().map(|l| l.contact_id).collect();
    contact_ids.sort_unstable();
    contact_ids.dedup();
    let mut account_of: HashMap<i64, i64> = HashMap::new();
    for chunk in contact_ids.chunks(1000) {
        let rows: Vec<(i64, i64)> = contact::Entity::find()
            .select_only()
            .column(contact::Column::Id)
            .column(contact::Column::AccountId)
            .filter(contact::Column::Id.is_in(chunk.to_vec()))
            .into_tuple()
            .all(c)
            .await
            .db()?;
        account_of.extend(rows);
    }
    for l in links {
        if let Some(a) = account_of.get(&l.contact_id) {
            let list = out.entry(l.promise_id).or_default();
            if !list.contains(&AccountId(*a)) {
                list.push(AccountId(*a));
            }
        }
    }
    Ok(out)
}

/// Remedies, preventions, recurrences and answered surveys onto their problems.
async fn hang_on<C: ConnectionTrait>(
    c: &C,
    ids: &[i64],
    problems: &mut HashMap<i64, ProblemFacts>,
) -> Result<()> {
    for r in remedy::Entity::find()
        .filter(remedy::Column::ProblemId.is_in(ids.to_vec()))
        .order_by_asc(remedy::Column::Id)
        .all(c)
        .await
        .db()?
    {
        let Some(p) = problems.get_mut(&r.problem_id) else {
            continue;
        };
        let decision = match (r.approval_required, r.decided_at) {
            (true, Some(at)) => Some((from_db(at)?, r.status == "rejected")),
            _ => None,
        };
        p.remedies.push(RemedyFacts {
            proposed_by: MemberId(r.proposed_by),
            proposed_at: from_db(r.proposed_at)?,
            currency: r.currency,
            cost_minor: r.cost_minor,
            vendor_share_minor: r.vendor_share_minor,
            vendor_share_received: r.vendor_share_received,
            net_minor: r.net_minor,
            delivered_at: from_db_opt(r.delivered_at)?,
            decision,
        });
    }
    for row in prevention::Entity::find()
        .filter(prevention::Column::ProblemId.is_in(ids.to_vec()))
        .order_by_asc(prevention::Column::Id)
        .all(c)
        .await
        .db()?
    {
        let Some(p) = problems.get_mut(&row.problem_id) else {
            continue;
        };
        let checks: Vec<EffectivenessCheck> = from_json(&row.checks)?;
        let first_done_at = checks
            .iter()
            .map(|c| c.done_at)
            .chain(from_db_opt(row.done_at)?)
            .min();
        p.preventions.push(PreventionFacts {
            owner: MemberId(row.owner_id),
            due_at: from_db(row.due_at)?,
            first_done_at,
            checks: checks.iter().map(|c| (c.checked_at, c.effective)).collect(),
        });
    }
    for row in recurrence::Entity::find()
        .filter(recurrence::Column::ProblemId.is_in(ids.to_vec()))
        .order_by_asc(recurrence::Column::Id)
        .all(c)
        .await
        .db()?
    {
        if let Some(p) = problems.get_mut(&row.problem_id) {
            p.recurrences.push((from_db(row.flagged_at)?, row.category));
        }
    }
    for row in survey::Entity::find()
        .filter(survey::Column::ProblemId.is_in(ids.to_vec()))
        .filter(survey::Column::AnsweredAt.is_not_null())
        .order_by_asc(survey::Column::Id)
        .all(c)
        .await
        .db()?
    {
        if let (Some(p), Some(at)) = (problems.get_mut(&row.problem_id), row.answered_at) {
            p.surveys.push(SurveyFacts {
                answered_at: from_db(at)?,
                rating: row.rating,
                recommend: row.recommend,
            });
        }
    }
    Ok(())
}

/// Derives (and stores) the report columns of a problem recorded before they existed.
async fn derive<C: ConnectionTrait>(
    c: &C,
    row: &problem::Model,
    rules: &Rules,
) -> Result<Materialised> {
    let events = event::Entity::find()
        .filter(event::Column::ProblemId.eq(row.id))
        .order_by_asc(event::Column::Id)
        .all(c)
        .await
        .db()?;
    let mut timeline: Vec<(jiff::Timestamp, EventKind)> = Vec::with_capacity(events.len());
    for e in events {
        timeline.push((from_db(e.at)?, from_json(&e.data)?));
    }
    let severity = parse_name(&row.severity)?;
    let (m, _) = Materialised::of_timeline(
        timeline.iter().map(|(at, k)| (*at, k)),
        from_db(row.detected_at)?,
        rules.policies.get(severity),
        rules.calendar(severity),
    )
    .map_err(|e| StoreError::Database(format!("problem {} does not fold: {e}", row.id)))?;
    let mut changes = <problem::ActiveModel as Default>::default();
    columns::write(&mut changes, &m);
    problem::Entity::update_many()
        .set(changes)
        .filter(problem::Column::Id.eq(row.id))
        .exec(c)
        .await
        .db()?;
    Ok(m)
}
