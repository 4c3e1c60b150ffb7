//! Business calendars: named [`CalendarSpec`]s that policies count their spans in.
//!
//! Changing a calendar recomputes every open clock in the same transaction; a calendar a
//! policy uses cannot be deleted.

use jiff::Timestamp;
use makegood_domain::text::limits;
use makegood_domain::{CalendarError, CalendarSpec, OpenHours, WeeklyHours};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ConnectionTrait, EntityTrait, IntoActiveModel, NotSet,
    QueryFilter, QueryOrder, QuerySelect,
};

use crate::convert::{from_json, to_db, to_json};
use crate::cursor::{Cursor, Keyset, after_name, page};
use crate::db::calendar;
use crate::error::{DbResult, unique_or};
use crate::validate::text;
use crate::{CalendarRecord, Page, PageRequest, Result, Store, StoreError, policies};

const LIST: &str = "calendars";

/// `spec` if it builds a calendar, else `Invalid` on the field at fault (`zone`,
/// `hours.monday[0].open` …).
pub(crate) fn check_spec(spec: &CalendarSpec) -> Result<()> {
    spec.to_calendar()
        .map(|_| ())
        .map_err(|e| calendar_error(&e, "", &spec.hours))
}

/// Names the field of a calendar error; `prefix` is prepended to `zone` and `hours` paths
/// (`""` for a calendar, `working_hours` for a member's hours, which have no zone of their own).
pub(crate) fn calendar_error(e: &CalendarError, prefix: &str, hours: &WeeklyHours) -> StoreError {
    let hours_path = if prefix.is_empty() {
        "hours".to_owned()
    } else {
        prefix.to_owned()
    };
    let day_of = |weekday: jiff::civil::Weekday| -> (String, &[OpenHours]) {
        let day = format!("{weekday:?}").to_lowercase();
        let intervals = hours
            .days()
            .into_iter()
            .find(|(w, _)| *w == weekday)
            .map_or(&[][..], |(_, h)| h);
        (format!("{hours_path}.{day}"), intervals)
    };
    let field = match e {
        CalendarError::UnknownZone(_) if prefix.is_empty() => "zone".to_owned(),
        CalendarError::UnknownZone(_) => "time_zone".to_owned(),
        CalendarError::NeverOpen => hours_path,
        CalendarError::BadTime { weekday, value } => {
            let (day, intervals) = day_of(*weekday);
            intervals
                .iter()
                .enumerate()
                .find_map(|(i, h)| {
                    if h.open == *value {
                        Some(format!("{day}[{i}].open"))
                    } else if h.close == *value {
                        Some(format!("{day}[{i}].close"))
                    } else {
                        None
                    }
                })
                .unwrap_or(day)
        }
        CalendarError::EmptyInterval { weekday, .. } => {
            let (day, intervals) = day_of(*weekday);
            // Valid HH:MM strings compare in time order; "24:00" never closes too early.
            intervals
                .iter()
                .position(|h| h.close != "24:00" && h.close <= h.open)
                .map_or(day.clone(), |i| format!("{day}[{i}].close"))
        }
        CalendarError::Overlap { weekday, .. } => day_of(*weekday).0,
    };
    StoreError::invalid(field, e.to_string())
}

fn to_record(row: calendar::Model) -> Result<CalendarRecord> {
    Ok(CalendarRecord {
        id: row.id,
        name: row.name,
        spec: from_json(&row.spec)?,
    })
}

fn taken(name: &str) -> impl FnOnce() -> String {
    let name = name.to_owned();
    move || format!("a calendar named {name:?} already exists")
}

/// The spec of calendar `id`, if it exists (for clock computations).
pub(crate) async fn spec<C: ConnectionTrait>(c: &C, id: i64) -> Result<Option<CalendarSpec>> {
    calendar::Entity::find_by_id(id)
        .one(c)
        .await
        .db()?
        .map(|row| from_json(&row.spec))
        .transpose()
}

async fn find<C: ConnectionTrait>(c: &C, id: i64) -> Result<calendar::Model> {
    calendar::Entity::find_by_id(id)
        .one(c)
        .await
        .db()?
        .ok_or_else(|| StoreError::not_found("calendar"))
}

pub(crate) async fn create(
    store: &Store,
    name: &str,
    spec: CalendarSpec,
    now: Timestamp,
) -> Result<CalendarRecord> {
    let name = text("name", name, limits::CALENDAR_NAME)?;
    check_spec(&spec)?;
    let row = calendar::ActiveModel {
        id: NotSet,
        name: Set(name.clone()),
        spec: Set(to_json(&spec)?),
        created_at: Set(to_db(now)),
    }
    .insert(&store.writer)
    .await
    .map_err(|e| unique_or(e, taken(&name)))?;
    to_record(row)
}

