//! Preventions: record, revise, done, the effectiveness check, and reading them back.
//!
//! Every write is one transaction: a conditional update on the version, the event on the
//! problem's timeline, and the prevention's timers re-synced.

use jiff::Timestamp;
use makegood_domain::prevention::{EffectivenessCheck, NewPrevention};
use makegood_domain::text::limits;
use makegood_domain::{
    EventKind, MemberId, Prevention, PreventionError, PreventionId, PreventionStatus, ProblemId,
    ProblemNumber,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    NotSet, QueryFilter, QueryOrder, QuerySelect,
};

use super::entities::prevention;
use super::{PreventionFilter, PreventionView, recurrence, schedule, status_name};
use crate::convert::{from_db, from_db_opt, from_json, micros, to_db, to_db_opt, to_json};
use crate::cursor::{Cursor, Keyset, page};
use crate::error::DbResult;
use crate::problems::{append, check_version, load as problem_load};
use crate::validate::{self, text};
use crate::{Actor, Page, PageRequest, Result, Store, StoreError};

const LIST: &str = "preventions";
const CHECK_LIST: &str = "preventions-check";

/// A refusal of the domain as a store error naming the field to fix.
fn refused(e: PreventionError) -> StoreError {
    let message = e.to_string();
    match e {
        PreventionError::Required(what) => {
            let field = match what {
                "a root cause" => "root_cause",
                "a cause category" => "cause_category",
                _ => "corrective_action",
            };
            StoreError::invalid(field, "is required")
        }
        PreventionError::DueInPast => {
            StoreError::invalid("due_at", "must be in the future: when will it be done?")
        }
        PreventionError::CheckAfterDays(_) => StoreError::invalid("check_after_days", message),
        PreventionError::NoteRequired => StoreError::invalid(
            "note",
            "say what was seen: a note is required when the action was not effective",
        ),
        PreventionError::NotOpen(_) | PreventionError::NotDone(_) => StoreError::Conflict(message),
        PreventionError::CheckNotDue { due } => StoreError::Conflict(format!(
            "the effectiveness check is due at {due}; record it then, not before"
        )),
    }
}

/// A stored prevention as a domain prevention.
pub(crate) fn to_prevention(row: &prevention::Model) -> Result<Prevention> {
    let status = match row.status.as_str() {
        "open" => PreventionStatus::Open,
        "done" => PreventionStatus::Done {
            at: from_db_opt(row.done_at)?
                .ok_or_else(|| StoreError::Database("a done prevention without done_at".into()))?,
        },
        "effective" => PreventionStatus::Effective {
            checked_at: from_db_opt(row.checked_at)?.ok_or_else(|| {
                StoreError::Database("an effective prevention without checked_at".into())
            })?,
        },
        other => {
            return Err(StoreError::Database(format!(
                "unexpected prevention status {other:?}"
            )));
        }
    };
    let checks: Vec<EffectivenessCheck> = from_json(&row.checks)?;
    Ok(Prevention {
        id: PreventionId(row.id),
        problem: ProblemId(row.problem_id),
        root_cause: row.root_cause.clone(),
        cause_category: row.cause_category.clone(),
        corrective_action: row.corrective_action.clone(),
        owner: MemberId(row.owner_id),
        opened_at: from_db(row.opened_at)?,
        due_at: from_db(row.due_at)?,
        check_after_days: row.check_after_days,
        status,
        checks,
    })
}

/// The columns a prevention's state materialises.
fn state_columns(p: &Prevention) -> Result<prevention::ActiveModel> {
    let due = p.due_clock(p.opened_at);
    Ok(prevention::ActiveModel {
        corrective_action: Set(p.corrective_action.clone()),
        opened_at: Set(to_db(p.opened_at)),
        due_at: Set(to_db(p.due_at)),
        warn_at: Set(to_db(due.warn_at)),
        status: Set(status_name(&p.status).to_owned()),
        done_at: Set(to_db_opt(match p.status {
            PreventionStatus::Done { at } => Some(at),
            _ => None,
        })),
        check_at: Set(to_db_opt(p.effectiveness_check_at())),
        checked_at: Set(to_db_opt(match p.status {
            PreventionStatus::Effective { checked_at } => Some(checked_at),
            _ => None,
        })),
        checks: Set(to_json(&p.checks)?),
        ..Default::default()
    })
}

/// A view of `row` at `now`.
pub(crate) fn view(row: &prevention::Model, now: Timestamp) -> Result<PreventionView> {
    let p = to_prevention(row)?;
    Ok(PreventionView {
        problem_number: ProblemNumber(row.problem_id),
        due: p.due_clock(now),
        check_due_at: p.effectiveness_check_at(),
        check_due: p.check_due(now),
        version: row.version,
        prevention: p,
    })
}

