//! Business calendars: everyone signed in reads them, admins change them.

use axum::extract::State;
use axum::http::StatusCode;
use jiff::civil::Date;
use makegood_domain::text::limits;
use makegood_domain::{Action, CalendarSpec, WeeklyHours};
use makegood_store::CalendarRecord;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::types::{Check, ListOf, page};
use crate::auth::CurrentMember;
use crate::error::AppError;
use crate::extract::{Json, Path, Query};
use crate::state::AppState;

/// A page of calendars.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct CalendarListQuery {
    pub cursor: Option<String>,
    /// 1 to 200, default 50.
    pub limit: Option<u32>,
}

/// A named business calendar: a time zone, weekly opening hours and holidays.
#[derive(Debug, Serialize, ToSchema)]
pub struct CalendarBody {
    pub id: i64,
    #[schema(example = "Berlin office")]
    pub name: String,
    /// IANA time zone the hours are read in.
    #[schema(example = "Europe/Berlin")]
    pub zone: String,
    pub hours: WeeklyHours,
    /// Days closed whatever the weekday (`YYYY-MM-DD`).
    #[schema(value_type = Vec<String>, format = Date)]
    pub holidays: Vec<Date>,
}

impl From<CalendarRecord> for CalendarBody {
    fn from(c: CalendarRecord) -> Self {
        Self {
            id: c.id,
            name: c.name,
            zone: c.spec.zone,
            hours: c.spec.hours,
            holidays: c.spec.holidays,
        }
    }
}

/// A new calendar. A day left out of `hours` is closed; `"24:00"` closes at midnight.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCalendar {
    #[schema(min_length = 1, pattern = r"\S")]
    pub name: String,
    #[schema(example = "Europe/Berlin")]
    pub zone: String,
    pub hours: WeeklyHours,
    #[serde(default)]
    #[schema(value_type = Vec<String>, format = Date)]
    pub holidays: Vec<Date>,
}

/// Fields to change; `zone`, `hours` and `holidays` replace the spec together.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateCalendar {
    #[schema(min_length = 1, pattern = r"\S")]
    pub name: Option<String>,
    pub zone: Option<String>,
    pub hours: Option<WeeklyHours>,
    #[schema(value_type = Option<Vec<String>>, format = Date)]
    pub holidays: Option<Vec<Date>>,
}

/// Lists calendars by name.
#[utoipa::path(get, path = "/calendars", tag = "calendars", params(CalendarListQuery),
    responses((status = 200, body = ListOf<CalendarBody>)))]
pub async fn list_calendars(
    State(state): State<AppState>,
    me: CurrentMember,
    Query(q): Query<CalendarListQuery>,
) -> Result<Json<ListOf<CalendarBody>>, AppError> {
    me.require(Action::Read, None)?;
    let calendars = state
        .store
        .list_calendars(&page(q.cursor, q.limit)?)
        .await?;
    Ok(Json(ListOf::from_page(calendars, CalendarBody::from)))
}

/// Gets a calendar.
#[utoipa::path(get, path = "/calendars/{id}", tag = "calendars", responses((status = 200, body = CalendarBody)))]
pub async fn get_calendar(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(id): Path<i64>,
) -> Result<Json<CalendarBody>, AppError> {
    me.require(Action::Read, None)?;
    Ok(Json(state.store.calendar(id).await?.into()))
}

/// Creates a calendar (admins).
#[utoipa::path(post, path = "/calendars", tag = "calendars", responses((status = 201, body = CalendarBody)))]
pub async fn create_calendar(
    State(state): State<AppState>,
    me: CurrentMember,
    Json(body): Json<CreateCalendar>,
) -> Result<(StatusCode, Json<CalendarBody>), AppError> {
    me.require(Action::EditPolicies, None)?;
    let mut check = Check::default();
    let name = check.text("name", &body.name, limits::CALENDAR_NAME);
    check.finish()?;
    let calendar = state
        .store
        .create_calendar(
            &name,
            CalendarSpec {
                zone: body.zone,
                hours: body.hours,
                holidays: body.holidays,
            },
            state.now(),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(calendar.into())))
}

/// Changes a calendar (admins).
///
/// A new spec recomputes the deadlines of every open problem whose policy uses it.
#[utoipa::path(patch, path = "/calendars/{id}", tag = "calendars", responses((status = 200, body = CalendarBody)))]
pub async fn update_calendar(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(id): Path<i64>,
    Json(body): Json<UpdateCalendar>,
) -> Result<Json<CalendarBody>, AppError> {
    me.require(Action::EditPolicies, None)?;
    let mut check = Check::default();
    let name = body
        .name
        .map(|n| check.text("name", &n, limits::CALENDAR_NAME));
    check.finish()?;
    let spec = if body.zone.is_some() || body.hours.is_some() || body.holidays.is_some() {
        // A partial spec is completed from the current one.
        let current = state.store.calendar(id).await?.spec;
        Some(CalendarSpec {
            zone: body.zone.unwrap_or(current.zone),
            hours: body.hours.unwrap_or(current.hours),
            holidays: body.holidays.unwrap_or(current.holidays),
        })
    } else {
        None
    };
    let calendar = state
        .store
        .update_calendar(id, name.as_deref(), spec)
        .await?;
    Ok(Json(calendar.into()))
}

/// Deletes a calendar no policy uses (admins).
#[utoipa::path(delete, path = "/calendars/{id}", tag = "calendars", responses((status = 204, description = "Deleted")))]
pub async fn delete_calendar(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(id): Path<i64>,
) -> Result<StatusCode, AppError> {
    me.require(Action::EditPolicies, None)?;
    state.store.delete_calendar(id).await?;
    Ok(StatusCode::NO_CONTENT)
}
