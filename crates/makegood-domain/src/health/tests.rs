//! Account health: the weights by hand, the bands, and that more trouble never helps.

use proptest::prelude::*;
use rstest::rstest;

use super::*;
use crate::testing::hour;
use crate::{AccountId, ClockState};

fn answer(rating: u8, recommend: u8) -> Answer {
    Answer { rating, recommend }
}

#[test]
fn nothing_wrong_is_a_hundred_and_green() {
    let inputs = HealthInputs::default();
    assert_eq!(
        Health::of(&inputs),
        Health {
            score: 100,
            band: Band::Green
        }
    );
    assert!(inputs.factors().is_empty());
    // Perfect answers lower nothing.
    let happy = HealthInputs {
        answers: vec![answer(5, 10), answer(5, 9)],
        ..HealthInputs::default()
    };
    assert_eq!(Health::of(&happy).score, 100);
    assert!(happy.factors().is_empty());
}

#[test]
fn each_factor_counts_as_documented() {
    let inputs = HealthInputs {
        open: OpenProblems {
            critical: 1,
            major: 1,
            minor: 0,
        },
        breached_clocks: 1,
        broken_promises: 1,
        // mean 3.00 → (5 − 3) × 5 = 10; NPS: one promoter, one detractor → 0.
        answers: vec![answer(1, 10), answer(5, 0)],
        lost: 0,
        at_risk: 0,
    };
    let factors = inputs.factors();
    let got: Vec<_> = factors
        .iter()
        .map(|f| (f.kind, f.points, f.detail.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (
                FactorKind::OpenProblems,
                20,
                "2 open problems (1 critical, 1 major)"
            ),
            (
                FactorKind::BrokenPromises,
                12,
                "1 broken promise in the last 90 days"
            ),
            (FactorKind::BreachedClocks, 10, "1 clock past its deadline"),
            (
                FactorKind::Satisfaction,
                10,
                "2 follow-up answers in the last 90 days: mean rating 3.00 of 5, NPS 0"
            ),
        ]
    );
    // 100 − 20 − 12 − 10 − 10 = 48: red.
    assert_eq!(
        Health::of(&inputs),
        Health {
            score: 48,
            band: Band::Red
        }
    );
}

#[test]
fn factors_are_capped_and_the_score_stops_at_zero() {
    let inputs = HealthInputs {
        open: OpenProblems {
            critical: 10,
            major: 0,
            minor: 0,
        },
        breached_clocks: 9,
        broken_promises: 9,
        answers: vec![answer(1, 0); 3],
        lost: 3,
        at_risk: 1,
    };
    let points: Vec<_> = inputs
        .factors()
        .iter()
        .map(|f| (f.kind, f.points))
        .collect();
    assert_eq!(
        points,
        [
            (FactorKind::Outcomes, 45),
            (FactorKind::OpenProblems, 36),
            (FactorKind::BrokenPromises, 36),
            (FactorKind::BreachedClocks, 30),
            // (5 − 1) × 5 = 20, NPS −100 → 10.
            (FactorKind::Satisfaction, 30),
        ]
    );
    assert_eq!(Health::of(&inputs).score, 0);
}

#[test]
fn outcomes_and_a_negative_nps_say_what_they_are() {
    let inputs = HealthInputs {
        answers: vec![answer(4, 6), answer(4, 5), answer(4, 8)],
        lost: 1,
        at_risk: 1,
        ..HealthInputs::default()
    };
    let factors = inputs.factors();
    assert_eq!(factors[0].points, 45);
    assert_eq!(
        factors[0].detail,
        "problems closed in the last 90 days: 1 lost, 1 at risk"
    );
    // mean 4 → 5 points; NPS (0 − 2) × 100 / 3 = −67 → 7 points.
    assert_eq!(
        (factors[1].kind, factors[1].points),
        (FactorKind::Satisfaction, 12)
    );
    assert_eq!(Health::of(&inputs).score, 43);
}

