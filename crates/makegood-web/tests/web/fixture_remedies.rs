//! Remedies to act on in the role walk, on the supervisor's problem (so the timelines other
//! tests read are untouched): one awaiting approval, one approved with a vendor share. The one awaiting
//! gives every supervisor and admin an approval duty.

use makegood_domain::{Currency, Money, NewRemedy, RemedyKind, Role, VendorShare};
use makegood_store::{Actor, MemberPatch, ProblemView, RemedyView};

use crate::common::TestApp;
use crate::fixture::Team;

/// `minor` cents of EUR.
pub fn eur(minor: i64) -> Money {
    Money::new(minor, Currency::new("EUR").unwrap())
}

pub struct Remedies {
    /// The problem they are for: the world's `supervisors_problem`.
    pub problem: makegood_domain::ProblemId,
    /// 10.00 EUR by an agent with no authority of their own: every lead may approve it.
    pub awaiting: RemedyView,
    /// 100.00 EUR by the team's agent (within their authority), the vendor paying 40.00.
    pub approved: RemedyView,
}

impl Remedies {
    pub async fn new(
        app: &TestApp,
        team: &Team,
        problem: &ProblemView,
        vendor: makegood_domain::VendorId,
    ) -> Self {
        let store = &app.store;
        let problem = problem.problem.id;
        let novice = app.user(Role::Agent).await;
        store
            .update_member(
                novice.member.id,
                MemberPatch {
                    remedy_authority: Some(eur(0)),
                    ..MemberPatch::default()
                },
            )
            .await
            .unwrap();
        let remedy = |cost, share: Option<i64>| NewRemedy {
            problem,
            kind: RemedyKind::Redo,
            description: "We reprint the brochures".into(),
            cost: eur(cost),
            vendor_share: share.map(|amount| VendorShare {
                vendor,
                amount: eur(amount),
                received: false,
            }),
        };
        let by = |member| Actor {
            member,
            now: app.now(),
        };
        let awaiting = store
            .propose_remedy(by(novice.member.id), remedy(1_000, None))
            .await
            .unwrap();
        let approved = store
            .propose_remedy(by(team.agent.member.id), remedy(10_000, Some(4_000)))
            .await
            .unwrap();
        Self {
            problem,
            awaiting,
            approved,
        }
    }
}
