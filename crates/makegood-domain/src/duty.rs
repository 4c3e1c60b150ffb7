//! Duties: what a clock asks of a person now ("Tell Acme about MG-12").

use serde::{Deserialize, Serialize};

use crate::{
    Clock, ClockKind, ClockState, MemberId, Problem, ProblemId, ProblemNumber, Promise, PromiseId,
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
                    ClockKind::Fix | ClockKind::Promise => format!("Fix {n} for {customer}"),
                };
                Duty {
                    kind: clock.kind,
                    member: problem.owner,
                    clock: *clock,
                    problem: Some(reference.clone()),
                    promise: None,
                    summary,
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
