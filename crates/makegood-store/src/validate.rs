//! Validation shared by the writes: bounded text, owners, accounts and contacts.

use std::collections::HashMap;

use jiff::Timestamp;
use makegood_domain::text::{bounded, optional};
use makegood_domain::{AccountId, ContactId, MemberId, Role};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::db::{account, contact, member};
use crate::error::DbResult;
use crate::{Result, StoreError};

/// Trimmed `value`, required and at most `max` characters.
pub(crate) fn text(field: &str, value: &str, max: usize) -> Result<String> {
    bounded(value, max).map_err(|e| StoreError::invalid(field, e.to_string()))
}

/// Trimmed `value`, possibly empty, at most `max` characters.
pub(crate) fn optional_text(field: &str, value: &str, max: usize) -> Result<String> {
    optional(value, max).map_err(|e| StoreError::invalid(field, e.to_string()))
}

/// Like [`optional_text`], but empty becomes `None`.
pub(crate) fn optional_field(
    field: &str,
    value: Option<&str>,
    max: usize,
) -> Result<Option<String>> {
    match value {
        None => Ok(None),
        Some(v) => optional_text(field, v, max).map(|s| Some(s).filter(|s| !s.is_empty())),
    }
}

/// A valid IANA time zone.
pub(crate) fn time_zone(zone: &str) -> Result<String> {
    let zone = zone.trim();
    if makegood_domain::member::valid_time_zone(zone) {
        Ok(zone.to_owned())
    } else {
        Err(StoreError::invalid(
            "time_zone",
            format!("{zone:?} is not an IANA time zone such as Europe/Berlin"),
        ))
    }
}

/// `at` is not later than `now`.
pub(crate) fn not_future(field: &str, at: Timestamp, now: Timestamp) -> Result<()> {
    if at > now {
        Err(StoreError::invalid(field, "cannot be in the future"))
    } else {
        Ok(())
    }
}

/// The member `id`, who must exist, be active and be allowed to own problems and promises.
pub(crate) async fn owner<C: ConnectionTrait>(
    c: &C,
    field: &str,
    id: MemberId,
) -> Result<member::Model> {
    let m = member::Entity::find_by_id(id.0)
        .one(c)
        .await
        .db()?
        .ok_or_else(|| StoreError::invalid(field, format!("member {id} does not exist")))?;
    if !m.active {
        return Err(StoreError::invalid(
            field,
            format!("{} is deactivated", m.name),
        ));
    }
    if !Role::parse(&m.role).is_some_and(Role::may_own) {
        return Err(StoreError::invalid(
            field,
            format!("{} is a viewer and cannot own problems or promises", m.name),
        ));
    }
    Ok(m)
}

/// `ids` without duplicates, in first-seen order.
pub(crate) fn dedup(ids: impl IntoIterator<Item = i64>) -> Vec<i64> {
    let mut seen = Vec::new();
    for id in ids {
        if !seen.contains(&id) {
            seen.push(id);
        }
    }
    seen
}

/// The affected accounts: at least one, each existing.
pub(crate) async fn accounts<C: ConnectionTrait>(c: &C, ids: &[AccountId]) -> Result<Vec<i64>> {
    let ids = dedup(ids.iter().map(|a| a.0));
    if ids.is_empty() {
        return Err(StoreError::invalid(
            "accounts",
            "at least one account is required",
        ));
    }
    let found = account::Entity::find()
        .filter(account::Column::Id.is_in(ids.clone()))
        .all(c)
        .await
        .db()?;
    if let Some(missing) = ids.iter().find(|id| !found.iter().any(|a| a.id == **id)) {
        return Err(StoreError::invalid(
            "accounts",
            format!("account {missing} does not exist"),
        ));
    }
    Ok(ids)
}

/// Contacts that exist and, when `accounts` is given, belong to one of them.
pub(crate) async fn contacts<C: ConnectionTrait>(
    c: &C,
    field: &str,
    ids: &[ContactId],
    accounts: Option<&[i64]>,
) -> Result<Vec<i64>> {
    let ids = dedup(ids.iter().map(|x| x.0));
    if ids.is_empty() {
        return Ok(ids);
    }
    let found: HashMap<i64, contact::Model> = contact::Entity::find()
        .filter(contact::Column::Id.is_in(ids.clone()))
        .all(c)
        .await
        .db()?
        .into_iter()
        .map(|m| (m.id, m))
        .collect();
    for id in &ids {
        let Some(contact) = found.get(id) else {
            return Err(StoreError::invalid(
                field,
                format!("contact {id} does not exist"),
            ));
        };
        if accounts.is_some_and(|accounts| !accounts.contains(&contact.account_id)) {
            return Err(StoreError::invalid(
                field,
                format!("contact {id} belongs to another account"),
            ));
        }
    }
    Ok(ids)
}
