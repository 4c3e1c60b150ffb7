//! What a suite run measured: rows kept as JSON and rendered as the one table of
//! `bench/RESULTS.md`, with the targets checked against them.

use std::fmt::Write as _;

use serde::Serialize;

use crate::loadgen::Figures;
use crate::peers::Peer;

/// Who was measured: a column of the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    Sqlite,
    Postgres,
    Rt,
    DjangoHelpdesk,
    Reference,
}

const COLUMNS: [(Column, &str); 5] = [
    (Column::Sqlite, "makegood, SQLite"),
    (Column::Postgres, "makegood, PostgreSQL"),
    (Column::Rt, "RT 5"),
    (Column::DjangoHelpdesk, "django-helpdesk"),
    (Column::Reference, "bare SQLite"),
];

/// One measurement: a cell of the table, with its raw figures.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    pub workload: String,
    pub dataset: String,
    /// Concurrency and bounds.
    pub load: String,
    pub column: Column,
    pub cell: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub figures: Option<Figures>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
}

/// A target of the issue and whether this run met it.
#[derive(Clone, Debug, Serialize)]
pub struct Target {
    pub what: String,
    pub measured: String,
    pub met: bool,
}

#[derive(Debug, Default, Serialize)]
pub struct Report {
    pub date: String,
    pub commit: String,
    pub machine: String,
    pub command: String,
    pub rows: Vec<Row>,
    pub peers: Vec<Peer>,
    pub targets: Vec<Target>,
    pub minutes: f64,
}

