//! Reports, aggregated incrementally so that one over a million problems stays fast.
//!
//! Every write that touches a problem (or a promise made without one) appends an event
//! through `problems::append_as_of`, which marks the subject dirty in the same transaction.
//! Draining recounts dirty subjects: their contributions (a pure domain function of their
//! rows) minus the contributions stored for them are added to `report_counts`, rolled up by
//! member, severity and origin. A report drains first, then reads a few index ranges of
//! `report_counts`; a report for one account counts that account's subjects afresh.

pub(crate) mod columns;
mod drain;
mod load;
mod read;
mod sql;
pub(crate) mod zone;

use jiff::Timestamp;
use makegood_domain::{Month, Report, ReportFilter};
use sea_orm::ConnectionTrait;

use crate::error::DbResult;
use crate::{Result, Store};

pub(crate) use drain::drain;

/// Marks `subject` (a problem id, or minus the id of a promise without a problem) to be
/// recounted. An upsert that writes the row, so a drain holding it makes this wait and one
/// that has not claimed it yet skips it: the change is counted either way.
pub(crate) async fn mark_dirty<C: ConnectionTrait>(c: &C, subject: i64) -> Result<()> {
    let mut q = sql::Sql::new(c);
    let p = q.bind(subject);
    q.push(&format!(
        "INSERT INTO report_dirty (subject) VALUES ({p}) \
         ON CONFLICT (subject) DO UPDATE SET subject = excluded.subject"
    ));
    q.execute(c).await?;
    Ok(())
}

/// Open promises whose due time has passed count as broken before the scheduler records
/// it: mark their subjects so the drain counts them at `now`.
async fn mark_overdue<C: ConnectionTrait>(c: &C, now: Timestamp) -> Result<()> {
    let mut q = sql::Sql::new(c);
    let p = q.bind(crate::convert::to_db(now));
    q.push(&format!(
        "INSERT INTO report_dirty (subject) SELECT DISTINCT COALESCE(problem_id, -id) \
         FROM promises WHERE status = 'open' AND due_at < {p} \
         ON CONFLICT (subject) DO NOTHING"
    ));
    q.execute(c).await?;
    Ok(())
}

impl Store {
    /// The report for `filter`; first brings the aggregates up to date with every write
    /// committed so far (so it is always exact). Months are calendar months in the
    /// organisation's reporting time zone.
    pub async fn report(&self, filter: &ReportFilter, now: Timestamp) -> Result<Report> {
        let txn = self.read().await?;
        let built = zone::built(&txn).await?;
        txn.commit().await.db()?;
        if built.is_none() {
            drain::rebuild(self).await?;
        }
        let txn = self.write().await?;
        mark_overdue(&txn, now).await?;
        txn.commit().await.db()?;
        drain(self, now, u64::MAX).await?;
        let txn = self.read().await?;
        let (_, tz) = zone::reporting(&txn).await?;
        let report = read::report(&txn, filter, &tz, now).await?;
        txn.commit().await.db()?;
        Ok(report)
    }

    /// The month `now` falls in, in the reporting time zone (the default period ends there).
    pub async fn report_month(&self, now: Timestamp) -> Result<Month> {
        let (_, tz) = zone::reporting(&self.db).await?;
        Ok(Month::of(now.to_zoned(tz).date()))
    }

    /// Re-derives every aggregate from the tables (after an import, a zone change).
    /// Idempotent.
    pub async fn rebuild_reports(&self) -> Result<()> {
        drain::rebuild(self).await
    }
}
