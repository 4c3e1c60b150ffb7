//! The failure log: failures by how far they got before they failed. Failing early — an
//! idea, a prototype — is cheap and how a team learns; failing on a promise to a customer is
//! what makegood exists to prevent.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

pub use crate::ids::FailureId;
use crate::text::bounded;
use crate::{MemberId, ProblemId};

/// The most characters of what happened, and of the lesson.
pub const TEXT_LIMIT: usize = 2_000;

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

/// One entry of the failure log: how far something got before it failed, what happened,
/// and what the team learned.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FailureEntry {
    pub id: FailureId,
    pub level: FailureLevel,
    pub what_happened: String,
    pub lesson: String,
    /// The problem it is about, if any (a failed promise usually has one).
    #[schema(value_type = Option<i64>)]
    pub problem: Option<ProblemId>,
    pub logged_by: MemberId,
    #[schema(value_type = String, format = DateTime)]
    pub logged_at: Timestamp,
    /// Bumped by every edit, for `If-Match`.
    pub version: i64,
}

/// What a new or edited entry says, checked: both texts present (trimmed) and at most
/// [`TEXT_LIMIT`] characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FailureFields {
    pub level: FailureLevel,
    pub what_happened: String,
    pub lesson: String,
    pub problem: Option<ProblemId>,
}

/// A field of a failure entry that does not fit, with why.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field} {message}")]
pub struct FailureError {
    pub field: &'static str,
    pub message: String,
}

impl FailureFields {
    /// Checks both texts; every invalid field is reported, not just the first.
    pub fn new(
        level: FailureLevel,
        what_happened: &str,
        lesson: &str,
        problem: Option<ProblemId>,
    ) -> Result<FailureFields, Vec<FailureError>> {
        let mut errors = Vec::new();
        let mut check = |field: &'static str, text: &str| {
            bounded(text, TEXT_LIMIT).unwrap_or_else(|e| {
                errors.push(FailureError {
                    field,
                    message: e.to_string(),
                });
                String::new()
            })
        };
        let what_happened = check("what_happened", what_happened);
        let lesson = check("lesson", lesson);
        if problem.is_some_and(|p| p.0 <= 0) {
            errors.push(FailureError {
                field: "problem",
                message: "must name a problem, like MG-12".into(),
            });
        }
        if errors.is_empty() {
            Ok(FailureFields {
                level,
                what_happened,
                lesson,
                problem,
            })
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_trimmed_and_each_bad_one_named() {
        let ok = FailureFields::new(
            FailureLevel::Mockup,
            "  the flow confused  ",
            "test it",
            None,
        );
        assert_eq!(
            ok.map(|f| (f.what_happened, f.lesson)),
            Ok(("the flow confused".into(), "test it".into()))
        );
        let long = "x".repeat(TEXT_LIMIT + 1);
        let errors = FailureFields::new(FailureLevel::Idea, " ", &long, Some(ProblemId(0)))
            .err()
            .unwrap_or_default();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["what_happened", "lesson", "problem"]);
        assert_eq!(errors[0].message, "is required");
        assert_eq!(errors[1].message, "is longer than 2000 characters");
        let exactly = "y".repeat(TEXT_LIMIT);
        assert!(
            FailureFields::new(
                FailureLevel::Promise,
                &exactly,
                &exactly,
                Some(ProblemId(3))
            )
            .is_ok()
        );
    }

    #[test]
    fn levels_round_trip_their_names() {
        for level in FailureLevel::ALL {
            assert_eq!(FailureLevel::parse(level.as_str()), Some(level));
        }
        assert_eq!(FailureLevel::parse("launch"), None);
    }
}
