//! The failure log: failures by how far they got before they failed. Failing early — an
//! idea, a prototype — is cheap and how a team learns; failing on a promise to a customer is
//! what makegood exists to prevent.

use serde::{Deserialize, Serialize};

/// How far a failure got, earliest (cheapest) first.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum FailureLevel {
    Idea,
    Prototype,
    Mockup,
    /// A pilot with a few users.
    Pilot,
    /// A promise to a customer.
    Promise,
}

impl FailureLevel {
    /// Every level, earliest first.
    pub const ALL: [FailureLevel; 5] = [
        FailureLevel::Idea,
        FailureLevel::Prototype,
        FailureLevel::Mockup,
        FailureLevel::Pilot,
        FailureLevel::Promise,
    ];

    /// The API name.
    pub fn as_str(self) -> &'static str {
        match self {
            FailureLevel::Idea => "idea",
            FailureLevel::Prototype => "prototype",
            FailureLevel::Mockup => "mockup",
            FailureLevel::Pilot => "pilot",
            FailureLevel::Promise => "promise",
        }
    }

    /// Parses an API name.
    pub fn parse(s: &str) -> Option<FailureLevel> {
        FailureLevel::ALL.into_iter().find(|l| l.as_str() == s)
    }

    /// How a person reads it.
    pub fn label(self) -> &'static str {
        match self {
            FailureLevel::Idea => "Idea",
            FailureLevel::Prototype => "Prototype",
            FailureLevel::Mockup => "Mockup",
            FailureLevel::Pilot => "Pilot with a few users",
            FailureLevel::Promise => "Promise to a customer",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_round_trip_their_names() {
        for level in FailureLevel::ALL {
            assert_eq!(FailureLevel::parse(level.as_str()), Some(level));
        }
        assert_eq!(FailureLevel::parse("launch"), None);
    }
}
