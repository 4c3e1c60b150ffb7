//! `/settings/members`: the team, and inviting a member by a single-use link.
//!
//! Invited members start without a password; the link (shown once, as only its hash is
//! stored) lets them set one. makegood does not email it: the admin passes it on.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use makegood_domain::member::valid_time_zone;
use makegood_domain::text::{bounded, limits};
use makegood_domain::{Email, Member, Role};
use makegood_store::{Actor, NewMember, PageRequest, StoreError};
use serde::Deserialize;

use super::fields::{parse_money, show_amount, store_error_field, time_zone_options};
use super::require_admin;
use crate::auth::{ClientIp, random_secret, sha256_hex};
use crate::extract::Query;
use crate::pages::{Chrome, FieldErrors, PageError, PageForm, SignedIn, render};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/settings/members", get(members))
        .route(
            "/settings/members/invite",
            get(invite_form).post(invite_member),
        )
}

/// One member as the list shows them.
pub struct MemberRow {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: &'static str,
    pub remedy_authority: String,
    pub time_zone: String,
    pub active: bool,
}

impl From<&Member> for MemberRow {
    fn from(m: &Member) -> Self {
        Self {
            id: m.id.0,
            name: m.name.clone(),
            email: m.email.as_str().to_owned(),
            role: m.role.as_str(),
            remedy_authority: m.remedy_authority.to_string(),
            time_zone: m.time_zone.clone(),
            active: m.active,
        }
    }
}

#[derive(Template)]
#[template(path = "settings_members.html")]
struct MembersPage {
    chrome: Chrome,
    members: Vec<MemberRow>,
    /// The cursor of the next page, if there is one.
    next: Option<String>,
    /// Whether this is a later page (shows a link back to the first).
    later: bool,
}

/// `?cursor=` pages through the team.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    cursor: Option<String>,
}

/// How many members a page lists.
const PAGE: u32 = 50;

pub async fn members(
    State(state): State<AppState>,
    user: SignedIn,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    require_admin(&user)?;
    let later = q.cursor.is_some();
    let page = state
        .store
        .list_members(&PageRequest {
            cursor: q.cursor,
            limit: Some(PAGE),
        })
        .await?;
    let page = MembersPage {
        chrome: user.chrome("settings"),
        members: page.items.iter().map(MemberRow::from).collect(),
        next: page.next_cursor,
        later,
    };
    Ok(render(StatusCode::OK, &page))
}

/// The invitation form, as typed.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct InviteForm {
    pub name: String,
    pub email: String,
    pub role: String,
    pub remedy_authority: String,
    pub currency: String,
    pub time_zone: String,
}

#[derive(Template)]
#[template(path = "settings_invite.html")]
struct InvitePage {
    chrome: Chrome,
    form: InviteForm,
    errors: FieldErrors,
    roles: [Role; 4],
    zones: Vec<&'static str>,
}

#[derive(Template)]
#[template(path = "settings_invited.html")]
pub(super) struct InvitedPage {
    pub chrome: Chrome,
    pub name: String,
    pub email: String,
    pub link: String,
    pub expires: String,
}

pub async fn invite_form(user: SignedIn) -> Result<Response, PageError> {
    require_admin(&user)?;
    let form = InviteForm {
        role: "agent".into(),
        remedy_authority: "0.00".into(),
        currency: user.member.remedy_authority.currency.code().to_owned(),
        time_zone: user.member.time_zone.clone(),
        ..InviteForm::default()
    };
    let page = InvitePage {
        chrome: user.chrome("settings"),
        form,
        errors: FieldErrors::default(),
        roles: Role::ALL,
        zones: time_zone_options(),
    };
    Ok(render(StatusCode::OK, &page))
}

/// Creates the member and the invitation, and shows its link this once.
///
/// Not a redirect: the link's secret is stored nowhere, so only this response can show it.
pub async fn invite_member(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    user: SignedIn,
    PageForm(form): PageForm<InviteForm>,
) -> Result<Response, PageError> {
    require_admin(&user)?;
    let mut errors = FieldErrors::default();
    let name =
        bounded(&form.name, limits::PERSON_NAME).map_err(|e| errors.push("name", e.to_string()));
    let email = Email::parse(&form.email).map_err(|e| errors.push("email", e.to_string()));
    let role = Role::parse(&form.role).ok_or_else(|| errors.push("role", "choose a role"));
    let money = parse_money(&form.remedy_authority, &form.currency)
        .map_err(|(field, message)| errors.push(field, message));
    let time_zone = form.time_zone.trim().to_owned();
    if !valid_time_zone(&time_zone) {
        errors.push("time_zone", "is not an IANA time zone like Europe/Berlin");
    }
    let refused = |form: InviteForm, errors: FieldErrors| {
        let page = InvitePage {
            chrome: user.chrome("settings"),
            form,
            errors,
            roles: Role::ALL,
            zones: time_zone_options(),
        };
        render(StatusCode::UNPROCESSABLE_ENTITY, &page)
    };
    let (Ok(name), Ok(email), Ok(role), Ok(remedy_authority), true) =
        (name, email, role, money, errors.is_empty())
    else {
        return Ok(refused(form, errors));
    };
    let secret = random_secret();
    let new = NewMember {
        name,
        email,
        role,
        remedy_authority,
        time_zone,
        password_hash: None,
    };
    let actor = Actor {
        member: user.member.id,
        now: state.now(),
    };
    let (member, invitation) = match state
        .store
        .invite_member_as(actor, ip, new, &sha256_hex(&secret))
        .await
    {
        Ok(done) => done,
        Err(StoreError::Conflict(message)) => {
            let mut errors = FieldErrors::default();
            errors.push("email", message);
            return Ok(refused(form, errors));
        }
        Err(e) => match store_error_field(&e) {
            Some((field, message)) => {
                let mut errors = FieldErrors::default();
                errors.push(&field, message);
                return Ok(refused(form, errors));
            }
            None => return Err(e.into()),
        },
    };
    let page = InvitedPage {
        chrome: user.chrome("settings"),
        name: member.name,
        email: member.email.as_str().to_owned(),
        link: format!("{}/invite/{secret}", state.public_url),
        expires: crate::pages::When::new(invitation.expires_at, &user.zone, state.now()).absolute,
    };
    Ok(render(StatusCode::CREATED, &page))
}

/// Shows a member's remedy authority amount for the form.
pub(super) fn amount(member: &Member) -> String {
    show_amount(&member.remedy_authority)
}
