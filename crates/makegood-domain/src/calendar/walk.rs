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

    fn instant(&self, dt: DateTime) -> Option<Timestamp> {
        // Compatible: a gap moves forward, a fold takes the earlier instant (see module docs).
        self.calendar
            .zone
            .to_ambiguous_timestamp(dt)
            .compatible()
            .ok()
    }

    fn period(&self, date: Date, interval: &Interval) -> Option<(Timestamp, Timestamp)> {
        let start = self.instant(date.to_datetime(interval.open))?;
        let end = match interval.close {
            Some(close) => self.instant(date.to_datetime(close))?,
            None => self.instant(date.tomorrow().ok()?.to_datetime(Time::midnight()))?,
        };
        Some((start, end))
    }
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
