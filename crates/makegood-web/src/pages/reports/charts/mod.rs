//! The report's charts, drawn on the server with `plotters` into SVG and inlined in the page:
//! no script, nothing for the CSP to refuse (colours are presentation attributes, never
//! `style`). Each chart is `role="img"` with a `<title>` and a `<desc>` that carries its
//! figures in words; the legend is HTML below it.

mod bars;

use makegood_domain::report::{
    FailureReport, Month, MonthCadence, MonthPromises, MonthRecovery, OutcomeCount,
    PreventionReport, Spend, TimingReport, percent,
};
use makegood_domain::{FailureLevel, Outcome};
use plotters::prelude::*;

use self::bars::{Bars, Series, describe};
use super::view::severity_label;

/// A drawn chart and its legend.
pub struct Chart {
    /// What it shows, for the region that scrolls it on narrow screens.
    pub title: String,
    /// The `<svg>` element; `None` when drawing failed (logged; the tables still show).
    pub svg: Option<String>,
    /// (label, `#rrggbb`).
    pub legend: Vec<(String, String)>,
}

pub(super) const WIDTH: u32 = 760;
pub(super) const HEIGHT: u32 = 340;
pub(super) const FONT: &str = "sans-serif";

// The stylesheet's palette: AA contrast on white.
pub(super) const INK: RGBColor = RGBColor(0x1d, 0x1d, 0x1f);
pub(super) const GRID: RGBColor = RGBColor(0xd5, 0xd5, 0xda);
const OK: RGBColor = RGBColor(0x1e, 0x6b, 0x24);
const ACCENT: RGBColor = RGBColor(0x0b, 0x57, 0xd0);
const MUTED: RGBColor = RGBColor(0x76, 0x76, 0x76);
const WARNING: RGBColor = RGBColor(0xc2, 0x6a, 0x00);
const BREACHED: RGBColor = RGBColor(0xb0, 0x00, 0x20);
const PURPLE: RGBColor = RGBColor(0x6a, 0x3d, 0x9a);

