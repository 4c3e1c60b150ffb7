//! Inbound email: each message recorded once, whole, then threaded onto its problem, opened
//! as a new problem in triage, or held for a person to review — never dropped.
//!
//! Routing, in order: the same Message-ID again is a duplicate; an unknown sender is held;
//! a message answering one of our emails (or tagged `[MG-12]`) threads onto that problem when
//! the sender is a contact of an account it affects, and is held otherwise; a known contact's
//! message that matches no problem opens one in triage for the triage owner.
//! Everything, including the new problem, is one transaction.

use jiff::Timestamp;
use makegood_domain::{
    ContactId, Email, EventKind, MemberId, Origin, ProblemId, ProblemNumber, Role, Sentiment,
    Severity,
};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, NotSet,
    QueryFilter, QueryOrder, QuerySelect,
};

use crate::convert::{from_db, from_db_opt, micros, to_db, to_db_opt};
use crate::cursor::{Cursor, Keyset, page};
use crate::db::{contact, inbound_attachment, inbound_email, member, problem, problem_account};
use crate::error::DbResult;
use crate::problems::create_in;
use crate::problems::record::record_in;
use crate::{Actor, NewProblem, Page, PageRequest, Result, Store, StoreError};

/// Category of the problems opened from email, until someone triages them.
pub const TRIAGE_CATEGORY: &str = "triage";

/// A file to keep with an inbound message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewAttachment {
    pub filename: String,
    pub content_type: String,
    pub content: Vec<u8>,
}

/// A parsed inbound message (the notify crate's parser fills it in).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewInboundEmail {
    /// Without angle brackets.
    pub message_id: Option<String>,
    pub from_email: Option<Email>,
    pub from_name: Option<String>,
    pub subject: String,
    pub sent_at: Option<Timestamp>,
    /// The problem of one of our own emails that it answers.
    pub answers: Option<ProblemId>,
    /// The `[MG-12]` tag of its subject.
    pub tag: Option<ProblemNumber>,
    /// The message as it arrived.
    pub raw: Vec<u8>,
    pub text: String,
    /// The new words: no quoted thread, no signature.
    pub reply: String,
    pub attachments: Vec<NewAttachment>,
    /// Files left out (too large, too many), as "name: reason".
    pub skipped: Vec<String>,
}

/// What became of an inbound message.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Ingested {
    /// Added to the timeline of an existing problem.
    Threaded { inbound: i64, problem: ProblemId },
    /// A new problem in triage, owned by the triage owner.
    Opened { inbound: i64, problem: ProblemId },
    /// Kept for a person to review, with the reason.
    Held { inbound: i64, reason: String },
    /// The same Message-ID was recorded before; nothing changed.
    Duplicate { inbound: i64 },
}

/// An inbound message as listed for review.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct InboundSummary {
    pub id: i64,
    pub message_id: Option<String>,
    pub from_email: Option<String>,
    pub from_name: Option<String>,
    pub subject: String,
    pub received_at: Timestamp,
    pub sent_at: Option<Timestamp>,
    pub reply: String,
    pub sentiment: Sentiment,
    /// `threaded`, `opened`, `held` or (after review) `dismissed`.
    pub status: String,
    pub reason: Option<String>,
    pub problem: Option<ProblemId>,
    pub contact: Option<ContactId>,
    /// Who reviewed it when it was held, and when.
    pub reviewed_by: Option<MemberId>,
    pub reviewed_at: Option<Timestamp>,
}

pub(crate) fn summary(row: inbound_email::Model) -> Result<InboundSummary> {
    Ok(InboundSummary {
        id: row.id,
        message_id: row.message_id,
        from_email: row.from_email,
        from_name: row.from_name,
        subject: row.subject,
        received_at: from_db(row.received_at)?,
        sent_at: from_db_opt(row.sent_at)?,
        reply: row.reply,
        sentiment: Sentiment(row.sentiment),
        status: row.status,
        reason: row.reason,
        problem: row.problem_id.map(ProblemId),
        contact: row.contact_id.map(ContactId),
        reviewed_by: row.reviewed_by.map(MemberId),
        reviewed_at: from_db_opt(row.reviewed_at)?,
    })
}

/// Where a message goes, before it is written.
enum Route {
    Thread(i64),
    Open,
    Hold(String),
}

/// The contact with this address (any case), the lowest id when several share it.
pub(crate) async fn contact_by_email<C: ConnectionTrait>(
    c: &C,
    email: &Email,
) -> Result<Option<contact::Model>> {
    contact::Entity::find()
        .filter(
            Expr::expr(Func::lower(Expr::col(contact::Column::Email)))
                .eq(email.as_str().to_lowercase()),
        )
        .order_by_asc(contact::Column::Id)
        .one(c)
        .await
        .db()
}

