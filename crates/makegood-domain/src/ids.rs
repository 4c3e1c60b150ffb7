//! Typed identifiers, so an account id can never be passed where a problem id is meant.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

macro_rules! id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
            utoipa::ToSchema,
        )]
        #[serde(transparent)]
        #[schema(value_type = i64)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id!(/// A member of the team.
    MemberId);
id!(/// A customer organisation.
    AccountId);
id!(/// A stakeholder at an account.
    ContactId);
id!(/// A third party.
    VendorId);
id!(/// A problem (internal id; people use its [`ProblemNumber`]).
    ProblemId);
id!(/// A promise.
    PromiseId);
id!(/// A timeline event.
    EventId);
id!(/// A remedy (the store assigns it).
    RemedyId);
id!(/// A prevention (the store assigns it).
    PreventionId);
id!(/// A vendor's promise to us (the store assigns it).
    VendorPromiseId);
id!(/// An entry of the failure log (the store assigns it).
    FailureId);

/// The number people use for a problem: `MG-12`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ProblemNumber(pub i64);

impl fmt::Display for ProblemNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MG-{}", self.0)
    }
}

/// A problem number that is not of the form `MG-<n>`.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("a problem number looks like MG-12")]
pub struct ProblemNumberError;

impl FromStr for ProblemNumber {
    type Err = ProblemNumberError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let digits = s
            .strip_prefix("MG-")
            .or_else(|| s.strip_prefix("mg-"))
            .ok_or(ProblemNumberError)?;
        match digits.parse::<i64>() {
            Ok(n) if n > 0 && !digits.starts_with('+') => Ok(Self(n)),
            _ => Err(ProblemNumberError),
        }
    }
}

impl Serialize for ProblemNumber {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ProblemNumber {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl utoipa::PartialSchema for ProblemNumber {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .pattern(Some("^MG-[1-9][0-9]*$"))
            .examples([serde_json::json!("MG-12")])
            .into()
    }
}

impl utoipa::ToSchema for ProblemNumber {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problem_numbers_round_trip() {
        let n: ProblemNumber = "MG-12".parse().unwrap();
        assert_eq!(n, ProblemNumber(12));
        assert_eq!(n.to_string(), "MG-12");
        assert!("MG-0".parse::<ProblemNumber>().is_err());
        assert!("MG-+3".parse::<ProblemNumber>().is_err());
        assert!("12".parse::<ProblemNumber>().is_err());
    }
}
