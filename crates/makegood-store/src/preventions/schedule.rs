//! The clocks of preventions and vendor promises: their timers, what the scheduler does when
//! one fires (events and alerts), and the duties they give.
//!
//! A prevention's corrective action warns and breaches like a promise (breach → owner and
//! supervisors); its effectiveness check warns its owner when it falls due. A vendor promise
//! warns the problem's owner to chase the vendor and is broken at its due time.

use std::collections::HashMap;

use jiff::Timestamp;
use makegood_domain::duty::ProblemRef;
use makegood_domain::{
    AlertKind, ClockKind, ClockState, Duty, EventKind, MemberId, ProblemId, ProblemNumber,
    PromiseStatus,
};
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::entities::{prevention, vendor_promise};
use super::record::to_prevention;
use super::vendor::{break_if_due, to_vendor_promise, vendor_names};
use crate::convert::{from_db, name_of, to_db};
use crate::db::{problem, timer};
use crate::error::DbResult;
use crate::problems::append_as_of;
use crate::scheduler::alerts::{Alert, send};
use crate::timers::{BREACH, Subject, WARNING, sync_deadlines};
use crate::{Result, policies};

/// Syncs a prevention's timers: the corrective action while open, the check while done.
pub(crate) async fn sync_prevention<C: ConnectionTrait>(
    c: &C,
    row: &prevention::Model,
) -> Result<()> {
    let p = to_prevention(row)?;
    let clocks = [p.action_clock(p.opened_at), p.check_clock(p.opened_at)];
    let deadlines: Vec<_> = clocks
        .into_iter()
        .flatten()
        .filter_map(|k| k.due_at.map(|due| (k.kind, k.warn_at, due)))
        .collect();
    sync_deadlines(c, Subject::Prevention(row.id), &deadlines).await
}

/// Syncs a vendor promise's timers: a warning and the break while open, none once ended.
pub(crate) async fn sync_vendor_promise<C: ConnectionTrait>(
    c: &C,
    row: &vendor_promise::Model,
) -> Result<()> {
    let deadlines = if row.status == name_of(&PromiseStatus::Open) {
        vec![(
            ClockKind::VendorPromise,
            Some(from_db(row.warn_at)?),
            from_db(row.due_at)?,
        )]
    } else {
        Vec::new()
    };
    sync_deadlines(c, Subject::VendorPromise(row.id), &deadlines).await
}

fn reference(row: &problem::Model) -> ProblemRef {
    ProblemRef {
        id: ProblemId(row.id),
        number: ProblemNumber(row.id),
        title: row.title.clone(),
    }
}

/// Acts on a claimed timer of a prevention or vendor promise (others are ignored).
pub(crate) async fn fire<C: ConnectionTrait>(
    c: &C,
    t: &timer::Model,
    clock: ClockKind,
    now: Timestamp,
) -> Result<()> {
    let warning = t.transition == WARNING;
    let due_at = from_db(t.due_at)?;
    match Subject::parse(&t.subject) {
        Some(Subject::Prevention(id)) => {
            let Some(row) = prevention::Entity::find_by_id(id).one(c).await.db()? else {
                return Ok(());
            };
            let (event, kind, at) = if warning {
                let event = EventKind::ClockWarning { clock, due_at };
                (event, AlertKind::Warning, from_db(t.at)?)
            } else {
                let event = EventKind::ClockBreached { clock, due_at };
                (event, AlertKind::Breach, due_at)
            };
            append_as_of(c, Some(row.problem_id), None, at, None, &event, now).await?;
            alert_prevention(c, &row, clock, kind, due_at, now).await
        }
        Some(Subject::VendorPromise(id)) => {
            let Some(row) = vendor_promise::Entity::find_by_id(id).one(c).await.db()? else {
                return Ok(());
            };
            if t.transition == BREACH {
                break_if_due(c, &row, now).await?;
                return Ok(());
            }
            if row.status != name_of(&PromiseStatus::Open) {
                return Ok(());
            }
            let event = EventKind::ClockWarning { clock, due_at };
            append_as_of(
                c,
                Some(row.problem_id),
                None,
                from_db(t.at)?,
                None,
                &event,
                now,
            )
            .await?;
            alert_vendor_promise(c, &row, AlertKind::Warning, now).await
        }
        _ => Ok(()),
    }
}

async fn alert_prevention<C: ConnectionTrait>(
    c: &C,
    row: &prevention::Model,
    clock: ClockKind,
    kind: AlertKind,
    due_at: Timestamp,
    now: Timestamp,
) -> Result<()> {
    let Some(problem) = problem::Entity::find_by_id(row.problem_id)
        .one(c)
        .await
        .db()?
    else {
        return Ok(());
    };
    let n = ProblemNumber(problem.id);
    let action = &row.corrective_action;
    let summary = match (clock, kind) {
        (ClockKind::Check, _) => format!("Check whether {action} worked for {n}"),
        (_, AlertKind::Warning) => format!("Do the corrective action for {n}: {action}"),
        _ => format!("Corrective action for {n} overdue: {action}"),
    };
    let alert = Alert {
        owner: row.owner_id,
        kind,
        clock,
        problem: Some(reference(&problem)),
        promise: None,
        summary,
        due_at,
    };
    send(c, alert, now).await
}

