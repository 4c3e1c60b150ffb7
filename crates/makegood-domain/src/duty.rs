//! Duties: what a clock asks of a person now ("Tell Acme about MG-12").

use serde::{Deserialize, Serialize};

use crate::{
    AccountId, Clock, ClockKind, ClockState, MemberId, Problem, ProblemId, ProblemNumber, Promise,
    PromiseId,
};

/// Which obligation the duty comes from.
pub type DutyKind = ClockKind;

/// The problem a duty is about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ProblemRef {
    pub id: ProblemId,
    pub number: ProblemNumber,
    pub title: String,
}

/// The promise a duty is about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PromiseRef {
    pub id: PromiseId,
    pub what: String,
}

/// The account a duty is about (an account's health review).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AccountRef {
    pub id: AccountId,
    pub name: String,
}

/// One thing a member should do, with the clock that asks for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Duty {
    pub kind: DutyKind,
    /// Who should do it: the owner.
    pub member: MemberId,
    pub clock: Clock,
    pub problem: Option<ProblemRef>,
    pub promise: Option<PromiseRef>,
    /// What to do, for whom: "Tell Acme about MG-12".
    pub summary: String,
    /// The account it is about, for a duty that is about no problem (a health review).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<AccountRef>,
}

impl Duty {
    /// The duties from a problem's running clocks; `customer` names the primary account.
    pub fn for_problem(problem: &Problem, customer: &str, clocks: &[Clock]) -> Vec<Duty> {
        let reference = ProblemRef {
            id: problem.id,
            number: problem.number,
            title: problem.title.clone(),
        };
        clocks
            .iter()
            .filter(|c| c.state.is_running() && c.state != ClockState::Paused)
            .map(|clock| {
                let n = problem.number;
                let summary = match clock.kind {
                    ClockKind::Tell => format!("Tell {customer} about {n}"),
                    ClockKind::Update => format!("Update {customer} on {n}"),
                    ClockKind::Call => format!("Call {customer} about {n}"),
                    ClockKind::Fix
                    | ClockKind::Promise
                    | ClockKind::Approval
                    | ClockKind::Prevention
                    | ClockKind::Check
                    | ClockKind::VendorPromise
                    | ClockKind::Review => format!("Fix {n} for {customer}"),
                };
                Duty {
                    kind: clock.kind,
                    member: problem.owner,
                    clock: *clock,
                    problem: Some(reference.clone()),
                    promise: None,
                    summary,
                    account: None,
                }
            })
            .collect()
    }

    /// The duty of an open promise to `customer`; `None` once it has ended.
    pub fn for_promise(
        promise: &Promise,
        customer: &str,
        clock: Clock,
        problem: Option<ProblemRef>,
    ) -> Option<Duty> {
        let summary = match clock.state {
            ClockState::Ok => format!("Keep your promise to {customer}: {}", promise.what),
            ClockState::Warning => format!(
                "Have the conversation with {customer} now: {}",
                promise.what
            ),
            _ => return None,
        };
        Some(Duty {
            kind: ClockKind::Promise,
            member: promise.made_by,
            clock,
            problem,
            promise: Some(PromiseRef {
                id: promise.id,
                what: promise.what.clone(),
            }),
            summary,
            account: None,
        })
    }

    /// Orders duties most urgent first: breached, then warning, then ok; earliest due first.
    pub fn sort(duties: &mut [Duty]) {
        duties.sort_by_key(|d| {
            (
                d.clock.state,
                d.clock.due_at,
                d.problem.as_ref().map(|p| p.id),
            )
        });
    }
}

#[cfg(test)]
mod tests {
    use jiff::Timestamp;
    use proptest::prelude::*;
    use rstest::rstest;

    use super::*;
    use crate::testing::{hour, instant, promise};
    use crate::{Origin, Severity, Status};

    fn problem() -> Problem {
        Problem {
            id: ProblemId(12),
            number: ProblemNumber(12),
            title: "Invoices lost".into(),
            description: String::new(),
            origin: Origin::Vendor,
            vendor: None,
            severity: Severity::Major,
            category: "billing".into(),
            owner: MemberId(4),
            accounts: vec![AccountId(1)],
            stakeholders: vec![],
            all_stakeholders: false,
            detected_at: hour(0),
            created_at: hour(0),
            status: Status::Open,
            outcome: None,
            version: 1,
        }
    }

    fn clock(kind: ClockKind, state: ClockState, due: Option<Timestamp>) -> Clock {
        Clock {
            kind,
            state,
            started_at: hour(0),
            warn_at: None,
            due_at: due,
            stopped_at: None,
        }
    }

