//! `/settings/members/{id}`: change a member's role, remedy authority and time zone;
//! deactivate or reactivate them; give them a new invitation link.
//!
//! As in the API, an admin never demotes or deactivates themselves, so the last active
//! admin always stays; and no change may leave the team without an active admin.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use makegood_domain::member::valid_time_zone;
use makegood_domain::{Member, MemberId, Role};
use makegood_store::{Actor, MemberPatch, PageRequest, Store, StoreError};
use serde::Deserialize;

use super::fields::{parse_money, store_error_field, time_zone_options};
use super::members::{InvitedPage, amount};
use super::require_admin;
use crate::auth::{ClientIp, random_secret, sha256_hex};
use crate::extract::Path;
use crate::pages::{
    ButtonOnly, Chrome, FieldErrors, PageError, PageForm, SignedIn, When, flash_redirect, render,
};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/settings/members/{id}",
            get(member_form).post(update_member),
        )
        .route("/settings/members/{id}/active", post(set_active))
        .route("/settings/members/{id}/invitation", post(reinvite))
}

/// The edit form, as typed.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct MemberForm {
    pub role: String,
    pub remedy_authority: String,
    pub currency: String,
    pub time_zone: String,
}

#[derive(Template)]
#[template(path = "settings_member.html")]
struct MemberPage {
    chrome: Chrome,
    member: Member,
    form: MemberForm,
    errors: FieldErrors,
    roles: [Role; 4],
    zones: Vec<&'static str>,
    /// The member being edited is the one signed in.
    myself: bool,
}

async fn load(state: &AppState, id: i64) -> Result<Member, PageError> {
    match state.store.member(MemberId(id)).await {
        Err(StoreError::NotFound { .. }) => Err(PageError::NotFound(format!("member {id}"))),
        other => Ok(other?),
    }
}

fn page(user: &SignedIn, member: Member, form: MemberForm, errors: FieldErrors) -> MemberPage {
    MemberPage {
        chrome: user.chrome("settings"),
        myself: member.id == user.member.id,
        member,
        form,
        errors,
        roles: Role::ALL,
        zones: time_zone_options(),
    }
}

pub async fn member_form(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    require_admin(&user)?;
    let member = load(&state, id).await?;
    let form = MemberForm {
        role: member.role.as_str().to_owned(),
        remedy_authority: amount(&member),
        currency: member.remedy_authority.currency.code().to_owned(),
        time_zone: member.time_zone.clone(),
    };
    Ok(render(
        StatusCode::OK,
        &page(&user, member, form, FieldErrors::default()),
    ))
}

/// How many active admins the team has.
async fn active_admins(store: &Store) -> Result<usize, StoreError> {
    let mut count = 0;
    let mut cursor = None;
    loop {
        let page = store
            .list_members(&PageRequest {
                cursor,
                limit: Some(200),
            })
            .await?;
        count += page
            .items
            .iter()
            .filter(|m| m.active && m.role == Role::Admin)
            .count();
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return Ok(count),
        }
    }
}

/// Why `member` may not stop being an active admin, if they may not.
async fn keeps_an_admin(
    store: &Store,
    user: &SignedIn,
    member: &Member,
) -> Result<Option<&'static str>, PageError> {
    if member.id == user.member.id {
        return Ok(Some(
            "you cannot demote or deactivate yourself; ask another admin",
        ));
    }
    let admin_now = member.active && member.role == Role::Admin;
    if admin_now && active_admins(store).await? <= 1 {
        return Ok(Some(
            "this is the last active admin; make someone else an admin first",
        ));
    }
    Ok(None)
}

pub async fn update_member(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    user: SignedIn,
    Path(id): Path<i64>,
    PageForm(form): PageForm<MemberForm>,
) -> Result<Response, PageError> {
    require_admin(&user)?;
    let member = load(&state, id).await?;
    let mut errors = FieldErrors::default();
    let role = Role::parse(&form.role).ok_or_else(|| errors.push("role", "choose a role"));
    let money = parse_money(&form.remedy_authority, &form.currency)
        .map_err(|(field, message)| errors.push(field, message));
    let time_zone = form.time_zone.trim().to_owned();
    if !valid_time_zone(&time_zone) {
        errors.push("time_zone", "is not an IANA time zone like Europe/Berlin");
    }
    if let Ok(role) = role
        && role != Role::Admin
        && member.role == Role::Admin
        && let Some(why) = keeps_an_admin(&state.store, &user, &member).await?
    {
        errors.push("role", why);
    }
    let (Ok(role), Ok(remedy_authority), true) = (role, money, errors.is_empty()) else {
        return Ok(render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &page(&user, member, form, errors),
        ));
    };
    let patch = MemberPatch {
        role: Some(role),
        remedy_authority: Some(remedy_authority),
        time_zone: Some(time_zone),
        ..MemberPatch::default()
    };
    let actor = Actor {
        member: user.member.id,
        now: state.now(),
    };
    match state
        .store
        .update_member_as(actor, ip, member.id, patch)
        .await
    {
        Ok(saved) => Ok(flash_redirect(
            &format!("/settings/members/{id}"),
            &format!("Saved the changes to {}.", saved.name),
        )),
        Err(e) => match store_error_field(&e) {
            Some((field, message)) => {
                errors.push(&field, message);
                Ok(render(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &page(&user, member, form, errors),
                ))
            }
            None => Err(e.into()),
        },
    }
}

/// Deactivate (`active=false`) or reactivate (`active=true`).
#[derive(Debug, Deserialize)]
pub struct ActiveForm {
    active: bool,
}

pub async fn set_active(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    user: SignedIn,
    Path(id): Path<i64>,
    PageForm(form): PageForm<ActiveForm>,
) -> Result<Response, PageError> {
    require_admin(&user)?;
    let member = load(&state, id).await?;
    if !form.active
        && let Some(why) = keeps_an_admin(&state.store, &user, &member).await?
    {
        let mut errors = FieldErrors::default();
        errors.push("active", why);
        let form = MemberForm {
            role: member.role.as_str().to_owned(),
            remedy_authority: amount(&member),
            currency: member.remedy_authority.currency.code().to_owned(),
            time_zone: member.time_zone.clone(),
        };
        return Ok(render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &page(&user, member, form, errors),
        ));
    }
    let patch = MemberPatch {
        active: Some(form.active),
        ..MemberPatch::default()
    };
    let actor = Actor {
        member: user.member.id,
        now: state.now(),
    };
    let saved = state
        .store
        .update_member_as(actor, ip, member.id, patch)
        .await?;
    let message = if saved.active {
        format!("{} is active again and can sign in.", saved.name)
    } else {
        format!(
            "{} is deactivated: they can no longer sign in; their history stays.",
            saved.name
        )
    };
    Ok(flash_redirect(&format!("/settings/members/{id}"), &message))
}

/// A new invitation link for the member (to set a password, or a new one); shown once.
pub async fn reinvite(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<i64>,
    PageForm(ButtonOnly {}): PageForm<ButtonOnly>,
) -> Result<Response, PageError> {
    require_admin(&user)?;
    let member = load(&state, id).await?;
    let secret = random_secret();
    let invitation = state
        .store
        .reinvite_member(member.id, &sha256_hex(&secret), state.now())
        .await?;
    let page = InvitedPage {
        chrome: user.chrome("settings"),
        name: member.name,
        email: member.email.as_str().to_owned(),
        link: format!("{}/invite/{secret}", state.public_url),
        expires: When::new(invitation.expires_at, &user.zone, state.now()).absolute,
    };
    Ok(render(StatusCode::CREATED, &page))
}
