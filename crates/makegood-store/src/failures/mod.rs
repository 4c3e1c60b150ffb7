//! The failure log: quick entries of what failed, at which level, and the lesson; and their
//! counts by level for a period, beside the promises broken in it.

pub(crate) mod entity;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use makegood_domain::failure::{FailureEntry, FailureFields, FailureId, FailureLevel};
use makegood_domain::{MemberId, ProblemId, PromiseStatus, ReportFilter, Role};
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    NotSet, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use self::entity::failure;
use crate::convert::{from_db, micros, name_of, parse_name, to_db};
use crate::cursor::{Cursor, Keyset, page};
use crate::db::{member, problem, promise};
use crate::error::DbResult;
use crate::problems::check_version;
use crate::{Actor, Page, PageRequest, Result, Store, StoreError};

const LIST: &str = "failures";

/// Which entries to list (newest first); the filters combine.
#[derive(Clone, Debug, Default)]
pub struct FailureFilter {
    pub level: Option<FailureLevel>,
    /// Logged at or after.
    pub from: Option<Timestamp>,
    /// Logged before.
    pub to: Option<Timestamp>,
    pub logged_by: Option<MemberId>,
}

/// A period's distribution: entries logged per level, and the promises broken in it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct FailureSummary {
    /// One row per level, idea first, zeros included.
    pub logged: Vec<(FailureLevel, u64)>,
    /// Promises whose due time in the period passed unkept (counted at the promise level).
    pub broken_promises: u64,
}

fn to_entry(row: failure::Model) -> Result<FailureEntry> {
    Ok(FailureEntry {
        id: FailureId(row.id),
        level: parse_name(&row.level)?,
        what_happened: row.what_happened,
        lesson: row.lesson,
        problem: row.problem_id.map(ProblemId),
        logged_by: MemberId(row.logged_by),
        logged_at: from_db(row.logged_at)?,
        version: row.version,
    })
}

/// Refuses a problem that does not exist, beside its field.
async fn check_problem<C: ConnectionTrait>(c: &C, problem: Option<ProblemId>) -> Result<()> {
    if let Some(p) = problem
        && problem::Entity::find_by_id(p.0)
            .one(c)
            .await
            .db()?
            .is_none()
    {
        return Err(StoreError::invalid(
            "problem",
            format!("problem MG-{} does not exist", p.0),
        ));
    }
    Ok(())
}

async fn find<C: ConnectionTrait>(c: &C, id: FailureId) -> Result<failure::Model> {
    failure::Entity::find_by_id(id.0)
        .one(c)
        .await
        .db()?
        .ok_or(StoreError::not_found("failure log entry"))
}

/// Whether `member` may change an entry `logged_by` logged: their own, or anyone's for
/// supervisors and admins.
pub(crate) fn may_change(member: &member::Model, logged_by: i64) -> bool {
    member.id == logged_by
        || matches!(
            Role::parse(&member.role),
            Some(Role::Admin | Role::Supervisor)
        )
}

async fn check_may_change<C: ConnectionTrait>(c: &C, actor: Actor, logged_by: i64) -> Result<()> {
    let me = member::Entity::find_by_id(actor.member.0)
        .one(c)
        .await
        .db()?
        .ok_or(StoreError::not_found("member"))?;
    if may_change(&me, logged_by) {
        Ok(())
    } else {
        Err(StoreError::Conflict(
            "only whoever logged an entry, a supervisor or an admin may change it".into(),
        ))
    }
}

/// The organisation's reporting time zone (the rule the reports and the portal use).
pub(crate) async fn reporting_zone<C: ConnectionTrait>(c: &C) -> Result<TimeZone> {
    Ok(crate::reports::zone::reporting(c).await?.1)
}

/// The instants a report period covers in `zone`: from the first day of `filter.from` to the
/// first day after `filter.to`, midnight to midnight.
pub(crate) fn period(filter: &ReportFilter, zone: &TimeZone) -> Result<(Timestamp, Timestamp)> {
    let start = |d: jiff::civil::Date| {
        d.to_zoned(zone.clone())
            .map(|z| z.timestamp())
            .map_err(|e| StoreError::invalid("from", format!("the period cannot be placed: {e}")))
    };
    Ok((
        start(filter.from.first_day())?,
        start(filter.to.next().first_day())?,
    ))
}

