//! The page table's cases for the settings pages: admins only.

use crate::page_table::{PageCase, nothing, page};
use crate::route_table::{ADMIN, unique};

pub fn cases() -> Vec<PageCase> {
    vec![
        page!("GET", |_| "/settings".into(), nothing, ADMIN),
        page!(
            "POST",
            |_| "/settings/organisation".into(),
            |_| vec![("organisation", "Acme Recovery".into())],
            ADMIN
        ),
        page!("GET", |_| "/settings/members".into(), nothing, ADMIN),
        page!("GET", |_| "/settings/members/invite".into(), nothing, ADMIN),
        page!(
            "POST",
            |_| "/settings/members/invite".into(),
            |_| vec![
                ("name", "Ivy Invited".into()),
                ("email", format!("ivy{}@acme.example", unique())),
                ("role", "agent".into()),
                ("remedy_authority", "250".into()),
                ("currency", "EUR".into()),
                ("time_zone", "Europe/Berlin".into()),
            ],
            ADMIN
        ),
        page!(
            "GET",
            |c| format!("/settings/members/{}", c.team.viewer.member.id),
            nothing,
            ADMIN
        ),
        page!(
            "POST",
            |c| format!("/settings/members/{}", c.team.viewer.member.id),
            |_| vec![
                ("role", "viewer".into()),
                ("remedy_authority", "0".into()),
                ("currency", "EUR".into()),
                ("time_zone", "UTC".into()),
            ],
            ADMIN
        ),
        page!(
            "POST",
            |c| format!("/settings/members/{}/active", c.team.viewer.member.id),
            |_| vec![("active", "true".into())],
            ADMIN
        ),
        page!(
            "POST",
            |c| format!("/settings/members/{}/invitation", c.team.viewer.member.id),
            nothing,
            ADMIN
        ),
        page!("GET", |_| "/settings/policies".into(), nothing, ADMIN),
        page!(
            "POST",
            |_| "/settings/policies".into(),
            |_| [
                ("critical_tell", "30m"),
                ("critical_update", "2h"),
                ("critical_fix", "1d"),
                ("critical_warning", "20"),
                ("critical_calendar", ""),
                ("major_tell", "4h"),
                ("major_update", "1d"),
                ("major_fix", "3d"),
                ("major_warning", "20"),
                ("major_calendar", ""),
                ("minor_tell", "1d"),
                ("minor_update", "3d"),
                ("minor_fix", "10d"),
                ("minor_warning", "20"),
                ("minor_calendar", ""),
                ("promise_percent", "20"),
                ("promise_min", "1h"),
                ("critical_follow_up", "2"),
                ("major_follow_up", "3"),
                ("minor_follow_up", "3"),
            ]
            .into_iter()
            .map(|(k, v)| (k, v.to_owned()))
            .collect(),
            ADMIN
        ),
        page!("GET", |_| "/settings/prevention".into(), nothing, ADMIN),
        page!(
            "POST",
            |_| "/settings/prevention".into(),
            |_| vec![("recurrence_window_days", "60".into())],
            ADMIN
        ),
        page!("GET", |_| "/settings/playbooks".into(), nothing, ADMIN),
        page!("GET", |_| "/settings/playbooks/new".into(), nothing, ADMIN),
        page!(
            "POST",
            |_| "/settings/playbooks".into(),
            |_| vec![
                ("category", format!("new {}", unique())),
                ("items", "Call".into())
            ],
            ADMIN
        ),
        page!(
            "GET",
            |c| format!("/settings/playbooks/{}", c.world.spare_playbook.id),
            nothing,
            ADMIN
        ),
        page!(
            "POST",
            |c| format!("/settings/playbooks/{}", c.world.spare_playbook.id),
            |c| vec![
                ("category", c.world.spare_playbook.category.clone()),
                ("items", "Call\nWrite".into()),
            ],
            ADMIN
        ),
        page!(
            "POST",
            |c| format!("/settings/playbooks/{}/delete", c.world.spare_playbook.id),
            nothing,
            ADMIN
        ),
        page!("GET", |_| "/settings/tokens".into(), nothing, ADMIN),
        page!("GET", |_| "/settings/audit".into(), nothing, ADMIN),
        page!(
            "POST",
            |c| format!("/settings/tokens/{}/revoke", c.spare_token),
            nothing,
            ADMIN
        ),
        page!("GET", |_| "/settings/deliveries".into(), nothing, ADMIN),
        page!(
            "POST",
            |c| format!("/settings/deliveries/{}/retry", c.world.delivery),
            nothing,
            ADMIN
        ),
        page!("GET", |_| "/settings/inbox".into(), nothing, ADMIN),
        page!(
            "POST",
            |c| format!("/settings/inbox/{}/attach", c.world.held),
            |c| vec![("problem", c.world.problem.problem.number.to_string())],
            ADMIN
        ),
        page!(
            "POST",
            |c| format!("/settings/inbox/{}/open", c.world.held),
            |c| vec![
                ("account", c.world.account.id.to_string()),
                ("name", "Sam Stranger".into())
            ],
            ADMIN
        ),
        page!(
            "POST",
            |c| format!("/settings/inbox/{}/dismiss", c.world.held),
            nothing,
            ADMIN
        ),
    ]
}
