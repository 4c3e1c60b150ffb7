//! The vendor-promise panel: what vendors promised us on this problem, and the forms to record
//! one, mark it kept and record a new date agreed before it was due.

use axum::extract::State;
use axum::response::Response;
use makegood_domain::text::limits;
use makegood_domain::{Action, PromiseStatus, VendorId, VendorPromiseId};
use makegood_store::{NewVendorPromise, PageRequest, ProblemView};
use serde::Deserialize;

use super::super::{ButtonOnly, PageError, PageForm, SignedIn, When, flash_redirect};
use super::preventions::{PreventionDraft, actor, refuse};
use super::promises::due;
use super::{load, problem_path};
use crate::api::types::Check;
use crate::extract::Path;
use crate::state::AppState;

/// One vendor promise as the panel shows it.
pub struct VendorPromiseRow {
    pub id: i64,
    pub vendor: String,
    pub vendor_id: i64,
    pub what: String,
    /// `open`, `kept`, `renegotiated`, `broken`.
    pub state: &'static str,
    pub clock: &'static str,
    pub open: bool,
    pub due: When,
    pub reason: Option<String>,
}

/// The vendor promises of `view` and the vendors to choose from.
pub(super) async fn vendor_rows(
    state: &AppState,
    user: &SignedIn,
    view: &ProblemView,
) -> Result<(Vec<VendorPromiseRow>, Vec<(i64, String)>), PageError> {
    let now = state.now();
    let rows = state
        .store
        .problem_vendor_promises(view.problem.id, now)
        .await?
        .into_iter()
        .map(|v| VendorPromiseRow {
            id: v.vendor_promise.id.0,
            vendor: v.vendor_name,
            vendor_id: v.vendor_promise.vendor.0,
            what: v.vendor_promise.what,
            state: v.state.as_str(),
            clock: v.clock.state.as_str(),
            open: v.state == PromiseStatus::Open,
            due: When::new(v.vendor_promise.due_at, &user.zone, now),
            reason: v.vendor_promise.reason,
        })
        .collect();
    let all = PageRequest {
        cursor: None,
        limit: Some(200),
    };
    let vendors = state
        .store
        .list_vendors(&all)
        .await?
        .items
        .into_iter()
        .map(|v| (v.id.0, v.name))
        .collect();
    Ok((rows, vendors))
}

/// The form recording a vendor promise.
#[derive(Debug, Deserialize)]
pub struct VendorPromiseForm {
    #[serde(default)]
    vendor: String,
    #[serde(default)]
    what: String,
    #[serde(default)]
    due_at: String,
}

/// `POST /problems/{key}/vendor-promises`.
pub async fn make(
    State(state): State<AppState>,
    user: SignedIn,
    Path(key): Path<String>,
    PageForm(form): PageForm<VendorPromiseForm>,
) -> Result<Response, PageError> {
    user.require(Action::WorkProblems, None)?;
    let view = load(&state, &key).await?;
    let draft = PreventionDraft {
        form: "vendor_promise",
        vendor: form.vendor.clone(),
        what: form.what.clone(),
        due_at: form.due_at.clone(),
        ..PreventionDraft::default()
    };
    let mut check = Check::default();
    let what = check.text("what", &form.what, limits::PROMISE);
    let due_at = due(&mut check, &form.due_at, &user, state.now());
    let vendor = form
        .vendor
        .trim()
        .parse()
        .map(VendorId)
        .unwrap_or_else(|_| {
            check.fail("vendor", "choose the vendor who promised it");
            VendorId(0)
        });
    if let Err(e) = check.finish() {
        return refuse(&state, &user, &key, draft, e).await;
    }
    let new = NewVendorPromise {
        problem: view.problem.id,
        vendor,
        what,
        due_at,
    };
    match state
        .store
        .make_vendor_promise(actor(&state, &user), new)
        .await
    {
        Ok(v) => {
            let when = When::new(v.vendor_promise.due_at, &user.zone, state.now());
            let message = format!(
                "Vendor promise recorded — due {}; you will be asked to chase {} if it is at risk",
                when.absolute, v.vendor_name
            );
            Ok(flash_redirect(
                &format!("{}#vendor-promises", problem_path(&view)),
                &message,
            ))
        }
        Err(e) => refuse(&state, &user, &key, draft, e.into()).await,
    }
}

/// The vendor promise `id` of problem `key`.
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
        .vendor_promise(VendorPromiseId(id), state.now())
        .await?;
    if p.vendor_promise.problem != view.problem.id {
        return Err(PageError::NotFound(format!(
            "vendor promise {id} of problem {}",
            view.problem.number
        )));
    }
    Ok(view)
}

/// `POST /problems/{key}/vendor-promises/{id}/keep`.
pub async fn keep(
    State(state): State<AppState>,
    user: SignedIn,
    Path((key, id)): Path<(String, i64)>,
    PageForm(_): PageForm<ButtonOnly>,
) -> Result<Response, PageError> {
    let view = of_problem(&state, &user, &key, id).await?;
    let draft = PreventionDraft {
        form: "vendor_keep",
        id,
        ..PreventionDraft::default()
    };
    match state
        .store
        .keep_vendor_promise(actor(&state, &user), VendorPromiseId(id), None)
        .await
    {
        Ok(_) => Ok(flash_redirect(
            &format!("{}#vendor-promises", problem_path(&view)),
            "Vendor promise kept",
        )),
        Err(e) => refuse(&state, &user, &key, draft, e.into()).await,
    }
}

/// The renegotiate form.
#[derive(Debug, Deserialize)]
pub struct RenegotiateForm {
    #[serde(default)]
    due_at: String,
    #[serde(default)]
    reason: String,
}

/// `POST /problems/{key}/vendor-promises/{id}/renegotiate`.
pub async fn renegotiate(
    State(state): State<AppState>,
    user: SignedIn,
    Path((key, id)): Path<(String, i64)>,
    PageForm(form): PageForm<RenegotiateForm>,
) -> Result<Response, PageError> {
    let view = of_problem(&state, &user, &key, id).await?;
    let draft = PreventionDraft {
        form: "vendor_renegotiate",
        id,
        due_at: form.due_at.clone(),
        reason: form.reason.clone(),
        ..PreventionDraft::default()
    };
    let mut check = Check::default();
    let reason = check.text("reason", &form.reason, limits::REASON);
    let due_at = due(&mut check, &form.due_at, &user, state.now());
    if let Err(e) = check.finish() {
        return refuse(&state, &user, &key, draft, e).await;
    }
    match state
        .store
        .renegotiate_vendor_promise(
            actor(&state, &user),
            VendorPromiseId(id),
            None,
            due_at,
            &reason,
        )
        .await
    {
        Ok(_) => Ok(flash_redirect(
            &format!("{}#vendor-promises", problem_path(&view)),
            "The vendor's new date is recorded",
        )),
        Err(e) => refuse(&state, &user, &key, draft, e.into()).await,
    }
}
