//! The quarter's report, computed by hand from the history.

use super::*;

pub(super) fn counts(
    kept: u64,
    renegotiated: u64,
    released: u64,
    broken: u64,
    silently: u64,
) -> PromiseCounts {
    PromiseCounts {
        kept,
        renegotiated,
        released,
        broken,
        broken_silently: silently,
    }
}

pub(super) fn timing(
    severity: Severity,
    policy: i64,
    count: u64,
    within: u64,
    minutes: Option<i64>,
) -> SeverityTiming {
    SeverityTiming {
        severity,
        policy_minutes: policy,
        count,
        within_policy: within,
        median_minutes: minutes,
        p90_minutes: minutes,
    }
}

pub(super) fn by_month<T>(f: impl Fn(Month) -> T) -> Vec<T> {
    ["2025-01", "2025-02", "2025-03"]
        .map(|m| f(month(m)))
        .into()
}

pub(super) fn outcomes(retained: u64, lost: u64) -> Vec<OutcomeCount> {
    [
        (Outcome::Advocate, 0),
        (Outcome::Retained, retained),
        (Outcome::AtRisk, 0),
        (Outcome::Lost, lost),
        (Outcome::Unknown, 0),
    ]
    .map(|(outcome, count)| OutcomeCount { outcome, count })
    .into()
}

pub(super) fn failures(broken: u64) -> FailureReport {
    FailureReport {
        levels: FailureLevel::ALL
            .map(|level| FailureCount {
                level,
                logged: 0,
                broken_promises: if level == FailureLevel::Promise {
                    broken
                } else {
                    0
                },
            })
            .into(),
    }
}

/// The whole quarter, computed by hand from [`history`].
pub(super) fn expected(h: &History) -> Report {
    let w = &h.w;
    let _ = &h.sue;
    Report {
        filter: quarter(),
        promises: PromiseReport {
            total: counts(1, 1, 1, 1, 1),
            by_month: vec![
                MonthPromises {
                    month: month("2025-01"),
                    counts: counts(1, 1, 0, 0, 0),
                },
                MonthPromises {
                    month: month("2025-02"),
                    counts: counts(0, 0, 0, 1, 1),
                },
                MonthPromises {
                    month: month("2025-03"),
                    counts: counts(0, 0, 1, 0, 0),
                },
            ],
            by_member: vec![
                MemberPromises {
                    member: w.admin.id,
                    name: "Ada Admin".into(),
                    counts: counts(0, 0, 0, 1, 1),
                },
                MemberPromises {
                    member: w.agent.id,
                    name: "Alex Agent".into(),
                    counts: counts(1, 1, 1, 0, 0),
                },
            ],
            by_account: vec![
                AccountPromises {
                    account: w.globex.id,
                    name: "Globex".into(),
                    counts: counts(0, 0, 0, 1, 1),
                },
                AccountPromises {
                    account: w.acme.id,
                    name: "Acme".into(),
                    counts: counts(1, 1, 1, 0, 0),
                },
            ],
        },
        tell: TimingReport {
            by_severity: vec![
                timing(Severity::Critical, 60, 1, 0, Some(90)),
                timing(Severity::Major, 240, 1, 1, Some(40)),
                timing(Severity::Minor, 1440, 1, 1, Some(60)),
            ],
            by_month: vec![
                MonthTiming {
                    month: month("2025-01"),
                    count: 1,
                    within_policy: 1,
                },
                MonthTiming {
                    month: month("2025-02"),
                    count: 1,
                    within_policy: 0,
                },
                MonthTiming {
                    month: month("2025-03"),
                    count: 1,
                    within_policy: 1,
                },
            ],
        },
        cadence: CadenceReport {
            intervals: 4,
            met: 2,
            by_month: by_month(|m| MonthCadence {
                month: m,
                intervals: if m.month < 3 { 2 } else { 0 },
                met: if m.month < 3 { 1 } else { 0 },
            }),
        },
        fix: TimingReport {
            by_severity: vec![
                timing(Severity::Critical, 1440, 1, 1, Some(1320)),
                timing(Severity::Major, 4320, 1, 1, Some(2880)),
                timing(Severity::Minor, 14400, 1, 1, Some(60)),
            ],
            by_month: by_month(|m| MonthTiming {
                month: m,
                count: 1,
                within_policy: 1,
            }),
        },
        remedies: RemedyReport {
            spend: vec![
                Spend {
                    origin: Origin::Ours,
                    currency: "EUR".into(),
                    count: 1,
                    cost_minor: 5_000,
                    vendor_share_minor: 0,
                    net_minor: 5_000,
                },
                Spend {
                    origin: Origin::Vendor,
                    currency: "EUR".into(),
                    count: 1,
                    cost_minor: 60_000,
                    vendor_share_minor: 20_000,
                    net_minor: 40_000,
                },
            ],
            vendor_shares: vec![VendorShares {
                currency: "EUR".into(),
                received_count: 0,
                received_minor: 0,
                outstanding_count: 1,
                outstanding_minor: 20_000,
            }],
            approvals: Approvals {
                approved: 1,
                rejected: 1,
                median_minutes: Some(45),
                p90_minutes: Some(720),
            },
        },
        prevention: PreventionReport {
            due: 1,
            done_on_time: 1,
            checks: 1,
            effective: 1,
            recurring: vec![Recurring {
                category: "software".into(),
                count: 1,
            }],
        },
        recovery: RecoveryReport {
            answers: 1,
            average_rating: Some(4.0),
            nps: Some(100),
            by_month: by_month(|m| MonthRecovery {
                month: m,
                answers: u64::from(m.month == 1),
                average_rating: (m.month == 1).then_some(4.0),
                nps: (m.month == 1).then_some(100),
            }),
            outcomes: outcomes(1, 1),
        },
        failures: failures(1),
    }
}
