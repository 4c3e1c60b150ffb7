//! Clocks: deadlines derived from events + policy + now, each ok, warning, breached, paused, met or missed.
//!
//! Due and warning times depend only on the events and the policy, never on `now`; `now` only
//! decides the state. So the store can keep each problem's earliest next deadline indexed.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::calendar::Calendar;
use crate::state::{Pause, ProblemState};
use crate::{Policies, Policy, Promise, PromiseStatus};

/// Which obligation a clock measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClockKind {
    /// Detection → first customer-visible update.
    Tell,
    /// Last customer-visible update → the next one.
    Update,
    /// Detection → fixed.
    Fix,
    /// Promise made → kept.
    Promise,
    /// Remedy proposed above the proposer's authority → approved or rejected.
    Approval,
    /// A prevention's corrective action recorded → done.
    Prevention,
    /// A prevention done → its effectiveness checked.
    Check,
    /// A vendor's promise to us made → kept.
    VendorPromise,
    /// An upset customer (a strongly negative message, a low follow-up rating) → the owner
    /// has called them. Runs for the policy's time to tell.
    Call,
    /// An account turned red → its owner has reviewed it (see [`crate::health`]).
    Review,
}

/// Where a clock stands.
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
pub enum ClockState {
    /// Running past its deadline.
    Breached,
    /// Running, close to its deadline.
    Warning,
    /// Running, with time to spare.
    Ok,
    /// Stopped while openly waiting on the customer or a vendor.
    Paused,
    /// Stopped in time.
    Met,
    /// Stopped after its deadline.
    Missed,
}

impl ClockState {
    /// Every state, most urgent first.
    pub const ALL: [ClockState; 6] = [
        ClockState::Breached,
        ClockState::Warning,
        ClockState::Ok,
        ClockState::Paused,
        ClockState::Met,
        ClockState::Missed,
    ];

    /// The API name.
    pub fn as_str(self) -> &'static str {
        match self {
            ClockState::Breached => "breached",
            ClockState::Warning => "warning",
            ClockState::Ok => "ok",
            ClockState::Paused => "paused",
            ClockState::Met => "met",
            ClockState::Missed => "missed",
        }
    }

    /// Parses an API name.
    pub fn parse(s: &str) -> Option<ClockState> {
        ClockState::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Still asks something of someone.
    pub fn is_running(self) -> bool {
        matches!(
            self,
            ClockState::Breached | ClockState::Warning | ClockState::Ok | ClockState::Paused
        )
    }
}

/// One deadline and where it stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Clock {
    pub kind: ClockKind,
    pub state: ClockState,
    #[schema(value_type = String, format = DateTime)]
    pub started_at: Timestamp,
    /// When it turns (or turned) to warning; `None` while paused.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub warn_at: Option<Timestamp>,
    /// The deadline; `None` while paused.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub due_at: Option<Timestamp>,
    /// When it stopped (met or missed).
    #[schema(value_type = Option<String>, format = DateTime)]
    pub stopped_at: Option<Timestamp>,
}

impl Clock {
    /// Time left until due (negative once breached); `None` when paused or stopped.
    pub fn remaining(&self, now: Timestamp) -> Option<SignedDuration> {
        match (self.state.is_running(), self.due_at) {
            (true, Some(due)) => Some(due.duration_since(now)),
            _ => None,
        }
    }
}

/// The earliest warning and due times among running, unpaused clocks: what the
/// store indexes so that "what is due next" never scans.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NextDeadlines {
    pub warn_at: Option<Timestamp>,
    pub due_at: Option<Timestamp>,
}

