//! Calendar arithmetic: any calendar (a zone from a list of awkward IANA names, any weekly
//! hours to the nanosecond, any holidays) and any start instant in jiff's whole range, with
//! spans up to a few years of business time. Nothing panics, and the answers keep the
//! promises `Calendar` documents:
//! - a deadline is never before its start, and measuring the business time from the start to
//!   the deadline gives the span back (unless it saturated at the end of time);
//! - a deadline falls inside working hours: the nanosecond before it is open;
//! - `next_open` is open and nothing is open between it and where the search began;
//! - `next_day_opening` is after `t`, on a later civil date, and open;
//! - business time is additive over adjacent intervals, antisymmetric, and never more than
//!   the elapsed time; a longer span or a later start never gives an earlier deadline.
#![no_main]

use arbitrary::Arbitrary;
use jiff::civil::{Date, Time, Weekday};
use jiff::{SignedDuration, Timestamp};
use libfuzzer_sys::fuzz_target;
use makegood_domain::{Calendar, Interval};

/// Zones with DST, half- and quarter-hour offsets, negative DST, skipped days and big offsets.
const ZONES: &[&str] = &[
    "UTC",
    "Europe/Berlin",
    "America/New_York",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "Asia/Kathmandu",
    "America/Sao_Paulo",
    "Pacific/Apia",
    "Africa/Casablanca",
    "Europe/Dublin",
    "Pacific/Kiritimati",
    "America/St_Johns",
    "Antarctica/Troll",
    "Asia/Tehran",
    "America/Havana",
    "Etc/GMT+12",
    "Not/A_Zone",
];

/// The most business time one span asks for: about three years, so a run stays fast.
const MAX_SPAN_SECONDS: i64 = 3 * 366 * 86_400;

#[derive(Arbitrary, Debug)]
struct Input {
    zone: u8,
    hours: Vec<Hours>,
    holidays: Vec<i16>,
    start: Instant,
    spans: Vec<Span>,
    /// Instants for `next_open`, `next_day_opening` and the additivity checks.
    probes: Vec<Instant>,
}

#[derive(Arbitrary, Debug)]
struct Hours {
    weekday: u8,
    open: TimeOfDay,
    /// `None`: until the end of the day.
    close: Option<TimeOfDay>,
}

#[derive(Arbitrary, Debug)]
struct TimeOfDay {
    minute_of_day: u16,
    /// Mostly whole minutes; sometimes seconds and nanoseconds too.
    fine: Option<(u8, u32)>,
}

#[derive(Arbitrary, Debug)]
enum Instant {
    /// Seconds around 2026 (where people are).
    Near(i32, u32),
    /// Anywhere in jiff's range, the edges included.
    Anywhere(i64, u32),
    NearMax(u32),
    NearMin(u32),
}

#[derive(Arbitrary, Debug)]
enum Span {
    Minutes(u16),
    Seconds(u32),
    Nanos(u64),
}

impl TimeOfDay {
    fn time(&self) -> Time {
        let m = i8::try_from((self.minute_of_day % 1440) % 60).unwrap_or(0);
        let h = i8::try_from((self.minute_of_day % 1440) / 60).unwrap_or(0);
        let (s, ns) = self.fine.map_or((0, 0), |(s, ns)| {
            (
                i8::try_from(s % 60).unwrap_or(0),
                i32::try_from(ns % 1_000_000_000).unwrap_or(0),
            )
        });
        Time::new(h, m, s, ns).unwrap_or(Time::midnight())
    }
}

impl Instant {
    fn timestamp(&self) -> Timestamp {
        let min = Timestamp::MIN.as_second();
        let max = Timestamp::MAX.as_second();
        let range = i128::from(max) - i128::from(min) + 1;
        let (secs, nanos) = match *self {
            Instant::Near(s, n) => (1_767_225_600 + i64::from(s), n),
            Instant::Anywhere(s, n) => {
                let off = (i128::from(s) - i128::from(min)).rem_euclid(range);
                (i64::try_from(i128::from(min) + off).unwrap_or(0), n)
            }
            Instant::NearMax(s) => (max - i64::from(s % 10_000_000), s),
            Instant::NearMin(s) => (min + i64::from(s % 10_000_000), s),
        };
        let nanos = i32::try_from(nanos % 1_000_000_000).unwrap_or(0);
        Timestamp::new(secs, nanos)
            .or_else(|_| Timestamp::new(secs, 0))
            .unwrap_or(Timestamp::UNIX_EPOCH)
    }
}

