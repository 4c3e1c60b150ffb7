//! The notices an appended event causes, written in the event's own transaction: one per
//! active webhook that wants its kind, and for a customer-visible update one email to each
//! stakeholder with an address, threaded under the earlier ones.

use jiff::Timestamp;
use makegood_domain::duty::ProblemRef;
use makegood_domain::{EventKind, Notice, ProblemId, ProblemNumber, Recipient};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::record::to_event;
use crate::convert::{email, from_json};
use crate::db::{contact, event, member, problem, problem_stakeholder, webhook};
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
        customer_update(c, id, reference, actor, body, now).await?;
    }
    Ok(())
}

/// Emails a customer-visible update to each stakeholder of problem `id` with an address.
async fn customer_update<C: ConnectionTrait>(
    c: &C,
    id: ProblemId,
    reference: ProblemRef,
    actor: Option<i64>,
    body: &str,
    now: Timestamp,
) -> Result<()> {
    let links = problem_stakeholder::Entity::find()
        .filter(problem_stakeholder::Column::ProblemId.eq(id.0))
        .order_by_asc(problem_stakeholder::Column::Position)
        .all(c)
        .await
        .db()?;
    if links.is_empty() {
        return Ok(());
    }
    let ids: Vec<i64> = links.iter().map(|l| l.contact_id).collect();
    let mut contacts = contact::Entity::find()
        .filter(contact::Column::Id.is_in(ids.clone()))
        .all(c)
        .await
        .db()?;
    contacts.sort_by_key(|x| ids.iter().position(|i| *i == x.id));
    // The writer's name signs the email; their time zone is the best guess for the reader's.
    let writer = match actor {
        Some(a) => member::Entity::find_by_id(a).one(c).await.db()?,
        None => None,
    };
    let (from_name, time_zone) = writer.map_or_else(
        || ("makegood".to_owned(), "UTC".to_owned()),
        |m| (m.name, m.time_zone),
    );
    for contact in contacts {
        let Some(address) = contact.email.as_deref().filter(|e| !e.trim().is_empty()) else {
            continue;
        };
        let to = Recipient {
            name: contact.name.clone(),
            email: email(address)?,
            time_zone: time_zone.clone(),
        };
        let (first, previous) = outbox::thread(c, id, to.email.as_str()).await?;
        let notice = Notice::CustomerUpdate {
            problem: reference.clone(),
            to,
            from_name: from_name.clone(),
            body: body.to_owned(),
            first,
            previous,
        };
        outbox::enqueue(c, &notice, Some(id), now, now).await?;
    }
    Ok(())
}
