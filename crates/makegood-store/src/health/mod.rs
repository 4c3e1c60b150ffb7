//! Account health, materialised per account (score, band, the factors, when computed) with
//! a daily history for the trend.
//!
//! Every appended event marks the accounts it concerns stale (`health_dirty`, in the write's
//! own transaction, see [`mark_event`]); a read of an account's health, the accounts list and
//! every scheduler tick recompute the stale ones first, and the tick also recomputes any
//! account not computed for [`STALE_AFTER`] (so the 90-day window moves on and every day has
//! a score). Turning red starts a review duty for the account's owner (without one, for every
//! supervisor and admin — see [`reviewers`]) and emails them; it is settled when one of them
//! marks the account reviewed or it leaves red.

pub(crate) mod entities;
mod inputs;
mod list;
mod refresh;

use std::collections::HashMap;

use jiff::Timestamp;
use makegood_domain::duty::AccountRef;
use makegood_domain::health::{Band, Factor, Health, review_duty};
use makegood_domain::{AccountId, Duty, MemberId, Role};
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, NotSet,
    QueryFilter, QueryOrder, QuerySelect,
};
use serde::Serialize;

use self::entities::{account_health, account_health_day, account_review, health_dirty};
use crate::convert::{from_db, from_db_opt, from_json, parse_name, to_db};
use crate::db::{account, contact, member, problem_account, promise_contact};
use crate::error::DbResult;
use crate::{Actor, Result, Store, StoreError};

pub(crate) use refresh::tick;

/// Days of history an account's health view carries.
pub const HISTORY_DAYS: i64 = 30;

/// An account's health as last computed, with what lowered it and its recent history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AccountHealthView {
    pub account: AccountId,
    #[serde(flatten)]
    pub health: Health,
    /// What lowered the score, most points first.
    pub factors: Vec<Factor>,
    pub computed_at: Timestamp,
    /// When it last turned red; `None` while not red.
    pub red_since: Option<Timestamp>,
    /// Who reviewed it since it turned red, and when; `None` while the review is owed.
    pub reviewed: Option<(MemberId, Timestamp)>,
    /// The last score of each of the last [`HISTORY_DAYS`] days (UTC) that has one, oldest
    /// first; today's is the current score.
    pub history: Vec<HealthDay>,
}

impl AccountHealthView {
    /// Red and not yet reviewed: someone owes it a review.
    pub fn review_owed(&self) -> bool {
        self.health.band == Band::Red && self.reviewed.is_none()
    }
}

/// One day's score.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct HealthDay {
    pub day: jiff::civil::Date,
    pub score: u8,
    pub band: Band,
}

/// Marks `accounts` stale.
pub(crate) async fn mark<C: ConnectionTrait>(c: &C, accounts: &[i64]) -> Result<()> {
    if accounts.is_empty() {
        return Ok(());
    }
    let rows = accounts.iter().map(|a| health_dirty::ActiveModel {
        account_id: Set(*a),
    });
    health_dirty::Entity::insert_many(rows)
        .on_conflict_do_nothing_on([health_dirty::Column::AccountId])
        .exec_without_returning(c)
        .await
        .db()?;
    Ok(())
}

/// Marks every account stale (after an import: its health is recomputed from what came in).
pub(crate) async fn mark_all<C: ConnectionTrait>(c: &C) -> Result<()> {
    let sql = "INSERT INTO health_dirty (account_id) SELECT id FROM accounts \
               WHERE id NOT IN (SELECT account_id FROM health_dirty)";
    c.execute_unprepared(sql).await.db()?;
    Ok(())
}

/// Marks stale the accounts an event concerns: those its problem affects, or for a promise
/// without a problem those of its contacts.
pub(crate) async fn mark_event<C: ConnectionTrait>(
    c: &C,
    problem: Option<i64>,
    promise: Option<i64>,
) -> Result<()> {
    let accounts: Vec<i64> = match (problem, promise) {
        (Some(p), _) => problem_account::Entity::find()
            .select_only()
            .column(problem_account::Column::AccountId)
            .filter(problem_account::Column::ProblemId.eq(p))
            .into_tuple()
            .all(c)
            .await
            .db()?,
        (None, Some(p)) => contact::Entity::find()
            .select_only()
            .column(contact::Column::AccountId)
            .distinct()
            .filter(
                contact::Column::Id.in_subquery(
                    Query::select()
                        .column(promise_contact::Column::ContactId)
                        .from(promise_contact::Entity)
                        .and_where(promise_contact::Column::PromiseId.eq(p))
                        .take(),
                ),
            )
            .into_tuple()
            .all(c)
            .await
            .db()?,
        (None, None) => Vec::new(),
    };
    mark(c, &accounts).await
}