impl NextDeadlines {
    /// Folds the running, unpaused clocks of `clocks`.
    ///
    /// A paused clock is left out: it asks nothing of anyone until it resumes, and a
    /// warning time it had already reached would otherwise make `state` report a warning
    /// that no running clock has.
    pub fn of<'a>(clocks: impl IntoIterator<Item = &'a Clock>) -> Self {
        clocks
            .into_iter()
            .filter(|c| c.state.is_running() && c.state != ClockState::Paused)
            .fold(Self::default(), |acc, c| Self {
                warn_at: min_opt(acc.warn_at, c.warn_at),
                due_at: min_opt(acc.due_at, c.due_at),
            })
    }

    /// The worst state these deadlines imply at `now`, `None` if nothing runs.
    pub fn state(&self, now: Timestamp) -> Option<ClockState> {
        let due = self.due_at?;
        Some(if now > due {
            ClockState::Breached
        } else if self.warn_at.is_some_and(|w| now >= w) {
            ClockState::Warning
        } else {
            ClockState::Ok
        })
    }
}

/// The worst state among running clocks (paused counts as running, least urgent), `None` if
/// none runs: what a problem's list row shows.
pub fn worst_state<'a>(clocks: impl IntoIterator<Item = &'a Clock>) -> Option<ClockState> {
    // `ClockState` orders most urgent first.
    clocks
        .into_iter()
        .map(|c| c.state)
        .filter(|s| s.is_running())
        .min()
}

fn min_opt(a: Option<Timestamp>, b: Option<Timestamp>) -> Option<Timestamp> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The instant at which `span` of running (unpaused) time has passed since `start`,
/// or `None` if a pause still open began before that.
///
/// A pause that starts after the deadline does not move it: a breach stays a breach.
pub fn deadline(start: Timestamp, span: SignedDuration, pauses: &[Pause]) -> Option<Timestamp> {
    deadline_in(&Calendar::around_the_clock(), start, span, pauses)
}

/// Like [`deadline`], counting `span` in `calendar`'s business time: the instant at which
/// `span` of open, unpaused time has passed since `start`.
///
/// A pause is credited back only with the business time inside it: a pause over a weekend
/// gives nothing back on a weekday calendar.
pub fn deadline_in(
    calendar: &Calendar,
    start: Timestamp,
    span: SignedDuration,
    pauses: &[Pause],
) -> Option<Timestamp> {
    let mut t = start;
    let mut left = span.max(SignedDuration::ZERO);
    for p in pauses {
        if p.until.is_some_and(|u| u <= t) {
            continue;
        }
        let pause_start = p.from.max(t);
        let running = calendar.business_between(t, pause_start);
        if running >= left {
            break;
        }
        left -= running;
        t = p.until?;
    }
    calendar.checked_add_business(t, left)
}

fn warning_lead(span: SignedDuration, percent: i64) -> SignedDuration {
    span / 100 * i32::try_from(percent.clamp(0, 100)).unwrap_or(0)
}

/// A clock over `span` from `start`, stopped at `stop` if given, honouring `pauses`.
#[expect(
    clippy::too_many_arguments,
    reason = "one private helper, called with named locals"
)]
fn measure(
    calendar: &Calendar,
    kind: ClockKind,
    start: Timestamp,
    span: SignedDuration,
    warn_percent: i64,
    pauses: &[Pause],
    stop: Option<Timestamp>,
    now: Timestamp,
) -> Clock {
    let due_at = deadline_in(calendar, start, span, pauses);
    let warn_at = deadline_in(
        calendar,
        start,
        span - warning_lead(span, warn_percent),
        pauses,
    );
    let state = match (stop, due_at) {
        (Some(stop), Some(due)) if stop <= due => ClockState::Met,
        (Some(_), Some(_)) => ClockState::Missed,
        // Stopping ends every pause, so a stopped clock always has a deadline.
        (Some(_), None) => ClockState::Met,
        (None, None) => ClockState::Paused,
        (None, Some(due)) if now > due => ClockState::Breached,
        (None, Some(_)) if warn_at.is_some_and(|w| now >= w) => ClockState::Warning,
        (None, Some(_)) => ClockState::Ok,
    };
    // A paused clock has no deadline yet, so no warning time either (as documented on `Clock`).
    let warn_at = warn_at.filter(|_| state != ClockState::Paused);
    Clock {
        kind,
        state,
        started_at: start,
        warn_at,
        due_at,
        stopped_at: stop,
    }
}

