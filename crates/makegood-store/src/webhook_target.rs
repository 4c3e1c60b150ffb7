//! One webhook endpoint's delivery details, read by the notifier for each message it sends.

use sea_orm::EntityTrait;

use crate::convert::parse_name;
use crate::db::webhook;
use crate::error::DbResult;
use crate::{Result, Store, WebhookKind};

impl Store {
    /// Where and how to deliver to webhook `id`: `(url, kind, secret, allow_private, active)`;
    /// `None` once it is deleted.
    pub async fn webhook_target(
        &self,
        id: i64,
    ) -> Result<Option<(String, WebhookKind, String, bool, bool)>> {
        let Some(row) = webhook::Entity::find_by_id(id).one(&self.db).await.db()? else {
            return Ok(None);
        };
        let kind = parse_name(&row.kind)?;
        Ok(Some((
            row.url,
            kind,
            row.secret,
            row.allow_private,
            row.active,
        )))
    }
}
