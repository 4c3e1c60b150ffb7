//! Tests of calendar specs: their JSON shape, validation into calendars, and the defaults.

use jiff::civil::{Weekday, date, time};
use jiff::{SignedDuration, Timestamp};
use rstest::rstest;
use serde_json::json;

use super::*;
use crate::member::Preferences;

const EXAMPLE: &str = r#"{"zone":"Europe/Berlin","hours":{"monday":[{"open":"09:00","close":"17:00"}]},"holidays":["2026-12-25"]}"#;

fn hours(open: &str, close: &str) -> OpenHours {
    OpenHours {
        open: open.into(),
        close: close.into(),
    }
}

/// A spec in UTC open on Mondays during `intervals`.
fn mondays(intervals: &[(&str, &str)]) -> CalendarSpec {
    CalendarSpec {
        zone: "UTC".into(),
        hours: WeeklyHours {
            monday: intervals.iter().map(|(o, c)| hours(o, c)).collect(),
            ..WeeklyHours::default()
        },
        holidays: Vec::new(),
    }
}

#[test]
fn the_documented_json_reads_and_writes_back() {
    let spec: CalendarSpec = serde_json::from_str(EXAMPLE).expect("valid spec");
    assert_eq!(spec.zone, "Europe/Berlin");
    assert_eq!(spec.hours.monday, vec![hours("09:00", "17:00")]);
    assert!(spec.hours.tuesday.is_empty() && spec.hours.sunday.is_empty());
    assert_eq!(spec.holidays, vec![date(2026, 12, 25)]);

    // Every weekday is written, closed ones as empty lists.
    let written = serde_json::to_value(&spec).expect("serializable");
    let closed: Vec<OpenHours> = Vec::new();
    assert_eq!(
        written,
        json!({
            "zone": "Europe/Berlin",
            "hours": {
                "monday": [{"open": "09:00", "close": "17:00"}],
                "tuesday": closed, "wednesday": closed, "thursday": closed,
                "friday": closed, "saturday": closed, "sunday": closed,
            },
            "holidays": ["2026-12-25"],
        })
    );
    let back: CalendarSpec = serde_json::from_value(written).expect("round trip");
    assert_eq!(back, spec);

    let calendar = spec.to_calendar().expect("valid calendar");
    assert_eq!(calendar.zone().iana_name(), Some("Europe/Berlin"));
    assert_eq!(
        calendar.hours(Weekday::Monday),
        [Interval::new(time(9, 0, 0, 0), time(17, 0, 0, 0))]
    );
    assert!(calendar.hours(Weekday::Tuesday).is_empty());
    assert_eq!(
        calendar.holidays().collect::<Vec<_>>(),
        [date(2026, 12, 25)]
    );
}

#[test]
fn holidays_may_be_left_out() {
    let spec: CalendarSpec = serde_json::from_str(
        r#"{"zone":"UTC","hours":{"friday":[{"open":"08:00","close":"12:00"}]}}"#,
    )
    .expect("valid spec");
    assert!(spec.holidays.is_empty());
    assert_eq!(spec.hours.friday, vec![hours("08:00", "12:00")]);
}

#[rstest]
#[case::at_the_top(r#"{"zone":"UTC","hours":{},"holidays":[],"colour":"red"}"#)]
#[case::in_the_hours(r#"{"zone":"UTC","hours":{"mon":[]}}"#)]
#[case::in_an_interval(
    r#"{"zone":"UTC","hours":{"monday":[{"open":"09:00","close":"17:00","note":"x"}]}}"#
)]
#[case::missing_zone(r#"{"hours":{}}"#)]
#[case::missing_hours(r#"{"zone":"UTC"}"#)]
#[case::a_holiday_that_is_not_a_date(r#"{"zone":"UTC","hours":{},"holidays":["2026-13-01"]}"#)]
fn malformed_json_is_refused(#[case] text: &str) {
    assert!(
        serde_json::from_str::<CalendarSpec>(text).is_err(),
        "{text}"
    );
}

#[test]
fn closing_at_24_00_means_the_end_of_the_day() {
    let calendar = mondays(&[("18:00", "24:00")])
        .to_calendar()
        .expect("valid calendar");
    assert_eq!(
        calendar.hours(Weekday::Monday),
        [Interval::until_end_of_day(time(18, 0, 0, 0))]
    );
    let monday: Timestamp = "2026-03-23T00:00Z".parse().expect("valid");
    assert_eq!(
        calendar.business_between(monday, monday + SignedDuration::from_hours(48)),
        SignedDuration::from_hours(6)
    );
}

#[rstest]
#[case::one_digit_hour("9:00", "17:00", "9:00")]
#[case::hour_out_of_range("09:00", "25:00", "25:00")]
#[case::with_seconds("09:00:30", "17:00", "09:00:30")]
#[case::minute_out_of_range("09:60", "17:00", "09:60")]
#[case::empty("", "17:00", "")]
#[case::not_digits("ab:cd", "17:00", "ab:cd")]
#[case::dot_separated("09.00", "17:00", "09.00")]
#[case::opening_at_24_00("24:00", "24:00", "24:00")]
fn bad_times_are_refused(#[case] open: &str, #[case] close: &str, #[case] bad: &str) {
    assert_eq!(
        mondays(&[(open, close)]).to_calendar(),
        Err(CalendarError::BadTime {
            weekday: Weekday::Monday,
            value: bad.into()
        })
    );
}

