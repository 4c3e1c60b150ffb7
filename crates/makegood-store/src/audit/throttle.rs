//! The sign-in throttle: after [`FREE_FAILURES`] failed sign-ins for one key (an email),
//! further attempts are refused for a delay that doubles with each further failure, from
//! [`FIRST_LOCK`] to at most [`MAX_LOCK`]. Kept in the database so it holds across
//! processes and restarts; forgotten [`FORGET_AFTER`] after the last failure or lock ends,
//! and at once on a successful sign-in.

use jiff::{SignedDuration, Timestamp};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QuerySelect,
};

use super::entity::login_throttle;
use crate::convert::{from_db, from_db_opt, micros, to_db, to_db_opt};
use crate::error::DbResult;
use crate::{Result, Store, StoreError};

/// Failures allowed before the first lock.
pub const FREE_FAILURES: i32 = 5;
/// How long the first lock lasts; each further failure doubles it.
pub const FIRST_LOCK: SignedDuration = SignedDuration::from_mins(1);
/// The longest lock.
pub const MAX_LOCK: SignedDuration = SignedDuration::from_mins(15);
/// Failures are forgotten this long after the last one (or the end of its lock).
pub const FORGET_AFTER: SignedDuration = SignedDuration::from_mins(15);

/// How long the `failures`-th consecutive failure locks the key for, if at all.
pub fn lock_after(failures: i32) -> Option<SignedDuration> {
    if failures < FREE_FAILURES {
        return None;
    }
    let doublings = u32::try_from(failures - FREE_FAILURES)
        .unwrap_or(u32::MAX)
        .min(16);
    let lock = FIRST_LOCK.as_secs().saturating_mul(1_i64 << doublings);
    Some(SignedDuration::from_secs(lock.min(MAX_LOCK.as_secs())))
}

/// The count of failures so far after a quiet spell: reset once it has lasted [`FORGET_AFTER`].
fn remembered(row: &login_throttle::Model, now: Timestamp) -> Result<i32> {
    let last = from_db(row.last_failure_at)?;
    let quiet_since = from_db_opt(row.locked_until)?.map_or(last, |until| until.max(last));
    Ok(if now.duration_since(quiet_since) >= FORGET_AFTER {
        0
    } else {
        row.failures
    })
}

impl Store {
    /// Until when sign-ins for `key` are refused, if they are at `now`.
    pub async fn sign_in_locked(&self, key: &str, now: Timestamp) -> Result<Option<Timestamp>> {
        let row = login_throttle::Entity::find_by_id(key.to_owned())
            .one(&self.db)
            .await
            .db()?;
        let until = match row {
            Some(row) => from_db_opt(row.locked_until)?,
            None => None,
        };
        Ok(until.filter(|until| *until > now))
    }

    /// Counts a failed sign-in for `key` at `now`; returns until when `key` is now locked,
    /// if this failure locked it. Rows quiet for a day are cleared on the way.
    pub async fn sign_in_failed(&self, key: &str, now: Timestamp) -> Result<Option<Timestamp>> {
        let now = micros(now);
        let txn = self.write().await?;
        login_throttle::Entity::insert(login_throttle::ActiveModel {
            key: Set(key.to_owned()),
            failures: Set(0),
            last_failure_at: Set(to_db(now)),
            locked_until: Set(None),
        })
        .on_conflict(
            OnConflict::column(login_throttle::Column::Key)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await
        .db()?;
        let row = login_throttle::Entity::find_by_id(key.to_owned())
            .lock_exclusive()
            .one(&txn)
            .await
            .db()?
            .ok_or_else(|| StoreError::Database("the sign-in throttle row vanished".into()))?;
        let failures = remembered(&row, now)?.saturating_add(1);
        let until = match lock_after(failures) {
            Some(lock) => Some(
                now.checked_add(lock)
                    .map_err(|e| StoreError::Database(e.to_string()))?,
            ),
            None => None,
        };
        let mut row = row.into_active_model();
        row.failures = Set(failures);
        row.last_failure_at = Set(to_db(now));
        row.locked_until = Set(to_db_opt(until));
        row.update(&txn).await.db()?;
        if let Ok(day_ago) = now.checked_sub(SignedDuration::from_hours(24)) {
            login_throttle::Entity::delete_many()
                .filter(login_throttle::Column::LastFailureAt.lt(to_db(day_ago)))
                .exec(&txn)
                .await
                .db()?;
        }
        txn.commit().await.db()?;
        Ok(until)
    }

    /// Forgets the failures of `key`: it signed in.
    pub async fn sign_in_succeeded(&self, key: &str) -> Result<()> {
        login_throttle::Entity::delete_by_id(key.to_owned())
            .exec(&self.writer)
            .await
            .db()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locks_start_after_five_failures_and_double_to_the_cap() {
        let mins = |f| lock_after(f).map(|d: SignedDuration| d.as_secs() / 60);
        assert_eq!(mins(1), None);
        assert_eq!(mins(4), None);
        assert_eq!(mins(5), Some(1));
        assert_eq!(mins(6), Some(2));
        assert_eq!(mins(7), Some(4));
        assert_eq!(mins(8), Some(8));
        assert_eq!(mins(9), Some(15));
        assert_eq!(mins(1000), Some(15));
    }
}
