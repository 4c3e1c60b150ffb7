//! Invitations: a single-use, expiring link by which an invited member sets a password.
//!
//! Only the hash of the link's secret is stored (the web crate hashes). Accepting consumes
//! the invitation with a conditional update, so of two concurrent accepts exactly one wins.

use jiff::{SignedDuration, Timestamp};
use makegood_domain::text::limits;
use makegood_domain::{Member, MemberId};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, NotSet,
    QueryFilter,
};

use crate::convert::{from_db, from_db_opt, to_db};
use crate::db::{member, organisation};
use crate::error::{DbResult, unique_or};
use crate::members::{self, to_member};
use crate::validate::text;
use crate::{NewMember, Organisation, Result, Store, StoreError};

/// How long an invitation link works.
pub const INVITATION_LIFETIME: SignedDuration = SignedDuration::from_hours(7 * 24);

/// An invitation of a member to set their password.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invitation {
    pub id: i64,
    pub member: MemberId,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    /// When the link was used; it works once.
    pub used_at: Option<Timestamp>,
}

/// What an invitation link leads to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InvitationLookup {
    /// A usable link for this (active) member.
    Valid(Member),
    /// The link was used already.
    Used,
    /// The link's time ran out (or a newer link replaced it).
    Expired,
    /// No such link, or its member was deactivated.
    Unknown,
}

/// The invitations table.
mod invitation {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "invitations")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub member_id: i64,
        #[sea_orm(unique)]
        pub token_hash: String,
        pub created_at: DateTimeUtc,
        pub expires_at: DateTimeUtc,
        pub used_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

fn to_invitation(row: invitation::Model) -> Result<Invitation> {
    Ok(Invitation {
        id: row.id,
        member: MemberId(row.member_id),
        created_at: from_db(row.created_at)?,
        expires_at: from_db(row.expires_at)?,
        used_at: from_db_opt(row.used_at)?,
    })
}

/// Replaces `member`'s unused invitations by a new one, in the caller's transaction.
async fn insert<C: ConnectionTrait>(
    c: &C,
    member: MemberId,
    token_hash: &str,
    now: Timestamp,
) -> Result<Invitation> {
    // An older unused link stops working: it expires now.
    invitation::Entity::update_many()
        .col_expr(invitation::Column::ExpiresAt, Expr::value(to_db(now)))
        .filter(invitation::Column::MemberId.eq(member.0))
        .filter(invitation::Column::UsedAt.is_null())
        .filter(invitation::Column::ExpiresAt.gt(to_db(now)))
        .exec(c)
        .await
        .db()?;
    let expires = now
        .checked_add(INVITATION_LIFETIME)
        .map_err(|e| StoreError::Database(e.to_string()))?;
    let row = invitation::ActiveModel {
        id: NotSet,
        member_id: Set(member.0),
        token_hash: Set(token_hash.to_owned()),
        created_at: Set(to_db(now)),
        expires_at: Set(to_db(expires)),
        used_at: Set(None),
    }
    .insert(c)
    .await
    .map_err(|e| unique_or(e, || "that invitation already exists".into()))?;
    to_invitation(row)
}

async fn lookup<C: ConnectionTrait>(
    c: &C,
    token_hash: &str,
    now: Timestamp,
) -> Result<InvitationLookup> {
    let Some(row) = invitation::Entity::find()
        .filter(invitation::Column::TokenHash.eq(token_hash))
        .one(c)
        .await
        .db()?
    else {
        return Ok(InvitationLookup::Unknown);
    };
    if row.used_at.is_some() {
        return Ok(InvitationLookup::Used);
    }
    if from_db(row.expires_at)? <= now {
        return Ok(InvitationLookup::Expired);
    }
    let member = to_member(members::find(c, MemberId(row.member_id)).await?)?;
    Ok(if member.active {
        InvitationLookup::Valid(member)
    } else {
        InvitationLookup::Unknown
    })
}