impl Span {
    fn duration(&self) -> SignedDuration {
        let d = match *self {
            Span::Minutes(m) => SignedDuration::from_mins(i64::from(m)),
            Span::Seconds(s) => SignedDuration::from_secs(i64::from(s)),
            Span::Nanos(n) => {
                SignedDuration::from_nanos(i64::try_from(n % (1 << 62)).unwrap_or(0))
            }
        };
        if d > SignedDuration::from_secs(MAX_SPAN_SECONDS) {
            SignedDuration::from_secs(MAX_SPAN_SECONDS)
        } else {
            d
        }
    }
}

const NS: SignedDuration = SignedDuration::from_nanos(1);

/// Whether `cal` is open at `t` (the nanosecond from `t` is business time).
fn open_at(cal: &Calendar, t: Timestamp) -> bool {
    t.checked_add(NS)
        .is_ok_and(|after| cal.business_between(t, after) == NS)
}

fuzz_target!(|input: Input| {
    let zone = ZONES[usize::from(input.zone) % ZONES.len()];
    let hours = input.hours.iter().take(24).map(|h| {
        let weekday = Weekday::from_monday_zero_offset(i8::try_from(h.weekday % 7).unwrap_or(0))
            .unwrap_or(Weekday::Monday);
        let open = h.open.time();
        let interval = match &h.close {
            Some(close) => Interval::new(open, close.time()),
            None => Interval::until_end_of_day(open),
        };
        (weekday, interval)
    });
    let base = Date::constant(2026, 1, 1);
    let holidays: Vec<Date> = input
        .holidays
        .iter()
        .take(64)
        .filter_map(|d| base.checked_add(jiff::Span::new().days(i64::from(*d))).ok())
        .collect();
    let Ok(cal) = Calendar::new(zone, hours, holidays) else {
        return;
    };
    let start = input.start.timestamp();

    let mut previous: Option<(SignedDuration, Timestamp)> = None;
    for span in input.spans.iter().take(8) {
        let d = span.duration();
        let due = cal.checked_add_business(start, d);
        assert_eq!(
            cal.add_business(start, d),
            due.unwrap_or(Timestamp::MAX),
            "add_business saturates where checked_add_business gives up"
        );
        if let Some(due) = due {
            assert!(due >= start, "deadline {due} before its start {start} ({d:?})");
            assert_eq!(
                cal.business_between(start, due),
                d,
                "business time from {start} to its deadline {due} is not the span"
            );
            assert_eq!(cal.business_between(due, start), -d, "between is antisymmetric");
            if d > SignedDuration::ZERO {
                let before = due.checked_sub(NS).unwrap_or(due);
                assert!(open_at(&cal, before), "deadline {due} is not in working hours");
            }
            assert!(
                cal.business_between(start, due) <= due.duration_since(start),
                "more business time than elapsed time"
            );
        }
        let due = due.unwrap_or(Timestamp::MAX);
        if let Some((d0, due0)) = previous {
            if d0 <= d {
                assert!(due0 <= due, "a longer span gave an earlier deadline");
            } else {
                assert!(due <= due0, "a longer span gave an earlier deadline");
            }
        }
        previous = Some((d, due));
    }

    for probe in input.probes.iter().take(4) {
        let t = probe.timestamp();
        let next = cal.next_open(t);
        assert!(next >= t, "next_open {next} before {t}");
        if next < Timestamp::MAX {
            assert!(open_at(&cal, next), "next_open {next} is not open");
            assert_eq!(
                cal.business_between(t, next),
                SignedDuration::ZERO,
                "something was open between {t} and next_open {next}"
            );
        }
        let day = cal.next_day_opening(t);
        assert!(day > t || t == Timestamp::MAX, "next_day_opening {day} not after {t}");
        if day < Timestamp::MAX {
            assert!(open_at(&cal, day), "next_day_opening {day} is not open");
            let zone = cal.zone();
            assert!(
                zone.to_datetime(day).date() > zone.to_datetime(t).date(),
                "next_day_opening {day} is on the date of {t}"
            );
        }

        let (a, b) = if start <= t { (start, t) } else { (t, start) };
        // Additivity over a midpoint, on a bounded stretch so the walk stays short.
        if b.duration_since(a) <= SignedDuration::from_secs(MAX_SPAN_SECONDS) {
            let mid = a
                .checked_add(b.duration_since(a) / 2)
                .unwrap_or(a);
            let whole = cal.business_between(a, b);
            assert_eq!(
                whole,
                cal.business_between(a, mid) + cal.business_between(mid, b),
                "business time is not additive over {a}..{mid}..{b}"
            );
            assert!(whole <= b.duration_since(a), "more business time than elapsed");
            assert!(whole >= SignedDuration::ZERO, "negative business time forward");
        }
        // A later start never gives an earlier deadline.
        if let Some(span) = input.spans.first() {
            let d = span.duration();
            assert!(
                cal.add_business(b, d) >= cal.add_business(a, d),
                "a later start gave an earlier deadline"
            );
        }
    }
});
