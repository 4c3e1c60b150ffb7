//! Tests of the approval clock and of the remedy's JSON and OpenAPI shapes.

use jiff::{SignedDuration, Timestamp};
use rstest::rstest;

use super::tests::{eur, member, waiting};
use super::*;
use crate::ClockState;
use crate::testing::{at, hour};

const SEC: SignedDuration = SignedDuration::from_secs(1);

/// Proposed at hour 0, 24 h to decide: warning from 19:12 (20% left), breached after 24:00.
#[rstest]
#[case::fresh(hour(0), ClockState::Ok)]
#[case::just_before_warning(at(19 * 60 + 12) - SEC, ClockState::Ok)]
#[case::warning(at(19 * 60 + 12), ClockState::Warning)]
#[case::due_exactly(hour(24), ClockState::Warning)]
#[case::breached(hour(24) + SEC, ClockState::Breached)]
fn a_waiting_remedy_has_its_own_approval_clock(#[case] now: Timestamp, #[case] want: ClockState) {
    let clock = waiting()
        .approval_clock(DEFAULT_APPROVAL_WITHIN, now)
        .unwrap();
    assert_eq!(
        (
            clock.state,
            clock.started_at,
            clock.warn_at,
            clock.due_at,
            clock.decided_at
        ),
        (want, hour(0), at(19 * 60 + 12), hour(24), None)
    );
}

#[rstest]
#[case::approved_in_time(true, hour(24), ClockState::Met)]
#[case::approved_late(true, hour(24) + SEC, ClockState::Missed)]
#[case::rejected_in_time(false, hour(3), ClockState::Met)]
#[case::rejected_late(false, hour(30), ClockState::Missed)]
fn a_decision_stops_the_approval_clock(
    #[case] approve: bool,
    #[case] when: Timestamp,
    #[case] want: ClockState,
) {
    let admin = member(9, Role::Admin, eur(1_000_000));
    let mut r = waiting();
    if approve {
        r.approve(&admin, when).unwrap();
    } else {
        r.reject(&admin, "no", when).unwrap();
    }
    let clock = r
        .approval_clock(DEFAULT_APPROVAL_WITHIN, hour(1000))
        .unwrap();
    assert_eq!((clock.state, clock.decided_at), (want, Some(when)));
    if approve {
        r.deliver(when, when).unwrap();
        let delivered = r
            .approval_clock(DEFAULT_APPROVAL_WITHIN, hour(1000))
            .unwrap();
        assert_eq!(delivered.state, want, "delivery keeps the decision's clock");
    }
}

#[test]
fn the_approval_window_is_a_parameter() {
    let r = waiting();
    assert_eq!(r.approval_due(SignedDuration::from_hours(4)), Some(hour(4)));
    let clock = r
        .approval_clock(SignedDuration::from_hours(4), hour(4) + SEC)
        .unwrap();
    assert_eq!(clock.state, ClockState::Breached);
}

#[test]
fn the_openapi_schemas_show_instants_as_strings() {
    let schema = serde_json::to_value(<Remedy as utoipa::PartialSchema>::schema()).unwrap();
    let props = &schema["properties"];
    assert_eq!(props["proposed_at"]["type"], "string");
    assert_eq!(props["proposed_at"]["format"], "date-time");
    assert!(props["approval_required"].is_object());
    let status = serde_json::to_value(<RemedyStatus as utoipa::PartialSchema>::schema()).unwrap();
    assert_eq!(status["oneOf"].as_array().map(Vec::len), Some(4));
    let clock = serde_json::to_value(<RemedyApproval as utoipa::PartialSchema>::schema()).unwrap();
    assert_eq!(clock["properties"]["due_at"]["type"], "string");
}
