//! The customer portal: single-use sign-in links for a contact, their sessions, and what a
//! contact may see and do — always scoped to the contact's own account.
//!
//! Every read and action takes the signed-in contact and answers `NotFound` for a problem
//! that does not affect the contact's account, exactly as for one that does not exist, so
//! the portal never tells a contact that another account's problem is there.

mod actions;
pub(crate) mod links;
mod reads;
pub(crate) mod sessions;

use jiff::Timestamp;
use makegood_domain::{
    AccountId, ContactId, MemberId, ProblemId, ProblemNumber, PromiseId, PromiseStatus, Status,
};
use serde::Serialize;

use crate::{Page, PageRequest, Result, Store};

pub use links::LINK_LIFETIME;
pub use sessions::SESSION_LIFETIME;

/// A contact as the portal knows them: who they are, their account, the zone times are shown in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PortalContact {
    pub id: ContactId,
    pub name: String,
    pub email: Option<String>,
    pub account: AccountId,
    pub account_name: String,
    /// The organisation's time zone (its first admin's), UTC when unknown.
    pub time_zone: String,
}

/// A signed-in contact and their session's CSRF token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PortalSession {
    pub contact: PortalContact,
    pub csrf: String,
}

/// A freshly issued sign-in link: the secret goes into one email (or the CLI's output) only.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssuedLink {
    pub secret: String,
    pub contact: PortalContact,
    pub problem: Option<ProblemId>,
    pub expires_at: Timestamp,
}

/// Why a sign-in link does not work; said to the contact so they know to ask for a new one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkRefusal {
    /// No such link (mistyped, or never issued).
    Unknown,
    /// It was used already: links work once.
    Used,
    /// Past its expiry time.
    Expired,
    /// The team revoked the contact's portal access.
    Revoked,
}

impl LinkRefusal {
    /// What to tell the person holding the link.
    pub fn message(self) -> &'static str {
        match self {
            LinkRefusal::Unknown => {
                "This sign-in link is not valid. Check that the whole link was copied, or ask for a new one below."
            }
            LinkRefusal::Used => {
                "This sign-in link has been used already: each link works once. Ask for a new one below."
            }
            LinkRefusal::Expired => "This sign-in link has expired. Ask for a new one below.",
            LinkRefusal::Revoked => {
                "This sign-in link was withdrawn by the team. Ask for a new one below, or contact them."
            }
        }
    }
}

/// A link that can be used: whose it is and where it lands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkLanding {
    pub contact: PortalContact,
    pub problem: Option<ProblemId>,
}

/// What revoking a contact's portal access ended.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Revoked {
    /// Unused links withdrawn.
    pub links: u64,
    /// Sessions signed out.
    pub sessions: u64,
}

/// A problem as its customer sees it in the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PortalProblem {
    pub id: ProblemId,
    pub number: ProblemNumber,
    pub title: String,
    pub status: Status,
    pub detected_at: Timestamp,
    /// The latest customer-visible update, if there is one.
    pub last_update_at: Option<Timestamp>,
}

/// One entry of a problem's timeline as the customer sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PortalEntry {
    /// A customer-visible update from the team.
    Update {
        at: Timestamp,
        from: String,
        body: String,
    },
    /// The contact's own reply (in the portal or by email).
    Reply {
        at: Timestamp,
        body: String,
        by_email: bool,
    },
    /// The contact confirmed the fix.
    Confirmed { at: Timestamp },
}

impl PortalEntry {
    /// When it happened.
    pub fn at(&self) -> Timestamp {
        match self {
            PortalEntry::Update { at, .. }
            | PortalEntry::Reply { at, .. }
            | PortalEntry::Confirmed { at } => *at,
        }
    }
}

/// A promise made to the contact's account, with its state at `now`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PortalPromise {
    pub id: PromiseId,
    pub what: String,
    pub problem: Option<ProblemNumber>,
    pub made_at: Timestamp,
    pub due_at: Timestamp,
    /// At `now`: an open promise past due is broken.
    pub state: PromiseStatus,
    pub ended_at: Option<Timestamp>,
    /// The new due time, when it was renegotiated.
    pub new_due_at: Option<Timestamp>,
}

/// One problem with what its customer may see of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PortalProblemDetail {
    pub problem: PortalProblem,
    /// Oldest first.
    pub entries: Vec<PortalEntry>,
    /// The promises about it made to the contact's account, by due time.
    pub promises: Vec<PortalPromise>,
    /// The team says it is fixed: the contact may confirm it works.
    pub may_confirm: bool,
    /// The contact confirmed it.
    pub confirmed: bool,
}