pub(crate) async fn get(store: &Store, id: i64) -> Result<CalendarRecord> {
    to_record(find(&store.db, id).await?)
}

pub(crate) async fn list(
    store: &Store,
    page_request: &PageRequest,
) -> Result<Page<CalendarRecord>> {
    let keyset = Keyset::of(page_request, LIST)?;
    let mut query = calendar::Entity::find();
    if let Some(after) = &keyset.after {
        query = query.filter(after_name(
            calendar::Column::Name,
            calendar::Column::Id,
            after,
        ));
    }
    let rows = query
        .order_by_asc(calendar::Column::Name)
        .order_by_asc(calendar::Column::Id)
        .limit(keyset.fetch())
        .all(&store.db)
        .await
        .db()?;
    let (rows, next) = keyset.finish(rows, |r| Cursor {
        s: Some(r.name.clone()),
        ..Cursor::new(LIST, r.id)
    });
    Ok(page(
        rows.into_iter().map(to_record).collect::<Result<_>>()?,
        next,
    ))
}

pub(crate) async fn update(
    store: &Store,
    id: i64,
    name: Option<&str>,
    spec: Option<CalendarSpec>,
) -> Result<CalendarRecord> {
    let name = name
        .map(|n| text("name", n, limits::CALENDAR_NAME))
        .transpose()?;
    if let Some(spec) = &spec {
        check_spec(spec)?;
    }
    let txn = store.write().await?;
    let mut row = find(&txn, id).await?.into_active_model();
    if let Some(name) = &name {
        row.name = Set(name.clone());
    }
    let spec_changed = spec.is_some();
    if let Some(spec) = &spec {
        row.spec = Set(to_json(spec)?);
    }
    let saved = if row.is_changed() {
        row.update(&txn).await.map_err(|e| match &name {
            Some(name) => unique_or(e, taken(name)),
            None => crate::error::from_db(e),
        })?
    } else {
        find(&txn, id).await?
    };
    if spec_changed {
        // Deadlines counted in this calendar move with it, in the same transaction.
        let current = policies::load(&txn).await?;
        policies::recompute(&txn, &current).await?;
    }
    txn.commit().await.db()?;
    to_record(saved)
}

pub(crate) async fn delete(store: &Store, id: i64) -> Result<()> {
    let txn = store.write().await?;
    let row = find(&txn, id).await?;
    let current = policies::load(&txn).await?;
    let users: Vec<&str> = [
        ("critical", &current.critical),
        ("major", &current.major),
        ("minor", &current.minor),
    ]
    .into_iter()
    .filter(|(_, p)| p.calendar == Some(id))
    .map(|(name, _)| name)
    .collect();
    if !users.is_empty() {
        return Err(StoreError::Conflict(format!(
            "the {} policy uses calendar {:?}; choose another calendar there first",
            users.join(", "),
            row.name
        )));
    }
    calendar::Entity::delete_by_id(id).exec(&txn).await.db()?;
    txn.commit().await.db()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(hours: WeeklyHours) -> CalendarSpec {
        CalendarSpec {
            zone: "Europe/Berlin".into(),
            hours,
            holidays: Vec::new(),
        }
    }

    fn field(spec: &CalendarSpec) -> String {
        match check_spec(spec) {
            Err(StoreError::Invalid { field, .. }) => field,
            other => panic!("expected Invalid, got {other:?}"),
        }
    }

    fn hours(open: &str, close: &str) -> OpenHours {
        OpenHours {
            open: open.into(),
            close: close.into(),
        }
    }

    #[test]
    fn errors_name_the_field_at_fault() {
        assert!(check_spec(&spec(WeeklyHours::office())).is_ok());
        let mut bad_zone = spec(WeeklyHours::office());
        bad_zone.zone = "Mars/Olympus".into();
        assert_eq!(field(&bad_zone), "zone");
        assert_eq!(field(&spec(WeeklyHours::default())), "hours");
        let mut h = WeeklyHours::office();
        h.tuesday.push(hours("9am", "18:00"));
        assert_eq!(field(&spec(h)), "hours.tuesday[1].open");
        let mut h = WeeklyHours::office();
        h.friday = vec![hours("09:00", "25:00")];
        assert_eq!(field(&spec(h)), "hours.friday[0].close");
        let mut h = WeeklyHours::office();
        h.monday = vec![hours("08:00", "12:00"), hours("14:00", "13:00")];
        assert_eq!(field(&spec(h)), "hours.monday[1].close");
        let mut h = WeeklyHours::office();
        h.monday = vec![hours("08:00", "12:00"), hours("11:00", "13:00")];
        assert_eq!(field(&spec(h)), "hours.monday");
    }
}
