//! Table tests of deadlines and of the tell, update, fix and promise clocks.

use jiff::{SignedDuration, Timestamp};
use rstest::rstest;

use super::*;
use crate::testing::{at, hour, hours, policy, promise};
use crate::{EventKind, Outcome, WaitingOn};

fn pause(from: i64, until: Option<i64>) -> Pause {
    Pause {
        from: hour(from),
        until: until.map(hour),
    }
}

#[rstest]
#[case::no_pauses(vec![], Some(10))]
#[case::pause_wholly_before_start(vec![pause(-5, Some(-2))], Some(10))]
#[case::pause_straddling_start(vec![pause(-2, Some(2))], Some(12))]
#[case::pause_within_span(vec![pause(2, Some(5))], Some(13))]
#[case::two_pauses_within(vec![pause(2, Some(5)), pause(7, Some(8))], Some(14))]
#[case::pause_across_the_deadline(vec![pause(8, Some(20))], Some(22))]
#[case::pause_beginning_at_the_deadline(vec![pause(10, Some(15))], Some(10))]
#[case::pause_beginning_after_the_deadline(vec![pause(11, Some(15))], Some(10))]
#[case::later_pause_reached_after_shift(vec![pause(2, Some(5)), pause(12, Some(20))], Some(21))]
#[case::later_pause_at_shifted_deadline(vec![pause(2, Some(5)), pause(13, Some(20))], Some(13))]
#[case::open_pause_within_span(vec![pause(3, None)], None)]
#[case::open_pause_from_before_start(vec![pause(-1, None)], None)]
#[case::open_pause_after_the_deadline(vec![pause(12, None)], Some(10))]
#[case::open_pause_after_a_closed_one(vec![pause(1, Some(2)), pause(12, None)], Some(11))]
fn deadline_honours_pauses(#[case] pauses: Vec<Pause>, #[case] want: Option<i64>) {
    assert_eq!(deadline(hour(0), hours(10), &pauses), want.map(hour));
}

#[test]
fn deadline_of_an_empty_or_negative_span_is_the_start() {
    assert_eq!(deadline(hour(3), SignedDuration::ZERO, &[]), Some(hour(3)));
    assert_eq!(
        deadline(hour(3), -hours(2), &[pause(1, Some(5))]),
        Some(hour(3))
    );
}

/// Clocks of a problem detected at hour 0 under [`policy`] (tell 1 h, update 4 h, fix 24 h,
/// warning when 25% is left), after `events`, at `now`.
fn clocks(events: &[(Timestamp, EventKind)], now: Timestamp) -> Vec<Clock> {
    let state =
        ProblemState::from_events(events.iter().map(|(t, k)| (*t, k))).expect("valid timeline");
    problem_clocks(&state, hour(0), &policy(), now)
}

fn clock(events: &[(Timestamp, EventKind)], kind: ClockKind, now: Timestamp) -> Option<Clock> {
    clocks(events, now).into_iter().find(|c| c.kind == kind)
}

fn state_of(events: &[(Timestamp, EventKind)], kind: ClockKind, now: Timestamp) -> ClockState {
    clock(events, kind, now).expect("clock present").state
}

fn update(t: Timestamp) -> (Timestamp, EventKind) {
    (
        t,
        EventKind::Update {
            body: "news".into(),
        },
    )
}
fn note(t: Timestamp) -> (Timestamp, EventKind) {
    (
        t,
        EventKind::Note {
            body: "internal".into(),
        },
    )
}
fn wait(t: Timestamp) -> (Timestamp, EventKind) {
    (
        t,
        EventKind::Waiting {
            on: WaitingOn::Customer,
            reason: "logs".into(),
        },
    )
}
fn resume(t: Timestamp) -> (Timestamp, EventKind) {
    (t, EventKind::Resumed)
}
fn fixed(t: Timestamp) -> (Timestamp, EventKind) {
    (
        t,
        EventKind::Fixed {
            summary: "done".into(),
        },
    )
}
fn closed(t: Timestamp) -> (Timestamp, EventKind) {
    (
        t,
        EventKind::Closed {
            outcome: Outcome::Retained,
        },
    )
}
fn reopened(t: Timestamp) -> (Timestamp, EventKind) {
    (
        t,
        EventKind::Reopened {
            reason: "back".into(),
        },
    )
}

