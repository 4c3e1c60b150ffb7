//! The OpenAPI document's frame: info, security schemes and the problem+json error responses.

use utoipa::Modify;
use utoipa::openapi::path::{HttpMethod, Operation, ParameterBuilder, ParameterIn};
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};

use super::deliveries::DeliveryState;
use super::duties::DutiesFor;
use super::problems::{ProblemOrder, RunningClockState};
use super::promises::PromiseState;
use super::types::MAX_LIMIT;
use crate::error::{FieldError, PROBLEM_JSON, ProblemDetails};

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "makegood",
        description = "The JSON API of makegood, a service-recovery desk. Errors are RFC 9457 \
            `application/problem+json`; lists are cursor-paginated; problems and promises carry an \
            `ETag` and honour `If-Match`; POSTs honour `Idempotency-Key`.",
        license(name = "AGPL-3.0-or-later", identifier = "AGPL-3.0-or-later")
    ),
    // Enums that only appear in query parameters are referenced, not inlined, so they must be
    // listed here or the references dangle.
    components(schemas(ProblemDetails, FieldError, DutiesFor, RunningClockState, ProblemOrder, PromiseState, DeliveryState)),
    modifiers(&Security),
    tags(
        (name = "me"), (name = "members"), (name = "accounts"), (name = "contacts"), (name = "vendors"),
        (name = "problems"), (name = "promises"), (name = "duties"), (name = "policies"), (name = "tokens"),
        (name = "calendars"), (name = "webhooks"), (name = "deliveries"), (name = "remedies"),
        (name = "playbooks"), (name = "preventions"), (name = "vendor-promises"), (name = "failures")
    )
)]
pub struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("mg_…")
                    .build(),
            ),
        );
        components.add_security_scheme("session", SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
            "makegood_session",
            "A browser session; unsafe methods must also send the header X-CSRF-Token (see GET /api/v1/me).",
        ))));
        openapi.security = Some(vec![
            SecurityRequirement::new("bearer", Vec::<String>::new()),
            SecurityRequirement::new("session", Vec::<String>::new()),
        ]);
    }
}

/// Adds what every operation shares once the routes are in: the problem+json responses each
/// can give, and `Idempotency-Key` on every POST.
pub struct ErrorResponses;

impl Modify for ErrorResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for (path, item) in &mut openapi.paths.paths {
            let has_id = path.contains('{');
            let ops = [
                (HttpMethod::Get, item.get.as_mut()),
                (HttpMethod::Post, item.post.as_mut()),
                (HttpMethod::Put, item.put.as_mut()),
                (HttpMethod::Patch, item.patch.as_mut()),
                (HttpMethod::Delete, item.delete.as_mut()),
            ];
            for (method, op) in ops {
                if let Some(op) = op {
                    cap_limit(op);
                    add_errors(op, &method, has_id, path);
                    if matches!(method, HttpMethod::Post) {
                        add_idempotency_key(op);
                    }
                }
            }
        }
    }
}

fn add_errors(op: &mut Operation, method: &HttpMethod, has_id: bool, path: &str) {
    let writes = !matches!(method, HttpMethod::Get);
    let versioned =
        writes && has_id && (path.contains("/problems/") || path.contains("/promises/"));
    // A list's cursor and limit are checked like fields, wherever the list sits.
    let paginated = op
        .parameters
        .iter()
        .flatten()
        .any(|p| p.name == "cursor" || p.name == "limit");
    let table: [(&str, &str, bool); 11] = [
        (
            "400",
            "The request could not be read: malformed JSON, a bad query string, path or header",
            true,
        ),
        (
            "401",
            "No valid credentials: send a bearer token or a session cookie",
            true,
        ),
        (
            "403",
            "Your role may not do this, or the CSRF token is missing",
            true,
        ),
        ("404", "Not found", has_id),
        (
            "409",
            "Refused in the current state, or a conflict with existing data",
            writes,
        ),
        (
            "412",
            "If-Match does not match the current version (ETag)",
            versioned,
        ),
        ("415", "The body must be application/json", writes),
        (
            "422",
            "The request is invalid; `errors` names each field",
            writes || !has_id || paginated,
        ),
        ("500", "Something went wrong on our side", true),
        (
            "413",
            "The body is larger than the API reads (1 MiB; inbound email 25 MiB)",
            writes,
        ),
        (
            "503",
            "The request took too long (30 s) and was abandoned; nothing it started was kept",
            true,
        ),
    ];
    for (status, description, applies) in table {
        if applies && !op.responses.responses.contains_key(status) {
            let content = ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ProblemDetails")))
                .build();
            let response = ResponseBuilder::new()
                .description(description)
                .content(PROBLEM_JSON, content)
                .build();
            op.responses
                .responses
                .insert(status.to_owned(), response.into());
        }
    }
}

fn add_idempotency_key(op: &mut Operation) {
    let params = op.parameters.get_or_insert_with(Vec::new);
    if params.iter().any(|p| p.name == "Idempotency-Key") {
        return;
    }
    params.push(
        ParameterBuilder::new()
            .name("Idempotency-Key")
            .parameter_in(ParameterIn::Header)
            .description(Some(
                "A retry with the same key and body replays the first successful response; while the first is still running, a retry is refused (409); the same key with another body is refused (422).",
            ))
            .schema(Some(utoipa::openapi::ObjectBuilder::new().schema_type(utoipa::openapi::schema::Type::String)))
            .build(),
    );
}

/// Every list's `limit` says its range in the schema: 1 to [`MAX_LIMIT`], as `check_limit`
/// checks.
fn cap_limit(op: &mut Operation) {
    use utoipa::openapi::{RefOr, Schema};
    let limits = op
        .parameters
        .iter_mut()
        .flatten()
        .filter(|p| p.name == "limit" && matches!(p.parameter_in, ParameterIn::Query));
    for param in limits {
        if let Some(RefOr::T(Schema::Object(schema))) = param.schema.as_mut() {
            schema.minimum = Some(1u32.into());
            schema.maximum = Some(MAX_LIMIT.into());
        }
    }
}