pub(super) fn hex(c: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

/// `Jan 2026`.
pub fn month_label(m: Month) -> String {
    m.first_day().strftime("%b %Y").to_string()
}

/// The axis label of the `i`th of `months`: the month, with the year on January and the first.
fn month_tick(months: &[Month], i: usize) -> String {
    match months.get(i) {
        Some(m) if i == 0 || m.month == 1 => month_label(*m),
        Some(m) => m.first_day().strftime("%b").to_string(),
        None => String::new(),
    }
}

fn every(n: usize) -> usize {
    n.div_ceil(12).max(1)
}

pub fn promises_by_month(by_month: &[MonthPromises]) -> Chart {
    let months: Vec<Month> = by_month.iter().map(|m| m.month).collect();
    let col = |f: fn(&MonthPromises) -> u64| by_month.iter().map(|m| f(m) as f64).collect();
    let series = vec![
        Series {
            name: "Kept".into(),
            color: OK,
            values: col(|m| m.counts.kept),
        },
        Series {
            name: "Renegotiated".into(),
            color: ACCENT,
            values: col(|m| m.counts.renegotiated),
        },
        Series {
            name: "Released".into(),
            color: MUTED,
            values: col(|m| m.counts.released),
        },
        Series {
            name: "Broken with notice".into(),
            color: WARNING,
            values: col(|m| m.counts.broken - m.counts.broken_silently.min(m.counts.broken)),
        },
        Series {
            name: "Broken without notice".into(),
            color: BREACHED,
            values: col(|m| m.counts.broken_silently),
        },
    ];
    let categories: Vec<String> = months.iter().map(|m| month_label(*m)).collect();
    let ticks = (0..months.len()).map(|i| month_tick(&months, i)).collect();
    Bars {
        id: "chart-promises",
        title: "Promises ended each month, by how they ended".into(),
        desc: describe(&categories, &series),
        categories: ticks,
        x_desc: "Month the promise ended",
        y_desc: "Promises",
        series,
        stacked: true,
        range: None,
        horizontal: false,
        category_colors: None,
        label_every: every(months.len()),
        percent_axis: false,
    }
    .draw()
}

pub fn timing_by_severity(tell: &TimingReport, fix: &TimingReport) -> Chart {
    let share = |t: &TimingReport| {
        t.by_severity
            .iter()
            .map(|s| percent(s.within_policy, s.count).unwrap_or(0.0))
            .collect::<Vec<f64>>()
    };
    let categories: Vec<String> = tell
        .by_severity
        .iter()
        .map(|s| severity_label(s.severity).to_owned())
        .collect();
    let series = vec![
        Series {
            name: "Told within policy".into(),
            color: ACCENT,
            values: share(tell),
        },
        Series {
            name: "Fixed within policy".into(),
            color: OK,
            values: share(fix),
        },
    ];
    Bars {
        id: "chart-timing",
        title: "Share of problems told and fixed within policy, by severity".into(),
        desc: format!("Percent within policy. {}", describe(&categories, &series)),
        categories,
        x_desc: "Severity",
        y_desc: "Within policy",
        series,
        stacked: false,
        range: Some((0.0, 100.0)),
        horizontal: false,
        category_colors: None,
        label_every: 1,
        percent_axis: true,
    }
    .draw()
}

pub fn cadence_by_month(by_month: &[MonthCadence]) -> Chart {
    let months: Vec<Month> = by_month.iter().map(|m| m.month).collect();
    let series = vec![
        Series {
            name: "Met".into(),
            color: OK,
            values: by_month.iter().map(|m| m.met as f64).collect(),
        },
        Series {
            name: "Late".into(),
            color: BREACHED,
            values: by_month
                .iter()
                .map(|m| m.intervals.saturating_sub(m.met) as f64)
                .collect(),
        },
    ];
    let categories: Vec<String> = months.iter().map(|m| month_label(*m)).collect();
    Bars {
        id: "chart-cadence",
        title: "Intervals between customer updates each month, met or late".into(),
        desc: describe(&categories, &series),
        categories: (0..months.len()).map(|i| month_tick(&months, i)).collect(),
        x_desc: "Month the interval ended",
        y_desc: "Intervals",
        series,
        stacked: true,
        range: None,
        horizontal: false,
        category_colors: None,
        label_every: every(months.len()),
        percent_axis: false,
    }
    .draw()
}

/// One chart per currency: net cost and vendor share, stacked, by origin.
pub fn spend_by_origin(spend: &[Spend]) -> Vec<Chart> {
    let mut currencies: Vec<&str> = spend.iter().map(|s| s.currency.as_str()).collect();
    currencies.sort_unstable();
    currencies.dedup();
    currencies
        .into_iter()
        .map(|currency| {
            let rows: Vec<&Spend> = spend.iter().filter(|s| s.currency == currency).collect();
            let categories: Vec<String> = rows
                .iter()
                .map(|s| super::view::origin_label(s.origin).to_owned())
                .collect();
            let series = vec![
                Series {
                    name: "Net cost to us".into(),
                    color: ACCENT,
                    values: rows.iter().map(|s| s.net_minor as f64 / 100.0).collect(),
                },
                Series {
                    name: "Vendor share".into(),
                    color: PURPLE,
                    values: rows
                        .iter()
                        .map(|s| s.vendor_share_minor as f64 / 100.0)
                        .collect(),
                },
            ];
            Bars {
                id: &format!("chart-spend-{}", currency.to_lowercase()),
                title: format!("Make-good spend in {currency} by the problem's origin"),
                desc: format!("In {currency}. {}", describe(&categories, &series)),
                categories,
                x_desc: "Origin",
                y_desc: currency,
                series,
                stacked: true,
                range: None,
                horizontal: false,
                category_colors: None,
                label_every: 1,
                percent_axis: false,
            }
            .draw()
        })
        .collect()
}

pub fn prevention(p: &PreventionReport) -> Chart {
    let categories = vec![
        "Corrective actions".to_owned(),
        "Effectiveness checks".to_owned(),
    ];
    let series = vec![
        Series {
            name: "Due or checked".into(),
            color: MUTED,
            values: vec![p.due as f64, p.checks as f64],
        },
        Series {
            name: "Done on time or effective".into(),
            color: OK,
            values: vec![p.done_on_time as f64, p.effective as f64],
        },
    ];
    Bars {
        id: "chart-prevention",
        title: "Corrective actions done on time, and checks that found them effective".into(),
        desc: describe(&categories, &series),
        categories,
        x_desc: "",
        y_desc: "Count",
        series,
        stacked: false,
        range: None,
        horizontal: false,
        category_colors: None,
        label_every: 1,
        percent_axis: false,
    }
    .draw()
}

pub fn nps_by_month(by_month: &[MonthRecovery]) -> Chart {
    let months: Vec<Month> = by_month.iter().map(|m| m.month).collect();
    let desc = by_month
        .iter()
        .map(|m| match (m.nps, m.average_rating) {
            (Some(nps), Some(r)) => format!(
                "{}: net promoter score {nps:+}, average rating {r:.1}, {} answers",
                month_label(m.month),
                m.answers
            ),
            (Some(nps), None) => format!("{}: net promoter score {nps:+}", month_label(m.month)),
            _ => format!("{}: no answers", month_label(m.month)),
        })
        .collect::<Vec<_>>()
        .join("; ");
    let values: Vec<f64> = by_month
        .iter()
        .map(|m| m.nps.map_or(0.0, |v| v as f64))
        .collect();
    let colors = values
        .iter()
        .map(|v| if *v < 0.0 { BREACHED } else { OK })
        .collect();
    Bars {
        id: "chart-nps",
        title: "Net promoter score of the follow-up answers each month".into(),
        desc,
        categories: (0..months.len()).map(|i| month_tick(&months, i)).collect(),
        x_desc: "Month answered",
        y_desc: "Net promoter score",
        series: vec![Series {
            name: "Net promoter score".into(),
            color: OK,
            values,
        }],
        stacked: false,
        range: Some((-100.0, 100.0)),
        horizontal: false,
        category_colors: Some(colors),
        label_every: every(months.len()),
        percent_axis: false,
    }
    .draw()
}

fn outcome_label(o: Outcome) -> &'static str {
    match o {
        Outcome::Advocate => "Advocate",
        Outcome::Retained => "Retained",
        Outcome::AtRisk => "At risk",
        Outcome::Lost => "Lost",
        Outcome::Unknown => "Unknown",
    }
}

