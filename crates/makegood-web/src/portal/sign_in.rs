//! Signing in and out: `GET /portal` (the sign-in form, or the list once signed in),
//! `POST /portal/sign-in` (a link by email), `GET/POST /portal/link/{secret}` (a page with
//! a Continue button — mail scanners fetch links, so only the POST uses one) and
//! `POST /portal/sign-out`.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use makegood_domain::Email;
use makegood_store::portal::LinkRefusal;
use serde::Deserialize;

use super::frame::{end_session, form_csrf, form_csrf_ok, start_session};
use super::problem::list_page;
use super::{PortalError, PortalFrame, PortalSignedIn, render};
use crate::auth::same_secret;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "portal_sign_in.html")]
struct SignInPage {
    frame: PortalFrame,
    email: String,
    error: Option<&'static str>,
    /// Set once a link was asked for: the same words whether or not the address is known.
    sent: bool,
    /// Why the link that brought them here did not work.
    refused: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "portal_link.html")]
struct LinkPage {
    frame: PortalFrame,
    secret: String,
    name: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub cursor: Option<String>,
    pub promises: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SignInForm {
    email: String,
    csrf_token: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TokenOnly {
    csrf_token: String,
}

fn sign_in_page(
    jar: CookieJar,
    state: &AppState,
    status: StatusCode,
    mut page: SignInPage,
) -> Response {
    let (jar, csrf) = form_csrf(state, jar);
    page.frame.csrf_token = csrf;
    (jar, render(status, &page)).into_response()
}

fn blank() -> SignInPage {
    SignInPage {
        frame: PortalFrame::default(),
        email: String::new(),
        error: None,
        sent: false,
        refused: None,
    }
}

pub async fn home(
    State(state): State<AppState>,
    jar: CookieJar,
    Query(query): Query<ListQuery>,
) -> Result<Response, PortalError> {
    match PortalSignedIn::of(&state, &jar).await? {
        Some(who) => list_page(&state, &who, query).await,
        None => Ok(sign_in_page(jar, &state, StatusCode::OK, blank())),
    }
}

pub async fn sign_in(
    State(state): State<AppState>,
    jar: CookieJar,
    Form(form): Form<SignInForm>,
) -> Result<Response, PortalError> {
    if !form_csrf_ok(&jar, &form.csrf_token) {
        return Err(PortalError::Csrf);
    }
    let Ok(email) = Email::parse(&form.email) else {
        let page = SignInPage {
            email: form.email,
            error: Some("Enter your email address, e.g. dana@example.com."),
            ..blank()
        };
        return Ok(sign_in_page(
            jar,
            &state,
            StatusCode::UNPROCESSABLE_ENTITY,
            page,
        ));
    };
    // Known or not, the answer is the same: it must not tell who our customers are.
    state.store.request_portal_link(&email, state.now()).await?;
    let page = SignInPage {
        email: form.email,
        sent: true,
        ..blank()
    };
    Ok(sign_in_page(jar, &state, StatusCode::OK, page))
}

fn refused_page(jar: CookieJar, state: &AppState, why: LinkRefusal) -> Response {
    let status = match why {
        LinkRefusal::Unknown => StatusCode::NOT_FOUND,
        _ => StatusCode::GONE,
    };
    let page = SignInPage {
        refused: Some(why.message()),
        ..blank()
    };
    sign_in_page(jar, state, status, page)
}

pub async fn link_page(
    State(state): State<AppState>,
    jar: CookieJar,
    Path(secret): Path<String>,
) -> Result<Response, PortalError> {
    match state.store.check_portal_link(&secret, state.now()).await? {
        Ok(landing) => {
            let (jar, csrf) = form_csrf(&state, jar);
            let page = LinkPage {
                frame: PortalFrame {
                    csrf_token: csrf,
                    ..PortalFrame::default()
                },
                secret,
                name: landing.contact.name,
            };
            Ok((jar, render(StatusCode::OK, &page)).into_response())
        }
        Err(why) => Ok(refused_page(jar, &state, why)),
    }
}

pub async fn use_link(
    State(state): State<AppState>,
    jar: CookieJar,
    Path(secret): Path<String>,
    Form(form): Form<TokenOnly>,
) -> Result<Response, PortalError> {
    if !form_csrf_ok(&jar, &form.csrf_token) {
        return Err(PortalError::Csrf);
    }
    // Signing in as someone else ends the current portal session first.
    let jar = end_session(&state, jar).await?;
    let (jar, used) = start_session(&state, jar, &secret).await?;
    match used {
        Ok(landing) => {
            let to = landing
                .problem
                .map_or_else(|| "/portal".to_owned(), |p| format!("/portal/problems/{p}"));
            Ok((jar, Redirect::to(&to)).into_response())
        }
        Err(why) => Ok(refused_page(jar, &state, why)),
    }
}

pub async fn sign_out(
    State(state): State<AppState>,
    jar: CookieJar,
    Form(form): Form<TokenOnly>,
) -> Result<Response, PortalError> {
    if let Some(who) = PortalSignedIn::of(&state, &jar).await?
        && !same_secret(&who.csrf, &form.csrf_token)
    {
        return Err(PortalError::Csrf);
    }
    let jar = end_session(&state, jar).await?;
    Ok((jar, Redirect::to("/portal")).into_response())
}
