//! `/settings/policies`: the targets per severity in one form, durations typed as `1h 30m`.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use makegood_domain::{Policies, Policy, Severity};
use makegood_store::{CalendarRecord, PageRequest};

use super::fields::{parse_minutes, show_minutes};
use super::require_admin;
use crate::pages::{Chrome, FieldErrors, PageError, PageForm, SignedIn, flash_redirect, render};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/settings/policies", get(policies).post(update_policies))
}

/// The form: `critical_tell`, `critical_update`, `critical_fix`, `critical_warning`,
/// `critical_calendar`, `critical_follow_up` (and so for major and minor), `promise_percent`, `promise_min`.
type PolicyForm = std::collections::BTreeMap<String, String>;

/// One severity's row as shown: the values as typed (or as stored).
struct Row {
    severity: &'static str,
    /// Time to tell, update interval, time to fix.
    spans: Vec<SpanField>,
    warning: String,
    calendar: String,
    follow_up: String,
}

/// One duration input of a row.
struct SpanField {
    /// The input's name, e.g. `critical_tell`.
    name: String,
    label: &'static str,
    value: String,
    hint: &'static str,
}

#[derive(Template)]
#[template(path = "settings_policies.html")]
struct PoliciesPage {
    chrome: Chrome,
    rows: Vec<Row>,
    promise_percent: String,
    promise_min: String,
    calendars: Vec<CalendarRecord>,
    errors: FieldErrors,
}

const SEVERITIES: [(&str, Severity); 3] = [
    ("critical", Severity::Critical),
    ("major", Severity::Major),
    ("minor", Severity::Minor),
];

/// The form's values for stored `policies`.
fn as_form(policies: &Policies) -> PolicyForm {
    let mut form = PolicyForm::new();
    for (name, severity) in SEVERITIES {
        let p = policies.get(severity);
        form.insert(format!("{name}_tell"), show_minutes(p.tell_within_minutes));
        form.insert(
            format!("{name}_update"),
            show_minutes(p.update_every_minutes),
        );
        form.insert(format!("{name}_fix"), show_minutes(p.fix_within_minutes));
        form.insert(format!("{name}_warning"), p.warning_percent.to_string());
        form.insert(
            format!("{name}_follow_up"),
            p.follow_up_after_days.to_string(),
        );
        form.insert(
            format!("{name}_calendar"),
            p.calendar.map(|c| c.to_string()).unwrap_or_default(),
        );
    }
    form.insert(
        "promise_percent".into(),
        policies.promise_warning_percent.to_string(),
    );
    form.insert(
        "promise_min".into(),
        show_minutes(policies.promise_warning_min_minutes),
    );
    form
}

async fn page(
    state: &AppState,
    user: &SignedIn,
    form: &PolicyForm,
    errors: FieldErrors,
) -> Result<PoliciesPage, PageError> {
    let value = |key: String| form.get(&key).cloned().unwrap_or_default();
    let rows = SEVERITIES
        .iter()
        .map(|(name, _)| Row {
            severity: name,
            spans: [
                ("tell", "Time to tell", "detection → first customer update"),
                ("update", "Update interval", "longest silence until fixed"),
                ("fix", "Time to fix", "detection → fixed"),
            ]
            .into_iter()
            .map(|(key, label, hint)| SpanField {
                name: format!("{name}_{key}"),
                label,
                value: value(format!("{name}_{key}")),
                hint,
            })
            .collect(),
            warning: value(format!("{name}_warning")),
            calendar: value(format!("{name}_calendar")),
            follow_up: value(format!("{name}_follow_up")),
        })
        .collect();
    let calendars = state
        .store
        .list_calendars(&PageRequest {
            cursor: None,
            limit: Some(200),
        })
        .await?
        .items;
    Ok(PoliciesPage {
        chrome: user.chrome("settings"),
        rows,
        promise_percent: value("promise_percent".into()),
        promise_min: value("promise_min".into()),
        calendars,
        errors,
    })
}

pub async fn policies(
    State(state): State<AppState>,
    user: SignedIn,
) -> Result<Response, PageError> {
    require_admin(&user)?;
    let form = as_form(&state.store.policies().await?);
    let page = page(&state, &user, &form, FieldErrors::default()).await?;
    Ok(render(StatusCode::OK, &page))
}

