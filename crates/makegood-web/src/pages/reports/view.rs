//! A report as the page shows it: sections in the order, each a headline, a few
//! figures, charts, tables and its CSV links, every value already written as people read it.

use makegood_domain::report::percent;
use makegood_domain::{Origin, Severity};

use super::charts::Chart;
use super::story;

mod build;
#[cfg(test)]
mod tests;

pub use build::sections;

/// One section of the page.
pub struct Section {
    /// The anchor and the heading's id.
    pub id: &'static str,
    pub title: &'static str,
    pub headline: String,
    /// Big numbers: (label, value).
    pub figures: Vec<(String, String)>,
    pub charts: Vec<Chart>,
    pub tables: Vec<TableView>,
    /// "Download CSV" links: (what, href).
    pub downloads: Vec<(String, String)>,
    /// Nothing to show: the headline says so and the charts and tables are left out.
    pub empty: bool,
}

/// A table of figures: the first column names the row.
pub struct TableView {
    pub caption: String,
    pub head: Vec<&'static str>,
    pub rows: Vec<RowView>,
}

pub struct RowView {
    pub cells: Vec<String>,
    /// `has-broken`, `highlight` or empty.
    pub class: &'static str,
}

impl RowView {
    fn new(cells: Vec<String>) -> Self {
        Self { cells, class: "" }
    }
}

/// "Critical".
pub fn severity_label(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "Critical",
        Severity::Major => "Major",
        Severity::Minor => "Minor",
    }
}

/// "Vendor".
pub fn origin_label(o: Origin) -> &'static str {
    match o {
        Origin::Ours => "Ours",
        Origin::Customer => "Customer",
        Origin::Vendor => "Vendor",
        Origin::Unknown => "Unknown",
    }
}

/// `EUR 1,234.00`.
pub fn money(minor: i64, currency: &str) -> String {
    makegood_domain::Currency::new(currency).map_or_else(
        |_| format!("{currency} {minor} (minor units)"),
        |c| makegood_domain::Money::new(minor, c).label(),
    )
}

/// `92%`, or `–` when there is no whole.
fn pct(part: u64, whole: u64) -> String {
    percent(part, whole).map_or_else(|| "–".to_owned(), |p| format!("{p:.0}%"))
}

fn minutes(m: Option<i64>) -> String {
    m.map_or_else(|| "–".to_owned(), story::minutes)
}
