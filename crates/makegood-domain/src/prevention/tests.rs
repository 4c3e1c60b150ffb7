//! Tests of prevention: recording, done, the effectiveness check and its boundary, reopening,
//! the due clock, and recurrence.

use jiff::{SignedDuration, Timestamp};
use rstest::rstest;

use super::*;
use crate::AccountId;
use crate::testing::hour;

const SEC: SignedDuration = SignedDuration::from_secs(1);
const DAY: i64 = 24;

pub(super) fn new_prevention(due_at: Timestamp) -> NewPrevention {
    NewPrevention {
        problem: ProblemId(1),
        root_cause: "Proofs were approved on an uncalibrated screen".into(),
        cause_category: "Process".into(),
        corrective_action: "Calibrate proofing screens monthly".into(),
        owner: MemberId(2),
        due_at,
        check_after_days: DEFAULT_CHECK_AFTER_DAYS,
    }
}

/// Recorded at hour 0, due at hour 100.
pub(super) fn open() -> Prevention {
    Prevention::new(PreventionId(1), new_prevention(hour(100)), hour(0)).unwrap()
}

/// Done at hour 10: the check is due 30 days later.
fn done() -> Prevention {
    let mut p = open();
    p.mark_done(hour(10)).unwrap();
    p
}

#[test]
fn a_prevention_is_recorded_open_with_trimmed_texts() {
    let mut new = new_prevention(hour(100));
    new.root_cause = "  Uncalibrated screen ".into();
    let p = Prevention::new(PreventionId(1), new, hour(0)).unwrap();
    assert_eq!(
        (p.status, p.root_cause.as_str(), p.opened_at, p.checks.len()),
        (PreventionStatus::Open, "Uncalibrated screen", hour(0), 0)
    );
    assert_eq!(p.effectiveness_check_at(), None);
}

#[rstest]
#[case::no_root_cause(|n: &mut NewPrevention| n.root_cause = " ".into(), PreventionError::Required("a root cause"))]
#[case::no_cause_category(|n: &mut NewPrevention| n.cause_category = String::new(), PreventionError::Required("a cause category"))]
#[case::no_action(|n: &mut NewPrevention| n.corrective_action = "\n".into(), PreventionError::Required("a corrective action"))]
#[case::due_now(|n: &mut NewPrevention| n.due_at = hour(0), PreventionError::DueInPast)]
#[case::negative_days(|n: &mut NewPrevention| n.check_after_days = -1, PreventionError::CheckAfterDays(-1))]
#[case::too_many_days(|n: &mut NewPrevention| n.check_after_days = 3_651, PreventionError::CheckAfterDays(3_651))]
fn a_prevention_needs_its_texts_and_a_due_time_ahead(
    #[case] spoil: fn(&mut NewPrevention),
    #[case] want: PreventionError,
) {
    let mut new = new_prevention(hour(100));
    spoil(&mut new);
    assert_eq!(Prevention::new(PreventionId(1), new, hour(0)), Err(want));
}

#[test]
fn check_after_days_defaults_to_30_in_json() {
    let mut json = serde_json::to_value(new_prevention(hour(1))).unwrap();
    json.as_object_mut().unwrap().remove("check_after_days");
    let new: NewPrevention = serde_json::from_value(json).unwrap();
    assert_eq!(new.check_after_days, 30);
}

#[test]
fn the_effectiveness_check_comes_30_days_after_done() {
    let p = done();
    assert_eq!(p.status, PreventionStatus::Done { at: hour(10) });
    assert_eq!(p.effectiveness_check_at(), Some(hour(10 + 30 * DAY)));
    let mut again = p.clone();
    assert_eq!(
        again.mark_done(hour(11)),
        Err(PreventionError::NotOpen("done"))
    );
}

#[rstest]
#[case::a_second_early(hour(10 + 30 * DAY) - SEC, false)]
#[case::exactly_due(hour(10 + 30 * DAY), true)]
#[case::later(hour(10 + 90 * DAY), true)]
fn the_check_is_allowed_only_once_due(#[case] now: Timestamp, #[case] allowed: bool) {
    let mut p = done();
    assert_eq!(p.check_due(now), allowed);
    let got = p.check(true, None, now);
    if allowed {
        assert_eq!(got, Ok(()));
        assert_eq!(p.status, PreventionStatus::Effective { checked_at: now });
    } else {
        assert_eq!(
            got,
            Err(PreventionError::CheckNotDue {
                due: hour(10 + 30 * DAY)
            })
        );
        assert_eq!(p.status, PreventionStatus::Done { at: hour(10) });
    }
}

