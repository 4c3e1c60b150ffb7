//! The prevention panel: the recurrence notice, each prevention with its due and check clocks,
//! and the forms to record one, mark it done, record its effectiveness check and revise it.

use std::borrow::Borrow;

use axum::extract::State;
use axum::response::Response;
use makegood_domain::prevention::{DEFAULT_CHECK_AFTER_DAYS, NewPrevention};
use makegood_domain::text::limits;
use makegood_domain::{Action, MemberId, PreventionId, PreventionStatus};
use makegood_store::{Actor, ProblemView};
use serde::Deserialize;

use super::super::page::FieldErrors;
use super::super::{ButtonOnly, PageError, PageForm, SignedIn, When, flash_redirect};
use super::promises::due;
use super::vendor_promises::{VendorPromiseRow, vendor_rows};
use super::{Draft, load, problem_path};
use crate::api::types::Check;
use crate::error::AppError;
use crate::extract::Path;
use crate::state::AppState;

/// What a refused prevention or vendor-promise form typed.
#[derive(Clone, Debug, Default)]
pub struct PreventionDraft {
    /// `prevention`, `done`, `check`, `revise`, `vendor_promise`, `vendor_keep`,
    /// `vendor_renegotiate`; empty when none was refused.
    pub form: &'static str,
    /// The prevention or vendor promise the form was about; 0 for the new-record forms.
    pub id: i64,
    pub root_cause: String,
    pub cause_category: String,
    pub corrective_action: String,
    pub owner: String,
    pub due_at: String,
    pub check_after_days: String,
    pub effective: String,
    pub note: String,
    pub vendor: String,
    pub what: String,
    pub reason: String,
    pub errors: FieldErrors,
    pub alert: Option<String>,
}

impl PreventionDraft {
    /// Whether the draft came from `form` about `id`.
    pub fn about(&self, form: &str, id: impl Borrow<i64>) -> bool {
        self.form == form && self.id == *id.borrow()
    }
    /// The error beside `field` of `form` about `id`.
    pub fn error(&self, form: &str, id: impl Borrow<i64>, field: &str) -> Option<&str> {
        self.about(form, id)
            .then(|| self.errors.get(field))
            .flatten()
    }
    /// The refusal above `form` about `id`.
    pub fn alert_for(&self, form: &str, id: impl Borrow<i64>) -> Option<&str> {
        self.about(form, id)
            .then_some(self.alert.as_deref())
            .flatten()
    }
    /// The text typed in `field` of `form` about `id`.
    pub fn kept(&self, form: &str, id: impl Borrow<i64>, field: &str) -> &str {
        if !self.about(form, id) {
            return "";
        }
        match field {
            "root_cause" => &self.root_cause,
            "cause_category" => &self.cause_category,
            "corrective_action" => &self.corrective_action,
            "owner" => &self.owner,
            "due_at" => &self.due_at,
            "check_after_days" => &self.check_after_days,
            "effective" => &self.effective,
            "note" => &self.note,
            "vendor" => &self.vendor,
            "what" => &self.what,
            "reason" => &self.reason,
            _ => "",
        }
    }
}

/// One prevention as the panel shows it.
pub struct PreventionRow {
    pub id: i64,
    pub root_cause: String,
    pub cause_category: String,
    pub corrective_action: String,
    pub owner: String,
    /// `open`, `done`, `effective`.
    pub status: &'static str,
    /// The due clock's state (`ok`, `warning`, `breached`, `met`, `missed`).
    pub clock: &'static str,
    pub due: When,
    pub check_at: Option<When>,
    pub check_due: bool,
    /// The checks so far, in words.
    pub checks: Vec<String>,
}

/// The recurrence notice: "Recurring: same category as MG-4 on …, prevention: …".
pub struct RecurrenceRow {
    pub number: String,
    pub basis: &'static str,
    pub category: String,
    pub detected: When,
    pub prevention: Option<String>,
}

