//! Members of the team: create, read, list, edit, credentials.

use jiff::Timestamp;
use makegood_domain::text::limits;
use makegood_domain::{Currency, Email, Member, MemberId, Money, Role};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel,
    NotSet, QueryFilter, QueryOrder, QuerySelect,
};

use crate::convert::{email, to_db};
use crate::cursor::{Cursor, Keyset, after_name, page};
use crate::db::member;
use crate::error::{DbResult, unique_or};
use crate::validate::{text, time_zone};
use crate::{MemberPatch, NewMember, Page, PageRequest, Result, Store, StoreError};

const LIST: &str = "members";

/// A stored member as a domain member.
pub(crate) fn to_member(m: member::Model) -> Result<Member> {
    let role = Role::parse(&m.role)
        .ok_or_else(|| StoreError::Database(format!("unknown role {:?}", m.role)))?;
    let currency =
        Currency::new(&m.authority_currency).map_err(|e| StoreError::Database(e.to_string()))?;
    Ok(Member {
        id: MemberId(m.id),
        name: m.name,
        email: email(&m.email)?,
        role,
        remedy_authority: Money::new(m.authority_minor, currency),
        time_zone: m.time_zone,
        active: m.active,
    })
}

fn taken(email: &Email) -> impl FnOnce() -> String {
    let email = email.clone();
    move || format!("a member with email {email} already exists")
}

/// Inserts a member, with default preferences, inside the caller's transaction.
pub(crate) async fn insert<C: ConnectionTrait>(
    c: &C,
    new: NewMember,
    now: Timestamp,
) -> Result<Member> {
    let name = text("name", &new.name, limits::PERSON_NAME)?;
    let zone = time_zone(&new.time_zone)?;
    let row = member::ActiveModel {
        id: NotSet,
        name: Set(name),
        email: Set(new.email.as_str().to_owned()),
        password_hash: Set(new.password_hash),
        role: Set(new.role.as_str().to_owned()),
        authority_minor: Set(new.remedy_authority.minor),
        authority_currency: Set(new.remedy_authority.currency.code().to_owned()),
        time_zone: Set(zone),
        active: Set(true),
        created_at: Set(to_db(now)),
    }
    .insert(c)
    .await
    .map_err(|e| unique_or(e, taken(&new.email)))?;
    // Every member has a preferences row, so the scheduler's digest query finds them all.
    crate::preferences::insert_defaults(c, MemberId(row.id)).await?;
    to_member(row)
}

pub(crate) async fn create(store: &Store, new: NewMember, now: Timestamp) -> Result<Member> {
    let txn = store.write().await?;
    let member = insert(&txn, new, now).await?;
    txn.commit().await.db()?;
    Ok(member)
}

pub(crate) async fn find<C: ConnectionTrait>(c: &C, id: MemberId) -> Result<member::Model> {
    member::Entity::find_by_id(id.0)
        .one(c)
        .await
        .db()?
        .ok_or(StoreError::not_found("member"))
}

pub(crate) async fn get(store: &Store, id: MemberId) -> Result<Member> {
    to_member(find(&store.db, id).await?)
}

pub(crate) async fn list(store: &Store, page_request: &PageRequest) -> Result<Page<Member>> {
    let keyset = Keyset::of(page_request, LIST)?;
    let mut query = member::Entity::find();
    if let Some(after) = &keyset.after {
        query = query.filter(after_name(member::Column::Name, member::Column::Id, after));
    }
    let rows = query
        .order_by_asc(member::Column::Name)
        .order_by_asc(member::Column::Id)
        .limit(keyset.fetch())
        .all(&store.db)
        .await
        .db()?;
    let (rows, next) = keyset.finish(rows, |m| Cursor {
        s: Some(m.name.clone()),
        ..Cursor::new(LIST, m.id)
    });
    Ok(page(
        rows.into_iter().map(to_member).collect::<Result<_>>()?,
        next,
    ))
}

pub(crate) async fn update(store: &Store, id: MemberId, patch: MemberPatch) -> Result<Member> {
    update_in(&store.writer, id, patch).await
}

/// Applies `patch` to member `id` inside the caller's transaction.
pub(crate) async fn update_in<C: ConnectionTrait>(
    c: &C,
    id: MemberId,
    patch: MemberPatch,
) -> Result<Member> {
    let current = find(c, id).await?;
    let mut row = current.into_active_model();
    if let Some(name) = &patch.name {
        row.name = Set(text("name", name, limits::PERSON_NAME)?);
    }
    if let Some(email) = &patch.email {
        row.email = Set(email.as_str().to_owned());
    }
    if let Some(role) = patch.role {
        row.role = Set(role.as_str().to_owned());
    }
    if let Some(money) = patch.remedy_authority {
        row.authority_minor = Set(money.minor);
        row.authority_currency = Set(money.currency.code().to_owned());
    }
    if let Some(zone) = &patch.time_zone {
        row.time_zone = Set(time_zone(zone)?);
    }
    if let Some(active) = patch.active {
        row.active = Set(active);
    }
    if !row.is_changed() {
        return to_member(find(c, id).await?);
    }
    let saved = row.update(c).await.map_err(|e| match &patch.email {
        Some(email) => unique_or(e, taken(email)),
        None => crate::error::from_db(e),
    })?;
    to_member(saved)
}

pub(crate) async fn credentials(
    store: &Store,
    email: &Email,
) -> Result<Option<(Member, Option<String>)>> {
    let row = member::Entity::find()
        .filter(member::Column::Email.eq(email.as_str()))
        .one(&store.db)
        .await
        .db()?;
    row.map(|m| {
        let hash = m.password_hash.clone();
        to_member(m).map(|member| (member, hash))
    })
    .transpose()
}

pub(crate) async fn set_password_hash(store: &Store, id: MemberId, hash: &str) -> Result<()> {
    set_password_hash_in(&store.writer, id, hash).await
}

/// Sets member `id`'s password hash inside the caller's transaction.
pub(crate) async fn set_password_hash_in<C: ConnectionTrait>(
    c: &C,
    id: MemberId,
    hash: &str,
) -> Result<()> {
    let result = member::Entity::update_many()
        .col_expr(
            member::Column::PasswordHash,
            sea_orm::sea_query::Expr::value(hash.to_owned()),
        )
        .filter(member::Column::Id.eq(id.0))
        .exec(c)
        .await
        .db()?;
    if result.rows_affected == 0 {
        Err(StoreError::not_found("member"))
    } else {
        Ok(())
    }
}
