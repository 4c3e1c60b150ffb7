//! Recording events on a problem (checked against the state machine) and reading its timeline.

use jiff::Timestamp;
use makegood_domain::text::limits;
use makegood_domain::{Event, EventId, EventKind, MemberId, ProblemId, PromiseId};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use super::{append, check_version, load, save_if_current};
use crate::clocks::Rules;
use crate::convert::{from_db, from_json, micros, name_of, to_db_opt};
use crate::cursor::{Cursor, Keyset, page};
use crate::db::{event, problem};
use crate::error::DbResult;
use crate::validate::{self, optional_text, text};
use crate::{Actor, Page, PageRequest, ProblemView, Result, Store, StoreError};

/// Checks and normalises the text of an event a member may record directly.
fn normalise(kind: EventKind) -> Result<EventKind> {
    use EventKind::*;
    Ok(match kind {
        Update { body } => Update {
            body: text("body", &body, limits::MESSAGE)?,
        },
        Note { body } => Note {
            body: text("body", &body, limits::MESSAGE)?,
        },
        Waiting { on, reason } => Waiting {
            on,
            reason: optional_text("reason", &reason, limits::REASON)?,
        },
        Fixed { summary } => Fixed {
            summary: optional_text("summary", &summary, limits::REASON)?,
        },
        Reopened { reason } => Reopened {
            reason: optional_text("reason", &reason, limits::REASON)?,
        },
        // A member confirms for the customer; the portal records who confirmed.
        Confirmed { .. } => Confirmed { contact: None },
        CustomerCalled { note } => CustomerCalled {
            note: text("note", &note, limits::REASON)?,
        },
        kind @ (Resumed | Closed { .. } | OwnerChanged { .. }) => kind,
        other => {
            return Err(StoreError::invalid(
                "type",
                format!(
                    "`{}` is recorded by the store itself, not directly",
                    other.name()
                ),
            ));
        }
    })
}

pub(crate) async fn record(
    store: &Store,
    actor: Actor,
    id: ProblemId,
    if_match: Option<i64>,
    kind: EventKind,
) -> Result<ProblemView> {
    let mut kind = normalise(kind)?;
    let txn = store.write().await?;
    let row = load::row(&txn, id, true).await?;
    check_version("problem", row.version, if_match)?;
    // The timeline folds in id order, so its times must not go backwards — even when this
    // process's clock is behind the one that wrote the last event.
    let now = micros(actor.now).max(load::last_event_at(&txn, row.id).await?.unwrap_or_default());

    let mut changes = <problem::ActiveModel as Default>::default();
    if let EventKind::OwnerChanged { to, .. } = kind {
        let owner = validate::owner(&txn, "owner", to).await?;
        if owner.id == row.owner_id {
            return Err(StoreError::invalid(
                "owner",
                format!("{} already owns this problem", owner.name),
            ));
        }
        // `from` is whoever owns it now, whatever the caller believed.
        kind = EventKind::OwnerChanged {
            from: MemberId(row.owner_id),
            to,
        };
        changes.owner_id = Set(to.0);
    }

    let rules = Rules::load(&txn).await?;
    apply(
        &txn,
        &row,
        changes,
        Some(actor.member.0),
        &kind,
        &rules,
        now,
    )
    .await?;

    let row = load::row(&txn, id, false).await?;
    let view = load::views(&txn, &[row], &rules, now).await?.pop();
    txn.commit().await.db()?;
    view.ok_or(StoreError::not_found("problem"))
}

/// Records `kind` on problem `row` (locked by the caller) in the caller's transaction, at
/// `now` (no earlier than its latest event): checked against the state machine, with the
/// materialised status, outcome and deadlines — and so the timers — brought in line, plus
/// `changes` of the caller's own. `actor` is `None` for what a customer or the system did.
pub(crate) async fn apply<C: ConnectionTrait>(
    c: &C,
    row: &problem::Model,
    mut changes: problem::ActiveModel,
    actor: Option<i64>,
    kind: &EventKind,
    rules: &Rules,
    now: Timestamp,
) -> Result<()> {
    let now = micros(now).max(load::last_event_at(c, row.id).await?.unwrap_or_default());
    let mut state = load::states(c, &[row.id])
        .await?
        .remove(&row.id)
        .unwrap_or_default();
    let before = state.clone();
    state
        .apply(now, kind)
        .map_err(|e| StoreError::Conflict(e.to_string()))?;
    let detected_at = from_db(row.detected_at)?;
    let severity = crate::convert::parse_name(&row.severity)?;
    let next = load::schedule(c, row.id, &state, detected_at, severity, rules).await?;
    crate::reports::columns::on_event(
        &mut changes,
        row,
        &before,
        &state,
        kind,
        now,
        detected_at,
        severity,
        rules,
    )?;
    changes.status = Set(name_of(&state.status));
    changes.outcome = Set(state.outcome.map(|o| name_of(&o)));
    changes.next_warn_at = Set(to_db_opt(next.warn_at));
    changes.next_due_at = Set(to_db_opt(next.due_at));
    let follow_up = crate::followup::schedule::due_at(c, row, &state, kind, rules).await?;
    changes.follow_up_at = Set(to_db_opt(follow_up));
    save_if_current(c, row, changes).await?;
    append(c, Some(row.id), None, now, actor, kind).await?;
    Ok(())
}

/// Records `kind` on problem `id` for someone who is not a member — a customer, or the
/// system (`actor` `None`) — in the caller's transaction (see [`apply`]).
pub(crate) async fn record_in<C: ConnectionTrait>(
    c: &C,
    id: i64,
    actor: Option<i64>,
    kind: &EventKind,
    now: Timestamp,
) -> Result<()> {
    let row = load::row(c, ProblemId(id), true).await?;
    let rules = Rules::load(c).await?;
    apply(c, &row, Default::default(), actor, kind, &rules, now).await
}

/// A stored event as a domain event.
pub(crate) fn to_event(row: event::Model) -> Result<Event> {
    Ok(Event {
        id: EventId(row.id),
        problem: row.problem_id.map(ProblemId),
        promise: row.promise_id.map(PromiseId),
        at: from_db(row.at)?,
        actor: row.actor_id.map(MemberId),
        kind: from_json(&row.data)?,
    })
}

/// The timeline, oldest first (in the order recorded).
pub(crate) async fn timeline(
    store: &Store,
    id: ProblemId,
    page_request: &PageRequest,
) -> Result<Page<Event>> {
    const LIST: &str = "timeline";
    let keyset = Keyset::of(page_request, LIST)?;
    load::row(&store.db, id, false).await?;
    let mut query = event::Entity::find().filter(event::Column::ProblemId.eq(id.0));
    if let Some(after) = &keyset.after {
        query = query.filter(event::Column::Id.gt(after.id));
    }
    let rows = query
        .order_by_asc(event::Column::Id)
        .limit(keyset.fetch())
        .all(&store.db)
        .await
        .db()?;
    let (rows, next) = keyset.finish(rows, |e| Cursor::new(LIST, e.id));
    Ok(page(
        rows.into_iter().map(to_event).collect::<Result<_>>()?,
        next,
    ))
}
