//! A report's tables as CSV: one file per table, a header row, then one row per month,
//! severity, member, account, origin, level … — what the page's "Download CSV" links and
//! `GET /api/v1/reports/{table}` serve.

use makegood_domain::report::{PromiseCounts, Report, TimingReport};

use super::filter::api_name;

/// Every table a report exports, by the name in its URL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Table {
    /// Promises ended, by month.
    Promises,
    PromisesByMember,
    PromisesByAccount,
    /// Time to tell and time to fix, by severity, against policy.
    Timing,
    /// Time to tell and time to fix, by month.
    TimingByMonth,
    /// Update cadence, by month.
    Cadence,
    /// Make-good spend by origin and currency.
    Remedies,
    VendorShares,
    Approvals,
    /// Corrective actions and effectiveness checks (one row).
    Prevention,
    /// Recurrences by cause category.
    Recurring,
    /// Follow-up answers by month.
    Recovery,
    Outcomes,
    /// The hierarchy of failure, by level.
    Failures,
}

impl Table {
    pub const ALL: [Table; 14] = [
        Table::Promises,
        Table::PromisesByMember,
        Table::PromisesByAccount,
        Table::Timing,
        Table::TimingByMonth,
        Table::Cadence,
        Table::Remedies,
        Table::VendorShares,
        Table::Approvals,
        Table::Prevention,
        Table::Recurring,
        Table::Recovery,
        Table::Outcomes,
        Table::Failures,
    ];

    /// The name in URLs and file names.
    pub fn name(self) -> &'static str {
        match self {
            Table::Promises => "promises",
            Table::PromisesByMember => "promises-by-member",
            Table::PromisesByAccount => "promises-by-account",
            Table::Timing => "timing",
            Table::TimingByMonth => "timing-by-month",
            Table::Cadence => "cadence",
            Table::Remedies => "remedies",
            Table::VendorShares => "vendor-shares",
            Table::Approvals => "approvals",
            Table::Prevention => "prevention",
            Table::Recurring => "recurring",
            Table::Recovery => "recovery",
            Table::Outcomes => "outcomes",
            Table::Failures => "failures",
        }
    }

    pub fn parse(name: &str) -> Option<Table> {
        Table::ALL.into_iter().find(|t| t.name() == name)
    }

    /// Every name, for error messages and the API's documentation.
    pub fn names() -> String {
        Table::ALL.map(Table::name).join(", ")
    }

    /// `report-promises-2026-01-to-2026-12.csv`.
    pub fn file_name(self, report: &Report) -> String {
        format!(
            "report-{}-{}-to-{}.csv",
            self.name(),
            report.filter.from,
            report.filter.to
        )
    }

    /// The table as CSV text.
    pub fn csv(self, report: &Report) -> anyhow::Result<String> {
        let mut w = csv::Writer::from_writer(Vec::new());
        for row in self.rows(report) {
            w.write_record(&row)?;
        }
        let bytes = w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
        Ok(String::from_utf8(bytes)?)
    }

    /// The header row, then the data rows.
    fn rows(self, r: &Report) -> Vec<Vec<String>> {
        let mut rows: Vec<Vec<String>> = vec![header(self)];
        match self {
            Table::Promises => rows.extend(
                r.promises
                    .by_month
                    .iter()
                    .map(|m| with_counts(vec![m.month.to_string()], &m.counts)),
            ),
            Table::PromisesByMember => rows.extend(
                r.promises
                    .by_member
                    .iter()
                    .map(|m| with_counts(vec![m.member.to_string(), m.name.clone()], &m.counts)),
            ),
            Table::PromisesByAccount => rows.extend(
                r.promises
                    .by_account
                    .iter()
                    .map(|a| with_counts(vec![a.account.to_string(), a.name.clone()], &a.counts)),
            ),
            Table::Timing => {
                for (measure, t) in [("tell", &r.tell), ("fix", &r.fix)] {
                    rows.extend(timing_rows(measure, t));
                }
            }
            Table::TimingByMonth => {
                for (measure, t) in [("tell", &r.tell), ("fix", &r.fix)] {
                    rows.extend(t.by_month.iter().map(|m| {
                        vec![
                            measure.to_owned(),
                            m.month.to_string(),
                            m.count.to_string(),
                            m.within_policy.to_string(),
                        ]
                    }));
                }
            }
            Table::Cadence => rows.extend(r.cadence.by_month.iter().map(|m| {
                vec![
                    m.month.to_string(),
                    m.intervals.to_string(),
                    m.met.to_string(),
                ]
            })),
            Table::Remedies => rows.extend(r.remedies.spend.iter().map(|s| {
                vec![
                    api_name(&s.origin),
                    s.currency.clone(),
                    s.count.to_string(),
                    s.cost_minor.to_string(),
                    s.vendor_share_minor.to_string(),
                    s.net_minor.to_string(),
                ]
            })),
            Table::VendorShares => rows.extend(r.remedies.vendor_shares.iter().map(|v| {
                vec![
                    v.currency.clone(),
                    v.received_count.to_string(),
                    v.received_minor.to_string(),
                    v.outstanding_count.to_string(),
                    v.outstanding_minor.to_string(),
                ]
            })),
            Table::Approvals => {
                let a = &r.remedies.approvals;
                rows.push(vec![
                    a.approved.to_string(),
                    a.rejected.to_string(),
                    optional(a.median_minutes),
                    optional(a.p90_minutes),
                ]);
            }
            Table::Prevention => {
                let p = &r.prevention;
                rows.push(vec![
                    p.due.to_string(),
                    p.done_on_time.to_string(),
                    p.checks.to_string(),
                    p.effective.to_string(),
                ]);
            }
            Table::Recurring => rows.extend(
                r.prevention
                    .recurring
                    .iter()
                    .map(|c| vec![c.category.clone(), c.count.to_string()]),
            ),
            Table::Recovery => rows.extend(r.recovery.by_month.iter().map(|m| {
                vec![
                    m.month.to_string(),
                    m.answers.to_string(),
                    m.average_rating
                        .map_or_else(String::new, |v| format!("{v:.2}")),
                    optional(m.nps),
                ]
            })),
            Table::Outcomes => rows.extend(
                r.recovery
                    .outcomes
                    .iter()
                    .map(|o| vec![api_name(&o.outcome), o.count.to_string()]),
            ),
            Table::Failures => rows.extend(r.failures.levels.iter().map(|l| {
                vec![
                    l.level.as_str().to_owned(),
                    l.logged.to_string(),
                    l.broken_promises.to_string(),
                    l.total().to_string(),
                ]
            })),
        }
        rows
    }
}

