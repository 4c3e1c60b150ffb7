//! Each section of the page from its part of the report, in the order.

use makegood_domain::report::{PromiseCounts, Report, TimingReport};

use super::super::charts;
use super::super::story;
use super::super::tables::Table;
use super::{RowView, Section, TableView, minutes, money, origin_label, pct, severity_label};

/// Every section of `report`; `query` is the filter's query string for the CSV links.
pub fn sections(report: &Report, query: &str) -> Vec<Section> {
    let link = |t: Table| {
        if query.is_empty() {
            format!("/reports/{}.csv", t.name())
        } else {
            format!("/reports/{}.csv?{query}", t.name())
        }
    };
    let download = |label: &str, t: Table| (label.to_owned(), link(t));
    vec![
        promises(report, &download),
        timing(report, &download),
        cadence(report, &download),
        remedies(report, &download),
        prevention(report, &download),
        recovery(report, &download),
        failures(report, &download),
    ]
}

type Download<'a> = dyn Fn(&str, Table) -> (String, String) + 'a;

fn count_cells(c: &PromiseCounts) -> Vec<String> {
    vec![
        c.ended().to_string(),
        c.kept.to_string(),
        c.renegotiated.to_string(),
        c.released.to_string(),
        c.broken.to_string(),
        c.broken_silently.to_string(),
        pct(c.kept, c.ended()),
    ]
}

const COUNT_HEAD: [&str; 7] = [
    "Ended",
    "Kept",
    "Renegotiated",
    "Released",
    "Broken",
    "Broken silently",
    "Kept on time",
];

fn promises(r: &Report, download: &Download) -> Section {
    let p = &r.promises;
    let table = |caption: &str, first: &'static str, rows: Vec<(String, &PromiseCounts)>| {
        let mut head = vec![first];
        head.extend(COUNT_HEAD);
        TableView {
            caption: caption.to_owned(),
            head,
            rows: rows
                .into_iter()
                .map(|(name, c)| {
                    let mut cells = vec![name];
                    cells.extend(count_cells(c));
                    RowView {
                        cells,
                        class: if c.broken > 0 { "has-broken" } else { "" },
                    }
                })
                .collect(),
        }
    };
    let mut tables = Vec::new();
    if !p.by_member.is_empty() {
        tables.push(table(
            "By member, most broken first",
            "Member",
            p.by_member
                .iter()
                .map(|m| (m.name.clone(), &m.counts))
                .collect(),
        ));
    }
    if !p.by_account.is_empty() {
        tables.push(table(
            "By account: the twenty with the most broken promises",
            "Account",
            p.by_account
                .iter()
                .map(|a| (a.name.clone(), &a.counts))
                .collect(),
        ));
    }
    Section {
        id: "promises",
        title: "Promise reliability",
        headline: story::promises(&p.total),
        figures: vec![
            ("Kept on time".into(), pct(p.total.kept, p.total.ended())),
            ("Promises ended".into(), p.total.ended().to_string()),
            ("Broken".into(), p.total.broken.to_string()),
            (
                "Broken without notice".into(),
                p.total.broken_silently.to_string(),
            ),
        ],
        charts: vec![charts::promises_by_month(&p.by_month)],
        tables,
        downloads: vec![
            download("By month", Table::Promises),
            download("By member", Table::PromisesByMember),
            download("By account", Table::PromisesByAccount),
        ],
        empty: p.total.ended() == 0,
    }
}

fn timing_table(caption: &str, t: &TimingReport) -> TableView {
    TableView {
        caption: caption.to_owned(),
        head: vec![
            "Severity",
            "Policy",
            "Problems",
            "Within policy",
            "Median",
            "90th percentile",
        ],
        rows: t
            .by_severity
            .iter()
            .map(|s| {
                let late = s.median_minutes.is_some_and(|m| m > s.policy_minutes);
                RowView {
                    cells: vec![
                        severity_label(s.severity).to_owned(),
                        story::minutes(s.policy_minutes),
                        s.count.to_string(),
                        format!("{} ({})", s.within_policy, pct(s.within_policy, s.count)),
                        minutes(s.median_minutes),
                        minutes(s.p90_minutes),
                    ],
                    class: if late { "has-broken" } else { "" },
                }
            })
            .collect(),
    }
}

