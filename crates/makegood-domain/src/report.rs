//! Reports: whether the team keeps its promises and recovers its customers, in numbers.
//!
//! The types here are what a report says; the store aggregates them (incrementally, so a
//! report over a million problems stays fast) and the web app draws and exports them.

use std::fmt;
use std::str::FromStr;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::failure::FailureLevel;
use crate::{AccountId, MemberId, Origin, Outcome, Severity};

pub mod build;
pub mod cadence;
pub mod facts;
pub mod histogram;
#[cfg(test)]
mod props;
pub mod tally;

/// A calendar month, written `2026-11`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: i16,
    /// 1–12.
    pub month: i8,
}

impl Month {
    /// The month `date` falls in.
    pub fn of(date: Date) -> Month {
        Month {
            year: date.year(),
            month: date.month(),
        }
    }

    /// Its first day.
    pub fn first_day(self) -> Date {
        Date::new(self.year, self.month, 1).expect("a Month is always a valid year and month")
    }

    /// The month after.
    pub fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    /// The month `n` months earlier.
    pub fn minus(self, n: u16) -> Month {
        let index = i32::from(self.year) * 12 + i32::from(self.month) - 1 - i32::from(n);
        Month {
            year: (index.div_euclid(12)) as i16,
            month: (index.rem_euclid(12) + 1) as i8,
        }
    }

    /// A sortable integer key, `202611`, for storage.
    pub fn key(self) -> i32 {
        i32::from(self.year) * 100 + i32::from(self.month)
    }

    /// The month of a [`Month::key`].
    pub fn from_key(key: i32) -> Option<Month> {
        let year = i16::try_from(key / 100).ok()?;
        let month = i8::try_from(key % 100).ok()?;
        Date::new(year, month, 1).ok()?;
        Some(Month { year, month })
    }

    /// Every month from `from` to `to`, both included; empty when `from` is after `to`.
    pub fn range(from: Month, to: Month) -> Vec<Month> {
        let mut months = Vec::new();
        let mut m = from;
        while m <= to {
            months.push(m);
            m = m.next();
        }
        months
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// Not a `YYYY-MM` month.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("must be a month written YYYY-MM, e.g. 2026-11")]
pub struct MonthError;

impl FromStr for Month {
    type Err = MonthError;

    fn from_str(s: &str) -> Result<Month, MonthError> {
        let (y, m) = s.trim().split_once('-').ok_or(MonthError)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(MonthError);
        }
        let year: i16 = y.parse().map_err(|_| MonthError)?;
        let month: i8 = m.parse().map_err(|_| MonthError)?;
        Date::new(year, month, 1).map_err(|_| MonthError)?;
        Ok(Month { year, month })
    }
}

impl Serialize for Month {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Month {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Month, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl utoipa::PartialSchema for Month {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .pattern(Some(r"^\d{4}-\d{2}$"))
            .examples([serde_json::json!("2026-11")])
            .into()
    }
}

impl utoipa::ToSchema for Month {}

/// What a report covers: whole months, both ends included, narrowed by any of the rest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ReportFilter {
    pub from: Month,
    pub to: Month,
    /// Whose work: the owner of a problem, the maker of a promise, the proposer of a remedy,
    /// the owner of a prevention.
    pub member: Option<MemberId>,
    /// Problems affecting this account (and promises made to its contacts).
    pub account: Option<AccountId>,
    pub severity: Option<Severity>,
    pub origin: Option<Origin>,
}

impl ReportFilter {
    /// The default period: the twelve months up to and including `this_month`, nothing else narrowed.
    pub fn last_twelve_months(this_month: Month) -> ReportFilter {
        ReportFilter {
            from: this_month.minus(11),
            to: this_month,
            member: None,
            account: None,
            severity: None,
            origin: None,
        }
    }
}

/// A whole report. Every `by_month` list has one entry per month of the period, in order,
/// zeros included, so charts and CSV have no gaps.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Report {
    pub filter: ReportFilter,
    pub promises: PromiseReport,
    pub tell: TimingReport,
    pub cadence: CadenceReport,
    pub fix: TimingReport,
    pub remedies: RemedyReport,
    pub prevention: PreventionReport,
    pub recovery: RecoveryReport,
    pub failures: FailureReport,
}

/// How promises ended. Each ended promise counts once, in the month it ended: kept,
/// renegotiated and released on the day that happened, broken on its due date.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PromiseCounts {
    /// Delivered by the due time.
    pub kept: u64,
    /// A new date agreed before the old one passed.
    pub renegotiated: u64,
    /// Waived by the customer.
    pub released: u64,
    /// The due time passed with none of those.
    pub broken: u64,
    /// Of `broken`: the customer had no customer-visible update on the problem between the
    /// promise's warning and its due time — the number that should be zero.
    pub broken_silently: u64,
}

impl PromiseCounts {
    /// Every ended promise.
    pub fn ended(&self) -> u64 {
        self.kept + self.renegotiated + self.released + self.broken
    }

