//! makegood's domain: the language of service recovery as types, state machines and clocks.
//!
//! Pure: no I/O, no async, no clock. "Now" is always a parameter.

pub mod calendar;
pub mod clock;
pub mod duty;
pub mod event;
pub mod ids;
pub mod member;
pub mod money;
pub mod net;
pub mod notice;
pub mod party;
pub mod policy;
pub mod prevention;
pub mod problem;
pub mod promise;
pub mod remedy;
pub mod sentiment;
pub mod state;
pub mod text;

#[cfg(test)]
mod testing;

pub use calendar::{Calendar, CalendarError, CalendarSpec, Interval, OpenHours, WeeklyHours};
pub use clock::{Clock, ClockKind, ClockState};
pub use duty::{Duty, DutyKind};
pub use event::{Event, EventKind};
pub use ids::{
    AccountId, ContactId, EventId, MemberId, ProblemId, ProblemNumber, PromiseId, VendorId,
};
pub use member::{Action, Member, Preferences, Role};
pub use money::{Currency, Money};
pub use notice::{AlertKind, Channel, Notice, Recipient};
pub use party::{Account, Contact, Vendor};
pub use policy::{Policies, Policy};
pub use prevention::{Prevention, PreventionError, PreventionId, PreventionStatus};
pub use problem::{Origin, Outcome, Problem, Severity, Status, WaitingOn};
pub use promise::{Promise, PromiseError, PromiseStatus};
pub use promise::{PromiseRecord, Rate};
pub use remedy::{Remedy, RemedyError, RemedyId, RemedyKind, RemedyStatus, VendorShare};
pub use sentiment::Sentiment;
pub use state::ProblemState;
pub use text::{Email, TextError};
