//! `AppError`: every failure as an RFC 9457 `application/problem+json` response.

use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use makegood_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

/// The media type of every API error.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// One invalid input, named as in the request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    /// The JSON field or query parameter, e.g. `title` or `accounts[0]`.
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// An RFC 9457 problem details document.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ProblemDetails {
    /// A URI naming the kind of problem, e.g. `urn:makegood:problem:validation`.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    /// What went wrong and what to do about it.
    pub detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    /// The invalid inputs, for validation problems.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

/// Every way a request can fail.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The request could not be read: malformed JSON, a bad query string or path, a bad header.
    #[error("{detail}")]
    BadRequest {
        detail: String,
        errors: Vec<FieldError>,
    },
    /// The request was read but its content does not fit.
    #[error("the request is invalid")]
    Validation(Vec<FieldError>),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("this method is not allowed here")]
    MethodNotAllowed,
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    PreconditionFailed(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("{0}")]
    Unavailable(String),
    /// Anything unexpected; logged with its cause, shown generically.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    /// A 400 without field details.
    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::BadRequest {
            detail: detail.into(),
            errors: Vec::new(),
        }
    }

    /// A 422 for one field.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation(vec![FieldError::new(field, message)])
    }

    /// The status table.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest { .. } => StatusCode::BAD_REQUEST,
            Self::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::PreconditionFailed(_) => StatusCode::PRECONDITION_FAILED,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn slug(&self) -> &'static str {
        match self {
            Self::BadRequest { .. } => "bad-request",
            Self::Validation(_) => "validation",
            Self::Unauthorized(_) => "unauthorized",
            Self::Forbidden(_) => "forbidden",
            Self::NotFound(_) => "not-found",
            Self::MethodNotAllowed => "method-not-allowed",
            Self::Conflict(_) => "conflict",
            Self::PreconditionFailed(_) => "precondition-failed",
            Self::UnsupportedMediaType(_) => "unsupported-media-type",
            Self::PayloadTooLarge(_) => "payload-too-large",
            Self::Unavailable(_) => "unavailable",
            Self::Internal(_) => "internal",
        }
    }

    /// The problem details document for this error.
    pub fn details(&self) -> ProblemDetails {
        let status = self.status();
        let (detail, errors) = match self {
            Self::BadRequest { detail, errors } => (detail.clone(), errors.clone()),
            Self::Validation(errors) => {
                let fields: Vec<_> = errors
                    .iter()
                    .map(|e| format!("{}: {}", e.field, e.message))
                    .collect();
                (
                    format!("the request is invalid: {}", fields.join("; ")),
                    errors.clone(),
                )
            }
            Self::Internal(_) => (
                "something went wrong on our side; it has been logged".to_owned(),
                Vec::new(),
            ),
            other => (other.to_string(), Vec::new()),
        };
        ProblemDetails {
            kind: format!("urn:makegood:problem:{}", self.slug()),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail,
            instance: None,
            errors,
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound { what } => Self::NotFound(format!("{what} not found")),
            e @ StoreError::Stale { .. } => Self::PreconditionFailed(e.to_string()),
            StoreError::Invalid { field, message } => {
                Self::Validation(vec![FieldError { field, message }])
            }
            StoreError::Conflict(message) => Self::Conflict(message),
            e @ StoreError::Database(_) => Self::Internal(anyhow::Error::new(e)),
            StoreError::DiskFull(cause) => {
                tracing::error!(error = %cause, "the database's disk is full");
                Self::Unavailable(StoreError::DiskFull(String::new()).to_string())
            }
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let Self::Internal(cause) = &self {
            tracing::error!(error = format!("{cause:#}"), "internal error");
        }
        let mut response = problem_response(&self.details());
        if let Self::Unauthorized(_) = self {
            // RFC 9110: a 401 names the scheme that would work.
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer realm=\"makegood\""),
            );
        }
        response
    }
}

/// Renders problem details with their status and media type.
pub fn problem_response(details: &ProblemDetails) -> Response {
    let status = StatusCode::from_u16(details.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (status, axum::Json(details)).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    response
}

/// Unknown routes: problem+json under `/api`, a plain page elsewhere.
pub async fn fallback(uri: Uri) -> Response {
    if uri.path().starts_with("/api") {
        let mut details = AppError::NotFound(format!(
            "no API route at {}; see /api/openapi.json",
            uri.path()
        ))
        .details();
        details.instance = Some(uri.path().to_owned());
        problem_response(&details)
    } else {
        crate::pages::PageError::NotFound(format!("no page at {}", uri.path())).into_response()
    }
}

/// A known route asked with the wrong method: problem+json under `/api`, a page elsewhere.
pub async fn method_not_allowed(uri: Uri) -> Response {
    if !uri.path().starts_with("/api") {
        let mut page = crate::pages::PageError::BadForm(
            "this address does not take that kind of request (a link to a form, perhaps)".into(),
        )
        .into_response();
        *page.status_mut() = StatusCode::METHOD_NOT_ALLOWED;
        return page;
    }
    let mut details = AppError::MethodNotAllowed.details();
    details.detail = format!(
        "{} does not support this method; see /api/openapi.json",
        uri.path()
    );
    details.instance = Some(uri.path().to_owned());
    problem_response(&details)
}
