//! Table tests of `next_open` and `next_day_opening`: weekends, holidays, DST and around the clock.

use jiff::civil::{Weekday, date, time};
use jiff::{SignedDuration, Timestamp};
use rstest::rstest;

use super::fixtures::*;
use super::*;

fn utc(s: &str) -> Timestamp {
    s.parse().expect("valid timestamp")
}

/// Open all day, every day, in Berlin: around the clock, but midnight is Berlin's.
fn all_week_in_berlin() -> Calendar {
    let all = [
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
        Weekday::Saturday,
        Weekday::Sunday,
    ]
    .map(|w| (w, Interval::all_day()));
    Calendar::new("Europe/Berlin", all, []).expect("valid calendar")
}

// 2026-03-20 is a Friday; Berlin springs forward on 2026-03-29 and falls back on 2026-10-25.
#[rstest]
#[case::inside_hours_is_the_same_instant(office("Europe/Berlin", &[]), "2026-03-23T10:15", "2026-03-23T10:15")]
#[case::at_opening(office("Europe/Berlin", &[]), "2026-03-23T09:00", "2026-03-23T09:00")]
#[case::before_opening(office("Europe/Berlin", &[]), "2026-03-23T07:00", "2026-03-23T09:00")]
#[case::at_closing_is_closed(office("Europe/Berlin", &[]), "2026-03-20T17:00", "2026-03-23T09:00")]
#[case::friday_evening_to_monday(office("Europe/Berlin", &[]), "2026-03-20T18:30", "2026-03-23T09:00")]
#[case::saturday_to_monday(office("Europe/Berlin", &[]), "2026-03-21T12:00", "2026-03-23T09:00")]
#[case::holiday_monday_to_tuesday(office("Europe/Berlin", &[date(2026, 3, 23)]), "2026-03-20T18:30", "2026-03-24T09:00")]
#[case::holidays_over_a_weekend(
    office("Europe/Berlin", &[date(2026, 4, 3), date(2026, 4, 4), date(2026, 4, 5), date(2026, 4, 6)]),
    "2026-04-02T17:30", "2026-04-07T09:00"
)]
#[case::lunch_break(with_lunch(), "2026-03-23T12:00", "2026-03-23T13:00")]
#[case::over_the_spring_forward_weekend(office("Europe/Berlin", &[]), "2026-03-27T20:00", "2026-03-30T09:00")]
#[case::over_the_fall_back_weekend(office("Europe/Berlin", &[]), "2026-10-23T20:00", "2026-10-26T09:00")]
// 02:30 does not exist on 2026-03-29: compatible moves it forward to 03:30 CEST.
#[case::opening_in_the_spring_forward_gap(
    sundays(Interval::new(time(2, 30, 0, 0), time(6, 0, 0, 0))),
    "2026-03-29T00:30",
    "2026-03-29T03:30"
)]
fn next_open_in_berlin(#[case] calendar: Calendar, #[case] t: &str, #[case] expected: &str) {
    let got = calendar.next_open(berlin(t));
    assert_eq!(
        got,
        berlin(expected),
        "got {}",
        got.to_zoned(calendar.zone().clone())
    );
}

#[test]
fn an_opening_in_the_fall_back_fold_takes_the_earlier_instant() {
    // 02:00 happens twice on 2026-10-25 in Berlin: first at 00:00Z (CEST), then 01:00Z (CET).
    let calendar = sundays(Interval::new(time(2, 0, 0, 0), time(5, 0, 0, 0)));
    let saturday = berlin("2026-10-24T12:00");
    assert_eq!(calendar.next_open(saturday), utc("2026-10-25T00:00Z"));
    assert_eq!(
        calendar.next_day_opening(saturday),
        utc("2026-10-25T00:00Z")
    );
}

