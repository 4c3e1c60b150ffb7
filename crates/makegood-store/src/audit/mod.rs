//! The audit trail: an append-only record of sign-ins, API token use and changes to who may
//! do what. Permission changes are recorded in the transaction that makes them.

pub(crate) mod entity;
pub mod throttle;

use jiff::Timestamp;
use makegood_domain::MemberId;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    NotSet, QueryFilter, QueryOrder, QuerySelect,
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use self::entity::audit_event;
use crate::convert::{from_db, micros, name_of, parse_name, to_db};
use crate::cursor::{Cursor, Keyset, page};
use crate::db::{api_token, session};
use crate::error::DbResult;
use crate::{
    Actor, Invitation, MemberPatch, NewMember, Page, PageRequest, Result, Store, StoreError,
};

const LIST: &str = "audit";

/// A token's use is recorded at most this often (unless it comes from a new address).
pub const TOKEN_USE_EVERY: jiff::SignedDuration = jiff::SignedDuration::from_hours(1);

/// What an audit event records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditKind {
    /// A member signed in with their password.
    SignIn,
    /// A sign-in with a wrong email or password.
    SignInFailed,
    /// A sign-in refused, unchecked, because of too many recent failures.
    SignInRefused,
    SignOut,
    TokenCreated,
    TokenRevoked,
    /// An API token was used (at most hourly per token, or from a new address).
    TokenUsed,
    /// A member was added with an invitation to set their password.
    MemberInvited,
    /// A member was added with a password (API).
    MemberAdded,
    /// An invited member set their password.
    MemberJoined,
    RoleChanged,
    AuthorityChanged,
    MemberDeactivated,
    MemberReactivated,
    PasswordChanged,
    PoliciesChanged,
}

impl AuditKind {
    /// Every kind, in the order above.
    pub const ALL: [AuditKind; 16] = [
        AuditKind::SignIn,
        AuditKind::SignInFailed,
        AuditKind::SignInRefused,
        AuditKind::SignOut,
        AuditKind::TokenCreated,
        AuditKind::TokenRevoked,
        AuditKind::TokenUsed,
        AuditKind::MemberInvited,
        AuditKind::MemberAdded,
        AuditKind::MemberJoined,
        AuditKind::RoleChanged,
        AuditKind::AuthorityChanged,
        AuditKind::MemberDeactivated,
        AuditKind::MemberReactivated,
        AuditKind::PasswordChanged,
        AuditKind::PoliciesChanged,
    ];

    /// The kind's name in the API and the database, e.g. `sign_in_failed`.
    pub fn as_str(self) -> String {
        name_of(&self)
    }

    /// The kind named `s`.
    pub fn parse(s: &str) -> Option<AuditKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The kind in words, for people.
    pub fn label(self) -> &'static str {
        match self {
            AuditKind::SignIn => "Signed in",
            AuditKind::SignInFailed => "Sign-in failed",
            AuditKind::SignInRefused => "Sign-in refused (too many failures)",
            AuditKind::SignOut => "Signed out",
            AuditKind::TokenCreated => "API token created",
            AuditKind::TokenRevoked => "API token revoked",
            AuditKind::TokenUsed => "API token used",
            AuditKind::MemberInvited => "Member invited",
            AuditKind::MemberAdded => "Member added",
            AuditKind::MemberJoined => "Member joined",
            AuditKind::RoleChanged => "Role changed",
            AuditKind::AuthorityChanged => "Spending authority changed",
            AuditKind::MemberDeactivated => "Member deactivated",
            AuditKind::MemberReactivated => "Member reactivated",
            AuditKind::PasswordChanged => "Password changed",
            AuditKind::PoliciesChanged => "Policies changed",
        }
    }
}

/// An event to record.
#[derive(Clone, Debug)]
pub struct NewAuditEvent {
    pub kind: AuditKind,
    /// Who did it, when known.
    pub actor: Option<MemberId>,
    /// The member it concerns, if any.
    pub member: Option<MemberId>,
    /// What it concerns, in words (an email, `token 3`, `policies`).
    pub subject: String,
    /// Particulars: a JSON object.
    pub detail: Value,
    pub client_ip: Option<String>,
}

impl NewAuditEvent {
    /// An event of `kind` about `subject`, with no actor, member, detail or address yet.
    pub fn new(kind: AuditKind, subject: impl Into<String>) -> Self {
        Self {
            kind,
            actor: None,
            member: None,
            subject: subject.into(),
            detail: json!({}),
            client_ip: None,
        }
    }

    pub fn by(mut self, actor: MemberId) -> Self {
        self.actor = Some(actor);
        self
    }

    pub fn about(mut self, member: MemberId) -> Self {
        self.member = Some(member);
        self
    }

