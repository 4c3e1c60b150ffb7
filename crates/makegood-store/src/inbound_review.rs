//! Reviewing held inbound mail: a member attaches a held message to a problem, opens a new
//! problem from it, or dismisses it. Nothing is deleted; each decision records who made it
//! and when (`reviewed_by`, `reviewed_at`), in one transaction with what it records.
//!
//! Attaching threads the message as the customer's reply (`customer_replied`, so the owner
//! hears, the sentiment counts and an upset word asks for a call) when the sender is now a
//! contact of an account the problem affects. Anyone else's message is attached as an
//! internal note naming the sender: a stranger's words are kept with the problem, but never
//! speak for a customer or reach the customer's side of the timeline.

use jiff::Timestamp;
use makegood_domain::text::limits;
use makegood_domain::{
    AccountId, ContactId, Email, EventKind, Origin, ProblemId, ProblemNumber, Sentiment, Severity,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, NotSet,
    QueryFilter, QueryOrder, QuerySelect,
};

use crate::convert::{micros, to_db};
use crate::db::{account, contact, inbound_attachment, inbound_email, problem, problem_account};
use crate::error::DbResult;
use crate::inbound::{TRIAGE_CATEGORY, contact_by_email, summary, triage_title};
use crate::problems::create_in;
use crate::problems::record::record_in;
use crate::validate::text;
use crate::{Actor, InboundSummary, NewProblem, Result, Store, StoreError};

/// Who a held message opens a problem for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HeldSender {
    /// The contact whose address it came from (matched when it is opened).
    Known,
    /// The sender, added first as a contact of `account` under `name`.
    NewContact { account: AccountId, name: String },
}

/// What the review did with a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reviewed {
    pub inbound: InboundSummary,
    /// The problem it went to (attached or opened).
    pub problem: Option<ProblemId>,
    /// Threaded as the customer's reply (`true`) or attached as a note naming the sender.
    pub as_reply: bool,
}

/// The held message `id`, locked for the review; anything else is a conflict.
async fn held_row<C: ConnectionTrait>(c: &C, id: i64) -> Result<inbound_email::Model> {
    let row = inbound_email::Entity::find_by_id(id)
        .lock_exclusive()
        .one(c)
        .await
        .db()?
        .ok_or(StoreError::not_found("held email"))?;
    if row.status != "held" {
        return Err(StoreError::Conflict(format!(
            "this message was already reviewed (it is {})",
            row.status
        )));
    }
    Ok(row)
}

/// The names of the files kept with message `id`.
async fn attachment_names<C: ConnectionTrait>(c: &C, id: i64) -> Result<Vec<String>> {
    Ok(inbound_attachment::Entity::find()
        .filter(inbound_attachment::Column::InboundId.eq(id))
        .order_by_asc(inbound_attachment::Column::Id)
        .all(c)
        .await
        .db()?
        .into_iter()
        .map(|a| a.filename)
        .collect())
}

/// The sender's contact, looked up again: it may have been added since the message came in.
async fn sender<C: ConnectionTrait>(
    c: &C,
    row: &inbound_email::Model,
) -> Result<Option<contact::Model>> {
    match row.from_email.as_deref().map(Email::parse) {
        Some(Ok(email)) => contact_by_email(c, &email).await,
        _ => Ok(None),
    }
}

/// Marks `row` reviewed by `actor` with `status`, on `problem`, from `contact`.
async fn mark<C: ConnectionTrait>(
    c: &C,
    row: inbound_email::Model,
    actor: Actor,
    status: &str,
    problem: Option<i64>,
    contact: Option<i64>,
) -> Result<inbound_email::Model> {
    let mut active: inbound_email::ActiveModel = row.into();
    active.status = Set(status.to_owned());
    if problem.is_some() {
        active.problem_id = Set(problem);
    }
    if contact.is_some() {
        active.contact_id = Set(contact);
    }
    active.reviewed_by = Set(Some(actor.member.0));
    active.reviewed_at = Set(Some(to_db(micros(actor.now))));
    active.update(c).await.db()
}

/// The customer's reply that message `row` (from `contact`) becomes.
async fn reply<C: ConnectionTrait>(
    c: &C,
    row: &inbound_email::Model,
    contact: i64,
) -> Result<EventKind> {
    Ok(EventKind::CustomerReplied {
        contact: ContactId(contact),
        body: row.reply.clone(),
        sentiment: Sentiment(row.sentiment),
        inbound: Some(row.id),
        attachments: attachment_names(c, row.id).await?,
    })
}