#[rstest]
#[case::friday_evening_to_monday(office("Europe/Berlin", &[]), "2026-03-20T18:30", "2026-03-23T09:00")]
#[case::friday_morning_to_monday(office("Europe/Berlin", &[]), "2026-03-20T07:00", "2026-03-23T09:00")]
#[case::inside_hours_to_tomorrow(office("Europe/Berlin", &[]), "2026-03-23T10:00", "2026-03-24T09:00")]
#[case::before_todays_opening_still_tomorrow(office("Europe/Berlin", &[]), "2026-03-23T07:00", "2026-03-24T09:00")]
#[case::just_before_midnight(office("Europe/Berlin", &[]), "2026-03-23T23:59", "2026-03-24T09:00")]
#[case::at_midnight_is_the_next_date(office("Europe/Berlin", &[]), "2026-03-24T00:00", "2026-03-25T09:00")]
#[case::sunday_to_monday(office("Europe/Berlin", &[]), "2026-03-22T09:00", "2026-03-23T09:00")]
#[case::holiday_monday_to_tuesday(office("Europe/Berlin", &[date(2026, 3, 23)]), "2026-03-20T18:30", "2026-03-24T09:00")]
#[case::holidays_over_a_weekend(
    office("Europe/Berlin", &[date(2026, 4, 3), date(2026, 4, 4), date(2026, 4, 5), date(2026, 4, 6)]),
    "2026-04-02T08:00", "2026-04-07T09:00"
)]
#[case::the_first_interval_of_the_day(with_lunch(), "2026-03-23T12:30", "2026-03-24T09:00")]
#[case::spring_forward_weekend_to_monday(office("Europe/Berlin", &[]), "2026-03-27T18:00", "2026-03-30T09:00")]
#[case::fall_back_weekend_to_monday(office("Europe/Berlin", &[]), "2026-10-23T18:00", "2026-10-26T09:00")]
// The Sunday of the spring-forward night opens at 02:00, which does not exist: 03:00 CEST.
#[case::spring_forward_morning_opening_in_the_gap(
    sundays(Interval::new(time(2, 0, 0, 0), time(10, 0, 0, 0))),
    "2026-03-28T12:00",
    "2026-03-29T03:00"
)]
#[case::spring_forward_morning_office_hours(
    sundays(Interval::new(time(9, 0, 0, 0), time(17, 0, 0, 0))),
    "2026-03-28T12:00",
    "2026-03-29T09:00"
)]
#[case::spring_forward_morning_all_day(
    sundays(Interval::all_day()),
    "2026-03-28T12:00",
    "2026-03-29T00:00"
)]
#[case::around_the_clock_in_berlin_is_berlin_midnight(
    all_week_in_berlin(),
    "2026-03-28T12:00",
    "2026-03-29T00:00"
)]
#[case::around_the_clock_in_berlin_over_spring_forward(
    all_week_in_berlin(),
    "2026-03-29T12:00",
    "2026-03-30T00:00"
)]
fn next_day_opening_in_berlin(#[case] calendar: Calendar, #[case] t: &str, #[case] expected: &str) {
    let got = calendar.next_day_opening(berlin(t));
    assert_eq!(
        got,
        berlin(expected),
        "got {}",
        got.to_zoned(calendar.zone().clone())
    );
}

#[test]
fn spring_forward_morning_in_berlin_is_an_hour_shorter() {
    // Saturday noon CET to Monday 09:00 CEST: 45 hours on the wall clock, 44 elapsed.
    let calendar = office("Europe/Berlin", &[]);
    let saturday = berlin("2026-03-28T12:00");
    let monday = calendar.next_day_opening(saturday);
    assert_eq!(monday, utc("2026-03-30T07:00Z"));
    assert_eq!(
        monday.duration_since(saturday),
        SignedDuration::from_hours(44)
    );
}

#[rstest]
#[case::friday_evening_to_monday("2026-03-06T18:00", "2026-03-09T09:00")]
#[case::over_fall_back("2026-10-30T18:00", "2026-11-02T09:00")]
fn next_opening_in_new_york(#[case] t: &str, #[case] expected: &str) {
    let zone = "America/New_York";
    let calendar = office(zone, &[]);
    assert_eq!(calendar.next_open(local(zone, t)), local(zone, expected));
    assert_eq!(
        calendar.next_day_opening(local(zone, t)),
        local(zone, expected)
    );
}

#[test]
fn around_the_clock_is_open_now_and_a_day_starts_at_midnight() {
    let calendar = Calendar::around_the_clock();
    let t = utc("2026-03-28T22:00:00Z");
    assert_eq!(calendar.next_open(t), t);
    assert_eq!(calendar.next_day_opening(t), utc("2026-03-29T00:00Z"));
    let midnight = utc("2026-03-29T00:00Z");
    assert_eq!(calendar.next_open(midnight), midnight);
    assert_eq!(
        calendar.next_day_opening(midnight),
        utc("2026-03-30T00:00Z")
    );
}

#[test]
fn the_end_of_time_saturates() {
    let calendar = office("Europe/Berlin", &[]);
    assert_eq!(calendar.next_open(Timestamp::MAX), Timestamp::MAX);
    assert_eq!(calendar.next_day_opening(Timestamp::MAX), Timestamp::MAX);
    let around = Calendar::around_the_clock();
    assert_eq!(around.next_open(Timestamp::MAX), Timestamp::MAX);
    assert_eq!(around.next_day_opening(Timestamp::MAX), Timestamp::MAX);
}