#[test]
fn a_bad_time_names_its_weekday() {
    let spec = CalendarSpec {
        zone: "UTC".into(),
        hours: WeeklyHours {
            thursday: vec![hours("09:00", "5pm")],
            ..WeeklyHours::office()
        },
        holidays: Vec::new(),
    };
    assert_eq!(
        spec.to_calendar(),
        Err(CalendarError::BadTime {
            weekday: Weekday::Thursday,
            value: "5pm".into()
        })
    );
}

#[test]
fn an_unknown_zone_is_refused() {
    let spec = CalendarSpec {
        zone: "Europe/Atlantis".into(),
        ..CalendarSpec::around_the_clock()
    };
    assert_eq!(
        spec.to_calendar(),
        Err(CalendarError::UnknownZone("Europe/Atlantis".into()))
    );
    assert_eq!(
        WeeklyHours::office().in_zone("Nowhere/Else"),
        Err(CalendarError::UnknownZone("Nowhere/Else".into()))
    );
}

#[test]
fn overlapping_intervals_are_refused() {
    assert_eq!(
        mondays(&[("13:00", "17:00"), ("09:00", "13:30")]).to_calendar(),
        Err(CalendarError::Overlap {
            weekday: Weekday::Monday,
            first: "[09:00:00, 13:30:00)".into(),
            second: "[13:00:00, 17:00:00)".into(),
        })
    );
}

#[test]
fn an_interval_closing_before_it_opens_is_refused() {
    assert_eq!(
        mondays(&[("17:00", "09:00")]).to_calendar(),
        Err(CalendarError::EmptyInterval {
            weekday: Weekday::Monday,
            interval: "[17:00:00, 09:00:00)".into(),
        })
    );
}

#[test]
fn a_calendar_never_open_is_refused() {
    assert_eq!(mondays(&[]).to_calendar(), Err(CalendarError::NeverOpen));
    let spec: CalendarSpec =
        serde_json::from_str(r#"{"zone":"Europe/Berlin","hours":{},"holidays":["2026-12-25"]}"#)
            .expect("valid spec");
    assert_eq!(spec.to_calendar(), Err(CalendarError::NeverOpen));
}

#[test]
fn office_hours_are_monday_to_friday_nine_to_five() {
    let office = WeeklyHours::office();
    let nine_to_five = vec![hours("09:00", "17:00")];
    for (weekday, intervals) in office.days() {
        let expected: &[OpenHours] = match weekday {
            Weekday::Saturday | Weekday::Sunday => &[],
            _ => &nine_to_five,
        };
        assert_eq!(intervals, expected, "{weekday:?}");
    }
    let calendar = office.in_zone("Europe/Berlin").expect("valid calendar");
    assert_eq!(calendar.holidays().count(), 0);
    assert_eq!(
        calendar.hours(Weekday::Wednesday),
        [Interval::new(time(9, 0, 0, 0), time(17, 0, 0, 0))]
    );
    assert!(calendar.hours(Weekday::Saturday).is_empty());
    // A week from a Monday midnight holds 40 hours of business time.
    let monday: Timestamp = "2026-03-22T23:00Z".parse().expect("valid");
    assert_eq!(
        calendar.business_between(monday, monday + SignedDuration::from_hours(7 * 24)),
        SignedDuration::from_hours(40)
    );
}

#[test]
fn the_around_the_clock_spec_builds_an_around_the_clock_calendar() {
    let spec = CalendarSpec::around_the_clock();
    assert_eq!(spec.zone, "UTC");
    assert!(spec.holidays.is_empty());
    let calendar = spec.to_calendar().expect("valid calendar");
    assert!(calendar.is_around_the_clock());
    for (weekday, _) in spec.hours.days() {
        assert_eq!(calendar.hours(weekday), [Interval::all_day()]);
    }
    let back: CalendarSpec =
        serde_json::from_str(&serde_json::to_string(&spec).expect("serializable"))
            .expect("round trip");
    assert_eq!(back, spec);
}

#[test]
fn default_preferences_round_trip_as_json() {
    let prefs = Preferences::default();
    assert!(prefs.email_alerts && prefs.daily_digest);
    assert_eq!(prefs.working_hours, WeeklyHours::office());
    let written = serde_json::to_value(&prefs).expect("serializable");
    assert_eq!(written["email_alerts"], json!(true));
    assert_eq!(written["daily_digest"], json!(true));
    assert_eq!(
        written["working_hours"]["friday"],
        json!([{"open": "09:00", "close": "17:00"}])
    );
    assert_eq!(written["working_hours"]["sunday"], json!([]));
    let back: Preferences = serde_json::from_value(written).expect("round trip");
    assert_eq!(back, prefs);
    assert!(
        serde_json::from_str::<Preferences>(
            r#"{"email_alerts":true,"working_hours":{},"daily_digest":true,"sms":true}"#
        )
        .is_err(),
        "unknown fields are refused"
    );
}
