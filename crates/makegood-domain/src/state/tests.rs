//! Tests of the problem state machine: every event from every status, pauses, reopening.

use jiff::SignedDuration;
use rstest::rstest;

use super::*;
use crate::testing::{every_kind, hour};

/// A state in `status`, reached the ordinary way.
fn in_status(status: Status) -> ProblemState {
    use EventKind::*;
    let steps: Vec<EventKind> = match status {
        Status::Open => vec![],
        Status::WaitingOnCustomer => vec![Waiting {
            on: WaitingOn::Customer,
            reason: "logs".into(),
        }],
        Status::WaitingOnVendor => vec![Waiting {
            on: WaitingOn::Vendor,
            reason: "patch".into(),
        }],
        Status::Fixed => vec![Fixed {
            summary: "done".into(),
        }],
        Status::Confirmed => vec![
            Fixed {
                summary: "done".into(),
            },
            Confirmed { contact: None },
        ],
        Status::Closed => vec![Closed {
            outcome: Outcome::Retained,
        }],
    };
    let state = ProblemState::from_events(steps.iter().map(|k| (hour(1), k))).expect("valid path");
    assert_eq!(state.status, status);
    state
}

/// The transition table, written out from the design rather than from `check`:
/// `Some(next)` when `kind` is allowed in `from`, `None` when refused.
fn expected(from: Status, kind: &EventKind) -> Option<Status> {
    use EventKind as E;
    use Status as S;
    let unfixed = matches!(from, S::Open | S::WaitingOnCustomer | S::WaitingOnVendor);
    match kind {
        E::Waiting {
            on: WaitingOn::Customer,
            ..
        } => matches!(from, S::Open | S::WaitingOnVendor).then_some(S::WaitingOnCustomer),
        E::Waiting {
            on: WaitingOn::Vendor,
            ..
        } => matches!(from, S::Open | S::WaitingOnCustomer).then_some(S::WaitingOnVendor),
        E::Resumed => matches!(from, S::WaitingOnCustomer | S::WaitingOnVendor).then_some(S::Open),
        E::Fixed { .. } => unfixed.then_some(S::Fixed),
        E::Confirmed { .. } => (unfixed || from == S::Fixed).then_some(S::Confirmed),
        E::Closed { .. } => (from != S::Closed).then_some(S::Closed),
        E::Reopened { .. } => {
            matches!(from, S::Fixed | S::Confirmed | S::Closed).then_some(S::Open)
        }
        // `Created` leaves no trace in the state, so a second one cannot be told apart here.
        E::Created { .. }
        | E::Update { .. }
        | E::Note { .. }
        | E::Edited { .. }
        | E::OwnerChanged { .. }
        | E::PromiseMade { .. }
        | E::PromiseKept
        | E::PromiseRenegotiated { .. }
        | E::PromiseReleased { .. }
        | E::PromiseBroken { .. }
        | E::ClockWarning { .. }
        | E::ClockBreached { .. }
        | E::RemedyProposed { .. }
        | E::RemedyApproved { .. }
        | E::RemedyRejected { .. }
        | E::RemedyDelivered { .. }
        | E::VendorShareReceived { .. }
        | E::ChecklistItemDone { .. }
        | E::ChecklistItemUndone { .. }
        | E::PreventionRecorded { .. }
        | E::PreventionRevised { .. }
        | E::PreventionDone { .. }
        | E::PreventionChecked { .. }
        | E::RecurrenceFlagged { .. }
        | E::VendorPromiseMade { .. }
        | E::VendorPromiseKept { .. }
        | E::VendorPromiseBroken { .. }
        | E::VendorPromiseRenegotiated { .. }
        | E::CustomerReplied { .. }
        | E::CustomerCalled { .. }
        | E::SurveySent { .. }
        | E::SurveyAnswered { .. } => Some(from),
    }
}

fn human(status: Status) -> &'static str {
    match status {
        Status::Open => "open",
        Status::WaitingOnCustomer => "waiting on customer",
        Status::WaitingOnVendor => "waiting on vendor",
        Status::Fixed => "fixed",
        Status::Confirmed => "confirmed",
        Status::Closed => "closed",
    }
}

#[rstest]
fn every_event_from_every_status(
    #[values(
        Status::Open,
        Status::WaitingOnCustomer,
        Status::WaitingOnVendor,
        Status::Fixed,
        Status::Confirmed,
        Status::Closed
    )]
    from: Status,
    #[values(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16)] which: usize,
) {
    let kind = &every_kind()[which];
    let before = in_status(from);
    let mut state = before.clone();
    match expected(from, kind) {
        Some(next) => {
            assert_eq!(state.check(kind), Ok(()));
            state.apply(hour(2), kind).expect("allowed");
            assert_eq!(state.status, next, "{} from {from:?}", kind.name());
        }
        None => {
            let err = state.apply(hour(2), kind).expect_err("refused");
            assert_eq!(
                err,
                TransitionError {
                    status: from,
                    event: kind.name()
                }
            );
            assert_eq!(
                err.to_string(),
                format!(
                    "cannot record `{}` while the problem is {}",
                    kind.name(),
                    human(from)
                )
            );
            assert_eq!(state, before, "a refused event changes nothing");
        }
    }
}

