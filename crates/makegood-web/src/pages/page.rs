//! What every signed-in page shares: the [`SignedIn`] extractor, the [`Chrome`] around each
//! page, CSRF-checked forms ([`PageForm`]), flash messages and HTML error pages ([`PageError`]).
//!
//! A page handler reads `user: SignedIn`, renders a template whose struct has a
//! `chrome: Chrome` field, and answers a valid POST with [`flash_redirect`] (POST-redirect-GET).

use askama::Template;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use jiff::tz::TimeZone;
use makegood_domain::{Action, Member};
use makegood_store::StoreError;
use serde::de::DeserializeOwned;

use super::render;
use crate::auth::{same_secret, session_hash};
use crate::error::{AppError, FieldError};
use crate::state::AppState;

/// The cookie carrying a one-shot message to the page after a redirect.
const FLASH_COOKIE: &str = "makegood_flash";

/// The signed-in member of a page request, with the session's CSRF token.
///
/// Without a valid session the request is redirected to `/login`.
#[derive(Clone, Debug)]
pub struct SignedIn {
    pub member: Member,
    pub csrf: String,
    /// The member's time zone (UTC if it no longer exists).
    pub zone: TimeZone,
    /// A message left by the previous request's redirect.
    pub flash: Option<String>,
}

impl SignedIn {
    /// Refuses with a 403 page unless the member may do `action` (on something `owner` owns).
    pub fn require(
        &self,
        action: Action,
        owner: Option<makegood_domain::MemberId>,
    ) -> Result<(), PageError> {
        if self.member.may(action, owner) {
            Ok(())
        } else {
            Err(PageError::Forbidden)
        }
    }

    /// The frame of a page: navigation, who is signed in, the flash and the CSRF token.
    /// `section` names the active navigation entry (`today`, `problems`, `promises`,
    /// `accounts`, `settings`, `me`).
    pub fn chrome(&self, section: &'static str) -> Chrome {
        Chrome {
            section,
            name: self.member.name.clone(),
            role: self.member.role.as_str(),
            admin: self.member.may(Action::ManageMembers, None),
            csrf_token: self.csrf.clone(),
            flash: self.flash.clone(),
            time_zone: self.member.time_zone.clone(),
        }
    }
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        if let Some(cached) = parts.extensions.get::<SignedIn>() {
            return Ok(cached.clone());
        }
        let jar = CookieJar::from_headers(&parts.headers);
        let login = || {
            let next = parts.uri.path_and_query().map_or("/", |p| p.as_str());
            let to = if parts.method == axum::http::Method::GET && next != "/" {
                format!("/login?next={}", encode(next))
            } else {
                "/login".to_owned()
            };
            Redirect::to(&to).into_response()
        };
        let Some(hash) = session_hash(&jar) else {
            return Err(login());
        };
        let found = state
            .store
            .session(&hash, state.now())
            .await
            .map_err(|e| PageError::from(e).into_response())?;
        let Some((member, csrf)) = found.filter(|(m, _)| m.active) else {
            return Err(login());
        };
        let zone = TimeZone::get(&member.time_zone).unwrap_or(TimeZone::UTC);
        let flash = jar
            .get(FLASH_COOKIE)
            .map(|c| decode(c.value()))
            .filter(|m| !m.is_empty());
        let signed_in = SignedIn {
            member,
            csrf,
            zone,
            flash,
        };
        parts.extensions.insert(signed_in.clone());
        Ok(signed_in)
    }
}

/// The frame every signed-in page renders around its content (see `base.html`).
#[derive(Clone, Debug)]
pub struct Chrome {
    pub section: &'static str,
    pub name: String,
    pub role: &'static str,
    /// Shows the Settings entry.
    pub admin: bool,
    pub csrf_token: String,
    pub flash: Option<String>,
    pub time_zone: String,
}

/// A form posted by a signed-in member, its CSRF token checked against the session.
///
/// The body is `application/x-www-form-urlencoded` with a `csrf_token` field; `T` reads the
/// rest (unknown fields, including `csrf_token`, are ignored unless `T` denies them).
/// A missing or wrong token answers 403 with a page that says to reload and try again.
pub struct PageForm<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for PageForm<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let user = SignedIn::from_request_parts(&mut parts, state).await?;
        let bytes = Bytes::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(IntoResponse::into_response)?;
        let sent = form_urlencoded::parse(&bytes)
            .find(|(k, _)| k == "csrf_token")
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default();
        if sent.is_empty() || !same_secret(&sent, &user.csrf) {
            return Err(super::csrf_refused());
        }
        serde_urlencoded::from_bytes(&bytes)
            .map(PageForm)
            .map_err(|e| PageError::BadForm(e.to_string()).into_response())
    }
}