    pub fn detail(mut self, detail: Value) -> Self {
        self.detail = detail;
        self
    }

    pub fn from_ip(mut self, ip: Option<String>) -> Self {
        self.client_ip = ip;
        self
    }
}

/// A recorded event.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AuditEvent {
    pub id: i64,
    pub at: Timestamp,
    pub kind: AuditKind,
    pub actor: Option<MemberId>,
    pub member: Option<MemberId>,
    pub subject: String,
    pub detail: Value,
    pub client_ip: Option<String>,
}

/// Which events to list (newest first); the filters combine.
#[derive(Clone, Debug, Default)]
pub struct AuditFilter {
    pub kind: Option<AuditKind>,
    /// Events by or about this member.
    pub member: Option<MemberId>,
}

fn to_event(row: audit_event::Model) -> Result<AuditEvent> {
    Ok(AuditEvent {
        id: row.id,
        at: from_db(row.at)?,
        kind: parse_name(&row.kind)?,
        actor: row.actor_id.map(MemberId),
        member: row.member_id.map(MemberId),
        subject: row.subject,
        detail: serde_json::from_str(&row.detail)
            .map_err(|e| StoreError::Database(format!("audit detail: {e}")))?,
        client_ip: row.client_ip,
    })
}

/// Appends `event` at `now` inside the caller's transaction.
pub(crate) async fn record<C: ConnectionTrait>(
    c: &C,
    event: NewAuditEvent,
    now: Timestamp,
) -> Result<()> {
    audit_event::ActiveModel {
        id: NotSet,
        at: Set(to_db(micros(now))),
        actor_id: Set(event.actor.map(|m| m.0)),
        kind: Set(event.kind.as_str()),
        member_id: Set(event.member.map(|m| m.0)),
        subject: Set(event.subject),
        detail: Set(event.detail.to_string()),
        client_ip: Set(event.client_ip),
    }
    .insert(c)
    .await
    .db()?;
    Ok(())
}

/// Ends every session of `member` (all but the one hashed `except`), in the caller's
/// transaction.
pub(crate) async fn end_sessions<C: ConnectionTrait>(
    c: &C,
    member: MemberId,
    except: Option<&str>,
) -> Result<u64> {
    let mut delete = session::Entity::delete_many().filter(session::Column::MemberId.eq(member.0));
    if let Some(keep) = except {
        delete = delete.filter(session::Column::TokenHash.ne(keep));
    }
    Ok(delete.exec(c).await.db()?.rows_affected)
}

/// The events a member patch makes, comparing the member `before` and `after` it.
fn changes(
    actor: MemberId,
    before: &makegood_domain::Member,
    after: &makegood_domain::Member,
) -> Vec<NewAuditEvent> {
    let about = |kind| {
        NewAuditEvent::new(kind, after.email.as_str())
            .by(actor)
            .about(after.id)
    };
    let mut out = Vec::new();
    if before.role != after.role {
        out.push(about(AuditKind::RoleChanged).detail(json!({
            "from": before.role.as_str(),
            "to": after.role.as_str(),
        })));
    }
    if before.remedy_authority != after.remedy_authority {
        out.push(about(AuditKind::AuthorityChanged).detail(json!({
            "from": before.remedy_authority.to_string(),
            "to": after.remedy_authority.to_string(),
        })));
    }
    if before.active != after.active {
        out.push(about(if after.active {
            AuditKind::MemberReactivated
        } else {
            AuditKind::MemberDeactivated
        }));
    }
    out
}

impl Store {
    /// Appends `event` to the audit trail at `now`.
    pub async fn record_audit(&self, event: NewAuditEvent, now: Timestamp) -> Result<()> {
        record(&self.writer, event, now).await
    }

    /// Events matching `filter`, newest first (then by id).
    pub async fn list_audit(
        &self,
        filter: &AuditFilter,
        page_request: &PageRequest,
    ) -> Result<Page<AuditEvent>> {
        let keyset = Keyset::of(page_request, LIST)?;
        let mut query = audit_event::Entity::find();
        if let Some(kind) = filter.kind {
            query = query.filter(audit_event::Column::Kind.eq(kind.as_str()));
        }
        if let Some(m) = filter.member {
            query = query.filter(
                Condition::any()
                    .add(audit_event::Column::ActorId.eq(m.0))
                    .add(audit_event::Column::MemberId.eq(m.0)),
            );
        }
        if let Some(after) = &keyset.after {
            let t = Timestamp::from_microsecond(after.t.unwrap_or_default())
                .map_err(|_| StoreError::invalid("cursor", "is not a cursor of this list"))?;
            query = query.filter(
                Condition::any()
                    .add(audit_event::Column::At.lt(to_db(t)))
                    .add(
                        Condition::all()
                            .add(audit_event::Column::At.eq(to_db(t)))
                            .add(audit_event::Column::Id.lt(after.id)),
                    ),
            );
        }
        let rows = query
            .order_by_desc(audit_event::Column::At)
            .order_by_desc(audit_event::Column::Id)
            .limit(keyset.fetch())
            .all(&self.db)
            .await
            .db()?;
        let (rows, next) = keyset.finish(rows, |r| Cursor {
            t: Some(r.at.timestamp_micros()),
            ..Cursor::new(LIST, r.id)
        });
        Ok(page(
            rows.into_iter().map(to_event).collect::<Result<_>>()?,
            next,
        ))
    }

