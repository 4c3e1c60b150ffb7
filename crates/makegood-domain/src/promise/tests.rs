//! Tests of promises: the due-time boundary, renegotiation, final end states, the promise clock.

use jiff::{SignedDuration, Timestamp};
use proptest::prelude::*;
use rstest::rstest;

use super::*;
use crate::Policies;
use crate::clock::{ClockKind, ClockState, promise_clock};
use crate::testing::{at, contact, gap, hour, instant, promise};

const SEC: SignedDuration = SignedDuration::from_secs(1);

/// Made at hour 0, due at hour 10.
fn open() -> Promise {
    promise(hour(0), hour(10))
}

#[rstest]
#[case::before_due(hour(9), PromiseStatus::Open)]
#[case::at_due_still_open(hour(10), PromiseStatus::Open)]
#[case::after_due_broken(hour(10) + SEC, PromiseStatus::Broken)]
fn an_open_promise_breaks_only_after_its_due_time(
    #[case] now: Timestamp,
    #[case] want: PromiseStatus,
) {
    assert_eq!(open().status_at(now), want);
}

#[test]
fn a_recorded_end_holds_at_any_time() {
    let mut p = open();
    p.keep(hour(2)).unwrap();
    assert_eq!(p.status_at(hour(1000)), PromiseStatus::Kept);
}

#[rstest]
#[case::early(hour(1))]
#[case::at_due(hour(10))]
fn keeping_in_time_ends_it_kept(#[case] now: Timestamp) {
    let mut p = open();
    p.keep(now).unwrap();
    assert_eq!(
        (p.status, p.ended_at, p.reason.as_deref()),
        (PromiseStatus::Kept, Some(now), None)
    );
}

#[rstest]
#[case::kept("kept")]
#[case::released("released")]
#[case::renegotiated("renegotiated")]
fn nothing_can_be_done_once_the_due_time_passed(#[case] action: &'static str) {
    let mut p = open();
    let late = hour(10) + SEC;
    let err = match action {
        "kept" => p.keep(late).unwrap_err(),
        "released" => p.release("waived", late).unwrap_err(),
        _ => p.renegotiate(hour(20), "parts late", late).unwrap_err(),
    };
    assert_eq!(
        err,
        PromiseError::PastDue {
            due: hour(10),
            action
        }
    );
    assert_eq!(
        err.to_string(),
        format!(
            "the promise was due at {} and is broken; it can no longer be {action}",
            hour(10)
        )
    );
    assert_eq!(p, open(), "a refused action changes nothing");
}

#[test]
fn releasing_records_a_trimmed_reason_if_any() {
    let mut p = open();
    p.release("  no longer needed ", hour(3)).unwrap();
    assert_eq!(
        (p.status, p.ended_at, p.reason.as_deref()),
        (
            PromiseStatus::Released,
            Some(hour(3)),
            Some("no longer needed")
        )
    );
    let mut p = open();
    p.release("   ", hour(3)).unwrap();
    assert_eq!(p.reason, None);
}

#[test]
fn renegotiating_ends_it_and_returns_a_linked_successor() {
    let mut p = open();
    let next = p
        .renegotiate(hour(30), " parts are late ", hour(4))
        .unwrap();
    assert_eq!(
        (p.status, p.ended_at, p.reason.as_deref()),
        (
            PromiseStatus::Renegotiated,
            Some(hour(4)),
            Some("parts are late")
        )
    );
    assert_eq!(
        p.renegotiated_to, None,
        "the store links the successor once it has an id"
    );
    assert_eq!(next.renegotiated_from, Some(p.id));
    assert_eq!(
        (next.made_at, next.due_at, next.status),
        (hour(4), hour(30), PromiseStatus::Open)
    );
    assert_eq!(
        (next.ended_at, next.reason.as_ref(), next.renegotiated_to),
        (None, None, None)
    );
    assert_eq!((next.id, next.version), (PromiseId(0), 1));
    // The commitment itself carries on unchanged.
    assert_eq!(
        (&next.what, &next.contacts, next.made_by, next.problem),
        (&p.what, &vec![contact()], p.made_by, p.problem)
    );
}

