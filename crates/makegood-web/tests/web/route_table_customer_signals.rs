//! The route table's cases for the customer's signals: the call an upset customer is owed
//! and the review of held inbound mail.

use serde_json::json;

use crate::route_table::{Case, WORKERS, case, problem};

pub fn cases() -> Vec<Case> {
    vec![
        // the call: whoever works problems records it
        case!(
            "POST",
            |c| format!("{}/call", problem(c)),
            |_| Some(json!({"note": "Apologised; they are fine now"})),
            WORKERS
        ),
    ]
}
