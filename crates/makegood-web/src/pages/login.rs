//! `GET/POST /login` and `POST /logout`.
//!
//! Sign-ins are throttled per email (known or not, so the answer never tells whether an
//! account exists): after a few failures further attempts are refused, unchecked, for a
//! delay that doubles (see [`makegood_store::audit::throttle`]). Every sign-in, failure,
//! refusal and sign-out goes to the audit trail.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use jiff::Timestamp;
use makegood_domain::Email;
use makegood_store::{AuditKind, NewAuditEvent};
use serde::Deserialize;
use serde_json::json;

use super::{csrf_refused, form_csrf, form_csrf_ok, render, session_member};
use crate::auth::{ClientIp, DUMMY_HASH, end_session, same_secret, start_session, verify_password};
use crate::error::AppError;
use crate::state::AppState;

/// The only message a failed sign-in gets: it does not say which part was wrong.
const WRONG: &str = "The email or password is wrong.";

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    /// Set while nobody has set makegood up yet.
    not_set_up: bool,
    email: String,
    error: Option<String>,
    csrf_token: String,
    /// Where to go once signed in.
    next: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LoginForm {
    email: String,
    password: String,
    csrf_token: String,
    next: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NextQuery {
    next: String,
}

/// `next` if it is a path on this site, else Today: never a redirect to another host.
fn safe_next(next: &str) -> &str {
    let local = next.starts_with('/') && !next.starts_with("//") && !next.contains('\\');
    if local { next } else { "/" }
}

pub async fn login_form(
    State(state): State<AppState>,
    jar: CookieJar,
    Query(query): Query<NextQuery>,
) -> Result<Response, AppError> {
    let next = safe_next(&query.next).to_owned();
    if session_member(&state, &jar).await?.is_some() {
        return Ok(Redirect::to(&next).into_response());
    }
    let not_set_up = state.store.organisation().await?.is_none();
    let (jar, csrf_token) = form_csrf(&state, jar);
    let page = LoginPage {
        not_set_up,
        email: String::new(),
        error: None,
        csrf_token,
        next,
    };
    Ok((jar, render(StatusCode::OK, &page)).into_response())
}

/// The throttle's key for a typed email: the same for every spelling of one address.
fn throttle_key(email: &str) -> String {
    format!("email:{}", email.trim().to_lowercase())
}

/// "Too many failed sign-ins … Try again in 4 minutes.", for a lock lasting `until`.
fn locked_message(until: Timestamp, now: Timestamp) -> (String, i64) {
    let secs = until.duration_since(now).as_secs().max(1);
    let minutes = (secs + 59) / 60;
    let unit = if minutes == 1 { "minute" } else { "minutes" };
    (
        format!("Too many failed sign-ins for this address. Try again in {minutes} {unit}."),
        secs,
    )
}

pub async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
    Form(mut form): Form<LoginForm>,
) -> Result<Response, AppError> {
    if !form_csrf_ok(&jar, &form.csrf_token) {
        return Ok(csrf_refused());
    }
    let now = state.now();
    let key = throttle_key(&form.email);
    let subject = form.email.trim().to_lowercase();
    let refuse = |form: LoginForm, status: StatusCode, error: String| {
        let page = LoginPage {
            not_set_up: false,
            email: form.email,
            error: Some(error),
            csrf_token: form.csrf_token,
            next: safe_next(&form.next).to_owned(),
        };
        render(status, &page)
    };
    if let Some(until) = state.store.sign_in_locked(&key, now).await? {
        let event = NewAuditEvent::new(AuditKind::SignInRefused, subject)
            .detail(json!({ "locked_until": until.to_string() }))
            .from_ip(ip);
        state.store.record_audit(event, now).await?;
        return Ok(too_many(refuse, form, until, now));
    }
    let found = match Email::parse(&form.email) {
        Ok(email) => state.store.member_credentials(&email).await?,
        Err(_) => None,
    };
    // Verify against a dummy hash when there is no member, so timing does not tell.
    let (member, hash) = match found {
        Some((member, Some(hash))) => (Some(member), hash),
        _ => (None, DUMMY_HASH.clone()),
    };
    let known = member.as_ref().map(|m| m.id);
    let password = std::mem::take(&mut form.password);
    let matches = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    match member.filter(|m| matches && m.active) {
        Some(member) => {
            state.store.sign_in_succeeded(&key).await?;
            let jar = start_session(&state, jar, member.id).await?;
            let event = NewAuditEvent::new(AuditKind::SignIn, member.email.as_str())
                .by(member.id)
                .about(member.id)
                .from_ip(ip);
            state.store.record_audit(event, now).await?;
            Ok((jar, Redirect::to(safe_next(&form.next))).into_response())
        }
        None => {
            let locked = state.store.sign_in_failed(&key, now).await?;
            let mut event = NewAuditEvent::new(AuditKind::SignInFailed, subject)
                .detail(json!({
                    "locked_until": locked.map(|t| t.to_string()),
                }))
                .from_ip(ip);
            event.member = known;
            state.store.record_audit(event, now).await?;
            Ok(match locked {
                Some(until) => too_many(refuse, form, until, now),
                None => refuse(form, StatusCode::UNAUTHORIZED, WRONG.to_owned()),
            })
        }
    }
}

/// The form again with 429, the lock's message and `Retry-After`.
fn too_many(
    refuse: impl FnOnce(LoginForm, StatusCode, String) -> Response,
    form: LoginForm,
    until: Timestamp,
    now: Timestamp,
) -> Response {
    let (message, secs) = locked_message(until, now);
    let mut response = refuse(form, StatusCode::TOO_MANY_REQUESTS, message);
    if let Ok(value) = HeaderValue::from_str(&secs.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LogoutForm {
    csrf_token: String,
}

pub async fn logout(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
    Form(form): Form<LogoutForm>,
) -> Result<Response, AppError> {
    match session_member(&state, &jar).await? {
        Some((_, csrf)) if !same_secret(&csrf, &form.csrf_token) => Ok(csrf_refused()),
        signed_in => {
            let jar = end_session(&state, jar).await?;
            if let Some((member, _)) = signed_in {
                let event = NewAuditEvent::new(AuditKind::SignOut, member.email.as_str())
                    .by(member.id)
                    .about(member.id)
                    .from_ip(ip);
                state.store.record_audit(event, state.now()).await?;
            }
            Ok((jar, Redirect::to("/login")).into_response())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{locked_message, safe_next, throttle_key};

    #[test]
    fn the_lock_message_rounds_up_to_whole_minutes() {
        let now: jiff::Timestamp = "2026-03-02T09:00:00Z".parse().unwrap();
        let at = |s: i64| now.checked_add(jiff::SignedDuration::from_secs(s)).unwrap();
        assert_eq!(
            locked_message(at(240), now),
            (
                "Too many failed sign-ins for this address. Try again in 4 minutes.".into(),
                240
            )
        );
        assert!(locked_message(at(61), now).0.contains("in 2 minutes"));
        assert_eq!(
            locked_message(at(5), now),
            (
                "Too many failed sign-ins for this address. Try again in 1 minute.".into(),
                5
            )
        );
        assert_eq!(throttle_key(" Ann@Acme.Example "), "email:ann@acme.example");
    }

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(safe_next("/problems?owner=3"), "/problems?owner=3");
        for foreign in [
            "https://evil.example/",
            "//evil.example/",
            "/\\evil.example",
            "",
            "problems",
        ] {
            assert_eq!(safe_next(foreign), "/", "{foreign}");
        }
    }
}
