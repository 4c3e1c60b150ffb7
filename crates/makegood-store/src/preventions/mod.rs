//! Prevention: root causes with corrective actions and effectiveness checks ([`record`]),
//! recurrences between problems ([`recurrence`]), what vendors promised us ([`vendor`]) with
//! their reliability ([`reliability`]); their timers and duties in [`schedule`].

pub(crate) mod entities;
mod record;
pub(crate) mod recurrence;
mod reliability;
pub(crate) mod schedule;
mod vendor;

use jiff::Timestamp;
use makegood_domain::prevention::{NewPrevention, PreventionDue};
use makegood_domain::{
    Clock, MemberId, Prevention, PreventionId, PreventionStatus, ProblemId, ProblemNumber,
    PromiseRecord, PromiseStatus, VendorId, VendorPromise, VendorPromiseId,
};
use serde::Serialize;

use crate::{Actor, Page, PageRequest, Result, Store};

/// A prevention with its clocks at `now`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PreventionView {
    #[serde(flatten)]
    pub prevention: Prevention,
    pub problem_number: ProblemNumber,
    /// The corrective action against its due time.
    pub due: PreventionDue,
    /// When the effectiveness check falls due, while done.
    pub check_due_at: Option<Timestamp>,
    /// Whether the effectiveness check may be recorded now.
    pub check_due: bool,
    pub version: i64,
}

/// Which preventions to list; the filters combine.
#[derive(Clone, Debug, Default)]
pub struct PreventionFilter {
    /// Done, with the effectiveness check due at `now`.
    pub check_due: bool,
    pub owner: Option<MemberId>,
    /// `open`, `done` or `effective`.
    pub status: Option<String>,
    pub problem: Option<ProblemId>,
}

/// The earlier problem a problem recurs, and what it had done about it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Recurrence {
    pub earlier: ProblemId,
    pub earlier_number: ProblemNumber,
    pub earlier_title: String,
    pub earlier_detected_at: Timestamp,
    /// What matched: `category` or `cause_category`.
    pub basis: String,
    /// The category (or cause category) they share.
    pub category: String,
    /// The earlier problem's prevention, if it had one.
    pub prevention: Option<PreventionId>,
    /// Its corrective action.
    pub corrective_action: Option<String>,
    /// Its status (`open`, `done`, `effective`).
    pub prevention_status: Option<String>,
    pub flagged_at: Timestamp,
}

/// A vendor promise to record (the vendor must exist, the problem too).
#[derive(Clone, Debug)]
pub struct NewVendorPromise {
    pub problem: ProblemId,
    pub vendor: VendorId,
    pub what: String,
    pub due_at: Timestamp,
}

/// A vendor promise with its vendor's name, state and clock at `now`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct VendorPromiseView {
    #[serde(flatten)]
    pub vendor_promise: VendorPromise,
    pub vendor_name: String,
    pub problem_number: ProblemNumber,
    /// The state now: an open vendor promise past due is broken.
    pub state: PromiseStatus,
    pub clock: Clock,
}

/// A problem a vendor is part of.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct VendorProblem {
    pub id: ProblemId,
    pub number: ProblemNumber,
    pub title: String,
    pub status: String,
}

/// How one vendor's promises to us ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct VendorReliability {
    pub vendor: VendorId,
    pub name: String,
    pub record: PromiseRecord,
}

impl Store {
    // --- preventions --------------------------------------------------------------------

