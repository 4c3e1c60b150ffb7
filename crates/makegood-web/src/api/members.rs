//! Members of the team: list, get, create, update (creating and editing is for admins).

use axum::extract::State;
use axum::http::StatusCode;
use makegood_domain::member::valid_time_zone;
use makegood_domain::text::limits;
use makegood_domain::{Action, Email, Member, MemberId, Money, Role};
use makegood_store::{Actor, MemberPatch, NewMember};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::types::{Check, ListOf, page};
use crate::auth::{ClientIp, CurrentMember, hash_password, validate_password};
use crate::error::AppError;
use crate::extract::{Json, Path, Query};
use crate::state::AppState;

/// A page of members.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct MemberListQuery {
    pub cursor: Option<String>,
    /// 1 to 200, default 50.
    pub limit: Option<u32>,
}

/// A new member.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateMember {
    #[schema(min_length = 1, pattern = r"\S")]
    pub name: String,
    pub email: Email,
    pub role: Role,
    /// The largest remedy they may approve alone; defaults to none in your currency.
    pub remedy_authority: Option<Money>,
    /// IANA time zone; defaults to `UTC`.
    pub time_zone: Option<String>,
    /// For signing in on the web (10 to 1024 characters); without one, only API tokens work.
    pub password: Option<String>,
}

/// Fields to change; absent fields stay as they are.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMember {
    #[schema(min_length = 1, pattern = r"\S")]
    pub name: Option<String>,
    pub email: Option<Email>,
    pub role: Option<Role>,
    pub remedy_authority: Option<Money>,
    pub time_zone: Option<String>,
    /// `false` deactivates: history stays, signing in and owning stop.
    pub active: Option<bool>,
}

/// Lists the members of the team.
#[utoipa::path(get, path = "/members", tag = "members", params(MemberListQuery),
    responses((status = 200, description = "Members by name", body = ListOf<Member>)))]
pub async fn list_members(
    State(state): State<AppState>,
    me: CurrentMember,
    Query(q): Query<MemberListQuery>,
) -> Result<Json<ListOf<Member>>, AppError> {
    me.require(Action::Read, None)?;
    let members = state.store.list_members(&page(q.cursor, q.limit)?).await?;
    Ok(Json(ListOf::from_page(members, |m| m)))
}

/// Gets a member.
#[utoipa::path(get, path = "/members/{id}", tag = "members", responses((status = 200, body = Member)))]
pub async fn get_member(
    State(state): State<AppState>,
    me: CurrentMember,
    Path(id): Path<i64>,
) -> Result<Json<Member>, AppError> {
    me.require(Action::Read, None)?;
    Ok(Json(state.store.member(MemberId(id)).await?))
}

/// Adds a member (admins).
#[utoipa::path(post, path = "/members", tag = "members", responses((status = 201, body = Member)))]
pub async fn create_member(
    State(state): State<AppState>,
    me: CurrentMember,
    Json(body): Json<CreateMember>,
) -> Result<(StatusCode, Json<Member>), AppError> {
    me.require(Action::ManageMembers, None)?;
    let mut check = Check::default();
    let name = check.text("name", &body.name, limits::PERSON_NAME);
    let time_zone = body.time_zone.unwrap_or_else(|| "UTC".into());
    check.ensure(
        valid_time_zone(&time_zone),
        "time_zone",
        "is not an IANA time zone like Europe/Berlin",
    );
    if let Some(Err(message)) = body.password.as_deref().map(validate_password) {
        check.fail("password", message);
    }
    check.finish()?;
    let password_hash = match body.password {
        // Hashing is deliberately slow; keep it off the async workers.
        Some(password) => Some(
            tokio::task::spawn_blocking(move || hash_password(&password))
                .await
                .map_err(|e| AppError::Internal(e.into()))??,
        ),
        None => None,
    };
    let remedy_authority = body
        .remedy_authority
        .unwrap_or(Money::new(0, me.member.remedy_authority.currency));
    let new = NewMember {
        name,
        email: body.email,
        role: body.role,
        remedy_authority,
        time_zone,
        password_hash,
    };
    let member = state.store.create_member(new, state.now()).await?;
    crate::auth::audit::member_added(&state, me.id(), &member).await?;
    Ok((StatusCode::CREATED, Json(member)))
}

/// Changes a member (admins).
#[utoipa::path(patch, path = "/members/{id}", tag = "members", responses((status = 200, body = Member)))]
pub async fn update_member(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    me: CurrentMember,
    Path(id): Path<i64>,
    Json(body): Json<UpdateMember>,
) -> Result<Json<Member>, AppError> {
    me.require(Action::ManageMembers, None)?;
    let mut check = Check::default();
    let name = body
        .name
        .map(|n| check.text("name", &n, limits::PERSON_NAME));
    if let Some(zone) = &body.time_zone {
        check.ensure(
            valid_time_zone(zone),
            "time_zone",
            "is not an IANA time zone like Europe/Berlin",
        );
    }
    if id == me.id().0 {
        check.ensure(
            body.active != Some(false),
            "active",
            "you cannot deactivate yourself",
        );
        check.ensure(
            body.role.is_none_or(|r| r == Role::Admin),
            "role",
            "you cannot demote yourself",
        );
    }
    check.finish()?;
    let patch = MemberPatch {
        name,
        email: body.email,
        role: body.role,
        remedy_authority: body.remedy_authority,
        time_zone: body.time_zone,
        active: body.active,
    };
    let actor = Actor {
        member: me.id(),
        now: state.now(),
    };
    let saved = (state.store)
        .update_member_as(actor, ip, MemberId(id), patch)
        .await?;
    Ok(Json(saved))
}
