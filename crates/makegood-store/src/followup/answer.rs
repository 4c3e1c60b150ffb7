//! A stakeholder's answer to the follow-up survey, and the alert a low one raises.

use jiff::Timestamp;
use makegood_domain::followup::FollowUp;
use makegood_domain::text::limits;
use makegood_domain::{
    ContactId, EventKind, MemberId, Notice, ProblemId, ProblemNumber, Recipient, Sentiment,
};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::results::to_view;
use crate::convert::{email, micros, to_db};
use crate::db::{account, contact, problem, survey};
use crate::error::DbResult;
use crate::incidents::reach;
use crate::problems::{load, notices::problem_ref, record::record_in};
use crate::scheduler::alerts::recipients;
use crate::validate::optional_text;
use crate::{Result, Store, StoreError, SurveyView, outbox};

/// Contact `id` when problem `problem` affects their account; otherwise `NotFound` for the
/// problem, so a contact learns nothing of another account's problems.
async fn scoped_contact<C: ConnectionTrait>(
    c: &C,
    id: ContactId,
    problem: i64,
) -> Result<contact::Model> {
    let found = contact::Entity::find_by_id(id.0)
        .one(c)
        .await
        .db()?
        .ok_or(StoreError::not_found("contact"))?;
    if !reach::accounts_of(c, problem)
        .await?
        .contains(&found.account_id)
    {
        return Err(StoreError::not_found("problem"));
    }
    Ok(found)
}

async fn find<C: ConnectionTrait>(
    c: &C,
    problem: i64,
    contact: i64,
) -> Result<Option<survey::Model>> {
    survey::Entity::find()
        .filter(survey::Column::ProblemId.eq(problem))
        .filter(survey::Column::ContactId.eq(contact))
        .one(c)
        .await
        .db()
}

pub(super) async fn survey_for(
    store: &Store,
    contact: ContactId,
    problem: ProblemId,
) -> Result<Option<SurveyView>> {
    load::row(&store.db, problem, false).await?;
    let person = scoped_contact(&store.db, contact, problem.0).await?;
    find(&store.db, problem.0, contact.0)
        .await?
        .map(|s| to_view(&s, &person.name))
        .transpose()
}

pub(super) async fn answer(
    store: &Store,
    contact: ContactId,
    problem: ProblemId,
    answer: FollowUp,
    now: Timestamp,
) -> Result<SurveyView> {
    let now = micros(now);
    let comment = optional_text("comment", &answer.comment, limits::MESSAGE)?;
    let txn = store.write().await?;
    let row = load::row(&txn, problem, true).await?;
    let person = scoped_contact(&txn, contact, row.id).await?;
    let number = ProblemNumber(row.id);
    let Some(sent) = find(&txn, row.id, contact.0).await? else {
        return Err(StoreError::Conflict(format!(
            "no follow-up survey was sent to {} about {number}",
            person.name
        )));
    };
    if sent.answered_at.is_some() {
        return Err(StoreError::Conflict(format!(
            "{} already answered the follow-up survey about {number}",
            person.name
        )));
    }
    let sentiment = Sentiment::of(&comment);
    let saved = survey::Entity::update_many()
        .col_expr(survey::Column::AnsweredAt, Expr::value(Some(to_db(now))))
        .col_expr(
            survey::Column::Rating,
            Expr::value(Some(i16::from(answer.rating))),
        )
        .col_expr(
            survey::Column::Recommend,
            Expr::value(Some(i16::from(answer.recommend))),
        )
        .col_expr(survey::Column::Comment, Expr::value(Some(comment.clone())))
        .col_expr(survey::Column::Sentiment, Expr::value(Some(sentiment.0)))
        .filter(survey::Column::Id.eq(sent.id))
        .filter(survey::Column::AnsweredAt.is_null())
        .exec(&txn)
        .await
        .db()?;
    if saved.rows_affected != 1 {
        return Err(StoreError::Conflict(format!(
            "{} already answered the follow-up survey about {number}",
            person.name
        )));
    }
    let event = EventKind::SurveyAnswered {
        contact,
        rating: answer.rating,
        recommend: answer.recommend,
        comment: comment.clone(),
        sentiment,
    };
    record_in(&txn, row.id, None, &event, now).await?;
    if answer.is_low() {
        let answer = FollowUp { comment, ..answer };
        low_rating(&txn, &row, &person, &answer, now).await?;
    }
    let view = match find(&txn, row.id, contact.0).await? {
        Some(s) => to_view(&s, &person.name)?,
        None => return Err(StoreError::not_found("survey")),
    };
    txn.commit().await.db()?;
    Ok(view)
}

/// Emails the owner of `row` and every supervisor and admin (active, with email alerts on)
/// at once about `person`'s low answer.
async fn low_rating<C: ConnectionTrait>(
    c: &C,
    row: &problem::Model,
    person: &contact::Model,
    answer: &FollowUp,
    now: Timestamp,
) -> Result<()> {
    let Some(reference) = problem_ref(c, row.id).await? else {
        return Ok(());
    };
    let account = account::Entity::find_by_id(person.account_id)
        .one(c)
        .await
        .db()?
        .map_or_else(|| "the customer".to_owned(), |a| a.name);
    for (m, _) in recipients(c, row.owner_id, true).await? {
        let notice = Notice::LowRating {
            to: Recipient {
                name: m.name.clone(),
                email: email(&m.email)?,
                time_zone: m.time_zone.clone(),
            },
            member: MemberId(m.id),
            problem: reference.clone(),
            contact: person.name.clone(),
            account: account.clone(),
            rating: answer.rating,
            recommend: answer.recommend,
            comment: answer.comment.clone(),
        };
        outbox::enqueue(c, &notice, Some(ProblemId(row.id)), now, now).await?;
    }
    Ok(())
}
