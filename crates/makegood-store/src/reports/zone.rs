//! The reporting time zone: the organisation's (its earliest active admin's), and the one
//! the aggregates were counted in.

use jiff::tz::TimeZone;
use sea_orm::ConnectionTrait;

use super::sql::Sql;
use crate::Result;
use crate::portal::sessions::organisation_zone;

/// The organisation's zone now: its name and the zone (UTC when the name is unknown).
pub(crate) async fn reporting<C: ConnectionTrait>(c: &C) -> Result<(String, TimeZone)> {
    let name = organisation_zone(c).await?;
    let tz = TimeZone::get(&name).unwrap_or(TimeZone::UTC);
    Ok((name, tz))
}

/// The zone the aggregates were counted in, if they were built and it is still the
/// organisation's; `None` means they must be rebuilt first.
pub(crate) async fn built<C: ConnectionTrait>(c: &C) -> Result<Option<TimeZone>> {
    let rows = Sql::new(c)
        .push("SELECT zone FROM report_state WHERE id = 1")
        .all(c)
        .await?;
    let Some(row) = rows.first() else {
        return Ok(None);
    };
    let stored: String = row
        .try_get_by_index(0)
        .map_err(|e| crate::StoreError::Database(format!("report_state: {e:?}")))?;
    let (name, tz) = reporting(c).await?;
    Ok((stored == name).then_some(tz))
}
