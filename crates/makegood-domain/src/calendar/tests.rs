//! Table tests of calendars: weekends, holidays, lunch breaks, DST days and validation.

use jiff::civil::{Weekday, date, time};
use jiff::{SignedDuration, Timestamp};
use rstest::rstest;

use super::fixtures::*;
use super::*;
use crate::clock::deadline_in;
use crate::state::Pause;

#[rstest]
#[case::within_a_day(office("Europe/Berlin", &[]), "2026-03-23T10:00", h(2), "2026-03-23T12:00")]
#[case::ends_exactly_at_close(office("Europe/Berlin", &[]), "2026-03-23T09:00", h(8), "2026-03-23T17:00")]
#[case::friday_afternoon_rolls_to_monday(office("Europe/Berlin", &[]), "2026-03-20T16:00", h(2), "2026-03-23T10:00")]
#[case::friday_evening_start_rolls_to_monday(office("Europe/Berlin", &[]), "2026-03-20T18:30", h(1), "2026-03-23T10:00")]
#[case::start_on_saturday(office("Europe/Berlin", &[]), "2026-03-21T12:00", m(30), "2026-03-23T09:30")]
#[case::start_before_opening(office("Europe/Berlin", &[]), "2026-03-23T07:00", h(1), "2026-03-23T10:00")]
#[case::zero_span_stays_put_even_when_closed(office("Europe/Berlin", &[]), "2026-03-21T12:00", h(0), "2026-03-21T12:00")]
#[case::negative_span_stays_put(office("Europe/Berlin", &[]), "2026-03-23T10:00", h(-3), "2026-03-23T10:00")]
#[case::a_whole_week(office("Europe/Berlin", &[]), "2026-03-23T09:00", h(40), "2026-03-27T17:00")]
#[case::holiday_on_monday(office("Europe/Berlin", &[date(2026, 3, 23)]), "2026-03-20T16:00", h(2), "2026-03-24T10:00")]
#[case::holidays_spanning_a_weekend(
    office("Europe/Berlin", &[date(2026, 4, 3), date(2026, 4, 4), date(2026, 4, 5), date(2026, 4, 6)]),
    "2026-04-02T16:00", h(2), "2026-04-07T10:00"
)]
#[case::lunch_break_skipped(with_lunch(), "2026-03-23T11:00", h(2), "2026-03-23T14:00")]
#[case::start_in_lunch_break(with_lunch(), "2026-03-23T12:30", m(30), "2026-03-23T13:30")]
#[case::berlin_spring_forward_weekend(office("Europe/Berlin", &[]), "2026-03-27T16:00", h(2), "2026-03-30T10:00")]
#[case::berlin_fall_back_weekend(office("Europe/Berlin", &[]), "2026-10-23T16:00", h(2), "2026-10-26T10:00")]
#[case::berlin_sunday_09_17_on_spring_forward_day(
    sundays(Interval::new(time(9, 0, 0, 0), time(17, 0, 0, 0))),
    "2026-03-29T08:00",
    h(8),
    "2026-03-29T17:00"
)]
#[case::berlin_sunday_09_17_on_fall_back_day(
    sundays(Interval::new(time(9, 0, 0, 0), time(17, 0, 0, 0))),
    "2026-10-25T08:00",
    h(8),
    "2026-10-25T17:00"
)]
#[case::all_day_sunday_is_23_hours_in_spring(
    sundays(Interval::all_day()),
    "2026-03-29T00:00",
    h(23),
    "2026-03-30T00:00"
)]
#[case::all_day_sunday_is_25_hours_in_autumn(
    sundays(Interval::all_day()),
    "2026-10-25T00:00",
    h(25),
    "2026-10-26T00:00"
)]
fn add_business_in_berlin(
    #[case] calendar: Calendar,
    #[case] start: &str,
    #[case] span: SignedDuration,
    #[case] expected: &str,
) {
    let start = berlin(start);
    let got = calendar.add_business(start, span);
    assert_eq!(
        got,
        berlin(expected),
        "got {}",
        got.to_zoned(calendar.zone().clone())
    );
    assert_eq!(
        calendar.business_between(start, got),
        span.max(SignedDuration::ZERO)
    );
}

#[rstest]
#[case::friday_to_monday_over_spring_forward("2026-03-06T16:00", h(2), "2026-03-09T10:00")]
#[case::friday_to_monday_over_fall_back("2026-10-30T16:00", h(2), "2026-11-02T10:00")]
#[case::a_week_across_spring_forward("2026-03-06T09:00", h(40), "2026-03-12T17:00")]
fn add_business_in_new_york(
    #[case] start: &str,
    #[case] span: SignedDuration,
    #[case] expected: &str,
) {
    let zone = "America/New_York";
    let calendar = office(zone, &[]);
    let start = local(zone, start);
    let got = calendar.add_business(start, span);
    assert_eq!(got, local(zone, expected));
    assert_eq!(calendar.business_between(start, got), span);
}