/// Entries logged in `filter`'s period in `zone`, by level (only the levels that have any);
/// narrowed by the member who logged them. The other filters do not apply to the log.
pub(crate) async fn counts<C: ConnectionTrait>(
    c: &C,
    filter: &ReportFilter,
    zone: &TimeZone,
) -> Result<Vec<(FailureLevel, u64)>> {
    let (from, to) = period(filter, zone)?;
    let mut query = failure::Entity::find()
        .select_only()
        .column(failure::Column::Level)
        .column_as(Expr::expr(Func::count(Expr::col(failure::Column::Id))), "n")
        .filter(failure::Column::LoggedAt.gte(to_db(from)))
        .filter(failure::Column::LoggedAt.lt(to_db(to)))
        .group_by(failure::Column::Level);
    if let Some(m) = filter.member {
        query = query.filter(failure::Column::LoggedBy.eq(m.0));
    }
    let rows: Vec<(String, i64)> = query.into_tuple().all(c).await.db()?;
    let mut out = Vec::with_capacity(rows.len());
    for (level, n) in rows {
        out.push((parse_name(&level)?, u64::try_from(n).unwrap_or(0)));
    }
    out.sort_by_key(|(level, _)| *level);
    Ok(out)
}

/// Promises made by `filter.member` (anyone's when `None`) whose due time fell in the period
/// and passed unkept by `now`: broken, or still open past due (the scheduler has yet to mark
/// them).
async fn broken_promises<C: ConnectionTrait>(
    c: &C,
    filter: &ReportFilter,
    zone: &TimeZone,
    now: Timestamp,
) -> Result<u64> {
    let (from, to) = period(filter, zone)?;
    let unkept = Condition::any()
        .add(promise::Column::Status.eq(name_of(&PromiseStatus::Broken)))
        .add(
            Condition::all()
                .add(promise::Column::Status.eq(name_of(&PromiseStatus::Open)))
                .add(promise::Column::DueAt.lt(to_db(now))),
        );
    let mut query = promise::Entity::find()
        .filter(unkept)
        .filter(promise::Column::DueAt.gte(to_db(from)))
        .filter(promise::Column::DueAt.lt(to_db(to)));
    if let Some(m) = filter.member {
        query = query.filter(promise::Column::MadeBy.eq(m.0));
    }
    query.count(c).await.db()
}

impl Store {
    /// Logs a failure by `actor` at `actor.now`; the problem, when named, must exist.
    pub async fn log_failure(&self, actor: Actor, fields: FailureFields) -> Result<FailureEntry> {
        let txn = self.write().await?;
        check_problem(&txn, fields.problem).await?;
        let row = failure::ActiveModel {
            id: NotSet,
            level: Set(name_of(&fields.level)),
            what_happened: Set(fields.what_happened),
            lesson: Set(fields.lesson),
            problem_id: Set(fields.problem.map(|p| p.0)),
            logged_by: Set(actor.member.0),
            logged_at: Set(to_db(micros(actor.now))),
            version: Set(1),
        }
        .insert(&txn)
        .await
        .db()?;
        txn.commit().await.db()?;
        to_entry(row)
    }

    /// The entry `id`.
    pub async fn failure(&self, id: FailureId) -> Result<FailureEntry> {
        to_entry(find(&self.db, id).await?)
    }

    /// Entries matching `filter`, newest first (then by id).
    pub async fn list_failures(
        &self,
        filter: &FailureFilter,
        page_request: &PageRequest,
    ) -> Result<Page<FailureEntry>> {
        let keyset = Keyset::of(page_request, LIST)?;
        let mut query = failure::Entity::find();
        if let Some(level) = filter.level {
            query = query.filter(failure::Column::Level.eq(name_of(&level)));
        }
        if let Some(from) = filter.from {
            query = query.filter(failure::Column::LoggedAt.gte(to_db(from)));
        }
        if let Some(to) = filter.to {
            query = query.filter(failure::Column::LoggedAt.lt(to_db(to)));
        }
        if let Some(m) = filter.logged_by {
            query = query.filter(failure::Column::LoggedBy.eq(m.0));
        }
        if let Some(after) = &keyset.after {
            let t = Timestamp::from_microsecond(after.t.unwrap_or_default())
                .map_err(|_| StoreError::invalid("cursor", "is not a cursor of this list"))?;
            query = query.filter(
                Condition::any()
                    .add(failure::Column::LoggedAt.lt(to_db(t)))
                    .add(
                        Condition::all()
                            .add(failure::Column::LoggedAt.eq(to_db(t)))
                            .add(failure::Column::Id.lt(after.id)),
                    ),
            );
        }
        let rows = query
            .order_by_desc(failure::Column::LoggedAt)
            .order_by_desc(failure::Column::Id)
            .limit(keyset.fetch())
            .all(&self.db)
            .await
            .db()?;
        let (rows, next) = keyset.finish(rows, |r| Cursor {
            t: Some(r.logged_at.timestamp_micros()),
            ..Cursor::new(LIST, r.id)
        });
        Ok(page(
            rows.into_iter().map(to_entry).collect::<Result<_>>()?,
            next,
        ))
    }

