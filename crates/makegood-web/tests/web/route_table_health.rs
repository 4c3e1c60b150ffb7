//! The route table's cases for the failure log and account health.

use serde_json::json;

use crate::route_table::{ALL, Case, LEADS, WORKERS, case, none};

pub fn cases() -> Vec<Case> {
    vec![
        // the failure log: everyone reads, workers log; the agent's entry is changed by
        // the agent and by leads
        case!(
            "GET",
            |_| "/api/v1/failures?level=prototype".into(),
            none,
            ALL
        ),
        case!(
            "POST",
            |_| "/api/v1/failures".into(),
            |_| Some(json!({
                "level": "idea", "what_happened": "Nobody wanted it", "lesson": "Ask first"
            })),
            WORKERS
        ),
        case!("GET", |_| "/api/v1/failures/summary".into(), none, ALL),
        case!(
            "GET",
            |c| format!("/api/v1/failures/{}", c.world.insight.failure.id),
            none,
            ALL
        ),
        case!(
            "PATCH",
            |c| format!("/api/v1/failures/{}", c.world.insight.failure.id),
            |_| Some(json!({"lesson": "Try it on a real file first"})),
            WORKERS
        ),
        case!(
            "DELETE",
            |c| format!("/api/v1/failures/{}", c.world.insight.failure.id),
            none,
            WORKERS
        ),
        // account health: everyone reads; a red account without an owner is reviewed by leads
        case!(
            "GET",
            |c| format!("/api/v1/accounts/{}/health", c.world.account.id),
            none,
            ALL
        ),
        case!(
            "POST",
            |c| format!(
                "/api/v1/accounts/{}/health/review",
                c.world.insight.red_account.id
            ),
            none,
            LEADS
        ),
    ]
}
