//! The store's public API: the handle, inputs and views; the operations on [`Store`] are in `operations.rs`.
//!
//! CONTRACT — the web and CLI crates are written against these signatures.

use jiff::Timestamp;
use makegood_domain::{
    AccountId, CalendarSpec, Channel, Clock, ClockState, ContactId, Email, MemberId, Money, Notice,
    Origin, Problem, ProblemId, Promise, PromiseStatus, Role, Severity, Status, TokenScope,
    VendorId,
};
use serde::Serialize;

/// A handle on the database; cheap to clone.
#[derive(Clone)]
pub struct Store {
    /// Reads (and, on PostgreSQL, everything).
    pub(crate) db: sea_orm::DatabaseConnection,
    /// Writes. On SQLite one connection of its own, so writers queue in order in the process
    /// instead of sleeping on SQLite's busy handler; on PostgreSQL the same pool as `db`.
    pub(crate) writer: sea_orm::DatabaseConnection,
    pub(crate) backend: Backend,
}

/// Which database a [`Store`] talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// SQLite: one file, the embedded default.
    Sqlite,
    /// PostgreSQL: for teams that outgrow one machine.
    Postgres,
}

/// One page of a keyset-paginated list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass back as `cursor` for the next page; `None` on the last page.
    pub next_cursor: Option<String>,
}

/// Where to start and how many (1..=200, default 50).
#[derive(Clone, Debug, Default)]
pub struct PageRequest {
    pub cursor: Option<String>,
    pub limit: Option<u32>,
}

/// The organisation using this makegood.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Organisation {
    pub name: String,
}

/// A member to create (name 1..=120 characters, an IANA time zone).
#[derive(Clone, Debug)]
pub struct NewMember {
    pub name: String,
    pub email: Email,
    pub role: Role,
    pub remedy_authority: Money,
    pub time_zone: String,
    /// argon2id PHC string; `None` for a member who signs in only with a token.
    pub password_hash: Option<String>,
}

/// Fields to change; `None` leaves a field as it is.
#[derive(Clone, Debug, Default)]
pub struct MemberPatch {
    pub name: Option<String>,
    pub email: Option<Email>,
    pub role: Option<Role>,
    pub remedy_authority: Option<Money>,
    pub time_zone: Option<String>,
    pub active: Option<bool>,
}

/// An account to create (name 1..=200 characters; the parent must exist).
#[derive(Clone, Debug)]
pub struct NewAccount {
    pub name: String,
    pub parent: Option<AccountId>,
    pub tier: Option<String>,
}

/// Fields to change; `None` leaves a field as it is, `Some(None)` clears it.
#[derive(Clone, Debug, Default)]
pub struct AccountPatch {
    pub name: Option<String>,
    pub parent: Option<Option<AccountId>>,
    pub tier: Option<Option<String>>,
    /// The member who looks after it: active and not a viewer.
    pub owner: Option<Option<MemberId>>,
}

/// A contact to create at an existing account.
#[derive(Clone, Debug)]
pub struct NewContact {
    pub account: AccountId,
    pub name: String,
    pub role_title: String,
    pub email: Option<Email>,
    pub phone: Option<String>,
}

/// Fields to change; `None` leaves a field as it is, `Some(None)` clears it.
#[derive(Clone, Debug, Default)]
pub struct ContactPatch {
    pub name: Option<String>,
    pub role_title: Option<String>,
    pub email: Option<Option<Email>>,
    pub phone: Option<Option<String>>,
}

/// A vendor to create.
#[derive(Clone, Debug)]
pub struct NewVendor {
    pub name: String,
    pub email: Option<Email>,
}

/// Fields to change; `None` leaves a field as it is, `Some(None)` clears it.
#[derive(Clone, Debug, Default)]
pub struct VendorPatch {
    pub name: Option<String>,
    pub email: Option<Option<Email>>,
}

/// A problem to record (title 1..=200, description ≤ 20,000, category ≤ 80 characters).
#[derive(Clone, Debug)]
pub struct NewProblem {
    pub title: String,
    pub description: String,
    pub origin: Origin,
    pub vendor: Option<VendorId>,
    pub severity: Severity,
    pub category: String,
    pub owner: MemberId,
    pub accounts: Vec<AccountId>,
    pub stakeholders: Vec<ContactId>,
    /// Defaults to `now` when `None`; may be earlier, never later than `now`.
    pub detected_at: Option<Timestamp>,
    /// Also affect every location (descendant) of the named accounts, as they are now.
    pub include_locations: bool,
    /// Keep every contact of every affected account informed (then `stakeholders` is empty).
    pub all_stakeholders: bool,
}