fn timing(r: &Report, download: &Download) -> Section {
    let stopped = |t: &TimingReport| t.by_severity.iter().map(|s| s.count).sum::<u64>();
    let within = |t: &TimingReport| t.by_severity.iter().map(|s| s.within_policy).sum::<u64>();
    Section {
        id: "timing",
        title: "Time to tell and time to fix",
        headline: story::timing(&r.tell, &r.fix),
        figures: vec![
            (
                "Told within policy".into(),
                pct(within(&r.tell), stopped(&r.tell)),
            ),
            (
                "Fixed within policy".into(),
                pct(within(&r.fix), stopped(&r.fix)),
            ),
        ],
        charts: vec![charts::timing_by_severity(&r.tell, &r.fix)],
        tables: vec![
            timing_table(
                "Time to tell: detection to the first customer-visible update",
                &r.tell,
            ),
            timing_table("Time to fix: detection to fixed", &r.fix),
        ],
        downloads: vec![
            download("By severity", Table::Timing),
            download("By month", Table::TimingByMonth),
        ],
        empty: stopped(&r.tell) + stopped(&r.fix) == 0,
    }
}

fn cadence(r: &Report, download: &Download) -> Section {
    let c = &r.cadence;
    Section {
        id: "cadence",
        title: "Update cadence",
        headline: story::cadence(c),
        figures: vec![
            ("Intervals met".into(), pct(c.met, c.intervals)),
            ("Intervals".into(), c.intervals.to_string()),
            (
                "Ran late".into(),
                (c.intervals - c.met.min(c.intervals)).to_string(),
            ),
        ],
        charts: vec![charts::cadence_by_month(&c.by_month)],
        tables: Vec::new(),
        downloads: vec![download("By month", Table::Cadence)],
        empty: c.intervals == 0,
    }
}

fn remedies(r: &Report, download: &Download) -> Section {
    let m = &r.remedies;
    let a = &m.approvals;
    let spend = TableView {
        caption: "Delivered, by the problem's origin".into(),
        head: vec!["Origin", "Make-goods", "Cost", "Vendor share", "Net cost"],
        rows: m
            .spend
            .iter()
            .map(|s| {
                RowView::new(vec![
                    origin_label(s.origin).to_owned(),
                    s.count.to_string(),
                    money(s.cost_minor, &s.currency),
                    money(s.vendor_share_minor, &s.currency),
                    money(s.net_minor, &s.currency),
                ])
            })
            .collect(),
    };
    let shares = TableView {
        caption: "Vendor shares of the delivered make-goods".into(),
        head: vec![
            "Currency",
            "Received",
            "Amount received",
            "Owed",
            "Amount owed",
        ],
        rows: m
            .vendor_shares
            .iter()
            .map(|v| {
                RowView::new(vec![
                    v.currency.clone(),
                    v.received_count.to_string(),
                    money(v.received_minor, &v.currency),
                    v.outstanding_count.to_string(),
                    money(v.outstanding_minor, &v.currency),
                ])
            })
            .collect(),
    };
    let delivered: u64 = m.spend.iter().map(|s| s.count).sum();
    let mut tables = Vec::new();
    if !spend.rows.is_empty() {
        tables.push(spend);
    }
    if !shares.rows.is_empty() {
        tables.push(shares);
    }
    Section {
        id: "remedies",
        title: "Remedies",
        headline: story::remedies(m),
        figures: vec![
            ("Make-goods delivered".into(), delivered.to_string()),
            ("Approved".into(), a.approved.to_string()),
            ("Rejected".into(), a.rejected.to_string()),
            ("Median approval time".into(), minutes(a.median_minutes)),
            ("90th percentile".into(), minutes(a.p90_minutes)),
        ],
        charts: charts::spend_by_origin(&m.spend),
        tables,
        downloads: vec![
            download("Spend", Table::Remedies),
            download("Vendor shares", Table::VendorShares),
            download("Approvals", Table::Approvals),
        ],
        empty: delivered == 0 && a.approved + a.rejected == 0,
    }
}