const SEC: SignedDuration = SignedDuration::from_secs(1);

// Tell: due at 60 min, warning from 45 min.
#[rstest]
#[case::ok(at(44), ClockState::Ok)]
#[case::warning_from_its_time(at(45), ClockState::Warning)]
#[case::still_warning_at_due(at(60), ClockState::Warning)]
#[case::breached_after_due(at(60) + SEC, ClockState::Breached)]
fn tell_runs_from_detection(#[case] now: Timestamp, #[case] want: ClockState) {
    let c = clock(&[], ClockKind::Tell, now).unwrap();
    assert_eq!(
        (c.started_at, c.warn_at, c.due_at, c.stopped_at),
        (hour(0), Some(at(45)), Some(at(60)), None)
    );
    assert_eq!(c.state, want);
}

#[rstest]
#[case::met(at(50), ClockState::Met)]
#[case::met_at_due(at(60), ClockState::Met)]
#[case::missed(at(90), ClockState::Missed)]
fn tell_stops_at_the_first_update(#[case] told: Timestamp, #[case] want: ClockState) {
    let events = [note(at(5)), update(told), update(told + hours(1))];
    let c = clock(&events, ClockKind::Tell, hour(100)).unwrap();
    assert_eq!((c.state, c.stopped_at), (want, Some(told)));
}

#[test]
fn notes_never_satisfy_the_tell_clock() {
    let events = [note(at(5)), note(at(20))];
    assert_eq!(
        state_of(&events, ClockKind::Tell, at(50)),
        ClockState::Warning
    );
    assert_eq!(
        state_of(&events, ClockKind::Tell, at(61)),
        ClockState::Breached
    );
}

#[test]
fn waiting_does_not_pause_the_tell_clock() {
    assert_eq!(
        state_of(&[wait(at(10))], ClockKind::Tell, at(61)),
        ClockState::Breached
    );
}

#[rstest]
#[case::closed_in_time(at(30), ClockState::Met)]
#[case::closed_late(at(90), ClockState::Missed)]
fn closing_stops_the_tell_clock(#[case] close: Timestamp, #[case] want: ClockState) {
    let c = clock(&[closed(close)], ClockKind::Tell, hour(100)).unwrap();
    assert_eq!((c.state, c.stopped_at), (want, Some(close)));
}

#[test]
fn an_update_after_the_close_does_not_rewrite_the_tell_clock() {
    let c = clock(
        &[closed(at(30)), update(hour(5))],
        ClockKind::Tell,
        hour(100),
    )
    .unwrap();
    assert_eq!((c.state, c.stopped_at), (ClockState::Met, Some(at(30))));
}

#[test]
fn reopening_a_problem_closed_untold_runs_its_tell_clock_again() {
    // Never told: after reopening the tell clock runs again from detection, and is breached.
    let events = [closed(at(30)), reopened(hour(5))];
    let c = clock(&events, ClockKind::Tell, hour(6)).unwrap();
    assert_eq!(
        (c.state, c.started_at, c.stopped_at),
        (ClockState::Breached, hour(0), None)
    );
}

#[test]
fn the_update_clock_is_absent_until_the_first_update() {
    let kinds = |events: &[(Timestamp, EventKind)]| {
        clocks(events, hour(3))
            .iter()
            .map(|c| c.kind)
            .collect::<Vec<_>>()
    };
    assert_eq!(kinds(&[]), [ClockKind::Tell, ClockKind::Fix]);
    assert_eq!(
        kinds(&[note(at(10)), wait(at(20))]),
        [ClockKind::Tell, ClockKind::Fix]
    );
    assert_eq!(
        kinds(&[update(at(10))]),
        [ClockKind::Tell, ClockKind::Update, ClockKind::Fix]
    );
}

// Update 4 h from the last update at hour 1: warning from hour 4, due at hour 5.
#[rstest]
#[case::ok(hour(4) - SEC, ClockState::Ok)]
#[case::warning(hour(4), ClockState::Warning)]
#[case::warning_at_due(hour(5), ClockState::Warning)]
#[case::breached(hour(5) + SEC, ClockState::Breached)]
fn update_runs_from_the_last_update(#[case] now: Timestamp, #[case] want: ClockState) {
    let c = clock(&[update(hour(1))], ClockKind::Update, now).unwrap();
    assert_eq!(
        (c.started_at, c.warn_at, c.due_at),
        (hour(1), Some(hour(4)), Some(hour(5)))
    );
    assert_eq!(c.state, want);
}