/// Everything the two panels show.
pub struct PreventionPanel {
    pub preventions: Vec<PreventionRow>,
    pub recurrences: Vec<RecurrenceRow>,
    pub vendor_promises: Vec<VendorPromiseRow>,
    /// Vendors to choose from: id and name.
    pub vendors: Vec<(i64, String)>,
    pub can_work: bool,
    /// The default owner of a new prevention (the signed-in member).
    pub me: i64,
    pub default_check_after: i64,
    pub draft: PreventionDraft,
}

impl PreventionPanel {
    /// Whether `id` is the owner to preselect.
    pub fn owner_selected(&self, id: &i64) -> bool {
        match self.draft.kept("prevention", 0, "owner").parse::<i64>() {
            Ok(chosen) => chosen == *id,
            Err(_) => *id == self.me,
        }
    }
}

/// Loads the panels of problem `view` for `user`.
pub async fn panel(
    state: &AppState,
    user: &SignedIn,
    view: &ProblemView,
    names: &std::collections::HashMap<MemberId, String>,
    draft: PreventionDraft,
) -> Result<PreventionPanel, PageError> {
    let now = state.now();
    let zone = &user.zone;
    let when = |t| When::new(t, zone, now);
    let name = |id: MemberId| {
        names
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("member #{id}"))
    };
    let preventions = state
        .store
        .problem_preventions(view.problem.id, now)
        .await?
        .into_iter()
        .map(|v| {
            let p = &v.prevention;
            PreventionRow {
                id: p.id.0,
                root_cause: p.root_cause.clone(),
                cause_category: p.cause_category.clone(),
                corrective_action: p.corrective_action.clone(),
                owner: name(p.owner),
                status: p.status.as_str(),
                clock: v.due.state.as_str(),
                due: when(p.due_at),
                check_at: v.check_due_at.map(when),
                check_due: v.check_due,
                checks: p
                    .checks
                    .iter()
                    .map(|c| {
                        let verdict = if c.effective {
                            "effective"
                        } else {
                            "not effective"
                        };
                        let note = c
                            .note
                            .as_deref()
                            .map(|n| format!(": {n}"))
                            .unwrap_or_default();
                        format!("{} — {verdict}{note}", when(c.checked_at).absolute)
                    })
                    .collect(),
            }
        })
        .collect();
    let recurrences = view
        .recurrences
        .iter()
        .map(|r| RecurrenceRow {
            number: r.earlier_number.to_string(),
            basis: if r.basis == "cause_category" {
                "cause"
            } else {
                "category"
            },
            category: r.category.clone(),
            detected: when(r.earlier_detected_at),
            prevention: r
                .corrective_action
                .as_ref()
                .map(|a| format!("{a} ({})", r.prevention_status.as_deref().unwrap_or("open"))),
        })
        .collect();
    let (vendor_promises, vendors) = vendor_rows(state, user, view).await?;
    Ok(PreventionPanel {
        preventions,
        recurrences,
        vendor_promises,
        vendors,
        can_work: user.member.may(Action::WorkProblems, None),
        me: user.member.id.0,
        default_check_after: DEFAULT_CHECK_AFTER_DAYS,
        draft,
    })
}

pub(super) fn actor(state: &AppState, user: &SignedIn) -> Actor {
    Actor {
        member: user.member.id,
        now: state.now(),
    }
}

/// Shows the page again with `draft` and the refusal `e` beside its fields.
pub(super) async fn refuse(
    state: &AppState,
    user: &SignedIn,
    key: &str,
    mut draft: PreventionDraft,
    e: AppError,
) -> Result<Response, PageError> {
    let status = match e {
        AppError::Validation(errors) => {
            for error in errors {
                draft.errors.push(&error.field, error.message);
            }
            axum::http::StatusCode::UNPROCESSABLE_ENTITY
        }
        AppError::Conflict(message) | AppError::PreconditionFailed(message) => {
            draft.alert = Some(super::capitalised(&message));
            axum::http::StatusCode::CONFLICT
        }
        other => return Err(other.into()),
    };
    let view = load(state, key).await?;
    let page_draft = Draft {
        prevention: draft,
        ..Draft::default()
    };
    page_draft.show(state, user, view, status).await
}

