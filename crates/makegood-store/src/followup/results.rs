//! What the follow-up surveys say, per problem and per account, and an account's outcomes.

use std::collections::{HashMap, HashSet};

use makegood_domain::duty::ProblemRef;
use makegood_domain::followup::{Recommender, is_low};
use makegood_domain::{AccountId, EventKind, ProblemId, ProblemNumber, Status};
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::convert::{from_db, from_db_opt, from_json, name_of};
use crate::db::{account, contact, event, problem, problem_account, survey};
use crate::error::DbResult;
use crate::problems::load;
use crate::{AccountSurvey, OutcomeEntry, Result, Store, StoreError, SurveySummary, SurveyView};

/// A stored answer out of its range.
fn corrupt(id: i64) -> StoreError {
    StoreError::Database(format!("survey {id}: an answer out of range"))
}

/// A stored survey as a view, for the contact named `name`.
pub(super) fn to_view(s: &survey::Model, name: &str) -> Result<SurveyView> {
    let rating = s
        .rating
        .map(|r| u8::try_from(r).map_err(|_| corrupt(s.id)))
        .transpose()?;
    let recommend = s
        .recommend
        .map(|r| u8::try_from(r).map_err(|_| corrupt(s.id)))
        .transpose()?;
    Ok(SurveyView {
        problem: ProblemId(s.problem_id),
        contact: makegood_domain::ContactId(s.contact_id),
        contact_name: name.to_owned(),
        sent_at: from_db(s.sent_at)?,
        answered_at: from_db_opt(s.answered_at)?,
        rating,
        recommend,
        comment: s.comment.clone(),
        low: matches!((rating, recommend), (Some(r), Some(n)) if is_low(r, n)),
    })
}

/// The names of contacts `ids`.
async fn names<C: ConnectionTrait>(c: &C, ids: Vec<i64>) -> Result<HashMap<i64, String>> {
    Ok(contact::Entity::find()
        .filter(contact::Column::Id.is_in(ids))
        .all(c)
        .await
        .db()?
        .into_iter()
        .map(|x| (x.id, x.name))
        .collect())
}

fn views(rows: &[survey::Model], names: &HashMap<i64, String>) -> Result<Vec<SurveyView>> {
    rows.iter()
        .map(|s| {
            let name = names.get(&s.contact_id).map_or("a former contact", |n| n);
            to_view(s, name)
        })
        .collect()
}

pub(super) async fn of_problem(store: &Store, id: ProblemId) -> Result<Vec<SurveyView>> {
    load::row(&store.db, id, false).await?;
    let rows = survey::Entity::find()
        .filter(survey::Column::ProblemId.eq(id.0))
        .order_by_asc(survey::Column::Id)
        .all(&store.db)
        .await
        .db()?;
    let names = names(&store.db, rows.iter().map(|s| s.contact_id).collect()).await?;
    views(&rows, &names)
}

/// The references of problems `ids`.
async fn refs<C: ConnectionTrait>(c: &C, ids: Vec<i64>) -> Result<HashMap<i64, ProblemRef>> {
    Ok(problem::Entity::find()
        .filter(problem::Column::Id.is_in(ids))
        .all(c)
        .await
        .db()?
        .into_iter()
        .map(|p| {
            let r = ProblemRef {
                id: ProblemId(p.id),
                number: ProblemNumber(p.id),
                title: p.title,
            };
            (p.id, r)
        })
        .collect())
}

async fn account_exists<C: ConnectionTrait>(c: &C, id: AccountId) -> Result<()> {
    account::Entity::find_by_id(id.0)
        .one(c)
        .await
        .db()?
        .map(|_| ())
        .ok_or(StoreError::not_found("account"))
}

