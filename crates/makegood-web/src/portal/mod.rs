//! The customer portal: a contact signs in with a single-use link and sees the problems
//! affecting their account — our updates, their replies, the promises made to them — and can
//! reply and confirm a fix. Its own cookie (`mg_portal`), CSRF token and layout
//! (`portal_base.html`), separate from the team's; every read is scoped by the store to the
//! contact's account, and a problem outside it is the same 404 as a missing one.

mod frame;
mod problem;
mod sign_in;
mod survey;
mod team;

use askama::Template;
use axum::Router;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};

pub(crate) use frame::{PortalFrame, PortalSignedIn};

use crate::error::AppError;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/portal", get(sign_in::home))
        .route("/portal/sign-in", post(sign_in::sign_in))
        .route(
            "/portal/link/{secret}",
            get(sign_in::link_page).post(sign_in::use_link),
        )
        .route("/portal/sign-out", post(sign_in::sign_out))
        .route("/portal/problems/{id}", get(problem::show))
        .route("/portal/problems/{id}/reply", post(problem::reply))
        .route("/portal/problems/{id}/confirm", post(problem::confirm))
        .route("/portal/problems/{id}/survey", post(survey::answer))
        .merge(team::routes())
}

/// Renders a portal template with `status`, or a plain 500 if rendering fails.
fn render(status: StatusCode, template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            AppError::Internal(anyhow::anyhow!("rendering a portal page: {e}")).into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "portal_message.html")]
struct MessagePage {
    frame: PortalFrame,
    title: &'static str,
    message: String,
    status: u16,
}

/// Why a portal page could not be shown, as a page in the portal's own layout.
#[derive(Debug)]
pub(crate) enum PortalError {
    /// 404: missing, or not the contact's account's — the same answer for both.
    NotFound,
    /// 403: a form's CSRF token did not match.
    Csrf,
    /// 400: the form could not be read.
    BadForm(String),
    /// 409: the state does not allow it (said on the page).
    Conflict(String),
    /// 500: logged with its cause.
    Internal(anyhow::Error),
}

impl From<makegood_store::StoreError> for PortalError {
    fn from(e: makegood_store::StoreError) -> Self {
        use makegood_store::StoreError::*;
        match e {
            NotFound { .. } => Self::NotFound,
            Conflict(m) => Self::Conflict(m),
            Invalid { message, .. } => Self::BadForm(message),
            other => Self::Internal(anyhow::Error::new(other)),
        }
    }
}

impl From<AppError> for PortalError {
    fn from(e: AppError) -> Self {
        Self::Internal(anyhow::anyhow!("{e:?}"))
    }
}

impl IntoResponse for PortalError {
    fn into_response(self) -> Response {
        let (status, title, message) = match self {
            Self::NotFound => (
                StatusCode::NOT_FOUND,
                "Not found",
                "We could not find that page. The link may be mistyped, or it is about another account. Your problems are listed on the portal's first page.".to_owned(),
            ),
            Self::Csrf => (
                StatusCode::FORBIDDEN,
                "Please try again",
                "This form was out of date (its security token did not match). Reload the page and send it again.".to_owned(),
            ),
            Self::BadForm(detail) => (
                StatusCode::BAD_REQUEST,
                "That did not work",
                format!("The form could not be read: {detail}. Go back, check it and send it again."),
            ),
            Self::Conflict(detail) => (
                StatusCode::CONFLICT,
                "That did not work",
                format!("{detail}. Reload the page to see where things stand."),
            ),
            Self::Internal(cause) => {
                tracing::error!(error = format!("{cause:#}"), "internal error on a portal page");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Something went wrong",
                    "Something went wrong on our side and it has been logged. Try again in a moment.".to_owned(),
                )
            }
        };
        render(
            status,
            &MessagePage {
                frame: PortalFrame::default(),
                title,
                message,
                status: status.as_u16(),
            },
        )
    }
}