#[rstest]
#[case::normal_sunday("2026-03-22", h(24))]
#[case::spring_forward_sunday("2026-03-29", h(23))]
#[case::fall_back_sunday("2026-10-25", h(25))]
fn a_whole_day_is_as_long_as_the_day(#[case] day: &str, #[case] expected: SignedDuration) {
    let calendar = sundays(Interval::all_day());
    let start = berlin(&format!("{day}T00:00"));
    let end = berlin(&format!("{day}T23:59:59")) + SignedDuration::from_secs(1);
    assert_eq!(calendar.business_between(start, end), expected);
}

#[rstest]
// 01:00 CET to 02:30 → 03:30 CEST (moved forward over the gap): 00:00Z to 01:30Z.
#[case::close_in_the_gap_moves_forward(Interval::new(time(1, 0, 0, 0), time(2, 30, 0, 0)), m(90))]
// 02:30 → 03:30 CEST, 03:00 CEST: ends before it starts, so empty that day.
#[case::interval_inside_the_gap_is_empty(Interval::new(time(2, 30, 0, 0), time(3, 0, 0, 0)), m(0))]
#[case::nine_to_five_is_eight_hours(Interval::new(time(9, 0, 0, 0), time(17, 0, 0, 0)), h(8))]
fn nonexistent_local_times_use_compatible_disambiguation(
    #[case] interval: Interval,
    #[case] expected: SignedDuration,
) {
    let calendar = sundays(interval);
    let day = berlin("2026-03-29T00:00");
    assert_eq!(calendar.business_between(day, day + h(23)), expected);
}

#[test]
fn ambiguous_local_times_take_the_earlier_instant() {
    // 02:00 and 02:30 happen twice on 2026-10-25 in Berlin; both take CEST (the earlier).
    let calendar = sundays(Interval::new(time(2, 0, 0, 0), time(2, 30, 0, 0)));
    let day = berlin("2026-10-25T00:00");
    let opens = "2026-10-25T00:00Z".parse::<Timestamp>().expect("valid");
    assert_eq!(calendar.business_between(day, day + h(25)), m(30));
    assert_eq!(calendar.add_business(day, m(1)), opens + m(1));
}

#[rstest]
#[case::before_opening("2026-03-23T07:00", "2026-03-23T10:00", h(1))]
#[case::over_a_weekend("2026-03-20T16:00", "2026-03-23T10:00", h(2))]
#[case::entirely_closed("2026-03-21T00:00", "2026-03-23T09:00", h(0))]
#[case::reversed_is_negative("2026-03-23T10:00", "2026-03-20T16:00", h(-2))]
fn business_between_in_berlin(#[case] a: &str, #[case] b: &str, #[case] expected: SignedDuration) {
    let calendar = office("Europe/Berlin", &[]);
    assert_eq!(calendar.business_between(berlin(a), berlin(b)), expected);
}

#[rstest]
// Start Fri 16:00, 2 h: 30 min run before the pause, 1 h 30 min after it resumes Mon 09:30.
#[case::pause_crossing_the_weekend(
    "2026-03-20T16:30",
    Some("2026-03-23T09:30"),
    Some("2026-03-23T11:00")
)]
// The pause lies wholly in closed time: it gives nothing back.
#[case::pause_wholly_on_the_weekend(
    "2026-03-21T10:00",
    Some("2026-03-22T20:00"),
    Some("2026-03-23T10:00")
)]
#[case::pause_after_the_deadline(
    "2026-03-23T10:00",
    Some("2026-03-23T15:00"),
    Some("2026-03-23T10:00")
)]
#[case::open_pause_before_the_deadline("2026-03-20T16:30", None, None)]
fn pauses_credit_only_business_time(
    #[case] from: &str,
    #[case] until: Option<&str>,
    #[case] expected: Option<&str>,
) {
    let calendar = office("Europe/Berlin", &[]);
    let pause = Pause {
        from: berlin(from),
        until: until.map(berlin),
    };
    let due = deadline_in(&calendar, berlin("2026-03-20T16:00"), h(2), &[pause]);
    assert_eq!(due, expected.map(berlin));
}

#[test]
fn around_the_clock_is_plain_time() {
    let calendar = Calendar::around_the_clock();
    let start = berlin("2026-03-28T22:00");
    assert!(calendar.is_around_the_clock());
    assert_eq!(calendar.add_business(start, h(5)), start + h(5));
    assert_eq!(calendar.business_between(start, start + h(5)), h(5));
    assert_eq!(calendar.add_business(Timestamp::MAX, h(1)), Timestamp::MAX);
}