/// The form recording a prevention.
#[derive(Debug, Deserialize)]
pub struct PreventionForm {
    #[serde(default)]
    root_cause: String,
    #[serde(default)]
    cause_category: String,
    #[serde(default)]
    corrective_action: String,
    #[serde(default)]
    owner: String,
    #[serde(default)]
    due_at: String,
    #[serde(default)]
    check_after_days: String,
}

/// `POST /problems/{key}/preventions`.
pub async fn record_prevention(
    State(state): State<AppState>,
    user: SignedIn,
    Path(key): Path<String>,
    PageForm(form): PageForm<PreventionForm>,
) -> Result<Response, PageError> {
    user.require(Action::WorkProblems, None)?;
    let view = load(&state, &key).await?;
    let draft = PreventionDraft {
        form: "prevention",
        root_cause: form.root_cause.clone(),
        cause_category: form.cause_category.clone(),
        corrective_action: form.corrective_action.clone(),
        owner: form.owner.clone(),
        due_at: form.due_at.clone(),
        check_after_days: form.check_after_days.clone(),
        ..PreventionDraft::default()
    };
    let now = state.now();
    let mut check = Check::default();
    let root_cause = check.text("root_cause", &form.root_cause, limits::DESCRIPTION);
    let cause_category = check.text("cause_category", &form.cause_category, limits::CATEGORY);
    let corrective_action = check.text(
        "corrective_action",
        &form.corrective_action,
        limits::PROMISE,
    );
    let due_at = due(&mut check, &form.due_at, &user, now);
    let owner = match form.owner.trim() {
        "" => user.member.id,
        s => s.parse().map(MemberId).unwrap_or_else(|_| {
            check.fail("owner", "choose a member from the list");
            user.member.id
        }),
    };
    let check_after_days = match form.check_after_days.trim() {
        "" => DEFAULT_CHECK_AFTER_DAYS,
        s => s.parse().unwrap_or_else(|_| {
            check.fail("check_after_days", "give a whole number of days, 0 to 3650");
            DEFAULT_CHECK_AFTER_DAYS
        }),
    };
    if let Err(e) = check.finish() {
        return refuse(&state, &user, &key, draft, e).await;
    }
    let new = NewPrevention {
        problem: view.problem.id,
        root_cause,
        cause_category,
        corrective_action,
        owner,
        due_at,
        check_after_days,
    };
    match state
        .store
        .record_prevention(actor(&state, &user), new)
        .await
    {
        Ok(v) => {
            let when = When::new(v.prevention.due_at, &user.zone, now);
            let message = format!(
                "Prevention recorded — the corrective action is due {}",
                when.absolute
            );
            Ok(flash_redirect(
                &format!("{}#preventions", problem_path(&view)),
                &message,
            ))
        }
        Err(e) => refuse(&state, &user, &key, draft, e.into()).await,
    }
}

/// The prevention `id` of problem `key`.
async fn of_problem(
    state: &AppState,
    user: &SignedIn,
    key: &str,
    id: i64,
) -> Result<ProblemView, PageError> {
    user.require(Action::WorkProblems, None)?;
    let view = load(state, key).await?;
    let p = state
        .store
        .prevention(PreventionId(id), state.now())
        .await?;
    if p.prevention.problem != view.problem.id {
        return Err(PageError::NotFound(format!(
            "prevention {id} of problem {}",
            view.problem.number
        )));
    }
    Ok(view)
}

