//! The OpenAPI document: served, complete, and stable (an insta snapshot).

use makegood_store::testing::Backend;
use serde_json::Value;

use crate::common::TestApp;

#[tokio::test]
async fn the_served_document_is_the_generated_one() {
    let (app, _admin) = TestApp::new(Backend::Sqlite).await;
    let served = app.request("GET", "/api/openapi.json", None, None).await;
    assert_eq!(served.status, 200);
    assert_eq!(
        served.json,
        serde_json::to_value(makegood_web::openapi()).unwrap()
    );
}

#[test]
fn every_operation_has_an_id_and_problem_json_errors() {
    let doc = serde_json::to_value(makegood_web::openapi()).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let mut operations = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            operations += 1;
            assert!(op["operationId"].is_string(), "{method} {path}");
            let responses = op["responses"].as_object().unwrap();
            for status in ["400", "401", "403", "500"] {
                let content = &responses[status]["content"]["application/problem+json"];
                assert!(
                    content.is_object(),
                    "{method} {path} lacks {status} problem+json"
                );
            }
        }
    }
    assert!(operations >= 45, "{operations}");
    let schemes = doc["components"]["securitySchemes"].as_object().unwrap();
    assert!(schemes.contains_key("bearer") && schemes.contains_key("session"));
}

#[test]
fn the_document_matches_its_snapshot() {
    let doc: Value = serde_json::to_value(makegood_web::openapi()).unwrap();
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_json_snapshot!("openapi", doc);
    });
}
