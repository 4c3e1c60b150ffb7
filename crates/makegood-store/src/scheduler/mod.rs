//! The scheduler's store side: firing due timers (warnings, breaches, broken promises),
//! sending due digests and follow-up surveys, each exactly once however many processes call it.
//!
//! Due rows are claimed in a write transaction with `FOR UPDATE SKIP LOCKED` on PostgreSQL
//! (SQLite's write transaction is exclusive) and marked by a conditional update; only the
//! caller whose update changed the row acts on it, in the same transaction.

pub(crate) mod alerts;
mod digest;

use jiff::Timestamp;
use makegood_domain::{AlertKind, ClockKind, EventKind};
use sea_orm::sea_query::{Expr, LockBehavior, LockType};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::convert::{from_db, micros, name_of, parse_name, to_db};
use crate::db::{member_preference, problem, promise, timer};
use crate::error::DbResult;
use crate::problems::append_as_of;
use crate::promises::moves::break_if_due;
use crate::timers::{BREACH, WARNING};
use crate::{Result, Store};

/// Fires the timers due at `now` (at most `limit`) and sends the digests due (at most
/// `limit`); returns how many transitions fired and digests were sent or scheduled.
pub(crate) async fn fire_due(store: &Store, now: Timestamp, limit: u64) -> Result<usize> {
    let now = micros(now);
    let fired = fire_timers(store, now, limit).await?;
    let digests = digest::send_due(store, now, limit).await?;
    let surveys = crate::followup::send::send_due(store, now, limit).await?;
    // Recount what changed, so that reports rarely have anything left to do.
    crate::reports::drain(store, now, limit).await?;
    // Health is derived, not an action: recomputed here but not counted.
    crate::health::tick(store, now, limit).await?;
    Ok(fired + digests + surveys)
}

async fn fire_timers(store: &Store, now: Timestamp, limit: u64) -> Result<usize> {
    if limit == 0 {
        return Ok(0);
    }
    let txn = store.write().await?;
    let rows = timer::Entity::find()
        .filter(timer::Column::FiredAt.is_null())
        .filter(timer::Column::At.lte(to_db(now)))
        .order_by_asc(timer::Column::At)
        .order_by_asc(timer::Column::Id)
        .limit(limit)
        .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
        .all(&txn)
        .await
        .db()?;
    let mut fired = 0;
    for t in rows {
        if !subject_free(&txn, &t).await? {
            continue;
        }
        let claimed = timer::Entity::update_many()
            .col_expr(timer::Column::FiredAt, Expr::value(to_db(now)))
            .filter(timer::Column::Id.eq(t.id))
            .filter(timer::Column::FiredAt.is_null())
            .exec(&txn)
            .await
            .db()?;
        if claimed.rows_affected == 1 {
            fire(&txn, &t, now).await?;
            fired += 1;
        }
    }
    txn.commit().await.db()?;
    Ok(fired)
}

/// Locks the timer's problem or promise unless a member's write holds it (PostgreSQL; SQLite
/// writes are exclusive anyway). A busy subject's timer is left for the next call: that write
/// may cancel it, and the scheduler never waits on a lock a writer holds while the writer
/// waits on this timer.
async fn subject_free<C: ConnectionTrait>(c: &C, t: &timer::Model) -> Result<bool> {
    let (lock, skip) = (LockType::Update, LockBehavior::SkipLocked);
    Ok(match (t.problem_id, t.promise_id) {
        (Some(id), _) => problem::Entity::find_by_id(id)
            .lock_with_behavior(lock, skip)
            .one(c)
            .await
            .db()?
            .is_some(),
        (None, Some(id)) => promise::Entity::find_by_id(id)
            .lock_with_behavior(lock, skip)
            .one(c)
            .await
            .db()?
            .is_some(),
        (None, None) => true,
    })
}

/// Acts on one claimed timer.
async fn fire<C: ConnectionTrait>(c: &C, t: &timer::Model, now: Timestamp) -> Result<()> {
    if let Some(remedy) = crate::remedies::clock::remedy_of(t) {
        return crate::remedies::clock::fire(c, t, remedy, now).await;
    }
    let clock: ClockKind = parse_name(&t.clock)?;
    let at = from_db(t.at)?;
    let due_at = from_db(t.due_at)?;
    let warning = t.transition == WARNING;
    // A warning whose deadline has passed too is fired silently: the breach says it all.
    if warning && due_at < now {
        return Ok(());
    }
    match (t.problem_id, t.promise_id) {
        (Some(problem), _) => {
            // Dated when it happened: a warning at its time, a breach at the deadline.
            let (event, alert, at) = if warning {
                let event = EventKind::ClockWarning { clock, due_at };
                (event, AlertKind::Warning, at)
            } else {
                let event = EventKind::ClockBreached { clock, due_at };
                (event, AlertKind::Breach, due_at)
            };
            append_as_of(c, Some(problem), None, at, None, &event, now).await?;
            alerts::problem(c, problem, clock, alert, due_at, now).await
        }
        (None, Some(id)) => {
            let row = promise::Entity::find_by_id(id).one(c).await.db()?;
            let Some(row) = row else { return Ok(()) };
            if t.transition == BREACH {
                break_if_due(c, &row, now).await?;
                return Ok(());
            }
            if row.status != name_of(&makegood_domain::PromiseStatus::Open) {
                return Ok(());
            }
            let event = EventKind::ClockWarning { clock, due_at };
            append_as_of(c, row.problem_id, Some(id), at, None, &event, now).await?;
            alerts::promise(c, id, AlertKind::Warning, now).await
        }
        (None, None) => crate::preventions::schedule::fire(c, t, clock, now).await,
    }
}

/// The earliest pending timer or digest; a time long past when some member's digest is not
/// yet scheduled (the next [`fire_due`] schedules it).
pub(crate) async fn next_wakeup(store: &Store) -> Result<Option<Timestamp>> {
    let timer: Option<chrono::DateTime<chrono::Utc>> = timer::Entity::find()
        .select_only()
        .column(timer::Column::At)
        .filter(timer::Column::FiredAt.is_null())
        .order_by_asc(timer::Column::At)
        .into_tuple()
        .one(&store.db)
        .await
        .db()?;
    let unscheduled: Option<i64> = member_preference::Entity::find()
        .select_only()
        .column(member_preference::Column::MemberId)
        .filter(member_preference::Column::NextDigestAt.is_null())
        .into_tuple()
        .one(&store.db)
        .await
        .db()?;
    if unscheduled.is_some() {
        return Ok(Some(Timestamp::UNIX_EPOCH));
    }
    let digest: Option<Option<chrono::DateTime<chrono::Utc>>> = member_preference::Entity::find()
        .select_only()
        .column(member_preference::Column::NextDigestAt)
        .filter(member_preference::Column::NextDigestAt.is_not_null())
        .order_by_asc(member_preference::Column::NextDigestAt)
        .into_tuple()
        .one(&store.db)
        .await
        .db()?;
    let follow_up: Option<Option<chrono::DateTime<chrono::Utc>>> = problem::Entity::find()
        .select_only()
        .column(problem::Column::FollowUpAt)
        .filter(problem::Column::FollowUpAt.is_not_null())
        .order_by_asc(problem::Column::FollowUpAt)
        .into_tuple()
        .one(&store.db)
        .await
        .db()?;
    let times = [timer, digest.flatten(), follow_up.flatten()]
        .into_iter()
        .flatten()
        .map(from_db)
        .collect::<Result<Vec<_>>>()?;
    Ok(times.into_iter().min())
}
