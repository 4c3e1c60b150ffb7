//! Reading remedies: one, or a keyset page by proposal time (the approval queue by deadline).

use jiff::Timestamp;
use makegood_domain::RemedyId;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::entity::remedy;
use super::record::{APPROVED, AWAITING, DELIVERED, REJECTED, row, view};
use super::{RemedyFilter, RemedyListState, RemedyView};
use crate::convert::to_db;
use crate::cursor::{Cursor, Keyset, page};
use crate::error::DbResult;
use crate::{Page, PageRequest, Result, Store, StoreError};

/// The list by proposal time, and the approval queue by deadline.
const BY_PROPOSAL: &str = "remedies";
const BY_DEADLINE: &str = "remedies:approval";

pub(crate) async fn get(store: &Store, id: RemedyId, now: Timestamp) -> Result<RemedyView> {
    let r = row(&store.db, id, false).await?;
    view(&r, now)
}

fn filters(filter: &RemedyFilter) -> Condition {
    let mut c = Condition::all();
    if let Some(state) = filter.state {
        let status = match state {
            RemedyListState::AwaitingApproval => AWAITING,
            RemedyListState::Approved => APPROVED,
            RemedyListState::Rejected => REJECTED,
            RemedyListState::Delivered => DELIVERED,
        };
        c = c.add(remedy::Column::Status.eq(status));
    }
    if let Some(problem) = filter.problem {
        c = c.add(remedy::Column::ProblemId.eq(problem.0));
    }
    if let Some(member) = filter.proposed_by {
        c = c.add(remedy::Column::ProposedBy.eq(member.0));
    }
    if let Some(vendor) = filter.vendor {
        c = c.add(remedy::Column::VendorId.eq(vendor.0));
    }
    if filter.share_outstanding {
        c = c
            .add(remedy::Column::VendorId.is_not_null())
            .add(remedy::Column::VendorShareReceived.eq(false))
            .add(remedy::Column::Status.ne(REJECTED));
    }
    c
}

pub(crate) async fn list(
    store: &Store,
    filter: &RemedyFilter,
    page_request: &PageRequest,
    now: Timestamp,
) -> Result<Page<RemedyView>> {
    let queue = filter.state == Some(RemedyListState::AwaitingApproval);
    let (name, time) = if queue {
        (BY_DEADLINE, remedy::Column::ApprovalDueAt)
    } else {
        (BY_PROPOSAL, remedy::Column::ProposedAt)
    };
    let keyset = Keyset::of(page_request, name)?;
    let mut query = remedy::Entity::find().filter(filters(filter));
    if let Some(after) = &keyset.after {
        let t = after
            .t
            .and_then(|t| Timestamp::from_microsecond(t).ok())
            .map(to_db)
            .ok_or_else(|| StoreError::invalid("cursor", "is not a cursor of this list"))?;
        query = query.filter(
            Condition::any().add(time.gt(t)).add(
                Condition::all()
                    .add(time.eq(t))
                    .add(remedy::Column::Id.gt(after.id)),
            ),
        );
    }
    let rows = query
        .order_by_asc(time)
        .order_by_asc(remedy::Column::Id)
        .limit(keyset.fetch())
        .all(&store.db)
        .await
        .db()?;
    let (rows, next) = keyset.finish(rows, |r| {
        let at = if queue {
            r.approval_due_at.unwrap_or(r.proposed_at)
        } else {
            r.proposed_at
        };
        Cursor {
            t: Some(at.timestamp_micros()),
            ..Cursor::new(name, r.id)
        }
    });
    let views = rows
        .iter()
        .map(|r| view(r, now))
        .collect::<Result<Vec<_>>>()?;
    Ok(page(views, next))
}