const COUNTS: [&str; 6] = [
    "kept",
    "renegotiated",
    "released",
    "broken",
    "broken_silently",
    "ended",
];

fn header(table: Table) -> Vec<String> {
    let names: Vec<&str> = match table {
        Table::Promises => [&["month"][..], &COUNTS].concat(),
        Table::PromisesByMember => [&["member_id", "member"][..], &COUNTS].concat(),
        Table::PromisesByAccount => [&["account_id", "account"][..], &COUNTS].concat(),
        Table::Timing => vec![
            "measure",
            "severity",
            "policy_minutes",
            "count",
            "within_policy",
            "median_minutes",
            "p90_minutes",
        ],
        Table::TimingByMonth => vec!["measure", "month", "count", "within_policy"],
        Table::Cadence => vec!["month", "intervals", "met"],
        Table::Remedies => vec![
            "origin",
            "currency",
            "count",
            "cost_minor",
            "vendor_share_minor",
            "net_minor",
        ],
        Table::VendorShares => vec![
            "currency",
            "received_count",
            "received_minor",
            "outstanding_count",
            "outstanding_minor",
        ],
        Table::Approvals => vec!["approved", "rejected", "median_minutes", "p90_minutes"],
        Table::Prevention => vec!["due", "done_on_time", "checks", "effective"],
        Table::Recurring => vec!["category", "count"],
        Table::Recovery => vec!["month", "answers", "average_rating", "nps"],
        Table::Outcomes => vec!["outcome", "count"],
        Table::Failures => vec!["level", "logged", "broken_promises", "total"],
    };
    names.into_iter().map(str::to_owned).collect()
}

fn with_counts(mut row: Vec<String>, c: &PromiseCounts) -> Vec<String> {
    row.extend(
        [
            c.kept,
            c.renegotiated,
            c.released,
            c.broken,
            c.broken_silently,
            c.ended(),
        ]
        .map(|n| n.to_string()),
    );
    row
}

fn timing_rows<'a>(
    measure: &'a str,
    t: &'a TimingReport,
) -> impl Iterator<Item = Vec<String>> + 'a {
    t.by_severity.iter().map(move |s| {
        vec![
            measure.to_owned(),
            api_name(&s.severity),
            s.policy_minutes.to_string(),
            s.count.to_string(),
            s.within_policy.to_string(),
            optional(s.median_minutes),
            optional(s.p90_minutes),
        ]
    })
}

/// An absent figure is an empty cell.
fn optional(v: Option<i64>) -> String {
    v.map_or_else(String::new, |v| v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_has_a_name_it_parses_back_from() {
        for table in Table::ALL {
            assert_eq!(Table::parse(table.name()), Some(table));
        }
        assert_eq!(Table::parse("nope"), None);
    }
}