pub(super) async fn of_account(store: &Store, id: AccountId, latest: u64) -> Result<SurveySummary> {
    let c = &store.db;
    account_exists(c, id).await?;
    let of_account = Query::select()
        .column(contact::Column::Id)
        .from(contact::Entity)
        .and_where(contact::Column::AccountId.eq(id.0))
        .take();
    let mine =
        || survey::Entity::find().filter(survey::Column::ContactId.in_subquery(of_account.clone()));
    let sent: Vec<i64> = mine()
        .select_only()
        .column(survey::Column::Id)
        .into_tuple()
        .all(c)
        .await
        .db()?;
    let answers: Vec<(Option<i16>, Option<i16>)> = mine()
        .select_only()
        .column(survey::Column::Rating)
        .column(survey::Column::Recommend)
        .filter(survey::Column::AnsweredAt.is_not_null())
        .into_tuple()
        .all(c)
        .await
        .db()?;
    let answered: Vec<(i64, i64)> = answers
        .into_iter()
        .filter_map(|(r, n)| Some((i64::from(r?), i64::from(n?))))
        .collect();
    let count = i64::try_from(answered.len()).unwrap_or(i64::MAX);
    let (average_rating, nps) = if count == 0 {
        (None, None)
    } else {
        let total: i64 = answered.iter().map(|a| a.0).sum();
        let score = |kind| {
            let n = answered
                .iter()
                .filter(|a| Recommender::of(u8::try_from(a.1).unwrap_or(0)) == kind)
                .count();
            i64::try_from(n).unwrap_or(0)
        };
        let net = score(Recommender::Promoter) - score(Recommender::Detractor);
        #[expect(clippy::cast_precision_loss, reason = "counts of surveys are small")]
        let average = total as f64 / count as f64;
        (Some(average), Some((net * 100).div_euclid(count)))
    };
    let rows = mine()
        .filter(survey::Column::AnsweredAt.is_not_null())
        .order_by_desc(survey::Column::AnsweredAt)
        .order_by_desc(survey::Column::Id)
        .limit(latest)
        .all(c)
        .await
        .db()?;
    let names = names(c, rows.iter().map(|s| s.contact_id).collect()).await?;
    let refs = refs(c, rows.iter().map(|s| s.problem_id).collect()).await?;
    let mut items = Vec::with_capacity(rows.len());
    for (row, view) in rows.iter().zip(views(&rows, &names)?) {
        if let Some(problem) = refs.get(&row.problem_id) {
            items.push(AccountSurvey {
                problem: problem.clone(),
                survey: view,
            });
        }
    }
    Ok(SurveySummary {
        sent: u64::try_from(sent.len()).unwrap_or(u64::MAX),
        answered: u64::try_from(count).unwrap_or(0),
        average_rating,
        nps,
        latest: items,
    })
}

/// The ids of the problems affecting account `id`, as a subquery.
fn affecting(id: AccountId) -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(problem_account::Column::ProblemId)
        .from(problem_account::Entity)
        .and_where(problem_account::Column::AccountId.eq(id.0))
        .take()
}

pub(super) async fn outcomes(
    store: &Store,
    id: AccountId,
    limit: u64,
) -> Result<Vec<OutcomeEntry>> {
    let c = &store.db;
    account_exists(c, id).await?;
    let closed: HashSet<i64> = problem::Entity::find()
        .select_only()
        .column(problem::Column::Id)
        .filter(problem::Column::Status.eq(name_of(&Status::Closed)))
        .filter(problem::Column::Id.in_subquery(affecting(id)))
        .into_tuple::<i64>()
        .all(c)
        .await
        .db()?
        .into_iter()
        .collect();
    if closed.is_empty() || limit == 0 {
        return Ok(Vec::new());
    }
    // Each closed problem's latest `closed` event: reopened and closed again, the last counts.
    let events = event::Entity::find()
        .filter(event::Column::Kind.eq("closed"))
        .filter(event::Column::ProblemId.in_subquery(affecting(id)))
        .order_by_desc(event::Column::At)
        .order_by_desc(event::Column::Id)
        .all(c)
        .await
        .db()?;
    let mut seen = HashSet::new();
    let mut picked = Vec::new();
    for e in events {
        let Some(problem) = e.problem_id else {
            continue;
        };
        if !closed.contains(&problem) || !seen.insert(problem) {
            continue;
        }
        if let EventKind::Closed { outcome } = from_json(&e.data)? {
            picked.push((problem, from_db(e.at)?, outcome));
        }
        if picked.len() as u64 >= limit {
            break;
        }
    }
    let refs = refs(c, picked.iter().map(|p| p.0).collect()).await?;
    Ok(picked
        .into_iter()
        .filter_map(|(p, closed_at, outcome)| {
            refs.get(&p).map(|r| OutcomeEntry {
                problem: r.clone(),
                closed_at,
                outcome,
            })
        })
        .collect())
}
