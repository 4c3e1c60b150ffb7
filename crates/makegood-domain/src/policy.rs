//! Policies: how fast the customer must hear from us and how fast it must be fixed, per severity.

use jiff::SignedDuration;
use serde::{Deserialize, Serialize};

use crate::Severity;

/// The targets for problems of one severity. Durations are whole minutes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    pub severity: Severity,
    /// Detection → first customer-visible update.
    pub tell_within_minutes: i64,
    /// Longest silence between customer-visible updates until fixed.
    pub update_every_minutes: i64,
    /// Detection → fixed, not counting time openly waiting on the customer or a vendor.
    pub fix_within_minutes: i64,
    /// A clock turns to warning when this share of its span is left.
    pub warning_percent: i64,
    /// The business calendar the spans are counted in (by id); `None` runs around the clock.
    #[serde(default)]
    pub calendar: Option<i64>,
    /// Days after the fix (or the remedy's delivery, when there is one) that the follow-up
    /// survey goes to the stakeholders.
    #[serde(default = "default_follow_up_days")]
    pub follow_up_after_days: i64,
}

fn default_follow_up_days() -> i64 {
    3
}

/// The longest wait before a follow-up survey.
pub const MAX_FOLLOW_UP_DAYS: i64 = 90;

/// The whole policy set: one [`Policy`] per severity plus the promise warning rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Policies {
    pub critical: Policy,
    pub major: Policy,
    pub minor: Policy,
    /// An open promise warns its owner this share of its span before due …
    pub promise_warning_percent: i64,
    /// … but never later than this many minutes before due.
    pub promise_warning_min_minutes: i64,
}

/// A policy value out of range.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{field} {message}")]
pub struct PolicyError {
    pub field: String,
    pub message: &'static str,
}

const MAX_MINUTES: i64 = 366 * 24 * 60;

impl Policy {
    fn new(severity: Severity, tell_h: i64, update_h: i64, fix_h: i64) -> Self {
        Self {
            severity,
            tell_within_minutes: tell_h * 60,
            update_every_minutes: update_h * 60,
            fix_within_minutes: fix_h * 60,
            warning_percent: 20,
            calendar: None,
            follow_up_after_days: default_follow_up_days(),
        }
    }

    /// The tell span.
    pub fn tell(&self) -> SignedDuration {
        SignedDuration::from_mins(self.tell_within_minutes)
    }

    /// The update interval.
    pub fn update(&self) -> SignedDuration {
        SignedDuration::from_mins(self.update_every_minutes)
    }

    /// The fix span.
    pub fn fix(&self) -> SignedDuration {
        SignedDuration::from_mins(self.fix_within_minutes)
    }

    /// The wait from the fix (or the remedy's delivery) to the follow-up survey, in days of
    /// 24 hours.
    pub fn follow_up(&self) -> SignedDuration {
        SignedDuration::from_hours(self.follow_up_after_days * 24)
    }

    fn validate(&self, prefix: &str) -> Result<(), PolicyError> {
        let minutes = [
            ("tell_within_minutes", self.tell_within_minutes),
            ("update_every_minutes", self.update_every_minutes),
            ("fix_within_minutes", self.fix_within_minutes),
        ];
        for (name, value) in minutes {
            if !(1..=MAX_MINUTES).contains(&value) {
                return Err(PolicyError {
                    field: format!("{prefix}.{name}"),
                    message: "must be between 1 minute and 366 days",
                });
            }
        }
        if !(0..=MAX_FOLLOW_UP_DAYS).contains(&self.follow_up_after_days) {
            return Err(PolicyError {
                field: format!("{prefix}.follow_up_after_days"),
                message: "must be between 0 and 90 days",
            });
        }
        percent(&format!("{prefix}.warning_percent"), self.warning_percent)
    }
}

fn percent(field: &str, value: i64) -> Result<(), PolicyError> {
    if (0..=90).contains(&value) {
        Ok(())
    } else {
        Err(PolicyError {
            field: field.into(),
            message: "must be a percentage from 0 to 90",
        })
    }
}

impl Default for Policies {
    /// critical: tell 1 h, update 4 h, fix 24 h; major: 4 h, 24 h, 72 h; minor: 24 h, 72 h, 240 h;
    /// promises warn at 20% of their span before due, at least 1 h.
    fn default() -> Self {
        Self {
            critical: Policy::new(Severity::Critical, 1, 4, 24),
            major: Policy::new(Severity::Major, 4, 24, 72),
            minor: Policy::new(Severity::Minor, 24, 72, 240),
            promise_warning_percent: 20,
            promise_warning_min_minutes: 60,
        }
    }
}

impl Policies {
    /// The policy for `severity`.
    pub fn get(&self, severity: Severity) -> &Policy {
        match severity {
            Severity::Critical => &self.critical,
            Severity::Major => &self.major,
            Severity::Minor => &self.minor,
        }
    }

    /// How long before its due time a promise spanning `span` turns to warning.
    /// Whole seconds, so warning times are as exact as the due times they derive from.
    pub fn promise_warning_lead(&self, span: SignedDuration) -> SignedDuration {
        let share = span / 100 * i32::try_from(self.promise_warning_percent).unwrap_or(20);
        let share = SignedDuration::from_secs(share.as_secs());
        share.max(SignedDuration::from_mins(self.promise_warning_min_minutes))
    }

    /// Checks every value and that each policy sits under its own severity.
    pub fn validate(&self) -> Result<(), PolicyError> {
        for (name, severity) in [
            ("critical", Severity::Critical),
            ("major", Severity::Major),
            ("minor", Severity::Minor),
        ] {
            let policy = self.get(severity);
            if policy.severity != severity {
                return Err(PolicyError {
                    field: format!("{name}.severity"),
                    message: "must match its key",
                });
            }
            policy.validate(name)?;
        }
        percent("promise_warning_percent", self.promise_warning_percent)?;
        if !(0..=MAX_MINUTES).contains(&self.promise_warning_min_minutes) {
            return Err(PolicyError {
                field: "promise_warning_min_minutes".into(),
                message: "must be between 0 minutes and 366 days",
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_match_the_playbook() {
        let p = Policies::default();
        assert_eq!(
            p.get(Severity::Critical).tell(),
            SignedDuration::from_hours(1)
        );
        assert_eq!(
            p.get(Severity::Major).update(),
            SignedDuration::from_hours(24)
        );
        assert_eq!(
            p.get(Severity::Minor).fix(),
            SignedDuration::from_hours(240)
        );
        assert!(p.validate().is_ok());
    }

    #[test]
    fn promise_warning_is_a_fifth_of_the_span_but_at_least_an_hour() {
        let p = Policies::default();
        assert_eq!(
            p.promise_warning_lead(SignedDuration::from_hours(100)),
            SignedDuration::from_hours(20)
        );
        assert_eq!(
            p.promise_warning_lead(SignedDuration::from_hours(2)),
            SignedDuration::from_hours(1)
        );
        let odd = SignedDuration::from_hours(30) + SignedDuration::from_nanos(7);
        assert_eq!(p.promise_warning_lead(odd), SignedDuration::from_hours(6));
    }

    #[test]
    fn refuses_out_of_range_values() {
        let mut p = Policies::default();
        p.major.fix_within_minutes = 0;
        assert_eq!(p.validate().unwrap_err().field, "major.fix_within_minutes");
        let mut p = Policies::default();
        p.minor.severity = Severity::Critical;
        assert_eq!(p.validate().unwrap_err().field, "minor.severity");
    }
}
