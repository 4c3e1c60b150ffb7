//! The route table's cases for the customer's signals: the call an upset customer is owed
//! and the review of held inbound mail.

use serde_json::json;

use crate::route_table::{ADMIN, Case, WORKERS, case, none, problem};

pub fn cases() -> Vec<Case> {
    vec![
        // the call: whoever works problems records it
        case!(
            "POST",
            |c| format!("{}/call", problem(c)),
            |_| Some(json!({"note": "Apologised; they are fine now"})),
            WORKERS
        ),
        // held mail: whoever manages integrations (admins)
        case!("GET", |_| "/api/v1/inbound/held".into(), none, ADMIN),
        case!(
            "GET",
            |c| format!("/api/v1/inbound/held/{}", c.world.held),
            none,
            ADMIN
        ),
        case!(
            "POST",
            |c| format!("/api/v1/inbound/held/{}/attach", c.world.held),
            |c| Some(json!({"problem": c.world.problem.problem.number.to_string()})),
            ADMIN
        ),
        case!(
            "POST",
            |c| format!("/api/v1/inbound/held/{}/open", c.world.held),
            |c| Some(json!({"account": c.world.account.id, "name": "Sam Stranger"})),
            ADMIN
        ),
        case!(
            "POST",
            |c| format!("/api/v1/inbound/held/{}/dismiss", c.world.held),
            none,
            ADMIN
        ),
    ]
}