#[test]
fn renegotiating_at_the_due_time_is_still_in_time() {
    let mut p = open();
    assert!(p.renegotiate(hour(12), "parts late", hour(10)).is_ok());
}

#[test]
fn a_successor_can_itself_be_renegotiated() {
    let mut first = open();
    let mut second = first.renegotiate(hour(20), "late", hour(5)).unwrap();
    second.id = PromiseId(2);
    let third = second.renegotiate(hour(40), "later", hour(15)).unwrap();
    assert_eq!(third.renegotiated_from, Some(PromiseId(2)));
    assert_eq!(second.status, PromiseStatus::Renegotiated);
}

#[rstest]
#[case::blank_reason(hour(20), "  ", PromiseError::ReasonRequired)]
#[case::new_due_now(hour(4), "late", PromiseError::DueInPast)]
#[case::new_due_past(hour(1), "late", PromiseError::DueInPast)]
#[case::same_due(hour(10), "late", PromiseError::SameDue)]
fn renegotiation_needs_a_reason_and_a_new_future_date(
    #[case] new_due: Timestamp,
    #[case] reason: &str,
    #[case] want: PromiseError,
) {
    let mut p = open();
    assert_eq!(p.renegotiate(new_due, reason, hour(4)), Err(want));
    assert_eq!(p, open());
}

#[test]
fn breaking_is_recorded_at_the_due_time_only_after_it() {
    let mut p = open();
    assert!(!p.break_if_due(hour(10)));
    assert_eq!(p, open());
    assert!(p.break_if_due(hour(50)));
    assert_eq!(
        (p.status, p.ended_at),
        (PromiseStatus::Broken, Some(hour(10)))
    );
    assert!(!p.break_if_due(hour(60)), "a break is recorded once");
    assert_eq!(
        p.keep(hour(60)),
        Err(PromiseError::Ended(PromiseStatus::Broken))
    );
}

#[test]
fn an_ended_promise_refuses_everything() {
    let mut p = open();
    p.keep(hour(1)).unwrap();
    let ended = p.clone();
    assert_eq!(
        p.keep(hour(2)),
        Err(PromiseError::Ended(PromiseStatus::Kept))
    );
    assert_eq!(
        p.release("x", hour(2)),
        Err(PromiseError::Ended(PromiseStatus::Kept))
    );
    assert_eq!(
        p.renegotiate(hour(20), "x", hour(2)),
        Err(PromiseError::Ended(PromiseStatus::Kept))
    );
    assert!(!p.break_if_due(hour(50)));
    assert_eq!(p, ended);
    assert_eq!(
        PromiseError::Ended(PromiseStatus::Kept).to_string(),
        "the promise is already kept"
    );
}

#[test]
fn statuses_parse_and_only_open_is_not_final() {
    for s in PromiseStatus::ALL {
        assert_eq!(PromiseStatus::parse(s.as_str()), Some(s));
        assert_eq!(s.is_final(), s != PromiseStatus::Open);
    }
    assert_eq!(PromiseStatus::parse("late"), None);
}

// The promise clock. A promise made at hour 0 due at hour 100 warns 20 h before due (20% of the span, at least 1 h).
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

/// One thing that may be done to a promise.
#[derive(Clone, Debug)]
enum Op {
    Keep,
    Release,
    /// Renegotiate to this long after the moment it is tried.
    Renegotiate(SignedDuration),
    Break,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        Just(Op::Keep),
        Just(Op::Release),
        (1i64..=10_000).prop_map(|m| Op::Renegotiate(SignedDuration::from_mins(m))),
        Just(Op::Break),
    ]
}