/// "1,234" for whole numbers, three significant digits below 100.
pub fn num(v: f64) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    if v >= 100.0 {
        let whole = v.round() as i64;
        let digits = whole.to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        out
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// A throughput cell: rate, p50 and p99.
pub fn rate(f: &Figures) -> String {
    let failed = if f.failed > 0 {
        format!(", **{} failed**", f.failed)
    } else {
        String::new()
    };
    format!(
        "{}/s · p50 {} · p99 {} ms{failed}",
        num(f.per_second),
        num(f.p50_ms),
        num(f.p99_ms)
    )
}

/// A latency cell: p50 and p99.
pub fn latency(f: &Figures) -> String {
    let failed = if f.failed > 0 {
        format!(", **{} failed**", f.failed)
    } else {
        String::new()
    };
    format!("p50 {} · p99 {} ms{failed}", num(f.p50_ms), num(f.p99_ms))
}

impl Report {
    pub fn push(
        &mut self,
        workload: &str,
        dataset: &str,
        load: &str,
        column: Column,
        cell: String,
    ) -> &mut Row {
        self.rows.push(Row {
            workload: workload.to_owned(),
            dataset: dataset.to_owned(),
            load: load.to_owned(),
            column,
            cell,
            figures: None,
            value: None,
        });
        self.rows.last_mut().expect("just pushed")
    }

    /// A throughput measurement.
    pub fn rate(&mut self, workload: &str, dataset: &str, load: &str, column: Column, f: &Figures) {
        self.push(workload, dataset, load, column, rate(f)).figures = Some(f.clone());
    }

    /// A latency measurement.
    pub fn latency(
        &mut self,
        workload: &str,
        dataset: &str,
        load: &str,
        column: Column,
        f: &Figures,
    ) {
        self.push(workload, dataset, load, column, latency(f))
            .figures = Some(f.clone());
    }

    /// A single value with its unit.
    pub fn value(
        &mut self,
        workload: &str,
        dataset: &str,
        load: &str,
        column: Column,
        v: f64,
        unit: &str,
    ) -> &mut Row {
        let row = self.push(
            workload,
            dataset,
            load,
            column,
            format!("{} {unit}", num(v)),
        );
        row.value = Some(v);
        row
    }

    /// The figures of the first row matching.
    pub fn find(&self, workload: &str, dataset: &str, column: Column) -> Option<&Row> {
        self.rows
            .iter()
            .find(|r| r.workload == workload && r.dataset == dataset && r.column == column)
    }

    pub fn target(&mut self, what: &str, measured: String, met: bool) {
        self.targets.push(Target {
            what: what.to_owned(),
            measured,
            met,
        });
    }

    /// The Markdown of `bench/RESULTS.md`; `notes` (hand-written: what the profiles showed) is
    /// appended as it is.
    pub fn markdown(&self, notes: &str) -> String {
        let mut md = String::new();
        let _ = writeln!(md, "# Benchmark results\n");
        let _ = writeln!(
            md,
            "Generated by `{}` on {} (commit `{}`), in {:.0} minutes. Machine: {}. Every figure \
             below comes from this one run; the raw numbers are in `bench/results/latest.json`. \
             Latencies are measured by the load generator on the same machine (loopback), so \
             they include the HTTP round trip. How each workload is built and bounded: \
             `bench/README.md`.\n",
            self.command, self.date, self.commit, self.minutes, self.machine
        );
        let _ = writeln!(md, "## All workloads\n");
        let used: Vec<_> = COLUMNS
            .iter()
            .filter(|(c, _)| self.rows.iter().any(|r| r.column == *c))
            .collect();
        let _ = write!(md, "| workload | dataset | load |");
        for (_, name) in &used {
            let _ = write!(md, " {name} |");
        }
        let _ = write!(md, "\n| --- | --- | --- |");
        for _ in &used {
            let _ = write!(md, " --- |");
        }
        md.push('\n');
        // Rows in the order makegood was measured; the peers' rows join them.
        let mut ordered: Vec<&Row> = self.rows.iter().collect();
        ordered.sort_by_key(|r| matches!(r.column, Column::Rt | Column::DjangoHelpdesk));
        let mut keys: Vec<(&str, &str, &str)> = Vec::new();
        for r in ordered {
            let key = (r.workload.as_str(), r.dataset.as_str(), r.load.as_str());
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
        for (workload, dataset, load) in keys {
            let _ = write!(md, "| {workload} | {dataset} | {load} |");
            for (column, _) in &used {
                let cell = self
                    .rows
                    .iter()
                    .find(|r| {
                        r.workload == workload
                            && r.dataset == dataset
                            && r.load == load
                            && r.column == *column
                    })
                    .map_or("", |r| r.cell.as_str());
                let _ = write!(md, " {cell} |");
            }
            md.push('\n');
        }
        let _ = writeln!(md, "\n## Targets\n");
        let _ = writeln!(md, "| target | this run | |\n| --- | --- | --- |");
        for t in &self.targets {
            let mark = if t.met { "met" } else { "**missed**" };
            let _ = writeln!(md, "| {} | {} | {mark} |", t.what, t.measured);
        }
        md.push('\n');
        md.push_str(notes);
        md
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_at_a_glance() {
        assert_eq!(num(1234.4), "1,234");
        assert_eq!(num(1_234_567.0), "1,234,567");
        assert_eq!(num(100.0), "100");
        assert_eq!(num(12.345), "12.3");
        assert_eq!(num(1.234), "1.23");
        assert_eq!(num(f64::NAN), "–");
    }

    #[test]
    fn one_row_per_workload_with_a_cell_per_column() {
        let mut report = Report::default();
        report.value(
            "cold start",
            "empty",
            "5 starts",
            Column::Sqlite,
            41.0,
            "ms",
        );
        report.value("cold start", "empty", "5 starts", Column::Rt, 1440.0, "ms");
        report.value("binary size", "", "", Column::Sqlite, 20.5, "MiB");
        report.target("cold start under 200 ms", "41 ms".into(), true);
        let md = report.markdown("## Notes\n");
        assert!(
            md.contains("| workload | dataset | load | makegood, SQLite | RT 5 |\n"),
            "{md}"
        );
        assert!(
            md.contains("| cold start | empty | 5 starts | 41.0 ms | 1,440 ms |\n"),
            "{md}"
        );
        assert!(md.contains("| binary size |  |  | 20.5 MiB |  |\n"), "{md}");
        assert!(
            md.contains("| cold start under 200 ms | 41 ms | met |"),
            "{md}"
        );
        assert!(md.ends_with("## Notes\n"));
    }

    #[test]
    fn the_peers_rows_follow_makegood_s_order() {
        let mut report = Report::default();
        report.value("list", "10k", "", Column::Rt, 90.0, "ms");
        report.value("create", "", "", Column::Sqlite, 200.0, "/s");
        report.value("list", "10k", "", Column::Sqlite, 3.0, "ms");
        let md = report.markdown("");
        let (create, list) = (md.find("| create |"), md.find("| list |"));
        assert!(create.is_some() && create < list, "{md}");
        assert!(md.contains("| list | 10k |  | 3.00 ms | 90.0 ms |"), "{md}");
    }
}