#[test]
fn an_open_prevention_cannot_be_checked() {
    let mut p = open();
    assert_eq!(
        p.check(true, None, hour(10_000)),
        Err(PreventionError::NotDone("open"))
    );
    assert!(!p.check_due(hour(10_000)));
}

#[test]
fn not_effective_needs_a_note_then_reopens_keeping_the_history() {
    let due = hour(10 + 30 * DAY);
    let mut p = done();
    assert_eq!(
        p.check(false, Some("  "), due),
        Err(PreventionError::NoteRequired)
    );
    p.check(false, Some(" Colours still off "), due).unwrap();
    assert_eq!((p.status, p.opened_at), (PreventionStatus::Open, due));
    let first = EffectivenessCheck {
        done_at: hour(10),
        checked_at: due,
        effective: false,
        note: Some("Colours still off".into()),
    };
    assert_eq!(p.checks, vec![first.clone()]);

    // The old due time has passed: the owner revises the action and its due time.
    assert_eq!(
        p.revise("Buy a colorimeter", due, due),
        Err(PreventionError::DueInPast)
    );
    p.revise(
        "Buy a colorimeter",
        due + SignedDuration::from_hours(48),
        due,
    )
    .unwrap();
    p.mark_done(due + SEC).unwrap();
    let second_due = due + SEC + SignedDuration::from_hours(30 * DAY);
    p.check(true, None, second_due).unwrap();
    assert_eq!(
        p.status,
        PreventionStatus::Effective {
            checked_at: second_due
        }
    );
    assert_eq!(p.checks.len(), 2);
    assert_eq!(p.checks[0], first);
    assert_eq!(p.last_check().map(|c| c.effective), Some(true));
    assert_eq!(p.done_at(), Some(due + SEC));
    assert_eq!(
        p.check(true, None, second_due),
        Err(PreventionError::NotDone("effective"))
    );
    assert_eq!(
        p.mark_done(second_due),
        Err(PreventionError::NotOpen("effective"))
    );
    assert_eq!(
        p.revise("x", hour(100_000), second_due),
        Err(PreventionError::NotOpen("effective"))
    );
}

#[test]
fn a_custom_check_period_is_honoured() {
    let mut new = new_prevention(hour(100));
    new.check_after_days = 0;
    let mut p = Prevention::new(PreventionId(1), new, hour(0)).unwrap();
    p.mark_done(hour(5)).unwrap();
    assert_eq!(p.effectiveness_check_at(), Some(hour(5)));
    p.check(true, Some("fine"), hour(5)).unwrap();
    assert_eq!(p.last_check().and_then(|c| c.note.as_deref()), Some("fine"));
}

/// Opened at hour 0, due at hour 100: warning from hour 80 (20% left).
#[rstest]
#[case::fresh(hour(0), None, ClockState::Ok)]
#[case::before_warning(hour(80) - SEC, None, ClockState::Ok)]
#[case::warning(hour(80), None, ClockState::Warning)]
#[case::due_exactly(hour(100), None, ClockState::Warning)]
#[case::breached(hour(100) + SEC, None, ClockState::Breached)]
#[case::done_in_time(hour(500), Some(hour(100)), ClockState::Met)]
#[case::done_late(hour(500), Some(hour(101)), ClockState::Missed)]
fn the_corrective_action_has_a_due_clock(
    #[case] now: Timestamp,
    #[case] done_at: Option<Timestamp>,
    #[case] want: ClockState,
) {
    let mut p = open();
    if let Some(t) = done_at {
        p.mark_done(t).unwrap();
    }
    let clock = p.due_clock(now);
    assert_eq!(
        (
            clock.state,
            clock.started_at,
            clock.warn_at,
            clock.due_at,
            clock.done_at
        ),
        (want, hour(0), hour(80), hour(100), done_at)
    );
}

