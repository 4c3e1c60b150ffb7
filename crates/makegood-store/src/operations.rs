//! The operations on [`Store`], one per action, each delegating to the module of its resource.
//!
//! CONTRACT — the web and CLI crates are written against these signatures.

use jiff::Timestamp;
use makegood_domain::{
    Account, AccountId, Contact, ContactId, Duty, Email, Event, EventKind, Member, MemberId,
    Policies, ProblemId, PromiseId, TokenScope, Vendor, VendorId,
};

use crate::{
    AccountPatch, Actor, ApiToken, Backend, ContactPatch, Delivery, DeliveryFilter, DeliveryStatus,
    MemberPatch, NewAccount, NewContact, NewMember, NewProblem, NewPromise, NewVendor,
    Organisation, Page, PageRequest, ProblemFilter, ProblemPatch, ProblemView, PromiseFilter,
    PromiseView, Reservation, Result, Store, StoredResponse, VendorPatch, accounts, auth, duties,
    idempotency, members, outbox, parties, policies, problems, promises, scheduler, setup,
};

impl Store {
    // --- lifecycle ---------------------------------------------------------------------

    /// Connects to `sqlite://path` (created if missing; WAL, foreign keys, busy timeout,
    /// `synchronous=FULL`) or `postgres://…`.
    pub async fn connect(url: &str) -> Result<Store> {
        Store::open(url).await
    }
    /// Runs pending migrations (embedded in the binary).
    pub async fn migrate(&self) -> Result<()> {
        self.run_migrations().await
    }
    /// Which database this store talks to.
    pub fn backend(&self) -> Backend {
        self.backend
    }
    /// A cheap round trip, for `/healthz`.
    pub async fn ping(&self) -> Result<()> {
        self.db.ping().await.map_err(crate::error::from_db)
    }

    // --- organisation and setup ---------------------------------------------------------

    /// The organisation, once set up.
    pub async fn organisation(&self) -> Result<Option<Organisation>> {
        setup::organisation(self).await
    }
    /// Creates the organisation and its first admin; `Conflict` once any member exists.
    pub async fn initialise(
        &self,
        organisation: &str,
        admin: NewMember,
        now: Timestamp,
    ) -> Result<Member> {
        setup::initialise(self, organisation, admin, now).await
    }
    /// Remembers the hash of a one-time setup token (replacing any earlier one).
    pub async fn set_setup_token(&self, token_hash: &str, now: Timestamp) -> Result<()> {
        setup::set_setup_token(self, token_hash, now).await
    }
    /// Whether `token_hash` is the current, unused setup token and nobody is set up yet.
    pub async fn setup_token_valid(&self, token_hash: &str) -> Result<bool> {
        setup::setup_token_valid(self, token_hash).await
    }
    /// Like [`Store::initialise`], but only with the valid setup token, which it consumes.
    pub async fn initialise_with_token(
        &self,
        token_hash: &str,
        organisation: &str,
        admin: NewMember,
        now: Timestamp,
    ) -> Result<Member> {
        setup::initialise_with_token(self, token_hash, organisation, admin, now).await
    }

    // --- members, sessions, tokens ------------------------------------------------------

    /// Creates a member; `Conflict` when the email is taken.
    pub async fn create_member(&self, member: NewMember, now: Timestamp) -> Result<Member> {
        members::create(self, member, now).await
    }
    /// The member `id`.
    pub async fn member(&self, id: MemberId) -> Result<Member> {
        members::get(self, id).await
    }
    /// Ordered by name, then id.
    pub async fn list_members(&self, page: &PageRequest) -> Result<Page<Member>> {
        members::list(self, page).await
    }
    /// Edits a member; `Conflict` when the new email is taken.
    pub async fn update_member(&self, id: MemberId, patch: MemberPatch) -> Result<Member> {
        members::update(self, id, patch).await
    }
    /// The member with this email and their password hash, for login.
    pub async fn member_credentials(
        &self,
        email: &Email,
    ) -> Result<Option<(Member, Option<String>)>> {
        members::credentials(self, email).await
    }
    /// Replaces a member's password hash.
    pub async fn set_password_hash(&self, id: MemberId, hash: &str) -> Result<()> {
        members::set_password_hash(self, id, hash).await
    }