    #[test]
    fn a_problem_asks_for_each_running_unpaused_clock() {
        let clocks = [
            clock(ClockKind::Tell, ClockState::Breached, Some(hour(1))),
            clock(ClockKind::Update, ClockState::Paused, None),
            clock(ClockKind::Fix, ClockState::Ok, Some(hour(24))),
        ];
        let duties = Duty::for_problem(&problem(), "Acme", &clocks);
        let got: Vec<_> = duties
            .iter()
            .map(|d| (d.kind, d.summary.as_str(), d.member, d.clock))
            .collect();
        assert_eq!(
            got,
            [
                (
                    ClockKind::Tell,
                    "Tell Acme about MG-12",
                    MemberId(4),
                    clocks[0]
                ),
                (ClockKind::Fix, "Fix MG-12 for Acme", MemberId(4), clocks[2]),
            ]
        );
        let reference = ProblemRef {
            id: ProblemId(12),
            number: ProblemNumber(12),
            title: "Invoices lost".into(),
        };
        assert!(
            duties
                .iter()
                .all(|d| d.problem.as_ref() == Some(&reference) && d.promise.is_none())
        );
    }

    #[rstest]
    #[case::warning(ClockState::Warning, 1)]
    #[case::paused(ClockState::Paused, 0)]
    #[case::met(ClockState::Met, 0)]
    #[case::missed(ClockState::Missed, 0)]
    fn the_update_duty_exists_only_while_the_clock_runs(
        #[case] state: ClockState,
        #[case] count: usize,
    ) {
        let duties = Duty::for_problem(
            &problem(),
            "Acme",
            &[clock(ClockKind::Update, state, Some(hour(4)))],
        );
        assert_eq!(duties.len(), count);
        if let Some(d) = duties.first() {
            assert_eq!(d.summary, "Update Acme on MG-12");
        }
    }

    #[rstest]
    #[case::ok(
        ClockState::Ok,
        Some("Keep your promise to Acme: Send the corrected invoices")
    )]
    #[case::warning(
        ClockState::Warning,
        Some("Have the conversation with Acme now: Send the corrected invoices")
    )]
    #[case::met(ClockState::Met, None)]
    #[case::missed(ClockState::Missed, None)]
    fn an_open_promise_asks_its_maker(#[case] state: ClockState, #[case] summary: Option<&str>) {
        let p = promise(hour(0), hour(10));
        let c = clock(ClockKind::Promise, state, Some(hour(10)));
        let reference = ProblemRef {
            id: ProblemId(12),
            number: ProblemNumber(12),
            title: "Invoices lost".into(),
        };
        let duty = Duty::for_promise(&p, "Acme", c, Some(reference.clone()));
        assert_eq!(duty.as_ref().map(|d| d.summary.as_str()), summary);
        if let Some(d) = duty {
            assert_eq!(
                (d.kind, d.member, d.clock),
                (ClockKind::Promise, p.made_by, c)
            );
            assert_eq!(
                d.promise,
                Some(PromiseRef {
                    id: p.id,
                    what: p.what.clone()
                })
            );
            assert_eq!(d.problem, Some(reference));
        }
    }

    fn duty(state: ClockState, due: i64, problem: i64) -> Duty {
        let mut p = self::problem();
        p.id = ProblemId(problem);
        Duty::for_problem(&p, "Acme", &[clock(ClockKind::Fix, state, Some(hour(due)))]).remove(0)
    }

    #[test]
    fn the_most_urgent_duty_comes_first() {
        let mut duties = vec![
            duty(ClockState::Ok, 1, 1),
            duty(ClockState::Warning, 9, 2),
            duty(ClockState::Breached, 5, 3),
            duty(ClockState::Warning, 3, 4),
            duty(ClockState::Breached, 2, 5),
            duty(ClockState::Ok, 1, 0),
        ];
        Duty::sort(&mut duties);
        let order: Vec<_> = duties
            .iter()
            .map(|d| d.problem.as_ref().unwrap().id.0)
            .collect();
        assert_eq!(order, [5, 3, 4, 2, 0, 1]);
    }

    fn rank(state: ClockState) -> u8 {
        match state {
            ClockState::Breached => 0,
            ClockState::Warning => 1,
            _ => 2,
        }
    }

    proptest! {
        #[test]
        fn sorting_orders_by_urgency_then_due(
            specs in prop::collection::vec(
                (prop::sample::select(vec![ClockState::Breached, ClockState::Warning, ClockState::Ok]), instant()),
                0..20,
            ),
        ) {
            let mut p = problem();
            let mut duties: Vec<Duty> = specs
                .iter()
                .flat_map(|(state, due)| {
                    p.id.0 += 1;
                    Duty::for_problem(&p, "Acme", &[clock(ClockKind::Fix, *state, Some(*due))])
                })
                .collect();
            Duty::sort(&mut duties);
            for pair in duties.windows(2) {
                let (a, b) = (&pair[0].clock, &pair[1].clock);
                prop_assert!((rank(a.state), a.due_at) <= (rank(b.state), b.due_at));
            }
        }
    }
}