async fn route<C: ConnectionTrait>(
    c: &C,
    mail: &NewInboundEmail,
    sender: Option<&contact::Model>,
) -> Result<Route> {
    let Some(sender) = sender else {
        let who = mail.from_email.as_ref().map_or_else(
            || "a sender without an address".to_owned(),
            |e| e.to_string(),
        );
        return Ok(Route::Hold(format!(
            "{who} is not a contact of any account"
        )));
    };
    let wanted = mail.answers.map(|p| p.0).or(mail.tag.map(|n| n.0));
    let Some(wanted) = wanted else {
        return Ok(Route::Open);
    };
    if problem::Entity::find_by_id(wanted)
        .one(c)
        .await
        .db()?
        .is_none()
    {
        return Ok(Route::Hold(format!(
            "it refers to {}, which does not exist",
            ProblemNumber(wanted)
        )));
    }
    let affected = problem_account::Entity::find()
        .filter(problem_account::Column::ProblemId.eq(wanted))
        .filter(problem_account::Column::AccountId.eq(sender.account_id))
        .one(c)
        .await
        .db()?
        .is_some();
    Ok(if affected {
        Route::Thread(wanted)
    } else {
        Route::Hold(format!(
            "{} wrote about {}, which does not affect their account",
            sender.name,
            ProblemNumber(wanted)
        ))
    })
}

/// The active admin who has been one longest (lowest id).
async fn first_admin<C: ConnectionTrait>(c: &C) -> Result<Option<MemberId>> {
    Ok(member::Entity::find()
        .filter(member::Column::Role.eq(Role::Admin.as_str()))
        .filter(member::Column::Active.eq(true))
        .order_by_asc(member::Column::Id)
        .one(c)
        .await
        .db()?
        .map(|m| MemberId(m.id)))
}

/// A title for a problem opened from `subject`: without reply prefixes, never empty.
pub(crate) fn triage_title(subject: &str, sender: &contact::Model) -> String {
    let mut s = subject.trim();
    loop {
        let lower = s.to_lowercase();
        let Some(rest) = ["re:", "aw:", "fw:", "fwd:", "wg:", "tr:", "sv:"]
            .iter()
            .find_map(|p| lower.starts_with(p).then(|| &s[p.len()..]))
        else {
            break;
        };
        s = rest.trim_start();
    }
    let title: String = s
        .chars()
        .take(makegood_domain::text::limits::TITLE)
        .collect();
    if title.trim().is_empty() {
        format!("Email from {}", sender.name)
    } else {
        title
    }
}

