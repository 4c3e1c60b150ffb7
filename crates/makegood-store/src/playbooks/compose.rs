//! Rendering a playbook's message template for a problem and a contact, for the composer.
//! Nothing is sent: the member reviews the text and sends it as an update.

use makegood_domain::playbook::render::{
    ContactVars, NameVars, ProblemVars, PromiseVars, first_name, format_time,
};
use makegood_domain::playbook::{TemplateContext, render_template};
use makegood_domain::{ContactId, ProblemId, ProblemNumber, PromiseStatus, TemplateKind};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;

use super::for_category;
use crate::convert::{from_db, micros, name_of, to_db};
use crate::db::{
    account, contact, member, organisation, problem, problem_account, problem_stakeholder, promise,
    promise_contact,
};
use crate::error::DbResult;
use crate::problems::load as problem_load;
use crate::validate;
use crate::{Actor, Result, Store, StoreError};

/// A template rendered for one contact of a problem.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RenderedMessage {
    pub kind: TemplateKind,
    pub contact: ContactId,
    /// The text to review before sending.
    pub body: String,
}

/// The contact a message goes to: `wanted` (of one of the problem's accounts), else the
/// problem's first stakeholder.
async fn recipient<C: ConnectionTrait>(
    c: &C,
    problem: &problem::Model,
    wanted: Option<ContactId>,
) -> Result<contact::Model> {
    let id = match wanted {
        Some(id) => {
            let accounts: Vec<i64> = problem_account::Entity::find()
                .filter(problem_account::Column::ProblemId.eq(problem.id))
                .all(c)
                .await
                .db()?
                .into_iter()
                .map(|a| a.account_id)
                .collect();
            validate::contacts(c, "contact", &[id], Some(&accounts)).await?;
            id.0
        }
        None => problem_stakeholder::Entity::find()
            .filter(problem_stakeholder::Column::ProblemId.eq(problem.id))
            .order_by_asc(problem_stakeholder::Column::Position)
            .one(c)
            .await
            .db()?
            .map(|s| s.contact_id)
            .ok_or_else(|| {
                StoreError::invalid(
                    "contact",
                    format!(
                        "{} has no stakeholder; name the contact to write to",
                        ProblemNumber(problem.id)
                    ),
                )
            })?,
    };
    contact::Entity::find_by_id(id)
        .one(c)
        .await
        .db()?
        .ok_or(StoreError::invalid(
            "contact",
            format!("contact {id} does not exist"),
        ))
}

/// The open promise a message mentions: the soonest due made to `contact`, else the soonest
/// due on the problem.
async fn open_promise<C: ConnectionTrait>(
    c: &C,
    problem: i64,
    contact: i64,
    now: jiff::Timestamp,
) -> Result<Option<promise::Model>> {
    let open = promise::Entity::find()
        .filter(promise::Column::ProblemId.eq(problem))
        .filter(promise::Column::Status.eq(name_of(&PromiseStatus::Open)))
        .filter(promise::Column::DueAt.gt(to_db(now)))
        .order_by_asc(promise::Column::DueAt)
        .order_by_asc(promise::Column::Id)
        .all(c)
        .await
        .db()?;
    let ids: Vec<i64> = open.iter().map(|p| p.id).collect();
    let to_contact: Vec<i64> = promise_contact::Entity::find()
        .filter(promise_contact::Column::PromiseId.is_in(ids))
        .filter(promise_contact::Column::ContactId.eq(contact))
        .all(c)
        .await
        .db()?
        .into_iter()
        .map(|l| l.promise_id)
        .collect();
    let mine = open.iter().find(|p| to_contact.contains(&p.id)).cloned();
    Ok(mine.or_else(|| open.into_iter().next()))
}

impl Store {
    /// Renders the `kind` template of problem `id`'s playbook for `contact` (default: the first
    /// stakeholder), dates in the acting member's time zone. `NotFound` when the category has
    /// no playbook or the playbook no such template; a template that fails is `Invalid` on
    /// `template` with its line and message.
    pub async fn render_message(
        &self,
        actor: Actor,
        id: ProblemId,
        kind: TemplateKind,
        contact: Option<ContactId>,
    ) -> Result<RenderedMessage> {
        let now = micros(actor.now);
        let txn = self.read().await?;
        let row = problem_load::row(&txn, id, false).await?;
        let playbook = for_category(&txn, &row.category)
            .await?
            .ok_or(StoreError::NotFound {
                what: "playbook for this problem's category",
            })?;
        let source = playbook.templates.get(kind).to_owned();
        if source.trim().is_empty() {
            return Err(StoreError::NotFound {
                what: "template of this kind in the category's playbook",
            });
        }
        let to = recipient(&txn, &row, contact).await?;
        let account = account::Entity::find_by_id(to.account_id)
            .one(&txn)
            .await
            .db()?
            .map(|a| a.name)
            .unwrap_or_default();
        let owner = member::Entity::find_by_id(row.owner_id)
            .one(&txn)
            .await
            .db()?
            .map(|m| m.name)
            .unwrap_or_default();
        let zone = member::Entity::find_by_id(actor.member.0)
            .one(&txn)
            .await
            .db()?
            .map_or_else(|| "UTC".to_owned(), |m| m.time_zone);
        let organisation = organisation::Entity::find()
            .one(&txn)
            .await
            .db()?
            .and_then(|o| o.name)
            .unwrap_or_default();
        let promise = match open_promise(&txn, row.id, to.id, now).await? {
            Some(p) => Some(PromiseVars {
                what: p.what,
                due_at: format_time(from_db(p.due_at)?, &zone),
            }),
            None => None,
        };
        txn.commit().await.db()?;
        let context = TemplateContext {
            contact: ContactVars {
                first_name: first_name(&to.name),
                name: to.name,
                role_title: to.role_title,
            },
            account: NameVars { name: account },
            problem: ProblemVars {
                number: ProblemNumber(row.id).to_string(),
                title: row.title,
                category: row.category,
            },
            owner: NameVars { name: owner },
            organisation: NameVars { name: organisation },
            promise,
        };
        let body = render_template(kind, &source, &context)
            .map_err(|e| StoreError::invalid("template", e.to_string()))?;
        Ok(RenderedMessage {
            kind,
            contact: ContactId(to.id),
            body,
        })
    }
}
