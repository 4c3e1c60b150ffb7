//! Property tests of calendars: add and between agree, deadlines are monotonic, pauses credit business time.

use jiff::civil::{Weekday, date, time};
use jiff::{SignedDuration, Timestamp};
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
