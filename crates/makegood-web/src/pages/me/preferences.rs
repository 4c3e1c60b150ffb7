//! `POST /me/preferences`: email alerts, the daily digest and working hours (one interval a
//! day, read in the member's time zone).

use std::collections::BTreeMap;

use axum::extract::State;
use axum::response::Response;
use makegood_domain::{OpenHours, Preferences, WeeklyHours};
use makegood_store::StoreError;

use super::{Kept, refused};
use crate::pages::{FieldErrors, PageError, PageForm, SignedIn, flash_redirect};
use crate::state::AppState;

const DAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// One weekday's working hours as the form shows them; both empty is a day off.
pub struct HoursRow {
    pub day: &'static str,
    pub open: String,
    pub close: String,
}

/// The preferences form: `email_alerts`, `daily_digest` (checkboxes), `{day}_open`, `{day}_close`.
pub type PreferencesForm = BTreeMap<String, String>;

/// How a form reads back into the page.
pub trait FormView {
    fn email_alerts(&self) -> bool;
    fn daily_digest(&self) -> bool;
    fn rows(&self) -> Vec<HoursRow>;
}

impl FormView for PreferencesForm {
    fn email_alerts(&self) -> bool {
        self.contains_key("email_alerts")
    }

    fn daily_digest(&self) -> bool {
        self.contains_key("daily_digest")
    }

    fn rows(&self) -> Vec<HoursRow> {
        DAYS.iter()
            .map(|day| HoursRow {
                day,
                open: self
                    .get(&format!("{day}_open"))
                    .cloned()
                    .unwrap_or_default(),
                close: self
                    .get(&format!("{day}_close"))
                    .cloned()
                    .unwrap_or_default(),
            })
            .collect()
    }
}

/// The stored working hours as rows (the first interval of each day).
pub fn rows(preferences: &Preferences) -> Vec<HoursRow> {
    preferences
        .working_hours
        .days()
        .iter()
        .zip(DAYS)
        .map(|((_, hours), day)| HoursRow {
            day,
            open: hours.first().map(|h| h.open.clone()).unwrap_or_default(),
            close: hours.first().map(|h| h.close.clone()).unwrap_or_default(),
        })
        .collect()
}

/// Whether `s` is a time like `09:00` (or `24:00` for a close).
fn is_time(s: &str) -> bool {
    s == "24:00"
        || (s.len() == 5 && s.as_bytes()[2] == b':' && s.parse::<jiff::civil::Time>().is_ok())
}

/// Reads the working hours, with an error beside each day that does not read.
fn read_hours(form: &PreferencesForm, errors: &mut FieldErrors) -> WeeklyHours {
    let mut hours = WeeklyHours::default();
    for row in form.rows() {
        let (open, close) = (row.open.trim(), row.close.trim());
        let day = match (open.is_empty(), close.is_empty()) {
            (true, true) => Vec::new(),
            (false, false) if is_time(open) && is_time(close) => {
                if close != "24:00" && close <= open {
                    errors.push(&format!("{}_close", row.day), "must be after the start");
                }
                vec![OpenHours {
                    open: open.to_owned(),
                    close: close.to_owned(),
                }]
            }
            _ => {
                errors.push(
                    &format!("{}_close", row.day),
                    "give both times as HH:MM (e.g. 09:00 and 17:00), or leave both empty for a day off",
                );
                Vec::new()
            }
        };
        match row.day {
            "monday" => hours.monday = day,
            "tuesday" => hours.tuesday = day,
            "wednesday" => hours.wednesday = day,
            "thursday" => hours.thursday = day,
            "friday" => hours.friday = day,
            "saturday" => hours.saturday = day,
            _ => hours.sunday = day,
        }
    }
    hours
}

pub async fn update_preferences(
    State(state): State<AppState>,
    user: SignedIn,
    PageForm(form): PageForm<PreferencesForm>,
) -> Result<Response, PageError> {
    let mut errors = FieldErrors::default();
    let working_hours = read_hours(&form, &mut errors);
    if errors.is_empty() {
        let preferences = Preferences {
            email_alerts: form.email_alerts(),
            working_hours,
            daily_digest: form.daily_digest(),
        };
        match state
            .store
            .set_preferences(user.member.id, preferences)
            .await
        {
            Ok(_) => {
                return Ok(flash_redirect(
                    "/me",
                    "Your notification preferences are saved.",
                ));
            }
            Err(StoreError::Invalid { field, message }) => {
                let day = DAYS.iter().find(|d| field.contains(*d));
                match day {
                    Some(day) => errors.push(&format!("{day}_close"), message),
                    None => errors.push("working_hours", message),
                }
            }
            Err(e) => return Err(e.into()),
        }
    }
    let kept = Kept {
        preferences: Some(form),
        errors,
        ..Kept::default()
    };
    refused(&state, &user, kept).await
}
