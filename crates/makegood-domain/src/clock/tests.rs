//! Table tests of the tell, update and fix clocks of a problem.

use jiff::{SignedDuration, Timestamp};
use rstest::rstest;

use super::*;
use crate::testing::{at, hour, hours, policy};
use crate::{EventKind, Outcome, WaitingOn};

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

fn upset(t: Timestamp) -> (Timestamp, EventKind) {
    (
        t,
        EventKind::CustomerReplied {
            contact: crate::ContactId(1),
            body: "this is a disgrace".into(),
            sentiment: crate::Sentiment(-800),
            inbound: None,
            attachments: Vec::new(),
        },
    )
}

#[test]
fn an_upset_customer_is_called_within_the_time_to_tell() {
    assert!(clock(&[], ClockKind::Call, hour(1)).is_none());
    let events = [upset(hour(3))];
    let call = clock(&events, ClockKind::Call, hour(3)).expect("a call is owed");
    assert_eq!(call.started_at, hour(3));
    assert_eq!(call.due_at, Some(hour(4)), "tell is 1 h");
    assert_eq!(call.state, ClockState::Ok);
    assert_eq!(
        state_of(&events, ClockKind::Call, hour(5)),
        ClockState::Breached
    );

    let made = [
        upset(hour(3)),
        (
            at(210),
            EventKind::CustomerCalled {
                note: "apologised".into(),
            },
        ),
    ];
    assert_eq!(state_of(&made, ClockKind::Call, hour(9)), ClockState::Met);
}

#[test]
fn a_close_stops_the_call_owed_before_it_but_not_one_asked_after() {
    let close = |t| {
        (
            t,
            EventKind::Closed {
                outcome: Outcome::AtRisk,
            },
        )
    };
    assert_eq!(
        state_of(&[upset(hour(3)), close(hour(5))], ClockKind::Call, hour(9)),
        ClockState::Missed
    );
    assert_eq!(
        state_of(&[close(hour(5)), upset(hour(6))], ClockKind::Call, hour(9)),
        ClockState::Breached
    );
}
