//! The route table's cases for the customer portal's team routes: emailing a contact a
//! sign-in link and revoking their access (whoever may edit contacts).

use serde_json::json;

use crate::route_table::{Case, WORKERS, case, none};

pub fn cases() -> Vec<Case> {
    vec![
        case!(
            "POST",
            |c| format!("/api/v1/contacts/{}/portal-link", c.world.spare_contact.id),
            |c| Some(json!({"problem": c.world.problem.problem.number.to_string()})),
            WORKERS
        ),
        case!(
            "DELETE",
            |c| format!(
                "/api/v1/contacts/{}/portal-access",
                c.world.spare_contact.id
            ),
            none,
            WORKERS
        ),
    ]
}
