//! The approval clock in the scheduler: a waiting remedy's warning goes to the supervisors
//! and admins who could approve it; its breach to every supervisor and admin and the proposer.
//!
//! Both are dated when they happened (the warning time, the deadline) on the problem's
//! timeline as `clock_warning` / `clock_breached` with the clock `approval`. A remedy decided
//! meanwhile has no timers left, and a timer that still fires for one is ignored.

use std::collections::BTreeMap;

use jiff::Timestamp;
use makegood_domain::{
    AlertKind, ClockKind, EventKind, MemberId, Notice, ProblemId, Recipient, Role,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::duties::customer_names;
use super::entity::remedy;
use super::record::{AWAITING, to_remedy};
use crate::convert::{email, from_db};
use crate::db::{member, member_preference, timer};
use crate::error::DbResult;
use crate::members::to_member;
use crate::problems::{append_as_of, notices::problem_ref};
use crate::scheduler::alerts::{not_before, preferences};
use crate::timers::WARNING;
use crate::{Result, outbox};

/// The remedy a timer belongs to, if it is a remedy's (`remedy:<id>`).
pub(crate) fn remedy_of(t: &timer::Model) -> Option<i64> {
    t.subject.strip_prefix("remedy:")?.parse().ok()
}

/// Acts on a claimed timer of remedy `id`.
pub(crate) async fn fire<C: ConnectionTrait>(
    c: &C,
    t: &timer::Model,
    id: i64,
    now: Timestamp,
) -> Result<()> {
    let at = from_db(t.at)?;
    let due_at = from_db(t.due_at)?;
    let warning = t.transition == WARNING;
    // A warning whose deadline has passed too is fired silently: the breach says it all.
    if warning && due_at < now {
        return Ok(());
    }
    let Some(r) = remedy::Entity::find_by_id(id).one(c).await.db()? else {
        return Ok(());
    };
    if r.status != AWAITING {
        return Ok(());
    }
    let clock = ClockKind::Approval;
    let (event, kind, dated) = if warning {
        (
            EventKind::ClockWarning { clock, due_at },
            AlertKind::Warning,
            at,
        )
    } else {
        (
            EventKind::ClockBreached { clock, due_at },
            AlertKind::Breach,
            due_at,
        )
    };
    append_as_of(c, Some(r.problem_id), None, dated, None, &event, now).await?;
    alert(c, &r, kind, due_at, now).await
}

/// Writes the alerts of a waiting remedy's warning or breach.
async fn alert<C: ConnectionTrait>(
    c: &C,
    r: &remedy::Model,
    kind: AlertKind,
    due_at: Timestamp,
    now: Timestamp,
) -> Result<()> {
    let remedy = to_remedy(r)?;
    let Some(problem) = problem_ref(c, r.problem_id).await? else {
        return Ok(());
    };
    let customer = customer_names(c, &[r.problem_id])
        .await?
        .remove(&r.problem_id)
        .unwrap_or_else(|| "the customer".to_owned());
    let summary = remedy.approval_summary(&customer, &problem);

    let roles = [Role::Supervisor.as_str(), Role::Admin.as_str()];
    let leads = member::Entity::find()
        .filter(member::Column::Role.is_in(roles))
        .filter(member::Column::Active.eq(true))
        .order_by_asc(member::Column::Id)
        .all(c)
        .await
        .db()?;
    let mut covering: BTreeMap<i64, member::Model> = BTreeMap::new();
    let mut all: BTreeMap<i64, member::Model> = BTreeMap::new();
    for m in leads {
        if remedy.approvable_by(&to_member(m.clone())?) {
            covering.insert(m.id, m.clone());
        }
        all.insert(m.id, m);
    }
    // A warning asks those who could approve it — every lead when nobody's authority covers
    // it, so that someone raises one in time; a breach tells every lead and the proposer.
    let mut to = if kind == AlertKind::Warning && !covering.is_empty() {
        covering
    } else {
        all
    };
    let proposer = if kind == AlertKind::Warning {
        None
    } else {
        member::Entity::find_by_id(r.proposed_by)
            .one(c)
            .await
            .db()?
    };
    if let Some(m) = proposer.filter(|m| m.active) {
        to.insert(m.id, m);
    }
    let ids: Vec<i64> = to.keys().copied().collect();
    let prefs: BTreeMap<i64, member_preference::Model> = member_preference::Entity::find()
        .filter(member_preference::Column::MemberId.is_in(ids))
        .all(c)
        .await
        .db()?
        .into_iter()
        .map(|p| (p.member_id, p))
        .collect();
    for (id, m) in to {
        let prefs = preferences(prefs.get(&id))?;
        if !prefs.email_alerts {
            continue;
        }
        let notice = Notice::Alert {
            to: Recipient {
                name: m.name.clone(),
                email: email(&m.email)?,
                time_zone: m.time_zone.clone(),
            },
            member: MemberId(m.id),
            alert: kind,
            clock: ClockKind::Approval,
            problem: Some(problem.clone()),
            promise: None,
            summary: summary.clone(),
            due_at,
        };
        let at = not_before(&m, &prefs, kind, now);
        outbox::enqueue(c, &notice, Some(ProblemId(r.problem_id)), at, now).await?;
    }
    Ok(())
}
