//! A [`Report`] from the counts of one selection of member, severity and origin.

use std::collections::{BTreeMap, HashMap};

use super::facts::{OUTCOMES, outcome_code};
use super::histogram::percentile;
use super::tally::{
    ANY, Key, Metric, NPS_DETRACTOR, NPS_PROMOTER, PromiseEnd, Tally, Value, currency_of,
    origin_code, origin_of, severity_code,
};
use super::*;
use crate::{AccountId, MemberId, Policies, Severity};

/// The dimension values a filter reads: the member, severity and origin, or [`ANY`].
pub fn selection(filter: &ReportFilter) -> (i64, i16, i16) {
    (
        filter.member.map_or(ANY, |m| m.0),
        filter.severity.map_or(0, severity_code),
        filter.origin.map_or(0, origin_code),
    )
}

/// The counts a report reads, all at the filter's member and within its months.
#[derive(Clone, Debug, Default)]
pub struct Counts {
    /// Most metrics at the selection: `(metric, month, bucket)`.
    pub at: BTreeMap<(Metric, i32, i64), Value>,
    /// [`Metric::Tell`] and [`Metric::Fix`] per severity: `(metric, severity code, month, bucket)`.
    pub timing: BTreeMap<(Metric, i16, i32, i64), Value>,
    /// Remedy money per origin: `(metric, origin code, bucket)`.
    pub money: BTreeMap<(Metric, i16, i64), Value>,
    /// [`Metric::Promise`] per member: `(member, PromiseEnd code)` → promises.
    pub by_member: BTreeMap<(MemberId, i64), i64>,
    /// [`Metric::AccountPromise`] per account (only on the in-memory path).
    pub by_account: BTreeMap<i64, BTreeMap<i64, i64>>,
    /// The accounts to list, ranked, with their ended promises by [`PromiseEnd`] code.
    pub accounts: Vec<(AccountId, BTreeMap<i64, i64>)>,
}

/// Whether `metric` is read per severity.
pub fn per_severity(metric: Metric) -> bool {
    metric.per_severity()
}

/// Whether `metric` is read per origin.
pub fn per_origin(metric: Metric) -> bool {
    metric.per_origin()
}

impl Counts {
    /// Takes in one stored count if `filter` reads it (anything else is ignored), so the
    /// store may over-fetch.
    pub fn add(&mut self, k: &Key, v: Value, filter: &ReportFilter) {
        let (member, severity, origin) = selection(filter);
        if k.month < filter.from.key() || k.month > filter.to.key() {
            return;
        }
        let at_selection = k.severity == severity && k.origin == origin;
        if k.metric == Metric::Promise
            && at_selection
            && k.member != ANY
            && (member == ANY || member == k.member)
        {
            *self
                .by_member
                .entry((MemberId(k.member), k.bucket))
                .or_default() += v.n;
        }
        if k.member != member {
            return;
        }
        let add = |e: &mut Value| {
            e.n += v.n;
            e.sum += v.sum;
        };
        if per_severity(k.metric) {
            if k.origin == origin && k.severity > 0 && (severity == 0 || k.severity == severity) {
                add(self
                    .timing
                    .entry((k.metric, k.severity, k.month, k.bucket))
                    .or_default());
            }
        } else if per_origin(k.metric) {
            if k.severity == severity && k.origin > 0 && (origin == 0 || k.origin == origin) {
                add(self
                    .money
                    .entry((k.metric, k.origin, k.bucket))
                    .or_default());
            }
        } else if !at_selection || k.metric == Metric::AccountRank {
            // Another severity or origin (read only through the per-severity or per-origin
            // metrics above), or the ranking the store reads itself.
        } else if k.metric == Metric::AccountPromise {
            let account = k.bucket.div_euclid(8);
            if filter.account.is_none_or(|a| a.0 == account) {
                *self
                    .by_account
                    .entry(account)
                    .or_default()
                    .entry(k.bucket.rem_euclid(8))
                    .or_default() += v.n;
            }
        } else {
            add(self.at.entry((k.metric, k.month, k.bucket)).or_default());
        }
    }

    /// The counts of `filter` in an in-memory tally (the account filter's path).
    pub fn from_tally(tally: &Tally, filter: &ReportFilter) -> Counts {
        let mut c = Counts::default();
        for (k, v) in &tally.0 {
            c.add(k, *v, filter);
        }
        c.accounts = rank_accounts(std::mem::take(&mut c.by_account));
        c
    }