pub(crate) async fn attach(
    store: &Store,
    actor: Actor,
    id: i64,
    to: ProblemId,
) -> Result<Reviewed> {
    let txn = store.write().await?;
    let row = held_row(&txn, id).await?;
    if problem::Entity::find_by_id(to.0)
        .one(&txn)
        .await
        .db()?
        .is_none()
    {
        return Err(StoreError::invalid(
            "problem",
            format!("{} does not exist", ProblemNumber(to.0)),
        ));
    }
    let from = sender(&txn, &row).await?;
    let affected = match &from {
        Some(s) => problem_account::Entity::find()
            .filter(problem_account::Column::ProblemId.eq(to.0))
            .filter(problem_account::Column::AccountId.eq(s.account_id))
            .one(&txn)
            .await
            .db()?
            .is_some(),
        None => false,
    };
    let now = micros(actor.now);
    let contact = match (from, affected) {
        (Some(s), true) => {
            let event = reply(&txn, &row, s.id).await?;
            record_in(&txn, to.0, None, &event, now).await?;
            Some(s.id)
        }
        (from, _) => {
            let who = match (&row.from_name, &row.from_email) {
                (Some(n), Some(e)) if !n.trim().is_empty() => format!("{n} <{e}>"),
                (_, Some(e)) => e.clone(),
                (Some(n), None) => n.clone(),
                (None, None) => "a sender without an address".to_owned(),
            };
            let whose = from.map_or_else(String::new, |s| {
                format!(" ({}, whose account this problem does not affect)", s.name)
            });
            let mut body = format!(
                "Email from {who}{whose}, attached from held mail — subject \"{}\":\n\n{}",
                row.subject, row.reply
            );
            body = body.chars().take(limits::MESSAGE).collect();
            record_in(
                &txn,
                to.0,
                Some(actor.member.0),
                &EventKind::Note { body },
                now,
            )
            .await?;
            None
        }
    };
    let as_reply = contact.is_some();
    let row = mark(&txn, row, actor, "threaded", Some(to.0), contact).await?;
    txn.commit().await.db()?;
    Ok(Reviewed {
        inbound: summary(row)?,
        problem: Some(to),
        as_reply,
    })
}

pub(crate) async fn open(
    store: &Store,
    actor: Actor,
    id: i64,
    who: HeldSender,
) -> Result<Reviewed> {
    let txn = store.write().await?;
    let row = held_row(&txn, id).await?;
    let now = micros(actor.now);
    let contact = match who {
        HeldSender::Known => sender(&txn, &row).await?.ok_or_else(|| {
            StoreError::invalid(
                "account",
                "the sender is not a contact yet: choose their account to add them",
            )
        })?,
        HeldSender::NewContact { account: a, name } => {
            let Some(email) = row.from_email.clone() else {
                return Err(StoreError::Conflict(
                    "the message has no sender address to add as a contact".into(),
                ));
            };
            if sender(&txn, &row).await?.is_some() {
                return Err(StoreError::Conflict(format!(
                    "{email} is already a contact; open it for them instead"
                )));
            }
            let name = text("name", &name, limits::PERSON_NAME)?;
            if account::Entity::find_by_id(a.0)
                .one(&txn)
                .await
                .db()?
                .is_none()
            {
                return Err(StoreError::invalid(
                    "account",
                    format!("account {a} does not exist"),
                ));
            }
            contact::ActiveModel {
                id: NotSet,
                account_id: Set(a.0),
                name: Set(name),
                role_title: Set(String::new()),
                email: Set(Some(email)),
                phone: Set(None),
            }
            .insert(&txn)
            .await
            .db()?
        }
    };
    let detected_at = crate::convert::from_db_opt(row.sent_at)?.filter(|t: &Timestamp| *t <= now);
    let new = NewProblem {
        title: triage_title(&row.subject, &contact),
        description: String::new(),
        origin: Origin::Unknown,
        vendor: None,
        severity: Severity::Minor,
        category: TRIAGE_CATEGORY.to_owned(),
        owner: actor.member,
        accounts: vec![AccountId(contact.account_id)],
        stakeholders: vec![ContactId(contact.id)],
        include_locations: false,
        all_stakeholders: false,
        detected_at,
    };
    let problem = create_in(&txn, Actor { now, ..actor }, new)
        .await?
        .problem
        .id;
    let event = reply(&txn, &row, contact.id).await?;
    record_in(&txn, problem.0, None, &event, now).await?;
    let row = mark(
        &txn,
        row,
        actor,
        "opened",
        Some(problem.0),
        Some(contact.id),
    )
    .await?;
    txn.commit().await.db()?;
    Ok(Reviewed {
        inbound: summary(row)?,
        problem: Some(problem),
        as_reply: true,
    })
}

pub(crate) async fn dismiss(store: &Store, actor: Actor, id: i64) -> Result<InboundSummary> {
    let txn = store.write().await?;
    let row = held_row(&txn, id).await?;
    let row = mark(&txn, row, actor, "dismissed", None, None).await?;
    txn.commit().await.db()?;
    summary(row)
}

impl Store {
    /// Attaches held message `id` to problem `to`: as the customer's reply when the sender is
    /// a contact of an account it affects, else as a note naming the sender (see the module
    /// docs). Conflict when it was already reviewed.
    pub async fn attach_held_email(
        &self,
        actor: Actor,
        id: i64,
        to: ProblemId,
    ) -> Result<Reviewed> {
        attach(self, actor, id, to).await
    }

    /// Opens a new problem in triage, owned by the reviewer, from held message `id`, for the
    /// sender's contact (added first when `who` says so); the message is its first reply.
    pub async fn open_held_email(
        &self,
        actor: Actor,
        id: i64,
        who: HeldSender,
    ) -> Result<Reviewed> {
        open(self, actor, id, who).await
    }

    /// Dismisses held message `id`: kept, marked dismissed and who decided.
    pub async fn dismiss_held_email(&self, actor: Actor, id: i64) -> Result<InboundSummary> {
        dismiss(self, actor, id).await
    }
}
