//! Playbooks: per problem category, a checklist and message templates (admins edit them);
//! a problem's checklist and its ticks in [`checklist`], rendering a template in [`compose`].
//!
//! What happens to progress when a playbook is edited: ticks are keyed by the item's text.
//! An item moved keeps its tick; an item reworded is a new item, not done; an item removed
//! leaves the checklist (its tick stays stored and shows again should the same text return).
//! Every tick and untick is on the timeline, so the history survives any edit.

mod checklist;
mod compose;
mod entities;

use jiff::Timestamp;
use makegood_domain::playbook::{PlaybookDraft, category_key};
use makegood_domain::{Playbook, PlaybookId, TemplateKind, Templates};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, NotSet,
    QueryFilter, QueryOrder,
};

pub use compose::RenderedMessage;
use entities::{playbook, playbook_item, playbook_template};

use crate::convert::{micros, to_db};
use crate::error::{DbResult, unique_or};
use crate::{Result, Store, StoreError};

/// The first refusal of a draft, as the store reports it (the web checks the draft first and
/// shows every refusal).
fn checked(draft: &PlaybookDraft) -> Result<PlaybookDraft> {
    draft
        .validate()
        .map_err(|errors| match errors.into_iter().next() {
            Some(e) => StoreError::invalid(e.field, e.message),
            None => StoreError::invalid("playbook", "is invalid"),
        })
}

fn taken(category: &str) -> impl FnOnce() -> String + '_ {
    move || format!("there is already a playbook for the category “{category}”")
}

/// The playbooks of `rows`, with their items and templates.
async fn assemble<C: ConnectionTrait>(c: &C, rows: Vec<playbook::Model>) -> Result<Vec<Playbook>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let items = playbook_item::Entity::find()
        .filter(playbook_item::Column::PlaybookId.is_in(ids.clone()))
        .order_by_asc(playbook_item::Column::PlaybookId)
        .order_by_asc(playbook_item::Column::Position)
        .all(c)
        .await
        .db()?;
    let templates = playbook_template::Entity::find()
        .filter(playbook_template::Column::PlaybookId.is_in(ids))
        .all(c)
        .await
        .db()?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let mut t = Templates::default();
            for tpl in templates.iter().filter(|x| x.playbook_id == row.id) {
                if let Some(kind) = TemplateKind::parse(&tpl.kind) {
                    tpl.body.clone_into(t.get_mut(kind));
                }
            }
            Playbook {
                id: PlaybookId(row.id),
                category: row.category,
                items: items
                    .iter()
                    .filter(|i| i.playbook_id == row.id)
                    .map(|i| i.text.clone())
                    .collect(),
                templates: t,
            }
        })
        .collect())
}

/// Playbook `id`.
async fn load<C: ConnectionTrait>(c: &C, id: PlaybookId) -> Result<Playbook> {
    let row = playbook::Entity::find_by_id(id.0)
        .one(c)
        .await
        .db()?
        .ok_or(StoreError::not_found("playbook"))?;
    assemble(c, vec![row])
        .await?
        .pop()
        .ok_or(StoreError::not_found("playbook"))
}

/// The playbook for a problem category, if there is one.
pub(crate) async fn for_category<C: ConnectionTrait>(
    c: &C,
    category: &str,
) -> Result<Option<Playbook>> {
    let key = category_key(category);
    if key.is_empty() {
        return Ok(None);
    }
    let row = playbook::Entity::find()
        .filter(playbook::Column::CategoryKey.eq(key))
        .one(c)
        .await
        .db()?;
    match row {
        Some(row) => Ok(assemble(c, vec![row]).await?.pop()),
        None => Ok(None),
    }
}

