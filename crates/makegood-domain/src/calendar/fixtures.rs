//! Calendars and instants shared by the calendar's table tests.

use jiff::civil::{Date, Weekday, time};
use jiff::{SignedDuration, Timestamp, Zoned};

use super::{Calendar, Interval};

pub(super) const WORKDAYS: [Weekday; 5] = [
    Weekday::Monday,
    Weekday::Tuesday,
    Weekday::Wednesday,
    Weekday::Thursday,
    Weekday::Friday,
];

/// The instant of a civil time in `zone`, written `2026-03-20T16:00`.
pub(super) fn local(zone: &str, civil: &str) -> Timestamp {
    format!("{civil}[{zone}]")
        .parse::<Zoned>()
        .expect("valid zoned time")
        .timestamp()
}

pub(super) fn berlin(civil: &str) -> Timestamp {
    local("Europe/Berlin", civil)
}

pub(super) fn h(hours: i64) -> SignedDuration {
    SignedDuration::from_hours(hours)
}

pub(super) fn m(minutes: i64) -> SignedDuration {
    SignedDuration::from_mins(minutes)
}

/// Mon–Fri 09:00–17:00 in `zone`, closed on `holidays`.
pub(super) fn office(zone: &str, holidays: &[Date]) -> Calendar {
    let hours = WORKDAYS.map(|d| (d, Interval::new(time(9, 0, 0, 0), time(17, 0, 0, 0))));
    Calendar::new(zone, hours, holidays.iter().copied()).expect("valid calendar")
}

/// Mon–Fri 09:00–12:00 and 13:00–17:00 in Berlin.
pub(super) fn with_lunch() -> Calendar {
    let hours = WORKDAYS.into_iter().flat_map(|d| {
        [
            (d, Interval::new(time(9, 0, 0, 0), time(12, 0, 0, 0))),
            (d, Interval::new(time(13, 0, 0, 0), time(17, 0, 0, 0))),
        ]
    });
    Calendar::new("Europe/Berlin", hours, []).expect("valid calendar")
}

/// Open only on Sundays, during `interval`, in Berlin: DST changes there on Sundays.
pub(super) fn sundays(interval: Interval) -> Calendar {
    Calendar::new("Europe/Berlin", [(Weekday::Sunday, interval)], []).expect("valid calendar")
}
