//! Account health: a score from 0 (in trouble) to 100 (nothing wrong) and a band — green,
//! amber, red — from what an account is going through now and went through lately.
//!
//! The score starts at 100 and loses points per factor; each factor is capped so no single
//! one can make an account red on its own except lost customers and broken promises piling
//! up. The weights ("Account health" in docs/ARCHITECTURE.md):
//!
//! | factor | points off | cap |
//! | --- | --- | --- |
//! | open problems | 12 per critical, 8 per major, 4 per minor | 36 |
//! | breached clocks (running, past their deadline) | 10 each | 30 |
//! | promises broken in the last 90 days | 12 each | 36 |
//! | follow-up answers of the last 90 days | (5 − mean rating) × 5, plus a tenth of a negative NPS | 30 |
//! | outcomes of the last 90 days | 30 per lost, 15 per at risk | 45 |
//!
//! Green from 75, amber from 50, red below 50. More trouble never raises the score (a
//! property test holds the scoring to that).

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::duty::AccountRef;
use crate::followup::Recommender;
use crate::remedy::deadline_state;
use crate::{Clock, ClockKind, Duty, MemberId, Severity};

/// How far back broken promises, follow-up answers and outcomes count.
pub const WINDOW_DAYS: i64 = 90;
/// Points off per open problem, by severity.
pub const OPEN_CRITICAL: u32 = 12;
pub const OPEN_MAJOR: u32 = 8;
pub const OPEN_MINOR: u32 = 4;
pub const OPEN_CAP: u32 = 36;
/// Points off per breached clock.
pub const BREACHED: u32 = 10;
pub const BREACHED_CAP: u32 = 30;
/// Points off per promise broken in the window.
pub const BROKEN: u32 = 12;
pub const BROKEN_CAP: u32 = 36;
/// Points off per point the mean rating falls short of 5.
pub const RATING: u32 = 5;
/// Cap on the satisfaction factor (rating and NPS together).
pub const SATISFACTION_CAP: u32 = 30;
/// Points off per lost and per at-risk outcome in the window.
pub const LOST: u32 = 30;
pub const AT_RISK: u32 = 15;
pub const OUTCOME_CAP: u32 = 45;
/// A score below this is red; below [`AMBER_BELOW`] amber.
pub const RED_BELOW: u8 = 50;
pub const AMBER_BELOW: u8 = 75;
/// After turning red, the review duty warns after this long and is overdue after
/// [`REVIEW_DUE`].
pub const REVIEW_WARN: SignedDuration = SignedDuration::from_hours(24);
pub const REVIEW_DUE: SignedDuration = SignedDuration::from_hours(48);

/// Green, amber or red.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    /// Below 50: in trouble; its owner is asked to review it.
    Red,
    /// 50 to 74: watch it.
    Amber,
    /// 75 to 100.
    Green,
}

impl Band {
    /// Every band, worst first.
    pub const ALL: [Band; 3] = [Band::Red, Band::Amber, Band::Green];

    /// The band of `score`.
    pub fn of(score: u8) -> Band {
        if score < RED_BELOW {
            Band::Red
        } else if score < AMBER_BELOW {
            Band::Amber
        } else {
            Band::Green
        }
    }

    /// The API name.
    pub fn as_str(self) -> &'static str {
        match self {
            Band::Red => "red",
            Band::Amber => "amber",
            Band::Green => "green",
        }
    }

    /// Parses an API name.
    pub fn parse(s: &str) -> Option<Band> {
        Band::ALL.into_iter().find(|b| b.as_str() == s)
    }

    /// How a person reads it.
    pub fn label(self) -> &'static str {
        match self {
            Band::Red => "Red",
            Band::Amber => "Amber",
            Band::Green => "Green",
        }
    }
}

/// A score and its band.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Health {
    /// 0 (in trouble) to 100 (nothing wrong).
    pub score: u8,
    pub band: Band,
}

impl Health {
    /// The health of an account going through `inputs`.
    pub fn of(inputs: &HealthInputs) -> Health {
        let lost: u32 = inputs.factors().iter().map(|f| u32::from(f.points)).sum();
        let score = u8::try_from(100u32.saturating_sub(lost)).unwrap_or(0);
        Health {
            score,
            band: Band::of(score),
        }
    }
}

/// Open problems by severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenProblems {
    pub critical: u32,
    pub major: u32,
    pub minor: u32,
}

impl OpenProblems {
    /// Counts one more of `severity`.
    pub fn add(&mut self, severity: Severity) {
        match severity {
            Severity::Critical => self.critical += 1,
            Severity::Major => self.major += 1,
            Severity::Minor => self.minor += 1,
        }
    }

    pub fn total(&self) -> u32 {
        self.critical + self.major + self.minor
    }
}

/// One follow-up answer: a 1–5 rating and a 0–10 recommend.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    pub rating: u8,
    pub recommend: u8,
}

/// What an account's health is computed from.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthInputs {
    /// Problems affecting it that are not closed.
    pub open: OpenProblems,
    /// Running clocks past their deadline on those problems.
    pub breached_clocks: u32,
    /// Promises to its contacts broken in the last [`WINDOW_DAYS`] (by due time).
    pub broken_promises: u32,
    /// Its contacts' follow-up answers of the last [`WINDOW_DAYS`].
    pub answers: Vec<Answer>,
    /// Its problems closed in the last [`WINDOW_DAYS`] with the customer lost, or at risk.
    pub lost: u32,
    pub at_risk: u32,
}

/// Which part of the inputs lowered the score.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FactorKind {
    OpenProblems,
    BreachedClocks,
    BrokenPromises,
    Satisfaction,
    Outcomes,
}