    /// Records that the token hashed `token_hash` was used at `now` from `client_ip`, unless
    /// its use was recorded less than [`TOKEN_USE_EVERY`] ago from the same address.
    /// Returns whether it recorded.
    pub async fn note_token_use(
        &self,
        token_hash: &str,
        client_ip: Option<String>,
        now: Timestamp,
    ) -> Result<bool> {
        let Some(token) = api_token::Entity::find()
            .filter(api_token::Column::TokenHash.eq(token_hash))
            .one(&self.db)
            .await
            .db()?
        else {
            return Ok(false);
        };
        let subject = format!("token {}", token.id);
        let last = audit_event::Entity::find()
            .filter(audit_event::Column::Kind.eq(AuditKind::TokenUsed.as_str()))
            .filter(audit_event::Column::MemberId.eq(token.member_id))
            .filter(audit_event::Column::Subject.eq(subject.clone()))
            .order_by_desc(audit_event::Column::At)
            .order_by_desc(audit_event::Column::Id)
            .one(&self.db)
            .await
            .db()?;
        if let Some(last) = last {
            let recent = now.duration_since(from_db(last.at)?) < TOKEN_USE_EVERY;
            if recent && (client_ip.is_none() || last.client_ip == client_ip) {
                return Ok(false);
            }
        }
        let owner = MemberId(token.member_id);
        let event = NewAuditEvent::new(AuditKind::TokenUsed, subject)
            .by(owner)
            .about(owner)
            .detail(json!({ "token": token.id, "name": token.name }))
            .from_ip(client_ip);
        record(&self.writer, event, now).await?;
        Ok(true)
    }

    /// Changes member `id` as `actor` did, recording each change of role, spending
    /// authority or active state in the same transaction; deactivating ends their sessions.
    pub async fn update_member_as(
        &self,
        actor: Actor,
        client_ip: Option<String>,
        id: MemberId,
        patch: MemberPatch,
    ) -> Result<makegood_domain::Member> {
        let txn = self.write().await?;
        let before = crate::members::to_member(crate::members::find(&txn, id).await?)?;
        let after = crate::members::update_in(&txn, id, patch).await?;
        for event in changes(actor.member, &before, &after) {
            record(&txn, event.from_ip(client_ip.clone()), actor.now).await?;
        }
        if before.active && !after.active {
            end_sessions(&txn, id, None).await?;
        }
        txn.commit().await.db()?;
        Ok(after)
    }

    /// [`Store::invite_member`] by `actor`, recorded in the same transaction.
    pub async fn invite_member_as(
        &self,
        actor: Actor,
        client_ip: Option<String>,
        member: NewMember,
        token_hash: &str,
    ) -> Result<(makegood_domain::Member, Invitation)> {
        let txn = self.write().await?;
        let (member, invitation) =
            crate::invitations::invite_in(&txn, member, token_hash, actor.now).await?;
        let event = NewAuditEvent::new(AuditKind::MemberInvited, member.email.as_str())
            .by(actor.member)
            .about(member.id)
            .detail(json!({ "role": member.role.as_str() }))
            .from_ip(client_ip);
        record(&txn, event, actor.now).await?;
        txn.commit().await.db()?;
        Ok((member, invitation))
    }

    /// Sets member `id`'s password hash and ends their other sessions (all but the one
    /// hashed `keep_session`), recorded in the same transaction.
    pub async fn change_password(
        &self,
        actor: Actor,
        client_ip: Option<String>,
        id: MemberId,
        hash: &str,
        keep_session: Option<&str>,
    ) -> Result<()> {
        let txn = self.write().await?;
        let member = crate::members::to_member(crate::members::find(&txn, id).await?)?;
        crate::members::set_password_hash_in(&txn, id, hash).await?;
        let ended = end_sessions(&txn, id, keep_session).await?;
        let event = NewAuditEvent::new(AuditKind::PasswordChanged, member.email.as_str())
            .by(actor.member)
            .about(id)
            .detail(json!({ "sessions_ended": ended }))
            .from_ip(client_ip);
        record(&txn, event, actor.now).await?;
        txn.commit().await.db()?;
        Ok(())
    }
}
