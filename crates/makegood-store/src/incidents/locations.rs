//! Importing a franchise network's locations and their contacts in one transaction.

use makegood_domain::text::limits;
use makegood_domain::{AccountId, Email};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, NotSet};

use super::reach::insert_chunked;
use crate::db::{account, contact};
use crate::error::DbResult;
use crate::validate::{optional_field, optional_text, text};
use crate::{Result, Store, StoreError};

/// Contact columns bound per row (all but the id).
const CONTACT_COLUMNS: usize = 5;

/// A location (a child account) to create under a parent, with its contacts.
#[derive(Clone, Debug)]
pub struct NewLocation {
    pub name: String,
    pub tier: Option<String>,
    pub contacts: Vec<LocationContact>,
}

/// A contact at a [`NewLocation`].
#[derive(Clone, Debug)]
pub struct LocationContact {
    pub name: String,
    pub role_title: String,
    pub email: Option<Email>,
    pub phone: Option<String>,
}

pub(crate) async fn import(
    store: &Store,
    parent: AccountId,
    locations: Vec<NewLocation>,
) -> Result<Vec<AccountId>> {
    let txn = store.write().await?;
    if account::Entity::find_by_id(parent.0)
        .one(&txn)
        .await
        .db()?
        .is_none()
    {
        return Err(StoreError::invalid(
            "parent",
            format!("account {parent} does not exist"),
        ));
    }
    let mut ids = Vec::with_capacity(locations.len());
    let mut people = Vec::new();
    for (i, location) in locations.into_iter().enumerate() {
        let field = |name: &str| format!("locations[{i}].{name}");
        let name = text(&field("name"), &location.name, limits::ORGANISATION_NAME)?;
        let tier = optional_field(&field("tier"), location.tier.as_deref(), 40)?;
        let row = account::ActiveModel {
            id: NotSet,
            name: Set(name),
            parent_id: Set(Some(parent.0)),
            tier: Set(tier),
            owner_id: Set(None),
        }
        .insert(&txn)
        .await
        .db()?;
        for (j, c) in location.contacts.into_iter().enumerate() {
            let field = |name: &str| format!("locations[{i}].contacts[{j}].{name}");
            people.push(contact::ActiveModel {
                id: NotSet,
                account_id: Set(row.id),
                name: Set(text(&field("name"), &c.name, limits::PERSON_NAME)?),
                role_title: Set(optional_text(
                    &field("role_title"),
                    &c.role_title,
                    limits::ROLE_TITLE,
                )?),
                email: Set(c.email.map(|e| e.as_str().to_owned())),
                phone: Set(optional_field(&field("phone"), c.phone.as_deref(), 40)?),
            });
        }
        ids.push(AccountId(row.id));
    }
    insert_chunked(&txn, people, CONTACT_COLUMNS).await?;
    let fresh: Vec<i64> = ids.iter().map(|a| a.0).collect();
    crate::health::mark(&txn, &fresh).await?;
    txn.commit().await.db()?;
    Ok(ids)
}
