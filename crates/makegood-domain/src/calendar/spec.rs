//! Calendars and working hours as stored and exchanged: plain data that builds a [`Calendar`].

use jiff::civil::{Date, Time, Weekday};
use serde::{Deserialize, Serialize};

use super::{Calendar, CalendarError, Interval};

/// One opening interval as written: `"09:00"` to `"17:00"`; `"24:00"` closes at midnight.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenHours {
    #[schema(example = "09:00")]
    pub open: String,
    #[schema(example = "17:00")]
    pub close: String,
}

/// Opening intervals per weekday; a day left out is closed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WeeklyHours {
    #[serde(default)]
    pub monday: Vec<OpenHours>,
    #[serde(default)]
    pub tuesday: Vec<OpenHours>,
    #[serde(default)]
    pub wednesday: Vec<OpenHours>,
    #[serde(default)]
    pub thursday: Vec<OpenHours>,
    #[serde(default)]
    pub friday: Vec<OpenHours>,
    #[serde(default)]
    pub saturday: Vec<OpenHours>,
    #[serde(default)]
    pub sunday: Vec<OpenHours>,
}

/// A business calendar: a time zone, weekly opening hours and holidays.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CalendarSpec {
    /// IANA time zone the hours are read in.
    #[schema(example = "Europe/Berlin")]
    pub zone: String,
    pub hours: WeeklyHours,
    /// Days closed whatever the weekday (`YYYY-MM-DD`).
    #[serde(default)]
    #[schema(value_type = Vec<String>, format = Date)]
    pub holidays: Vec<Date>,
}

impl WeeklyHours {
    /// Monday to Friday, 09:00 to 17:00.
    pub fn office() -> Self {
        let day = || {
            vec![OpenHours {
                open: "09:00".into(),
                close: "17:00".into(),
            }]
        };
        Self {
            monday: day(),
            tuesday: day(),
            wednesday: day(),
            thursday: day(),
            friday: day(),
            ..Self::default()
        }
    }

    /// Each weekday with its intervals as written.
    pub fn days(&self) -> [(Weekday, &[OpenHours]); 7] {
        [
            (Weekday::Monday, &self.monday),
            (Weekday::Tuesday, &self.tuesday),
            (Weekday::Wednesday, &self.wednesday),
            (Weekday::Thursday, &self.thursday),
            (Weekday::Friday, &self.friday),
            (Weekday::Saturday, &self.saturday),
            (Weekday::Sunday, &self.sunday),
        ]
    }

    /// The parsed intervals, or the first one that does not parse.
    fn intervals(&self) -> Result<Vec<(Weekday, Interval)>, CalendarError> {
        let mut out = Vec::new();
        for (weekday, hours) in self.days() {
            for h in hours {
                let open = parse_time(&h.open, weekday)?;
                let interval = if h.close == "24:00" {
                    Interval::until_end_of_day(open)
                } else {
                    Interval::new(open, parse_time(&h.close, weekday)?)
                };
                out.push((weekday, interval));
            }
        }
        Ok(out)
    }
}

fn parse_time(s: &str, weekday: Weekday) -> Result<Time, CalendarError> {
    // Exactly HH:MM: seconds and fractions have no place in opening hours.
    let valid = s.len() == 5 && s.as_bytes()[2] == b':';
    valid
        .then(|| s.parse::<Time>().ok())
        .flatten()
        .ok_or_else(|| CalendarError::BadTime {
            weekday,
            value: s.to_owned(),
        })
}

impl CalendarSpec {
    /// Around the clock in UTC.
    pub fn around_the_clock() -> Self {
        let all = || {
            vec![OpenHours {
                open: "00:00".into(),
                close: "24:00".into(),
            }]
        };
        Self {
            zone: "UTC".into(),
            hours: WeeklyHours {
                monday: all(),
                tuesday: all(),
                wednesday: all(),
                thursday: all(),
                friday: all(),
                saturday: all(),
                sunday: all(),
            },
            holidays: Vec::new(),
        }
    }

    /// Builds the calendar, refusing what [`Calendar::new`] refuses and malformed times.
    pub fn to_calendar(&self) -> Result<Calendar, CalendarError> {
        Calendar::new(
            &self.zone,
            self.hours.intervals()?,
            self.holidays.iter().copied(),
        )
    }
}

impl WeeklyHours {
    /// These hours in `zone`, without holidays: a member's working hours.
    pub fn in_zone(&self, zone: &str) -> Result<Calendar, CalendarError> {
        Calendar::new(zone, self.intervals()?, [])
    }
}
