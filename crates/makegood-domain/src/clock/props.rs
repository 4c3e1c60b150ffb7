//! Property tests of the clocks: updates never hurt, pauses freeze, next deadlines agree.

use jiff::{SignedDuration, Timestamp};
use proptest::prelude::*;

use super::*;
use crate::testing::{any_policy, gap, promise, timeline};
use crate::{EventKind, Status, WaitingOn};

fn fold(events: &[(Timestamp, EventKind)]) -> ProblemState {
    ProblemState::from_events(events.iter().map(|(t, k)| (*t, k))).expect("valid timeline")
}

fn last_time(start: Timestamp, events: &[(Timestamp, EventKind)]) -> Timestamp {
    events.last().map_or(start, |(t, _)| *t)
}

/// How urgent a state is: running beats stopped, breached beats warning beats ok beats paused.
fn urgency(state: ClockState) -> u8 {
    match state {
        ClockState::Breached => 4,
        ClockState::Warning => 3,
        ClockState::Ok => 2,
        ClockState::Paused => 1,
        ClockState::Met | ClockState::Missed => 0,
    }
}

fn find(clocks: &[Clock], kind: ClockKind) -> Option<Clock> {
    clocks.iter().copied().find(|c| c.kind == kind)
}

/// A valid timeline brought back to `Open`, so that a new pause can begin after it.
fn open_timeline() -> impl Strategy<Value = (Timestamp, Vec<(Timestamp, EventKind)>)> {
    timeline().prop_map(|(start, mut events)| {
        let t = last_time(start, &events);
        match fold(&events).status {
            Status::Open => {}
            s if s.is_waiting() => events.push((t, EventKind::Resumed)),
            _ => events.push((
                t,
                EventKind::Reopened {
                    reason: "again".into(),
                },
            )),
        }
        (start, events)
    })
}

