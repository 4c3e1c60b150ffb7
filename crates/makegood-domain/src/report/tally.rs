//! The additive counts reports are built from: keys, values, roll-ups, and sums of contributions.

use std::collections::BTreeMap;

use crate::{MemberId, Origin, Severity};

/// What a count measures. The stored code never changes once released.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Metric {
    /// An ended promise; bucket = [`PromiseEnd`] code, `n` promises.
    Promise,
    /// A tell clock stopped; bucket = histogram bucket of the elapsed minutes, `n` = 1,
    /// `sum` = 1 when within policy.
    Tell,
    /// A fix clock stopped; as [`Metric::Tell`].
    Fix,
    /// Update intervals ended; `n` intervals, `sum` met.
    Cadence,
    /// Remedies delivered; bucket = currency key, `n` remedies, `sum` cost in minor units.
    SpendCost,
    /// `sum` = vendor shares of delivered remedies; bucket = currency key.
    SpendShare,
    /// `sum` = net cost of delivered remedies; bucket = currency key.
    SpendNet,
    /// Vendor shares received of delivered remedies; `n` shares, `sum` minor units.
    ShareReceived,
    /// Vendor shares still owed of delivered remedies.
    ShareOutstanding,
    /// Approvals decided: approved; bucket = histogram bucket of the minutes to decide.
    Approved,
    /// Approvals decided: rejected.
    Rejected,
    /// Corrective actions due; `n` due, `sum` done on time.
    PreventionDue,
    /// Effectiveness checks; `n` checks, `sum` effective.
    PreventionCheck,
    /// Recurrences flagged; bucket = label key of the cause category.
    Recurrence,
    /// Follow-up answers; `n` answers.
    Answer,
    /// Ratings given; `n` ratings, `sum` of the ratings.
    Rating,
    /// Recommend scores given; bucket = [`NPS_PROMOTER`], [`NPS_PASSIVE`] or [`NPS_DETRACTOR`].
    Nps,
    /// Problems closed; bucket = outcome code.
    Outcome,
    /// Ended promises per account; bucket = `account * 8 + PromiseEnd code`.
    AccountPromise,
    /// The accounts' ranking, one row per account and month: bucket = account, `n` broken,
    /// `sum` ended.
    AccountRank,
}

impl Metric {
    pub const ALL: [Metric; 20] = [
        Metric::Promise,
        Metric::Tell,
        Metric::Fix,
        Metric::Cadence,
        Metric::SpendCost,
        Metric::SpendShare,
        Metric::SpendNet,
        Metric::ShareReceived,
        Metric::ShareOutstanding,
        Metric::Approved,
        Metric::Rejected,
        Metric::PreventionDue,
        Metric::PreventionCheck,
        Metric::Recurrence,
        Metric::Answer,
        Metric::Rating,
        Metric::Nps,
        Metric::Outcome,
        Metric::AccountPromise,
        Metric::AccountRank,
    ];

    /// The stored code.
    pub fn code(self) -> i16 {
        match self {
            Metric::Promise => 1,
            Metric::Tell => 2,
            Metric::Fix => 3,
            Metric::Cadence => 4,
            Metric::SpendCost => 5,
            Metric::SpendShare => 6,
            Metric::SpendNet => 7,
            Metric::ShareReceived => 8,
            Metric::ShareOutstanding => 9,
            Metric::Approved => 10,
            Metric::Rejected => 11,
            Metric::PreventionDue => 12,
            Metric::PreventionCheck => 13,
            Metric::Recurrence => 14,
            Metric::Answer => 15,
            Metric::Rating => 16,
            Metric::Nps => 17,
            Metric::Outcome => 18,
            Metric::AccountPromise => 19,
            Metric::AccountRank => 20,
        }
    }

    /// Read per severity (the roll-up over severities is never read).
    pub fn per_severity(self) -> bool {
        matches!(self, Metric::Tell | Metric::Fix)
    }

    /// Read per origin (the roll-up over origins is never read).
    pub fn per_origin(self) -> bool {
        matches!(
            self,
            Metric::SpendCost
                | Metric::SpendShare
                | Metric::SpendNet
                | Metric::ShareReceived
                | Metric::ShareOutstanding
        )
    }

    /// The metric of a stored code.
    pub fn from_code(code: i16) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.code() == code)
    }
}

/// How a promise ended, as a bucket of [`Metric::Promise`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PromiseEnd {
    Kept = 0,
    Renegotiated = 1,
    Released = 2,
    Broken = 3,
    /// Counted besides [`PromiseEnd::Broken`]: broken with no update in its warning window.
    BrokenSilently = 4,
}

pub const NPS_PROMOTER: i64 = 1;
pub const NPS_PASSIVE: i64 = 0;
pub const NPS_DETRACTOR: i64 = -1;

/// A dimension value meaning "any": the roll-up over every value.
pub const ANY: i64 = 0;
/// The severity and origin of a promise made without a problem: in no severity or origin.
pub const NONE: i16 = -1;

/// The stored code of a severity (1–3, worst first).
pub fn severity_code(s: Severity) -> i16 {
    match s {
        Severity::Critical => 1,
        Severity::Major => 2,
        Severity::Minor => 3,
    }
}

/// The stored code of an origin (1–4).
pub fn origin_code(o: Origin) -> i16 {
    match o {
        Origin::Ours => 1,
        Origin::Customer => 2,
        Origin::Vendor => 3,
        Origin::Unknown => 4,
    }
}

