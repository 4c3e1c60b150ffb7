//! TEMPORARY (reportsweb stream): `Store::report` and `Store::report_month` with the engine's
//! exact signatures, answering fixed figures so the reports page can be built before the
//! engine lands. THE LEAD DELETES THIS FILE (and its `mod` line in lib.rs) WHEN MERGING THE
//! ENGINE; nothing else refers to it.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use makegood_domain::report::{
    Approvals, CadenceReport, FailureCount, FailureReport, Month, MonthCadence, MonthPromises,
    MonthRecovery, MonthTiming, OutcomeCount, PreventionReport, PromiseCounts, PromiseReport,
    RecoveryReport, Recurring, RemedyReport, Report, ReportFilter, SeverityTiming, Spend,
    TimingReport, VendorShares,
};
use makegood_domain::{FailureLevel, Origin, Outcome, Severity};

use crate::{Result, Store};

impl Store {
    /// TEMPORARY stub: fixed figures shaped by `filter`'s months.
    pub async fn report(&self, filter: &ReportFilter, _now: Timestamp) -> Result<Report> {
        let months = Month::range(filter.from, filter.to);
        let counts = |i: u64| PromiseCounts {
            kept: 2 + i % 3,
            renegotiated: i % 2,
            released: 0,
            broken: u64::from(i.is_multiple_of(4)),
            broken_silently: u64::from(i.is_multiple_of(8)),
        };
        let by_month: Vec<MonthPromises> = months
            .iter()
            .zip(0u64..)
            .map(|(m, i)| MonthPromises {
                month: *m,
                counts: counts(i),
            })
            .collect();
        let mut total = PromiseCounts::default();
        for m in &by_month {
            total.kept += m.counts.kept;
            total.renegotiated += m.counts.renegotiated;
            total.released += m.counts.released;
            total.broken += m.counts.broken;
            total.broken_silently += m.counts.broken_silently;
        }
        let timing = |base: i64| TimingReport {
            by_severity: Severity::ALL
                .iter()
                .zip(1i64..)
                .map(|(s, k)| SeverityTiming {
                    severity: *s,
                    policy_minutes: base * k,
                    count: 4,
                    within_policy: 3,
                    median_minutes: Some(base * k * 3 / 4),
                    p90_minutes: Some(base * k * 3 / 2),
                })
                .collect(),
            by_month: months
                .iter()
                .map(|m| MonthTiming {
                    month: *m,
                    count: 1,
                    within_policy: 1,
                })
                .collect(),
        };
        let cadence_months: Vec<MonthCadence> = months
            .iter()
            .zip(0u64..)
            .map(|(m, i)| MonthCadence {
                month: *m,
                intervals: 4,
                met: 3 + i % 2,
            })
            .collect();
        Ok(Report {
            filter: filter.clone(),
            promises: PromiseReport {
                total,
                by_month,
                by_member: Vec::new(),
                by_account: Vec::new(),
            },
            tell: timing(30),
            cadence: CadenceReport {
                intervals: cadence_months.iter().map(|m| m.intervals).sum(),
                met: cadence_months.iter().map(|m| m.met).sum(),
                by_month: cadence_months,
            },
            fix: timing(240),
            remedies: RemedyReport {
                spend: vec![Spend {
                    origin: Origin::Vendor,
                    currency: "EUR".into(),
                    count: 2,
                    cost_minor: 50_000,
                    vendor_share_minor: 20_000,
                    net_minor: 30_000,
                }],
                vendor_shares: vec![VendorShares {
                    currency: "EUR".into(),
                    received_count: 1,
                    received_minor: 10_000,
                    outstanding_count: 1,
                    outstanding_minor: 10_000,
                }],
                approvals: Approvals {
                    approved: 2,
                    rejected: 1,
                    median_minutes: Some(90),
                    p90_minutes: Some(300),
                },
            },
            prevention: PreventionReport {
                due: 4,
                done_on_time: 3,
                checks: 2,
                effective: 1,
                recurring: vec![Recurring {
                    category: "billing".into(),
                    count: 1,
                }],
            },
            recovery: RecoveryReport {
                answers: months.len() as u64,
                average_rating: Some(4.2),
                nps: Some(35),
                by_month: months
                    .iter()
                    .map(|m| MonthRecovery {
                        month: *m,
                        answers: 1,
                        average_rating: Some(4.0),
                        nps: Some(100),
                    })
                    .collect(),
                outcomes: [
                    Outcome::Advocate,
                    Outcome::Retained,
                    Outcome::AtRisk,
                    Outcome::Lost,
                    Outcome::Unknown,
                ]
                .into_iter()
                .zip([3, 5, 1, 0, 2])
                .map(|(outcome, count)| OutcomeCount { outcome, count })
                .collect(),
            },
            failures: FailureReport {
                levels: FailureLevel::ALL
                    .into_iter()
                    .zip([6, 4, 3, 1, 0])
                    .map(|(level, logged)| FailureCount {
                        level,
                        logged,
                        broken_promises: if level == FailureLevel::Promise {
                            total.broken
                        } else {
                            0
                        },
                    })
                    .collect(),
            },
        })
    }

    /// TEMPORARY stub: the month `now` falls in, in UTC.
    pub async fn report_month(&self, now: Timestamp) -> Result<Month> {
        Ok(Month::of(now.to_zoned(TimeZone::UTC).date()))
    }
}
