//! Money: integer minor units with an ISO 4217 currency. Never floats.

use std::fmt;

use serde::{Deserialize, Serialize};

/// An ISO 4217 currency code: three upper-case ASCII letters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency([u8; 3]);

/// A currency code that is not three upper-case letters.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("a currency is a three-letter ISO 4217 code such as EUR or USD")]
pub struct CurrencyError;

impl Currency {
    /// Parses `EUR`, `USD`, …
    pub fn new(code: &str) -> Result<Self, CurrencyError> {
        match code.as_bytes() {
            &[a, b, c] if [a, b, c].iter().all(u8::is_ascii_uppercase) => Ok(Self([a, b, c])),
            _ => Err(CurrencyError),
        }
    }

    /// The three-letter code.
    pub fn code(&self) -> &str {
        // The bytes are ASCII upper-case letters by construction.
        std::str::from_utf8(&self.0).unwrap_or("XXX")
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Currency::new(&s).map_err(serde::de::Error::custom)
    }
}

/// An amount of money in minor units (cents) of a currency.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Money {
    /// Minor units (e.g. cents); `100000` is 1,000.00.
    pub minor: i64,
    /// ISO 4217 code.
    #[schema(value_type = String, example = "EUR", pattern = "^[A-Z]{3}$")]
    pub currency: Currency,
}

impl Money {
    /// `minor` units of `currency`.
    pub fn new(minor: i64, currency: Currency) -> Self {
        Self { minor, currency }
    }

    /// Whether `self` is covered by an authority of `limit`: same currency and not more.
    pub fn within(&self, limit: &Money) -> bool {
        self.currency == limit.currency && self.minor <= limit.minor
    }

    /// `self - other`, or `None` for another currency or an overflow.
    pub fn checked_sub(&self, other: &Money) -> Option<Money> {
        (self.currency == other.currency)
            .then(|| self.minor.checked_sub(other.minor))
            .flatten()
            .map(|minor| Money::new(minor, self.currency))
    }
}

/// Why a typed amount could not be read as money.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AmountError {
    #[error("give an amount, like 250 or 1,000.50")]
    Empty,
    #[error("an amount cannot be negative")]
    Negative,
    #[error(
        "“{0}” is not an amount; write it like 250, 2000 or 2,000.50 (a point before the cents)"
    )]
    NotAnAmount(String),
    #[error("“{0}” has more than two decimals; give the cents at most, like 12.34")]
    TooPrecise(String),
    #[error("“{0}” is too large an amount")]
    TooLarge(String),
}

