//! The operations on [`Store`] for calendars, webhooks, member preferences and calendar feeds.

use jiff::Timestamp;
use makegood_domain::{CalendarSpec, Member, MemberId, Preferences};

use crate::{
    CalendarRecord, NewWebhook, Page, PageRequest, Result, Store, Webhook, WebhookPatch, calendars,
    feeds, preferences, webhooks,
};

impl Store {
    // --- calendars ----------------------------------------------------------------------

    /// Creates a business calendar; `Invalid` names the field of a spec that does not build
    /// (`zone`, `hours.monday[0].open` …); `Conflict` when the name is taken.
    pub async fn create_calendar(
        &self,
        name: &str,
        spec: CalendarSpec,
        now: Timestamp,
    ) -> Result<CalendarRecord> {
        calendars::create(self, name, spec, now).await
    }
    /// The calendar `id`.
    pub async fn calendar(&self, id: i64) -> Result<CalendarRecord> {
        calendars::get(self, id).await
    }
    /// Ordered by name, then id.
    pub async fn list_calendars(&self, page: &PageRequest) -> Result<Page<CalendarRecord>> {
        calendars::list(self, page).await
    }
    /// Renames a calendar and/or replaces its spec; a new spec recomputes every open clock.
    pub async fn update_calendar(
        &self,
        id: i64,
        name: Option<&str>,
        spec: Option<CalendarSpec>,
    ) -> Result<CalendarRecord> {
        calendars::update(self, id, name, spec).await
    }
    /// Refused (`Conflict`) while a policy uses it.
    pub async fn delete_calendar(&self, id: i64) -> Result<()> {
        calendars::delete(self, id).await
    }

    // --- webhooks -----------------------------------------------------------------------

    /// Creates a webhook endpoint signing with `secret`; refuses private targets unless
    /// allowed, and event names that [`EventKind::name`](makegood_domain::EventKind::name)
    /// does not return.
    pub async fn create_webhook(
        &self,
        webhook: NewWebhook,
        secret: &str,
        now: Timestamp,
    ) -> Result<Webhook> {
        webhooks::create(self, webhook, secret, now).await
    }
    /// The webhook `id`.
    pub async fn webhook(&self, id: i64) -> Result<Webhook> {
        webhooks::get(self, id).await
    }
    /// Every webhook, ordered by name, then id.
    pub async fn list_webhooks(&self) -> Result<Vec<Webhook>> {
        webhooks::list(self).await
    }
    /// Edits a webhook, checking the URL against the allowance it ends up with.
    pub async fn update_webhook(&self, id: i64, patch: WebhookPatch) -> Result<Webhook> {
        webhooks::update(self, id, patch).await
    }
    /// Replaces a webhook's signing secret.
    pub async fn rotate_webhook_secret(&self, id: i64, secret: &str) -> Result<Webhook> {
        webhooks::rotate_secret(self, id, secret).await
    }
    /// Deletes a webhook.
    pub async fn delete_webhook(&self, id: i64) -> Result<()> {
        webhooks::delete(self, id).await
    }

    // --- member preferences -------------------------------------------------------------

    /// A member's preferences (the defaults if none are stored).
    pub async fn preferences(&self, member: MemberId) -> Result<Preferences> {
        preferences::get(self, member).await
    }
    /// Replaces a member's preferences; the working hours must build in the member's time
    /// zone. The next digest is rescheduled.
    pub async fn set_preferences(
        &self,
        member: MemberId,
        preferences: Preferences,
    ) -> Result<Preferences> {
        preferences::set(self, member, preferences).await
    }

    // --- calendar feeds -----------------------------------------------------------------

    /// Gives `member` a calendar feed by the hash of its secret, replacing any earlier one.
    pub async fn set_feed_token(
        &self,
        member: MemberId,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<()> {
        feeds::set_token(self, member, token_hash, now).await
    }
    /// Revokes `member`'s calendar feed; whether there was one.
    pub async fn revoke_feed_token(&self, member: MemberId) -> Result<bool> {
        feeds::revoke(self, member).await
    }
    /// The active member whose feed secret hashes to `token_hash`.
    pub async fn feed_member(&self, token_hash: &str) -> Result<Option<Member>> {
        feeds::member_of(self, token_hash).await
    }
}
