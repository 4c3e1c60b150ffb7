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

    proptest! {
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