#[test]
fn each_update_restarts_the_update_clock_but_notes_do_not() {
    let events = [
        update(hour(1)),
        note(hour(2)),
        update(hour(3)),
        note(hour(6)),
    ];
    let c = clock(&events, ClockKind::Update, hour(7)).unwrap();
    assert_eq!(
        (c.started_at, c.due_at, c.state),
        (hour(3), Some(hour(7)), ClockState::Warning)
    );
}

#[test]
fn the_update_clock_pauses_while_waiting() {
    let events = [update(hour(0)), wait(hour(2))];
    for now in [hour(2), hour(4), hour(100)] {
        let c = clock(&events, ClockKind::Update, now).unwrap();
        assert_eq!(
            (c.state, c.warn_at, c.due_at),
            (ClockState::Paused, None, None)
        );
        assert_eq!(c.remaining(now), None);
    }
    let events = [update(hour(0)), wait(hour(2)), resume(hour(6))];
    let c = clock(&events, ClockKind::Update, hour(6)).unwrap();
    assert_eq!(
        (c.state, c.warn_at, c.due_at),
        (ClockState::Ok, Some(hour(7)), Some(hour(8)))
    );
    assert_eq!(c.remaining(hour(6)), Some(hours(2)));
}

#[test]
fn an_update_while_waiting_starts_the_clock_on_resume() {
    let events = [
        update(hour(0)),
        wait(hour(1)),
        update(hour(3)),
        resume(hour(5)),
    ];
    let c = clock(&events, ClockKind::Update, hour(6)).unwrap();
    assert_eq!((c.started_at, c.due_at), (hour(3), Some(hour(9))));
}

#[test]
fn a_breached_update_clock_stays_breached_while_waiting() {
    let events = [update(hour(0)), wait(hour(6))];
    let c = clock(&events, ClockKind::Update, hour(8)).unwrap();
    assert_eq!((c.state, c.due_at), (ClockState::Breached, Some(hour(4))));
}

#[rstest]
#[case::met(hour(3), ClockState::Met)]
#[case::met_at_due(hour(4), ClockState::Met)]
#[case::missed(hour(6), ClockState::Missed)]
fn the_update_clock_stops_at_the_fix(#[case] fix: Timestamp, #[case] want: ClockState) {
    let c = clock(&[update(hour(0)), fixed(fix)], ClockKind::Update, hour(50)).unwrap();
    assert_eq!((c.state, c.stopped_at), (want, Some(fix)));
}

#[test]
fn the_update_clock_stops_at_the_close() {
    let c = clock(
        &[update(hour(0)), closed(hour(2))],
        ClockKind::Update,
        hour(50),
    )
    .unwrap();
    assert_eq!((c.state, c.stopped_at), (ClockState::Met, Some(hour(2))));
}

#[test]
fn an_update_after_the_fix_is_met() {
    let c = clock(
        &[update(hour(0)), fixed(hour(2)), update(hour(9))],
        ClockKind::Update,
        hour(50),
    )
    .unwrap();
    assert_eq!(
        (c.state, c.started_at, c.stopped_at),
        (ClockState::Met, hour(9), Some(hour(9)))
    );
}

#[test]
fn reopening_restarts_the_update_clock() {
    let events = [update(hour(0)), fixed(hour(1)), reopened(hour(30))];
    let c = clock(&events, ClockKind::Update, hour(31)).unwrap();
    assert_eq!(
        (c.state, c.started_at, c.due_at, c.stopped_at),
        (ClockState::Ok, hour(30), Some(hour(34)), None)
    );
}

// Fix 24 h from detection: warning from hour 18, due at hour 24.
#[rstest]
#[case::ok(hour(18) - SEC, ClockState::Ok)]
#[case::warning(hour(18), ClockState::Warning)]
#[case::warning_at_due(hour(24), ClockState::Warning)]
#[case::breached(hour(24) + SEC, ClockState::Breached)]
fn fix_runs_from_detection(#[case] now: Timestamp, #[case] want: ClockState) {
    let c = clock(&[update(hour(0))], ClockKind::Fix, now).unwrap();
    assert_eq!(
        (c.started_at, c.warn_at, c.due_at),
        (hour(0), Some(hour(18)), Some(hour(24)))
    );
    assert_eq!(c.state, want);
}

