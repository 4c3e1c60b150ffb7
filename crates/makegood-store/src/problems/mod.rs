//! Problems: create, read and edit; the timeline lives in [`record`], lists in [`list`].

pub(crate) mod customer_wrote;
pub(crate) mod list;
pub(crate) mod load;
pub(crate) mod notices;
pub(crate) mod record;
pub(crate) mod search;
mod upset;

use jiff::Timestamp;
use makegood_domain::text::limits;
use makegood_domain::{EventKind, Origin, ProblemId, ProblemState, VendorId};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, NotSet,
    QueryFilter,
};

use crate::clocks::Rules;
use crate::convert::{micros, name_of, to_db, to_db_opt, to_json};
use crate::db::{event, problem, problem_account, problem_stakeholder, vendor};
use crate::error::DbResult;
use crate::incidents::reach;
use crate::validate::{self, not_future, optional_text, text};
use crate::{Actor, NewProblem, ProblemPatch, ProblemView, Result, Store, StoreError};

/// Appends one event to the timeline (see [`append_as_of`]), `at` being now.
pub(crate) async fn append<C: ConnectionTrait>(
    c: &C,
    problem: Option<i64>,
    promise: Option<i64>,
    at: Timestamp,
    actor: Option<i64>,
    kind: &EventKind,
) -> Result<Timestamp> {
    append_as_of(c, problem, promise, at, actor, kind, at).await
}

/// Appends one event dated `at`, written at `now`, and in the same transaction the notices
/// it causes (see [`notices`]), so none is ever missed. A problem's timeline folds in id
/// order, so the event is dated no earlier than the problem's latest one, whatever the
/// writer's clock; returns the date recorded.
pub(crate) async fn append_as_of<C: ConnectionTrait>(
    c: &C,
    problem: Option<i64>,
    promise: Option<i64>,
    at: Timestamp,
    actor: Option<i64>,
    kind: &EventKind,
    now: Timestamp,
) -> Result<Timestamp> {
    let mut at = micros(at);
    if let Some(p) = problem {
        at = at.max(load::last_event_at(c, p).await?.unwrap_or(at));
    }
    let row = event::ActiveModel {
        id: NotSet,
        problem_id: Set(problem),
        promise_id: Set(promise),
        at: Set(to_db(at)),
        actor_id: Set(actor),
        kind: Set(kind.name().to_owned()),
        data: Set(to_json(kind)?),
    }
    .insert(c)
    .await
    .db()?;
    if let Some(p) = problem {
        search::add_event(c, p, row.id, kind).await?;
    }
    // Whatever touched the problem (or the promise made without one), its report
    // contributions are recounted before the next report.
    if let Some(subject) = problem.or(promise.map(|p| -p)) {
        crate::reports::mark_dirty(c, subject).await?;
    }
    crate::health::mark_event(c, problem, promise).await?;
    notices::on_event(c, row, kind, micros(now).max(at)).await?;
    Ok(at)
}

/// Replaces the accounts and stakeholders of problem `id`.
async fn set_links<C: ConnectionTrait>(
    c: &C,
    id: i64,
    accounts: Option<&[i64]>,
    stakeholders: Option<&[i64]>,
) -> Result<()> {
    if let Some(accounts) = accounts {
        problem_account::Entity::delete_many()
            .filter(problem_account::Column::ProblemId.eq(id))
            .exec(c)
            .await
            .db()?;
        let rows = accounts
            .iter()
            .zip(0..)
            .map(|(a, position)| problem_account::ActiveModel {
                problem_id: Set(id),
                account_id: Set(*a),
                position: Set(position),
            });
        crate::incidents::reach::insert_chunked(c, rows.collect(), 3).await?;
    }
    if let Some(stakeholders) = stakeholders {
        problem_stakeholder::Entity::delete_many()
            .filter(problem_stakeholder::Column::ProblemId.eq(id))
            .exec(c)
            .await
            .db()?;
        let rows =
            stakeholders
                .iter()
                .zip(0..)
                .map(|(s, position)| problem_stakeholder::ActiveModel {
                    problem_id: Set(id),
                    contact_id: Set(*s),
                    position: Set(position),
                });
        crate::incidents::reach::insert_chunked(c, rows.collect(), 3).await?;
    }
    Ok(())
}

/// The vendor a problem of `origin` names: required and existing for a vendor origin, absent otherwise.
async fn check_vendor<C: ConnectionTrait>(
    c: &C,
    origin: Origin,
    vendor: Option<VendorId>,
) -> Result<Option<i64>> {
    match (origin, vendor) {
        (Origin::Vendor, None) => Err(StoreError::invalid(
            "vendor",
            "is required when the origin is vendor",
        )),
        (Origin::Vendor, Some(v)) => match vendor::Entity::find_by_id(v.0).one(c).await.db()? {
            Some(_) => Ok(Some(v.0)),
            None => Err(StoreError::invalid(
                "vendor",
                format!("vendor {v} does not exist"),
            )),
        },
        (_, Some(_)) => Err(StoreError::invalid(
            "vendor",
            "only a problem of vendor origin names a vendor",
        )),
        (_, None) => Ok(None),
    }
}