#[rstest]
#[case(100, Band::Green)]
#[case(75, Band::Green)]
#[case(74, Band::Amber)]
#[case(50, Band::Amber)]
#[case(49, Band::Red)]
#[case(0, Band::Red)]
fn bands_have_their_edges(#[case] score: u8, #[case] band: Band) {
    assert_eq!(Band::of(score), band);
    assert_eq!(Band::parse(band.as_str()), Some(band));
}

#[test]
fn the_trend_is_latest_minus_earliest() {
    assert_eq!(trend(&[]), None);
    assert_eq!(trend(&[80]), None);
    assert_eq!(trend(&[80, 60, 40]), Some(-40));
    assert_eq!(trend(&[20, 90]), Some(70));
}

#[test]
fn a_red_account_asks_for_a_review_within_two_days() {
    let acme = AccountRef {
        id: AccountId(3),
        name: "Acme".into(),
    };
    let at = |h| review_duty(acme.clone(), MemberId(4), hour(0), hour(h));
    let duty = at(1);
    assert_eq!(duty.summary, "Acme turned red: review the account");
    assert_eq!(
        (duty.kind, duty.member, duty.account.as_ref().map(|a| a.id)),
        (ClockKind::Review, MemberId(4), Some(AccountId(3)))
    );
    assert_eq!(duty.clock.due_at, Some(hour(48)));
    assert_eq!(
        [at(1).clock.state, at(24).clock.state, at(49).clock.state],
        [ClockState::Ok, ClockState::Warning, ClockState::Breached]
    );
}

fn inputs() -> impl Strategy<Value = HealthInputs> {
    (
        (0u32..4, 0u32..4, 0u32..6),
        0u32..5,
        0u32..5,
        prop::collection::vec((1u8..=5, 0u8..=10), 0..6),
        0u32..3,
        0u32..3,
    )
        .prop_map(
            |((critical, major, minor), breached, broken, answers, lost, at_risk)| HealthInputs {
                open: OpenProblems {
                    critical,
                    major,
                    minor,
                },
                breached_clocks: breached,
                broken_promises: broken,
                answers: answers.into_iter().map(|(r, n)| answer(r, n)).collect(),
                lost,
                at_risk,
            },
        )
}

/// `inputs` with one more piece of trouble, chosen by `which`.
fn worse(mut i: HealthInputs, which: u8, at: usize) -> HealthInputs {
    match which % 9 {
        0 => i.open.critical += 1,
        1 => i.open.major += 1,
        2 => i.open.minor += 1,
        3 => i.breached_clocks += 1,
        4 => i.broken_promises += 1,
        5 => i.lost += 1,
        6 => i.at_risk += 1,
        7 => {
            if let Some(len) = Some(i.answers.len()).filter(|n| *n > 0) {
                let a = &mut i.answers[at % len];
                a.rating = a.rating.saturating_sub(1).max(1);
            }
        }
        _ => {
            if let Some(len) = Some(i.answers.len()).filter(|n| *n > 0) {
                let a = &mut i.answers[at % len];
                a.recommend = a.recommend.saturating_sub(1);
            }
        }
    }
    i
}

proptest! {
    #[test]
    fn more_trouble_never_raises_the_score(i in inputs(), steps in prop::collection::vec((0u8..9, 0usize..6), 1..6)) {
        let mut current = i;
        for (which, at) in steps {
            let next = worse(current.clone(), which, at);
            let (before, after) = (Health::of(&current), Health::of(&next));
            prop_assert!(after.score <= before.score, "{current:?} → {next:?}");
            prop_assert!(after.band <= before.band);
            current = next;
        }
    }

    #[test]
    fn the_score_is_a_hundred_minus_the_factors(i in inputs()) {
        let lost: u32 = i.factors().iter().map(|f| u32::from(f.points)).sum();
        let h = Health::of(&i);
        prop_assert_eq!(u32::from(h.score), 100u32.saturating_sub(lost));
        prop_assert_eq!(h.band, Band::of(h.score));
        prop_assert!(i.factors().windows(2).all(|w| w[0].points >= w[1].points));
    }
}
