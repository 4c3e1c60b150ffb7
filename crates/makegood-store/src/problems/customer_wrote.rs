//! A customer wrote (by email or in the portal): the problem's owner hears at once, by email,
//! when their email alerts are on — an upset message says first that they owe a call.

use jiff::Timestamp;
use makegood_domain::duty::ProblemRef;
use makegood_domain::{ContactId, MemberId, Notice, Recipient, Sentiment};
use sea_orm::{ConnectionTrait, EntityTrait};

use crate::convert::email;
use crate::db::{account, contact, problem};
use crate::error::DbResult;
use crate::scheduler::alerts::recipients;
use crate::{Result, outbox};

/// Emails the owner of `reference` that `contact` wrote `body` (scored `sentiment`).
pub(crate) async fn notify_owner<C: ConnectionTrait>(
    c: &C,
    reference: ProblemRef,
    contact: ContactId,
    body: &str,
    sentiment: Sentiment,
    now: Timestamp,
) -> Result<()> {
    let Some(row) = problem::Entity::find_by_id(reference.id.0)
        .one(c)
        .await
        .db()?
    else {
        return Ok(());
    };
    // The owner alone, if active with email alerts on.
    let Some((owner, _)) = recipients(c, row.owner_id, false).await?.pop() else {
        return Ok(());
    };
    let writer = contact::Entity::find_by_id(contact.0).one(c).await.db()?;
    let account = match &writer {
        Some(w) => account::Entity::find_by_id(w.account_id)
            .one(c)
            .await
            .db()?,
        None => None,
    };
    let problem = Some(reference.id);
    let notice = Notice::CustomerWrote {
        to: Recipient {
            name: owner.name.clone(),
            email: email(&owner.email)?,
            time_zone: owner.time_zone.clone(),
        },
        member: MemberId(owner.id),
        problem: reference,
        contact: writer.map_or_else(|| "A customer".to_owned(), |w| w.name),
        account: account.map_or_else(|| "the customer".to_owned(), |a| a.name),
        body: body.to_owned(),
        upset: sentiment.is_upset(),
    };
    outbox::enqueue(c, &notice, problem, now, now).await?;
    Ok(())
}
