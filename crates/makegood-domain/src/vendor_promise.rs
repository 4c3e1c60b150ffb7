//! Vendor promises: what a vendor promised us and by when, tracked like a promise to a customer.
//!
//! A vendor promise ends exactly once: **kept** by its due time, **renegotiated** before its due
//! time (a successor carries the new date on), or **broken** when the due time passed. While it
//! is at risk (warning) the problem's owner has a duty to chase the vendor.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::duty::ProblemRef;
use crate::{
    Clock, ClockKind, ClockState, Duty, MemberId, Policies, ProblemId, Promise, PromiseError,
    PromiseId, PromiseStatus, VendorId, VendorPromiseId,
};

/// What a vendor promised us about a problem.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct VendorPromise {
    pub id: VendorPromiseId,
    pub problem: ProblemId,
    pub vendor: VendorId,
    /// What the vendor promised, in their words if possible.
    pub what: String,
    /// Who recorded it.
    pub recorded_by: MemberId,
    #[schema(value_type = String, format = DateTime)]
    pub made_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    pub due_at: Timestamp,
    /// The recorded status: open, kept, renegotiated or broken.
    pub status: PromiseStatus,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub ended_at: Option<Timestamp>,
    /// Why it was renegotiated.
    pub reason: Option<String>,
    pub renegotiated_from: Option<VendorPromiseId>,
    pub renegotiated_to: Option<VendorPromiseId>,
    pub version: i64,
}

impl VendorPromise {
    /// The same commitment as a customer promise, so both follow one set of rules.
    fn as_promise(&self) -> Promise {
        Promise {
            id: PromiseId(self.id.0),
            what: self.what.clone(),
            contacts: Vec::new(),
            made_by: self.recorded_by,
            problem: Some(self.problem),
            made_at: self.made_at,
            due_at: self.due_at,
            status: self.status,
            ended_at: self.ended_at,
            reason: self.reason.clone(),
            renegotiated_from: None,
            renegotiated_to: None,
            version: self.version,
        }
    }

    fn take_end(&mut self, p: &Promise) {
        self.status = p.status;
        self.ended_at = p.ended_at;
        self.reason = p.reason.clone();
    }

    /// The status at `now`: open past its due time is broken, recorded or not.
    pub fn status_at(&self, now: Timestamp) -> PromiseStatus {
        self.as_promise().status_at(now)
    }

    /// The vendor delivered by the due time.
    pub fn keep(&mut self, now: Timestamp) -> Result<(), PromiseError> {
        let mut p = self.as_promise();
        p.keep(now)?;
        self.take_end(&p);
        Ok(())
    }

    /// A new due time agreed before the old one passed; returns the successor (without id).
    pub fn renegotiate(
        &mut self,
        new_due: Timestamp,
        reason: &str,
        now: Timestamp,
    ) -> Result<VendorPromise, PromiseError> {
        let mut p = self.as_promise();
        let next = p.renegotiate(new_due, reason, now)?;
        self.take_end(&p);
        Ok(VendorPromise {
            id: VendorPromiseId(0),
            made_at: next.made_at,
            due_at: next.due_at,
            status: PromiseStatus::Open,
            ended_at: None,
            reason: None,
            renegotiated_from: Some(self.id),
            renegotiated_to: None,
            version: 1,
            ..self.clone()
        })
    }

    /// Records the break of an open vendor promise past due; `false` if it is not broken.
    pub fn break_if_due(&mut self, now: Timestamp) -> bool {
        let mut p = self.as_promise();
        let broken = p.break_if_due(now);
        if broken {
            self.take_end(&p);
        }
        broken
    }

    /// Its clock at `now`, warning like a customer promise under `policies`.
    pub fn clock(&self, policies: &Policies, now: Timestamp) -> Clock {
        Clock {
            kind: ClockKind::VendorPromise,
            ..crate::clock::promise_clock(&self.as_promise(), policies, now)
        }
    }

    /// The duty while at risk: the problem's `owner` chases `vendor` ("Chase Hostco about
    /// MG-12: restore the backups"); `None` unless the clock is in warning.
    pub fn duty(
        &self,
        vendor: &str,
        owner: MemberId,
        clock: Clock,
        problem: ProblemRef,
    ) -> Option<Duty> {
        if clock.state != ClockState::Warning {
            return None;
        }
        Some(Duty {
            kind: ClockKind::VendorPromise,
            member: owner,
            clock,
            summary: format!("Chase {vendor} about {}: {}", problem.number, self.what),
            problem: Some(problem),
            promise: None,
            account: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::hour;
    use crate::{Policies, ProblemNumber};

    fn open() -> VendorPromise {
        VendorPromise {
            id: VendorPromiseId(3),
            problem: ProblemId(12),
            vendor: VendorId(1),
            what: "Restore the backups".into(),
            recorded_by: MemberId(2),
            made_at: hour(0),
            due_at: hour(10),
            status: PromiseStatus::Open,
            ended_at: None,
            reason: None,
            renegotiated_from: None,
            renegotiated_to: None,
            version: 1,
        }
    }

    fn reference() -> ProblemRef {
        ProblemRef {
            id: ProblemId(12),
            number: ProblemNumber(12),
            title: "Site down".into(),
        }
    }

    #[test]
    fn kept_before_due_and_broken_after() {
        let mut p = open();
        p.keep(hour(9)).unwrap();
        assert_eq!((p.status, p.ended_at), (PromiseStatus::Kept, Some(hour(9))));
        let mut late = open();
        assert!(late.keep(hour(11)).is_err());
        assert!(late.break_if_due(hour(11)));
        assert_eq!(
            (late.status, late.ended_at),
            (PromiseStatus::Broken, Some(hour(10)))
        );
        assert!(!late.break_if_due(hour(12)), "broken once");
    }

    #[test]
    fn renegotiating_links_a_successor() {
        let mut p = open();
        let next = p
            .renegotiate(hour(20), "Their engineer is ill", hour(5))
            .unwrap();
        assert_eq!(p.status, PromiseStatus::Renegotiated);
        assert_eq!((next.due_at, next.made_at), (hour(20), hour(5)));
        assert_eq!(next.renegotiated_from, Some(p.id));
        assert_eq!(next.status, PromiseStatus::Open);
        assert!(open().renegotiate(hour(20), " ", hour(5)).is_err());
    }

    #[test]
    fn the_owner_chases_the_vendor_only_while_at_risk() {
        let p = open();
        let policies = Policies::default();
        let early = p.clock(&policies, hour(1));
        assert_eq!(
            (early.kind, early.state),
            (ClockKind::VendorPromise, ClockState::Ok)
        );
        assert!(p.duty("Hostco", MemberId(4), early, reference()).is_none());
        let late = p.clock(&policies, hour(9));
        assert_eq!(late.state, ClockState::Warning);
        let duty = p.duty("Hostco", MemberId(4), late, reference()).unwrap();
        assert_eq!(
            duty.summary,
            "Chase Hostco about MG-12: Restore the backups"
        );
        assert_eq!(
            (duty.member, duty.kind),
            (MemberId(4), ClockKind::VendorPromise)
        );
    }
}
