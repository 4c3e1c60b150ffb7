//! Alerts: a clock transition or a broken promise, emailed to the members it concerns —
//! warnings to the owner, breaches and broken promises also to every supervisor and admin.
//!
//! Only active members with email alerts on hear; a warning waits for the member's working
//! hours, the critical ones go at once.

use std::collections::BTreeMap;

use jiff::Timestamp;
use makegood_domain::duty::{ProblemRef, PromiseRef};
use makegood_domain::{
    AlertKind, Clock, ClockKind, ClockState, Duty, MemberId, Notice, Preferences, ProblemId,
    PromiseId, PromiseStatus, Recipient, Role,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::convert::{email, from_db, from_json};
use crate::db::{account, contact, member, member_preference, promise};
use crate::error::DbResult;
use crate::problems::{load, notices::problem_ref};
use crate::{Result, StoreError, outbox, promises};

/// A member's preferences, the defaults when they have no row.
pub(crate) fn preferences(row: Option<&member_preference::Model>) -> Result<Preferences> {
    row.map_or_else(|| Ok(Preferences::default()), |r| from_json(&r.data))
}

/// When a member may be sent an alert of `kind` raised at `now`.
pub(crate) fn not_before(
    m: &member::Model,
    prefs: &Preferences,
    kind: AlertKind,
    now: Timestamp,
) -> Timestamp {
    if kind.is_critical() {
        return now;
    }
    // Hours that do not build (or never open) cannot hold an alert back.
    match prefs.working_hours.in_zone(&m.time_zone) {
        Ok(calendar) => Some(calendar.next_open(now))
            .filter(|t| *t < Timestamp::MAX)
            .unwrap_or(now),
        Err(_) => now,
    }
}

/// The active members with email alerts on among `owner` and, when `escalate`, every
/// supervisor and admin; each once, in id order.
pub(crate) async fn recipients<C: ConnectionTrait>(
    c: &C,
    owner: i64,
    escalate: bool,
) -> Result<Vec<(member::Model, Preferences)>> {
    let mut members: BTreeMap<i64, member::Model> = BTreeMap::new();
    if let Some(m) = member::Entity::find_by_id(owner).one(c).await.db()? {
        members.insert(m.id, m);
    }
    if escalate {
        let roles = [Role::Supervisor.as_str(), Role::Admin.as_str()];
        for m in member::Entity::find()
            .filter(member::Column::Role.is_in(roles))
            .filter(member::Column::Active.eq(true))
            .order_by_asc(member::Column::Id)
            .all(c)
            .await
            .db()?
        {
            members.insert(m.id, m);
        }
    }
    members.retain(|_, m| m.active);
    let ids: Vec<i64> = members.keys().copied().collect();
    let rows: BTreeMap<i64, member_preference::Model> = member_preference::Entity::find()
        .filter(member_preference::Column::MemberId.is_in(ids))
        .all(c)
        .await
        .db()?
        .into_iter()
        .map(|r| (r.member_id, r))
        .collect();
    let mut out = Vec::with_capacity(members.len());
    for (id, m) in members {
        let prefs = preferences(rows.get(&id))?;
        if prefs.email_alerts {
            out.push((m, prefs));
        }
    }
    Ok(out)
}

/// What one alert says, to whom it goes first and what it is about.
pub(crate) struct Alert {
    pub owner: i64,
    pub kind: AlertKind,
    pub clock: ClockKind,
    pub problem: Option<ProblemRef>,
    pub promise: Option<PromiseRef>,
    pub summary: String,
    pub due_at: Timestamp,
}

pub(crate) async fn send<C: ConnectionTrait>(c: &C, alert: Alert, now: Timestamp) -> Result<()> {
    let escalate = alert.kind.is_critical();
    let problem_id = alert.problem.as_ref().map(|p| p.id);
    for (m, prefs) in recipients(c, alert.owner, escalate).await? {
        let to = Recipient {
            name: m.name.clone(),
            email: email(&m.email)?,
            time_zone: m.time_zone.clone(),
        };
        let notice = Notice::Alert {
            to,
            member: MemberId(m.id),
            alert: alert.kind,
            clock: alert.clock,
            problem: alert.problem.clone(),
            promise: alert.promise.clone(),
            summary: alert.summary.clone(),
            due_at: alert.due_at,
        };
        let at = not_before(&m, &prefs, alert.kind, now);
        outbox::enqueue(c, &notice, problem_id, at, now).await?;
    }
    Ok(())
}

/// The name of account `id`, or a neutral stand-in.
async fn account_name<C: ConnectionTrait>(c: &C, id: Option<i64>) -> Result<String> {
    let found = match id {
        Some(id) => account::Entity::find_by_id(id).one(c).await.db()?,
        None => None,
    };
    Ok(found.map_or_else(|| "the customer".to_owned(), |a| a.name))
}

/// Alerts about `clock` of problem `id` (due at `due_at`): a warning to the owner, a breach
/// to the owner and every supervisor and admin.
pub(crate) async fn problem<C: ConnectionTrait>(
    c: &C,
    id: i64,
    clock: ClockKind,
    kind: AlertKind,
    due_at: Timestamp,
    now: Timestamp,
) -> Result<()> {
    let row = load::row(c, ProblemId(id), false).await?;
    let (mut accounts, mut stakeholders) = load::links(c, &[id]).await?;
    let problem = load::to_problem(
        &row,
        accounts.remove(&id).unwrap_or_default(),
        stakeholders.remove(&id).unwrap_or_default(),
    )?;
    let customer = account_name(c, problem.accounts.first().map(|a| a.0)).await?;
    let state = match kind {
        AlertKind::Warning => ClockState::Warning,
        AlertKind::Breach | AlertKind::PromiseBroken => ClockState::Breached,
    };
    // The duty's own wording ("Tell Acme about MG-12") for the clock that moved.
    let moved = Clock {
        kind: clock,
        state,
        started_at: due_at,
        warn_at: None,
        due_at: Some(due_at),
        stopped_at: None,
    };
    let summary = Duty::for_problem(&problem, &customer, &[moved])
        .pop()
        .map(|d| d.summary)
        .unwrap_or_else(|| format!("{} for {customer}", problem.number));
    let alert = Alert {
        owner: row.owner_id,
        kind,
        clock,
        problem: problem_ref(c, id).await?,
        promise: None,
        summary,
        due_at,
    };
    send(c, alert, now).await
}

/// Alerts about promise `id`: a warning to its maker ("have the conversation now"), a broken
/// promise to its maker and every supervisor and admin.
pub(crate) async fn promise<C: ConnectionTrait>(
    c: &C,
    id: i64,
    kind: AlertKind,
    now: Timestamp,
) -> Result<()> {
    let row = promise::Entity::find_by_id(id)
        .one(c)
        .await
        .db()?
        .ok_or(StoreError::not_found("promise"))?;
    let contacts = promises::contacts(c, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    let first = match contacts.first() {
        Some(x) => contact::Entity::find_by_id(x.0).one(c).await.db()?,
        None => None,
    };
    let customer = match &first {
        Some(x) => account::Entity::find_by_id(x.account_id)
            .one(c)
            .await
            .db()?
            .map_or_else(|| x.name.clone(), |a| a.name),
        None => "the customer".to_owned(),
    };
    let p = promises::to_promise(&row, contacts)?;
    let due_at = from_db(row.due_at)?;
    let summary = match kind {
        AlertKind::Warning => {
            let clock = Clock {
                kind: ClockKind::Promise,
                state: ClockState::Warning,
                started_at: p.made_at,
                warn_at: Some(from_db(row.warn_at)?),
                due_at: Some(due_at),
                stopped_at: None,
            };
            // The wording is that of an open promise's duty, whatever its status by now.
            let open = makegood_domain::Promise {
                status: PromiseStatus::Open,
                ..p.clone()
            };
            Duty::for_promise(&open, &customer, clock, None)
                .map(|d| d.summary)
                .unwrap_or_else(|| format!("Keep your promise to {customer}: {}", p.what))
        }
        AlertKind::Breach | AlertKind::PromiseBroken => {
            format!("Promise to {customer} broken: {}", p.what)
        }
    };
    let problem = match row.problem_id {
        Some(pid) => problem_ref(c, pid).await?,
        None => None,
    };
    let alert = Alert {
        owner: row.made_by,
        kind,
        clock: ClockKind::Promise,
        problem,
        promise: Some(PromiseRef {
            id: PromiseId(row.id),
            what: p.what.clone(),
        }),
        summary,
        due_at,
    };
    send(c, alert, now).await
}