/// Fields to change; `None` leaves a field as it is. Ownership changes go through
/// [`Store::record`] with [`EventKind::OwnerChanged`].
#[derive(Clone, Debug, Default)]
pub struct ProblemPatch {
    pub title: Option<String>,
    pub description: Option<String>,
    pub origin: Option<Origin>,
    pub vendor: Option<Option<VendorId>>,
    pub severity: Option<Severity>,
    pub category: Option<String>,
    pub accounts: Option<Vec<AccountId>>,
    pub stakeholders: Option<Vec<ContactId>>,
    pub detected_at: Option<Timestamp>,
    /// Add every location (descendant) of the accounts — the new list, or the current one.
    pub include_locations: bool,
    /// `Some(true)`: every contact of every affected account; `Some(false)`: only the
    /// listed `stakeholders`. Naming `stakeholders` alone turns it off.
    pub all_stakeholders: Option<bool>,
}

/// A problem with its clocks at `now`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProblemView {
    #[serde(flatten)]
    pub problem: Problem,
    pub clocks: Vec<Clock>,
    /// The worst state of the running clocks, `None` if none runs.
    pub clock_state: Option<ClockState>,
    /// The earlier problems this one was flagged as recurring, latest first.
    pub recurrences: Vec<crate::Recurrence>,
    /// The customer's latest word was strongly negative (or a low follow-up rating), and the
    /// owner has not called them since.
    pub customer_upset: bool,
}

/// How to order a problem list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ProblemSort {
    /// Earliest next deadline first; problems with nothing running last. The default.
    #[default]
    NextDeadline,
    /// Newest first.
    Newest,
    /// Oldest first.
    Oldest,
    /// Most severe first, then earliest next deadline.
    Severity,
}

/// Which problems to list, and in which order; the filters combine.
#[derive(Clone, Debug, Default)]
pub struct ProblemFilter {
    pub status: Option<Status>,
    /// Only problems not closed.
    pub open: Option<bool>,
    pub owner: Option<MemberId>,
    pub account: Option<AccountId>,
    pub severity: Option<Severity>,
    pub origin: Option<Origin>,
    /// The worst running clock: only `ok`, `warning` and `breached` are meaningful.
    pub clock_state: Option<ClockState>,
    /// Words that must each start a word of the title, an update or a note (any case).
    pub text: Option<String>,
    pub sort: ProblemSort,
}

/// A promise to make (what 1..=500 characters, at least one contact, due in the future).
#[derive(Clone, Debug)]
pub struct NewPromise {
    pub what: String,
    pub contacts: Vec<ContactId>,
    pub made_by: MemberId,
    pub problem: Option<ProblemId>,
    pub due_at: Timestamp,
}

/// A promise with its clock and status at `now`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PromiseView {
    #[serde(flatten)]
    pub promise: Promise,
    /// The status at `now` (an open promise past due is broken).
    pub state: PromiseStatus,
    pub clock: Clock,
}

/// Which promises to list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PromiseListState {
    Open,
    /// Open and in warning.
    AtRisk,
    Kept,
    Broken,
    Renegotiated,
    Released,
}

/// Which promises to list (ordered by due time, then id); the filters combine.
#[derive(Clone, Debug, Default)]
pub struct PromiseFilter {
    pub state: Option<PromiseListState>,
    pub made_by: Option<MemberId>,
    pub account: Option<AccountId>,
    pub problem: Option<ProblemId>,
    pub due_before: Option<Timestamp>,
}

/// An API token as listed (the secret is never stored, only its hash).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ApiToken {
    pub id: i64,
    pub member: MemberId,
    pub name: String,
    pub created_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
    pub scope: TokenScope,
}

/// A response remembered for an `Idempotency-Key`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredResponse {
    /// SHA-256 of method, path and body of the first request.
    pub request_hash: String,
    pub status: u16,
    pub body: String,
}

/// What reserving an `Idempotency-Key` found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reservation {
    /// The key is now held by this request (new, or taken over from a request that was
    /// pending for over a minute, so its process died): run it, then complete or release.
    Reserved,
    /// An earlier request with this key and body completed; answer with its response.
    Replay(StoredResponse),
    /// An earlier request with this key and body is still running.
    InFlight,
    /// The key was used for a different request.
    Mismatch,
}