    /// Records a session (by the hash of its token) until `expires_at`.
    pub async fn create_session(
        &self,
        member: MemberId,
        token_hash: &str,
        csrf_token: &str,
        expires_at: Timestamp,
    ) -> Result<()> {
        auth::create_session(self, member, token_hash, csrf_token, expires_at).await
    }
    /// The member and the session's CSRF token, if the session exists and has not expired.
    pub async fn session(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<Option<(Member, String)>> {
        auth::session(self, token_hash, now).await
    }
    /// Ends a session (signing out); no error if it is already gone.
    pub async fn delete_session(&self, token_hash: &str) -> Result<()> {
        auth::delete_session(self, token_hash).await
    }

    /// Records a read-write API token (by its hash) for `member`.
    pub async fn create_api_token(
        &self,
        member: MemberId,
        name: &str,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<ApiToken> {
        auth::create_api_token(self, member, name, TokenScope::Write, token_hash, now).await
    }
    /// Records an API token (by its hash) for `member` that may do what `scope` allows.
    pub async fn create_scoped_api_token(
        &self,
        member: MemberId,
        name: &str,
        scope: TokenScope,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<ApiToken> {
        auth::create_api_token(self, member, name, scope, token_hash, now).await
    }
    /// Tokens of `member`, or of everyone when `None`; newest first.
    pub async fn list_api_tokens(&self, member: Option<MemberId>) -> Result<Vec<ApiToken>> {
        auth::list_api_tokens(self, member).await
    }
    /// The token `id`, unless revoked.
    pub async fn api_token(&self, id: i64) -> Result<ApiToken> {
        auth::api_token(self, id).await
    }
    /// Revokes a token; `NotFound` if there is none or it was already revoked.
    pub async fn revoke_api_token(&self, id: i64) -> Result<()> {
        auth::revoke_api_token(self, id).await
    }
    /// The member a token belongs to and the token's scope; records its last use.
    pub async fn token_member(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<Option<(Member, TokenScope)>> {
        auth::token_member(self, token_hash, now).await
    }

    // --- accounts, contacts, vendors ----------------------------------------------------

    /// Creates an account.
    pub async fn create_account(&self, account: NewAccount) -> Result<Account> {
        accounts::create(self, account).await
    }
    /// The account `id`.
    pub async fn account(&self, id: AccountId) -> Result<Account> {
        accounts::get(self, id).await
    }
    /// Ordered by name, then id.
    pub async fn list_accounts(
        &self,
        parent: Option<AccountId>,
        page: &PageRequest,
    ) -> Result<Page<Account>> {
        accounts::list(self, parent, page).await
    }
    /// Edits an account; a parent may not be the account itself or one of its locations.
    pub async fn update_account(&self, id: AccountId, patch: AccountPatch) -> Result<Account> {
        accounts::update(self, id, patch).await
    }
    /// Refused (`Conflict`) while problems, contacts or locations refer to it.
    pub async fn delete_account(&self, id: AccountId) -> Result<()> {
        accounts::delete(self, id).await
    }

    /// Creates a contact at an existing account.
    pub async fn create_contact(&self, contact: NewContact) -> Result<Contact> {
        parties::create_contact(self, contact).await
    }
    /// The contact `id`.
    pub async fn contact(&self, id: ContactId) -> Result<Contact> {
        parties::contact(self, id).await
    }
    /// Contacts, of one account or all; ordered by name, then id.
    pub async fn list_contacts(
        &self,
        account: Option<AccountId>,
        page: &PageRequest,
    ) -> Result<Page<Contact>> {
        parties::list_contacts(self, account, page).await
    }
    /// Edits a contact.
    pub async fn update_contact(&self, id: ContactId, patch: ContactPatch) -> Result<Contact> {
        parties::update_contact(self, id, patch).await
    }
    /// Refused (`Conflict`) while a problem or promise refers to it.
    pub async fn delete_contact(&self, id: ContactId) -> Result<()> {
        parties::delete_contact(self, id).await
    }

    /// Creates a vendor.
    pub async fn create_vendor(&self, vendor: NewVendor) -> Result<Vendor> {
        parties::create_vendor(self, vendor).await
    }
    /// The vendor `id`.
    pub async fn vendor(&self, id: VendorId) -> Result<Vendor> {
        parties::vendor(self, id).await
    }
    /// Vendors, ordered by name, then id.
    pub async fn list_vendors(&self, page: &PageRequest) -> Result<Page<Vendor>> {
        parties::list_vendors(self, page).await
    }
    /// Edits a vendor.
    pub async fn update_vendor(&self, id: VendorId, patch: VendorPatch) -> Result<Vendor> {
        parties::update_vendor(self, id, patch).await
    }
    /// Refused (`Conflict`) while a problem refers to it.
    pub async fn delete_vendor(&self, id: VendorId) -> Result<()> {
        parties::delete_vendor(self, id).await
    }

    // --- problems -----------------------------------------------------------------------

    /// Validates (owner may own, accounts and stakeholders exist, stakeholders belong to the
    /// accounts, vendor present exactly when origin is vendor, detected-at not in the future),
    /// then records the problem and its `created` event.
    pub async fn create_problem(&self, actor: Actor, problem: NewProblem) -> Result<ProblemView> {
        problems::create(self, actor, problem).await
    }
    /// The problem `id` with its clocks at `now`.
    pub async fn problem(&self, id: ProblemId, now: Timestamp) -> Result<ProblemView> {
        problems::get(self, id, now).await
    }
    /// Problems matching `filter`, with their clocks at `now`; see [`ProblemSort`](crate::ProblemSort).
    pub async fn list_problems(
        &self,
        filter: &ProblemFilter,
        page: &PageRequest,
        now: Timestamp,
    ) -> Result<Page<ProblemView>> {
        problems::list::list(self, filter, page, now).await
    }
    /// Edits fields (recording an `edited` event); `if_match` is the expected version.
    pub async fn update_problem(
        &self,
        actor: Actor,
        id: ProblemId,
        if_match: Option<i64>,
        patch: ProblemPatch,
    ) -> Result<ProblemView> {
        problems::update(self, actor, id, if_match, patch).await
    }
    /// Appends one event (update, note, waiting, resumed, fixed, confirmed, closed, reopened,
    /// owner changed), checking the state machine; `Conflict` when it does not apply.
    pub async fn record(
        &self,
        actor: Actor,
        id: ProblemId,
        if_match: Option<i64>,
        event: EventKind,
    ) -> Result<ProblemView> {
        problems::record::record(self, actor, id, if_match, event).await
    }
    /// The timeline, oldest first.
    pub async fn timeline(&self, id: ProblemId, page: &PageRequest) -> Result<Page<Event>> {
        problems::record::timeline(self, id, page).await
    }

    // --- promises -----------------------------------------------------------------------

    /// Validates (due in the future, contacts exist and belong to the problem's accounts,
    /// maker may own) and records it, with a `promise_made` event on the problem.
    pub async fn create_promise(&self, actor: Actor, promise: NewPromise) -> Result<PromiseView> {
        promises::create(self, actor, promise).await
    }
    /// The promise `id` with its status and clock at `now`.
    pub async fn promise(&self, id: PromiseId, now: Timestamp) -> Result<PromiseView> {
        promises::get(self, id, now).await
    }
    /// Ordered by due time, then id.
    pub async fn list_promises(
        &self,
        filter: &PromiseFilter,
        page: &PageRequest,
        now: Timestamp,
    ) -> Result<Page<PromiseView>> {
        promises::list::list(self, filter, page, now).await
    }
    /// Ends the promise as kept; `Conflict` once it has ended or its due time has passed.
    pub async fn keep_promise(
        &self,
        actor: Actor,
        id: PromiseId,
        if_match: Option<i64>,
    ) -> Result<PromiseView> {
        promises::moves::keep(self, actor, id, if_match).await
    }
    /// Ends the promise as renegotiated and returns the successor carrying `new_due`.
    pub async fn renegotiate_promise(
        &self,
        actor: Actor,
        id: PromiseId,
        if_match: Option<i64>,
        new_due: Timestamp,
        reason: &str,
    ) -> Result<PromiseView> {
        promises::moves::renegotiate(self, actor, id, if_match, new_due, reason).await
    }
    /// Ends the promise as released by the customer; `Conflict` once ended or past due.
    pub async fn release_promise(
        &self,
        actor: Actor,
        id: PromiseId,
        if_match: Option<i64>,
        reason: &str,
    ) -> Result<PromiseView> {
        promises::moves::release(self, actor, id, if_match, reason).await
    }
    /// Records every open promise whose due time has passed as broken (with a
    /// `promise_broken` event); returns how many.
    pub async fn break_overdue_promises(&self, now: Timestamp) -> Result<usize> {
        promises::moves::break_overdue(self, now).await
    }

    // --- policies and duties ------------------------------------------------------------

    /// The current policies.
    pub async fn policies(&self) -> Result<Policies> {
        policies::get(self).await
    }
    /// Replaces the policies and recomputes the deadlines of every problem not closed.
    pub async fn set_policies(&self, policies: &Policies) -> Result<Policies> {
        policies::set(self, policies).await
    }
    /// What needs doing now, most urgent first: running problem clocks (not paused) and open
    /// promises, for `member` or everyone. At most `limit`.
    pub async fn duties(
        &self,
        member: Option<MemberId>,
        now: Timestamp,
        limit: u32,
    ) -> Result<Vec<Duty>> {
        duties::duties(self, member, now, limit).await
    }

    // --- idempotency --------------------------------------------------------------------

    /// Reserves (`member`, `key`) for a request whose method, target and body hash to
    /// `request_hash`, atomically: of concurrent reservations exactly one gets
    /// [`Reservation::Reserved`]. A pending reservation older than a minute is taken over.
    pub async fn reserve_idempotency_key(
        &self,
        member: MemberId,
        key: &str,
        request_hash: &str,
        now: Timestamp,
    ) -> Result<Reservation> {
        idempotency::reserve(self, member, key, request_hash, now).await
    }
    /// Remembers the response of a reserved request, for replay; does nothing unless the
    /// reservation is still pending.
    pub async fn complete_idempotency_key(
        &self,
        member: MemberId,
        key: &str,
        response: &StoredResponse,
    ) -> Result<()> {
        idempotency::complete(self, member, key, response).await
    }
    /// Drops a pending reservation (the request failed), so a retry with the key runs again.
    pub async fn release_idempotency_key(&self, member: MemberId, key: &str) -> Result<()> {
        idempotency::release(self, member, key).await
    }

    // --- outbox -------------------------------------------------------------------------

    /// Claims up to `limit` messages due at `now` for delivery, leasing each for [`DELIVERY_LEASE`](crate::DELIVERY_LEASE)
    /// and counting the attempt; instances never claim the same message.
    pub async fn claim_deliveries(&self, now: Timestamp, limit: u64) -> Result<Vec<Delivery>> {
        outbox::claim(self, now, limit).await
    }
    /// Hands back claimed messages that were not sent (the sender is stopping): due again at
    /// `now` for any instance, their attempt not counted. Returns how many were handed back.
    pub async fn release_deliveries(&self, claimed: &[Delivery], now: Timestamp) -> Result<u64> {
        outbox::release(self, claimed, now).await
    }
    /// Marks a claimed message delivered; it is never claimed again.
    pub async fn mark_delivered(&self, id: i64, now: Timestamp) -> Result<()> {
        outbox::delivered(self, id, now).await
    }
    /// Records the pending messages about `problems` as delivered when they were queued,
    /// without sending them: for a history loaded after the fact (the demo's past year), whose
    /// mail went out long ago.
    pub async fn settle_past_deliveries(&self, problems: &[ProblemId]) -> Result<u64> {
        let ids: Vec<i64> = problems.iter().map(|p| p.0).collect();
        outbox::delivered_when_queued(self, &ids).await
    }
    /// Records a failed attempt: tried again after an exponential backoff, or failed for good
    /// when `permanent` or after too many attempts. Returns the new status.
    pub async fn mark_failed(
        &self,
        id: i64,
        error: &str,
        permanent: bool,
        now: Timestamp,
    ) -> Result<DeliveryStatus> {
        outbox::failed(self, id, error, permanent, now).await
    }
    /// Sends a failed (or waiting) message again now; `Conflict` once delivered.
    pub async fn retry_delivery(&self, id: i64, now: Timestamp) -> Result<Delivery> {
        outbox::retry(self, id, now).await
    }
    /// The message `id`.
    pub async fn delivery(&self, id: i64) -> Result<Delivery> {
        outbox::get(self, id).await
    }
    /// Messages, newest first.
    pub async fn list_deliveries(
        &self,
        filter: &DeliveryFilter,
        page: &PageRequest,
    ) -> Result<Page<Delivery>> {
        outbox::list(self, filter, page).await
    }
    // --- scheduler ----------------------------------------------------------------------

    /// Fires the clock transitions due at `now` — warnings, breaches, broken promises, each
    /// with its timeline event and alerts — and sends the daily digests due; at most `limit`
    /// timers and `limit` digests. Each fires exactly once, however many processes call this.
    /// Returns how many timers fired and digests were sent.
    pub async fn fire_due(&self, now: Timestamp, limit: u64) -> Result<usize> {
        scheduler::fire_due(self, now, limit).await
    }
    /// When [`Store::fire_due`] next has something to do: the earliest pending timer or
    /// digest (a time long past if a digest awaits scheduling); `None` when nothing is pending.
    pub async fn next_wakeup(&self) -> Result<Option<Timestamp>> {
        scheduler::next_wakeup(self).await
    }

    /// When the earliest pending message is due, if any.
    pub async fn next_delivery_at(&self) -> Result<Option<Timestamp>> {
        outbox::next_attempt(self).await
    }
}
