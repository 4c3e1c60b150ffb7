//! Property tests of calendars: add and between agree, deadlines are monotonic, pauses credit
//! business time, DST nights and holiday blocks count right, and `next_open` finds the next opening.

use jiff::civil::{Date, Weekday, date, time};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, ToSpan};
use proptest::prelude::*;

use super::*;
use crate::clock::{deadline, deadline_in};
use crate::state::Pause;
use crate::testing::RANGE;

/// A few calendars with weekends, lunch breaks, holidays over weekends and DST.
fn calendar() -> impl Strategy<Value = Calendar> {
    let workdays = [
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
    ];
    let office = move |zone: &str| {
        let hours = workdays.map(|d| (d, Interval::new(time(9, 0, 0, 0), time(17, 0, 0, 0))));
        let easter = [
            date(2026, 4, 3),
            date(2026, 4, 4),
            date(2026, 4, 5),
            date(2026, 4, 6),
        ];
        Calendar::new(zone, hours, easter).expect("valid calendar")
    };
    let lunch = workdays.into_iter().flat_map(|d| {
        [
            (d, Interval::new(time(9, 0, 0, 0), time(12, 0, 0, 0))),
            (d, Interval::new(time(13, 0, 0, 0), time(17, 0, 0, 0))),
        ]
    });
    // Open over the night DST changes in Berlin (Sunday 01:00–04:00) and all Saturday.
    let night = [
        (
            Weekday::Sunday,
            Interval::new(time(1, 0, 0, 0), time(4, 0, 0, 0)),
        ),
        (Weekday::Saturday, Interval::all_day()),
        (
            Weekday::Wednesday,
            Interval::until_end_of_day(time(22, 0, 0, 0)),
        ),
    ];
    prop_oneof![
        Just(Calendar::around_the_clock()),
        Just(office("Europe/Berlin")),
        Just(office("America/New_York")),
        Just(Calendar::new("Europe/Berlin", lunch, []).expect("valid calendar")),
        Just(Calendar::new("Europe/Berlin", night, []).expect("valid calendar")),
    ]
}

/// Instants in 2020–2030, on whole minutes so DST edges are hit now and then.
fn instant() -> impl Strategy<Value = Timestamp> {
    (RANGE.start / 60..RANGE.end / 60)
        .prop_map(|m| Timestamp::from_second(m * 60).expect("in range"))
}

/// Up to 60 days, in seconds.
fn span() -> impl Strategy<Value = SignedDuration> {
    (0i64..60 * 86_400).prop_map(SignedDuration::from_secs)
}

proptest! {
    #[test]
    fn between_undoes_add(cal in calendar(), start in instant(), d in span()) {
        let end = cal.add_business(start, d);
        prop_assert!(end >= start);
        prop_assert_eq!(cal.business_between(start, end), d);
    }

    #[test]
    fn between_is_additive(cal in calendar(), a in instant(), x in span(), y in span()) {
        let (b, c) = (a + x, a + x + y);
        prop_assert_eq!(
            cal.business_between(a, b) + cal.business_between(b, c),
            cal.business_between(a, c)
        );
        prop_assert!(cal.business_between(a, c) <= c.duration_since(a));
    }

    #[test]
    fn a_later_start_never_gives_an_earlier_deadline(
        cal in calendar(), start in instant(), later in span(), d in span()
    ) {
        prop_assert!(cal.add_business(start + later, d) >= cal.add_business(start, d));
    }

    #[test]
    fn a_longer_span_never_gives_an_earlier_deadline(
        cal in calendar(), start in instant(), d in span(), more in span()
    ) {
        prop_assert!(cal.add_business(start, d + more) >= cal.add_business(start, d));
    }

    #[test]
    fn around_the_clock_is_plain_addition(start in instant(), d in span()) {
        let cal = Calendar::around_the_clock();
        prop_assert_eq!(cal.add_business(start, d), start + d);
        prop_assert_eq!(cal.business_between(start, start + d), d);
    }

    #[test]
    fn the_walk_agrees_with_plain_time_when_always_open(start in instant(), d in span()) {
        // Open all day every day in Berlin, with a holiday long past so the walk is taken.
        let all_week = [
            Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday, Weekday::Thursday,
            Weekday::Friday, Weekday::Saturday, Weekday::Sunday,
        ].map(|w| (w, Interval::all_day()));
        let cal = Calendar::new("Europe/Berlin", all_week, [date(1900, 1, 1)])
            .expect("valid calendar");
        prop_assert!(!cal.is_around_the_clock());
        prop_assert_eq!(cal.add_business(start, d), start + d);
        prop_assert_eq!(cal.business_between(start, start + d), d);
    }

    #[test]
    fn a_pause_credits_only_the_business_time_inside_it(
        cal in calendar(), start in instant(), d in span(), lead in span(), length in span()
    ) {
        let from = start + lead;
        let until = from + length;
        let pause = Pause { from, until: Some(until) };
        let due = deadline_in(&cal, start, d, &[pause]);
        if cal.business_between(start, from) < d {
            let credited = cal.business_between(from, until);
            prop_assert_eq!(due, Some(cal.add_business(start, d + credited)));
        } else {
            prop_assert_eq!(due, Some(cal.add_business(start, d)));
        }
    }

    #[test]
    fn business_deadlines_never_come_before_around_the_clock_ones(
        cal in calendar(), start in instant(), d in span(), lead in span(), length in span()
    ) {
        let pause = Pause { from: start + lead, until: Some(start + lead + length) };
        let plain = deadline(start, d, &[pause]);
        let business = deadline_in(&cal, start, d, &[pause]);
        prop_assert!(business >= plain, "{business:?} < {plain:?}");
    }
}

