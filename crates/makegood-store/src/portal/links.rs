//! Sign-in links: a random secret mailed to a contact, kept here only as its SHA-256 hash.

use jiff::{SignedDuration, Timestamp};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, NotSet};
use sha2::{Digest, Sha256};

use crate::Result;
use crate::convert::to_db;
use crate::db::portal_link;
use crate::error::DbResult;

/// How long a sign-in link works, unless revoked or used first.
pub const LINK_LIFETIME: SignedDuration = SignedDuration::from_hours(72);

/// SHA-256 of a secret, hex-encoded: what is stored of links and sessions.
pub(crate) fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Issues a link for contact `contact` landing on `problem` (or the problem list), sent by
/// member `created_by` (or asked for by the contact, or sent by the system): stores the hash
/// and returns the secret, which goes into the email and nowhere else.
pub(crate) async fn issue_in<C: ConnectionTrait>(
    c: &C,
    contact: i64,
    problem: Option<i64>,
    created_by: Option<i64>,
    now: Timestamp,
) -> Result<String> {
    let secret = hex::encode(rand::random::<[u8; 32]>());
    portal_link::ActiveModel {
        id: NotSet,
        token_hash: Set(hash(&secret)),
        contact_id: Set(contact),
        problem_id: Set(problem),
        created_by: Set(created_by),
        created_at: Set(to_db(now)),
        expires_at: Set(to_db(now.saturating_add(LINK_LIFETIME).unwrap_or(now))),
        used_at: Set(None),
        revoked_at: Set(None),
    }
    .insert(c)
    .await
    .db()?;
    Ok(secret)
}
