//! The approval duties: each remedy awaiting approval asks every active supervisor and admin
//! whose authority covers it ("Approve the redo for Acme on MG-12 (EUR 800.00): …"); when
//! nobody's does, it asks the admins to find an approver. The everyone view lists each remedy
//! once, for the first member it asks.

use std::collections::HashMap;

use jiff::Timestamp;
use makegood_domain::duty::ProblemRef;
use makegood_domain::remedy::DEFAULT_APPROVAL_WITHIN;
use makegood_domain::{Duty, Member, MemberId, ProblemId, ProblemNumber, Role};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::entity::remedy;
use super::record::{AWAITING, to_remedy};
use crate::Result;
use crate::db::{account, member, problem, problem_account};
use crate::error::DbResult;
use crate::members::to_member;

/// The name of each problem's first account, by problem id.
pub(crate) async fn customer_names<C: ConnectionTrait>(
    c: &C,
    problems: &[i64],
) -> Result<HashMap<i64, String>> {
    if problems.is_empty() {
        return Ok(HashMap::new());
    }
    let links = problem_account::Entity::find()
        .filter(problem_account::Column::ProblemId.is_in(problems.to_vec()))
        .order_by_asc(problem_account::Column::ProblemId)
        .order_by_asc(problem_account::Column::Position)
        .all(c)
        .await
        .db()?;
    let mut first: HashMap<i64, i64> = HashMap::new();
    for l in &links {
        first.entry(l.problem_id).or_insert(l.account_id);
    }
    let ids: Vec<i64> = first.values().copied().collect();
    let names: HashMap<i64, String> = account::Entity::find()
        .filter(account::Column::Id.is_in(ids))
        .all(c)
        .await
        .db()?
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect();
    Ok(first
        .into_iter()
        .filter_map(|(p, a)| names.get(&a).map(|n| (p, n.clone())))
        .collect())
}

/// The approval duties at `now` of `member` (or everyone's, each remedy once), from the
/// `take` waiting remedies with the earliest deadlines.
pub(crate) async fn duties<C: ConnectionTrait>(
    c: &C,
    member: Option<MemberId>,
    now: Timestamp,
    take: u64,
) -> Result<Vec<Duty>> {
    let rows = remedy::Entity::find()
        .filter(remedy::Column::Status.eq(AWAITING))
        .order_by_asc(remedy::Column::ApprovalDueAt)
        .order_by_asc(remedy::Column::Id)
        .limit(take)
        .all(c)
        .await
        .db()?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let roles = [Role::Supervisor.as_str(), Role::Admin.as_str()];
    let leads: Vec<Member> = member::Entity::find()
        .filter(member::Column::Role.is_in(roles))
        .filter(member::Column::Active.eq(true))
        .order_by_asc(member::Column::Id)
        .all(c)
        .await
        .db()?
        .into_iter()
        .map(to_member)
        .collect::<Result<_>>()?;
    let problem_ids: Vec<i64> = rows.iter().map(|r| r.problem_id).collect();
    let customers = customer_names(c, &problem_ids).await?;
    let refs: HashMap<i64, ProblemRef> = problem::Entity::find()
        .filter(problem::Column::Id.is_in(problem_ids))
        .all(c)
        .await
        .db()?
        .into_iter()
        .map(|p| {
            let r = ProblemRef {
                id: ProblemId(p.id),
                number: ProblemNumber(p.id),
                title: p.title,
            };
            (p.id, r)
        })
        .collect();

    let mut duties = Vec::new();
    for r in &rows {
        let remedy = to_remedy(r)?;
        let (Some(approval), Some(problem)) = (
            remedy.approval_clock(DEFAULT_APPROVAL_WITHIN, now),
            refs.get(&r.problem_id),
        ) else {
            continue;
        };
        let customer = customers
            .get(&r.problem_id)
            .map_or("the customer", String::as_str);
        let covered = leads.iter().any(|m| remedy.approvable_by(m));
        let asked = leads
            .iter()
            .filter(|m| member.is_none_or(|id| id == m.id))
            .filter_map(|m| {
                if covered {
                    Duty::for_remedy(&remedy, &approval, customer, problem.clone(), m)
                } else {
                    Duty::for_remedy_without_approver(
                        &remedy,
                        &approval,
                        customer,
                        problem.clone(),
                        m,
                    )
                }
            });
        if member.is_some() {
            duties.extend(asked);
        } else {
            duties.extend(asked.take(1));
        }
    }
    Ok(duties)
}
