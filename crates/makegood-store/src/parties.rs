//! Contacts (stakeholders at accounts) and vendors (third parties).

use makegood_domain::text::limits;
use makegood_domain::{AccountId, Contact, ContactId, Vendor, VendorId};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, NotSet,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::convert::email;
use crate::cursor::{Cursor, Keyset, after_name, page};
use crate::db::{account, contact, problem, problem_stakeholder, promise_contact, vendor};
use crate::error::DbResult;
use crate::validate::{optional_field, optional_text, text};
use crate::{
    ContactPatch, NewContact, NewVendor, Page, PageRequest, Result, Store, StoreError, VendorPatch,
};

fn to_contact(c: contact::Model) -> Result<Contact> {
    Ok(Contact {
        id: ContactId(c.id),
        account: AccountId(c.account_id),
        name: c.name,
        role_title: c.role_title,
        email: c.email.as_deref().map(email).transpose()?,
        phone: c.phone,
    })
}

fn to_vendor(v: vendor::Model) -> Result<Vendor> {
    Ok(Vendor {
        id: VendorId(v.id),
        name: v.name,
        email: v.email.as_deref().map(email).transpose()?,
    })
}

pub(crate) async fn create_contact(store: &Store, new: NewContact) -> Result<Contact> {
    let name = text("name", &new.name, limits::PERSON_NAME)?;
    let role_title = optional_text("role_title", &new.role_title, limits::ROLE_TITLE)?;
    let phone = optional_field("phone", new.phone.as_deref(), 40)?;
    if account::Entity::find_by_id(new.account.0)
        .one(&store.db)
        .await
        .db()?
        .is_none()
    {
        return Err(StoreError::invalid(
            "account",
            format!("account {} does not exist", new.account),
        ));
    }
    let row = contact::ActiveModel {
        id: NotSet,
        account_id: Set(new.account.0),
        name: Set(name),
        role_title: Set(role_title),
        email: Set(new.email.map(|e| e.as_str().to_owned())),
        phone: Set(phone),
    }
    .insert(&store.writer)
    .await
    .db()?;
    to_contact(row)
}

async fn find_contact(store: &Store, id: ContactId) -> Result<contact::Model> {
    contact::Entity::find_by_id(id.0)
        .one(&store.db)
        .await
        .db()?
        .ok_or(StoreError::not_found("contact"))
}

pub(crate) async fn contact(store: &Store, id: ContactId) -> Result<Contact> {
    to_contact(find_contact(store, id).await?)
}

/// Ordered by name, then id.
pub(crate) async fn list_contacts(
    store: &Store,
    account: Option<AccountId>,
    page_request: &PageRequest,
) -> Result<Page<Contact>> {
    const LIST: &str = "contacts";
    let keyset = Keyset::of(page_request, LIST)?;
    let mut query = contact::Entity::find();
    if let Some(account) = account {
        query = query.filter(contact::Column::AccountId.eq(account.0));
    }
    if let Some(after) = &keyset.after {
        query = query.filter(after_name(
            contact::Column::Name,
            contact::Column::Id,
            after,
        ));
    }
    let rows = query
        .order_by_asc(contact::Column::Name)
        .order_by_asc(contact::Column::Id)
        .limit(keyset.fetch())
        .all(&store.db)
        .await
        .db()?;
    let (rows, next) = keyset.finish(rows, |c| Cursor {
        s: Some(c.name.clone()),
        ..Cursor::new(LIST, c.id)
    });
    Ok(page(
        rows.into_iter().map(to_contact).collect::<Result<_>>()?,
        next,
    ))
}

pub(crate) async fn update_contact(
    store: &Store,
    id: ContactId,
    patch: ContactPatch,
) -> Result<Contact> {
    let mut row = find_contact(store, id).await?.into_active_model();
    if let Some(name) = &patch.name {
        row.name = Set(text("name", name, limits::PERSON_NAME)?);
    }
    if let Some(title) = &patch.role_title {
        row.role_title = Set(optional_text("role_title", title, limits::ROLE_TITLE)?);
    }
    if let Some(email) = &patch.email {
        row.email = Set(email.as_ref().map(|e| e.as_str().to_owned()));
    }
    if let Some(phone) = &patch.phone {
        row.phone = Set(optional_field("phone", phone.as_deref(), 40)?);
    }
    if !row.is_changed() {
        return contact(store, id).await;
    }
    to_contact(row.update(&store.writer).await.db()?)
}