#[test]
fn the_fix_clock_pauses_while_waiting_and_resumes_later() {
    let waiting = [wait(hour(2))];
    assert_eq!(
        state_of(&waiting, ClockKind::Fix, hour(50)),
        ClockState::Paused
    );
    let c = clock(&[wait(hour(2)), resume(hour(6))], ClockKind::Fix, hour(21)).unwrap();
    assert_eq!(
        (c.state, c.warn_at, c.due_at),
        (ClockState::Ok, Some(hour(22)), Some(hour(28)))
    );
}

#[test]
fn a_pause_after_the_fix_deadline_does_not_move_it() {
    let c = clock(&[wait(hour(25))], ClockKind::Fix, hour(30)).unwrap();
    assert_eq!((c.state, c.due_at), (ClockState::Breached, Some(hour(24))));
}

#[rstest]
#[case::fixed_in_time(fixed(hour(20)), ClockState::Met)]
#[case::fixed_late(fixed(hour(25)), ClockState::Missed)]
#[case::closed_unfixed_in_time(closed(hour(20)), ClockState::Met)]
#[case::closed_unfixed_late(closed(hour(30)), ClockState::Missed)]
fn the_fix_clock_stops_at_the_fix_or_close(
    #[case] end: (Timestamp, EventKind),
    #[case] want: ClockState,
) {
    let stop = end.0;
    let c = clock(&[end], ClockKind::Fix, hour(100)).unwrap();
    assert_eq!((c.state, c.stopped_at), (want, Some(stop)));
}

#[test]
fn time_spent_waiting_before_the_fix_is_not_counted() {
    let c = clock(&[wait(hour(2)), fixed(hour(30))], ClockKind::Fix, hour(100)).unwrap();
    assert_eq!((c.state, c.due_at), (ClockState::Met, Some(hour(52))));
}

#[test]
fn reopening_gives_the_fix_clock_a_fresh_span() {
    let events = [
        update(hour(0)),
        fixed(hour(10)),
        closed(hour(12)),
        reopened(hour(40)),
    ];
    let c = clock(&events, ClockKind::Fix, hour(41)).unwrap();
    assert_eq!(
        (c.state, c.started_at, c.due_at, c.stopped_at),
        (ClockState::Ok, hour(40), Some(hour(64)), None)
    );
    // The tell clock was met and stays met.
    assert_eq!(
        state_of(&events, ClockKind::Tell, hour(41)),
        ClockState::Met
    );
}

#[test]
fn clock_states_parse_and_order_by_urgency() {
    for s in ClockState::ALL {
        assert_eq!(ClockState::parse(s.as_str()), Some(s));
    }
    assert_eq!(ClockState::parse("late"), None);
    assert!(ClockState::Breached < ClockState::Warning && ClockState::Warning < ClockState::Ok);
    let running: Vec<_> = ClockState::ALL
        .into_iter()
        .filter(|s| s.is_running())
        .collect();
    assert_eq!(
        running,
        [
            ClockState::Breached,
            ClockState::Warning,
            ClockState::Ok,
            ClockState::Paused
        ]
    );
}

fn bare(state: ClockState, warn: Option<i64>, due: Option<i64>) -> Clock {
    Clock {
        kind: ClockKind::Fix,
        state,
        started_at: hour(0),
        warn_at: warn.map(hour),
        due_at: due.map(hour),
        stopped_at: None,
    }
}

#[test]
fn next_deadlines_take_the_earliest_of_running_unpaused_clocks() {
    let clocks = [
        bare(ClockState::Ok, Some(8), Some(10)),
        bare(ClockState::Ok, Some(5), Some(12)),
        bare(ClockState::Met, Some(1), Some(2)),
        bare(ClockState::Paused, Some(3), None),
    ];
    let next = NextDeadlines::of(&clocks);
    assert_eq!(
        next,
        NextDeadlines {
            warn_at: Some(hour(5)),
            due_at: Some(hour(10))
        }
    );
    assert_eq!(next.state(hour(4)), Some(ClockState::Ok));
    assert_eq!(next.state(hour(5)), Some(ClockState::Warning));
    assert_eq!(next.state(hour(10)), Some(ClockState::Warning));
    assert_eq!(next.state(hour(10) + SEC), Some(ClockState::Breached));
    assert_eq!(NextDeadlines::of(&clocks[2..]).state(hour(4)), None);
}