/// A factor that lowered the score, by how many points, said for a person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Factor {
    pub kind: FactorKind,
    /// Points off the score.
    pub points: u8,
    /// "2 open problems (1 critical, 1 major)".
    pub detail: String,
}

fn plural(n: u32, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

fn capped(points: u32, cap: u32) -> u8 {
    u8::try_from(points.min(cap)).unwrap_or(u8::MAX)
}

/// Mean rating (×100, rounded down) and NPS of `answers`; `None` without answers.
pub fn satisfaction(answers: &[Answer]) -> Option<(u32, i64)> {
    let n = i64::try_from(answers.len()).ok().filter(|n| *n > 0)?;
    let sum: i64 = answers
        .iter()
        .map(|a| i64::from(a.rating.clamp(1, 5)))
        .sum();
    let net: i64 = answers
        .iter()
        .map(|a| match Recommender::of(a.recommend.min(10)) {
            Recommender::Promoter => 1,
            Recommender::Passive => 0,
            Recommender::Detractor => -1,
        })
        .sum();
    let mean = u32::try_from(sum * 100 / n).unwrap_or(0);
    Some((mean, (net * 100).div_euclid(n)))
}

impl HealthInputs {
    /// The factors that lowered the score, most points first (none when nothing did).
    pub fn factors(&self) -> Vec<Factor> {
        let mut out = Vec::new();
        let open = self.open;
        if open.total() > 0 {
            let points =
                open.critical * OPEN_CRITICAL + open.major * OPEN_MAJOR + open.minor * OPEN_MINOR;
            let parts: Vec<String> = [
                (open.critical, "critical"),
                (open.major, "major"),
                (open.minor, "minor"),
            ]
            .into_iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, s)| format!("{n} {s}"))
            .collect();
            out.push(Factor {
                kind: FactorKind::OpenProblems,
                points: capped(points, OPEN_CAP),
                detail: format!(
                    "{} ({})",
                    plural(open.total(), "open problem", "open problems"),
                    parts.join(", ")
                ),
            });
        }
        if self.breached_clocks > 0 {
            out.push(Factor {
                kind: FactorKind::BreachedClocks,
                points: capped(self.breached_clocks * BREACHED, BREACHED_CAP),
                detail: if self.breached_clocks == 1 {
                    "1 clock past its deadline".to_owned()
                } else {
                    format!("{} clocks past their deadline", self.breached_clocks)
                },
            });
        }
        if self.broken_promises > 0 {
            out.push(Factor {
                kind: FactorKind::BrokenPromises,
                points: capped(self.broken_promises * BROKEN, BROKEN_CAP),
                detail: format!(
                    "{} in the last {WINDOW_DAYS} days",
                    plural(self.broken_promises, "broken promise", "broken promises")
                ),
            });
        }
        if let Some((mean, nps)) = satisfaction(&self.answers) {
            // (5 − mean) × RATING, rounded to the nearest point; a tenth of a negative NPS.
            let short = 500u32.saturating_sub(mean);
            let rating = (short * RATING + 50) / 100;
            let detractors = u32::try_from((-nps).max(0)).unwrap_or(0).div_ceil(10);
            let points = rating + detractors;
            if points > 0 {
                let n = u32::try_from(self.answers.len()).unwrap_or(u32::MAX);
                out.push(Factor {
                    kind: FactorKind::Satisfaction,
                    points: capped(points, SATISFACTION_CAP),
                    detail: format!(
                        "{} in the last {WINDOW_DAYS} days: mean rating {}.{:02} of 5, NPS {nps}",
                        plural(n, "follow-up answer", "follow-up answers"),
                        mean / 100,
                        mean % 100
                    ),
                });
            }
        }
        if self.lost + self.at_risk > 0 {
            let mut parts = Vec::new();
            if self.lost > 0 {
                parts.push(format!("{} lost", self.lost));
            }
            if self.at_risk > 0 {
                parts.push(format!("{} at risk", self.at_risk));
            }
            out.push(Factor {
                kind: FactorKind::Outcomes,
                points: capped(self.lost * LOST + self.at_risk * AT_RISK, OUTCOME_CAP),
                detail: format!(
                    "problems closed in the last {WINDOW_DAYS} days: {}",
                    parts.join(", ")
                ),
            });
        }
        out.retain(|f| f.points > 0);
        out.sort_by_key(|f| std::cmp::Reverse(f.points));
        out
    }
}

/// The change of score over a history of daily scores (oldest first): the latest minus the
/// earliest; `None` with fewer than two days.
pub fn trend(scores: &[u8]) -> Option<i16> {
    match (scores.first(), scores.last()) {
        (Some(first), Some(last)) if scores.len() > 1 => Some(i16::from(*last) - i16::from(*first)),
        _ => None,
    }
}

/// The duty of an account that turned red at `red_since` and has not been reviewed: its
/// owner (or, without one, a supervisor or admin — `member`) reviews the account. Warns a day
/// after turning red, overdue after two.
pub fn review_duty(
    account: AccountRef,
    member: MemberId,
    red_since: Timestamp,
    now: Timestamp,
) -> Duty {
    let warn_at = red_since.checked_add(REVIEW_WARN).unwrap_or(red_since);
    let due_at = red_since.checked_add(REVIEW_DUE).unwrap_or(red_since);
    let clock = Clock {
        kind: ClockKind::Review,
        state: deadline_state(warn_at, due_at, None, now),
        started_at: red_since,
        warn_at: Some(warn_at),
        due_at: Some(due_at),
        stopped_at: None,
    };
    Duty {
        kind: ClockKind::Review,
        member,
        clock,
        problem: None,
        promise: None,
        summary: format!("{} turned red: review the account", account.name),
        account: Some(account),
    }
}

#[cfg(test)]
mod tests;