    /// Replaces what entry `id` says (`if_match`: the version the caller saw). Only whoever
    /// logged it, a supervisor or an admin may (`Conflict` otherwise).
    pub async fn edit_failure(
        &self,
        actor: Actor,
        id: FailureId,
        if_match: Option<i64>,
        fields: FailureFields,
    ) -> Result<FailureEntry> {
        let txn = self.write().await?;
        let row = find(&txn, id).await?;
        check_version("failure log entry", row.version, if_match)?;
        check_may_change(&txn, actor, row.logged_by).await?;
        check_problem(&txn, fields.problem).await?;
        let changes = failure::ActiveModel {
            level: Set(name_of(&fields.level)),
            what_happened: Set(fields.what_happened),
            lesson: Set(fields.lesson),
            problem_id: Set(fields.problem.map(|p| p.0)),
            version: Set(row.version + 1),
            ..Default::default()
        };
        let updated = failure::Entity::update_many()
            .set(changes)
            .filter(failure::Column::Id.eq(row.id))
            .filter(failure::Column::Version.eq(row.version))
            .exec(&txn)
            .await
            .db()?;
        if updated.rows_affected != 1 {
            let current = find(&txn, id).await?;
            return Err(StoreError::Stale {
                what: "failure log entry",
                current: current.version,
            });
        }
        let saved = find(&txn, id).await?;
        txn.commit().await.db()?;
        to_entry(saved)
    }

    /// Deletes entry `id`; the same rule as [`Store::edit_failure`].
    pub async fn delete_failure(&self, actor: Actor, id: FailureId) -> Result<()> {
        let txn = self.write().await?;
        let row = find(&txn, id).await?;
        check_may_change(&txn, actor, row.logged_by).await?;
        failure::Entity::delete_by_id(row.id)
            .exec(&txn)
            .await
            .db()?;
        txn.commit().await.db()
    }

    /// The distribution for `filter`'s period (months in the reporting time zone): entries
    /// logged per level and the promises broken — counted in automatically from the promises.
    pub async fn failure_summary(
        &self,
        filter: &ReportFilter,
        now: Timestamp,
    ) -> Result<FailureSummary> {
        let txn = self.read().await?;
        let zone = reporting_zone(&txn).await?;
        let found = counts(&txn, filter, &zone).await?;
        let broken = broken_promises(&txn, filter, &zone, now).await?;
        txn.commit().await.db()?;
        Ok(FailureSummary {
            logged: FailureLevel::ALL
                .into_iter()
                .map(|l| {
                    let n = found.iter().find(|(f, _)| *f == l).map_or(0, |(_, n)| *n);
                    (l, n)
                })
                .collect(),
            broken_promises: broken,
        })
    }

    /// The instants months `from`..=`to` span in the reporting time zone (for
    /// [`FailureFilter`]); an open end stays open.
    pub async fn failure_period(
        &self,
        from: Option<makegood_domain::Month>,
        to: Option<makegood_domain::Month>,
    ) -> Result<(Option<Timestamp>, Option<Timestamp>)> {
        let zone = reporting_zone(&self.db).await?;
        let start = |m: makegood_domain::Month| {
            m.first_day()
                .to_zoned(zone.clone())
                .map(|z| z.timestamp())
                .map_err(|e| {
                    StoreError::invalid("from", format!("the month cannot be placed: {e}"))
                })
        };
        Ok((
            from.map(start).transpose()?,
            to.map(|t| start(t.next())).transpose()?,
        ))
    }

    /// The month `now` falls in, in the reporting time zone.
    pub async fn failure_month(&self, now: Timestamp) -> Result<makegood_domain::Month> {
        let zone = reporting_zone(&self.db).await?;
        Ok(makegood_domain::Month::of(now.to_zoned(zone).date()))
    }
}
