//! The reliability tables: per member and per account, over a selectable period.

use jiff::{SignedDuration, Timestamp};
use makegood_domain::{PromiseRecord, Rate};
use makegood_store::Reliability;

/// How far back the reliability tables look.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Period {
    Days30,
    #[default]
    Days90,
    Days365,
    All,
}

impl Period {
    pub const ALL: [Period; 4] = [Period::Days30, Period::Days90, Period::Days365, Period::All];

    /// The query value.
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Days30 => "30",
            Period::Days90 => "90",
            Period::Days365 => "365",
            Period::All => "all",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Period::Days30 => "Last 30 days",
            Period::Days90 => "Last 90 days",
            Period::Days365 => "Last year",
            Period::All => "All time",
        }
    }

    /// Parses a query value; anything else is the default.
    pub fn parse(s: Option<&str>) -> Period {
        Period::ALL
            .into_iter()
            .find(|p| Some(p.as_str()) == s)
            .unwrap_or_default()
    }

    /// Promises due since this time count; `None` for all.
    pub fn since(self, now: Timestamp) -> Option<Timestamp> {
        let days = match self {
            Period::Days30 => 30,
            Period::Days90 => 90,
            Period::Days365 => 365,
            Period::All => return None,
        };
        now.checked_sub(SignedDuration::from_hours(24 * days)).ok()
    }
}

/// One line of a reliability table.
pub struct ReliabilityRow {
    pub id: i64,
    pub name: String,
    pub kept: u64,
    pub kept_rate: String,
    pub renegotiated: u64,
    pub renegotiated_rate: String,
    pub broken: u64,
    pub broken_rate: String,
    pub released: u64,
    pub open: u64,
    /// Any broken promise: the row is marked.
    pub any_broken: bool,
}

fn shown(rate: Option<Rate>) -> String {
    rate.map_or_else(|| "–".to_owned(), |r| r.to_string())
}

impl ReliabilityRow {
    pub fn new(r: &Reliability) -> Self {
        let PromiseRecord {
            kept,
            renegotiated,
            broken,
            released,
            open,
        } = r.record;
        Self {
            id: r.id,
            name: r.name.clone(),
            kept,
            kept_rate: shown(r.record.kept_rate()),
            renegotiated,
            renegotiated_rate: shown(r.record.renegotiated_rate()),
            broken,
            broken_rate: shown(r.record.broken_rate()),
            released,
            open,
            any_broken: broken > 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_parse_and_reach_back() {
        let now: Timestamp = "2026-11-22T12:00:00Z".parse().unwrap_or_default();
        assert_eq!(Period::parse(Some("30")), Period::Days30);
        assert_eq!(Period::parse(Some("nonsense")), Period::Days90);
        assert_eq!(Period::parse(None), Period::Days90);
        assert_eq!(Period::All.since(now), None);
        assert_eq!(
            Period::Days30.since(now).map(|t| t.to_string()),
            Some("2026-10-23T12:00:00Z".to_owned())
        );
    }
}