#[test]
fn a_paused_clock_past_its_warning_does_not_warn_through_next_deadlines() {
    // Tell 48 h (never paused, ok at hour 21); fix 24 h, paused at hour 20, after its warning.
    let policy = Policy {
        tell_within_minutes: 48 * 60,
        ..policy()
    };
    let state = ProblemState::from_events([(hour(20), &wait(hour(20)).1)]).unwrap();
    let clocks = problem_clocks(&state, hour(0), &policy, hour(21));
    assert_eq!(
        clocks.iter().map(|c| c.state).collect::<Vec<_>>(),
        [ClockState::Ok, ClockState::Paused]
    );
    assert_eq!(
        NextDeadlines::of(&clocks).state(hour(21)),
        Some(ClockState::Ok)
    );
    assert_eq!(worst_state(&clocks), Some(ClockState::Ok));
}

#[test]
fn worst_state_counts_paused_but_not_stopped_clocks() {
    assert_eq!(
        worst_state(&[
            bare(ClockState::Met, None, None),
            bare(ClockState::Paused, None, None)
        ]),
        Some(ClockState::Paused)
    );
    assert_eq!(worst_state(&[bare(ClockState::Missed, None, None)]), None);
    assert_eq!(
        worst_state(&[
            bare(ClockState::Ok, None, None),
            bare(ClockState::Breached, None, None)
        ]),
        Some(ClockState::Breached)
    );
}

// A promise made at hour 0 due at hour 100 warns 20 h before due (20% of the span, at least 1 h).
#[rstest]
#[case::ok(hour(79), ClockState::Ok)]
#[case::warning(hour(80), ClockState::Warning)]
#[case::still_open_at_due(hour(100), ClockState::Warning)]
#[case::missed_after_due(hour(100) + SEC, ClockState::Missed)]
fn the_promise_clock_warns_then_misses(#[case] now: Timestamp, #[case] want: ClockState) {
    let c = promise_clock(&promise(hour(0), hour(100)), &Policies::default(), now);
    assert_eq!(
        (c.kind, c.started_at, c.warn_at, c.due_at),
        (ClockKind::Promise, hour(0), Some(hour(80)), Some(hour(100)))
    );
    assert_eq!(c.state, want);
    let stopped = (want == ClockState::Missed).then_some(hour(100));
    assert_eq!(c.stopped_at, stopped);
}

#[test]
fn a_short_promise_warns_at_least_an_hour_ahead_but_not_before_it_was_made() {
    let policies = Policies::default();
    let c = promise_clock(&promise(hour(0), hour(3)), &policies, hour(0));
    assert_eq!(c.warn_at, Some(hour(2)));
    let c = promise_clock(&promise(at(0), at(30)), &policies, at(0));
    assert_eq!((c.warn_at, c.state), (Some(at(0)), ClockState::Warning));
}

#[test]
fn ended_promises_stop_their_clock() {
    let policies = Policies::default();
    let mut kept = promise(hour(0), hour(10));
    kept.keep(hour(9)).unwrap();
    let c = promise_clock(&kept, &policies, hour(50));
    assert_eq!((c.state, c.stopped_at), (ClockState::Met, Some(hour(9))));

    let mut released = promise(hour(0), hour(10));
    released.release("no longer needed", hour(2)).unwrap();
    assert_eq!(
        promise_clock(&released, &policies, hour(50)).state,
        ClockState::Met
    );

    let mut renegotiated = promise(hour(0), hour(10));
    renegotiated
        .renegotiate(hour(20), "parts late", hour(5))
        .unwrap();
    assert_eq!(
        promise_clock(&renegotiated, &policies, hour(50)).state,
        ClockState::Met
    );

    let mut broken = promise(hour(0), hour(10));
    assert!(broken.break_if_due(hour(11)));
    let c = promise_clock(&broken, &policies, hour(50));
    assert_eq!(
        (c.state, c.stopped_at),
        (ClockState::Missed, Some(hour(10)))
    );
}