/// Removes account `id`'s health rows (it is being deleted).
pub(crate) async fn forget<C: ConnectionTrait>(c: &C, id: i64) -> Result<()> {
    health_dirty::Entity::delete_many()
        .filter(health_dirty::Column::AccountId.eq(id))
        .exec(c)
        .await
        .db()?;
    account_health_day::Entity::delete_many()
        .filter(account_health_day::Column::AccountId.eq(id))
        .exec(c)
        .await
        .db()?;
    account_review::Entity::delete_many()
        .filter(account_review::Column::AccountId.eq(id))
        .exec(c)
        .await
        .db()?;
    account_health::Entity::delete_many()
        .filter(account_health::Column::AccountId.eq(id))
        .exec(c)
        .await
        .db()?;
    Ok(())
}

/// Who reviews a red account: its owner while active and not a viewer; otherwise every
/// active supervisor and admin. In id order.
pub(crate) async fn reviewers<C: ConnectionTrait>(
    c: &C,
    owner: Option<i64>,
) -> Result<Vec<member::Model>> {
    if let Some(owner) = owner
        && let Some(m) = member::Entity::find_by_id(owner).one(c).await.db()?
        && m.active
        && Role::parse(&m.role).is_some_and(Role::may_own)
    {
        return Ok(vec![m]);
    }
    member::Entity::find()
        .filter(member::Column::Role.is_in([Role::Supervisor.as_str(), Role::Admin.as_str()]))
        .filter(member::Column::Active.eq(true))
        .order_by_asc(member::Column::Id)
        .all(c)
        .await
        .db()
}

pub(crate) fn to_health(row: &account_health::Model) -> Result<Health> {
    Ok(Health {
        score: u8::try_from(row.score).map_err(|_| {
            StoreError::Database(format!("health score {} out of range", row.score))
        })?,
        band: parse_name(&row.band)?,
    })
}

/// The health of `accounts` as stored (no recompute), by account.
pub(crate) async fn stored<C: ConnectionTrait>(
    c: &C,
    accounts: &[i64],
) -> Result<HashMap<i64, Health>> {
    if accounts.is_empty() {
        return Ok(HashMap::new());
    }
    account_health::Entity::find()
        .filter(account_health::Column::AccountId.is_in(accounts.to_vec()))
        .all(c)
        .await
        .db()?
        .iter()
        .map(|r| Ok((r.account_id, to_health(r)?)))
        .collect()
}

/// The review duties of red accounts nobody has reviewed yet: for `member`, or everyone's.
pub(crate) async fn duties<C: ConnectionTrait>(
    c: &C,
    member: Option<MemberId>,
    now: Timestamp,
) -> Result<Vec<Duty>> {
    let owed = account_health::Entity::find()
        .filter(account_health::Column::RedSince.is_not_null())
        .filter(account_health::Column::ReviewedAt.is_null())
        .order_by_asc(account_health::Column::RedSince)
        .all(c)
        .await
        .db()?;
    if owed.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = owed.iter().map(|r| r.account_id).collect();
    let accounts: HashMap<i64, account::Model> = account::Entity::find()
        .filter(account::Column::Id.is_in(ids))
        .all(c)
        .await
        .db()?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let mut out = Vec::new();
    for row in owed {
        let (Some(a), Some(red_since)) = (accounts.get(&row.account_id), row.red_since) else {
            continue;
        };
        let red_since = from_db(red_since)?;
        for m in reviewers(c, a.owner_id).await? {
            if member.is_some_and(|x| x.0 != m.id) {
                continue;
            }
            let account = AccountRef {
                id: AccountId(a.id),
                name: a.name.clone(),
            };
            out.push(review_duty(account, MemberId(m.id), red_since, now));
        }
    }
    Ok(out)
}

async fn view_of<C: ConnectionTrait>(
    c: &C,
    row: account_health::Model,
    now: Timestamp,
) -> Result<AccountHealthView> {
    let today = now.to_zoned(jiff::tz::TimeZone::UTC).date();
    let first = today
        .checked_sub(jiff::Span::new().days(HISTORY_DAYS - 1))
        .unwrap_or(today);
    let days = account_health_day::Entity::find()
        .filter(account_health_day::Column::AccountId.eq(row.account_id))
        .filter(account_health_day::Column::Day.gte(first.to_string()))
        .order_by_asc(account_health_day::Column::Day)
        .all(c)
        .await
        .db()?;
    let history = days
        .iter()
        .filter_map(|d| {
            Some(HealthDay {
                day: d.day.parse().ok()?,
                score: u8::try_from(d.score).ok()?,
                band: parse_name(&d.band).ok()?,
            })
        })
        .collect();
    let reviewed = match (row.reviewed_by, from_db_opt(row.reviewed_at)?) {
        (Some(by), Some(at)) => Some((MemberId(by), at)),
        _ => None,
    };
    Ok(AccountHealthView {
        account: AccountId(row.account_id),
        health: to_health(&row)?,
        factors: from_json(&row.factors)?,
        computed_at: from_db(row.computed_at)?,
        red_since: from_db_opt(row.red_since)?,
        reviewed,
        history,
    })
}

