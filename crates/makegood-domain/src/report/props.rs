//! Property tests: a tally kept incrementally (subjects added, changed and removed in any
//! order) equals the tally of the final contributions computed from scratch.

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use proptest::prelude::*;

use super::facts::{
    ProblemFacts, PromiseFacts, RemedyFacts, Scope, Stop, Subject, SurveyFacts, contributions,
};
use super::tally::{Item, Tally};
use crate::{AccountId, MemberId, Origin, Outcome, PromiseStatus, Severity};

fn at(minutes: i64) -> Timestamp {
    Timestamp::from_second(1_767_225_600).unwrap() + SignedDuration::from_mins(minutes)
}

fn promise() -> impl Strategy<Value = PromiseFacts> {
    (
        1i64..4,
        0i64..200_000,
        1i64..5000,
        0usize..5,
        prop::collection::vec(1i64..4, 0..3),
    )
        .prop_map(|(member, made, span, status, accounts)| {
            let status = PromiseStatus::ALL[status];
            PromiseFacts {
                made_by: MemberId(member),
                warn_at: at(made + span / 2),
                due_at: at(made + span),
                status,
                ended_at: status.is_final().then(|| at(made + span / 3)),
                accounts: accounts.into_iter().map(AccountId).collect(),
            }
        })
}

fn problem() -> impl Strategy<Value = ProblemFacts> {
    (
        (1i64..4, 0usize..3, 0usize..4, 0i64..200_000),
        (
            prop::option::of((0i64..3000, any::<bool>())),
            prop::option::of(0i64..90_000),
        ),
        prop::collection::vec((0i64..90_000, any::<bool>()), 0..4),
        prop::collection::vec(0i64..90_000, 0..4),
        prop::option::of((1i16..6, 0i16..11)),
        prop::option::of((0i64..90_000, any::<bool>())),
    )
        .prop_map(
            |((owner, sev, origin, detected), (tell, fix), cadence, updates, survey, remedy)| {
                let d = detected;
                ProblemFacts {
                    owner: MemberId(owner),
                    severity: Severity::ALL[sev],
                    origin: [
                        Origin::Ours,
                        Origin::Customer,
                        Origin::Vendor,
                        Origin::Unknown,
                    ][origin],
                    accounts: vec![AccountId(1 + owner % 3)],
                    detected_at: at(d),
                    tell: tell.map(|(m, met)| Stop {
                        at: at(d + m),
                        due: Some(at(d + if met { m } else { m - 1 })),
                    }),
                    fix: fix.map(|m| Stop {
                        at: at(d + m),
                        due: None,
                    }),
                    cadence: cadence
                        .into_iter()
                        .map(|(m, met)| (at(d + m), met))
                        .collect(),
                    closed: fix.map(|m| (at(d + m + 10), Outcome::Retained)),
                    updates: updates.into_iter().map(|m| at(d + m)).collect(),
                    remedies: remedy
                        .map(|(m, rejected)| RemedyFacts {
                            proposed_by: MemberId(owner),
                            proposed_at: at(d),
                            currency: "EUR".to_owned(),
                            cost_minor: 1000,
                            vendor_share_minor: Some(200),
                            vendor_share_received: rejected,
                            net_minor: 800,
                            delivered_at: (!rejected).then(|| at(d + m)),
                            decision: Some((at(d + m / 2), rejected)),
                        })
                        .into_iter()
                        .collect(),
                    preventions: Vec::new(),
                    recurrences: vec![(at(d + 5), "network".to_owned())],
                    surveys: survey
                        .map(|(rating, recommend)| SurveyFacts {
                            answered_at: at(d + 100_000),
                            rating: Some(rating),
                            recommend: Some(recommend),
                        })
                        .into_iter()
                        .collect(),
                }
            },
        )
}

fn subject() -> impl Strategy<Value = Subject> {
    (
        prop::option::of(problem()),
        prop::collection::vec(promise(), 0..4),
    )
        .prop_map(|(problem, promises)| Subject { problem, promises })
}

fn items(s: &Subject) -> Vec<Item> {
    let zone = TimeZone::get("Europe/Berlin").unwrap_or(TimeZone::UTC);
    contributions(
        s,
        &Scope {
            zone: &zone,
            now: at(150_000),
            account: None,
        },
    )
}

proptest! {
    /// Each step writes subject `slot` anew (or removes it); the tally kept by deltas equals
    /// the tally of what is left, whatever the order.
    #[test]
    fn incremental_equals_from_scratch(
        steps in prop::collection::vec((0usize..6, prop::option::of(subject())), 1..24),
    ) {
        let mut stored: Vec<Vec<Item>> = vec![Vec::new(); 6];
        let mut incremental = Tally::default();
        for (slot, subject) in steps {
            let new = subject.as_ref().map(items).unwrap_or_default();
            let delta = Tally::delta(&stored[slot], &new);
            for (k, v) in delta.0 {
                incremental.add_at(k, v);
            }
            stored[slot] = new;
        }
        let all: Vec<Item> = stored.concat();
        prop_assert_eq!(incremental, Tally::of(&all));
    }

    /// Contributions survive storage.
    #[test]
    fn contributions_encode_and_decode(s in subject()) {
        let items = items(&s);
        prop_assert_eq!(super::tally::decode(&super::tally::encode(&items)), Some(items));
    }
}