fn prevention(r: &Report, download: &Download) -> Section {
    let p = &r.prevention;
    let mut tables = Vec::new();
    if !p.recurring.is_empty() {
        tables.push(TableView {
            caption: "Recurrences by cause category, most first".into(),
            head: vec!["Category", "Recurrences"],
            rows: p
                .recurring
                .iter()
                .map(|c| RowView::new(vec![c.category.clone(), c.count.to_string()]))
                .collect(),
        });
    }
    let recurred: u64 = p.recurring.iter().map(|c| c.count).sum();
    Section {
        id: "prevention",
        title: "Prevention",
        headline: story::prevention(p),
        figures: vec![
            ("Done on time".into(), pct(p.done_on_time, p.due)),
            ("Found effective".into(), pct(p.effective, p.checks)),
            ("Recurrences".into(), recurred.to_string()),
        ],
        charts: vec![charts::prevention(p)],
        tables,
        downloads: vec![
            download("Corrective actions", Table::Prevention),
            download("Recurrences", Table::Recurring),
        ],
        empty: p.due == 0 && p.checks == 0 && recurred == 0,
    }
}

fn recovery(r: &Report, download: &Download) -> Section {
    let v = &r.recovery;
    let by_month = TableView {
        caption: "Follow-up answers by month".into(),
        head: vec!["Month", "Answers", "Average rating", "Net promoter score"],
        rows: v
            .by_month
            .iter()
            .map(|m| {
                RowView::new(vec![
                    charts::month_label(m.month),
                    m.answers.to_string(),
                    m.average_rating
                        .map_or_else(|| "–".into(), |x| format!("{x:.1}")),
                    m.nps.map_or_else(|| "–".into(), |x| format!("{x:+}")),
                ])
            })
            .collect(),
    };
    let closed: u64 = v.outcomes.iter().map(|o| o.count).sum();
    Section {
        id: "recovery",
        title: "Recovery",
        headline: story::recovery(v),
        figures: vec![
            ("Answers".into(), v.answers.to_string()),
            (
                "Average rating".into(),
                v.average_rating
                    .map_or_else(|| "–".into(), |x| format!("{x:.1} of 5")),
            ),
            (
                "Net promoter score".into(),
                v.nps.map_or_else(|| "–".into(), |x| format!("{x:+}")),
            ),
            ("Problems closed".into(), closed.to_string()),
        ],
        charts: vec![
            charts::nps_by_month(&v.by_month),
            charts::outcomes(&v.outcomes),
        ],
        tables: vec![by_month],
        downloads: vec![
            download("By month", Table::Recovery),
            download("Outcomes", Table::Outcomes),
        ],
        empty: v.answers == 0 && closed == 0,
    }
}

fn failures(r: &Report, download: &Download) -> Section {
    let f = &r.failures;
    let table = TableView {
        caption: "Failures by level, earliest first".into(),
        head: vec!["Level", "Logged", "Broken promises", "Total"],
        rows: f
            .levels
            .iter()
            .map(|l| RowView {
                cells: vec![
                    l.level.label().to_owned(),
                    l.logged.to_string(),
                    l.broken_promises.to_string(),
                    l.total().to_string(),
                ],
                class: if l.level == makegood_domain::FailureLevel::Promise {
                    "highlight"
                } else {
                    ""
                },
            })
            .collect(),
    };
    let total: u64 = f.levels.iter().map(|l| l.total()).sum();
    Section {
        id: "failures",
        title: "The hierarchy of failure",
        headline: story::failures(f),
        figures: Vec::new(),
        charts: vec![charts::failures(f)],
        tables: vec![table],
        downloads: vec![download("By level", Table::Failures)],
        empty: total == 0,
    }
}