impl Store {
    /// Issues a sign-in link for `contact` landing on `problem` (which must affect the
    /// contact's account) without sending it: for the CLI, the one place a secret is shown.
    pub async fn issue_portal_link(
        &self,
        contact: ContactId,
        problem: Option<ProblemId>,
        created_by: Option<MemberId>,
        now: Timestamp,
    ) -> Result<IssuedLink> {
        links::issue(self, contact, problem, created_by, now, false).await
    }

    /// Issues a sign-in link for `contact` and emails it to them through the outbox, in one
    /// transaction. `Invalid` on `email` when the contact has no address.
    pub async fn send_portal_link(
        &self,
        contact: ContactId,
        problem: Option<ProblemId>,
        created_by: Option<MemberId>,
        now: Timestamp,
    ) -> Result<IssuedLink> {
        links::issue(self, contact, problem, created_by, now, true).await
    }

    /// The contacts whose address is `email` (any case), oldest first; several when one
    /// person is a contact at more than one account.
    pub async fn portal_contacts_with_email(
        &self,
        email: &makegood_domain::Email,
    ) -> Result<Vec<PortalContact>> {
        links::contacts_with_email(self, email).await
    }

    /// A contact asked for a link with their address: emails one to the contact with that
    /// address (any case), if there is one. Says nothing about whether there was.
    pub async fn request_portal_link(
        &self,
        email: &makegood_domain::Email,
        now: Timestamp,
    ) -> Result<()> {
        links::request(self, email, now).await
    }

    /// Whether the link with `secret` would work now, without using it (mail scanners fetch links).
    pub async fn check_portal_link(
        &self,
        secret: &str,
        now: Timestamp,
    ) -> Result<Result<LinkLanding, LinkRefusal>> {
        links::check(self, secret, now).await
    }

    /// Uses the link with `secret` once and starts a portal session (the cookie's secret
    /// kept as `session_hash`, with `csrf`), in one transaction; refused with the reason.
    pub async fn use_portal_link(
        &self,
        secret: &str,
        session_hash: &str,
        csrf: &str,
        now: Timestamp,
    ) -> Result<Result<LinkLanding, LinkRefusal>> {
        links::consume(self, secret, session_hash, csrf, now).await
    }

    /// The contact signed in with the session `session_hash`, unless it expired.
    pub async fn portal_session(
        &self,
        session_hash: &str,
        now: Timestamp,
    ) -> Result<Option<PortalSession>> {
        sessions::get(self, session_hash, now).await
    }

    /// Signs the portal session `session_hash` out.
    pub async fn end_portal_session(&self, session_hash: &str) -> Result<()> {
        sessions::end(self, session_hash).await
    }

    /// The team withdraws `contact`'s portal access: unused links revoked, sessions ended.
    pub async fn revoke_portal_access(
        &self,
        contact: ContactId,
        now: Timestamp,
    ) -> Result<Revoked> {
        sessions::revoke(self, contact, now).await
    }

    /// The problems affecting `contact`'s account: open ones first, then closed, newest first.
    pub async fn portal_problems(
        &self,
        contact: ContactId,
        page: &PageRequest,
    ) -> Result<Page<PortalProblem>> {
        reads::problems(self, contact, page).await
    }

    /// Problem `problem` as `contact` may see it; `NotFound` unless it affects their account.
    pub async fn portal_problem(
        &self,
        contact: ContactId,
        problem: ProblemId,
        now: Timestamp,
    ) -> Result<PortalProblemDetail> {
        reads::problem(self, contact, problem, now).await
    }

    /// The promises made to `contact`'s account (its contacts), by due time.
    pub async fn portal_promises(
        &self,
        contact: ContactId,
        page: &PageRequest,
        now: Timestamp,
    ) -> Result<Page<PortalPromise>> {
        reads::promises(self, contact, page, now).await
    }

    /// `contact` replies on `problem` in the portal: `CustomerReplied` on its timeline,
    /// scored for sentiment. `NotFound` unless it affects their account.
    pub async fn portal_reply(
        &self,
        contact: ContactId,
        problem: ProblemId,
        body: &str,
        now: Timestamp,
    ) -> Result<()> {
        actions::reply(self, contact, problem, body, now).await
    }

    /// `contact` confirms `problem` is fixed ("it works now"): `Confirmed` by them. `Conflict`
    /// unless the team has marked it fixed; `NotFound` unless it affects their account.
    pub async fn portal_confirm(
        &self,
        contact: ContactId,
        problem: ProblemId,
        now: Timestamp,
    ) -> Result<()> {
        actions::confirm(self, contact, problem, now).await
    }
}