    /// `part` as a percentage of [`PromiseCounts::ended`]; `None` when none ended.
    pub fn percent(&self, part: u64) -> Option<f64> {
        percent(part, self.ended())
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PromiseReport {
    pub total: PromiseCounts,
    pub by_month: Vec<MonthPromises>,
    /// Every member who made a promise that ended in the period, most broken first.
    pub by_member: Vec<MemberPromises>,
    /// The twenty accounts with the most broken promises (then the most promises).
    pub by_account: Vec<AccountPromises>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MonthPromises {
    pub month: Month,
    pub counts: PromiseCounts,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MemberPromises {
    pub member: MemberId,
    pub name: String,
    pub counts: PromiseCounts,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AccountPromises {
    pub account: AccountId,
    pub name: String,
    pub counts: PromiseCounts,
}

/// Time to tell (detection → first customer-visible update) or time to fix (detection →
/// fixed), for the problems whose clock stopped in the period (counted in the month it
/// stopped).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TimingReport {
    /// One row per severity, worst first, including severities with no problems.
    pub by_severity: Vec<SeverityTiming>,
    pub by_month: Vec<MonthTiming>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SeverityTiming {
    pub severity: Severity,
    /// The policy's span for this severity, in minutes (of business time where the policy
    /// has a calendar).
    pub policy_minutes: i64,
    /// Problems whose clock stopped.
    pub count: u64,
    /// Of `count`: stopped by the deadline.
    pub within_policy: u64,
    /// Elapsed minutes, detection to stop; `None` when `count` is zero.
    pub median_minutes: Option<i64>,
    pub p90_minutes: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MonthTiming {
    pub month: Month,
    pub count: u64,
    pub within_policy: u64,
}

/// Update cadence: each interval between customer-visible updates (and from the last one
/// to the fix) is met when the next came within the policy's update interval. Counted in the
/// month the interval ended.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CadenceReport {
    pub intervals: u64,
    pub met: u64,
    pub by_month: Vec<MonthCadence>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MonthCadence {
    pub month: Month,
    pub intervals: u64,
    pub met: u64,
}

/// Make-goods delivered in the period (counted in the month delivered).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RemedyReport {
    /// By the problem's origin and the remedy's currency.
    pub spend: Vec<Spend>,
    /// Vendor shares of the delivered remedies, received or still owed, per currency.
    pub vendor_shares: Vec<VendorShares>,
    /// Remedies above their proposer's authority decided in the period (counted in the month
    /// decided).
    pub approvals: Approvals,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Spend {
    pub origin: Origin,
    #[schema(value_type = String, example = "EUR")]
    pub currency: String,
    pub count: u64,
    /// Sums in minor units.
    pub cost_minor: i64,
    pub vendor_share_minor: i64,
    pub net_minor: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct VendorShares {
    #[schema(value_type = String, example = "EUR")]
    pub currency: String,
    pub received_count: u64,
    pub received_minor: i64,
    pub outstanding_count: u64,
    pub outstanding_minor: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Approvals {
    pub approved: u64,
    pub rejected: u64,
    /// Minutes from proposal to decision; `None` when none was decided.
    pub median_minutes: Option<i64>,
    pub p90_minutes: Option<i64>,
}

/// Corrective actions due in the period (counted in the month due), their effectiveness
/// checks, and recurrences flagged in the period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PreventionReport {
    pub due: u64,
    /// Of `due`: done by the due date.
    pub done_on_time: u64,
    /// Effectiveness checks recorded in the period, and how many found the action effective.
    pub checks: u64,
    pub effective: u64,
    /// Recurrences flagged in the period by cause category, most first.
    pub recurring: Vec<Recurring>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Recurring {
    pub category: String,
    pub count: u64,
}

/// After recovery: follow-up answers (counted in the month answered) and the outcomes of
/// the problems closed in the period (counted in the month closed).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RecoveryReport {
    pub answers: u64,
    /// Mean rating, 1–5; `None` without answers.
    pub average_rating: Option<f64>,
    /// Net promoter score, −100 to 100: % promoters (9–10) − % detractors (0–6).
    pub nps: Option<i64>,
    pub by_month: Vec<MonthRecovery>,
    /// One row per outcome, advocate first, zeros included.
    pub outcomes: Vec<OutcomeCount>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MonthRecovery {
    pub month: Month,
    pub answers: u64,
    pub average_rating: Option<f64>,
    pub nps: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OutcomeCount {
    pub outcome: Outcome,
    pub count: u64,
}

/// The hierarchy of failure: entries of the failure log by level in the period, with
/// broken promises counted in at the promise level. A healthy team fails often early and
/// never on promises.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FailureReport {
    /// One row per level, idea first, zeros included.
    pub levels: Vec<FailureCount>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FailureCount {
    pub level: FailureLevel,
    /// Entries logged by hand.
    pub logged: u64,
    /// Broken promises counted in (only at [`FailureLevel::Promise`]; zero elsewhere).
    pub broken_promises: u64,
}

impl FailureCount {
    pub fn total(&self) -> u64 {
        self.logged + self.broken_promises
    }
}

/// `part` of `whole` in percent; `None` when `whole` is zero.
pub fn percent(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 * 100.0 / whole as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_parse_print_and_step() {
        let m: Month = "2026-12".parse().unwrap();
        assert_eq!(m.to_string(), "2026-12");
        assert_eq!(m.next().to_string(), "2027-01");
        assert_eq!(m.minus(11).to_string(), "2026-01");
        assert_eq!(m.minus(12).to_string(), "2025-12");
        assert_eq!(Month::from_key(m.key()), Some(m));
        assert_eq!(Month::range(m.minus(2), m).len(), 3);
        assert!(Month::range(m, m.minus(1)).is_empty());
        for bad in ["2026-13", "2026-1", "26-01", "2026/01", ""] {
            assert_eq!(bad.parse::<Month>(), Err(MonthError), "{bad}");
        }
    }

    #[test]
    fn percent_of_nothing_is_none() {
        assert_eq!(percent(1, 0), None);
        assert_eq!(percent(1, 4), Some(25.0));
    }
}