    /// The entries of `metric` in `month` (`None`: every month), found by range.
    fn entries(
        &self,
        metric: Metric,
        month: Option<i32>,
    ) -> impl Iterator<Item = (&(Metric, i32, i64), &Value)> {
        let (lo, hi) = month.map_or((i32::MIN, i32::MAX), |m| (m, m));
        self.at
            .range((metric, lo, i64::MIN)..=(metric, hi, i64::MAX))
    }

    fn sum(&self, metric: Metric, month: Option<i32>, bucket: Option<i64>) -> Value {
        let mut total = Value::default();
        for ((_, _, b), v) in self.entries(metric, month) {
            if bucket.is_none_or(|x| x == *b) {
                total.n += v.n;
                total.sum += v.sum;
            }
        }
        total
    }

    fn buckets(&self, metric: Metric, month: Option<i32>) -> BTreeMap<i64, Value> {
        let mut out: BTreeMap<i64, Value> = BTreeMap::new();
        for ((_, _, b), v) in self.entries(metric, month) {
            let e = out.entry(*b).or_default();
            e.n += v.n;
            e.sum += v.sum;
        }
        out
    }

    /// Timing counts of `metric` in `severity` (`None`: all) and `month` (`None`: all):
    /// the histogram and the total.
    fn timing_of(
        &self,
        metric: Metric,
        severity: Option<i16>,
        month: Option<i32>,
    ) -> (Vec<(i64, i64)>, Value) {
        let mut hist: BTreeMap<i64, i64> = BTreeMap::new();
        let mut total = Value::default();
        let (slo, shi) = severity.map_or((i16::MIN, i16::MAX), |s| (s, s));
        let range = (metric, slo, i32::MIN, i64::MIN)..=(metric, shi, i32::MAX, i64::MAX);
        for ((_, _, mo, b), v) in self.timing.range(range) {
            if month.is_none_or(|x| x == *mo) {
                *hist.entry(*b).or_default() += v.n;
                total.n += v.n;
                total.sum += v.sum;
            }
        }
        (hist.into_iter().collect(), total)
    }
}

/// The twenty accounts with the most broken promises, then the most ended, then by id.
pub fn rank_accounts(
    accounts: BTreeMap<i64, BTreeMap<i64, i64>>,
) -> Vec<(AccountId, BTreeMap<i64, i64>)> {
    let mut list: Vec<(AccountId, BTreeMap<i64, i64>)> = accounts
        .into_iter()
        .map(|(a, c)| (AccountId(a), c))
        .collect();
    let score = |c: &BTreeMap<i64, i64>| {
        let counts = promise_counts(c);
        (counts.broken, counts.ended())
    };
    list.sort_by(|a, b| score(&b.1).cmp(&score(&a.1)).then(a.0.0.cmp(&b.0.0)));
    list.truncate(20);
    list
}

/// Promise counts from counts by [`PromiseEnd`] code.
pub fn promise_counts(by_end: &BTreeMap<i64, i64>) -> PromiseCounts {
    let get = |e: PromiseEnd| by_end.get(&(e as i64)).copied().unwrap_or(0).max(0) as u64;
    PromiseCounts {
        kept: get(PromiseEnd::Kept),
        renegotiated: get(PromiseEnd::Renegotiated),
        released: get(PromiseEnd::Released),
        broken: get(PromiseEnd::Broken),
        broken_silently: get(PromiseEnd::BrokenSilently),
    }
}

/// Everything besides the counts that a report shows.
#[derive(Clone, Debug)]
pub struct Context<'a> {
    pub policies: &'a Policies,
    pub member_names: &'a HashMap<MemberId, String>,
    pub account_names: &'a HashMap<AccountId, String>,
    /// Cause categories by [`super::tally::label_key`].
    pub labels: &'a HashMap<i64, String>,
    /// The failure log's entries in the period, by level.
    pub failures: &'a [(FailureLevel, u64)],
}

