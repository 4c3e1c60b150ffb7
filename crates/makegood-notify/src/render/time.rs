//! Times as the recipient reads them, in their own time zone.

use jiff::Timestamp;
use jiff::tz::TimeZone;

/// The zone named `name`, or UTC when it is unknown (a message is better than none).
fn zone(name: &str) -> TimeZone {
    TimeZone::get(name).unwrap_or(TimeZone::UTC)
}

/// "Tue 24 Nov 2026 14:00 CET" in zone `tz`.
pub fn format_time(t: Timestamp, tz: &str) -> String {
    t.to_zoned(zone(tz))
        .strftime("%a %-d %b %Y %H:%M %Z")
        .to_string()
}

/// "Tue 24 Nov 2026" in zone `tz`.
pub fn format_date(t: Timestamp, tz: &str) -> String {
    t.to_zoned(zone(tz)).strftime("%a %-d %b %Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_shown_in_the_recipients_zone() {
        let t: Timestamp = "2026-11-24T13:00:00Z".parse().unwrap();
        assert_eq!(format_time(t, "Europe/Berlin"), "Tue 24 Nov 2026 14:00 CET");
        assert_eq!(
            format_time(t, "America/New_York"),
            "Tue 24 Nov 2026 08:00 EST"
        );
        assert_eq!(format_date(t, "Pacific/Kiritimati"), "Wed 25 Nov 2026");
    }

    #[test]
    fn an_unknown_zone_falls_back_to_utc() {
        let t: Timestamp = "2026-07-01T09:05:00Z".parse().unwrap();
        assert_eq!(
            format_time(t, "Nowhere/Special"),
            "Wed 1 Jul 2026 09:05 UTC"
        );
    }
}
