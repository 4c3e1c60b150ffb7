//! A prevention's clocks and duties: the corrective action due (a [`ClockKind::Prevention`]
//! clock while open) and the effectiveness check due (a [`ClockKind::Check`] clock once done).

use jiff::{SignedDuration, Timestamp};

use super::{Prevention, PreventionStatus};
use crate::duty::ProblemRef;
use crate::remedy::deadline_state;
use crate::{Clock, ClockKind, ClockState, Duty};

/// Days after the effectiveness check falls due before it counts as overdue (breached).
pub const CHECK_GRACE_DAYS: i64 = 7;

impl Prevention {
    /// The corrective action's clock while open: ok, warning, breached; `None` once done.
    pub fn action_clock(&self, now: Timestamp) -> Option<Clock> {
        if self.status != PreventionStatus::Open {
            return None;
        }
        let due = self.due_clock(now);
        Some(Clock {
            kind: ClockKind::Prevention,
            state: due.state,
            started_at: due.started_at,
            warn_at: Some(due.warn_at),
            due_at: Some(due.due_at),
            stopped_at: None,
        })
    }

    /// The effectiveness check's clock while done: warning from the day it falls due (it may be
    /// done now), breached [`CHECK_GRACE_DAYS`] later; `None` unless done.
    pub fn check_clock(&self, now: Timestamp) -> Option<Clock> {
        let PreventionStatus::Done { at } = self.status else {
            return None;
        };
        let check_at = self.effectiveness_check_at()?;
        let due_at = check_at
            .checked_add(SignedDuration::from_hours(CHECK_GRACE_DAYS * 24))
            .unwrap_or(check_at);
        Some(Clock {
            kind: ClockKind::Check,
            state: deadline_state(check_at, due_at, None, now),
            started_at: at,
            warn_at: Some(check_at),
            due_at: Some(due_at),
            stopped_at: None,
        })
    }

    /// What the prevention asks of its owner now: do the corrective action while open, or check
    /// whether it worked once that check is due.
    pub fn duties(&self, problem: &ProblemRef, now: Timestamp) -> Vec<Duty> {
        let n = problem.number;
        let action = &self.corrective_action;
        let mut out = Vec::new();
        if let Some(clock) = self.action_clock(now) {
            out.push((clock, format!("Do the corrective action for {n}: {action}")));
        }
        if let Some(clock) = self.check_clock(now).filter(|c| c.state != ClockState::Ok) {
            out.push((clock, format!("Check whether {action} worked for {n}")));
        }
        out.into_iter()
            .map(|(clock, summary)| Duty {
                kind: clock.kind,
                member: self.owner,
                clock,
                problem: Some(problem.clone()),
                promise: None,
                summary,
                account: None,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::open;
    use super::*;
    use crate::testing::hour;
    use crate::{ProblemId, ProblemNumber};

    fn reference() -> ProblemRef {
        ProblemRef {
            id: ProblemId(1),
            number: ProblemNumber(12),
            title: "Colours off".into(),
        }
    }

    #[test]
    fn an_open_prevention_asks_for_its_corrective_action() {
        let p = open();
        let duties = p.duties(&reference(), hour(1));
        assert_eq!(duties.len(), 1);
        assert_eq!(duties[0].kind, ClockKind::Prevention);
        assert_eq!(
            duties[0].summary,
            "Do the corrective action for MG-12: Calibrate proofing screens monthly"
        );
        assert_eq!(duties[0].clock.due_at, Some(hour(100)));
        assert_eq!(
            p.action_clock(hour(101)).unwrap().state,
            ClockState::Breached
        );
    }

    #[test]
    fn the_check_duty_appears_when_the_check_falls_due() {
        let mut p = open();
        p.mark_done(hour(10)).unwrap();
        let check_at = hour(10 + 30 * 24);
        assert!(p.duties(&reference(), hour(11)).is_empty(), "not due yet");
        let duties = p.duties(&reference(), check_at);
        assert_eq!(duties.len(), 1);
        assert_eq!(duties[0].kind, ClockKind::Check);
        assert_eq!(duties[0].clock.state, ClockState::Warning);
        assert_eq!(
            duties[0].summary,
            "Check whether Calibrate proofing screens monthly worked for MG-12"
        );
        let overdue = hour(10 + 37 * 24 + 1);
        assert_eq!(p.check_clock(overdue).unwrap().state, ClockState::Breached);
    }
}
