//! Property tests of the problem state machine over generated timelines.

use proptest::prelude::*;

use super::*;
use crate::testing::{raw_timeline, timeline};

/// The status the last status-changing event implies, `Open` if none did.
fn status_of_last_change(events: &[(Timestamp, EventKind)]) -> Status {
    use EventKind::*;
    events
        .iter()
        .filter_map(|(_, k)| match k {
            Waiting {
                on: WaitingOn::Customer,
                ..
            } => Some(Status::WaitingOnCustomer),
            Waiting {
                on: WaitingOn::Vendor,
                ..
            } => Some(Status::WaitingOnVendor),
            Resumed | Reopened { .. } => Some(Status::Open),
            Fixed { .. } => Some(Status::Fixed),
            Confirmed { .. } => Some(Status::Confirmed),
            Closed { .. } => Some(Status::Closed),
            _ => None,
        })
        .next_back()
        .unwrap_or(Status::Open)
}

proptest! {
    #[test]
    fn from_events_never_panics_and_errors_name_the_refused_event((_, events) in raw_timeline()) {
        match ProblemState::from_events(events.iter().map(|(t, k)| (*t, k))) {
            Ok(state) => prop_assert_eq!(state.status, status_of_last_change(&events)),
            Err(err) => {
                // The error is about the first refused event, in the status reached before it.
                let mut state = ProblemState::new();
                let refused = events.iter().find(|(t, k)| state.apply(*t, k).is_err()).expect("some event is refused");
                prop_assert_eq!(err, TransitionError { status: state.status, event: refused.1.name() });
            }
        }
    }

    #[test]
    fn status_agrees_with_the_last_status_changing_event((_, events) in timeline()) {
        let state = ProblemState::from_events(events.iter().map(|(t, k)| (*t, k))).expect("filtered to valid");
        prop_assert_eq!(state.status, status_of_last_change(&events));
    }

    #[test]
    fn pauses_are_ordered_disjoint_and_open_exactly_while_waiting((_, events) in timeline()) {
        let state = ProblemState::from_events(events.iter().map(|(t, k)| (*t, k))).expect("filtered to valid");
        for pair in state.pauses.windows(2) {
            let until = pair[0].until.expect("only the last pause may be open");
            prop_assert!(pair[0].from <= until && until <= pair[1].from);
        }
        let open = state.pauses.last().is_some_and(|p| p.until.is_none());
        prop_assert_eq!(open, state.status.is_waiting());
        prop_assert_eq!(state.closed_at.is_some(), state.status == Status::Closed);
        prop_assert_eq!(state.outcome.is_some(), state.status == Status::Closed);
        if matches!(state.status, Status::Fixed | Status::Confirmed) {
            prop_assert!(state.fixed_at.is_some());
        }
        if state.status.is_unfixed() {
            prop_assert_eq!(state.fixed_at, None);
        }
    }
}
