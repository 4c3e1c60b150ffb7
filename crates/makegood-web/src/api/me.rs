//! `GET /api/v1/me`: who the caller is (and the CSRF token of a browser session).

use makegood_domain::Member;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::{Credential, CurrentMember};
use crate::error::AppError;
use crate::extract::Json;

/// The caller.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub member: Member,
    /// With a session cookie: send this in `X-CSRF-Token` on unsafe requests. `null` with a token.
    pub csrf_token: Option<String>,
}

/// Who you are, with the CSRF token of a browser session.
#[utoipa::path(get, path = "/me", tag = "me", responses((status = 200, body = Me)))]
pub async fn get_me(me: CurrentMember) -> Result<Json<Me>, AppError> {
    let csrf_token = match me.credential {
        Credential::Session { csrf } => Some(csrf),
        Credential::Token { .. } => None,
    };
    Ok(Json(Me {
        member: me.member,
        csrf_token,
    }))
}