    /// Records a root cause and its corrective action on a problem (`PreventionRecorded`),
    /// schedules its due clock, and flags the problem as recurring when an earlier one of the
    /// same account shares its category or this cause category within the window.
    pub async fn record_prevention(
        &self,
        actor: Actor,
        new: NewPrevention,
    ) -> Result<PreventionView> {
        record::record(self, actor, new).await
    }
    /// The prevention `id` at `now`.
    pub async fn prevention(&self, id: PreventionId, now: Timestamp) -> Result<PreventionView> {
        record::get(self, id, now).await
    }
    /// A new corrective action and due time for an open prevention (`PreventionRevised`).
    pub async fn revise_prevention(
        &self,
        actor: Actor,
        id: PreventionId,
        if_match: Option<i64>,
        corrective_action: &str,
        due_at: Timestamp,
    ) -> Result<PreventionView> {
        record::revise(self, actor, id, if_match, corrective_action, due_at).await
    }
    /// The corrective action is done (`PreventionDone`); its effectiveness check is scheduled.
    pub async fn mark_prevention_done(
        &self,
        actor: Actor,
        id: PreventionId,
        if_match: Option<i64>,
    ) -> Result<PreventionView> {
        record::done(self, actor, id, if_match).await
    }
    /// Records the effectiveness check once due (`PreventionChecked`): effective ends it, not
    /// effective (a note required) reopens it. `Conflict` before it is due.
    pub async fn check_prevention(
        &self,
        actor: Actor,
        id: PreventionId,
        if_match: Option<i64>,
        effective: bool,
        note: Option<&str>,
    ) -> Result<PreventionView> {
        record::check(self, actor, id, if_match, effective, note).await
    }
    /// The preventions of a problem, oldest first.
    pub async fn problem_preventions(
        &self,
        problem: ProblemId,
        now: Timestamp,
    ) -> Result<Vec<PreventionView>> {
        record::of_problem(self, problem, now).await
    }
    /// Preventions by due time (check time when `check_due`), then id; keyset-paginated.
    pub async fn list_preventions(
        &self,
        filter: &PreventionFilter,
        page: &PageRequest,
        now: Timestamp,
    ) -> Result<Page<PreventionView>> {
        record::list(self, filter, page, now).await
    }

    // --- recurrence ---------------------------------------------------------------------

    /// The earlier problems `problem` was flagged as recurring, latest flag first.
    pub async fn problem_recurrences(&self, problem: ProblemId) -> Result<Vec<Recurrence>> {
        recurrence::of_problem(self, problem).await
    }
    /// How many days back an earlier problem counts as the same one coming back (default 90).
    pub async fn recurrence_window_days(&self) -> Result<i64> {
        recurrence::window_days(&self.db).await
    }
    /// Sets the recurrence window: 1 to 3650 days.
    pub async fn set_recurrence_window_days(&self, days: i64) -> Result<i64> {
        recurrence::set_window_days(self, days).await
    }

    // --- vendor promises ----------------------------------------------------------------

    /// Records what a vendor promised us about a problem (`VendorPromiseMade`).
    pub async fn make_vendor_promise(
        &self,
        actor: Actor,
        new: NewVendorPromise,
    ) -> Result<VendorPromiseView> {
        vendor::make(self, actor, new).await
    }
    /// The vendor promise `id` at `now`.
    pub async fn vendor_promise(
        &self,
        id: VendorPromiseId,
        now: Timestamp,
    ) -> Result<VendorPromiseView> {
        vendor::get(self, id, now).await
    }
    /// The vendor delivered by the due time (`VendorPromiseKept`).
    pub async fn keep_vendor_promise(
        &self,
        actor: Actor,
        id: VendorPromiseId,
        if_match: Option<i64>,
    ) -> Result<VendorPromiseView> {
        vendor::keep(self, actor, id, if_match).await
    }
    /// A new due time agreed with the vendor before the old one passed; returns the successor.
    pub async fn renegotiate_vendor_promise(
        &self,
        actor: Actor,
        id: VendorPromiseId,
        if_match: Option<i64>,
        new_due: Timestamp,
        reason: &str,
    ) -> Result<VendorPromiseView> {
        vendor::renegotiate(self, actor, id, if_match, new_due, reason).await
    }
    /// The vendor promises of a problem, by due time.
    pub async fn problem_vendor_promises(
        &self,
        problem: ProblemId,
        now: Timestamp,
    ) -> Result<Vec<VendorPromiseView>> {
        vendor::of_problem(self, problem, now).await
    }
    /// The promises of a vendor, latest due first (at most 200).
    pub async fn vendor_promises_of(
        &self,
        vendor: VendorId,
        now: Timestamp,
    ) -> Result<Vec<VendorPromiseView>> {
        vendor::of_vendor(self, vendor, now).await
    }
    /// The problems a vendor is part of (its origin, or a promise of its), newest first.
    pub async fn vendor_problems(&self, vendor: VendorId) -> Result<Vec<VendorProblem>> {
        vendor::problems_of(self, vendor).await
    }
    /// How each vendor's promises (or one vendor's) ended, counted at `now`, by name.
    pub async fn vendor_reliability(
        &self,
        vendor: Option<VendorId>,
        now: Timestamp,
    ) -> Result<Vec<VendorReliability>> {
        reliability::of(self, vendor, now).await
    }
}

/// The stored name of a prevention status.
pub(crate) fn status_name(s: &PreventionStatus) -> &'static str {
    s.as_str()
}