const WEEK: [Weekday; 7] = [
    Weekday::Monday,
    Weekday::Tuesday,
    Weekday::Wednesday,
    Weekday::Thursday,
    Weekday::Friday,
    Weekday::Saturday,
    Weekday::Sunday,
];

/// Mon–Fri 09:00–17:00 in `zone`, closed on `holidays`.
fn office(zone: &str, holidays: &[Date]) -> Calendar {
    let hours = WEEK[..5]
        .iter()
        .map(|&d| (d, Interval::new(time(9, 0, 0, 0), time(17, 0, 0, 0))));
    Calendar::new(zone, hours, holidays.iter().copied()).expect("valid calendar")
}

/// The first instant of `day` in `zone`.
fn midnight(zone: &str, day: Date) -> Timestamp {
    day.in_tz(zone).expect("valid day").timestamp()
}

/// Open every night until 06:00 and every evening from 22:00 in `zone`: across each DST change,
/// which Berlin and New York make between 01:00 and 03:00.
fn nights(zone: &str) -> Calendar {
    let hours = WEEK.into_iter().flat_map(|d| {
        [
            (d, Interval::new(time(0, 0, 0, 0), time(6, 0, 0, 0))),
            (d, Interval::until_end_of_day(time(22, 0, 0, 0))),
        ]
    });
    Calendar::new(zone, hours, []).expect("valid calendar")
}

/// The oracle for [`nights`]: whether the wall clock in `zone` reads before 06:00 or after 22:00.
fn night_on_the_wall(zone: &TimeZone, t: Timestamp) -> bool {
    let hour = zone.to_datetime(t).hour();
    !(6..22).contains(&hour)
}

const QUARTER: SignedDuration = SignedDuration::from_mins(15);

/// The night time in `[a, b)` on the wall clock, quarter by quarter (offsets change on the hour).
fn night_time_on_the_wall(zone: &TimeZone, a: Timestamp, b: Timestamp) -> SignedDuration {
    let mut total = SignedDuration::ZERO;
    let mut t = a;
    while t < b {
        if night_on_the_wall(zone, t) {
            total += QUARTER;
        }
        t += QUARTER;
    }
    total
}

/// The 2025 and 2026 spring-forward and fall-back days in Berlin and New York.
const DST_DAYS: [(&str, Date); 8] = [
    ("Europe/Berlin", date(2025, 3, 30)),
    ("Europe/Berlin", date(2025, 10, 26)),
    ("Europe/Berlin", date(2026, 3, 29)),
    ("Europe/Berlin", date(2026, 10, 25)),
    ("America/New_York", date(2025, 3, 9)),
    ("America/New_York", date(2025, 11, 2)),
    ("America/New_York", date(2026, 3, 8)),
    ("America/New_York", date(2026, 11, 1)),
];

/// A zone and a quarter-hour instant within three days around one of its DST nights.
fn around_a_dst_night() -> impl Strategy<Value = (&'static str, Timestamp)> {
    (prop::sample::select(&DST_DAYS[..]), 0i64..3 * 96).prop_map(|((zone, day), q)| {
        let noon_before = midnight(zone, day) - SignedDuration::from_hours(12);
        (
            zone,
            noon_before + QUARTER * i32::try_from(q).expect("small"),
        )
    })
}

#[rstest::rstest]
#[case::berlin_spring("Europe/Berlin", date(2026, 3, 29), 5)]
#[case::berlin_autumn("Europe/Berlin", date(2026, 10, 25), 7)]
#[case::new_york_spring("America/New_York", date(2026, 3, 8), 5)]
#[case::new_york_autumn("America/New_York", date(2026, 11, 1), 7)]
fn a_dst_night_is_as_long_as_it_really_is(#[case] zone: &str, #[case] day: Date, #[case] h: i64) {
    let start = midnight(zone, day);
    let noon = day.at(12, 0, 0, 0).in_tz(zone).expect("valid").timestamp();
    let expected = SignedDuration::from_hours(h);
    assert_eq!(nights(zone).business_between(start, noon), expected);
    let tz = TimeZone::get(zone).expect("known zone");
    assert_eq!(night_time_on_the_wall(&tz, start, noon), expected);
}