#[test]
fn the_table_covers_every_kind_once() {
    let names: Vec<_> = every_kind().iter().map(EventKind::name).collect();
    // Waiting appears twice (customer, vendor); every other kind once.
    assert_eq!(names.len(), EventKind::NAMES.len() + 1);
    let mut unique = names.clone();
    unique.dedup();
    assert_eq!(unique, EventKind::NAMES);
}

#[test]
fn updates_record_first_and_last_but_notes_do_not() {
    let u = EventKind::Update { body: "u".into() };
    let n = EventKind::Note { body: "n".into() };
    let s = ProblemState::from_events([
        (hour(1), &n),
        (hour(2), &u),
        (hour(3), &n),
        (hour(4), &u),
        (hour(5), &n),
    ])
    .unwrap();
    assert_eq!(s.first_update_at, Some(hour(2)));
    assert_eq!(s.last_update_at, Some(hour(4)));
}

#[test]
fn waiting_opens_a_pause_and_resuming_closes_it() {
    let wait = EventKind::Waiting {
        on: WaitingOn::Customer,
        reason: "logs".into(),
    };
    let mut s = ProblemState::new();
    s.apply(hour(1), &wait).unwrap();
    assert_eq!(
        s.pauses,
        vec![Pause {
            from: hour(1),
            until: None
        }]
    );
    s.apply(hour(3), &EventKind::Resumed).unwrap();
    assert_eq!(
        s.pauses,
        vec![Pause {
            from: hour(1),
            until: Some(hour(3))
        }]
    );
    assert_eq!(s.status, Status::Open);
}

#[test]
fn switching_whom_we_wait_on_keeps_one_pause() {
    let customer = EventKind::Waiting {
        on: WaitingOn::Customer,
        reason: "logs".into(),
    };
    let vendor = EventKind::Waiting {
        on: WaitingOn::Vendor,
        reason: "patch".into(),
    };
    let s = ProblemState::from_events([
        (hour(1), &customer),
        (hour(2), &vendor),
        (hour(4), &EventKind::Resumed),
    ])
    .unwrap();
    assert_eq!(
        s.pauses,
        vec![Pause {
            from: hour(1),
            until: Some(hour(4))
        }]
    );
}

#[rstest]
#[case::fixed(EventKind::Fixed { summary: "done".into() }, Status::Fixed)]
#[case::confirmed(EventKind::Confirmed { contact: None }, Status::Confirmed)]
#[case::closed(EventKind::Closed { outcome: Outcome::Lost }, Status::Closed)]
fn ending_the_work_ends_the_pause(#[case] end: EventKind, #[case] status: Status) {
    let wait = EventKind::Waiting {
        on: WaitingOn::Vendor,
        reason: "patch".into(),
    };
    let s = ProblemState::from_events([(hour(1), &wait), (hour(5), &end)]).unwrap();
    assert_eq!(s.status, status);
    assert_eq!(
        s.pauses,
        vec![Pause {
            from: hour(1),
            until: Some(hour(5))
        }]
    );
}

#[test]
fn confirming_keeps_the_fix_time_or_sets_it() {
    let fixed = EventKind::Fixed {
        summary: "done".into(),
    };
    let s = ProblemState::from_events([
        (hour(1), &fixed),
        (hour(9), &EventKind::Confirmed { contact: None }),
    ])
    .unwrap();
    assert_eq!(s.fixed_at, Some(hour(1)));
    let s =
        ProblemState::from_events([(hour(9), &EventKind::Confirmed { contact: None })]).unwrap();
    assert_eq!(s.fixed_at, Some(hour(9)));
}

#[test]
fn closing_records_the_outcome_and_reopening_clears_it() {
    let u = EventKind::Update { body: "u".into() };
    let wait = EventKind::Waiting {
        on: WaitingOn::Customer,
        reason: "r".into(),
    };
    let fixed = EventKind::Fixed {
        summary: "done".into(),
    };
    let closed = EventKind::Closed {
        outcome: Outcome::Advocate,
    };
    let reopened = EventKind::Reopened {
        reason: "back".into(),
    };
    let events = [
        (hour(1), &u),
        (hour(2), &wait),
        (hour(3), &fixed),
        (hour(4), &closed),
    ];
    let s = ProblemState::from_events(events).unwrap();
    assert_eq!(
        (s.closed_at, s.outcome, s.stopped_at()),
        (Some(hour(4)), Some(Outcome::Advocate), Some(hour(4)))
    );

    let s = ProblemState::from_events(events.into_iter().chain([(hour(6), &reopened)])).unwrap();
    assert_eq!(s.status, Status::Open);
    assert_eq!(
        (s.fixed_at, s.closed_at, s.outcome, s.stopped_at()),
        (None, None, None, None)
    );
    assert_eq!(s.reopened_at, Some(hour(6)));
    // What happened before the reopening stays history.
    assert_eq!(
        (s.first_update_at, s.last_update_at),
        (Some(hour(1)), Some(hour(1)))
    );
    assert_eq!(
        s.pauses,
        vec![Pause {
            from: hour(2),
            until: Some(hour(3))
        }]
    );
}