/// Applies `op` at `now`; whether the promise moved.
fn apply(p: &mut Promise, op: &Op, now: Timestamp) -> bool {
    match op {
        Op::Keep => p.keep(now).is_ok(),
        Op::Release => p.release("waived", now).is_ok(),
        Op::Renegotiate(d) => p
            .renegotiate(now.checked_add(*d).unwrap(), "late", now)
            .is_ok(),
        Op::Break => p.break_if_due(now),
    }
}

/// A promise made in 2020..2030 with a span up to a week, and timed operations on it.
fn scenario() -> impl Strategy<Value = (Promise, Vec<(Timestamp, Op)>)> {
    (
        instant(),
        gap(),
        prop::collection::vec((gap(), op()), 0..12),
    )
        .prop_map(|(made, span, steps)| {
            let p = promise(made, made.checked_add(span).unwrap());
            let mut t = made;
            let ops = steps
                .into_iter()
                .map(|(g, op)| {
                    t = t.checked_add(g).unwrap();
                    (t, op)
                })
                .collect();
            (p, ops)
        })
}

proptest! {
    #[test]
    fn a_promise_is_broken_exactly_when_now_passes_due_unended((mut p, ops) in scenario(), last in gap()) {
        let due = p.due_at;
        let mut ended = false;
        for (t, op) in &ops {
            let moved = apply(&mut p, op, *t);
            // The oracle: a keep, release or valid renegotiation works while open and not past due
            // (a renegotiation must move the date); recording a break works while open and past due.
            let expected = !ended && match op {
                Op::Break => *t > due,
                Op::Renegotiate(d) => *t <= due && t.checked_add(*d).unwrap() != due,
                _ => *t <= due,
            };
            prop_assert_eq!(moved, expected, "{:?} at {}", op, t);
            ended |= moved;
        }
        let now = ops.last().map_or(p.made_at, |(t, _)| *t).checked_add(last).unwrap();
        let broken = p.status_at(now) == PromiseStatus::Broken;
        let ended_well = matches!(p.status, PromiseStatus::Kept | PromiseStatus::Renegotiated | PromiseStatus::Released);
        prop_assert_eq!(broken, !ended_well && now > due);
        if p.status == PromiseStatus::Broken {
            prop_assert_eq!(p.ended_at, Some(due));
        }
    }

    #[test]
    fn end_states_are_final((mut p, ops) in scenario(), end in op(), at in gap()) {
        let t = if matches!(end, Op::Break) { p.due_at.checked_add(at + SEC).unwrap() } else { p.made_at.checked_add(at).unwrap().min(p.due_at) };
        prop_assert!(apply(&mut p, &end, t));
        prop_assert!(p.status.is_final());
        let ended = p.clone();
        for (t, op) in &ops {
            prop_assert!(!apply(&mut p, op, *t));
            prop_assert_eq!(&p, &ended);
            prop_assert_eq!(p.status_at(*t), ended.status);
        }
    }

    #[test]
    fn renegotiation_carries_the_promise_on((mut p, _) in scenario(), at in gap(), by in 1i64..=10_000) {
        let now = p.made_at.checked_add(at).unwrap();
        let new_due = now.checked_add(SignedDuration::from_mins(by)).unwrap();
        let before = p.clone();
        match p.renegotiate(new_due, "late", now) {
            Ok(next) => {
                prop_assert!(now <= before.due_at && new_due != before.due_at);
                prop_assert_eq!(next.renegotiated_from, Some(before.id));
                prop_assert_eq!((next.made_at, next.due_at, next.status), (now, new_due, PromiseStatus::Open));
                prop_assert_eq!((p.status, p.ended_at), (PromiseStatus::Renegotiated, Some(now)));
            }
            Err(e) => {
                prop_assert!(now > before.due_at || new_due == before.due_at, "{}", e);
                prop_assert_eq!(p, before);
            }
        }
    }
}