#[test]
fn a_prevention_round_trips_through_json() {
    let mut p = done();
    p.check(false, Some("no"), hour(10 + 30 * DAY)).unwrap();
    p.mark_done(hour(10 + 31 * DAY)).unwrap();
    let json = serde_json::to_value(&p).unwrap();
    assert_eq!(json["status"]["state"], "done");
    assert_eq!(json["checks"][0]["effective"], false);
    assert_eq!(serde_json::from_value::<Prevention>(json).unwrap(), p);
}

fn past(
    id: i64,
    accounts: &[i64],
    category: &str,
    cause: Option<&str>,
    detected: Timestamp,
) -> PastProblem {
    PastProblem {
        id: ProblemId(id),
        accounts: accounts.iter().copied().map(AccountId).collect(),
        category: category.into(),
        cause_category: cause.map(Into::into),
        detected_at: detected,
    }
}

const NEW_ACCOUNTS: [AccountId; 2] = [AccountId(1), AccountId(2)];

/// A new "Printing" problem for accounts 1 and 2, cause "Process", at day 100.
fn occurrence() -> Occurrence<'static> {
    Occurrence {
        accounts: &NEW_ACCOUNTS,
        category: "Printing",
        cause_category: Some("Process"),
        detected_at: hour(100 * DAY),
    }
}

#[rstest]
#[case::same_category_same_account(past(5, &[1], "Printing", None, hour(50 * DAY)), Some(5))]
#[case::category_ignores_case_and_spaces(past(5, &[2], " printing ", None, hour(50 * DAY)), Some(5))]
#[case::same_cause_other_category(past(5, &[2, 9], "Delivery", Some("process"), hour(50 * DAY)), Some(5))]
#[case::other_account(past(5, &[3], "Printing", Some("Process"), hour(50 * DAY)), None)]
#[case::other_category_and_cause(past(5, &[1], "Delivery", Some("Vendor"), hour(50 * DAY)), None)]
#[case::other_category_no_cause(past(5, &[1], "Delivery", None, hour(50 * DAY)), None)]
#[case::exactly_90_days(past(5, &[1], "Printing", None, hour(10 * DAY)), Some(5))]
#[case::a_second_over_90_days(past(5, &[1], "Printing", None, hour(10 * DAY) - SEC), None)]
#[case::same_instant(past(5, &[1], "Printing", None, hour(100 * DAY)), Some(5))]
#[case::detected_after(past(5, &[1], "Printing", None, hour(100 * DAY) + SEC), None)]
fn a_like_problem_for_a_shared_account_within_90_days_recurs(
    #[case] earlier: PastProblem,
    #[case] want: Option<i64>,
) {
    assert_eq!(
        is_recurring(&occurrence(), &[earlier], DEFAULT_RECURRENCE_WINDOW),
        want.map(ProblemId)
    );
}

#[test]
fn recurrence_links_the_most_recent_earlier_problem() {
    let earlier = [
        past(3, &[1], "Printing", None, hour(20 * DAY)),
        past(8, &[2], "Delivery", Some("Process"), hour(70 * DAY)),
        past(6, &[1], "Printing", None, hour(60 * DAY)),
        past(9, &[4], "Printing", None, hour(99 * DAY)),
    ];
    assert_eq!(
        is_recurring(&occurrence(), &earlier, DEFAULT_RECURRENCE_WINDOW),
        Some(ProblemId(8))
    );
    let unknown_cause = Occurrence {
        cause_category: None,
        ..occurrence()
    };
    assert_eq!(
        is_recurring(&unknown_cause, &earlier, DEFAULT_RECURRENCE_WINDOW),
        Some(ProblemId(6))
    );
    let short = SignedDuration::from_hours(10 * DAY);
    assert_eq!(is_recurring(&occurrence(), &earlier, short), None);
    assert_eq!(
        is_recurring(&occurrence(), &[], DEFAULT_RECURRENCE_WINDOW),
        None
    );
}

#[test]
fn an_empty_category_never_matches() {
    let new = Occurrence {
        category: " ",
        cause_category: Some(""),
        ..occurrence()
    };
    let earlier = [past(5, &[1], "", Some(" "), hour(99 * DAY))];
    assert_eq!(
        is_recurring(&new, &earlier, DEFAULT_RECURRENCE_WINDOW),
        None
    );
}
