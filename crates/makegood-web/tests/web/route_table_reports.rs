//! The route table's cases for reports: every member reads them, as JSON and as CSV.

use crate::route_table::{ALL, Case, case, none};

pub fn cases() -> Vec<Case> {
    vec![
        case!("GET", |_| "/api/v1/reports?from=2026-01".into(), none, ALL),
        case!(
            "GET",
            |c| format!(
                "/api/v1/reports/promises.csv?account={}",
                c.world.account.id
            ),
            none,
            ALL
        ),
    ]
}