/// Creates `member` without a password, with an invitation, inside the caller's transaction.
pub(crate) async fn invite_in<C: ConnectionTrait>(
    c: &C,
    member: NewMember,
    token_hash: &str,
    now: Timestamp,
) -> Result<(Member, Invitation)> {
    let member = members::insert(
        c,
        NewMember {
            password_hash: None,
            ..member
        },
        now,
    )
    .await?;
    let invitation = insert(c, member.id, token_hash, now).await?;
    Ok((member, invitation))
}

impl Store {
    /// Creates `member` (its password hash is ignored: the invitee sets it) with an
    /// invitation by the hash of its secret, valid for [`INVITATION_LIFETIME`]; one
    /// transaction.
    pub async fn invite_member(
        &self,
        member: NewMember,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<(Member, Invitation)> {
        let txn = self.write().await?;
        let made = invite_in(&txn, member, token_hash, now).await?;
        txn.commit().await.db()?;
        Ok(made)
    }

    /// A new invitation for an existing, active member; their earlier unused links stop
    /// working. Accepting it sets a new password.
    pub async fn reinvite_member(
        &self,
        member: MemberId,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<Invitation> {
        let txn = self.write().await?;
        let found = members::find(&txn, member).await?;
        if !found.active {
            return Err(StoreError::Conflict(
                "this member is deactivated; reactivate them first".into(),
            ));
        }
        let invitation = insert(&txn, member, token_hash, now).await?;
        txn.commit().await.db()?;
        Ok(invitation)
    }

    /// Where the invitation link with this secret hash stands at `now`.
    pub async fn invitation(&self, token_hash: &str, now: Timestamp) -> Result<InvitationLookup> {
        lookup(&self.db, token_hash, now).await
    }

    /// Uses the invitation: sets the member's password hash and returns the member.
    /// A used, expired or unknown link is a [`StoreError::Conflict`] that says which.
    pub async fn accept_invitation(
        &self,
        token_hash: &str,
        password_hash: &str,
        now: Timestamp,
    ) -> Result<Member> {
        let txn = self.write().await?;
        let refused = |state: InvitationLookup| {
            StoreError::Conflict(
                match state {
                    InvitationLookup::Used => "this invitation link was already used",
                    InvitationLookup::Expired => "this invitation link has expired",
                    _ => "this invitation link is not valid",
                }
                .into(),
            )
        };
        let member = match lookup(&txn, token_hash, now).await? {
            InvitationLookup::Valid(member) => member,
            other => return Err(refused(other)),
        };
        let consumed = invitation::Entity::update_many()
            .col_expr(invitation::Column::UsedAt, Expr::value(to_db(now)))
            .filter(invitation::Column::TokenHash.eq(token_hash))
            .filter(invitation::Column::UsedAt.is_null())
            .filter(invitation::Column::ExpiresAt.gt(to_db(now)))
            .exec(&txn)
            .await
            .db()?;
        if consumed.rows_affected != 1 {
            return Err(refused(InvitationLookup::Used));
        }
        member::Entity::update_many()
            .col_expr(
                member::Column::PasswordHash,
                Expr::value(password_hash.to_owned()),
            )
            .filter(member::Column::Id.eq(member.id.0))
            .exec(&txn)
            .await
            .db()?;
        let joined = crate::audit::NewAuditEvent::new(
            crate::audit::AuditKind::MemberJoined,
            member.email.as_str(),
        )
        .by(member.id)
        .about(member.id);
        crate::audit::record(&txn, joined, now).await?;
        txn.commit().await.db()?;
        Ok(member)
    }

    /// Renames the organisation (1..=200 characters); it must be set up.
    pub async fn rename_organisation(&self, name: &str) -> Result<Organisation> {
        let name = text("organisation", name, limits::ORGANISATION_NAME)?;
        let done = organisation::Entity::update_many()
            .col_expr(organisation::Column::Name, Expr::value(name.clone()))
            .filter(organisation::Column::Id.eq(1))
            .filter(organisation::Column::Name.is_not_null())
            .exec(&self.writer)
            .await
            .db()?;
        if done.rows_affected == 0 {
            return Err(StoreError::not_found("organisation"));
        }
        Ok(Organisation { name })
    }
}