/// The prevention row `id`, locked for update when `lock`.
pub(crate) async fn row<C: ConnectionTrait>(
    c: &C,
    id: PreventionId,
    lock: bool,
) -> Result<prevention::Model> {
    let mut query = prevention::Entity::find_by_id(id.0);
    if lock {
        query = query.lock_exclusive();
    }
    query
        .one(c)
        .await
        .db()?
        .ok_or(StoreError::not_found("prevention"))
}

/// The problem `id` for a write about it: `Invalid` on `field` when it does not exist.
pub(crate) async fn problem_for<C: ConnectionTrait>(
    c: &C,
    field: &str,
    id: ProblemId,
) -> Result<crate::db::problem::Model> {
    problem_load::row(c, id, false).await.map_err(|e| match e {
        StoreError::NotFound { .. } => StoreError::invalid(
            field,
            format!("problem {} does not exist", ProblemNumber(id.0)),
        ),
        other => other,
    })
}

pub(crate) async fn record(
    store: &Store,
    actor: Actor,
    new: NewPrevention,
) -> Result<PreventionView> {
    let now = micros(actor.now);
    let new = NewPrevention {
        root_cause: text("root_cause", &new.root_cause, limits::DESCRIPTION)?,
        cause_category: text("cause_category", &new.cause_category, limits::CATEGORY)?,
        corrective_action: text("corrective_action", &new.corrective_action, limits::PROMISE)?,
        due_at: micros(new.due_at),
        ..new
    };
    let p = Prevention::new(PreventionId(0), new, now).map_err(refused)?;
    let txn = store.write().await?;
    problem_for(&txn, "problem", p.problem).await?;
    validate::owner(&txn, "owner", p.owner).await?;
    let mut active = state_columns(&p)?;
    active.id = NotSet;
    active.problem_id = Set(p.problem.0);
    active.root_cause = Set(p.root_cause.clone());
    active.cause_category = Set(p.cause_category.clone());
    active.owner_id = Set(p.owner.0);
    active.check_after_days = Set(p.check_after_days);
    active.created_at = Set(to_db(now));
    active.version = Set(1);
    let row = active.insert(&txn).await.db()?;
    schedule::sync_prevention(&txn, &row).await?;
    let event = EventKind::PreventionRecorded {
        prevention: PreventionId(row.id),
        root_cause: p.root_cause.clone(),
        cause_category: p.cause_category.clone(),
        corrective_action: p.corrective_action.clone(),
        owner: p.owner,
        due_at: p.due_at,
    };
    append(
        &txn,
        Some(row.problem_id),
        None,
        now,
        Some(actor.member.0),
        &event,
    )
    .await?;
    recurrence::flag(
        &txn,
        row.problem_id,
        Some(&p.cause_category),
        Some(actor.member.0),
        now,
    )
    .await?;
    let view = view(&row, now)?;
    txn.commit().await.db()?;
    Ok(view)
}

pub(crate) async fn get(store: &Store, id: PreventionId, now: Timestamp) -> Result<PreventionView> {
    let txn = store.read().await?;
    let row = row(&txn, id, false).await?;
    txn.commit().await.db()?;
    view(&row, now)
}

/// Loads `id` for a move, applies `change` in memory, saves it if still at its version, syncs
/// its timers and appends `event(p)`.
async fn change(
    store: &Store,
    actor: Actor,
    id: PreventionId,
    if_match: Option<i64>,
    change: impl FnOnce(&mut Prevention, Timestamp) -> Result<EventKind>,
) -> Result<PreventionView> {
    let now = micros(actor.now);
    let txn = store.write().await?;
    let current = row(&txn, id, true).await?;
    check_version("prevention", current.version, if_match)?;
    let mut p = to_prevention(&current)?;
    let event = change(&mut p, now)?;
    let mut changes = state_columns(&p)?;
    changes.version = Set(current.version + 1);
    let result = prevention::Entity::update_many()
        .set(changes)
        .filter(prevention::Column::Id.eq(current.id))
        .filter(prevention::Column::Version.eq(current.version))
        .exec(&txn)
        .await
        .db()?;
    if result.rows_affected != 1 {
        let now_at = row(&txn, id, false).await?;
        return Err(StoreError::Stale {
            what: "prevention",
            current: now_at.version,
        });
    }
    let saved = row(&txn, id, false).await?;
    schedule::sync_prevention(&txn, &saved).await?;
    append(
        &txn,
        Some(saved.problem_id),
        None,
        now,
        Some(actor.member.0),
        &event,
    )
    .await?;
    let view = view(&saved, now)?;
    txn.commit().await.db()?;
    Ok(view)
}

