//! Daily digests: each member's duties, emailed at the start of their working day.
//!
//! `member_preferences.next_digest_at` (indexed) says when; a null means not yet scheduled,
//! and is set to the next working day's opening without sending anything.

use jiff::Timestamp;
use makegood_domain::{Calendar, MemberId, Notice, Preferences, Recipient};
use sea_orm::sea_query::{Expr, LockBehavior, LockType};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::alerts::preferences;
use crate::convert::{email, to_db};
use crate::db::{member, member_preference};
use crate::error::DbResult;
use crate::{Result, Store, duties, outbox};

/// The most duties one digest lists.
const DIGEST_DUTIES: u32 = 100;

/// The opening of the member's next working day after `now` (the next midnight UTC if their
/// hours do not build).
fn next_day(m: &member::Model, prefs: &Preferences, now: Timestamp) -> Timestamp {
    let calendar = prefs
        .working_hours
        .in_zone(&m.time_zone)
        .unwrap_or_else(|_| Calendar::around_the_clock());
    calendar.next_day_opening(now)
}

/// Schedules unscheduled digests and sends the due ones (at most `limit` of each); returns
/// how many were sent.
pub(super) async fn send_due(store: &Store, now: Timestamp, limit: u64) -> Result<usize> {
    if limit == 0 {
        return Ok(0);
    }
    let txn = store.write().await?;
    let unscheduled = member_preference::Entity::find()
        .filter(member_preference::Column::NextDigestAt.is_null())
        .order_by_asc(member_preference::Column::MemberId)
        .limit(limit)
        .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
        .all(&txn)
        .await
        .db()?;
    for row in unscheduled {
        let Some(m) = member::Entity::find_by_id(row.member_id)
            .one(&txn)
            .await
            .db()?
        else {
            continue;
        };
        let next = next_day(&m, &preferences(Some(&row))?, now);
        member_preference::Entity::update_many()
            .col_expr(
                member_preference::Column::NextDigestAt,
                Expr::value(to_db(next)),
            )
            .filter(member_preference::Column::MemberId.eq(row.member_id))
            .filter(member_preference::Column::NextDigestAt.is_null())
            .exec(&txn)
            .await
            .db()?;
    }

    let due = member_preference::Entity::find()
        .filter(member_preference::Column::NextDigestAt.lte(to_db(now)))
        .order_by_asc(member_preference::Column::NextDigestAt)
        .order_by_asc(member_preference::Column::MemberId)
        .limit(limit)
        .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
        .all(&txn)
        .await
        .db()?;
    let mut sent = 0;
    for row in due {
        let Some(m) = member::Entity::find_by_id(row.member_id)
            .one(&txn)
            .await
            .db()?
        else {
            continue;
        };
        let prefs = preferences(Some(&row))?;
        let next = next_day(&m, &prefs, now);
        // Claimed only by the caller whose update moved it: a digest goes once a day.
        let claimed = member_preference::Entity::update_many()
            .col_expr(
                member_preference::Column::NextDigestAt,
                Expr::value(to_db(next)),
            )
            .filter(member_preference::Column::MemberId.eq(row.member_id))
            .filter(member_preference::Column::NextDigestAt.eq(row.next_digest_at))
            .exec(&txn)
            .await
            .db()?;
        if claimed.rows_affected != 1 || !m.active || !prefs.daily_digest {
            continue;
        }
        let list = duties::duties_in(&txn, Some(MemberId(m.id)), now, DIGEST_DUTIES).await?;
        if list.is_empty() {
            continue;
        }
        let notice = Notice::Digest {
            to: Recipient {
                name: m.name.clone(),
                email: email(&m.email)?,
                time_zone: m.time_zone.clone(),
            },
            member: MemberId(m.id),
            duties: list,
        };
        outbox::enqueue(&txn, &notice, None, now, now).await?;
        sent += 1;
    }
    txn.commit().await.db()?;
    Ok(sent)
}
