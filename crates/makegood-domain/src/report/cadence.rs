//! The problem columns reports read, kept up to date as events are recorded: the tell and fix
//! clocks once stopped, the close, and each update interval as it ends.

use jiff::Timestamp;

use super::facts::Stop;
use crate::calendar::Calendar;
use crate::clock::{deadline_in, problem_clocks_in};
use crate::state::{ProblemState, TransitionError};
use crate::{ClockKind, EventKind, Policy};

/// What [`ProblemState`] and the clocks say that a report needs, materialised on the problem.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Materialised {
    pub tell: Option<Stop>,
    pub fix: Option<Stop>,
    pub closed_at: Option<Timestamp>,
    pub cadence: Vec<(Timestamp, bool)>,
}

impl Materialised {
    /// The clock columns for `state` (the cadence is left as it is).
    pub fn set_clocks(
        &mut self,
        state: &ProblemState,
        detected_at: Timestamp,
        policy: &Policy,
        calendar: &Calendar,
    ) {
        let clocks = problem_clocks_in(state, detected_at, policy, calendar, detected_at);
        let stop = |kind| {
            clocks
                .iter()
                .find(|c| c.kind == kind)
                .and_then(|c| c.stopped_at.map(|at| Stop { at, due: c.due_at }))
        };
        self.tell = stop(ClockKind::Tell);
        self.fix = stop(ClockKind::Fix);
        self.closed_at = state.closed_at;
    }

    /// Folds a whole timeline (in order) from scratch: what recording each event in turn
    /// would have materialised.
    pub fn of_timeline<'a>(
        events: impl IntoIterator<Item = (Timestamp, &'a EventKind)>,
        detected_at: Timestamp,
        policy: &Policy,
        calendar: &Calendar,
    ) -> Result<(Materialised, ProblemState), TransitionError> {
        let mut m = Materialised::default();
        let mut state = ProblemState::new();
        for (at, kind) in events {
            let before = state.clone();
            state.apply(at, kind)?;
            if let Some(met) = interval_ended(&before, &state, at, kind, policy, calendar) {
                m.cadence.push((at, met));
            }
        }
        m.set_clocks(&state, detected_at, policy, calendar);
        Ok((m, state))
    }
}

/// Whether recording `kind` at `at`, which moved the problem from `before` to `after`, ended
/// an update interval — the next customer-visible update, or the fix (or close) after the
/// last one — and if so whether it came within the policy's update interval (not counting
/// time openly waiting). Intervals start at the first update, or a reopening after one.
pub fn interval_ended(
    before: &ProblemState,
    after: &ProblemState,
    at: Timestamp,
    kind: &EventKind,
    policy: &Policy,
    calendar: &Calendar,
) -> Option<bool> {
    if !before.status.is_unfixed() {
        return None;
    }
    let last = before.last_update_at?;
    let start = before.reopened_at.map_or(last, |r| r.max(last));
    let update = matches!(kind, EventKind::Update { .. });
    let fixed = after.fixed_at.is_some() || after.closed_at.is_some();
    if !update && !fixed {
        return None;
    }
    let due = deadline_in(calendar, start, policy.update(), &after.pauses);
    Some(due.is_none_or(|d| at <= d))
}
