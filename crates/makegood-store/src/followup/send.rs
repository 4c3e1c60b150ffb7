//! Sending the follow-up surveys due: each problem once, however many schedulers call.
//!
//! Due problems are claimed in a write transaction (`FOR UPDATE SKIP LOCKED` on PostgreSQL;
//! SQLite's write transaction is exclusive) and their follow-up time cleared by a
//! conditional update: only the caller whose update changed the row sends, in the same
//! transaction.

use std::collections::HashSet;

use jiff::Timestamp;
use makegood_domain::{ContactId, EventKind, Notice, ProblemId, Recipient};
use sea_orm::sea_query::{Expr, LockBehavior, LockType};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, NotSet,
    QueryFilter, QueryOrder, QuerySelect,
};

use crate::convert::{email, to_db};
use crate::db::{member, problem, survey};
use crate::error::DbResult;
use crate::incidents::{fanout, reach};
use crate::problems::{notices::problem_ref, record::record_in};
use crate::{Result, Store, outbox, portal};

/// Sends the surveys of at most `limit` problems whose follow-up time has come; returns how
/// many problems were followed up.
pub(crate) async fn send_due(store: &Store, now: Timestamp, limit: u64) -> Result<usize> {
    if limit == 0 {
        return Ok(0);
    }
    let txn = store.write().await?;
    let due = problem::Entity::find()
        .filter(problem::Column::FollowUpAt.lte(to_db(now)))
        .order_by_asc(problem::Column::FollowUpAt)
        .order_by_asc(problem::Column::Id)
        .limit(limit)
        .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
        .all(&txn)
        .await
        .db()?;
    let mut sent = 0;
    for row in due {
        let claimed = problem::Entity::update_many()
            .col_expr(
                problem::Column::FollowUpAt,
                Expr::value(Option::<chrono::DateTime<chrono::Utc>>::None),
            )
            .filter(problem::Column::Id.eq(row.id))
            .filter(problem::Column::FollowUpAt.is_not_null())
            .exec(&txn)
            .await
            .db()?;
        if claimed.rows_affected == 1 && follow_up(&txn, &row, now).await? {
            sent += 1;
        }
    }
    txn.commit().await.db()?;
    Ok(sent)
}

/// Asks each stakeholder of `row` with an address how we did: a survey row, a sign-in link
/// landing on the problem and the email carrying it; then `survey_sent` on the timeline.
/// Returns whether anyone was asked.
async fn follow_up<C: ConnectionTrait>(
    c: &C,
    row: &problem::Model,
    now: Timestamp,
) -> Result<bool> {
    let Some(reference) = problem_ref(c, row.id).await? else {
        return Ok(false);
    };
    let id = ProblemId(row.id);
    // The survey carries no times; the owner's zone is the best guess for the reader's.
    let time_zone = member::Entity::find_by_id(row.owner_id)
        .one(c)
        .await
        .db()?
        .map_or_else(|| "UTC".to_owned(), |m| m.time_zone);
    let threads = fanout::threads(c, id).await?;
    // Who was asked before (a survey per problem and contact, whatever happens since).
    let surveyed: HashSet<i64> = survey::Entity::find()
        .select_only()
        .column(survey::Column::ContactId)
        .filter(survey::Column::ProblemId.eq(row.id))
        .into_tuple()
        .all(c)
        .await
        .db()?
        .into_iter()
        .collect();
    let mut asked = Vec::new();
    for contact in reach::stakeholders_of(c, row.id, row.all_stakeholders).await? {
        let Some(address) = contact.email.as_deref().filter(|e| !e.trim().is_empty()) else {
            continue;
        };
        if surveyed.contains(&contact.id) {
            continue;
        }
        let to = Recipient {
            name: contact.name.clone(),
            email: email(address)?,
            time_zone: time_zone.clone(),
        };
        survey::ActiveModel {
            id: NotSet,
            problem_id: Set(row.id),
            contact_id: Set(contact.id),
            sent_at: Set(to_db(now)),
            answered_at: Set(None),
            rating: Set(None),
            recommend: Set(None),
            comment: Set(None),
            sentiment: Set(None),
        }
        .insert(c)
        .await
        .db()?;
        let token = portal::links::issue_in(c, contact.id, Some(row.id), None, now).await?;
        let (first, previous) = threads
            .get(&to.email.to_string())
            .map_or((None, None), |(f, l)| (Some(*f), Some(*l)));
        let notice = Notice::Survey {
            problem: reference.clone(),
            to,
            token,
            first,
            previous,
        };
        outbox::enqueue(c, &notice, Some(id), now, now).await?;
        asked.push(ContactId(contact.id));
    }
    if asked.is_empty() {
        return Ok(false);
    }
    record_in(
        c,
        row.id,
        None,
        &EventKind::SurveySent { contacts: asked },
        now,
    )
    .await?;
    Ok(true)
}
