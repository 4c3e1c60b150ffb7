//! `GET /`: who is signed in, how many duties they have, where the API docs are.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;

use super::{render, session_member};
use crate::error::AppError;
use crate::state::AppState;

/// Enough to count a member's duties on the home page.
const DUTY_LIMIT: u32 = 500;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    organisation: String,
    name: String,
    role: &'static str,
    duties: usize,
    csrf_token: String,
}

pub async fn home(State(state): State<AppState>, jar: CookieJar) -> Result<Response, AppError> {
    let Some((member, csrf_token)) = session_member(&state, &jar).await? else {
        return Ok(Redirect::to("/login").into_response());
    };
    let organisation = state
        .store
        .organisation()
        .await?
        .map_or_else(|| "makegood".to_owned(), |o| o.name);
    let duties = state
        .store
        .duties(Some(member.id), state.now(), DUTY_LIMIT)
        .await?
        .len();
    let page = HomePage {
        organisation,
        name: member.name,
        role: member.role.as_str(),
        duties,
        csrf_token,
    };
    Ok(render(StatusCode::OK, &page))
}