/// The body of a form that is only a button: nothing but its CSRF token.
#[derive(Debug, serde::Deserialize)]
pub struct ButtonOnly {}

/// Redirects (303) to `to` and shows `message` once on the page it lands on.
pub fn flash_redirect(to: &str, message: &str) -> Response {
    let mut response = Redirect::to(to).into_response();
    let cookie = format!(
        "{FLASH_COOKIE}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age=60",
        encode(message)
    );
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// Middleware: once a page has shown the flash, its cookie is removed.
pub async fn clear_flash(request: Request, next: axum::middleware::Next) -> Response {
    let had_flash = CookieJar::from_headers(request.headers())
        .get(FLASH_COOKIE)
        .is_some();
    let mut response = next.run(request).await;
    let shown = response.status().is_success()
        && response
            .headers()
            .get(header::CONTENT_TYPE)
            .is_some_and(|t| t.as_bytes().starts_with(b"text/html"));
    if had_flash && shown {
        let expired = format!("{FLASH_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
        if let Ok(value) = HeaderValue::from_str(&expired) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

fn decode(text: &str) -> String {
    form_urlencoded::parse(format!("m={text}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// The invalid fields of a submitted form, for showing each error beside its input.
#[derive(Clone, Debug, Default)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    /// The message for `field`, if it is invalid.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn push(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError::new(field, message));
    }

    /// Errors about fields the form does not show, joined for a banner above it.
    pub fn others(&self, shown: &[&str]) -> Vec<String> {
        self.0
            .iter()
            .filter(|e| !shown.contains(&e.field.as_str()))
            .map(|e| e.message.clone())
            .collect()
    }
}

impl From<Vec<FieldError>> for FieldErrors {
    fn from(errors: Vec<FieldError>) -> Self {
        Self(errors)
    }
}

/// Why a page could not be shown; rendered as an HTML page that says what to do next.
#[derive(Debug)]
pub enum PageError {
    /// 403: the member's role does not allow this.
    Forbidden,
    /// 404: nothing here, or nothing this member may see (`what` is said on the page).
    NotFound(String),
    /// 400: the form or query could not be read.
    BadForm(String),
    /// 409: the change conflicts with the current state (said on the page).
    Conflict(String),
    /// 500: logged with its cause; the page says only that it was logged.
    Internal(anyhow::Error),
    /// 413: the form sent more than the app reads (what is said on the page).
    TooLarge(String),
    /// 503: the request took too long and was abandoned (said on the page).
    Unavailable(String),
}

impl From<StoreError> for PageError {
    fn from(e: StoreError) -> Self {
        AppError::from(e).into()
    }
}

impl From<AppError> for PageError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::Forbidden(_) | AppError::Unauthorized(_) => Self::Forbidden,
            AppError::NotFound(what) => Self::NotFound(what),
            AppError::Conflict(m) | AppError::PreconditionFailed(m) => Self::Conflict(m),
            AppError::Internal(cause) => Self::Internal(cause),
            other => Self::BadForm(other.details().detail),
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
pub(crate) struct ErrorPage {
    pub title: &'static str,
    pub message: String,
    pub status: u16,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, title, message) = match self {
            Self::Forbidden => (
                StatusCode::FORBIDDEN,
                "Not allowed",
                "Your role does not allow this. If you need it, ask an admin of your organisation to change your role.".to_owned(),
            ),
            Self::NotFound(what) => (
                StatusCode::NOT_FOUND,
                "Not found",
                format!("We could not find that ({what}). It may have been deleted, or the link may be mistyped. Search for it on the Problems page."),
            ),
            Self::BadForm(detail) => (
                StatusCode::BAD_REQUEST,
                "That did not work",
                format!("The request could not be read: {detail}. Go back, check the form and send it again."),
            ),
            Self::Conflict(detail) => (
                StatusCode::CONFLICT,
                "That did not work",
                format!("{detail}. Reload the page to see the current state, then try again."),
            ),
            Self::TooLarge(detail) => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "Too much at once",
                format!("{detail}. Go back, shorten what you wrote and send it again."),
            ),
            Self::Unavailable(detail) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "That took too long",
                format!("{detail}. Try again in a moment."),
            ),
            Self::Internal(cause) => {
                tracing::error!(error = format!("{cause:#}"), "internal error on a page");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Something went wrong",
                    "Something went wrong on our side and it has been logged. Try again in a moment, or go back to Today.".to_owned(),
                )
            }
        };
        render(
            status,
            &ErrorPage {
                title,
                message,
                status: status.as_u16(),
            },
        )
    }
}
