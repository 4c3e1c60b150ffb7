//! Business calendars: a time zone, weekly opening hours and holidays, so clocks count business time.
//!
//! A calendar turns civil opening hours ("Mon–Fri 09:00–17:00 in Europe/Berlin, closed on
//! 2026-12-25") into a sequence of open periods on the timeline. Business time is the real,
//! elapsed time inside those periods: a 09:00–17:00 day is 8 hours whatever the offset, and an
//! interval that a DST gap cuts short is that much shorter.
//!
//! Local times that do not exist (in a spring-forward gap) or exist twice (in a fall-back fold)
//! are resolved with jiff's *compatible* disambiguation, as RFC 5545 does: a time in a gap moves
//! forward by the gap's length, a time in a fold takes its first (earlier) occurrence. Should that
//! make an interval end before it starts, it is empty on that day.

use std::collections::BTreeSet;

use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

mod spec;
mod walk;

pub use spec::{CalendarSpec, OpenHours, WeeklyHours};

/// Why a calendar could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// The zone is not in the IANA time zone database.
    #[error("unknown time zone {0:?}")]
    UnknownZone(String),
    /// An interval closes at or before it opens.
    #[error("empty opening interval on {weekday:?}: {interval}")]
    EmptyInterval { weekday: Weekday, interval: String },
    /// Two intervals of the same weekday overlap.
    #[error("overlapping opening intervals on {weekday:?}: {first} and {second}")]
    Overlap {
        weekday: Weekday,
        first: String,
        second: String,
    },
    /// A time that is not `HH:MM` (or `24:00` as a closing time).
    #[error("{value:?} on {weekday:?} is not a time of day as HH:MM")]
    BadTime { weekday: Weekday, value: String },
    /// No weekday has any opening hours, so no deadline could ever be reached.
    #[error("the calendar is never open")]
    NeverOpen,
}

/// One opening interval of a day, `[open, close)` in civil (wall clock) time.
///
/// `close` of `None` means "until the end of the day" (24:00), which `jiff::civil::Time` cannot
/// express.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Interval {
    open: Time,
    close: Option<Time>,
}

impl Interval {
    /// Open from `open` until `close` the same day.
    pub fn new(open: Time, close: Time) -> Self {
        Self {
            open,
            close: Some(close),
        }
    }

    /// Open from `open` until the end of the day (24:00).
    pub fn until_end_of_day(open: Time) -> Self {
        Self { open, close: None }
    }

    /// The whole day.
    pub fn all_day() -> Self {
        Self::until_end_of_day(Time::midnight())
    }

    /// When it opens.
    pub fn open(&self) -> Time {
        self.open
    }

    /// When it closes; `None` for the end of the day.
    pub fn close(&self) -> Option<Time> {
        self.close
    }

    fn is_empty(&self) -> bool {
        self.close.is_some_and(|c| c <= self.open)
    }

    /// `self` ends after `later` begins (with `self.open <= later.open`).
    fn overlaps_later(&self, later: &Interval) -> bool {
        self.close.is_none_or(|c| c > later.open)
    }
}

impl std::fmt::Display for Interval {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.close {
            Some(close) => write!(f, "[{}, {})", self.open, close),
            None => write!(f, "[{}, 24:00)", self.open),
        }
    }
}

/// When a team is at work: a time zone, opening hours per weekday and holidays.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Calendar {
    zone: TimeZone,
    /// Sorted, non-overlapping, non-empty intervals, indexed by `Weekday::to_monday_zero_offset`.
    week: [Vec<Interval>; 7],
    holidays: BTreeSet<Date>,
    /// Open every instant: business time is plain elapsed time.
    always_open: bool,
}

impl Calendar {
    /// Open all day, every day, in UTC: business time is elapsed time.
    pub fn around_the_clock() -> Self {
        Self {
            zone: TimeZone::UTC,
            week: std::array::from_fn(|_| vec![Interval::all_day()]),
            holidays: BTreeSet::new(),
            always_open: true,
        }
    }

