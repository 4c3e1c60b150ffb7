//! `GET /settings/audit` (admins): the audit trail newest first — sign-ins, API token use
//! and changes of who may do what — filtered by kind and member, in the viewer's time zone.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use makegood_domain::{Action, MemberId};
use makegood_store::{AuditFilter, AuditKind, PageRequest};
use serde::Deserialize;

use crate::pages::{Chrome, PageError, SignedIn, When, render};
use crate::state::AppState;

/// Events per page.
const PAGE_SIZE: u32 = 50;

pub fn routes() -> Router<AppState> {
    Router::new().route("/settings/audit", get(audit))
}

/// The query string: a kind, a member id and where to continue.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AuditQuery {
    kind: String,
    member: String,
    cursor: Option<String>,
}

/// One event as listed.
struct Row {
    at: When,
    kind: &'static str,
    label: &'static str,
    actor: String,
    member: Option<String>,
    subject: String,
    detail: String,
    client_ip: Option<String>,
}

#[derive(Template)]
#[template(path = "settings_audit.html")]
struct AuditPage {
    chrome: Chrome,
    kinds: Vec<(String, &'static str)>,
    members: Vec<(i64, String)>,
    kind: String,
    member: String,
    filter_error: Option<String>,
    rows: Vec<Row>,
    next: Option<String>,
}

/// The detail object as `key: value, …`, for people.
fn words(detail: &serde_json::Value) -> String {
    match detail.as_object() {
        Some(map) => map
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| match v {
                serde_json::Value::String(s) => format!("{k}: {s}"),
                other => format!("{k}: {other}"),
            })
            .collect::<Vec<_>>()
            .join(", "),
        None => String::new(),
    }
}

pub async fn audit(
    State(state): State<AppState>,
    user: SignedIn,
    Query(q): Query<AuditQuery>,
) -> Result<Response, PageError> {
    user.require(Action::ManageMembers, None)?;
    let mut names: HashMap<MemberId, String> = HashMap::new();
    let mut members = Vec::new();
    let mut cursor = None;
    loop {
        let page = state
            .store
            .list_members(&PageRequest {
                cursor,
                limit: Some(200),
            })
            .await?;
        for m in page.items {
            members.push((m.id.0, m.name.clone()));
            names.insert(m.id, m.name);
        }
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    let mut filter_error = None;
    let kind = match q.kind.trim() {
        "" => None,
        k => AuditKind::parse(k).or_else(|| {
            filter_error = Some(format!("“{k}” is not a kind of event; showing every kind."));
            None
        }),
    };
    let member = match q.member.trim() {
        "" => None,
        m => match m.parse::<i64>().ok().map(MemberId) {
            Some(id) if names.contains_key(&id) => Some(id),
            _ => {
                filter_error = Some("No such member; showing everyone.".into());
                None
            }
        },
    };
    let filter = AuditFilter { kind, member };
    let found = match state
        .store
        .list_audit(
            &filter,
            &PageRequest {
                cursor: q.cursor.filter(|c| !c.is_empty()),
                limit: Some(PAGE_SIZE),
            },
        )
        .await
    {
        Err(makegood_store::StoreError::Invalid { .. }) => {
            filter_error = Some("That page link is out of date; showing the newest events.".into());
            state
                .store
                .list_audit(
                    &filter,
                    &PageRequest {
                        cursor: None,
                        limit: Some(PAGE_SIZE),
                    },
                )
                .await?
        }
        other => other?,
    };
    let now = state.now();
    let name = |id: MemberId| {
        names
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("member {}", id.0))
    };
    let rows = found
        .items
        .iter()
        .map(|e| Row {
            at: When::new(e.at, &user.zone, now),
            kind: kind_name(e.kind),
            label: e.kind.label(),
            actor: e
                .actor
                .map_or_else(|| "someone not signed in".to_owned(), name),
            member: e.member.filter(|m| Some(*m) != e.actor).map(name),
            subject: e.subject.clone(),
            detail: words(&e.detail),
            client_ip: e.client_ip.clone(),
        })
        .collect();
    let kind_value = kind.map(AuditKind::as_str).unwrap_or_default();
    let member_value = member.map(|m| m.0.to_string()).unwrap_or_default();
    let next = found.next_cursor.as_deref().map(|c| {
        let mut query = form_urlencoded::Serializer::new(String::new());
        query.append_pair("kind", &kind_value);
        query.append_pair("member", &member_value);
        query.append_pair("cursor", c);
        format!("/settings/audit?{}", query.finish())
    });
    let page = AuditPage {
        chrome: user.chrome("settings"),
        kinds: AuditKind::ALL
            .into_iter()
            .map(|k| (k.as_str(), k.label()))
            .collect(),
        members,
        kind: kind_value,
        member: member_value,
        filter_error,
        rows,
        next,
    };
    Ok(render(StatusCode::OK, &page))
}

/// The kind's CSS-friendly name (a sign-in that failed or was refused stands out).
fn kind_name(kind: AuditKind) -> &'static str {
    match kind {
        AuditKind::SignInFailed | AuditKind::SignInRefused => "warning",
        AuditKind::RoleChanged
        | AuditKind::AuthorityChanged
        | AuditKind::MemberDeactivated
        | AuditKind::MemberReactivated
        | AuditKind::PoliciesChanged => "change",
        _ => "info",
    }
}
