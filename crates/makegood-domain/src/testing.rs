//! Test helpers: fixed instants, sample values and proptest strategies. No wall clock.

use jiff::{SignedDuration, Timestamp};
use proptest::prelude::*;

use crate::state::ProblemState;
use crate::{
    ClockKind, ContactId, EventKind, MemberId, Outcome, Policy, PromiseId, Severity, WaitingOn,
};

/// 2024-01-01T00:00:00Z: the origin of hand-written tests.
pub const EPOCH: i64 = 1_704_067_200;
/// 2020-01-01T00:00:00Z and 2030-01-01T00:00:00Z: the range generated instants stay in.
pub const RANGE: std::ops::Range<i64> = 1_577_836_800..1_893_456_000;

/// `EPOCH` plus `minutes`.
pub fn at(minutes: i64) -> Timestamp {
    Timestamp::from_second(EPOCH + minutes * 60).expect("in range")
}

/// `EPOCH` plus `hours`.
pub fn hour(hours: i64) -> Timestamp {
    at(hours * 60)
}

/// A duration of `hours`.
pub fn hours(hours: i64) -> SignedDuration {
    SignedDuration::from_hours(hours)
}

/// A policy with round numbers: tell 1 h, update 4 h, fix 24 h, warning at 25% left.
pub fn policy() -> Policy {
    Policy {
        severity: Severity::Critical,
        tell_within_minutes: 60,
        update_every_minutes: 4 * 60,
        fix_within_minutes: 24 * 60,
        warning_percent: 25,
        calendar: None,
        follow_up_after_days: 3,
    }
}

/// One sample of every event kind.
pub fn every_kind() -> Vec<EventKind> {
    use EventKind::*;
    vec![
        Created {
            title: "Invoices lost".into(),
            severity: Severity::Major,
        },
        Update {
            body: "We are on it".into(),
        },
        Note {
            body: "Vendor blamed".into(),
        },
        Edited {
            fields: vec!["title".into()],
        },
        OwnerChanged {
            from: MemberId(1),
            to: MemberId(2),
        },
        Waiting {
            on: WaitingOn::Customer,
            reason: "logs".into(),
        },
        Waiting {
            on: WaitingOn::Vendor,
            reason: "patch".into(),
        },
        Resumed,
        Fixed {
            summary: "restored".into(),
        },
        Confirmed { contact: None },
        Closed {
            outcome: Outcome::Retained,
        },
        Reopened {
            reason: "again".into(),
        },
        PromiseMade {
            what: "call back".into(),
            due_at: hour(10),
        },
        PromiseKept,
        PromiseRenegotiated {
            new_promise: PromiseId(2),
            from_due: hour(10),
            to_due: hour(20),
            reason: "later".into(),
        },
        PromiseReleased {
            reason: "waived".into(),
        },
        PromiseBroken { due_at: hour(10) },
        ClockWarning {
            clock: ClockKind::Tell,
            due_at: hour(1),
        },
        ClockBreached {
            clock: ClockKind::Fix,
            due_at: hour(24),
        },
        RemedyProposed {
            remedy: crate::RemedyId(1),
            kind: crate::RemedyKind::Redo,
            description: "a reprint".into(),
            cost: eur(200_000),
            net_cost: eur(80_000),
            approval_required: false,
        },
        RemedyApproved {
            remedy: crate::RemedyId(1),
        },
        RemedyRejected {
            remedy: crate::RemedyId(1),
            reason: "too dear".into(),
        },
        RemedyDelivered {
            remedy: crate::RemedyId(1),
            delivered_at: hour(30),
        },
        VendorShareReceived {
            remedy: crate::RemedyId(1),
            vendor: crate::VendorId(2),
            amount: eur(120_000),
        },
        ChecklistItemDone {
            position: 1,
            item: "Call the IT director".into(),
        },
        ChecklistItemUndone {
            position: 1,
            item: "Call the IT director".into(),
        },
        PreventionRecorded {
            prevention: crate::PreventionId(1),
            root_cause: "no staging server".into(),
            cause_category: "change management".into(),
            corrective_action: "a staging server".into(),
            owner: crate::MemberId(1),
            due_at: hour(48),
        },
        PreventionRevised {
            prevention: crate::PreventionId(1),
            corrective_action: "a staging server and a checklist".into(),
            due_at: hour(72),
        },
        PreventionDone {
            prevention: crate::PreventionId(1),
        },
        PreventionChecked {
            prevention: crate::PreventionId(1),
            effective: false,
            note: Some("it happened again".into()),
        },
        RecurrenceFlagged {
            earlier: crate::ProblemId(1),
            prevention: Some(crate::PreventionId(1)),
            basis: "category".into(),
            category: "hosting".into(),
        },
        VendorPromiseMade {
            vendor_promise: crate::VendorPromiseId(1),
            vendor: crate::VendorId(2),
            what: "a root-cause report".into(),
            due_at: hour(24),
        },
        VendorPromiseKept {
            vendor_promise: crate::VendorPromiseId(1),
        },
        VendorPromiseBroken {
            vendor_promise: crate::VendorPromiseId(1),
            due_at: hour(24),
        },
        VendorPromiseRenegotiated {
            vendor_promise: crate::VendorPromiseId(1),
            new_vendor_promise: crate::VendorPromiseId(2),
            from_due: hour(24),
            to_due: hour(48),
            reason: "agreed by phone".into(),
        },
        CustomerReplied {
            contact: crate::ContactId(1),
            body: "It works now".into(),
            sentiment: crate::Sentiment(600),
            inbound: Some(1),
            attachments: Vec::new(),
        },
        CustomerCalled {
            note: "apologised; they are calmer".into(),
        },
        SurveySent {
            contacts: vec![crate::ContactId(1)],
        },
        SurveyAnswered {
            contact: crate::ContactId(1),
            rating: 2,
            recommend: 4,
            comment: "slow".into(),
            sentiment: crate::Sentiment(0),
        },
    ]
}

