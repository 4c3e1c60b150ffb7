//! Extractors whose rejections are problem+json with actionable messages
//! (axum's `examples/error-handling`), plus `If-Match`.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{HeaderMap, StatusCode, header, request::Parts};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{AppError, FieldError};
use crate::limits::{self, Limits};

/// A JSON request body (`deny_unknown_fields` on every target type) or response.
#[derive(Debug, Clone, Copy, Default)]
pub struct Json<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(req.headers()) {
            return Err(AppError::UnsupportedMediaType(
                "send the body as JSON with the header `Content-Type: application/json`".into(),
            ));
        }
        let limit = req.extensions().get::<Limits>().map(|l| l.body_bytes);
        let bytes =
            Bytes::from_request(req, state)
                .await
                .map_err(|e| match (e.status(), limit) {
                    (StatusCode::PAYLOAD_TOO_LARGE, Some(limit)) => limits::too_large_error(limit),
                    (StatusCode::PAYLOAD_TOO_LARGE, None) => {
                        AppError::PayloadTooLarge("the body is too large; send less".into())
                    }
                    _ => {
                        AppError::bad_request(format!("could not read the body: {}", e.body_text()))
                    }
                })?;
        parse_json(&bytes).map(Json)
    }
}

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

pub(crate) fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| {
            let m = m.trim().to_ascii_lowercase();
            m == "application/json" || (m.starts_with("application/") && m.ends_with("+json"))
        })
}

/// Parses a JSON body, naming the field at fault.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    // Every body is an object, but serde also reads a struct from an array of its fields in
    // order (`["name", null]`); refuse that before it can be taken for a real request.
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
        return Err(AppError::invalid(
            "body",
            "must be a JSON object, not an array",
        ));
    }
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if inner.is_data() {
            AppError::Validation(vec![field_error(&path, &inner.to_string(), "body")])
        } else {
            let what = if inner.is_eof() {
                "the JSON body ends too early"
            } else {
                "the body is not valid JSON"
            };
            AppError::bad_request(format!("{what}: {inner}"))
        }
    })
}

/// Names the field of a serde message: unknown and missing fields name themselves.
fn field_error(path: &str, message: &str, root: &str) -> FieldError {
    // serde_json appends " at line 1 column 9"; the field name says where.
    let message = message
        .split(" at line ")
        .next()
        .unwrap_or(message)
        .to_owned();
    let named = ["unknown field `", "missing field `"]
        .iter()
        .find_map(|p| message.strip_prefix(p))
        .and_then(|rest| rest.split('`').next());
    let field = match (path, named) {
        (".", Some(name)) => name.to_owned(),
        // An unknown field is already the last segment of the path.
        (path, Some(name)) if path == name || path.ends_with(&format!(".{name}")) => {
            path.to_owned()
        }
        (path, Some(name)) => format!("{path}.{name}"),
        (".", None) => root.to_owned(),
        (path, None) => path.to_owned(),
    };
    let message = match named {
        Some(_) if message.starts_with("unknown") => {
            message.replacen("unknown field", "is not a known field", 1)
        }
        Some(_) => "is required".to_owned(),
        None => message,
    };
    FieldError { field, message }
}

/// A query string; bad values are a 400 naming the parameter.
#[derive(Debug, Clone, Copy, Default)]
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(de)
            .map(Query)
            .map_err(|e| {
                let path = e.path().to_string();
                let error = field_error(&path, &e.into_inner().to_string(), "query");
                AppError::BadRequest {
                    detail: format!("bad query string: {}: {}", error.field, error.message),
                    errors: vec![error],
                }
            })
    }
}

/// Path parameters; a value of the wrong shape is a 400.
#[derive(Debug, Clone, Copy, Default)]
pub struct Path<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Path<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| Path(p.0))
            .map_err(|e| AppError::bad_request(format!("bad path: {}", e.body_text())))
    }
}

/// The `If-Match` header as an expected version; `None` when absent or `*`.
#[derive(Debug, Clone, Copy, Default)]
pub struct IfMatch(pub Option<i64>);

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let Some(value) = parts.headers.get(header::IF_MATCH) else {
            return Ok(IfMatch(None));
        };
        let text = value.to_str().unwrap_or_default().trim();
        if text == "*" {
            return Ok(IfMatch(None));
        }
        let bare = text.trim_start_matches("W/").trim_matches('"');
        bare.parse().map(|v| IfMatch(Some(v))).map_err(|_| {
            AppError::bad_request(format!(
                "If-Match must be an ETag this API sent, like \"3\"; got `{text}`"
            ))
        })
    }
}

/// The `ETag` of a versioned resource.
pub fn etag(version: i64) -> [(header::HeaderName, String); 1] {
    [(header::ETAG, format!("\"{version}\""))]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_unknown_and_missing_fields() {
        let e = field_error(
            ".",
            "unknown field `titel`, expected `title` at line 1 column 8",
            "body",
        );
        assert_eq!(e.field, "titel");
        assert!(e.message.starts_with("is not a known field"));
        assert_eq!(
            field_error("policy", "missing field `x`", "body").field,
            "policy.x"
        );
        assert_eq!(
            field_error("limit", "invalid digit found in string", "query").field,
            "limit"
        );
    }
}
