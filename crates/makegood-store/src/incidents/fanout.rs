//! A customer-visible update fanned out to every stakeholder with an address, in the event's
//! transaction: the recipients and their threads read in a few queries, the emails written
//! in batches — so 10,000 stakeholders take one update, not 20,000 round trips.

use std::collections::{HashMap, HashSet};

use jiff::Timestamp;
use makegood_domain::duty::ProblemRef;
use makegood_domain::{Notice, ProblemId, Recipient};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, NotSet, QueryFilter, QuerySelect,
};

use super::reach;
use crate::convert::{email, name_of, to_db, to_json};
use crate::db::{member, outbox, problem};
use crate::error::DbResult;
use crate::{DeliveryStatus, Result};

/// Outbox columns bound per row (all but the id).
const OUTBOX_COLUMNS: usize = 10;

/// The outbox ids of the first and the latest email to each recipient about `problem`.
pub(crate) async fn threads<C: ConnectionTrait>(
    c: &C,
    problem: ProblemId,
) -> Result<HashMap<String, (i64, i64)>> {
    let rows: Vec<(String, i64, i64)> = outbox::Entity::find()
        .select_only()
        .column(outbox::Column::Recipient)
        .column_as(Expr::col(outbox::Column::Id).min(), "first")
        .column_as(Expr::col(outbox::Column::Id).max(), "last")
        .filter(outbox::Column::ProblemId.eq(problem.0))
        .group_by(outbox::Column::Recipient)
        .into_tuple()
        .all(c)
        .await
        .db()?;
    Ok(rows.into_iter().map(|(r, f, l)| (r, (f, l))).collect())
}

/// Emails a customer-visible update to each stakeholder of problem `id` with an address,
/// once per address, each threaded under the first and the latest email that address got
/// about the problem. Returns how many were queued.
pub(crate) async fn customer_update<C: ConnectionTrait>(
    c: &C,
    id: ProblemId,
    reference: ProblemRef,
    actor: Option<i64>,
    body: &str,
    now: Timestamp,
) -> Result<u64> {
    let all = problem::Entity::find_by_id(id.0)
        .select_only()
        .column(problem::Column::AllStakeholders)
        .into_tuple::<bool>()
        .one(c)
        .await
        .db()?
        .unwrap_or(false);
    let contacts = reach::stakeholders_of(c, id.0, all).await?;
    if contacts.iter().all(|x| x.email.is_none()) {
        return Ok(0);
    }
    // The writer's name signs the email; their time zone is the best guess for the reader's.
    let writer = match actor {
        Some(a) => member::Entity::find_by_id(a).one(c).await.db()?,
        None => None,
    };
    let (from_name, time_zone) = writer.map_or_else(
        || ("makegood".to_owned(), "UTC".to_owned()),
        |m| (m.name, m.time_zone),
    );
    let threads = threads(c, id).await?;
    let mut sent: HashSet<String> = HashSet::new();
    let mut rows = Vec::new();
    for contact in contacts {
        let Some(address) = contact.email.as_deref().filter(|e| !e.trim().is_empty()) else {
            continue;
        };
        let to = Recipient {
            name: contact.name,
            email: email(address)?,
            time_zone: time_zone.clone(),
        };
        let recipient = to.email.to_string();
        if !sent.insert(recipient.clone()) {
            continue;
        }
        let (first, previous) = threads
            .get(&recipient)
            .map_or((None, None), |(f, l)| (Some(*f), Some(*l)));
        let notice = Notice::CustomerUpdate {
            problem: reference.clone(),
            to,
            from_name: from_name.clone(),
            body: body.to_owned(),
            first,
            previous,
        };
        rows.push(outbox::ActiveModel {
            id: NotSet,
            channel: Set(name_of(&notice.channel())),
            recipient: Set(recipient),
            problem_id: Set(Some(id.0)),
            notice: Set(to_json(&notice)?),
            status: Set(name_of(&DeliveryStatus::Pending)),
            attempts: Set(0),
            next_attempt_at: Set(to_db(now)),
            last_error: Set(None),
            created_at: Set(to_db(now)),
            delivered_at: Set(None),
        });
    }
    reach::insert_chunked(c, rows, OUTBOX_COLUMNS).await
}
