//! `CurrentMember`: who is calling, from a bearer token or the session cookie (with CSRF).

use axum::extract::FromRequestParts;
use axum::http::{Method, header, request::Parts};
use axum_extra::extract::cookie::CookieJar;
use makegood_domain::{Action, Member, MemberId, TokenScope};

use super::{TOKEN_PREFIX, same_secret, session_hash, sha256_hex};
use crate::error::AppError;
use crate::state::AppState;

/// The header a cookie-authenticated API call must repeat the session's CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// How the caller proved who they are.
#[derive(Clone, Debug)]
pub enum Credential {
    /// An API token, which may be read-only.
    Token { scope: TokenScope },
    /// A browser session, with its CSRF token.
    Session { csrf: String },
}

/// The signed-in member making this request.
#[derive(Clone, Debug)]
pub struct CurrentMember {
    pub member: Member,
    pub credential: Credential,
}

impl CurrentMember {
    pub fn id(&self) -> MemberId {
        self.member.id
    }

    /// Refuses with 403 unless the member may do `action` (on something owned by `owner`).
    pub fn require(&self, action: Action, owner: Option<MemberId>) -> Result<(), AppError> {
        if self.member.may(action, owner) {
            return Ok(());
        }
        let what = match action {
            Action::Read => "read this",
            Action::WorkProblems => "work on problems",
            Action::Reassign => "give problems to others or work other members' promises",
            Action::WorkOwnPromises if owner.is_some() => "work on promises made by someone else",
            Action::WorkOwnPromises => "make or work on promises",
            Action::ManageParties => "change accounts, contacts or vendors",
            Action::ManageMembers => "manage members",
            Action::EditPolicies => "edit policies",
            Action::ManageOwnTokens => "manage API tokens",
            Action::ManageOthersTokens => "manage other members' API tokens",
            Action::ManageIntegrations => "manage webhooks or deliveries",
            Action::DecideRemedies => "approve or reject remedies (a supervisor or admin does)",
        };
        Err(AppError::Forbidden(format!(
            "as {} you may not {what}",
            self.member.role.as_str()
        )))
    }
}

impl FromRequestParts<AppState> for CurrentMember {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(cached) = parts.extensions.get::<CurrentMember>() {
            return Ok(cached.clone());
        }
        let now = state.now();
        let found = if let Some(value) = parts.headers.get(header::AUTHORIZATION) {
            let secret = value
                .to_str()
                .ok()
                .and_then(|v| v.strip_prefix("Bearer "))
                .map(str::trim)
                .filter(|s| s.starts_with(TOKEN_PREFIX))
                .ok_or_else(|| {
                    AppError::Unauthorized("the Authorization header must be `Bearer mg_…`".into())
                })?;
            let hash = sha256_hex(secret);
            let (member, scope) = state.store.token_member(&hash, now).await?.ok_or_else(|| {
                AppError::Unauthorized("this API token is unknown or has been revoked".into())
            })?;
            state
                .store
                .note_token_use(&hash, super::ClientIp::of(parts).0, now)
                .await?;
            if !scope.may_change() && !matches!(parts.method, Method::GET | Method::HEAD) {
                return Err(AppError::Forbidden(
                    "this API token is read-only; create a read-write token to change things"
                        .into(),
                ));
            }
            CurrentMember {
                member,
                credential: Credential::Token { scope },
            }
        } else if let Some(hash) = session_hash(&CookieJar::from_headers(&parts.headers)) {
            let (member, csrf) = state.store.session(&hash, now).await?.ok_or_else(|| {
                AppError::Unauthorized("your session has expired; sign in again".into())
            })?;
            let unsafe_method =
                !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
            // Only the API extracts a CurrentMember (pages check their forms' tokens themselves).
            if unsafe_method {
                let sent = parts
                    .headers
                    .get(CSRF_HEADER)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default();
                if !same_secret(sent, &csrf) {
                    return Err(AppError::Forbidden(
                        "with a session cookie, send the session's CSRF token (from GET /api/v1/me) in the X-CSRF-Token header".into(),
                    ));
                }
            }
            CurrentMember {
                member,
                credential: Credential::Session { csrf },
            }
        } else {
            return Err(AppError::Unauthorized(
                "sign in: send `Authorization: Bearer <API token>` or a session cookie".into(),
            ));
        };
        if !found.member.active {
            return Err(AppError::Unauthorized(
                "this member has been deactivated".into(),
            ));
        }
        parts.extensions.insert(found.clone());
        Ok(found)
    }
}
