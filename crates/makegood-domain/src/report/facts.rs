//! What a report counts about one subject (a problem with everything on it, or a promise made
//! without a problem), and the contributions that subject makes to the counts.

use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::Month;
use super::histogram::bucket_of;
use super::tally::{
    Item, Key, Metric, NONE, NPS_DETRACTOR, NPS_PASSIVE, NPS_PROMOTER, PromiseEnd, Value,
    currency_key, label_key, origin_code, severity_code,
};
use crate::{AccountId, MemberId, Origin, Outcome, PromiseStatus, Severity};

/// A clock that stopped: when, and its deadline then (`None` if it stopped while paused).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stop {
    pub at: Timestamp,
    pub due: Option<Timestamp>,
}

impl Stop {
    /// Stopped by the deadline.
    pub fn within(&self) -> bool {
        self.due.is_none_or(|d| self.at <= d)
    }
}

/// A problem as reports see it: the materialised columns and what hangs off it.
#[derive(Clone, Debug, PartialEq)]
pub struct ProblemFacts {
    pub owner: MemberId,
    pub severity: Severity,
    pub origin: Origin,
    pub accounts: Vec<AccountId>,
    pub detected_at: Timestamp,
    /// The tell clock, once stopped.
    pub tell: Option<Stop>,
    /// The fix clock, once stopped.
    pub fix: Option<Stop>,
    /// Every update interval that ended: when, and whether it was met.
    pub cadence: Vec<(Timestamp, bool)>,
    pub closed: Option<(Timestamp, Outcome)>,
    /// When each customer-visible update was posted.
    pub updates: Vec<Timestamp>,
    pub remedies: Vec<RemedyFacts>,
    pub preventions: Vec<PreventionFacts>,
    /// Recurrences flagged on this problem: when, and the cause category.
    pub recurrences: Vec<(Timestamp, String)>,
    pub surveys: Vec<SurveyFacts>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PromiseFacts {
    pub made_by: MemberId,
    pub warn_at: Timestamp,
    pub due_at: Timestamp,
    pub status: PromiseStatus,
    pub ended_at: Option<Timestamp>,
    /// The accounts of the contacts it was made to.
    pub accounts: Vec<AccountId>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RemedyFacts {
    pub proposed_by: MemberId,
    pub proposed_at: Timestamp,
    pub currency: String,
    pub cost_minor: i64,
    pub vendor_share_minor: Option<i64>,
    pub vendor_share_received: bool,
    pub net_minor: i64,
    pub delivered_at: Option<Timestamp>,
    /// Above the proposer's authority and decided: when, and whether rejected.
    pub decision: Option<(Timestamp, bool)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PreventionFacts {
    pub owner: MemberId,
    pub due_at: Timestamp,
    /// When the corrective action was first done, if ever.
    pub first_done_at: Option<Timestamp>,
    /// Effectiveness checks: when, and whether effective.
    pub checks: Vec<(Timestamp, bool)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SurveyFacts {
    pub answered_at: Timestamp,
    pub rating: Option<i16>,
    pub recommend: Option<i16>,
}

/// One subject of the counts: a problem and its promises, or a promise without a problem.
#[derive(Clone, Debug, PartialEq)]
pub struct Subject {
    pub problem: Option<ProblemFacts>,
    pub promises: Vec<PromiseFacts>,
}

/// What the contributions are computed for.
#[derive(Clone, Copy, Debug)]
pub struct Scope<'a> {
    pub zone: &'a TimeZone,
    /// An open promise past due at `now` counts as broken (at its due time), recorded or not.
    pub now: Timestamp,
    /// Only what concerns this account: the problem if it affects it, the promises made to
    /// its contacts.
    pub account: Option<AccountId>,
}

impl Scope<'_> {
    fn month(&self, at: Timestamp) -> i32 {
        Month::of(at.to_zoned(self.zone.clone()).date()).key()
    }
}

/// How a promise ended, and when it counts; `None` while open.
pub fn promise_end(p: &PromiseFacts, now: Timestamp) -> Option<(PromiseEnd, Timestamp)> {
    match p.status {
        PromiseStatus::Open if now > p.due_at => Some((PromiseEnd::Broken, p.due_at)),
        PromiseStatus::Open => None,
        PromiseStatus::Kept => Some((PromiseEnd::Kept, p.ended_at.unwrap_or(p.due_at))),
        PromiseStatus::Renegotiated => {
            Some((PromiseEnd::Renegotiated, p.ended_at.unwrap_or(p.due_at)))
        }
        PromiseStatus::Released => Some((PromiseEnd::Released, p.ended_at.unwrap_or(p.due_at))),
        // Broken on its due date, whenever that was recorded.
        PromiseStatus::Broken => Some((PromiseEnd::Broken, p.due_at)),
    }
}

/// Every contribution `subject` makes, at fully specific keys.
pub fn contributions(subject: &Subject, scope: &Scope<'_>) -> Vec<Item> {
    let mut out = Vec::new();
    let (severity, origin) = subject.problem.as_ref().map_or((NONE, NONE), |p| {
        (severity_code(p.severity), origin_code(p.origin))
    });
    let mut push = |metric, at: Timestamp, member: MemberId, bucket, n, sum| {
        out.push(Item {
            key: Key {
                metric,
                month: scope.month(at),
                member: member.0,
                severity,
                origin,
                bucket,
            },
            value: Value { n, sum },
        });
    };

    for p in &subject.promises {
        if scope.account.is_some_and(|a| !p.accounts.contains(&a)) {
            continue;
        }
        let Some((end, at)) = promise_end(p, scope.now) else {
            continue;
        };
        let mut ends = vec![end];
        if end == PromiseEnd::Broken {
            let updates = subject.problem.as_ref().map_or(&[][..], |x| &x.updates[..]);
            let heard = updates.iter().any(|u| *u >= p.warn_at && *u <= p.due_at);
            if !heard {
                ends.push(PromiseEnd::BrokenSilently);
            }
        }
        for a in &p.accounts {
            if scope.account.is_none_or(|f| f == *a) {
                let broken = i64::from(end == PromiseEnd::Broken);
                push(Metric::AccountRank, at, p.made_by, a.0, broken, 1);
            }
        }
        for end in ends {
            push(Metric::Promise, at, p.made_by, end as i64, 1, 0);
            for a in &p.accounts {
                if scope.account.is_none_or(|f| f == *a) {
                    let bucket = a.0 * 8 + end as i64;
                    push(Metric::AccountPromise, at, p.made_by, bucket, 1, 0);
                }
            }
        }
    }

    let Some(problem) = &subject.problem else {
        return out;
    };
    if scope
        .account
        .is_some_and(|a| !problem.accounts.contains(&a))
    {
        return out;
    }
    let owner = problem.owner;
    for (metric, stop) in [(Metric::Tell, problem.tell), (Metric::Fix, problem.fix)] {
        if let Some(stop) = stop {
            let minutes = stop.at.duration_since(problem.detected_at).as_mins();
            let bucket = bucket_of(minutes);
            push(metric, stop.at, owner, bucket, 1, i64::from(stop.within()));
        }
    }
    for (at, met) in &problem.cadence {
        push(Metric::Cadence, *at, owner, 0, 1, i64::from(*met));
    }
    if let Some((at, outcome)) = problem.closed {
        push(Metric::Outcome, at, owner, outcome_code(outcome), 1, 0);
    }
    for r in &problem.remedies {
        let who = r.proposed_by;
        let currency = currency_key(&r.currency);
        if let Some(at) = r.delivered_at {
            let share = r.vendor_share_minor.unwrap_or(0);
            push(Metric::SpendCost, at, who, currency, 1, r.cost_minor);
            push(Metric::SpendShare, at, who, currency, 0, share);
            push(Metric::SpendNet, at, who, currency, 0, r.net_minor);
            if let Some(share) = r.vendor_share_minor {
                let metric = if r.vendor_share_received {
                    Metric::ShareReceived
                } else {
                    Metric::ShareOutstanding
                };
                push(metric, at, who, currency, 1, share);
            }
        }
        if let Some((at, rejected)) = r.decision {
            let minutes = at.duration_since(r.proposed_at).as_mins();
            let metric = if rejected {
                Metric::Rejected
            } else {
                Metric::Approved
            };
            push(metric, at, who, bucket_of(minutes), 1, 0);
        }
    }
    for p in &problem.preventions {
        let on_time = p.first_done_at.is_some_and(|d| d <= p.due_at);
        push(
            Metric::PreventionDue,
            p.due_at,
            p.owner,
            0,
            1,
            i64::from(on_time),
        );
        for (at, effective) in &p.checks {
            push(
                Metric::PreventionCheck,
                *at,
                p.owner,
                0,
                1,
                i64::from(*effective),
            );
        }
    }
    for (at, category) in &problem.recurrences {
        push(Metric::Recurrence, *at, owner, label_key(category), 1, 0);
    }
    for s in &problem.surveys {
        push(Metric::Answer, s.answered_at, owner, 0, 1, 0);
        if let Some(r) = s.rating {
            push(Metric::Rating, s.answered_at, owner, 0, 1, i64::from(r));
        }
        if let Some(r) = s.recommend {
            let bucket = match r {
                9.. => NPS_PROMOTER,
                7..=8 => NPS_PASSIVE,
                _ => NPS_DETRACTOR,
            };
            push(Metric::Nps, s.answered_at, owner, bucket, 1, 0);
        }
    }
    out
}

/// The stored code of an outcome, in [`Outcome`]'s order (advocate first).
pub fn outcome_code(o: Outcome) -> i64 {
    match o {
        Outcome::Advocate => 0,
        Outcome::Retained => 1,
        Outcome::AtRisk => 2,
        Outcome::Lost => 3,
        Outcome::Unknown => 4,
    }
}

/// Every outcome, advocate first.
pub const OUTCOMES: [Outcome; 5] = [
    Outcome::Advocate,
    Outcome::Retained,
    Outcome::AtRisk,
    Outcome::Lost,
    Outcome::Unknown,
];
