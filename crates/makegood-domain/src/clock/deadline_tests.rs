//! Table tests of deadlines, clock states and the next deadlines a store indexes.

use jiff::SignedDuration;
use rstest::rstest;

use super::*;
use crate::testing::{hour, hours, policy};
use crate::{EventKind, WaitingOn};

const SEC: SignedDuration = SignedDuration::from_secs(1);

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
    let state = ProblemState::from_events([(
        hour(20),
        &EventKind::Waiting {
            on: WaitingOn::Vendor,
            reason: "patch".into(),
        },
    )])
    .unwrap();
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