impl Money {
    /// Reads an amount typed by a person — `2000`, `2000.5`, `2,000.00` — as minor units of
    /// `currency` (two decimals). Commas only group thousands (`2,50` is refused, not read
    /// as 250); a sign, more than two decimals or anything else is refused with a reason.
    pub fn parse_amount(text: &str, currency: Currency) -> Result<Money, AmountError> {
        let t = text.trim();
        if t.is_empty() {
            return Err(AmountError::Empty);
        }
        if t.starts_with('-') {
            return Err(AmountError::Negative);
        }
        let bad = || AmountError::NotAnAmount(t.to_owned());
        let (whole, cents) = match t.split_once('.') {
            Some((w, c)) => (w, Some(c)),
            None => (t, None),
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let whole: String = if whole.contains(',') {
            let mut groups = whole.split(',');
            let first = groups.next().unwrap_or_default();
            let grouped =
                digits(first) && first.len() <= 3 && groups.all(|g| g.len() == 3 && digits(g));
            if !grouped {
                return Err(bad());
            }
            whole.replace(',', "")
        } else if whole.is_empty() && cents.is_some() {
            "0".to_owned()
        } else if digits(whole) {
            whole.to_owned()
        } else {
            return Err(bad());
        };
        let cents = match cents {
            None => 0,
            Some(c) if !digits(c) => return Err(bad()),
            Some(c) if c.len() > 2 => return Err(AmountError::TooPrecise(t.to_owned())),
            Some(c) => c.parse::<i64>().map_err(|_| bad())? * if c.len() == 1 { 10 } else { 1 },
        };
        let minor = whole
            .parse::<i64>()
            .ok()
            .and_then(|w| w.checked_mul(100))
            .and_then(|w| w.checked_add(cents))
            .ok_or_else(|| AmountError::TooLarge(t.to_owned()))?;
        Ok(Money::new(minor, currency))
    }

    /// The amount with thousands grouped and two decimals, without the currency: `2,000.00`.
    pub fn amount(&self) -> String {
        let abs = self.minor.unsigned_abs();
        let whole = (abs / 100).to_string();
        let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        let sign = if self.minor < 0 { "-" } else { "" };
        format!("{sign}{grouped}.{:02}", abs % 100)
    }

    /// The currency, then the grouped amount, as people read it: `EUR 2,000.00`.
    pub fn label(&self) -> String {
        format!("{} {}", self.currency, self.amount())
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.minor < 0 { "-" } else { "" };
        let abs = self.minor.unsigned_abs();
        write!(f, "{sign}{}.{:02} {}", abs / 100, abs % 100, self.currency)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn eur(minor: i64) -> Money {
        Money::new(minor, Currency::new("EUR").unwrap())
    }

    #[test]
    fn currency_codes_are_three_upper_case_letters() {
        assert!(Currency::new("EUR").is_ok());
        for bad in ["eur", "EU", "EURO", "E1R", ""] {
            assert_eq!(Currency::new(bad), Err(CurrencyError), "{bad}");
        }
    }

    #[test]
    fn authority_covers_only_its_own_currency() {
        let usd = Money::new(100, Currency::new("USD").unwrap());
        assert!(eur(100).within(&eur(100)));
        assert!(!eur(101).within(&eur(100)));
        assert!(!usd.within(&eur(1_000)));
    }

    #[test]
    fn displays_major_and_minor_units() {
        assert_eq!(eur(200_000).to_string(), "2000.00 EUR");
        assert_eq!(eur(-5).to_string(), "-0.05 EUR");
    }

    #[test]
    fn typed_amounts_are_read_as_minor_units() {
        let cur = Currency::new("EUR").unwrap();
        let read = |t: &str| Money::parse_amount(t, cur).map(|m| m.minor);
        for (typed, minor) in [
            ("2000", 200_000),
            ("2,000.00", 200_000),
            (" 2000.5 ", 200_050),
            ("1,234,567.89", 123_456_789),
            (".5", 50),
            ("0", 0),
        ] {
            assert_eq!(read(typed), Ok(minor), "{typed}");
        }
        assert_eq!(read(""), Err(AmountError::Empty));
        assert_eq!(read("-5"), Err(AmountError::Negative));
        assert_eq!(
            read("12.345"),
            Err(AmountError::TooPrecise("12.345".into()))
        );
        for bad in [
            "2,50", "20,00.00", "1,2345", "abc", "1.2.3", "1e3", "+5", "1.", ",100",
        ] {
            assert!(
                matches!(read(bad), Err(AmountError::NotAnAmount(_))),
                "{bad}"
            );
        }
        assert!(matches!(
            read("99999999999999999999"),
            Err(AmountError::TooLarge(_))
        ));
    }

    #[test]
    fn amounts_show_grouped_with_the_currency_first() {
        assert_eq!(eur(200_000).label(), "EUR 2,000.00");
        assert_eq!(eur(2_000).label(), "EUR 20.00");
        assert_eq!(eur(123_456_789).amount(), "1,234,567.89");
        assert_eq!(eur(-5).amount(), "-0.05");
        assert_eq!(eur(99_999).amount(), "999.99");
    }

    proptest! {
        #[test]
        fn shown_amounts_read_back(minor in 0i64..1_000_000_000_000) {
            let m = eur(minor);
            prop_assert_eq!(Money::parse_amount(&m.amount(), m.currency), Ok(m));
        }

        #[test]
        fn subtracting_then_checking_authority_is_consistent(cost in 0i64..1_000_000, share in 0i64..1_000_000, limit in 0i64..1_000_000) {
            let net = eur(cost).checked_sub(&eur(share)).unwrap();
            prop_assert_eq!(net.minor, cost - share);
            prop_assert_eq!(net.within(&eur(limit)), cost - share <= limit);
        }

        #[test]
        fn money_round_trips_through_json(minor in any::<i64>()) {
            let m = eur(minor);
            let json = serde_json::to_string(&m).unwrap();
            prop_assert_eq!(serde_json::from_str::<Money>(&json).unwrap(), m);
        }
    }
}