/// The tell, update and fix clocks of a problem detected at `detected_at`.
///
/// - tell: from detection to the first customer-visible update (never paused);
/// - update: from the last customer-visible update (or a reopening) to the next, paused while
///   waiting, stopped once fixed; absent until the customer has first been told;
/// - fix: from detection (or the latest reopening, with a fresh span) to fixed, paused while
///   waiting. Time spent fixed or closed before a reopening never counts against it.
///
/// Closing stops every clock; the tell clock stops at the first customer-visible update or
/// the close, whichever came first. Spans run around the clock; see [`problem_clocks_in`].
pub fn problem_clocks(
    state: &ProblemState,
    detected_at: Timestamp,
    policy: &Policy,
    now: Timestamp,
) -> Vec<Clock> {
    problem_clocks_in(
        state,
        detected_at,
        policy,
        &Calendar::around_the_clock(),
        now,
    )
}

/// Like [`problem_clocks`], with every span counted in `calendar`'s business time and pauses
/// credited back only with the business time inside them.
pub fn problem_clocks_in(
    state: &ProblemState,
    detected_at: Timestamp,
    policy: &Policy,
    calendar: &Calendar,
    now: Timestamp,
) -> Vec<Clock> {
    let closed = state.stopped_at();
    let pct = policy.warning_percent;
    let mut clocks = Vec::with_capacity(4);

    // An update posted after the close must not turn a tell clock met at the close into a miss.
    let told = min_opt(state.first_update_at, closed);
    clocks.push(measure(
        calendar,
        ClockKind::Tell,
        detected_at,
        policy.tell(),
        pct,
        &[],
        told,
        now,
    ));

    if let Some(last) = state.last_update_at {
        let start = state.reopened_at.map_or(last, |r| r.max(last));
        // Updates after the fix are welcome; the clock stopped at the fix (or this update).
        let stop = state.fixed_at.or(closed).map(|s| s.max(start));
        clocks.push(measure(
            calendar,
            ClockKind::Update,
            start,
            policy.update(),
            pct,
            &state.pauses,
            stop,
            now,
        ));
    }

    let fixed = state.fixed_at.or(closed);
    // A reopened problem gets a fresh fix span from the reopening: counting the time it was
    // (believed) fixed would breach it the moment it reopens.
    let fix_start = state
        .reopened_at
        .map_or(detected_at, |r| r.max(detected_at));
    clocks.push(measure(
        calendar,
        ClockKind::Fix,
        fix_start,
        policy.fix(),
        pct,
        &state.pauses,
        fixed,
        now,
    ));

    // An upset customer is called within the time to tell. A close stops the call owed before
    // it; upset words about a closed problem still ask for one.
    if let Some(call) = state.call {
        let stop = call.called_at.or(closed.filter(|c| *c >= call.asked_at));
        clocks.push(measure(
            calendar,
            ClockKind::Call,
            call.asked_at,
            policy.tell(),
            pct,
            &[],
            stop,
            now,
        ));
    }
    clocks
}

/// The clock of a promise: warning at the policy's lead before due, breached once due has passed.
pub fn promise_clock(promise: &Promise, policies: &Policies, now: Timestamp) -> Clock {
    let span = promise.due_at.duration_since(promise.made_at);
    let lead = policies.promise_warning_lead(span);
    let warn_at = promise
        .due_at
        .checked_sub(lead)
        .ok()
        .map(|w| w.max(promise.made_at));
    let state = match promise.status_at(now) {
        PromiseStatus::Open if warn_at.is_some_and(|w| now >= w) => ClockState::Warning,
        PromiseStatus::Open => ClockState::Ok,
        PromiseStatus::Kept | PromiseStatus::Renegotiated | PromiseStatus::Released => {
            ClockState::Met
        }
        PromiseStatus::Broken => ClockState::Missed,
    };
    Clock {
        kind: ClockKind::Promise,
        state,
        started_at: promise.made_at,
        warn_at,
        due_at: Some(promise.due_at),
        stopped_at: promise
            .ended_at
            .or((state == ClockState::Missed).then_some(promise.due_at)),
    }
}

#[cfg(test)]
mod deadline_tests;
#[cfg(test)]
mod props;
#[cfg(test)]
mod tests;