/// Who is acting, and when. Every write takes one.
#[derive(Clone, Copy, Debug)]
pub struct Actor {
    pub member: MemberId,
    pub now: Timestamp,
}

/// Where an outbox message stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// Waiting for its next attempt (or being sent right now).
    Pending,
    /// Accepted by the receiving server; never sent again.
    Delivered,
    /// Given up after too many attempts or a permanent refusal; can be retried by hand.
    Failed,
}

/// One message in the outbox.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Delivery {
    pub id: i64,
    pub channel: Channel,
    /// An email address, or `webhook:<id>`.
    pub recipient: String,
    pub problem: Option<ProblemId>,
    pub notice: Notice,
    pub status: DeliveryStatus,
    /// Attempts so far (a claim counts as one).
    pub attempts: u32,
    /// When it is tried next (while pending).
    pub next_attempt_at: Timestamp,
    pub last_error: Option<String>,
    pub created_at: Timestamp,
    pub delivered_at: Option<Timestamp>,
}

/// Which outbox messages to list (newest first); the filters combine.
#[derive(Clone, Debug, Default)]
pub struct DeliveryFilter {
    pub status: Option<DeliveryStatus>,
    pub problem: Option<ProblemId>,
}

/// A named business calendar.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CalendarRecord {
    pub id: i64,
    pub name: String,
    #[serde(flatten)]
    pub spec: CalendarSpec,
}

/// What a webhook endpoint speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WebhookKind {
    /// JSON event payloads, signed with HMAC-SHA256.
    Json,
    /// Slack-compatible incoming webhook: `{"text": …}`.
    Chat,
}

/// A webhook endpoint to create (name 1..=100 characters; an http(s) URL).
#[derive(Clone, Debug)]
pub struct NewWebhook {
    pub name: String,
    pub url: String,
    pub kind: WebhookKind,
    /// Event type names to send (e.g. `update`, `clock_breached`); empty for all.
    pub events: Vec<String>,
    /// Allow loopback and private addresses (refused by default, against SSRF).
    pub allow_private: bool,
}

/// Fields to change; `None` leaves a field as it is.
#[derive(Clone, Debug, Default)]
pub struct WebhookPatch {
    pub name: Option<String>,
    pub url: Option<String>,
    pub events: Option<Vec<String>>,
    pub allow_private: Option<bool>,
    pub active: Option<bool>,
}

/// A webhook endpoint. The secret signs JSON payloads; it is shown to admins.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Webhook {
    pub id: i64,
    pub name: String,
    pub url: String,
    pub kind: WebhookKind,
    pub secret: String,
    pub events: Vec<String>,
    pub allow_private: bool,
    pub active: bool,
    pub created_at: Timestamp,
}

/// One stakeholder's follow-up survey about a problem: when it was sent, and their answer
/// once given.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SurveyView {
    pub problem: ProblemId,
    pub contact: ContactId,
    pub contact_name: String,
    pub sent_at: Timestamp,
    pub answered_at: Option<Timestamp>,
    /// 1 (very poor) to 5 (excellent), once answered.
    pub rating: Option<u8>,
    /// Would they recommend us: 0 to 10, once answered.
    pub recommend: Option<u8>,
    pub comment: Option<String>,
    /// Answered with a rating of 1–2 or a recommend of 0–6: the owner and supervisors heard.
    pub low: bool,
}

/// A survey with the problem it is about, as an account's history shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AccountSurvey {
    pub problem: makegood_domain::duty::ProblemRef,
    pub survey: SurveyView,
}

/// How an account's contacts answered their follow-up surveys.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SurveySummary {
    pub sent: u64,
    pub answered: u64,
    /// The mean rating of the answers; `None` before the first.
    pub average_rating: Option<f64>,
    /// Net promoter score: % promoters (9–10) − % detractors (0–6) of the answers, −100..=100;
    /// `None` before the first.
    pub nps: Option<i64>,
    /// The latest answers, newest first.
    pub latest: Vec<AccountSurvey>,
}

/// How one closed problem of an account ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OutcomeEntry {
    pub problem: makegood_domain::duty::ProblemRef,
    pub closed_at: Timestamp,
    pub outcome: makegood_domain::Outcome,
}