pub(crate) async fn delete_contact(store: &Store, id: ContactId) -> Result<()> {
    let txn = store.write().await?;
    if contact::Entity::find_by_id(id.0)
        .one(&txn)
        .await
        .db()?
        .is_none()
    {
        return Err(StoreError::not_found("contact"));
    }
    let problems = problem_stakeholder::Entity::find()
        .filter(problem_stakeholder::Column::ContactId.eq(id.0))
        .count(&txn)
        .await
        .db()?;
    let promises = promise_contact::Entity::find()
        .filter(promise_contact::Column::ContactId.eq(id.0))
        .count(&txn)
        .await
        .db()?;
    if problems + promises > 0 {
        return Err(StoreError::Conflict(format!(
            "contact {id} is a stakeholder of a problem or was promised something; it cannot be deleted"
        )));
    }
    contact::Entity::delete_by_id(id.0).exec(&txn).await.db()?;
    txn.commit().await.db()
}

pub(crate) async fn create_vendor(store: &Store, new: NewVendor) -> Result<Vendor> {
    let name = text("name", &new.name, limits::ORGANISATION_NAME)?;
    let row = vendor::ActiveModel {
        id: NotSet,
        name: Set(name),
        email: Set(new.email.map(|e| e.as_str().to_owned())),
    }
    .insert(&store.writer)
    .await
    .db()?;
    to_vendor(row)
}

async fn find_vendor(store: &Store, id: VendorId) -> Result<vendor::Model> {
    vendor::Entity::find_by_id(id.0)
        .one(&store.db)
        .await
        .db()?
        .ok_or(StoreError::not_found("vendor"))
}

pub(crate) async fn vendor(store: &Store, id: VendorId) -> Result<Vendor> {
    to_vendor(find_vendor(store, id).await?)
}

/// Ordered by name, then id.
pub(crate) async fn list_vendors(
    store: &Store,
    page_request: &PageRequest,
) -> Result<Page<Vendor>> {
    const LIST: &str = "vendors";
    let keyset = Keyset::of(page_request, LIST)?;
    let mut query = vendor::Entity::find();
    if let Some(after) = &keyset.after {
        query = query.filter(after_name(vendor::Column::Name, vendor::Column::Id, after));
    }
    let rows = query
        .order_by_asc(vendor::Column::Name)
        .order_by_asc(vendor::Column::Id)
        .limit(keyset.fetch())
        .all(&store.db)
        .await
        .db()?;
    let (rows, next) = keyset.finish(rows, |v| Cursor {
        s: Some(v.name.clone()),
        ..Cursor::new(LIST, v.id)
    });
    Ok(page(
        rows.into_iter().map(to_vendor).collect::<Result<_>>()?,
        next,
    ))
}

pub(crate) async fn update_vendor(
    store: &Store,
    id: VendorId,
    patch: VendorPatch,
) -> Result<Vendor> {
    let mut row = find_vendor(store, id).await?.into_active_model();
    if let Some(name) = &patch.name {
        row.name = Set(text("name", name, limits::ORGANISATION_NAME)?);
    }
    if let Some(email) = &patch.email {
        row.email = Set(email.as_ref().map(|e| e.as_str().to_owned()));
    }
    if !row.is_changed() {
        return vendor(store, id).await;
    }
    to_vendor(row.update(&store.writer).await.db()?)
}

pub(crate) async fn delete_vendor(store: &Store, id: VendorId) -> Result<()> {
    let txn = store.write().await?;
    if vendor::Entity::find_by_id(id.0)
        .one(&txn)
        .await
        .db()?
        .is_none()
    {
        return Err(StoreError::not_found("vendor"));
    }
    if problem::Entity::find()
        .filter(problem::Column::VendorId.eq(id.0))
        .count(&txn)
        .await
        .db()?
        > 0
    {
        return Err(StoreError::Conflict(format!(
            "vendor {id} is part of a problem; it cannot be deleted"
        )));
    }
    vendor::Entity::delete_by_id(id.0).exec(&txn).await.db()?;
    txn.commit().await.db()
}