/// Reads the form into policies, with an error beside each field that does not read.
fn read(form: &PolicyForm, calendars: &[i64], errors: &mut FieldErrors) -> Option<Policies> {
    let text = |key: &str| form.get(key).map_or("", String::as_str);
    let minutes = |key: String, errors: &mut FieldErrors| match parse_minutes(text(&key)) {
        Ok(m) => Some(m),
        Err(message) => {
            errors.push(&key, message);
            None
        }
    };
    let percent = |key: String, errors: &mut FieldErrors| match text(&key).trim().parse::<i64>() {
        Ok(p) => Some(p),
        Err(_) => {
            errors.push(&key, "must be a whole percentage, e.g. 20");
            None
        }
    };
    let days = |key: String, errors: &mut FieldErrors| match text(&key).trim().parse::<i64>() {
        Ok(d) => Some(d),
        Err(_) => {
            errors.push(&key, "must be a whole number of days, e.g. 3");
            None
        }
    };
    let policy = |name: &str, severity, errors: &mut FieldErrors| {
        let calendar_key = format!("{name}_calendar");
        let calendar = match text(&calendar_key).trim() {
            "" => Some(None),
            id => match id.parse::<i64>() {
                Ok(id) if calendars.contains(&id) => Some(Some(id)),
                _ => {
                    errors.push(&calendar_key, "choose a calendar from the list");
                    None
                }
            },
        };
        Some(Policy {
            severity,
            tell_within_minutes: minutes(format!("{name}_tell"), errors)?,
            update_every_minutes: minutes(format!("{name}_update"), errors)?,
            fix_within_minutes: minutes(format!("{name}_fix"), errors)?,
            warning_percent: percent(format!("{name}_warning"), errors)?,
            calendar: calendar?,
            follow_up_after_days: days(format!("{name}_follow_up"), errors)?,
        })
    };
    let critical = policy("critical", Severity::Critical, errors);
    let major = policy("major", Severity::Major, errors);
    let minor = policy("minor", Severity::Minor, errors);
    let promise_percent = percent("promise_percent".into(), errors);
    let promise_min = minutes("promise_min".into(), errors);
    Some(Policies {
        critical: critical?,
        major: major?,
        minor: minor?,
        promise_warning_percent: promise_percent?,
        promise_warning_min_minutes: promise_min?,
    })
}

/// The form field a domain policy field (`critical.tell_within_minutes`) is typed in.
fn form_field(field: &str) -> String {
    let (prefix, name) = field.split_once('.').unwrap_or(("", field));
    let suffix = match name {
        "tell_within_minutes" => "tell",
        "update_every_minutes" => "update",
        "fix_within_minutes" => "fix",
        "warning_percent" => "warning",
        "follow_up_after_days" => "follow_up",
        "promise_warning_percent" => return "promise_percent".into(),
        "promise_warning_min_minutes" => return "promise_min".into(),
        other => other,
    };
    format!("{prefix}_{suffix}")
}

pub async fn update_policies(
    State(state): State<AppState>,
    user: SignedIn,
    PageForm(form): PageForm<PolicyForm>,
) -> Result<Response, PageError> {
    require_admin(&user)?;
    let calendars: Vec<i64> = state
        .store
        .list_calendars(&PageRequest {
            cursor: None,
            limit: Some(200),
        })
        .await?
        .items
        .iter()
        .map(|c| c.id)
        .collect();
    let mut errors = FieldErrors::default();
    let policies = read(&form, &calendars, &mut errors);
    // Once every field reads, the domain checks the ranges, one field at a time.
    if let Some(p) = &policies
        && errors.is_empty()
        && let Err(e) = p.validate()
    {
        errors.push(&form_field(&e.field), e.message);
    }
    let (Some(policies), true) = (policies, errors.is_empty()) else {
        let page = page(&state, &user, &form, errors).await?;
        return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page));
    };
    let saved = state.store.set_policies(&policies).await?;
    let detail =
        serde_json::json!({ "policies": serde_json::to_value(&saved).unwrap_or_default() });
    crate::auth::audit::policies_changed(&state, user.member.id, detail).await?;
    Ok(flash_redirect(
        "/settings/policies",
        "Policies saved. The deadlines of open problems follow them now.",
    ))
}
