//! Regressions found by fuzzing the OpenAPI document with schemathesis (`scripts/schemathesis`).

use serde_json::{Value, json};

use makegood_store::backend_tests;
use makegood_store::testing::Backend;

use crate::common::TestApp;

backend_tests!(
    a_body_must_be_an_object_not_an_array,
    blank_text_is_refused_as_documented_and_patches_stay_partial
);

/// Every `$ref` in `value`, recursively.
fn refs<'a>(value: &'a Value, found: &mut Vec<&'a str>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                found.push(r);
            }
            map.values().for_each(|v| refs(v, found));
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, found)),
        _ => {}
    }
}

/// Enums used only by query parameters (`for`, `clock_state`, `sort`, `state`) were referenced
/// but never put in `components`, so clients could not resolve them.
#[test]
fn every_reference_in_the_document_resolves() {
    let doc = serde_json::to_value(makegood_web::openapi()).unwrap();
    let mut found = Vec::new();
    refs(&doc, &mut found);
    assert!(!found.is_empty());
    for r in found {
        let pointer = r.strip_prefix('#').unwrap_or(r);
        assert!(doc.pointer(pointer).is_some(), "dangling reference {r}");
    }
}

/// serde reads a struct from an array of its fields in order, so `[null, null]` was a valid
/// `PATCH` of a vendor.
async fn a_body_must_be_an_object_not_an_array(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let vendor = app
        .post("/api/v1/vendors", json!({"name": "Courier"}), &admin)
        .await;
    assert_eq!(vendor.status, 201, "{}", vendor.text);
    let path = format!("/api/v1/vendors/{}", vendor.json["id"]);

    for body in [json!([null, null]), json!(["Renamed"])] {
        let patched = app
            .request("PATCH", &path, Some(body), Some(&admin.token))
            .await;
        patched.problem(422);
        assert_eq!(patched.fields(), ["body"], "{}", patched.text);
    }
    let created = app
        .post("/api/v1/accounts", json!(["Acme", null]), &admin)
        .await;
    created.problem(422);
    assert_eq!(app.get(&path, &admin).await.json["name"], "Courier");
}

/// Names were refused when blank but documented as any string, so a fuzzer learnt from the
/// 422s that `name` was required even in a `PATCH`; the schema now says what the server checks.
async fn blank_text_is_refused_as_documented_and_patches_stay_partial(backend: Backend) {
    let doc = serde_json::to_value(makegood_web::openapi()).unwrap();
    let name = &doc["components"]["schemas"]["UpdateVendor"]["properties"]["name"];
    assert_eq!(name["minLength"], 1);
    // Unanchored in JSON Schema: at least one non-blank character.
    assert_eq!(name["pattern"], r"\S");

    let (app, admin) = TestApp::new(backend).await;
    let vendor = app
        .post("/api/v1/vendors", json!({"name": "Courier"}), &admin)
        .await;
    let path = format!("/api/v1/vendors/{}", vendor.json["id"]);
    let blank = app
        .request(
            "PATCH",
            &path,
            Some(json!({"name": "  "})),
            Some(&admin.token),
        )
        .await;
    blank.problem(422);
    assert_eq!(blank.fields(), ["name"]);
    let email_only = app
        .request(
            "PATCH",
            &path,
            Some(json!({"email": "desk@courier.example"})),
            Some(&admin.token),
        )
        .await;
    assert_eq!(email_only.status, 200, "{}", email_only.text);
    assert_eq!(email_only.json["name"], "Courier");
}