/// Replaces the items and templates of playbook `id`.
async fn write_parts<C: ConnectionTrait>(c: &C, id: i64, draft: &PlaybookDraft) -> Result<()> {
    playbook_item::Entity::delete_many()
        .filter(playbook_item::Column::PlaybookId.eq(id))
        .exec(c)
        .await
        .db()?;
    playbook_template::Entity::delete_many()
        .filter(playbook_template::Column::PlaybookId.eq(id))
        .exec(c)
        .await
        .db()?;
    for (text, position) in draft.items.iter().zip(1..) {
        playbook_item::ActiveModel {
            playbook_id: Set(id),
            position: Set(position),
            text: Set(text.clone()),
        }
        .insert(c)
        .await
        .db()?;
    }
    for kind in draft.templates.kinds() {
        playbook_template::ActiveModel {
            playbook_id: Set(id),
            kind: Set(kind.as_str().to_owned()),
            body: Set(draft.templates.get(kind).to_owned()),
        }
        .insert(c)
        .await
        .db()?;
    }
    Ok(())
}

impl Store {
    /// Every playbook, by category.
    pub async fn list_playbooks(&self) -> Result<Vec<Playbook>> {
        let txn = self.read().await?;
        let rows = playbook::Entity::find()
            .order_by_asc(playbook::Column::CategoryKey)
            .all(&txn)
            .await
            .db()?;
        let playbooks = assemble(&txn, rows).await?;
        txn.commit().await.db()?;
        Ok(playbooks)
    }

    /// Playbook `id`.
    pub async fn playbook(&self, id: PlaybookId) -> Result<Playbook> {
        load(&self.db, id).await
    }

    /// The playbook for problem category `category` (trimmed, any case), if there is one.
    pub async fn playbook_for_category(&self, category: &str) -> Result<Option<Playbook>> {
        for_category(&self.db, category).await
    }

    /// Creates a playbook; its templates must render (see [`PlaybookDraft::validate`]), and
    /// its category must have none yet (`Conflict`).
    pub async fn create_playbook(&self, draft: &PlaybookDraft, now: Timestamp) -> Result<Playbook> {
        let draft = checked(draft)?;
        let now = to_db(micros(now));
        let txn = self.write().await?;
        let row = playbook::ActiveModel {
            id: NotSet,
            category: Set(draft.category.clone()),
            category_key: Set(category_key(&draft.category)),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&txn)
        .await
        .map_err(|e| unique_or(e, taken(&draft.category)))?;
        write_parts(&txn, row.id, &draft).await?;
        let playbook = load(&txn, PlaybookId(row.id)).await?;
        txn.commit().await.db()?;
        Ok(playbook)
    }

    /// Replaces playbook `id` whole: category, items and templates.
    pub async fn update_playbook(
        &self,
        id: PlaybookId,
        draft: &PlaybookDraft,
        now: Timestamp,
    ) -> Result<Playbook> {
        let draft = checked(draft)?;
        let txn = self.write().await?;
        load(&txn, id).await?;
        playbook::Entity::update_many()
            .set(playbook::ActiveModel {
                category: Set(draft.category.clone()),
                category_key: Set(category_key(&draft.category)),
                updated_at: Set(to_db(micros(now))),
                ..Default::default()
            })
            .filter(playbook::Column::Id.eq(id.0))
            .exec(&txn)
            .await
            .map_err(|e| unique_or(e, taken(&draft.category)))?;
        write_parts(&txn, id.0, &draft).await?;
        let playbook = load(&txn, id).await?;
        txn.commit().await.db()?;
        Ok(playbook)
    }

    /// Deletes playbook `id`. Problems of its category keep their ticks (and timeline); they
    /// show again if a playbook for the category with the same items returns.
    pub async fn delete_playbook(&self, id: PlaybookId) -> Result<()> {
        let txn = self.write().await?;
        load(&txn, id).await?;
        let empty = PlaybookDraft::default();
        write_parts(&txn, id.0, &empty).await?;
        playbook::Entity::delete_by_id(id.0).exec(&txn).await.db()?;
        txn.commit().await.db()
    }
}