pub(crate) async fn create(store: &Store, actor: Actor, new: NewProblem) -> Result<ProblemView> {
    let txn = store.write().await?;
    let view = create_in(&txn, actor, new).await?;
    txn.commit().await.db()?;
    Ok(view)
}

/// Records a problem within the caller's transaction `txn` (see [`create`]).
pub(crate) async fn create_in(
    txn: &sea_orm::DatabaseTransaction,
    actor: Actor,
    new: NewProblem,
) -> Result<ProblemView> {
    let now = micros(actor.now);
    let title = text("title", &new.title, limits::TITLE)?;
    let description = optional_text("description", &new.description, limits::DESCRIPTION)?;
    let category = optional_text("category", &new.category, limits::CATEGORY)?;
    let detected_at = micros(new.detected_at.unwrap_or(now));
    not_future("detected_at", detected_at, now)?;

    validate::owner(txn, "owner", new.owner).await?;
    let accounts = validate::accounts(txn, &new.accounts).await?;
    let accounts = reach::with_locations(txn, accounts, new.include_locations).await?;
    let stakeholders =
        reach::listed(txn, new.all_stakeholders, &new.stakeholders, &accounts).await?;
    let vendor = check_vendor(txn, new.origin, new.vendor).await?;
    let rules = Rules::load(txn).await?;

    let created = EventKind::Created {
        title: title.clone(),
        severity: new.severity,
    };
    let state = ProblemState::from_events([(now, &created)])
        .map_err(|e| StoreError::Database(e.to_string()))?;
    let next = rules.deadlines(&state, detected_at, new.severity);
    let mut row = problem::ActiveModel {
        id: NotSet,
        title: Set(title),
        description: Set(description),
        origin: Set(name_of(&new.origin)),
        vendor_id: Set(vendor),
        severity: Set(name_of(&new.severity)),
        category: Set(category),
        owner_id: Set(new.owner.0),
        detected_at: Set(to_db(detected_at)),
        created_at: Set(to_db(now)),
        status: Set(name_of(&state.status)),
        outcome: Set(None),
        version: Set(1),
        next_warn_at: Set(to_db_opt(next.warn_at)),
        next_due_at: Set(to_db_opt(next.due_at)),
        all_stakeholders: Set(new.all_stakeholders),
        follow_up_at: Set(None),
        ..Default::default()
    };
    crate::reports::columns::write(&mut row, &crate::reports::columns::initial());
    let row = row.insert(txn).await.db()?;
    set_links(txn, row.id, Some(&accounts), Some(&stakeholders)).await?;
    search::set_title(txn, row.id, &row.title).await?;
    load::schedule(txn, row.id, &state, detected_at, new.severity, &rules).await?;
    append(txn, Some(row.id), None, now, Some(actor.member.0), &created).await?;
    crate::preventions::recurrence::flag(txn, row.id, None, Some(actor.member.0), now).await?;
    let view = load::views(txn, &[row], &rules, now).await?.pop();
    view.ok_or(StoreError::not_found("problem"))
}

pub(crate) async fn get(store: &Store, id: ProblemId, now: Timestamp) -> Result<ProblemView> {
    let txn = store.read().await?;
    let row = load::row(&txn, id, false).await?;
    let rules = Rules::load(&txn).await?;
    let view = load::views(&txn, &[row], &rules, now).await?.pop();
    txn.commit().await.db()?;
    view.ok_or(StoreError::not_found("problem"))
}

/// Refuses a write against another version than the caller saw.
pub(crate) fn check_version(what: &'static str, current: i64, if_match: Option<i64>) -> Result<()> {
    match if_match {
        Some(v) if v != current => Err(StoreError::Stale { what, current }),
        _ => Ok(()),
    }
}

/// Applies `changes` to problem `row` only if it is still at its version, bumping it;
/// `Stale` if another writer got there first.
pub(crate) async fn save_if_current<C: ConnectionTrait>(
    c: &C,
    row: &problem::Model,
    mut changes: problem::ActiveModel,
) -> Result<()> {
    changes.version = Set(row.version + 1);
    let result = problem::Entity::update_many()
        .set(changes)
        .filter(problem::Column::Id.eq(row.id))
        .filter(problem::Column::Version.eq(row.version))
        .exec(c)
        .await
        .db()?;
    if result.rows_affected == 1 {
        return Ok(());
    }
    let current = load::row(c, ProblemId(row.id), false).await?;
    Err(StoreError::Stale {
        what: "problem",
        current: current.version,
    })
}