proptest! {
    #[test]
    fn dst_transitions_business_time_equals_the_real_elapsed_open_time(
        (zone, a) in around_a_dst_night(), quarters in 0i32..3 * 96,
    ) {
        let b = a + QUARTER * quarters;
        let tz = TimeZone::get(zone).expect("known zone");
        prop_assert_eq!(nights(zone).business_between(a, b), night_time_on_the_wall(&tz, a, b));
    }

    #[test]
    fn dst_transitions_add_business_stops_when_the_real_open_time_is_spent(
        (zone, a) in around_a_dst_night(), quarters in 1i32..2 * 96,
    ) {
        let d = QUARTER * quarters;
        let tz = TimeZone::get(zone).expect("known zone");
        let due = nights(zone).add_business(a, d);
        prop_assert_eq!(night_time_on_the_wall(&tz, a, due), d);
        prop_assert!(night_on_the_wall(&tz, due - QUARTER), "the last quarter before {due} is open");
    }

    #[test]
    fn holidays_spanning_weekends_add_no_business_time(
        zone in prop::sample::select(&["Europe/Berlin", "America/New_York"][..]),
        week in 0i64..52,
        lead in 0i64..10 * 24 * 60,
        length in 0i64..10 * 24 * 60,
        d in span(),
    ) {
        // 2026-01-02 is a Friday: the block is that Friday to the following Monday.
        let friday = date(2026, 1, 2).checked_add((7 * week).days()).expect("in range");
        let block: Vec<Date> = (0..4).map(|i| friday.checked_add(i.days()).expect("in range")).collect();
        let (with, without) = (office(zone, &block), office(zone, &[]));
        let (from, until) = (midnight(zone, block[0]), midnight(zone, block[3].tomorrow().expect("in range")));
        prop_assert_eq!(with.business_between(from, until), SignedDuration::ZERO);
        prop_assert_eq!(without.business_between(from, until), SignedDuration::from_hours(16));

        let a = from - SignedDuration::from_hours(72) + SignedDuration::from_mins(lead);
        let b = a + SignedDuration::from_mins(length);
        let in_block = without.business_between(a.clamp(from, until), b.clamp(from, until));
        prop_assert_eq!(with.business_between(a, b), without.business_between(a, b) - in_block);

        let due = with.add_business(a, d);
        if d > SignedDuration::ZERO {
            prop_assert!(!(from..until).contains(&due), "{due} is in the holidays");
        }
        prop_assert!(!(from..until).contains(&with.next_open(a)));
    }

    #[test]
    fn a_pause_crossing_a_closed_period_credits_back_only_its_business_time(
        cal in calendar().prop_filter("closed sometimes", |c| !c.is_around_the_clock()),
        start in instant(),
        d in (1i64..20 * 86_400).prop_map(SignedDuration::from_secs),
        lead in span(),
        extra in span(),
    ) {
        let from = start + lead / 12;
        prop_assume!(cal.business_between(start, from) < d);
        // Paused until after the start of the next working day: over a night or a weekend.
        let until = cal.next_day_opening(from) + extra / 20;
        let credited = cal.business_between(from, until);
        prop_assert!(credited < until.duration_since(from), "the pause crosses closed time");

        let pause = Pause { from, until: Some(until) };
        let without_pause = deadline_in(&cal, start, d, &[]).expect("no open pause");
        let due = deadline_in(&cal, start, d, &[pause]);
        prop_assert_eq!(due, Some(cal.add_business(without_pause, credited)));
        prop_assert_eq!(due, Some(cal.add_business(start, d + credited)));
    }

    #[test]
    fn next_open_is_the_first_open_instant_at_or_after(cal in calendar(), t in instant()) {
        let open = cal.next_open(t);
        let second = SignedDuration::from_secs(1);
        prop_assert!(open >= t);
        prop_assert_eq!(cal.business_between(t, open), SignedDuration::ZERO);
        if open != Timestamp::MAX {
            prop_assert!(cal.business_between(open, open + second) > SignedDuration::ZERO);
        }
        if cal.business_between(t, t + second) > SignedDuration::ZERO {
            prop_assert_eq!(open, t);
        }
    }

    #[test]
    fn next_day_opening_is_the_first_opening_of_a_later_date(cal in calendar(), t in instant()) {
        let opening = cal.next_day_opening(t);
        let zone = cal.zone().clone();
        let today = zone.to_datetime(t).date();
        prop_assert!(opening > t);
        prop_assert!(zone.to_datetime(opening).date() > today);
        prop_assert_eq!(cal.next_open(opening), opening, "open at {}", opening);
        let tomorrow = today.tomorrow().expect("in range").to_zoned(zone).expect("valid day");
        prop_assert_eq!(cal.business_between(tomorrow.timestamp(), opening), SignedDuration::ZERO);
    }
}
