//! The route table's cases for the follow-up survey's results and an account's outcomes.

use crate::route_table::{ALL, Case, case, none, problem};

pub fn cases() -> Vec<Case> {
    vec![
        // everyone reads the results
        case!("GET", |c| format!("{}/surveys", problem(c)), none, ALL),
        case!(
            "GET",
            |c| format!("/api/v1/accounts/{}/surveys", c.world.account.id),
            none,
            ALL
        ),
        case!(
            "GET",
            |c| format!("/api/v1/accounts/{}/outcomes?limit=5", c.world.account.id),
            none,
            ALL
        ),
    ]
}