#[rstest]
#[case::unknown_zone("Mars/Olympus", vec![(Weekday::Monday, Interval::all_day())], CalendarError::UnknownZone("Mars/Olympus".into()))]
#[case::empty_interval(
    "UTC",
    vec![(Weekday::Monday, Interval::new(time(9, 0, 0, 0), time(9, 0, 0, 0)))],
    CalendarError::EmptyInterval { weekday: Weekday::Monday, interval: "[09:00:00, 09:00:00)".into() }
)]
#[case::overlap(
    "UTC",
    vec![
        (Weekday::Tuesday, Interval::new(time(9, 0, 0, 0), time(13, 0, 0, 0))),
        (Weekday::Tuesday, Interval::new(time(12, 0, 0, 0), time(17, 0, 0, 0))),
    ],
    CalendarError::Overlap {
        weekday: Weekday::Tuesday,
        first: "[09:00:00, 13:00:00)".into(),
        second: "[12:00:00, 17:00:00)".into(),
    }
)]
#[case::overlap_with_end_of_day(
    "UTC",
    vec![
        (Weekday::Friday, Interval::new(time(20, 0, 0, 0), time(22, 0, 0, 0))),
        (Weekday::Friday, Interval::until_end_of_day(time(18, 0, 0, 0))),
    ],
    CalendarError::Overlap {
        weekday: Weekday::Friday,
        first: "[18:00:00, 24:00)".into(),
        second: "[20:00:00, 22:00:00)".into(),
    }
)]
#[case::never_open("UTC", vec![], CalendarError::NeverOpen)]
fn invalid_calendars_are_refused(
    #[case] zone: &str,
    #[case] hours: Vec<(Weekday, Interval)>,
    #[case] expected: CalendarError,
) {
    assert_eq!(Calendar::new(zone, hours, []), Err(expected));
}

#[test]
fn touching_intervals_are_fine() {
    let calendar = Calendar::new(
        "UTC",
        [
            (
                Weekday::Monday,
                Interval::until_end_of_day(time(12, 0, 0, 0)),
            ),
            (
                Weekday::Monday,
                Interval::new(time(0, 0, 0, 0), time(12, 0, 0, 0)),
            ),
        ],
        [],
    )
    .expect("valid calendar");
    assert_eq!(calendar.hours(Weekday::Monday).len(), 2);
    assert!(!calendar.is_around_the_clock());
    let monday = "2026-03-23T00:00Z".parse::<Timestamp>().expect("valid");
    assert_eq!(calendar.business_between(monday, monday + h(48)), h(24));
}

#[test]
fn problem_clocks_count_business_time() {
    use crate::clock::{ClockKind, ClockState, problem_clocks_in};
    // Tell 1 h, fix 24 h; detected Friday 16:30 in an office open Mon–Fri 09:00–17:00.
    let state = crate::ProblemState::from_events([]).expect("valid timeline");
    let detected = berlin("2026-03-20T16:30");
    let calendar = office("Europe/Berlin", &[]);
    let policy = crate::testing::policy();
    let clocks = problem_clocks_in(
        &state,
        detected,
        &policy,
        &calendar,
        berlin("2026-03-21T12:00"),
    );
    let due = |kind| {
        clocks
            .iter()
            .find(|c| c.kind == kind)
            .and_then(|c| c.due_at)
    };
    assert_eq!(due(ClockKind::Tell), Some(berlin("2026-03-23T09:30")));
    assert_eq!(due(ClockKind::Fix), Some(berlin("2026-03-25T16:30")));
    assert!(clocks.iter().all(|c| c.state == ClockState::Ok));
}

/// Found by fuzzing (fuzz/seeds/calendar/crash-lower-edge): at the very start of jiff's range, in a
/// zone behind UTC, the day's opening lies before the first instant there is. The walk used to
/// stop there and saturate at `Timestamp::MAX`, so a later start got an earlier deadline.
#[test]
fn the_first_instant_there_is_still_opens() {
    let every_day = [
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
        Weekday::Saturday,
        Weekday::Sunday,
    ]
    .map(|d| (d, Interval::until_end_of_day(time(15, 56, 0, 0))));
    let calendar = Calendar::new("America/St_Johns", every_day, []).expect("valid calendar");
    let hour = SignedDuration::from_hours(1);
    let first = calendar
        .checked_add_business(Timestamp::MIN, hour)
        .expect("an hour of business within jiff's range");
    assert_eq!(calendar.business_between(Timestamp::MIN, first), hour);
    let later = Timestamp::MIN
        .checked_add(SignedDuration::from_hours(30))
        .unwrap();
    assert!(calendar.add_business(later, hour) >= first);
}
