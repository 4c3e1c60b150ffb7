//! A quiet period: every section empty, saying so.

use makegood_domain::report::{
    Approvals, CadenceReport, FailureCount, FailureReport, Month, MonthCadence, MonthPromises,
    MonthRecovery, MonthTiming, OutcomeCount, PreventionReport, PromiseCounts, PromiseReport,
    RecoveryReport, RemedyReport, Report, ReportFilter, SeverityTiming, TimingReport,
};
use makegood_domain::{FailureLevel, Outcome, Severity};

use super::super::tables::Table;
use super::sections;

/// A report of a quiet year: every list complete, every count zero.
fn quiet() -> Report {
    let filter = ReportFilter::last_twelve_months(Month {
        year: 2026,
        month: 11,
    });
    let months = Month::range(filter.from, filter.to);
    let timing = TimingReport {
        by_severity: Severity::ALL
            .into_iter()
            .map(|severity| SeverityTiming {
                severity,
                policy_minutes: 60,
                count: 0,
                within_policy: 0,
                median_minutes: None,
                p90_minutes: None,
            })
            .collect(),
        by_month: months
            .iter()
            .map(|m| MonthTiming {
                month: *m,
                count: 0,
                within_policy: 0,
            })
            .collect(),
    };
    Report {
        promises: PromiseReport {
            total: PromiseCounts::default(),
            by_month: months
                .iter()
                .map(|m| MonthPromises {
                    month: *m,
                    counts: PromiseCounts::default(),
                })
                .collect(),
            by_member: Vec::new(),
            by_account: Vec::new(),
        },
        tell: timing.clone(),
        fix: timing,
        cadence: CadenceReport {
            intervals: 0,
            met: 0,
            by_month: months
                .iter()
                .map(|m| MonthCadence {
                    month: *m,
                    intervals: 0,
                    met: 0,
                })
                .collect(),
        },
        remedies: RemedyReport {
            spend: Vec::new(),
            vendor_shares: Vec::new(),
            approvals: Approvals {
                approved: 0,
                rejected: 0,
                median_minutes: None,
                p90_minutes: None,
            },
        },
        prevention: PreventionReport {
            due: 0,
            done_on_time: 0,
            checks: 0,
            effective: 0,
            recurring: Vec::new(),
        },
        recovery: RecoveryReport {
            answers: 0,
            average_rating: None,
            nps: None,
            by_month: months
                .iter()
                .map(|m| MonthRecovery {
                    month: *m,
                    answers: 0,
                    average_rating: None,
                    nps: None,
                })
                .collect(),
            outcomes: [Outcome::Advocate, Outcome::Lost]
                .into_iter()
                .map(|outcome| OutcomeCount { outcome, count: 0 })
                .collect(),
        },
        failures: FailureReport {
            levels: FailureLevel::ALL
                .into_iter()
                .map(|level| FailureCount {
                    level,
                    logged: 0,
                    broken_promises: 0,
                })
                .collect(),
        },
        filter,
    }
}

#[test]
fn a_quiet_period_is_empty_in_every_section_and_says_so() {
    let sections = sections(&quiet(), "from=2025-12");
    let ids: Vec<_> = sections.iter().map(|s| s.id).collect();
    assert_eq!(
        ids,
        [
            "promises",
            "timing",
            "cadence",
            "remedies",
            "prevention",
            "recovery",
            "failures"
        ]
    );
    for s in &sections {
        assert!(s.empty, "{} is not empty", s.id);
        assert!(s.headline.starts_with("No "), "{}: {}", s.id, s.headline);
        assert!(
            s.downloads
                .iter()
                .all(|(_, href)| href.starts_with("/reports/")
                    && href.ends_with(".csv?from=2025-12")),
            "{}",
            s.id
        );
    }
}

#[test]
fn a_table_of_a_quiet_year_still_has_every_month() {
    let csv = Table::Promises.csv(&quiet()).unwrap_or_default();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 13);
    assert_eq!(lines[1], "2025-12,0,0,0,0,0,0");
    assert_eq!(lines[12], "2026-11,0,0,0,0,0,0");
    let approvals = Table::Approvals.csv(&quiet()).unwrap_or_default();
    assert_eq!(
        approvals,
        "approved,rejected,median_minutes,p90_minutes\n0,0,,\n"
    );
}