pub(crate) async fn ingest(
    store: &Store,
    mail: NewInboundEmail,
    triage_owner: Option<MemberId>,
    now: Timestamp,
) -> Result<Ingested> {
    let now = micros(now);
    let txn = store.write().await?;
    if let Some(id) = &mail.message_id {
        let seen = inbound_email::Entity::find()
            .filter(inbound_email::Column::MessageId.eq(id.clone()))
            .one(&txn)
            .await
            .db()?;
        if let Some(seen) = seen {
            return Ok(Ingested::Duplicate { inbound: seen.id });
        }
    }
    let sender = match &mail.from_email {
        Some(email) => contact_by_email(&txn, email).await?,
        None => None,
    };
    let mut route = route(&txn, &mail, sender.as_ref()).await?;
    let triage_owner = match (&route, triage_owner) {
        (Route::Open, None) => first_admin(&txn).await?,
        (_, owner) => owner,
    };
    if matches!(route, Route::Open) && triage_owner.is_none() {
        route = Route::Hold("no active admin can own a new problem opened from email".into());
    }
    let sentiment = Sentiment::of(&mail.reply);
    let (status, reason) = match &route {
        Route::Thread(_) => ("threaded", None),
        Route::Open => ("opened", None),
        Route::Hold(reason) => ("held", Some(reason.clone())),
    };
    let row = inbound_email::ActiveModel {
        id: NotSet,
        message_id: Set(mail.message_id.clone()),
        from_email: Set(mail.from_email.as_ref().map(|e| e.to_string())),
        from_name: Set(mail.from_name.clone()),
        subject: Set(mail.subject.clone()),
        sent_at: Set(to_db_opt(mail.sent_at.map(micros))),
        received_at: Set(to_db(now)),
        raw: Set(mail.raw.clone()),
        text: Set(mail.text.clone()),
        reply: Set(mail.reply.clone()),
        sentiment: Set(sentiment.0),
        status: Set(status.to_owned()),
        reason: Set(reason),
        problem_id: Set(None),
        contact_id: Set(sender.as_ref().map(|s| s.id)),
        reviewed_by: Set(None),
        reviewed_at: Set(None),
    }
    .insert(&txn)
    .await
    .map_err(|e| match e.sql_err() {
        // Another process recorded the same message a moment ago.
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
            StoreError::Conflict("this message was recorded a moment ago".into())
        }
        _ => crate::error::from_db(e),
    })?;
    let mut names: Vec<String> = Vec::with_capacity(mail.attachments.len());
    for a in &mail.attachments {
        names.push(a.filename.clone());
        inbound_attachment::ActiveModel {
            id: NotSet,
            inbound_id: Set(row.id),
            filename: Set(a.filename.clone()),
            content_type: Set(a.content_type.clone()),
            size: Set(i64::try_from(a.content.len()).unwrap_or(i64::MAX)),
            content: Set(a.content.clone()),
        }
        .insert(&txn)
        .await
        .db()?;
    }
    names.extend(mail.skipped.iter().map(|s| format!("{s} (not kept)")));

    let (problem, outcome): (Option<i64>, fn(i64, ProblemId) -> Ingested) = match route {
        Route::Hold(reason) => {
            txn.commit().await.db()?;
            return Ok(Ingested::Held {
                inbound: row.id,
                reason,
            });
        }
        Route::Thread(p) => (Some(p), |inbound, problem| Ingested::Threaded {
            inbound,
            problem,
        }),
        Route::Open => (None, |inbound, problem| Ingested::Opened {
            inbound,
            problem,
        }),
    };
    let Some(sender) = sender else {
        return Err(StoreError::Database("a routed message has a sender".into()));
    };
    let problem = match problem {
        Some(p) => p,
        None => {
            let owner = triage_owner.ok_or_else(|| StoreError::Database("triage owner".into()))?;
            let detected_at = mail.sent_at.map(micros).filter(|t| *t <= now);
            let new = NewProblem {
                title: triage_title(&mail.subject, &sender),
                description: String::new(),
                origin: Origin::Unknown,
                vendor: None,
                severity: Severity::Minor,
                category: TRIAGE_CATEGORY.to_owned(),
                owner,
                accounts: vec![makegood_domain::AccountId(sender.account_id)],
                stakeholders: vec![ContactId(sender.id)],
                include_locations: false,
                all_stakeholders: false,
                detected_at,
            };
            let actor = Actor { member: owner, now };
            create_in(&txn, actor, new).await?.problem.id.0
        }
    };
    inbound_email::Entity::update_many()
        .col_expr(inbound_email::Column::ProblemId, Expr::value(problem))
        .filter(inbound_email::Column::Id.eq(row.id))
        .exec(&txn)
        .await
        .db()?;
    let event = EventKind::CustomerReplied {
        contact: ContactId(sender.id),
        body: mail.reply.clone(),
        sentiment,
        inbound: Some(row.id),
        attachments: names,
    };
    record_in(&txn, problem, None, &event, now).await?;
    txn.commit().await.db()?;
    Ok(outcome(row.id, ProblemId(problem)))
}

pub(crate) async fn get(store: &Store, id: i64) -> Result<InboundSummary> {
    let row = inbound_email::Entity::find_by_id(id)
        .one(&store.db)
        .await
        .db()?
        .ok_or(StoreError::not_found("inbound email"))?;
    summary(row)
}

/// Held messages, oldest first.
pub(crate) async fn held(
    store: &Store,
    page_request: &PageRequest,
) -> Result<Page<InboundSummary>> {
    const LIST: &str = "held";
    let keyset = Keyset::of(page_request, LIST)?;
    let mut query = inbound_email::Entity::find().filter(inbound_email::Column::Status.eq("held"));
    if let Some(after) = &keyset.after {
        query = query.filter(inbound_email::Column::Id.gt(after.id));
    }
    let rows = query
        .order_by_asc(inbound_email::Column::Id)
        .limit(keyset.fetch())
        .all(&store.db)
        .await
        .db()?;
    let (rows, next) = keyset.finish(rows, |r| Cursor::new(LIST, r.id));
    Ok(page(
        rows.into_iter().map(summary).collect::<Result<_>>()?,
        next,
    ))
}

impl Store {
    /// Records one inbound message and routes it (see the module docs); `triage_owner` owns
    /// the problems opened from email, by default the first active admin. One transaction.
    pub async fn ingest_email(
        &self,
        mail: NewInboundEmail,
        triage_owner: Option<MemberId>,
        now: Timestamp,
    ) -> Result<Ingested> {
        ingest(self, mail, triage_owner, now).await
    }

    /// The inbound message `id`.
    pub async fn inbound_email(&self, id: i64) -> Result<InboundSummary> {
        get(self, id).await
    }

    /// Messages held for review, oldest first.
    pub async fn held_emails(&self, page: &PageRequest) -> Result<Page<InboundSummary>> {
        held(self, page).await
    }
}