impl Store {
    /// Account `id`'s health, recomputed first if a write made it stale.
    pub async fn account_health(&self, id: AccountId, now: Timestamp) -> Result<AccountHealthView> {
        account::Entity::find_by_id(id.0)
            .one(&self.db)
            .await
            .db()?
            .ok_or(StoreError::not_found("account"))?;
        refresh::refresh_if_stale(self, id.0, now).await?;
        let row = account_health::Entity::find_by_id(id.0)
            .one(&self.db)
            .await
            .db()?
            .ok_or(StoreError::not_found("account health"))?;
        view_of(&self.db, row, now).await
    }

    /// Recomputes the health of the accounts writes made stale and of those not computed for
    /// [`STALE_AFTER`], at most `limit`; returns how many. The scheduler's `fire_due` does
    /// this too.
    pub async fn refresh_health(&self, now: Timestamp, limit: u64) -> Result<usize> {
        tick(self, now, limit).await
    }

    /// Records that `actor` reviewed red account `id`, settling the review duty. `Conflict`
    /// when it is not red or was already reviewed since it turned red, or when `actor` is
    /// neither among its [reviewers](reviewers) nor a supervisor or admin.
    pub async fn review_account(&self, actor: Actor, id: AccountId) -> Result<AccountHealthView> {
        refresh::refresh_if_stale(self, id.0, actor.now).await?;
        let txn = self.write().await?;
        let a = account::Entity::find_by_id(id.0)
            .one(&txn)
            .await
            .db()?
            .ok_or(StoreError::not_found("account"))?;
        let me = member::Entity::find_by_id(actor.member.0)
            .one(&txn)
            .await
            .db()?
            .ok_or(StoreError::not_found("member"))?;
        let lead = matches!(Role::parse(&me.role), Some(Role::Admin | Role::Supervisor));
        let theirs = reviewers(&txn, a.owner_id)
            .await?
            .iter()
            .any(|m| m.id == me.id);
        if !lead && !theirs {
            return Err(StoreError::Conflict(format!(
                "only {}'s owner, a supervisor or an admin reviews it",
                a.name
            )));
        }
        let row = account_health::Entity::find_by_id(id.0)
            .one(&txn)
            .await
            .db()?
            .ok_or(StoreError::not_found("account health"))?;
        let Some(red_since) = row.red_since else {
            return Err(StoreError::Conflict(format!(
                "{} is not red; there is nothing to review",
                a.name
            )));
        };
        if row.reviewed_at.is_some() {
            return Err(StoreError::Conflict(format!(
                "{} was already reviewed since it turned red",
                a.name
            )));
        }
        let at = to_db(crate::convert::micros(actor.now));
        account_review::ActiveModel {
            id: NotSet,
            account_id: Set(id.0),
            red_since: Set(red_since),
            reviewed_by: Set(me.id),
            reviewed_at: Set(at),
        }
        .insert(&txn)
        .await
        .db()?;
        let mut changes: account_health::ActiveModel = row.into();
        changes.reviewed_at = Set(Some(at));
        changes.reviewed_by = Set(Some(me.id));
        let saved = changes.update(&txn).await.db()?;
        let view = view_of(&txn, saved, actor.now).await?;
        txn.commit().await.db()?;
        Ok(view)
    }
}

#[cfg(feature = "testing")]
impl Store {
    pub(crate) async fn make_red_for_test(&self, id: AccountId, now: Timestamp) -> Result<()> {
        let txn = self.write().await?;
        health_dirty::Entity::delete_by_id(id.0)
            .exec(&txn)
            .await
            .db()?;
        account_health::Entity::delete_by_id(id.0)
            .exec(&txn)
            .await
            .db()?;
        account_health::ActiveModel {
            account_id: Set(id.0),
            score: Set(40),
            band: Set(crate::convert::name_of(&Band::Red)),
            factors: Set("[]".into()),
            computed_at: Set(to_db(now)),
            red_since: Set(Some(to_db(now))),
            reviewed_at: Set(None),
            reviewed_by: Set(None),
        }
        .insert(&txn)
        .await
        .db()?;
        txn.commit().await.db()
    }
}
