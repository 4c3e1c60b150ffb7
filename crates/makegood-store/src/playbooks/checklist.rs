//! A problem's checklist: its category's playbook items with who ticked them and when.
//!
//! A tick or untick is one transaction: the tick row and a `checklist_item_done` /
//! `checklist_item_undone` event on the timeline. Ticking what is done (or unticking what is
//! not) changes nothing and records nothing, so a form sent twice is harmless.

use jiff::Timestamp;
use makegood_domain::playbook::Tick;
use makegood_domain::{Checklist, EventKind, MemberId, ProblemId};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};

use super::entities::checklist_tick;
use super::for_category;
use crate::convert::{from_db, micros, to_db};
use crate::error::DbResult;
use crate::problems::{append, load as problem_load};
use crate::{Actor, Result, Store, StoreError};

/// The checklist of problem `problem` (category `category`).
async fn checklist_of<C: ConnectionTrait>(
    c: &C,
    problem: i64,
    category: &str,
) -> Result<Checklist> {
    let Some(playbook) = for_category(c, category).await? else {
        return Ok(Checklist::new(None, category, &[], &[]));
    };
    let ticks = checklist_tick::Entity::find()
        .filter(checklist_tick::Column::ProblemId.eq(problem))
        .all(c)
        .await
        .db()?
        .into_iter()
        .map(|t| {
            Ok((
                t.item,
                Tick {
                    by: MemberId(t.done_by),
                    at: from_db(t.done_at)?,
                },
            ))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Checklist::new(
        Some(playbook.id),
        category,
        &playbook.items,
        &ticks,
    ))
}

impl Store {
    /// The checklist of problem `id`: empty, with no playbook, when its category has none.
    pub async fn checklist(&self, id: ProblemId) -> Result<Checklist> {
        let txn = self.read().await?;
        let row = problem_load::row(&txn, id, false).await?;
        let list = checklist_of(&txn, row.id, &row.category).await?;
        txn.commit().await.db()?;
        Ok(list)
    }

    /// Ticks (`done`) or unticks item `position` (1-based) of problem `id`'s checklist.
    ///
    /// `expected` is the item text the caller saw: if the playbook changed meanwhile and the
    /// position now holds another item, the call is refused (`Conflict`) rather than tick the
    /// wrong thing.
    pub async fn set_checklist_item(
        &self,
        actor: Actor,
        id: ProblemId,
        position: u32,
        done: bool,
        expected: Option<&str>,
    ) -> Result<Checklist> {
        let now: Timestamp = micros(actor.now);
        let txn = self.write().await?;
        let row = problem_load::row(&txn, id, true).await?;
        let list = checklist_of(&txn, row.id, &row.category).await?;
        if list.playbook.is_none() {
            return Err(StoreError::NotFound {
                what: "playbook for this problem's category",
            });
        }
        let item = list
            .item(position)
            .ok_or(StoreError::not_found("checklist item"))?
            .clone();
        if let Some(expected) = expected.map(str::trim).filter(|e| *e != item.text) {
            return Err(StoreError::Conflict(format!(
                "the checklist changed: item {position} is now “{}”, not “{expected}”; reload and try again",
                item.text
            )));
        }
        if item.done.is_some() == done {
            txn.commit().await.db()?;
            return Ok(list);
        }
        let event = if done {
            checklist_tick::ActiveModel {
                problem_id: Set(row.id),
                item: Set(item.text.clone()),
                position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
                done_by: Set(actor.member.0),
                done_at: Set(to_db(now)),
            }
            .insert(&txn)
            .await
            .db()?;
            EventKind::ChecklistItemDone {
                position,
                item: item.text,
            }
        } else {
            checklist_tick::Entity::delete_many()
                .filter(checklist_tick::Column::ProblemId.eq(row.id))
                .filter(checklist_tick::Column::Item.eq(item.text.clone()))
                .exec(&txn)
                .await
                .db()?;
            EventKind::ChecklistItemUndone {
                position,
                item: item.text,
            }
        };
        append(&txn, Some(row.id), None, now, Some(actor.member.0), &event).await?;
        let list = checklist_of(&txn, row.id, &row.category).await?;
        txn.commit().await.db()?;
        Ok(list)
    }
}
