//! Notices: the messages a change causes, written to the outbox in the change's own transaction.
//!
//! A notice carries everything needed to render and deliver it (a snapshot of names,
//! addresses and texts at the time of the change), so a retry sends the same message whatever
//! has changed since. Rendering (email bodies, webhook JSON, chat text) is the notify layer's.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::duty::{AccountRef, ProblemRef, PromiseRef};
use crate::{ClockKind, Duty, Email, Event, MemberId};

/// Someone a notice is emailed to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Recipient {
    pub name: String,
    pub email: Email,
    /// IANA time zone the message's times are shown in.
    pub time_zone: String,
}

/// What a clock transition asks of a member.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    /// A clock reached its warning time: "have the conversation now". Not critical: it waits
    /// for the member's working hours.
    Warning,
    /// A clock passed its deadline: the owner and every supervisor hear at once.
    Breach,
    /// A promise's due time passed unkept: the owner and every supervisor hear at once.
    PromiseBroken,
}

impl AlertKind {
    /// Critical alerts are sent at once; others wait for the member's working hours.
    pub fn is_critical(self) -> bool {
        !matches!(self, AlertKind::Warning)
    }
}

/// One message to deliver.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Notice {
    /// A customer-visible update, emailed to one stakeholder of the problem.
    CustomerUpdate {
        problem: ProblemRef,
        to: Recipient,
        /// The member who wrote it.
        from_name: String,
        body: String,
        /// Outbox ids of the first and the previous email to this recipient about this
        /// problem, for `In-Reply-To` and `References`; `None` for the first.
        first: Option<i64>,
        previous: Option<i64>,
    },
    /// A clock transition or broken promise, emailed to one member.
    Alert {
        to: Recipient,
        member: MemberId,
        alert: AlertKind,
        clock: ClockKind,
        problem: Option<ProblemRef>,
        promise: Option<PromiseRef>,
        /// What to do, for whom: "Tell Acme about MG-12".
        summary: String,
        #[schema(value_type = String, format = DateTime)]
        due_at: Timestamp,
    },
    /// The day's duties, emailed to one member at the start of their working day.
    Digest {
        to: Recipient,
        member: MemberId,
        duties: Vec<Duty>,
    },
    /// A timeline event for one webhook endpoint (JSON, or a chat message).
    Event {
        webhook: i64,
        event: Event,
        problem: Option<ProblemRef>,
    },
    /// The follow-up survey, emailed to one stakeholder with a sign-in link to the portal,
    /// threaded like the problem's customer updates.
    Survey {
        problem: ProblemRef,
        to: Recipient,
        /// The portal link's secret (`/portal/link/{token}`).
        token: String,
        first: Option<i64>,
        previous: Option<i64>,
    },
    /// A low follow-up answer, emailed at once to the owner and every supervisor and admin.
    LowRating {
        to: Recipient,
        member: MemberId,
        problem: ProblemRef,
        /// The contact who answered, and their account.
        contact: String,
        account: String,
        rating: u8,
        recommend: u8,
        comment: String,
    },
    /// A customer wrote (by email or in the portal), emailed to the problem's owner.
    CustomerWrote {
        to: Recipient,
        member: MemberId,
        problem: ProblemRef,
        /// The contact's name, as it was when they wrote.
        contact: String,
        /// Their account's name.
        account: String,
        /// What they wrote (the reply without the quoted thread).
        body: String,
        /// Strongly negative: the owner owes them a call.
        upset: bool,
    },
    /// A sign-in link to the customer portal, emailed to one contact.
    PortalLink {
        to: Recipient,
        /// The link's secret (only its hash is kept with the link).
        token: String,
        /// The problem it lands on; `None` for the contact's problem list.
        problem: Option<ProblemRef>,
        #[schema(value_type = String, format = DateTime)]
        expires_at: Timestamp,
    },
    /// An account turned red, emailed to its owner (without one, to every supervisor and
    /// admin) at once: review the account.
    AccountRed {
        to: Recipient,
        member: MemberId,
        account: AccountRef,
        /// Its score, 0–100.
        score: u8,
        /// What lowered it, most points first: "2 open problems (1 critical, 1 major)".
        factors: Vec<String>,
    },
}

/// How a notice travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Email,
    Webhook,
}

impl Notice {
    /// The channel it is delivered on.
    pub fn channel(&self) -> Channel {
        match self {
            Notice::Event { .. } => Channel::Webhook,
            _ => Channel::Email,
        }
    }

    /// Who receives it: an email address, or `webhook:<id>`.
    pub fn recipient(&self) -> String {
        match self {
            Notice::CustomerUpdate { to, .. }
            | Notice::Alert { to, .. }
            | Notice::Digest { to, .. } => to.email.to_string(),
            Notice::Event { webhook, .. } => format!("webhook:{webhook}"),
            Notice::Survey { to, .. }
            | Notice::LowRating { to, .. }
            | Notice::CustomerWrote { to, .. }
            | Notice::PortalLink { to, .. }
            | Notice::AccountRed { to, .. } => to.email.to_string(),
        }
    }
}