#[test]
fn a_reopened_problem_can_be_fixed_and_reopened_again() {
    let fixed = EventKind::Fixed {
        summary: "done".into(),
    };
    let reopened = EventKind::Reopened {
        reason: "back".into(),
    };
    let s = ProblemState::from_events([
        (hour(1), &fixed),
        (hour(2), &reopened),
        (hour(3), &fixed),
        (hour(4), &reopened),
    ])
    .unwrap();
    assert_eq!(
        (s.status, s.reopened_at, s.fixed_at),
        (Status::Open, Some(hour(4)), None)
    );
}

#[test]
fn from_events_stops_at_the_first_refused_event() {
    let fixed = EventKind::Fixed {
        summary: "done".into(),
    };
    let err = ProblemState::from_events([
        (hour(1), &fixed),
        (hour(2), &EventKind::Resumed),
        (hour(3), &fixed),
    ])
    .unwrap_err();
    assert_eq!(
        err,
        TransitionError {
            status: Status::Fixed,
            event: "resumed"
        }
    );
}

#[rstest]
#[case::before(hour(0), hour(1), SignedDuration::ZERO)]
#[case::overlapping_start(hour(0), hour(3), hours(1))]
#[case::spanning_both(hour(0), hour(20), hours(2) + hours(4))]
#[case::inside_one(hour(11), hour(12), hours(1))]
#[case::open_pause_counts_until_to(hour(0), hour(30), hours(2) + hours(4) + hours(10))]
#[case::between(hour(5), hour(9), SignedDuration::ZERO)]
fn paused_between_clips_to_the_window(
    #[case] from: Timestamp,
    #[case] to: Timestamp,
    #[case] want: SignedDuration,
) {
    let s = ProblemState {
        pauses: vec![
            Pause {
                from: hour(2),
                until: Some(hour(4)),
            },
            Pause {
                from: hour(10),
                until: Some(hour(14)),
            },
            Pause {
                from: hour(20),
                until: None,
            },
        ],
        ..ProblemState::new()
    };
    assert_eq!(s.paused_between(from, to), want);
}

fn hours(h: i64) -> SignedDuration {
    SignedDuration::from_hours(h)
}

fn reply(sentiment: i16) -> EventKind {
    EventKind::CustomerReplied {
        contact: crate::ContactId(1),
        body: "words".into(),
        sentiment: crate::Sentiment(sentiment),
        inbound: None,
        attachments: Vec::new(),
    }
}

fn survey(rating: u8, recommend: u8) -> EventKind {
    EventKind::SurveyAnswered {
        contact: crate::ContactId(1),
        rating,
        recommend,
        comment: String::new(),
        sentiment: crate::Sentiment(0),
    }
}

fn called() -> EventKind {
    EventKind::CustomerCalled {
        note: "apologised".into(),
    }
}

#[test]
fn an_upset_reply_asks_for_one_call_until_it_is_made() {
    let s = ProblemState::from_events([
        (hour(1), &reply(100)),
        (hour(2), &reply(-700)),
        (hour(3), &reply(-900)),
    ])
    .unwrap();
    assert!(s.customer_upset);
    // The second upset reply is part of the same call owed.
    assert_eq!(
        s.call,
        Some(Call {
            asked_at: hour(2),
            called_at: None
        })
    );

    let calmer =
        ProblemState::from_events([(hour(2), &reply(-700)), (hour(3), &reply(300))]).unwrap();
    assert!(!calmer.customer_upset, "the flag follows the latest word");
    assert!(
        calmer.call.unwrap().called_at.is_none(),
        "but the call is still owed"
    );

    let after = ProblemState::from_events([
        (hour(2), &reply(-700)),
        (hour(5), &called()),
        (hour(9), &reply(-600)),
    ])
    .unwrap();
    assert!(after.customer_upset);
    assert_eq!(
        after.call.unwrap().asked_at,
        hour(9),
        "upset again: a new call"
    );
}

#[test]
fn a_call_settles_the_upset_flag_and_a_call_nobody_asked_for_changes_nothing_else() {
    let s = ProblemState::from_events([(hour(2), &reply(-700)), (hour(4), &called())]).unwrap();
    assert!(!s.customer_upset);
    assert_eq!(s.call.unwrap().called_at, Some(hour(4)));
    let unasked = ProblemState::from_events([(hour(4), &called())]).unwrap();
    assert_eq!(unasked.call, None);
}

#[rstest]
#[case::poor_rating(survey(2, 9), true)]
#[case::detractor(survey(4, 6), true)]
#[case::content(survey(4, 8), false)]
fn a_low_survey_answer_asks_for_a_call(#[case] answer: EventKind, #[case] asks: bool) {
    let s = ProblemState::from_events([(hour(1), &answer)]).unwrap();
    assert_eq!(s.customer_upset, asks);
    assert_eq!(s.call.is_some(), asks);
}