pub(crate) async fn revise(
    store: &Store,
    actor: Actor,
    id: PreventionId,
    if_match: Option<i64>,
    corrective_action: &str,
    due_at: Timestamp,
) -> Result<PreventionView> {
    let action = text("corrective_action", corrective_action, limits::PROMISE)?;
    change(store, actor, id, if_match, |p, now| {
        p.revise(&action, micros(due_at), now).map_err(refused)?;
        Ok(EventKind::PreventionRevised {
            prevention: id,
            corrective_action: p.corrective_action.clone(),
            due_at: p.due_at,
        })
    })
    .await
}

pub(crate) async fn done(
    store: &Store,
    actor: Actor,
    id: PreventionId,
    if_match: Option<i64>,
) -> Result<PreventionView> {
    change(store, actor, id, if_match, |p, now| {
        p.mark_done(now).map_err(refused)?;
        Ok(EventKind::PreventionDone { prevention: id })
    })
    .await
}

pub(crate) async fn check(
    store: &Store,
    actor: Actor,
    id: PreventionId,
    if_match: Option<i64>,
    effective: bool,
    note: Option<&str>,
) -> Result<PreventionView> {
    let note = match note {
        Some(n) => Some(validate::optional_text("note", n, limits::REASON)?),
        None => None,
    };
    change(store, actor, id, if_match, |p, now| {
        p.check(effective, note.as_deref(), now).map_err(refused)?;
        Ok(EventKind::PreventionChecked {
            prevention: id,
            effective,
            note: p.last_check().and_then(|c| c.note.clone()),
        })
    })
    .await
}

pub(crate) async fn of_problem(
    store: &Store,
    problem: ProblemId,
    now: Timestamp,
) -> Result<Vec<PreventionView>> {
    let txn = store.read().await?;
    problem_load::row(&txn, problem, false).await?;
    let rows = prevention::Entity::find()
        .filter(prevention::Column::ProblemId.eq(problem.0))
        .order_by_asc(prevention::Column::Id)
        .all(&txn)
        .await
        .db()?;
    txn.commit().await.db()?;
    rows.iter().map(|r| view(r, now)).collect()
}

pub(crate) async fn list(
    store: &Store,
    filter: &PreventionFilter,
    page_request: &PageRequest,
    now: Timestamp,
) -> Result<Page<PreventionView>> {
    let list = if filter.check_due { CHECK_LIST } else { LIST };
    let keyset = Keyset::of(page_request, list)?;
    // Ordered by check time when listing checks due, else by due time.
    let key = if filter.check_due {
        prevention::Column::CheckAt
    } else {
        prevention::Column::DueAt
    };
    let mut query = prevention::Entity::find();
    if filter.check_due {
        query = query
            .filter(prevention::Column::Status.eq("done"))
            .filter(prevention::Column::CheckAt.lte(to_db(now)));
    }
    if let Some(status) = &filter.status {
        if !["open", "done", "effective"].contains(&status.as_str()) {
            return Err(StoreError::invalid(
                "status",
                "must be open, done or effective",
            ));
        }
        query = query.filter(prevention::Column::Status.eq(status.clone()));
    }
    if let Some(owner) = filter.owner {
        query = query.filter(prevention::Column::OwnerId.eq(owner.0));
    }
    if let Some(problem) = filter.problem {
        query = query.filter(prevention::Column::ProblemId.eq(problem.0));
    }
    if let Some(after) = &keyset.after {
        let t = after
            .t
            .and_then(|t| Timestamp::from_microsecond(t).ok())
            .map(to_db)
            .ok_or_else(|| StoreError::invalid("cursor", "is not a cursor of this list"))?;
        query = query.filter(
            Condition::any().add(key.gt(t)).add(
                Condition::all()
                    .add(key.eq(t))
                    .add(prevention::Column::Id.gt(after.id)),
            ),
        );
    }
    let txn = store.read().await?;
    let rows = query
        .order_by_asc(key)
        .order_by_asc(prevention::Column::Id)
        .limit(keyset.fetch())
        .all(&txn)
        .await
        .db()?;
    txn.commit().await.db()?;
    let check_due = filter.check_due;
    let (rows, next) = keyset.finish(rows, |p| {
        let t = if check_due {
            p.check_at.unwrap_or(p.due_at)
        } else {
            p.due_at
        };
        Cursor {
            t: Some(t.timestamp_micros()),
            ..Cursor::new(list, p.id)
        }
    });
    let views = rows
        .iter()
        .map(|r| view(r, now))
        .collect::<Result<Vec<_>>>()?;
    Ok(page(views, next))
}