fn u(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// The report of `filter` from its `counts`.
pub fn report(filter: &ReportFilter, counts: &Counts, cx: &Context<'_>) -> Report {
    let months = Month::range(filter.from, filter.to);
    let promises = promise_report(&months, counts, cx);
    let broken = promises.total.broken;
    Report {
        filter: filter.clone(),
        promises,
        tell: timing(&months, counts, Metric::Tell, cx.policies, |p| {
            p.tell_within_minutes
        }),
        cadence: cadence(&months, counts),
        fix: timing(&months, counts, Metric::Fix, cx.policies, |p| {
            p.fix_within_minutes
        }),
        remedies: remedies(counts),
        prevention: prevention(counts, cx),
        recovery: recovery(&months, counts),
        failures: FailureReport {
            levels: FailureLevel::ALL
                .into_iter()
                .map(|level| FailureCount {
                    level,
                    logged: cx
                        .failures
                        .iter()
                        .filter(|(l, _)| *l == level)
                        .map(|(_, n)| n)
                        .sum(),
                    broken_promises: if level == FailureLevel::Promise {
                        broken
                    } else {
                        0
                    },
                })
                .collect(),
        },
    }
}

fn promise_report(months: &[Month], counts: &Counts, cx: &Context<'_>) -> PromiseReport {
    let by_end = |month: Option<i32>| {
        let m: BTreeMap<i64, i64> = counts
            .buckets(Metric::Promise, month)
            .into_iter()
            .map(|(b, v)| (b, v.n))
            .collect();
        promise_counts(&m)
    };
    let mut members: BTreeMap<MemberId, BTreeMap<i64, i64>> = BTreeMap::new();
    for ((member, bucket), n) in &counts.by_member {
        *members
            .entry(*member)
            .or_default()
            .entry(*bucket)
            .or_default() += n;
    }
    let mut by_member: Vec<MemberPromises> = members
        .into_iter()
        .map(|(member, c)| MemberPromises {
            member,
            name: cx.member_names.get(&member).cloned().unwrap_or_default(),
            counts: promise_counts(&c),
        })
        .filter(|m| m.counts.ended() > 0)
        .collect();
    by_member.sort_by(|a, b| {
        b.counts
            .broken
            .cmp(&a.counts.broken)
            .then(b.counts.ended().cmp(&a.counts.ended()))
            .then(a.name.cmp(&b.name))
            .then(a.member.0.cmp(&b.member.0))
    });
    PromiseReport {
        total: by_end(None),
        by_month: months
            .iter()
            .map(|m| MonthPromises {
                month: *m,
                counts: by_end(Some(m.key())),
            })
            .collect(),
        by_member,
        by_account: counts
            .accounts
            .iter()
            .map(|(account, c)| AccountPromises {
                account: *account,
                name: cx.account_names.get(account).cloned().unwrap_or_default(),
                counts: promise_counts(c),
            })
            .collect(),
    }
}

fn timing(
    months: &[Month],
    counts: &Counts,
    metric: Metric,
    policies: &Policies,
    span: impl Fn(&crate::Policy) -> i64,
) -> TimingReport {
    let by_severity = Severity::ALL
        .into_iter()
        .map(|severity| {
            let (hist, total) = counts.timing_of(metric, Some(severity_code(severity)), None);
            SeverityTiming {
                severity,
                policy_minutes: span(policies.get(severity)),
                count: u(total.n),
                within_policy: u(total.sum),
                median_minutes: percentile(&hist, 50),
                p90_minutes: percentile(&hist, 90),
            }
        })
        .collect();
    // One pass for every month's totals.
    let mut per_month: BTreeMap<i32, Value> = BTreeMap::new();
    for ((_, _, mo, _), v) in counts
        .timing
        .range((metric, i16::MIN, i32::MIN, i64::MIN)..=(metric, i16::MAX, i32::MAX, i64::MAX))
    {
        let e = per_month.entry(*mo).or_default();
        e.n += v.n;
        e.sum += v.sum;
    }
    TimingReport {
        by_severity,
        by_month: months
            .iter()
            .map(|m| {
                let v = per_month.get(&m.key()).copied().unwrap_or_default();
                MonthTiming {
                    month: *m,
                    count: u(v.n),
                    within_policy: u(v.sum),
                }
            })
            .collect(),
    }
}

fn cadence(months: &[Month], counts: &Counts) -> CadenceReport {
    let total = counts.sum(Metric::Cadence, None, None);
    CadenceReport {
        intervals: u(total.n),
        met: u(total.sum),
        by_month: months
            .iter()
            .map(|m| {
                let v = counts.sum(Metric::Cadence, Some(m.key()), None);
                MonthCadence {
                    month: *m,
                    intervals: u(v.n),
                    met: u(v.sum),
                }
            })
            .collect(),
    }
}

fn remedies(counts: &Counts) -> RemedyReport {
    let mut spend: BTreeMap<(i16, String), Spend> = BTreeMap::new();
    let mut shares: BTreeMap<String, VendorShares> = BTreeMap::new();
    for (&(metric, origin, bucket), v) in &counts.money {
        let currency = currency_of(bucket);
        if matches!(
            metric,
            Metric::SpendCost | Metric::SpendShare | Metric::SpendNet
        ) {
            let Some(o) = origin_of(origin) else { continue };
            let s = spend.entry((origin, currency.clone())).or_insert(Spend {
                origin: o,
                currency: currency.clone(),
                count: 0,
                cost_minor: 0,
                vendor_share_minor: 0,
                net_minor: 0,
            });
            match metric {
                Metric::SpendCost => {
                    s.count += u(v.n);
                    s.cost_minor += v.sum;
                }
                Metric::SpendShare => s.vendor_share_minor += v.sum,
                _ => s.net_minor += v.sum,
            }
        } else {
            let s = shares.entry(currency.clone()).or_insert(VendorShares {
                currency: currency.clone(),
                received_count: 0,
                received_minor: 0,
                outstanding_count: 0,
                outstanding_minor: 0,
            });
            if metric == Metric::ShareReceived {
                s.received_count += u(v.n);
                s.received_minor += v.sum;
            } else {
                s.outstanding_count += u(v.n);
                s.outstanding_minor += v.sum;
            }
        }
    }
    let mut decided: BTreeMap<i64, i64> = BTreeMap::new();
    for metric in [Metric::Approved, Metric::Rejected] {
        for (b, v) in counts.buckets(metric, None) {
            *decided.entry(b).or_default() += v.n;
        }
    }
    let decided: Vec<(i64, i64)> = decided.into_iter().collect();
    RemedyReport {
        spend: spend.into_values().filter(|s| s.count > 0).collect(),
        vendor_shares: shares.into_values().collect(),
        approvals: Approvals {
            approved: u(counts.sum(Metric::Approved, None, None).n),
            rejected: u(counts.sum(Metric::Rejected, None, None).n),
            median_minutes: percentile(&decided, 50),
            p90_minutes: percentile(&decided, 90),
        },
    }
}

fn prevention(counts: &Counts, cx: &Context<'_>) -> PreventionReport {
    let due = counts.sum(Metric::PreventionDue, None, None);
    let checks = counts.sum(Metric::PreventionCheck, None, None);
    let mut recurring: Vec<Recurring> = counts
        .buckets(Metric::Recurrence, None)
        .into_iter()
        .filter(|(_, v)| v.n > 0)
        .map(|(b, v)| Recurring {
            category: cx.labels.get(&b).cloned().unwrap_or_default(),
            count: u(v.n),
        })
        .collect();
    recurring.sort_by(|a, b| b.count.cmp(&a.count).then(a.category.cmp(&b.category)));
    PreventionReport {
        due: u(due.n),
        done_on_time: u(due.sum),
        checks: u(checks.n),
        effective: u(checks.sum),
        recurring,
    }
}

/// Answers, mean rating and NPS of `month` (or the whole period).
fn answers(counts: &Counts, month: Option<i32>) -> (u64, Option<f64>, Option<i64>) {
    let answers = counts.sum(Metric::Answer, month, None).n;
    let rating = counts.sum(Metric::Rating, month, None);
    let average = (rating.n > 0).then(|| rating.sum as f64 / rating.n as f64);
    let nps = counts.buckets(Metric::Nps, month);
    let total: i64 = nps.values().map(|v| v.n).sum();
    let share = |b| nps.get(&b).map_or(0, |v| v.n);
    let score = (total > 0).then(|| {
        let diff = (share(NPS_PROMOTER) - share(NPS_DETRACTOR)) as f64 * 100.0 / total as f64;
        diff.round() as i64
    });
    (u(answers), average, score)
}

fn recovery(months: &[Month], counts: &Counts) -> RecoveryReport {
    let (total, average, nps) = answers(counts, None);
    RecoveryReport {
        answers: total,
        average_rating: average,
        nps,
        by_month: months
            .iter()
            .map(|m| {
                let (answers, average_rating, nps) = answers(counts, Some(m.key()));
                MonthRecovery {
                    month: *m,
                    answers,
                    average_rating,
                    nps,
                }
            })
            .collect(),
        outcomes: OUTCOMES
            .into_iter()
            .map(|outcome| OutcomeCount {
                outcome,
                count: u(counts
                    .sum(Metric::Outcome, None, Some(outcome_code(outcome)))
                    .n),
            })
            .collect(),
    }
}