/// `POST /problems/{key}/preventions/{id}/done`.
pub async fn mark_done(
    State(state): State<AppState>,
    user: SignedIn,
    Path((key, id)): Path<(String, i64)>,
    PageForm(_): PageForm<ButtonOnly>,
) -> Result<Response, PageError> {
    let view = of_problem(&state, &user, &key, id).await?;
    let draft = PreventionDraft {
        form: "done",
        id,
        ..PreventionDraft::default()
    };
    match state
        .store
        .mark_prevention_done(actor(&state, &user), PreventionId(id), None)
        .await
    {
        Ok(v) => {
            let at = v
                .check_due_at
                .map(|t| When::new(t, &user.zone, state.now()).absolute);
            let message = format!(
                "Done — check whether it worked on {}",
                at.unwrap_or_else(|| "its check date".into())
            );
            Ok(flash_redirect(
                &format!("{}#preventions", problem_path(&view)),
                &message,
            ))
        }
        Err(e) => refuse(&state, &user, &key, draft, e.into()).await,
    }
}

/// The effectiveness check form.
#[derive(Debug, Deserialize)]
pub struct CheckForm {
    #[serde(default)]
    effective: String,
    #[serde(default)]
    note: String,
}

/// `POST /problems/{key}/preventions/{id}/check`.
pub async fn check(
    State(state): State<AppState>,
    user: SignedIn,
    Path((key, id)): Path<(String, i64)>,
    PageForm(form): PageForm<CheckForm>,
) -> Result<Response, PageError> {
    let view = of_problem(&state, &user, &key, id).await?;
    let draft = PreventionDraft {
        form: "check",
        id,
        effective: form.effective.clone(),
        note: form.note.clone(),
        ..PreventionDraft::default()
    };
    let mut check = Check::default();
    let effective = match form.effective.as_str() {
        "yes" => true,
        "no" => false,
        _ => {
            check.fail("effective", "say whether the corrective action worked");
            false
        }
    };
    let note = check.optional("note", &form.note, limits::REASON);
    check.ensure(
        effective || !note.is_empty() || form.effective != "no",
        "note",
        "say what was seen: a note is required when it did not work",
    );
    if let Err(e) = check.finish() {
        return refuse(&state, &user, &key, draft, e).await;
    }
    let note = Some(note.as_str()).filter(|n| !n.is_empty());
    match state
        .store
        .check_prevention(
            actor(&state, &user),
            PreventionId(id),
            None,
            effective,
            note,
        )
        .await
    {
        Ok(v) => {
            let message = if v.prevention.status == PreventionStatus::Open {
                "Not effective — the prevention is open again; revise the corrective action"
            } else {
                "Effective — the prevention is complete"
            };
            Ok(flash_redirect(
                &format!("{}#preventions", problem_path(&view)),
                message,
            ))
        }
        Err(e) => refuse(&state, &user, &key, draft, e.into()).await,
    }
}

/// The revise form.
#[derive(Debug, Deserialize)]
pub struct ReviseForm {
    #[serde(default)]
    corrective_action: String,
    #[serde(default)]
    due_at: String,
}

/// `POST /problems/{key}/preventions/{id}/revise`.
pub async fn revise(
    State(state): State<AppState>,
    user: SignedIn,
    Path((key, id)): Path<(String, i64)>,
    PageForm(form): PageForm<ReviseForm>,
) -> Result<Response, PageError> {
    let view = of_problem(&state, &user, &key, id).await?;
    let draft = PreventionDraft {
        form: "revise",
        id,
        corrective_action: form.corrective_action.clone(),
        due_at: form.due_at.clone(),
        ..PreventionDraft::default()
    };
    let mut check = Check::default();
    let action = check.text(
        "corrective_action",
        &form.corrective_action,
        limits::PROMISE,
    );
    let due_at = due(&mut check, &form.due_at, &user, state.now());
    if let Err(e) = check.finish() {
        return refuse(&state, &user, &key, draft, e).await;
    }
    match state
        .store
        .revise_prevention(
            actor(&state, &user),
            PreventionId(id),
            None,
            &action,
            due_at,
        )
        .await
    {
        Ok(_) => Ok(flash_redirect(
            &format!("{}#preventions", problem_path(&view)),
            "Corrective action revised",
        )),
        Err(e) => refuse(&state, &user, &key, draft, e.into()).await,
    }
}
