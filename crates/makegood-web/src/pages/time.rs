//! Times as pages show them: relative where it helps ("in 3h", "2d ago"), absolute in the
//! member's time zone on hover, and machine-readable for the countdown script.

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Span, SpanRound, Timestamp, Unit};

/// A moment, ready for `<time datetime="{{ iso }}" title="{{ absolute }}">{{ relative }}</time>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct When {
    /// RFC 3339, for the `datetime` attribute and the countdown script.
    pub iso: String,
    /// In the member's zone, e.g. `Sun 22 Nov 2026 14:30 CET`.
    pub absolute: String,
    /// From `now`: `in 3h 5m`, `2d 4h ago`, `now`.
    pub relative: String,
    /// Whether it has passed.
    pub past: bool,
}

impl When {
    pub fn new(at: Timestamp, zone: &TimeZone, now: Timestamp) -> Self {
        let d = at.duration_since(now);
        let relative = if d.abs() < SignedDuration::from_mins(1) {
            "now".to_owned()
        } else if d.is_negative() {
            format!("{} ago", friendly(d.abs()))
        } else {
            format!("in {}", friendly(d))
        };
        Self {
            iso: at.to_string(),
            absolute: at
                .to_zoned(zone.clone())
                .strftime("%a %-d %b %Y %H:%M %Z")
                .to_string(),
            relative,
            past: d.is_negative(),
        }
    }

    /// A deadline: `40m left` or `1h 20m overdue`.
    pub fn left(&self) -> String {
        match (
            self.relative.strip_prefix("in "),
            self.relative.strip_suffix(" ago"),
        ) {
            (Some(left), _) => format!("{left} left"),
            (_, Some(over)) => format!("{over} overdue"),
            _ => "due now".to_owned(),
        }
    }
}

/// `3d 4h 5m`: days of 24 hours down to whole minutes; at most two units past a day.
pub fn friendly(d: SignedDuration) -> String {
    let minutes = SignedDuration::from_mins(d.as_mins());
    let smallest = if minutes >= SignedDuration::from_hours(24) {
        Unit::Hour
    } else {
        Unit::Minute
    };
    let rounding = SpanRound::new()
        .largest(Unit::Day)
        .smallest(smallest)
        .days_are_24_hours();
    Span::try_from(minutes)
        .and_then(|span| span.round(rounding))
        .map_or_else(|_| format!("{minutes:#}"), |span| format!("{span:#}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn durations_read_in_days_hours_and_minutes() {
        assert_eq!(friendly(SignedDuration::from_mins(40)), "40m");
        assert_eq!(friendly(SignedDuration::from_mins(125)), "2h 5m");
        // Past a day, minutes are noise: rounded to the hour.
        assert_eq!(friendly(SignedDuration::from_mins(12 * 24 * 60 - 1)), "12d");
        assert_eq!(friendly(SignedDuration::from_mins(26 * 60 + 40)), "1d 3h");
        assert_eq!(friendly(SignedDuration::ZERO), "0s");
    }

    #[test]
    fn a_moment_reads_relative_and_absolute_in_the_members_zone() {
        let now = at("2026-11-22T12:00:00Z");
        let berlin = TimeZone::get("Europe/Berlin").unwrap();
        let soon = When::new(at("2026-11-22T12:40:00Z"), &berlin, now);
        assert_eq!(soon.relative, "in 40m");
        assert_eq!(soon.left(), "40m left");
        assert_eq!(soon.absolute, "Sun 22 Nov 2026 13:40 CET");
        assert!(!soon.past);
        let late = When::new(at("2026-11-20T10:00:00Z"), &berlin, now);
        assert_eq!(late.relative, "2d 2h ago");
        assert_eq!(late.left(), "2d 2h overdue");
        assert!(late.past);
        assert_eq!(When::new(now, &berlin, now).left(), "due now");
    }
}
