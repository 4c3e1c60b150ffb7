//! Timers: each pending transition (warning, breach) of each running deadline, one row each,
//! kept in step with the clocks by every write that moves them.
//!
//! A sync deletes the subject's unfired timers and inserts the current ones with
//! `ON CONFLICT DO NOTHING` on (subject, clock, transition, due time): a transition already
//! fired for the same deadline is never fired again, while a moved deadline is a new one.

use jiff::{SignedDuration, Timestamp};
use makegood_domain::{Clock, ClockKind, PromiseStatus};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, NotSet, QueryFilter};

use crate::convert::{from_db, name_of, to_db};
use crate::db::{promise, timer};
use crate::error::DbResult;
use crate::{Result, StoreError};

/// A clock reached its warning time.
pub(crate) const WARNING: &str = "warning";
/// A clock passed its due time (fires a microsecond after it, the store's precision).
pub(crate) const BREACH: &str = "breach";

/// What a timer belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Subject {
    Problem(i64),
    Promise(i64),
    /// A remedy's approval clock; its rows also carry the remedy's problem, so the scheduler
    /// leaves them while a write holds that problem.
    Remedy(i64),
    Prevention(i64),
    VendorPromise(i64),
}

impl Subject {
    fn key(self) -> String {
        match self {
            Subject::Problem(id) => format!("problem:{id}"),
            Subject::Promise(id) => format!("promise:{id}"),
            Subject::Remedy(id) => format!("remedy:{id}"),
            Subject::Prevention(id) => format!("prevention:{id}"),
            Subject::VendorPromise(id) => format!("vendor_promise:{id}"),
        }
    }

    /// The subject of a timer's key, for the subjects the key alone names.
    pub(crate) fn parse(key: &str) -> Option<Subject> {
        let (kind, id) = key.split_once(':')?;
        let id = id.parse().ok()?;
        match kind {
            "prevention" => Some(Subject::Prevention(id)),
            "vendor_promise" => Some(Subject::VendorPromise(id)),
            _ => None,
        }
    }
}

/// One transition to schedule.
struct Planned {
    clock: ClockKind,
    transition: &'static str,
    at: Timestamp,
    due_at: Timestamp,
}

/// The transitions of a running deadline: a warning (if it comes before the deadline) and
/// the breach.
fn transitions(clock: ClockKind, warn_at: Option<Timestamp>, due_at: Timestamp) -> Vec<Planned> {
    let mut out = Vec::with_capacity(2);
    if let Some(w) = warn_at.filter(|w| *w < due_at) {
        out.push(Planned {
            clock,
            transition: WARNING,
            at: w,
            due_at,
        });
    }
    // A clock is breached (a promise broken) once its due time has passed, not at it: the
    // promise may still be kept at that very instant.
    out.push(Planned {
        clock,
        transition: BREACH,
        at: due_at
            .checked_add(SignedDuration::from_micros(1))
            .unwrap_or(due_at),
        due_at,
    });
    out
}

async fn replace<C: ConnectionTrait>(c: &C, subject: Subject, planned: Vec<Planned>) -> Result<()> {
    replace_in(c, subject, None, planned).await
}

/// Like [`replace`]; `problem` is the problem a remedy's rows carry.
async fn replace_in<C: ConnectionTrait>(
    c: &C,
    subject: Subject,
    problem: Option<i64>,
    planned: Vec<Planned>,
) -> Result<()> {
    let key = subject.key();
    timer::Entity::delete_many()
        .filter(timer::Column::Subject.eq(key.clone()))
        .filter(timer::Column::FiredAt.is_null())
        .exec(c)
        .await
        .db()?;
    if planned.is_empty() {
        return Ok(());
    }
    let (problem_id, promise_id) = match subject {
        Subject::Problem(id) => (Some(id), None),
        Subject::Promise(id) => (None, Some(id)),
        Subject::Remedy(_) => (problem, None),
        Subject::Prevention(_) | Subject::VendorPromise(_) => (None, None),
    };
    let rows = planned.into_iter().map(|p| timer::ActiveModel {
        id: NotSet,
        subject: Set(key.clone()),
        problem_id: Set(problem_id),
        promise_id: Set(promise_id),
        clock: Set(name_of(&p.clock)),
        transition: Set(p.transition.to_owned()),
        at: Set(to_db(p.at)),
        due_at: Set(to_db(p.due_at)),
        fired_at: Set(None),
    });
    timer::Entity::insert_many(rows)
        .on_conflict_do_nothing_on([
            timer::Column::Subject,
            timer::Column::Clock,
            timer::Column::Transition,
            timer::Column::DueAt,
        ])
        .exec_without_returning(c)
        .await
        .db()?;
    Ok(())
}

/// Brings problem `id`'s pending timers in line with its `clocks`: every running, unpaused
/// clock gets its warning and breach.
pub(crate) async fn sync_problem<C: ConnectionTrait>(
    c: &C,
    id: i64,
    clocks: &[Clock],
) -> Result<()> {
    let planned = clocks
        .iter()
        .filter(|clock| clock.stopped_at.is_none())
        .filter_map(|clock| {
            clock
                .due_at
                .map(|due| transitions(clock.kind, clock.warn_at, due))
        })
        .flatten()
        .collect();
    replace(c, Subject::Problem(id), planned).await
}

/// Brings a promise's pending timers in line with its row: an open promise warns at its
/// warning time and breaks at its due time; an ended one has none.
pub(crate) async fn sync_promise<C: ConnectionTrait>(c: &C, row: &promise::Model) -> Result<()> {
    let open = row.status == name_of(&PromiseStatus::Open);
    let planned = if open {
        transitions(
            ClockKind::Promise,
            Some(from_db(row.warn_at)?),
            from_db(row.due_at)?,
        )
    } else {
        Vec::new()
    };
    replace(c, Subject::Promise(row.id), planned).await
}

/// Re-reads promise `id` and syncs its timers.
pub(crate) async fn sync_promise_id<C: ConnectionTrait>(c: &C, id: i64) -> Result<()> {
    let row = promise::Entity::find_by_id(id)
        .one(c)
        .await
        .db()?
        .ok_or(StoreError::not_found("promise"))?;
    sync_promise(c, &row).await
}

/// Brings a remedy's pending timers in line with its row: a remedy awaiting approval warns
/// and breaches on its approval clock; a decided one (or one that needed no approval) has none.
pub(crate) async fn sync_remedy<C: ConnectionTrait>(
    c: &C,
    row: &crate::remedies::RemedyRow,
) -> Result<()> {
    let planned = match (
        row.status.as_str(),
        row.approval_warn_at,
        row.approval_due_at,
    ) {
        (crate::remedies::AWAITING, warn, Some(due)) => transitions(
            ClockKind::Approval,
            warn.map(from_db).transpose()?,
            from_db(due)?,
        ),
        _ => Vec::new(),
    };
    replace_in(c, Subject::Remedy(row.id), Some(row.problem_id), planned).await
}

/// Brings `subject`'s pending timers in line with its running `deadlines` (clock, warning
/// time, due time): a warning and a breach each.
pub(crate) async fn sync_deadlines<C: ConnectionTrait>(
    c: &C,
    subject: Subject,
    deadlines: &[(ClockKind, Option<Timestamp>, Timestamp)],
) -> Result<()> {
    let planned = deadlines
        .iter()
        .flat_map(|(clock, warn_at, due_at)| transitions(*clock, *warn_at, *due_at))
        .collect();
    replace(c, subject, planned).await
}
