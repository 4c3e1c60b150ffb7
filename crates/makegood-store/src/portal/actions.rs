//! What a contact may do in the portal: reply on a problem, confirm its fix. Each is one
//! transaction recorded through `record_in` (no member acting), scoped to their account.

use jiff::Timestamp;
use makegood_domain::text::limits;
use makegood_domain::{ContactId, EventKind, ProblemId, ProblemNumber, Sentiment, Status};

use super::reads::{account_of, scoped};
use crate::convert::{micros, parse_name};
use crate::error::DbResult;
use crate::problems::record::record_in;
use crate::validate::text;
use crate::{Result, Store, StoreError};

pub(crate) async fn reply(
    store: &Store,
    contact: ContactId,
    problem: ProblemId,
    body: &str,
    now: Timestamp,
) -> Result<()> {
    let body = text("body", body, limits::MESSAGE)?;
    let txn = store.write().await?;
    let account = account_of(&txn, contact).await?;
    let row = scoped(&txn, account, problem).await?;
    let event = EventKind::CustomerReplied {
        contact,
        sentiment: Sentiment::of(&body),
        body,
        inbound: None,
        attachments: Vec::new(),
    };
    record_in(&txn, row.id, None, &event, micros(now)).await?;
    txn.commit().await.db()?;
    Ok(())
}

pub(crate) async fn confirm(
    store: &Store,
    contact: ContactId,
    problem: ProblemId,
    now: Timestamp,
) -> Result<()> {
    let txn = store.write().await?;
    let account = account_of(&txn, contact).await?;
    let row = scoped(&txn, account, problem).await?;
    let status: Status = parse_name(&row.status)?;
    let number = ProblemNumber(row.id);
    match status {
        Status::Fixed => {}
        Status::Confirmed | Status::Closed => {
            return Err(StoreError::Conflict(format!(
                "{number} is already confirmed as fixed"
            )));
        }
        _ => {
            return Err(StoreError::Conflict(format!(
                "{number} is not fixed yet: the team will tell you when it is, and you can confirm it then"
            )));
        }
    }
    let event = EventKind::Confirmed {
        contact: Some(contact),
    };
    record_in(&txn, row.id, None, &event, micros(now)).await?;
    txn.commit().await.db()?;
    Ok(())
}
