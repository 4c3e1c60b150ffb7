//! Reading and showing the values settings forms hold: durations, money, time zones.

use jiff::{Span, SpanRound, SpanTotal, Unit};
use makegood_domain::{Currency, Money};
use makegood_store::StoreError;

/// A duration typed as `1h 30m`, `2d`, `90m` or plain minutes (`90`), in whole minutes.
pub fn parse_minutes(input: &str) -> Result<i64, String> {
    let input = input.trim();
    if input.is_empty() {
        return Err("is required, e.g. 1h 30m".into());
    }
    if let Ok(minutes) = input.parse::<i64>() {
        return Ok(minutes);
    }
    let span: Span = input
        .parse()
        .map_err(|_| "is not a duration like 45m, 1h 30m or 2d".to_owned())?;
    let total = span
        .total(SpanTotal::from(Unit::Minute).days_are_24_hours())
        .map_err(|_| "is not a duration like 45m, 1h 30m or 2d".to_owned())?;
    if total.fract() != 0.0 {
        return Err("must be whole minutes".into());
    }
    // A whole number of minutes (checked above); jiff keeps spans far inside i64.
    Ok(total as i64)
}

/// Minutes as `1d 2h 5m` (days of 24 hours), exact.
pub fn show_minutes(minutes: i64) -> String {
    Span::new()
        .try_minutes(minutes)
        .and_then(|s| {
            s.round(
                SpanRound::new()
                    .largest(Unit::Day)
                    .smallest(Unit::Minute)
                    .days_are_24_hours(),
            )
        })
        .map_or_else(|_| format!("{minutes}m"), |s| format!("{s:#}"))
}

/// An amount typed as `1000`, `1000.5` or `1,000.50` in `currency`, in minor units.
pub fn parse_money(amount: &str, currency: &str) -> Result<Money, (&'static str, String)> {
    let currency = Currency::new(currency.trim().to_ascii_uppercase().as_str())
        .map_err(|e| ("currency", e.to_string()))?;
    let bad = || {
        (
            "remedy_authority",
            "is not an amount like 250 or 1000.50".to_owned(),
        )
    };
    let cleaned: String = amount.trim().chars().filter(|c| *c != ',').collect();
    let (whole, cents) = match cleaned.split_once('.') {
        Some((w, c)) if !c.is_empty() && c.len() <= 2 => (w, format!("{c:0<2}")),
        Some(_) => return Err(bad()),
        None => (cleaned.as_str(), "00".to_owned()),
    };
    let whole = if whole.is_empty() { "0" } else { whole };
    if !whole.chars().all(|c| c.is_ascii_digit()) || !cents.chars().all(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    let minor = whole
        .parse::<i64>()
        .ok()
        .and_then(|w| w.checked_mul(100))
        .and_then(|w| cents.parse::<i64>().ok().and_then(|c| w.checked_add(c)))
        .ok_or_else(bad)?;
    Ok(Money::new(minor, currency))
}

/// An amount as typed back into the form: `1000.50`.
pub fn show_amount(money: &Money) -> String {
    format!("{}.{:02}", money.minor / 100, (money.minor % 100).abs())
}

/// Common IANA zones for a `<datalist>`; any other valid zone may be typed.
pub fn time_zone_options() -> Vec<&'static str> {
    vec![
        "UTC",
        "Europe/London",
        "Europe/Dublin",
        "Europe/Lisbon",
        "Europe/Berlin",
        "Europe/Paris",
        "Europe/Madrid",
        "Europe/Amsterdam",
        "Europe/Vienna",
        "Europe/Zurich",
        "Europe/Stockholm",
        "Europe/Warsaw",
        "Europe/Athens",
        "Europe/Helsinki",
        "America/New_York",
        "America/Chicago",
        "America/Denver",
        "America/Los_Angeles",
        "America/Toronto",
        "America/Sao_Paulo",
        "Asia/Tokyo",
        "Asia/Singapore",
        "Asia/Kolkata",
        "Asia/Dubai",
        "Australia/Sydney",
        "Pacific/Auckland",
    ]
}

/// The field and message of a store refusal that belongs beside a field, if it is one.
pub fn store_error_field(e: &StoreError) -> Option<(String, String)> {
    match e {
        StoreError::Invalid { field, message } => Some((field.clone(), message.clone())),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_friendly_or_as_minutes() {
        assert_eq!(parse_minutes("90"), Ok(90));
        assert_eq!(parse_minutes("1h 30m"), Ok(90));
        assert_eq!(parse_minutes("2d"), Ok(2880));
        assert_eq!(parse_minutes("1 day 1 minute"), Ok(1441));
        assert!(parse_minutes("soon").is_err());
        assert!(parse_minutes("").is_err());
        assert!(parse_minutes("30s").is_err());
        assert_eq!(show_minutes(1441), "1d 1m");
        assert_eq!(show_minutes(90), "1h 30m");
        assert_eq!(parse_minutes(&show_minutes(14_400)), Ok(14_400));
    }

    #[test]
    fn amounts_read_in_major_units() {
        let eur = |m| Money::new(m, Currency::new("EUR").unwrap());
        assert_eq!(parse_money("1,000.5", "eur"), Ok(eur(100_050)));
        assert_eq!(parse_money("250", "EUR"), Ok(eur(25_000)));
        assert!(parse_money("-5", "EUR").is_err());
        assert!(parse_money("1.234", "EUR").is_err());
        assert_eq!(parse_money("1", "EURO").unwrap_err().0, "currency");
        assert_eq!(show_amount(&eur(100_050)), "1000.50");
    }
}
