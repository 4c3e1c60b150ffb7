//! makegood's domain: the language of service recovery as types, state machines and clocks.
//!
//! Pure: no I/O, no async, no clock. "Now" is always a parameter.

pub mod calendar;
pub mod clock;
pub mod duty;
pub mod event;
pub mod failure;
pub mod followup;
pub mod health;
pub mod ids;
pub mod member;
pub mod money;
pub mod net;
pub mod notice;
pub mod party;
pub mod playbook;
pub mod policy;
pub mod prevention;
pub mod problem;
pub mod promise;
pub mod remedy;
pub mod report;
pub mod sentiment;
pub mod state;
pub mod text;
pub mod vendor_promise;

#[cfg(test)]
mod testing;

pub use calendar::{Calendar, CalendarError, CalendarSpec, Interval, OpenHours, WeeklyHours};
pub use clock::{Clock, ClockKind, ClockState};
pub use duty::{Duty, DutyKind};
pub use event::{Event, EventKind};
pub use failure::{FailureEntry, FailureFields, FailureId, FailureLevel};
pub use followup::{FollowUp, FollowUpError, Recommender};
pub use ids::{
    AccountId, ContactId, EventId, MemberId, ProblemId, ProblemNumber, PromiseId, VendorId,
    VendorPromiseId,
};
pub use member::{Action, Member, Preferences, Role, TokenScope};
pub use money::{AmountError, Currency, Money};
pub use notice::{AlertKind, Channel, Notice, Recipient};
pub use party::{Account, Contact, Vendor};
pub use playbook::{Checklist, ChecklistItem, Playbook, PlaybookId, TemplateKind, Templates};
pub use policy::{Policies, Policy};
pub use prevention::{Prevention, PreventionError, PreventionId, PreventionStatus};
pub use problem::{Origin, Outcome, Problem, Severity, Status, WaitingOn};
pub use promise::{Promise, PromiseError, PromiseStatus};
pub use promise::{PromiseRecord, Rate};
pub use remedy::{
    NewRemedy, Remedy, RemedyApproval, RemedyError, RemedyId, RemedyKind, RemedyStatus, VendorShare,
};
pub use report::{Month, Report, ReportFilter};
pub use sentiment::Sentiment;
pub use state::ProblemState;
pub use text::{Email, TextError};
pub use vendor_promise::VendorPromise;
