//! The approval duty: a remedy awaiting approval asks every supervisor and admin whose
//! authority covers it ("Approve the redo for Acme on MG-12 (EUR 800.00): …").

use super::{Remedy, RemedyApproval, RemedyStatus, check_authority, check_decider};
use crate::duty::ProblemRef;
use crate::{ClockState, Duty, DutyKind, Member};

impl Remedy {
    /// Whether `member` could approve this remedy now: it is awaiting approval and they are an
    /// active supervisor or admin whose authority covers its net cost, in its currency.
    pub fn approvable_by(&self, member: &Member) -> bool {
        self.status == RemedyStatus::AwaitingApproval
            && check_decider(member).is_ok()
            && self
                .net_cost()
                .is_ok_and(|net| check_authority(&member.remedy_authority, &net).is_ok())
    }

    /// What the approval duty and its alerts say: "Approve the redo for Acme on MG-12
    /// (EUR 800.00): We reprint the brochures". The amount is the net cost, what the
    /// approver's authority must cover.
    pub fn approval_summary(&self, customer: &str, problem: &ProblemRef) -> String {
        let net = self.net_cost().unwrap_or(self.cost);
        format!(
            "Approve the {} for {customer} on {} ({}): {}",
            self.kind.noun(),
            problem.number,
            net.label(),
            self.description
        )
    }
}

impl Duty {
    /// The duty a remedy awaiting approval gives `approver`; `None` once it is decided, when
    /// it never needed approval, or when `approver` could not approve it.
    pub fn for_remedy(
        remedy: &Remedy,
        approval: &RemedyApproval,
        customer: &str,
        problem: ProblemRef,
        approver: &Member,
    ) -> Option<Duty> {
        let running = matches!(
            approval.state,
            ClockState::Ok | ClockState::Warning | ClockState::Breached
        );
        if !running || !remedy.approvable_by(approver) {
            return None;
        }
        Some(Duty {
            kind: DutyKind::Approval,
            member: approver.id,
            clock: approval.clock(),
            summary: remedy.approval_summary(customer, &problem),
            problem: Some(problem),
            promise: None,
            account: None,
        })
    }
}

impl Duty {
    /// The duty a waiting remedy that nobody's authority covers gives `admin`: raise someone's
    /// authority (or their own), so that the approval does not stall. `None` once decided or
    /// for anyone but an active admin.
    pub fn for_remedy_without_approver(
        remedy: &Remedy,
        approval: &RemedyApproval,
        customer: &str,
        problem: ProblemRef,
        admin: &Member,
    ) -> Option<Duty> {
        let running = matches!(
            approval.state,
            ClockState::Ok | ClockState::Warning | ClockState::Breached
        );
        if !running
            || remedy.status != RemedyStatus::AwaitingApproval
            || !admin.active
            || admin.role != crate::Role::Admin
        {
            return None;
        }
        let net = remedy.net_cost().unwrap_or(remedy.cost);
        Some(Duty {
            kind: DutyKind::Approval,
            member: admin.id,
            clock: approval.clock(),
            summary: format!(
                "Find an approver for the {} for {customer} on {} ({}): no one's remedy authority covers it",
                remedy.kind.noun(),
                problem.number,
                net.label()
            ),
            problem: Some(problem),
            promise: None,
            account: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{eur, member, reprint, share, waiting};
    use super::*;
    use crate::testing::{hour, hours};
    use crate::{ClockKind, ProblemId, ProblemNumber, Role};

    fn mg12() -> ProblemRef {
        ProblemRef {
            id: ProblemId(12),
            number: ProblemNumber(12),
            title: "Brochures misprinted".into(),
        }
    }

    #[test]
    fn a_waiting_remedy_asks_each_supervisor_and_admin_whose_authority_covers_it() {
        let remedy = waiting();
        let approval = remedy.approval_clock(hours(24), hour(20)).unwrap();
        let boss = member(5, Role::Supervisor, eur(500_000));
        let duty = Duty::for_remedy(&remedy, &approval, "Acme", mg12(), &boss).unwrap();
        assert_eq!(
            duty.summary,
            "Approve the redo for Acme on MG-12 (EUR 2,000.00): We reprint the brochures at our expense"
        );
        assert_eq!((duty.kind, duty.member), (ClockKind::Approval, boss.id));
        assert_eq!(
            (duty.clock.state, duty.clock.due_at, duty.clock.warn_at),
            (
                ClockState::Warning,
                Some(hour(24)),
                Some(hour(24) - jiff::SignedDuration::from_mins(288))
            )
        );
        for (who, asked) in [
            (member(6, Role::Supervisor, eur(199_999)), false),
            (member(7, Role::Admin, eur(200_000)), true),
            (member(8, Role::Agent, eur(900_000)), false),
            (member(9, Role::Viewer, eur(900_000)), false),
        ] {
            assert_eq!(
                Duty::for_remedy(&remedy, &approval, "Acme", mg12(), &who).is_some(),
                asked,
                "{:?}",
                who.role
            );
        }
        let mut gone = boss.clone();
        gone.active = false;
        assert!(Duty::for_remedy(&remedy, &approval, "Acme", mg12(), &gone).is_none());
    }

    #[test]
    fn a_remedy_nobody_can_approve_asks_the_admins_to_find_an_approver() {
        let remedy = waiting();
        let approval = remedy.approval_clock(hours(24), hour(1)).unwrap();
        let admin = member(3, Role::Admin, eur(100));
        let duty =
            Duty::for_remedy_without_approver(&remedy, &approval, "Acme", mg12(), &admin).unwrap();
        assert_eq!(
            duty.summary,
            "Find an approver for the redo for Acme on MG-12 (EUR 2,000.00): no one's remedy authority covers it"
        );
        assert_eq!((duty.member, duty.clock.state), (admin.id, ClockState::Ok));
        let lead = member(4, Role::Supervisor, eur(100));
        assert!(
            Duty::for_remedy_without_approver(&remedy, &approval, "Acme", mg12(), &lead).is_none()
        );
    }

    #[test]
    fn a_decided_remedy_asks_nothing_and_the_summary_names_the_net_cost() {
        let boss = member(5, Role::Supervisor, eur(500_000));
        let mut remedy = waiting();
        remedy.approve(&boss, hour(2)).unwrap();
        let approval = remedy.approval_clock(hours(24), hour(3)).unwrap();
        assert_eq!(approval.clock().state, ClockState::Met);
        assert!(Duty::for_remedy(&remedy, &approval, "Acme", mg12(), &boss).is_none());

        let agent = member(1, Role::Agent, eur(10_000));
        let shared = Remedy::propose(
            crate::RemedyId(2),
            reprint(eur(200_000), Some(share(eur(120_000)))),
            &agent,
            hour(0),
        )
        .unwrap();
        assert!(
            shared
                .approval_summary("Acme", &mg12())
                .starts_with("Approve the redo for Acme on MG-12 (EUR 800.00): ")
        );
    }
}
