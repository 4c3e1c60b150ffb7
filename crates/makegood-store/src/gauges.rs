//! What `/metrics` reads from the database at scrape time: a handful of indexed counts over
//! the materialised deadlines, the outbox and the timers — never a clock computation.

use jiff::{SignedDuration, Timestamp};
use makegood_domain::{PromiseStatus, Status};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
};

use crate::convert::{from_db, name_of, to_db};
use crate::db::{outbox, problem, promise, timer};
use crate::error::DbResult;
use crate::{DeliveryStatus, Result, Store};

/// The database's side of the operational metrics, as of one moment.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Gauges {
    /// Problems not closed, by status: every open status, zeros included.
    pub problems: Vec<(Status, u64)>,
    /// Problems whose most urgent running clock is in warning (`next_warn_at ≤ now ≤ next_due_at`).
    pub problem_clocks_warning: u64,
    /// Problems with a running clock past its deadline (`next_due_at < now`).
    pub problem_clocks_breached: u64,
    /// Open promises inside their warning lead (`warn_at ≤ now ≤ due_at`).
    pub promise_clocks_warning: u64,
    /// Open promises past their due time, not yet recorded as broken by the scheduler.
    pub promise_clocks_breached: u64,
    /// Messages not delivered, by status (pending, failed).
    pub outbox: Vec<(DeliveryStatus, u64)>,
    /// Pending messages whose last attempt failed: they are being retried.
    pub deliveries_retrying: u64,
    /// How long the oldest due timer has waited to fire; zero when none is overdue.
    pub scheduler_lag: SignedDuration,
}

impl Store {
    /// The operational gauges at `now` (see [`Gauges`]), each one indexed count.
    pub async fn gauges(&self, now: Timestamp) -> Result<Gauges> {
        let txn = self.read().await?;
        let gauges = read(&txn, now).await?;
        txn.commit().await.db()?;
        Ok(gauges)
    }
}

async fn read<C: ConnectionTrait>(c: &C, now: Timestamp) -> Result<Gauges> {
    let at = to_db(now);
    let open: Vec<Status> = Status::ALL
        .into_iter()
        .filter(|s| *s != Status::Closed)
        .collect();
    let by_status: Vec<(String, i64)> = problem::Entity::find()
        .select_only()
        .column(problem::Column::Status)
        .column_as(Expr::col(problem::Column::Id).count(), "n")
        .filter(problem::Column::Status.is_in(open.iter().map(name_of)))
        .group_by(problem::Column::Status)
        .into_tuple()
        .all(c)
        .await
        .db()?;
    let problems = open
        .iter()
        .map(|s| {
            let name = name_of(s);
            let n = by_status
                .iter()
                .find(|(status, _)| *status == name)
                .map_or(0, |(_, n)| *n);
            (*s, count(n))
        })
        .collect();

    let problem_clocks_warning = problem::Entity::find()
        .filter(problem::Column::NextWarnAt.lte(at))
        .filter(problem::Column::NextDueAt.gte(at))
        .count(c)
        .await
        .db()?;
    let problem_clocks_breached = problem::Entity::find()
        .filter(problem::Column::NextDueAt.lt(at))
        .count(c)
        .await
        .db()?;
    let open_promise = name_of(&PromiseStatus::Open);
    let promise_clocks_warning = promise::Entity::find()
        .filter(promise::Column::Status.eq(open_promise.clone()))
        .filter(promise::Column::WarnAt.lte(at))
        .filter(promise::Column::DueAt.gte(at))
        .count(c)
        .await
        .db()?;
    let promise_clocks_breached = promise::Entity::find()
        .filter(promise::Column::Status.eq(open_promise))
        .filter(promise::Column::DueAt.lt(at))
        .count(c)
        .await
        .db()?;

    let mut outbox_depth = Vec::new();
    for status in [DeliveryStatus::Pending, DeliveryStatus::Failed] {
        let n = outbox::Entity::find()
            .filter(outbox::Column::Status.eq(name_of(&status)))
            .count(c)
            .await
            .db()?;
        outbox_depth.push((status, n));
    }
    let deliveries_retrying = outbox::Entity::find()
        .filter(outbox::Column::Status.eq(name_of(&DeliveryStatus::Pending)))
        .filter(outbox::Column::LastError.is_not_null())
        .count(c)
        .await
        .db()?;

    let oldest: Option<Option<chrono::DateTime<chrono::Utc>>> = timer::Entity::find()
        .select_only()
        .column_as(Expr::col(timer::Column::At).min(), "oldest")
        .filter(timer::Column::FiredAt.is_null())
        .filter(timer::Column::At.lte(at))
        .into_tuple()
        .one(c)
        .await
        .db()?;
    let scheduler_lag = match oldest.flatten() {
        Some(oldest) => now
            .duration_since(from_db(oldest)?)
            .max(SignedDuration::ZERO),
        None => SignedDuration::ZERO,
    };

    Ok(Gauges {
        problems,
        problem_clocks_warning,
        problem_clocks_breached,
        promise_clocks_warning,
        promise_clocks_breached,
        outbox: outbox_depth,
        deliveries_retrying,
        scheduler_lag,
    })
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}