pub fn outcomes(outcomes: &[OutcomeCount]) -> Chart {
    let categories: Vec<String> = outcomes
        .iter()
        .map(|o| outcome_label(o.outcome).to_owned())
        .collect();
    let colors = outcomes
        .iter()
        .map(|o| match o.outcome {
            Outcome::Advocate | Outcome::Retained => OK,
            Outcome::AtRisk => WARNING,
            Outcome::Lost => BREACHED,
            Outcome::Unknown => MUTED,
        })
        .collect();
    let series = vec![Series {
        name: "Problems closed".into(),
        color: OK,
        values: outcomes.iter().map(|o| o.count as f64).collect(),
    }];
    Bars {
        id: "chart-outcomes",
        title: "Outcomes of the problems closed in the period".into(),
        desc: describe(&categories, &series),
        categories,
        x_desc: "Problems closed",
        y_desc: "",
        series,
        stacked: false,
        range: None,
        horizontal: true,
        category_colors: Some(colors),
        label_every: 1,
        percent_axis: false,
    }
    .draw()
}

pub fn failures(f: &FailureReport) -> Chart {
    let categories: Vec<String> = f
        .levels
        .iter()
        .map(|l| l.level.label().to_owned())
        .collect();
    let colors = f
        .levels
        .iter()
        .map(|l| {
            if l.level == FailureLevel::Promise {
                BREACHED
            } else {
                ACCENT
            }
        })
        .collect();
    let series = vec![Series {
        name: "Failures".into(),
        color: ACCENT,
        values: f.levels.iter().map(|l| l.total() as f64).collect(),
    }];
    let mut chart = Bars {
        id: "chart-failures",
        title: "Failures by how far they got, earliest first; the promise level in red".into(),
        desc: describe(&categories, &series),
        categories,
        x_desc: "Failures (logged, and broken promises at the promise level)",
        y_desc: "",
        series,
        stacked: false,
        range: None,
        horizontal: true,
        category_colors: Some(colors),
        label_every: 1,
        percent_axis: false,
    }
    .draw();
    chart.legend = vec![
        ("Before a customer (idea to pilot)".into(), hex(ACCENT)),
        ("A promise to a customer".into(), hex(BREACHED)),
    ];
    chart
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_has_labelled_axes_a_legend_and_no_style_attributes() {
        let months = Month::range(
            Month {
                year: 2026,
                month: 1,
            },
            Month {
                year: 2026,
                month: 12,
            },
        );
        let by_month: Vec<MonthCadence> = months
            .iter()
            .map(|m| MonthCadence {
                month: *m,
                intervals: 4,
                met: 3,
            })
            .collect();
        let chart = cadence_by_month(&by_month);
        let svg = chart.svg.unwrap_or_default();
        assert!(svg.contains("role=\"img\""), "{svg}");
        assert!(!svg.contains("style="), "{svg}");
        assert!(svg.contains(">\nJan 2026\n</text>"), "{svg}");
        assert!(svg.contains(">\nIntervals\n</text>"), "{svg}");
        assert_eq!(chart.legend.len(), 2);
    }
}
