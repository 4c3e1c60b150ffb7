//! Walking a calendar's open periods on the timeline: the one place civil hours become instants.
//!
//! `add` and `between` share the same period iterator, so they agree by construction.

use jiff::civil::{Date, DateTime, Time};
use jiff::{SignedDuration, Timestamp};

use super::{Calendar, Interval};

/// The open periods `[start, end)` of `calendar` that end after `from`, in order, clipped so they
/// never overlap. Ends (as `None`) when jiff's date range runs out.
struct Periods<'a> {
    calendar: &'a Calendar,
    date: Option<Date>,
    /// The intervals of `date` not yet yielded.
    pending: std::slice::Iter<'a, Interval>,
    /// The end of the last period yielded: nothing before it is yielded again.
    floor: Timestamp,
}

impl<'a> Periods<'a> {
    fn from(calendar: &'a Calendar, from: Timestamp) -> Self {
        // Periods of earlier civil days end by this day's start, so at or before `from`.
        let date = calendar.zone.to_datetime(from).date();
        Self {
            calendar,
            date: Some(date),
            pending: calendar.intervals_on(date).iter(),
            floor: from,
        }
    }

    fn period(&self, date: Date, interval: &Interval) -> Option<(Timestamp, Timestamp)> {
        let start = instant(self.calendar, date.to_datetime(interval.open))?;
        let end = match interval.close {
            Some(close) => instant(self.calendar, date.to_datetime(close))?,
            None => start_of_day(self.calendar, date.tomorrow().ok()?)?,
        };
        Some((start, end))
    }
}

/// The instant of the civil `dt` in the calendar's zone; `None` past the end of jiff's range.
///
/// A time before the range's start (the first hours of its first civil day, in a zone behind
/// UTC) is `Timestamp::MIN`: the walk clips it to where it started, instead of ending there as
/// if nothing ever opened again (found by fuzzing).
fn instant(calendar: &Calendar, dt: DateTime) -> Option<Timestamp> {
    // Compatible: a gap moves forward, a fold takes the earlier instant (see module docs).
    match calendar.zone.to_ambiguous_timestamp(dt).compatible() {
        Ok(t) => Some(t),
        Err(_) if dt.year() < 0 => Some(Timestamp::MIN),
        Err(_) => None,
    }
}

/// The instant `date` begins (its midnight) in the calendar's zone.
fn start_of_day(calendar: &Calendar, date: Date) -> Option<Timestamp> {
    instant(calendar, date.to_datetime(Time::midnight()))
}

impl Iterator for Periods<'_> {
    type Item = (Timestamp, Timestamp);

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let date = self.date?;
            let Some(interval) = self.pending.next() else {
                let next = date.tomorrow().ok();
                self.date = next;
                self.pending = next.map_or([].iter(), |d| self.calendar.intervals_on(d).iter());
                continue;
            };
            let Some((start, end)) = self.period(date, interval) else {
                self.date = None;
                return None;
            };
            let start = start.max(self.floor);
            if end <= start {
                continue;
            }
            self.floor = end;
            return Some((start, end));
        }
    }
}

/// `start` plus `span > 0` of business time; `None` beyond jiff's range.
pub(super) fn add(
    calendar: &Calendar,
    start: Timestamp,
    span: SignedDuration,
) -> Option<Timestamp> {
    let mut left = span;
    for (open, close) in Periods::from(calendar, start) {
        let available = close.duration_since(open);
        if left <= available {
            return open.checked_add(left).ok();
        }
        left -= available;
    }
    None
}

/// Business time in `[a, b)`, `a <= b`.
pub(super) fn between(calendar: &Calendar, a: Timestamp, b: Timestamp) -> SignedDuration {
    let mut total = SignedDuration::ZERO;
    for (open, close) in Periods::from(calendar, a) {
        if open >= b {
            break;
        }
        total += close.min(b).duration_since(open);
    }
    total
}

/// The first instant at or after `from` inside an open period; `None` beyond jiff's range.
pub(super) fn next_open(calendar: &Calendar, from: Timestamp) -> Option<Timestamp> {
    Periods::from(calendar, from).next().map(|(open, _)| open)
}

/// The first opening on a civil date after the date of `t`; `None` beyond jiff's range.
pub(super) fn next_day_opening(calendar: &Calendar, t: Timestamp) -> Option<Timestamp> {
    let tomorrow = calendar.zone.to_datetime(t).date().tomorrow().ok()?;
    // Walking from tomorrow's midnight never yields a period of an earlier date: those end by it.
    next_open(calendar, start_of_day(calendar, tomorrow)?)
}
