//! The portal's session (`mg_portal` cookie), its signed-in extractor, CSRF-checked forms and
//! the frame every portal page renders around its content.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use jiff::tz::TimeZone;
use makegood_store::portal::{PortalContact, SESSION_LIFETIME};
use serde::de::DeserializeOwned;

use super::PortalError;
use crate::auth::{random_secret, same_secret, sha256_hex};
use crate::error::AppError;
use crate::state::AppState;

/// The portal session cookie: separate from the team's session.
pub const PORTAL_COOKIE: &str = "mg_portal";
/// The double-submit cookie guarding the portal's forms before sign-in.
const FORM_COOKIE: &str = "mg_portal_form";
/// The team pages' one-shot message cookie (see `pages::flash_redirect`).
const FLASH_COOKIE: &str = "makegood_flash";

/// What the portal layout shows around a page.
#[derive(Clone, Debug, Default)]
pub struct PortalFrame {
    /// Who is signed in, and their account.
    pub who: Option<(String, String)>,
    pub csrf_token: String,
    pub flash: Option<String>,
}

/// The contact signed in to the portal, with the session's CSRF token.
#[derive(Clone, Debug)]
pub struct PortalSignedIn {
    pub contact: PortalContact,
    pub csrf: String,
    pub zone: TimeZone,
    pub flash: Option<String>,
}

impl PortalSignedIn {
    pub fn frame(&self) -> PortalFrame {
        PortalFrame {
            who: Some((self.contact.name.clone(), self.contact.account_name.clone())),
            csrf_token: self.csrf.clone(),
            flash: self.flash.clone(),
        }
    }

    /// The signed-in contact of `jar`'s portal cookie, if any.
    pub async fn of(state: &AppState, jar: &CookieJar) -> Result<Option<Self>, PortalError> {
        let Some(cookie) = jar.get(PORTAL_COOKIE) else {
            return Ok(None);
        };
        let found = state
            .store
            .portal_session(&sha256_hex(cookie.value()), state.now())
            .await?;
        Ok(found.map(|s| PortalSignedIn {
            zone: TimeZone::get(&s.contact.time_zone).unwrap_or(TimeZone::UTC),
            contact: s.contact,
            csrf: s.csrf,
            flash: jar
                .get(FLASH_COOKIE)
                .map(|c| decode(c.value()))
                .filter(|m| !m.is_empty()),
        }))
    }
}

fn decode(text: &str) -> String {
    form_urlencoded::parse(format!("m={text}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

impl FromRequestParts<AppState> for PortalSignedIn {
    type Rejection = Response;

    /// Signed out: to the portal's sign-in page.
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        if let Some(cached) = parts.extensions.get::<PortalSignedIn>() {
            return Ok(cached.clone());
        }
        let jar = CookieJar::from_headers(&parts.headers);
        match PortalSignedIn::of(state, &jar).await {
            Ok(Some(signed_in)) => {
                parts.extensions.insert(signed_in.clone());
                Ok(signed_in)
            }
            Ok(None) => Err(Redirect::to("/portal").into_response()),
            Err(e) => Err(e.into_response()),
        }
    }
}

/// A form posted by a signed-in contact, its CSRF token checked against the portal session.
pub struct PortalForm<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for PortalForm<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let who = PortalSignedIn::from_request_parts(&mut parts, state).await?;
        let bytes = Bytes::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(IntoResponse::into_response)?;
        let sent = form_urlencoded::parse(&bytes)
            .find(|(k, _)| k == "csrf_token")
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default();
        if sent.is_empty() || !same_secret(&sent, &who.csrf) {
            return Err(PortalError::Csrf.into_response());
        }
        serde_urlencoded::from_bytes(&bytes)
            .map(PortalForm)
            .map_err(|e| PortalError::BadForm(e.to_string()).into_response())
    }
}

/// The pre-session CSRF token in `jar`, set if missing.
pub fn form_csrf(state: &AppState, jar: CookieJar) -> (CookieJar, String) {
    if let Some(c) = jar.get(FORM_COOKIE) {
        let token = c.value().to_owned();
        return (jar, token);
    }
    let token = random_secret();
    let cookie = Cookie::build((FORM_COOKIE, token.clone()))
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(state.secure_cookies)
        .path("/portal")
        .build();
    (jar.add(cookie), token)
}

/// Whether a submitted pre-session form carries the cookie's token.
pub fn form_csrf_ok(jar: &CookieJar, submitted: &str) -> bool {
    jar.get(FORM_COOKIE)
        .is_some_and(|c| !submitted.is_empty() && same_secret(c.value(), submitted))
}

/// Starts a portal session from the link `secret`: the store uses the link and keeps the
/// session's hash; the cookie gets the session's secret.
pub async fn start_session(
    state: &AppState,
    jar: CookieJar,
    link_secret: &str,
) -> Result<
    (
        CookieJar,
        Result<makegood_store::portal::LinkLanding, makegood_store::portal::LinkRefusal>,
    ),
    AppError,
> {
    let secret = random_secret();
    let csrf = random_secret();
    let used = state
        .store
        .use_portal_link(link_secret, &sha256_hex(&secret), &csrf, state.now())
        .await?;
    if used.is_err() {
        return Ok((jar, used));
    }
    let cookie = Cookie::build((PORTAL_COOKIE, secret))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.secure_cookies)
        .path("/")
        .max_age(cookie::time::Duration::seconds(SESSION_LIFETIME.as_secs()))
        .build();
    Ok((jar.add(cookie), used))
}

/// Ends the portal session in `jar` and removes its cookie.
pub async fn end_session(state: &AppState, jar: CookieJar) -> Result<CookieJar, AppError> {
    if let Some(c) = jar.get(PORTAL_COOKIE) {
        state
            .store
            .end_portal_session(&sha256_hex(c.value()))
            .await?;
    }
    Ok(jar.remove(Cookie::build(PORTAL_COOKIE).path("/")))
}
