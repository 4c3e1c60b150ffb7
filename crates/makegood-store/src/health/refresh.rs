//! Recomputing health: the stale accounts, each in one write transaction with its daily
//! history row, the start and end of a red spell, and the email when it turns red.

use std::collections::HashMap;

use jiff::{SignedDuration, Timestamp};
use makegood_domain::duty::AccountRef;
use makegood_domain::health::{Band, Health};
use makegood_domain::{AccountId, MemberId, Notice, Recipient};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{LockBehavior, LockType, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::entities::{account_health, account_health_day, health_dirty};
use super::{inputs, reviewers};
use crate::clocks::Rules;
use crate::convert::{email, micros, name_of, to_db, to_json};
use crate::db::account;
use crate::db::member_preference;
use crate::error::DbResult;
use crate::scheduler::alerts::preferences;
use crate::{Result, Store, outbox};

/// An account not recomputed for this long is recomputed by the next tick, so the 90-day
/// window moves on and every day has a score.
pub const STALE_AFTER: SignedDuration = SignedDuration::from_hours(6);

/// Recomputes `accounts` (those that still exist) at `now` in the caller's transaction.
pub(super) async fn refresh_in<C: ConnectionTrait>(
    c: &C,
    accounts: &[i64],
    now: Timestamp,
) -> Result<()> {
    if accounts.is_empty() {
        return Ok(());
    }
    let now = micros(now);
    let existing: HashMap<i64, account::Model> = account::Entity::find()
        .filter(account::Column::Id.is_in(accounts.to_vec()))
        .all(c)
        .await
        .db()?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let ids: Vec<i64> = existing.keys().copied().collect();
    let rules = Rules::load(c).await?;
    let all = inputs::of_accounts(c, &ids, &rules, now).await?;
    let current: HashMap<i64, account_health::Model> = account_health::Entity::find()
        .filter(account_health::Column::AccountId.is_in(ids.clone()))
        .all(c)
        .await
        .db()?
        .into_iter()
        .map(|r| (r.account_id, r))
        .collect();
    let day = now.to_zoned(jiff::tz::TimeZone::UTC).date().to_string();
    for (id, i) in all {
        let health = Health::of(&i);
        let factors = i.factors();
        let before = current.get(&id);
        let was_red = before.is_some_and(|b| b.band == name_of(&Band::Red));
        let red = health.band == Band::Red;
        let (red_since, reviewed_at, reviewed_by) = match before {
            Some(b) if red && was_red => (b.red_since, b.reviewed_at, b.reviewed_by),
            _ if red => (Some(to_db(now)), None, None),
            _ => (None, None, None),
        };
        let row = account_health::ActiveModel {
            account_id: Set(id),
            score: Set(i16::from(health.score)),
            band: Set(name_of(&health.band)),
            factors: Set(to_json(&factors)?),
            computed_at: Set(to_db(now)),
            red_since: Set(red_since),
            reviewed_at: Set(reviewed_at),
            reviewed_by: Set(reviewed_by),
        };
        account_health::Entity::insert(row)
            .on_conflict(
                OnConflict::column(account_health::Column::AccountId)
                    .update_columns([
                        account_health::Column::Score,
                        account_health::Column::Band,
                        account_health::Column::Factors,
                        account_health::Column::ComputedAt,
                        account_health::Column::RedSince,
                        account_health::Column::ReviewedAt,
                        account_health::Column::ReviewedBy,
                    ])
                    .to_owned(),
            )
            .exec(c)
            .await
            .db()?;
        let history = account_health_day::ActiveModel {
            account_id: Set(id),
            day: Set(day.clone()),
            score: Set(i16::from(health.score)),
            band: Set(name_of(&health.band)),
        };
        account_health_day::Entity::insert(history)
            .on_conflict(
                OnConflict::columns([
                    account_health_day::Column::AccountId,
                    account_health_day::Column::Day,
                ])
                .update_columns([
                    account_health_day::Column::Score,
                    account_health_day::Column::Band,
                ])
                .to_owned(),
            )
            .exec(c)
            .await
            .db()?;
        if red
            && !was_red
            && let Some(a) = existing.get(&id)
        {
            let details = factors.iter().map(|f| f.detail.clone()).collect();
            turned_red(c, a, health, details, now).await?;
        }
    }
    Ok(())
}

/// Emails account `a`'s reviewers (with email alerts on) that it turned red, at once.
async fn turned_red<C: ConnectionTrait>(
    c: &C,
    a: &account::Model,
    health: Health,
    factors: Vec<String>,
    now: Timestamp,
) -> Result<()> {
    for m in reviewers(c, a.owner_id).await? {
        let prefs = member_preference::Entity::find_by_id(m.id)
            .one(c)
            .await
            .db()?;
        if !preferences(prefs.as_ref())?.email_alerts {
            continue;
        }
        let notice = Notice::AccountRed {
            to: Recipient {
                name: m.name.clone(),
                email: email(&m.email)?,
                time_zone: m.time_zone.clone(),
            },
            member: MemberId(m.id),
            account: AccountRef {
                id: AccountId(a.id),
                name: a.name.clone(),
            },
            score: health.score,
            factors: factors.clone(),
        };
        outbox::enqueue(c, &notice, None, now, now).await?;
    }
    Ok(())
}

/// Recomputes account `id` if a write made it stale or it was never computed.
pub(super) async fn refresh_if_stale(store: &Store, id: i64, now: Timestamp) -> Result<()> {
    let dirty = health_dirty::Entity::find_by_id(id)
        .one(&store.db)
        .await
        .db()?
        .is_some();
    let computed = account_health::Entity::find_by_id(id)
        .one(&store.db)
        .await
        .db()?
        .is_some();
    if computed && !dirty {
        return Ok(());
    }
    let txn = store.write().await?;
    health_dirty::Entity::delete_by_id(id)
        .exec(&txn)
        .await
        .db()?;
    refresh_in(&txn, &[id], now).await?;
    txn.commit().await.db()
}

/// Recomputes the stale accounts: those a write marked, then those not computed for
/// [`STALE_AFTER`]; at most `limit`. Rows are claimed with `FOR UPDATE SKIP LOCKED` on
/// PostgreSQL, so processes share the work.
pub(crate) async fn tick(store: &Store, now: Timestamp, limit: u64) -> Result<usize> {
    if limit == 0 {
        return Ok(0);
    }
    // Most ticks find nothing: look before taking the write lock.
    let before = now.checked_sub(STALE_AFTER).unwrap_or(now);
    let dirty = health_dirty::Entity::find().one(&store.db).await.db()?;
    let stale = account_health::Entity::find()
        .filter(account_health::Column::ComputedAt.lt(to_db(before)))
        .one(&store.db)
        .await
        .db()?;
    if dirty.is_none() && stale.is_none() {
        return Ok(0);
    }
    let txn = store.write().await?;
    let mut ids: Vec<i64> = health_dirty::Entity::find()
        .order_by_asc(health_dirty::Column::AccountId)
        .limit(limit)
        .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
        .all(&txn)
        .await
        .db()?
        .into_iter()
        .map(|d| d.account_id)
        .collect();
    if !ids.is_empty() {
        health_dirty::Entity::delete_many()
            .filter(health_dirty::Column::AccountId.is_in(ids.clone()))
            .exec(&txn)
            .await
            .db()?;
    }
    let room = limit.saturating_sub(u64::try_from(ids.len()).unwrap_or(limit));
    if room > 0 {
        let stale = account_health::Entity::find()
            .filter(account_health::Column::ComputedAt.lt(to_db(before)))
            .order_by_asc(account_health::Column::ComputedAt)
            .limit(room)
            .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
            .all(&txn)
            .await
            .db()?;
        let more: Vec<i64> = stale
            .into_iter()
            .map(|r| r.account_id)
            .filter(|a| !ids.contains(a))
            .collect();
        ids.extend(more);
    }
    refresh_in(&txn, &ids, now).await?;
    txn.commit().await.db()?;
    Ok(ids.len())
}