/// Alerts about a vendor promise: at risk → the problem's owner; broken → also supervisors.
pub(crate) async fn alert_vendor_promise<C: ConnectionTrait>(
    c: &C,
    row: &vendor_promise::Model,
    kind: AlertKind,
    now: Timestamp,
) -> Result<()> {
    let Some(problem) = problem::Entity::find_by_id(row.problem_id)
        .one(c)
        .await
        .db()?
    else {
        return Ok(());
    };
    let vendor = vendor_names(c, vec![row.vendor_id])
        .await?
        .remove(&row.vendor_id)
        .unwrap_or_else(|| "the vendor".to_owned());
    let n = ProblemNumber(problem.id);
    let summary = match kind {
        AlertKind::Warning => format!("Chase {vendor} about {n}: {}", row.what),
        _ => format!("{vendor} broke its promise on {n}: {}", row.what),
    };
    let alert = Alert {
        owner: problem.owner_id,
        kind,
        clock: ClockKind::VendorPromise,
        problem: Some(reference(&problem)),
        promise: None,
        summary,
        due_at: from_db(row.due_at)?,
    };
    send(c, alert, now).await
}

/// The duties of preventions (corrective actions open, checks due) and of vendor promises at
/// risk, for `member` (their owner; the problem's owner for vendor promises) or everyone.
pub(crate) async fn duties_in<C: ConnectionTrait>(
    c: &C,
    member: Option<MemberId>,
    now: Timestamp,
    take: u64,
) -> Result<Vec<Duty>> {
    let at = to_db(now);
    let owned = |q: sea_orm::Select<prevention::Entity>| match member {
        Some(m) => q.filter(prevention::Column::OwnerId.eq(m.0)),
        None => q,
    };
    let mut rows = owned(prevention::Entity::find().filter(prevention::Column::Status.eq("open")))
        .order_by_asc(prevention::Column::DueAt)
        .order_by_asc(prevention::Column::Id)
        .limit(take)
        .all(c)
        .await
        .db()?;
    rows.extend(
        owned(
            prevention::Entity::find()
                .filter(prevention::Column::Status.eq("done"))
                .filter(prevention::Column::CheckAt.lte(at)),
        )
        .order_by_asc(prevention::Column::CheckAt)
        .order_by_asc(prevention::Column::Id)
        .limit(take)
        .all(c)
        .await
        .db()?,
    );
    let mut vendor_rows = vendor_promise::Entity::find()
        .filter(vendor_promise::Column::Status.eq(name_of(&PromiseStatus::Open)))
        .filter(vendor_promise::Column::WarnAt.lte(at))
        .filter(vendor_promise::Column::DueAt.gte(at));
    if let Some(m) = member {
        let theirs = Query::select()
            .column(problem::Column::Id)
            .from(problem::Entity)
            .and_where(problem::Column::OwnerId.eq(m.0))
            .take();
        vendor_rows = vendor_rows.filter(vendor_promise::Column::ProblemId.in_subquery(theirs));
    }
    let vendor_rows = vendor_rows
        .order_by_asc(vendor_promise::Column::DueAt)
        .order_by_asc(vendor_promise::Column::Id)
        .limit(take)
        .all(c)
        .await
        .db()?;

    let problem_ids: Vec<i64> = rows
        .iter()
        .map(|r| r.problem_id)
        .chain(vendor_rows.iter().map(|r| r.problem_id))
        .collect();
    let problems: HashMap<i64, problem::Model> = if problem_ids.is_empty() {
        HashMap::new()
    } else {
        problem::Entity::find()
            .filter(problem::Column::Id.is_in(problem_ids))
            .all(c)
            .await
            .db()?
            .into_iter()
            .map(|p| (p.id, p))
            .collect()
    };
    let mut duties = Vec::new();
    for r in &rows {
        if let Some(p) = problems.get(&r.problem_id) {
            duties.extend(to_prevention(r)?.duties(&reference(p), now));
        }
    }
    let policies = policies::load(c).await?;
    let names = vendor_names(c, vendor_rows.iter().map(|r| r.vendor_id).collect()).await?;
    for r in &vendor_rows {
        let Some(p) = problems.get(&r.problem_id) else {
            continue;
        };
        let v = to_vendor_promise(r)?;
        let clock = v.clock(&policies, now);
        let vendor = names.get(&r.vendor_id).map_or("the vendor", String::as_str);
        if clock.state == ClockState::Warning {
            duties.extend(v.duty(vendor, MemberId(p.owner_id), clock, reference(p)));
        }
    }
    Ok(duties)
}
