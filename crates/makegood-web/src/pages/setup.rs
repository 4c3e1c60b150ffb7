//! `GET/POST /setup?token=…`: the one-time link that creates the organisation and first admin.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use makegood_domain::member::valid_time_zone;
use makegood_domain::text::bounded;
use makegood_domain::{Currency, Email, Money, Role};
use makegood_store::{NewMember, StoreError};
use serde::Deserialize;

use super::{csrf_refused, form_csrf, form_csrf_ok, message, render};
use crate::auth::{hash_password, sha256_hex, start_session, validate_password};
use crate::error::AppError;
use crate::extract::Query;
use crate::state::AppState;

/// One input of the setup form.
struct FieldView {
    name: &'static str,
    label: &'static str,
    kind: &'static str,
    value: String,
    error: Option<String>,
    hint: &'static str,
    required: bool,
}

#[derive(Template)]
#[template(path = "setup.html")]
struct SetupPage {
    token: String,
    csrf_token: String,
    fields: Vec<FieldView>,
    form_error: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SetupForm {
    token: String,
    csrf_token: String,
    organisation: String,
    name: String,
    email: String,
    password: String,
    time_zone: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    token: String,
}

const USED: &str = "This setup link is not valid: it was already used, or makegood has been set up. Sign in instead.";

impl SetupPage {
    fn new(form: &SetupForm, errors: &[(&str, String)], form_error: Option<String>) -> Self {
        let error = |name: &str| {
            errors
                .iter()
                .find(|(f, _)| *f == name)
                .map(|(_, m)| m.clone())
        };
        let field = |name, label, kind, value: &str, hint| FieldView {
            name,
            label,
            kind,
            // Passwords are never sent back.
            value: if kind == "password" {
                String::new()
            } else {
                value.to_owned()
            },
            error: error(name),
            hint,
            required: name != "time_zone",
        };
        let time_zone = if form.time_zone.is_empty() {
            "UTC"
        } else {
            &form.time_zone
        };
        Self {
            token: form.token.clone(),
            csrf_token: form.csrf_token.clone(),
            fields: vec![
                field(
                    "organisation",
                    "Organisation name",
                    "text",
                    &form.organisation,
                    "",
                ),
                field("name", "Your name", "text", &form.name, ""),
                field(
                    "email",
                    "Your email",
                    "email",
                    &form.email,
                    "You sign in with it.",
                ),
                field(
                    "password",
                    "Password",
                    "password",
                    "",
                    "At least 10 characters.",
                ),
                field(
                    "time_zone",
                    "Time zone",
                    "text",
                    time_zone,
                    "An IANA name such as Europe/Berlin; UTC if unsure.",
                ),
            ],
            form_error,
        }
    }
}

pub async fn setup_form(
    State(state): State<AppState>,
    jar: CookieJar,
    Query(q): Query<TokenQuery>,
) -> Result<Response, AppError> {
    if q.token.is_empty() || !state.store.setup_token_valid(&sha256_hex(&q.token)).await? {
        return Ok(message(StatusCode::NOT_FOUND, "Setup link not valid", USED));
    }
    let (jar, csrf_token) = form_csrf(&state, jar);
    let form = SetupForm {
        token: q.token,
        csrf_token,
        ..SetupForm::default()
    };
    Ok((
        jar,
        render(StatusCode::OK, &SetupPage::new(&form, &[], None)),
    )
        .into_response())
}

pub async fn setup(
    State(state): State<AppState>,
    jar: CookieJar,
    Form(form): Form<SetupForm>,
) -> Result<Response, AppError> {
    if !form_csrf_ok(&jar, &form.csrf_token) {
        return Ok(csrf_refused());
    }
    let token_hash = sha256_hex(&form.token);
    if !state.store.setup_token_valid(&token_hash).await? {
        return Ok(message(StatusCode::NOT_FOUND, "Setup link not valid", USED));
    }
    let mut errors: Vec<(&str, String)> = Vec::new();
    let organisation =
        bounded(&form.organisation, 200).map_err(|e| errors.push(("organisation", e.to_string())));
    let name = bounded(&form.name, 200).map_err(|e| errors.push(("name", e.to_string())));
    let email = Email::parse(&form.email).map_err(|e| errors.push(("email", e.to_string())));
    if let Err(m) = validate_password(&form.password) {
        errors.push(("password", m));
    }
    let time_zone = if form.time_zone.trim().is_empty() {
        "UTC".to_owned()
    } else {
        form.time_zone.trim().to_owned()
    };
    if !valid_time_zone(&time_zone) {
        errors.push((
            "time_zone",
            "is not an IANA time zone like Europe/Berlin".into(),
        ));
    }
    let (Ok(organisation), Ok(name), Ok(email), true) =
        (organisation, name, email, errors.is_empty())
    else {
        return Ok(render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &SetupPage::new(&form, &errors, None),
        ));
    };
    let password = form.password.clone();
    let password_hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| AppError::Internal(e.into()))??;
    let currency = Currency::new("EUR").map_err(|e| AppError::Internal(e.into()))?;
    let admin = NewMember {
        name,
        email,
        role: Role::Admin,
        remedy_authority: Money::new(0, currency),
        time_zone,
        password_hash: Some(password_hash),
    };
    let member = match state
        .store
        .initialise_with_token(&token_hash, &organisation, admin, state.now())
        .await
    {
        Ok(member) => member,
        Err(StoreError::Invalid { field, message }) => {
            let page = match form_field(&field) {
                Some(input) => SetupPage::new(&form, &[(input, message)], None),
                None => SetupPage::new(&form, &[], Some(format!("{field}: {message}"))),
            };
            return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page));
        }
        Err(StoreError::Conflict(_) | StoreError::NotFound { .. }) => {
            return Ok(message(StatusCode::NOT_FOUND, "Setup link not valid", USED));
        }
        Err(e) => return Err(e.into()),
    };
    let jar = start_session(&state, jar, member.id).await?;
    Ok((jar, Redirect::to("/")).into_response())
}

/// The form input a store field name refers to, if any.
fn form_field(field: &str) -> Option<&'static str> {
    match field {
        "organisation" => Some("organisation"),
        "name" => Some("name"),
        "email" => Some("email"),
        "password" | "password_hash" => Some("password"),
        "time_zone" => Some("time_zone"),
        _ => None,
    }
}
