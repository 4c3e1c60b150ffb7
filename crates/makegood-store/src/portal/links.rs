//! Sign-in links: a random secret mailed to a contact, kept here only as its SHA-256 hash.

use jiff::{SignedDuration, Timestamp};
use makegood_domain::{ContactId, Email, MemberId, Notice, ProblemId, ProblemNumber, Recipient};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, NotSet,
    PaginatorTrait, QueryFilter, QueryOrder,
};
use sha2::{Digest, Sha256};

use super::{IssuedLink, LinkLanding, LinkRefusal, PortalContact, sessions};
use crate::convert::{from_db, micros, to_db};
use crate::db::{contact, portal_link, problem_account};
use crate::error::DbResult;
use crate::problems::notices::problem_ref;
use crate::{Result, Store, StoreError, outbox};

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

/// At most this many links a contact asks for themselves within [`REQUEST_WINDOW`]: more
/// requests are answered the same way but send nothing (no mailbox flooding).
const REQUESTS_PER_WINDOW: u64 = 3;
const REQUEST_WINDOW: SignedDuration = SignedDuration::from_mins(15);

/// The problem a link may land on: one affecting the contact's account.
async fn landing<C: ConnectionTrait>(c: &C, account: i64, problem: i64) -> Result<()> {
    let affected = problem_account::Entity::find()
        .filter(problem_account::Column::ProblemId.eq(problem))
        .filter(problem_account::Column::AccountId.eq(account))
        .one(c)
        .await
        .db()?
        .is_some();
    if affected {
        Ok(())
    } else {
        Err(StoreError::invalid(
            "problem",
            format!(
                "{} does not affect this contact's account: choose one of its problems, or none",
                ProblemNumber(problem)
            ),
        ))
    }
}

/// Issues a link and, when `send`, writes its email to the outbox; one transaction.
pub(crate) async fn issue(
    store: &Store,
    contact: ContactId,
    problem: Option<ProblemId>,
    created_by: Option<MemberId>,
    now: Timestamp,
    send: bool,
) -> Result<IssuedLink> {
    let now = micros(now);
    let txn = store.write().await?;
    let who = sessions::contact_of(&txn, contact.0).await?;
    if let Some(p) = problem {
        landing(&txn, who.account.0, p.0).await?;
    }
    let to = match (&who.email, send) {
        (Some(email), true) => Some(Recipient {
            name: who.name.clone(),
            email: Email::parse(email).map_err(|e| StoreError::Database(e.to_string()))?,
            time_zone: who.time_zone.clone(),
        }),
        (None, true) => {
            return Err(StoreError::invalid(
                "email",
                format!(
                    "{} has no email address: add one to the contact first",
                    who.name
                ),
            ));
        }
        (_, false) => None,
    };
    let secret = issue_in(
        &txn,
        contact.0,
        problem.map(|p| p.0),
        created_by.map(|m| m.0),
        now,
    )
    .await?;
    let expires_at = now.saturating_add(LINK_LIFETIME).unwrap_or(now);
    if let Some(to) = to {
        let problem_ref = match problem {
            Some(p) => problem_ref(&txn, p.0).await?,
            None => None,
        };
        let notice = Notice::PortalLink {
            to,
            token: secret.clone(),
            problem: problem_ref,
            expires_at,
        };
        outbox::enqueue(&txn, &notice, problem, now, now).await?;
    }
    txn.commit().await.db()?;
    Ok(IssuedLink {
        secret,
        contact: who,
        problem,
        expires_at,
    })
}