    /// A calendar in the IANA zone `zone`, open during `hours` (each a weekday and one interval
    /// of it; a weekday may have several) except on `holidays`.
    ///
    /// Fails on an unknown zone, an empty interval, overlapping intervals of one weekday, or
    /// no opening hours at all.
    pub fn new(
        zone: &str,
        hours: impl IntoIterator<Item = (Weekday, Interval)>,
        holidays: impl IntoIterator<Item = Date>,
    ) -> Result<Self, CalendarError> {
        let zone = TimeZone::get(zone).map_err(|_| CalendarError::UnknownZone(zone.to_owned()))?;
        let mut week: [Vec<Interval>; 7] = Default::default();
        for (weekday, interval) in hours {
            if interval.is_empty() {
                return Err(CalendarError::EmptyInterval {
                    weekday,
                    interval: interval.to_string(),
                });
            }
            week[day_index(weekday)].push(interval);
        }
        for (i, day) in week.iter_mut().enumerate() {
            day.sort();
            if let Some(pair) = day.windows(2).find(|w| w[0].overlaps_later(&w[1])) {
                return Err(CalendarError::Overlap {
                    weekday: Weekday::Monday.wrapping_add(i64::try_from(i).unwrap_or(0)),
                    first: pair[0].to_string(),
                    second: pair[1].to_string(),
                });
            }
        }
        if week.iter().all(Vec::is_empty) {
            return Err(CalendarError::NeverOpen);
        }
        let holidays: BTreeSet<Date> = holidays.into_iter().collect();
        let always_open =
            holidays.is_empty() && week.iter().all(|d| d.as_slice() == [Interval::all_day()]);
        Ok(Self {
            zone,
            week,
            holidays,
            always_open,
        })
    }

    /// The time zone the opening hours are read in.
    pub fn zone(&self) -> &TimeZone {
        &self.zone
    }

    /// The opening intervals of `weekday`, in order.
    pub fn hours(&self, weekday: Weekday) -> &[Interval] {
        &self.week[day_index(weekday)]
    }

    /// The days the calendar is closed whatever the weekday.
    pub fn holidays(&self) -> impl Iterator<Item = Date> + '_ {
        self.holidays.iter().copied()
    }

    /// Whether this calendar is open at every instant (business time is elapsed time).
    pub fn is_around_the_clock(&self) -> bool {
        self.always_open
    }

    /// The instant at which `span` of business time has elapsed from `start`.
    ///
    /// A zero (or negative) span gives `start` itself, even when closed. Otherwise the answer
    /// is always inside or at the close of an open period: a span that ends exactly at a
    /// closing time gives that closing time, not the next opening. Saturates at
    /// `Timestamp::MAX` beyond jiff's range.
    pub fn add_business(&self, start: Timestamp, span: SignedDuration) -> Timestamp {
        self.checked_add_business(start, span)
            .unwrap_or(Timestamp::MAX)
    }

    /// Like [`Calendar::add_business`], `None` beyond jiff's range.
    pub fn checked_add_business(
        &self,
        start: Timestamp,
        span: SignedDuration,
    ) -> Option<Timestamp> {
        if span <= SignedDuration::ZERO {
            return Some(start);
        }
        if self.always_open {
            return start.checked_add(span).ok();
        }
        walk::add(self, start, span)
    }

    /// The business time in `[a, b)`; negative (the time in `[b, a)`) when `b` is before `a`.
    pub fn business_between(&self, a: Timestamp, b: Timestamp) -> SignedDuration {
        if b < a {
            return -self.business_between(b, a);
        }
        if self.always_open {
            return b.duration_since(a);
        }
        walk::between(self, a, b)
    }

    /// `t` itself if the calendar is open at `t`, else the start of the next open period.
    ///
    /// A closing instant is not open: at 17:00 of a 09:00–17:00 day the answer is the next
    /// opening. Saturates at `Timestamp::MAX` when nothing opens within jiff's range.
    pub fn next_open(&self, t: Timestamp) -> Timestamp {
        if self.always_open {
            return t;
        }
        walk::next_open(self, t).unwrap_or(Timestamp::MAX)
    }

    /// The start of the next working day: the first opening instant on a civil date (in the
    /// calendar's zone) after the date of `t`, skipping closed days and holidays.
    ///
    /// Always after `t`, even when `t` is before the day's own opening. Around the clock it is
    /// the next midnight. Saturates at `Timestamp::MAX` beyond jiff's range.
    pub fn next_day_opening(&self, t: Timestamp) -> Timestamp {
        walk::next_day_opening(self, t).unwrap_or(Timestamp::MAX)
    }

    fn intervals_on(&self, date: Date) -> &[Interval] {
        if self.holidays.contains(&date) {
            &[]
        } else {
            self.hours(date.weekday())
        }
    }
}

fn day_index(weekday: Weekday) -> usize {
    usize::try_from(weekday.to_monday_zero_offset()).unwrap_or(0)
}

#[cfg(test)]
mod fixtures;
#[cfg(test)]
mod next_tests;
#[cfg(test)]
mod props;
#[cfg(test)]
mod spec_tests;
#[cfg(test)]
mod tests;
