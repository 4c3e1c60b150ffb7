//! The notices an appended event causes, written in the event's own transaction: one per
//! active webhook that wants its kind, and for a customer-visible update one email to each
//! stakeholder with an address, threaded under the earlier ones (batched, in
//! [`crate::incidents::fanout`]).

use jiff::Timestamp;
use makegood_domain::duty::ProblemRef;
use makegood_domain::{EventKind, Notice, ProblemId, ProblemNumber};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::record::to_event;
use crate::convert::from_json;
use crate::db::{event, problem, webhook};
use crate::error::DbResult;
use crate::{Result, outbox};

/// The reference of problem `id`, if it exists.
pub(crate) async fn problem_ref<C: ConnectionTrait>(c: &C, id: i64) -> Result<Option<ProblemRef>> {
    Ok(problem::Entity::find_by_id(id)
        .one(c)
        .await
        .db()?
        .map(|p| ProblemRef {
            id: ProblemId(p.id),
            number: ProblemNumber(p.id),
            title: p.title,
        }))
}

/// Whether a webhook subscribed to `events` (JSON list of names; empty for all) wants `name`.
fn wants(events: &str, name: &str) -> Result<bool> {
    let names: Vec<String> = from_json(events)?;
    Ok(names.is_empty() || names.iter().any(|n| n == name))
}

/// Writes the notices `row` (just appended, of `kind`) causes, due from `now`.
pub(crate) async fn on_event<C: ConnectionTrait>(
    c: &C,
    row: event::Model,
    kind: &EventKind,
    now: Timestamp,
) -> Result<()> {
    let hooks: Vec<webhook::Model> = webhook::Entity::find()
        .filter(webhook::Column::Active.eq(true))
        .order_by_asc(webhook::Column::Id)
        .all(c)
        .await
        .db()?
        .into_iter()
        .filter(|h| wants(&h.events, kind.name()).unwrap_or(false))
        .collect();
    let is_update = matches!(kind, EventKind::Update { .. });
    if let (
        EventKind::CustomerReplied {
            contact,
            body,
            sentiment,
            ..
        },
        Some(p),
    ) = (kind, row.problem_id)
        && let Some(reference) = problem_ref(c, p).await?
    {
        super::customer_wrote::notify_owner(c, reference, *contact, body, *sentiment, now).await?;
    }
    if hooks.is_empty() && !is_update {
        return Ok(());
    }
    let problem_id = row.problem_id;
    let actor = row.actor_id;
    let reference = match problem_id {
        Some(p) => problem_ref(c, p).await?,
        None => None,
    };
    let event = to_event(row)?;
    let problem = problem_id.map(ProblemId);
    for hook in hooks {
        let notice = Notice::Event {
            webhook: hook.id,
            event: event.clone(),
            problem: reference.clone(),
        };
        outbox::enqueue(c, &notice, problem, now, now).await?;
    }
    if let (EventKind::Update { body }, Some(id), Some(reference)) = (kind, problem, reference) {
        crate::incidents::fanout::customer_update(c, id, reference, actor, body, now).await?;
    }
    Ok(())
}