/// `minor` cents of EUR.
fn eur(minor: i64) -> crate::Money {
    crate::Money::new(minor, crate::Currency::new("EUR").expect("a currency code"))
}

/// Any instant in 2020..2030.
pub fn instant() -> impl Strategy<Value = Timestamp> {
    RANGE.prop_map(|s| Timestamp::from_second(s).expect("in range"))
}

/// Any event kind (samples of each variant).
pub fn kind() -> impl Strategy<Value = EventKind> {
    proptest::sample::select(every_kind())
}

/// A gap between events: often zero (same instant), up to a few days.
pub fn gap() -> impl Strategy<Value = SignedDuration> {
    prop_oneof![Just(0i64), 1i64..=60, 1i64..=7 * 24 * 60].prop_map(SignedDuration::from_mins)
}

/// Any sequence of events in time order, valid or not, starting at an instant in range.
pub fn raw_timeline() -> impl Strategy<Value = (Timestamp, Vec<(Timestamp, EventKind)>)> {
    (instant(), prop::collection::vec((gap(), kind()), 0..40)).prop_map(|(start, steps)| {
        let mut t = start;
        let events = steps
            .into_iter()
            .map(|(g, k)| {
                t = t.checked_add(g).expect("in range");
                (t, k)
            })
            .collect();
        (start, events)
    })
}

/// A valid timeline: a raw one with the events the state machine refuses left out.
/// Returns the detection time (the start) and the accepted events.
pub fn timeline() -> impl Strategy<Value = (Timestamp, Vec<(Timestamp, EventKind)>)> {
    raw_timeline().prop_map(|(start, events)| {
        let mut state = ProblemState::new();
        let accepted = events
            .into_iter()
            .filter(|(at, k)| state.apply(*at, k).is_ok())
            .collect();
        (start, accepted)
    })
}

/// A valid policy with small spans, so generated timelines cross its deadlines.
pub fn any_policy() -> impl Strategy<Value = Policy> {
    (
        1i64..=3 * 24 * 60,
        1i64..=3 * 24 * 60,
        1i64..=10 * 24 * 60,
        0i64..=90,
    )
        .prop_map(|(tell, update, fix, pct)| Policy {
            severity: Severity::Major,
            tell_within_minutes: tell,
            update_every_minutes: update,
            fix_within_minutes: fix,
            warning_percent: pct,
            calendar: None,
            follow_up_after_days: 3,
        })
}

/// A contact for promises.
pub fn contact() -> ContactId {
    ContactId(7)
}

/// An open promise made at `made_at`, due at `due_at`.
pub fn promise(made_at: Timestamp, due_at: Timestamp) -> crate::Promise {
    crate::Promise {
        id: PromiseId(1),
        what: "Send the corrected invoices".into(),
        contacts: vec![contact()],
        made_by: MemberId(3),
        problem: Some(crate::ProblemId(5)),
        made_at,
        due_at,
        status: crate::PromiseStatus::Open,
        ended_at: None,
        reason: None,
        renegotiated_from: None,
        renegotiated_to: None,
        version: 4,
    }
}