pub(crate) async fn update(
    store: &Store,
    actor: Actor,
    id: ProblemId,
    if_match: Option<i64>,
    patch: ProblemPatch,
) -> Result<ProblemView> {
    let now = micros(actor.now);
    let txn = store.write().await?;
    let row = load::row(&txn, id, true).await?;
    check_version("problem", row.version, if_match)?;
    let current = {
        let (mut accounts, mut stakeholders) = load::links(&txn, &[row.id]).await?;
        load::to_problem(
            &row,
            accounts.remove(&row.id).unwrap_or_default(),
            stakeholders.remove(&row.id).unwrap_or_default(),
        )?
    };
    let mut changes = <problem::ActiveModel as Default>::default();
    let mut fields: Vec<String> = Vec::new();
    let mut changed = |name: &str| fields.push(name.to_owned());

    if let Some(title) = &patch.title {
        let title = text("title", title, limits::TITLE)?;
        if title != current.title {
            search::set_title(&txn, row.id, &title).await?;
            changes.title = Set(title);
            changed("title");
        }
    }
    if let Some(description) = &patch.description {
        let description = optional_text("description", description, limits::DESCRIPTION)?;
        if description != current.description {
            changes.description = Set(description);
            changed("description");
        }
    }
    if let Some(category) = &patch.category {
        let category = optional_text("category", category, limits::CATEGORY)?;
        if category != current.category {
            changes.category = Set(category);
            changed("category");
        }
    }
    let severity = patch.severity.unwrap_or(current.severity);
    if severity != current.severity {
        changes.severity = Set(name_of(&severity));
        changed("severity");
    }
    let origin = patch.origin.unwrap_or(current.origin);
    // A problem no longer of vendor origin drops its vendor unless the patch names one.
    let vendor = match patch.vendor {
        Some(v) => v,
        None if origin == Origin::Vendor => current.vendor,
        None => None,
    };
    let vendor = check_vendor(&txn, origin, vendor).await?;
    if origin != current.origin {
        changes.origin = Set(name_of(&origin));
        changed("origin");
    }
    if vendor != current.vendor.map(|v| v.0) {
        changes.vendor_id = Set(vendor);
        changed("vendor");
    }
    let detected_at = match patch.detected_at {
        Some(at) => {
            let at = micros(at);
            not_future("detected_at", at, now)?;
            at
        }
        None => current.detected_at,
    };
    if detected_at != current.detected_at {
        changes.detected_at = Set(to_db(detected_at));
        changed("detected_at");
    }
    let current_accounts: Vec<i64> = current.accounts.iter().map(|a| a.0).collect();
    let accounts = match &patch.accounts {
        Some(new) => validate::accounts(&txn, new).await?,
        None => current_accounts.clone(),
    };
    let accounts = reach::with_locations(&txn, accounts, patch.include_locations).await?;
    let new_accounts = (accounts != current_accounts).then_some(accounts.as_slice());
    if new_accounts.is_some() {
        changed("accounts");
    }
    let current_stakeholders: Vec<i64> = current.stakeholders.iter().map(|s| s.0).collect();
    // Naming stakeholders alone turns "every contact" off; `all_stakeholders` says it outright.
    let all = patch
        .all_stakeholders
        .unwrap_or(current.all_stakeholders && patch.stakeholders.is_none());
    if all != current.all_stakeholders {
        changes.all_stakeholders = Set(all);
        changed("all_stakeholders");
    }
    let wanted = match &patch.stakeholders {
        Some(listed) => listed.clone(),
        None if all => Vec::new(),
        None => current.stakeholders.clone(),
    };
    let stakeholders = reach::listed(&txn, all, &wanted, &accounts).await?;
    let new_stakeholders =
        (stakeholders != current_stakeholders).then_some(stakeholders.as_slice());
    if new_stakeholders.is_some() {
        changed("stakeholders");
    }

    let rules = Rules::load(&txn).await?;
    if !fields.is_empty() {
        let state = load::states(&txn, &[row.id])
            .await?
            .remove(&row.id)
            .unwrap_or_default();
        let next = load::schedule(&txn, row.id, &state, detected_at, severity, &rules).await?;
        crate::reports::columns::on_edit(
            &mut changes,
            &row,
            &state,
            detected_at,
            severity,
            &rules,
        )?;
        changes.next_warn_at = Set(to_db_opt(next.warn_at));
        changes.next_due_at = Set(to_db_opt(next.due_at));
        save_if_current(&txn, &row, changes).await?;
        // Accounts it no longer affects are stale too (those it affects are marked below).
        crate::health::mark(&txn, &current_accounts).await?;
        set_links(&txn, row.id, new_accounts, new_stakeholders).await?;
        append(
            &txn,
            Some(row.id),
            None,
            now,
            Some(actor.member.0),
            &EventKind::Edited { fields },
        )
        .await?;
    }
    let row = load::row(&txn, id, false).await?;
    let view = load::views(&txn, &[row], &rules, now).await?.pop();
    txn.commit().await.db()?;
    view.ok_or(StoreError::not_found("problem"))
}