pub(crate) async fn request(store: &Store, email: &Email, now: Timestamp) -> Result<()> {
    let found = contact::Entity::find()
        .filter(
            Expr::expr(Func::lower(Expr::col(contact::Column::Email)))
                .eq(email.as_str().to_lowercase()),
        )
        .order_by_asc(contact::Column::Id)
        .one(&store.db)
        .await
        .db()?;
    let Some(found) = found else {
        return Ok(());
    };
    let since = now.checked_sub(REQUEST_WINDOW).unwrap_or(now);
    let recent = portal_link::Entity::find()
        .filter(portal_link::Column::ContactId.eq(found.id))
        .filter(portal_link::Column::CreatedBy.is_null())
        .filter(portal_link::Column::CreatedAt.gt(to_db(since)))
        .count(&store.db)
        .await
        .db()?;
    if recent >= REQUESTS_PER_WINDOW {
        return Ok(());
    }
    issue(store, ContactId(found.id), None, None, now, true).await?;
    Ok(())
}

/// The contacts with `email` (any case), oldest first: for the operator's `portal-link`.
pub(crate) async fn contacts_with_email(
    store: &Store,
    email: &Email,
) -> Result<Vec<PortalContact>> {
    let ids: Vec<i64> = contact::Entity::find()
        .filter(
            Expr::expr(Func::lower(Expr::col(contact::Column::Email)))
                .eq(email.as_str().to_lowercase()),
        )
        .order_by_asc(contact::Column::Id)
        .all(&store.db)
        .await
        .db()?
        .into_iter()
        .map(|c| c.id)
        .collect();
    let mut found = Vec::with_capacity(ids.len());
    for id in ids {
        found.push(sessions::contact_of(&store.db, id).await?);
    }
    Ok(found)
}

/// Why `row` cannot be used at `now`, if it cannot.
fn refusal(row: &portal_link::Model, now: Timestamp) -> Result<Option<LinkRefusal>> {
    Ok(if row.revoked_at.is_some() {
        Some(LinkRefusal::Revoked)
    } else if row.used_at.is_some() {
        Some(LinkRefusal::Used)
    } else if from_db(row.expires_at)? <= now {
        Some(LinkRefusal::Expired)
    } else {
        None
    })
}

async fn find<C: ConnectionTrait>(c: &C, secret: &str) -> Result<Option<portal_link::Model>> {
    portal_link::Entity::find()
        .filter(portal_link::Column::TokenHash.eq(hash(secret)))
        .one(c)
        .await
        .db()
}

pub(crate) async fn check(
    store: &Store,
    secret: &str,
    now: Timestamp,
) -> Result<Result<LinkLanding, LinkRefusal>> {
    let Some(row) = find(&store.db, secret).await? else {
        return Ok(Err(LinkRefusal::Unknown));
    };
    if let Some(refused) = refusal(&row, now)? {
        return Ok(Err(refused));
    }
    Ok(Ok(LinkLanding {
        contact: sessions::contact_of(&store.db, row.contact_id).await?,
        problem: row.problem_id.map(ProblemId),
    }))
}

pub(crate) async fn consume(
    store: &Store,
    secret: &str,
    session_hash: &str,
    csrf: &str,
    now: Timestamp,
) -> Result<Result<LinkLanding, LinkRefusal>> {
    let now = micros(now);
    let txn = store.write().await?;
    let Some(row) = find(&txn, secret).await? else {
        return Ok(Err(LinkRefusal::Unknown));
    };
    if let Some(refused) = refusal(&row, now)? {
        return Ok(Err(refused));
    }
    // Only the first of two concurrent uses marks it; the other finds it used.
    let marked = portal_link::Entity::update_many()
        .col_expr(portal_link::Column::UsedAt, Expr::value(to_db(now)))
        .filter(portal_link::Column::Id.eq(row.id))
        .filter(portal_link::Column::UsedAt.is_null())
        .filter(portal_link::Column::RevokedAt.is_null())
        .exec(&txn)
        .await
        .db()?;
    if marked.rows_affected != 1 {
        return Ok(Err(LinkRefusal::Used));
    }
    let contact = sessions::contact_of(&txn, row.contact_id).await?;
    sessions::create_in(&txn, row.contact_id, session_hash, csrf, now).await?;
    txn.commit().await.db()?;
    Ok(Ok(LinkLanding {
        contact,
        problem: row.problem_id.map(ProblemId),
    }))
}
