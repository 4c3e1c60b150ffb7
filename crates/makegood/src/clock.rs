//! The one place that reads the system clock; everything else takes `now` as a parameter.

use jiff::Timestamp;

/// The current time, truncated to whole microseconds (what the database keeps).
#[expect(clippy::disallowed_methods, reason = "this is the system clock")]
pub fn now() -> Timestamp {
    let now = Timestamp::now();
    Timestamp::from_microsecond(now.as_microsecond()).unwrap_or(now)
}