/// The origin of a stored code.
pub fn origin_of(code: i16) -> Option<Origin> {
    [
        Origin::Ours,
        Origin::Customer,
        Origin::Vendor,
        Origin::Unknown,
    ]
    .into_iter()
    .find(|o| origin_code(*o) == code)
}

/// One count's address: what, when (a [`crate::Month::key`]), whose, which kind of problem,
/// and a metric-specific bucket. Member, severity and origin may be [`ANY`] (a roll-up).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    pub metric: Metric,
    pub month: i32,
    pub member: i64,
    pub severity: i16,
    pub origin: i16,
    pub bucket: i64,
}

impl Key {
    /// The keys a contribution at this (fully specific) key adds to: every combination of
    /// member, severity and origin, each either itself or [`ANY`] — so that any filter on
    /// those reads a handful of rows. A severity or origin of [`NONE`] only rolls up to `ANY`;
    /// metrics read per severity (per origin) skip the roll-up over severities (origins).
    pub fn rollups(self) -> impl Iterator<Item = Key> {
        (0u8..8).filter_map(move |mask| {
            let member = if mask & 1 != 0 { self.member } else { ANY };
            let severity = if mask & 2 != 0 { self.severity } else { 0 };
            let origin = if mask & 4 != 0 { self.origin } else { 0 };
            if severity == NONE || origin == NONE {
                return None;
            }
            // Times to tell and fix are only read per severity, remedy money per origin.
            if (self.metric.per_severity() && severity == 0)
                || (self.metric.per_origin() && origin == 0)
            {
                return None;
            }
            Some(Key {
                member,
                severity,
                origin,
                ..self
            })
        })
    }

    /// The member dimension as a member, `None` for the roll-up.
    pub fn member_id(&self) -> Option<MemberId> {
        (self.member != ANY).then_some(MemberId(self.member))
    }
}

/// A count and a sum.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Value {
    pub n: i64,
    pub sum: i64,
}

impl Value {
    pub fn is_zero(self) -> bool {
        self.n == 0 && self.sum == 0
    }
}

/// One subject's contribution at one fully specific key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Item {
    pub key: Key,
    pub value: Value,
}

/// Sums of contributions, rolled up; zero entries are dropped so equal tallies compare equal.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally(pub BTreeMap<Key, Value>);

impl Tally {
    /// The tally of `items`, rolled up.
    pub fn of(items: &[Item]) -> Tally {
        let mut t = Tally::default();
        t.add(items, 1);
        t
    }

    /// Adds (`sign` 1) or removes (`sign` −1) `items`.
    pub fn add(&mut self, items: &[Item], sign: i64) {
        for item in items {
            for key in item.key.rollups() {
                self.add_at(
                    key,
                    Value {
                        n: item.value.n * sign,
                        sum: item.value.sum * sign,
                    },
                );
            }
        }
    }

    /// Adds `value` at `key` (already rolled up).
    pub fn add_at(&mut self, key: Key, value: Value) {
        let entry = self.0.entry(key).or_default();
        entry.n += value.n;
        entry.sum += value.sum;
        if entry.is_zero() {
            self.0.remove(&key);
        }
    }

    /// What to add to a tally holding `old` so that it holds `new` instead: only the keys
    /// whose sums change.
    pub fn delta(old: &[Item], new: &[Item]) -> Tally {
        let mut t = Tally::of(new);
        t.add(old, -1);
        t
    }
}

/// Contributions written compactly for storage: `[[metric, month, member, severity, origin,
/// bucket, n, sum], …]`.
pub fn encode(items: &[Item]) -> String {
    let rows: Vec<[i64; 8]> = items
        .iter()
        .map(|i| {
            [
                i64::from(i.key.metric.code()),
                i64::from(i.key.month),
                i.key.member,
                i64::from(i.key.severity),
                i64::from(i.key.origin),
                i.key.bucket,
                i.value.n,
                i.value.sum,
            ]
        })
        .collect();
    serde_json::to_string(&rows).unwrap_or_else(|_| "[]".to_owned())
}

/// The contributions of [`encode`]; `None` if they do not read back.
pub fn decode(s: &str) -> Option<Vec<Item>> {
    let rows: Vec<[i64; 8]> = serde_json::from_str(s).ok()?;
    rows.into_iter()
        .map(|r| {
            Some(Item {
                key: Key {
                    metric: Metric::from_code(i16::try_from(r[0]).ok()?)?,
                    month: i32::try_from(r[1]).ok()?,
                    member: r[2],
                    severity: i16::try_from(r[3]).ok()?,
                    origin: i16::try_from(r[4]).ok()?,
                    bucket: r[5],
                },
                value: Value { n: r[6], sum: r[7] },
            })
        })
        .collect()
}

/// A currency code as a bucket: its three letters packed.
pub fn currency_key(code: &str) -> i64 {
    code.bytes()
        .take(3)
        .fold(0i64, |acc, b| acc * 256 + i64::from(b))
}

/// The currency code of a [`currency_key`].
pub fn currency_of(key: i64) -> String {
    let bytes = [(key >> 16) as u8, (key >> 8) as u8, key as u8];
    String::from_utf8_lossy(&bytes)
        .trim_start_matches('\0')
        .to_owned()
}

/// A free-text label (a cause category) as a bucket: a 63-bit FNV-1a hash; the store keeps
/// the label beside it.
pub fn label_key(label: &str) -> i64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in label.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (h >> 1) as i64
}