proptest! {
    #[test]
    fn a_customer_visible_update_never_makes_a_clock_more_urgent(
        (start, events) in timeline(),
        policy in any_policy(),
        after in gap(),
        later in gap(),
    ) {
        let u = last_time(start, &events).checked_add(after).unwrap();
        let now = u.checked_add(later).unwrap();
        let mut with_update = events.clone();
        with_update.push((u, EventKind::Update { body: "news".into() }));

        let before = problem_clocks(&fold(&events), start, &policy, now);
        let after = problem_clocks(&fold(&with_update), start, &policy, now);
        for b in &before {
            let a = find(&after, b.kind).expect("no clock disappears");
            prop_assert!(urgency(a.state) <= urgency(b.state), "{:?}: {:?} -> {:?}", b.kind, b.state, a.state);
            if let (Some(bd), Some(ad)) = (b.due_at, a.due_at)
                && b.state.is_running()
                && a.state.is_running()
            {
                prop_assert!(ad >= bd, "{:?} due moved earlier: {bd} -> {ad}", b.kind);
            }
        }
        // The fix clock does not care about updates at all.
        prop_assert_eq!(find(&before, ClockKind::Fix), find(&after, ClockKind::Fix));
        // An update clock that the update creates starts fresh from it.
        if find(&before, ClockKind::Update).is_none() {
            let a = find(&after, ClockKind::Update).expect("the first update starts the update clock");
            prop_assert_eq!(a.started_at, u);
        }
    }

    #[test]
    fn notes_never_change_any_clock(
        (start, events) in timeline(),
        policy in any_policy(),
        after in gap(),
        later in gap(),
    ) {
        let n = last_time(start, &events).checked_add(after).unwrap();
        let now = n.checked_add(later).unwrap();
        let mut with_note = events.clone();
        with_note.push((n, EventKind::Note { body: "internal".into() }));
        prop_assert_eq!(
            problem_clocks(&fold(&events), start, &policy, now),
            problem_clocks(&fold(&with_note), start, &policy, now)
        );
    }

    #[test]
    fn a_paused_clock_never_advances_and_resuming_shifts_it_by_the_pause(
        (start, events) in open_timeline(),
        policy in any_policy(),
        on_customer in any::<bool>(),
        before_pause in gap(),
        length in gap(),
        probes in prop::collection::vec(0.0f64..1.0, 1..6),
        after_resume in gap(),
    ) {
        let p = last_time(start, &events).checked_add(before_pause).unwrap();
        let r = p.checked_add(length).unwrap();
        let on = if on_customer { WaitingOn::Customer } else { WaitingOn::Vendor };
        let mut waiting = events.clone();
        waiting.push((p, EventKind::Waiting { on, reason: "r".into() }));
        let mut resumed = waiting.clone();
        resumed.push((r, EventKind::Resumed));

        let unpaused = problem_clocks(&fold(&events), start, &policy, p);
        let paused_state = fold(&waiting);
        let resumed_clocks = problem_clocks(&fold(&resumed), start, &policy, r.checked_add(after_resume).unwrap());

        for kind in [ClockKind::Update, ClockKind::Fix] {
            let Some(u) = find(&unpaused, kind) else { continue };
            let due = u.due_at.expect("an open problem has no open pause");
            for frac in &probes {
                // Any instant from the pause's start until just before the resume.
                let secs = (length.as_secs_f64() * frac).floor();
                let now = p.checked_add(SignedDuration::from_secs_f64(secs)).unwrap();
                let c = find(&problem_clocks(&paused_state, start, &policy, now), kind).unwrap();
                if p < due {
                    prop_assert_eq!((c.state, c.due_at, c.warn_at), (ClockState::Paused, None, None));
                } else {
                    // A pause that begins at or after the deadline does not move it.
                    prop_assert_eq!(c.due_at, Some(due));
                }
            }
            let after = find(&resumed_clocks, kind).unwrap();
            let shift = |t: Timestamp| if p < t { t.checked_add(length).unwrap() } else { t };
            prop_assert_eq!(after.due_at, Some(shift(due)));
            prop_assert_eq!(after.warn_at, u.warn_at.map(shift));
        }
        // The tell clock never pauses.
        prop_assert_eq!(find(&unpaused, ClockKind::Tell).map(|c| c.due_at), find(&resumed_clocks, ClockKind::Tell).map(|c| c.due_at));
    }

    #[test]
    fn next_deadlines_state_is_the_worst_running_unpaused_clock(
        (start, events) in timeline(),
        policy in any_policy(),
        later in gap(),
        made in gap(),
        promise_span in gap(),
        promise_now in gap(),
    ) {
        let made_at = start.checked_add(made).unwrap();
        let now = last_time(start, &events).checked_add(later).unwrap().max(made_at.checked_add(promise_now).unwrap());
        let p = promise(made_at, made_at.checked_add(promise_span).unwrap());
        let mut clocks = problem_clocks(&fold(&events), start, &policy, now);
        clocks.push(promise_clock(&p, &Policies::default(), now));

        let worst = clocks.iter().map(|c| c.state).filter(|s| s.is_running() && *s != ClockState::Paused).min();
        prop_assert_eq!(NextDeadlines::of(&clocks).state(now), worst);
    }

    #[test]
    fn due_and_warning_times_do_not_depend_on_now(
        (start, events) in timeline(),
        policy in any_policy(),
        a in gap(),
        b in gap(),
    ) {
        let state = fold(&events);
        let last = last_time(start, &events);
        let times = |now: Timestamp| {
            problem_clocks(&state, start, &policy, now)
                .into_iter()
                .map(|c| (c.kind, c.started_at, c.warn_at, c.due_at, c.stopped_at))
                .collect::<Vec<_>>()
        };
        prop_assert_eq!(times(last.checked_add(a).unwrap()), times(last.checked_add(b).unwrap()));
    }

    #[test]
    fn each_clock_state_agrees_with_its_times(
        (start, events) in timeline(),
        policy in any_policy(),
        later in gap(),
    ) {
        let now = last_time(start, &events).checked_add(later).unwrap();
        for c in problem_clocks(&fold(&events), start, &policy, now) {
            if let (Some(w), Some(d)) = (c.warn_at, c.due_at) {
                prop_assert!(c.started_at <= w && w <= d);
            }
            let expected = match (c.stopped_at, c.due_at) {
                (Some(s), Some(d)) if s <= d => ClockState::Met,
                (Some(_), Some(_)) => ClockState::Missed,
                (Some(_), None) => unreachable!("a stopped clock has a deadline"),
                (None, None) => ClockState::Paused,
                (None, Some(d)) if now > d => ClockState::Breached,
                (None, Some(_)) if c.warn_at.is_some_and(|w| now >= w) => ClockState::Warning,
                (None, Some(_)) => ClockState::Ok,
            };
            prop_assert_eq!(c.state, expected);
        }
    }

    #[test]
    fn a_deadline_leaves_exactly_its_span_of_running_time(
        (start, events) in timeline(),
        span_minutes in 0i64..20_000,
    ) {
        let state = fold(&events);
        let span = SignedDuration::from_mins(span_minutes);
        match deadline(start, span, &state.pauses) {
            Some(due) => {
                let running = due.duration_since(start) - state.paused_between(start, due);
                prop_assert_eq!(running, span);
            }
            None => {
                let open = state.pauses.last().expect("only an open pause withholds a deadline");
                prop_assert!(open.until.is_none());
                let running = open.from.duration_since(start) - state.paused_between(start, open.from);
                prop_assert!(running < span);
            }
        }
    }
}
