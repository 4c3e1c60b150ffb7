//! The remedy panel's forms: propose, approve, reject (with a reason), deliver (with an
//! optional date), vendor share received. Each answers with POST-redirect-GET and a flash; a
//! refused form shows the page again with the input kept and the message beside the field.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::post;
use jiff::civil::DateTime;
use makegood_domain::text::limits;
use makegood_domain::{
    Action, Money, NewRemedy, RemedyId, RemedyKind, RemedyStatus, VendorId, VendorShare,
};
use makegood_store::{Actor, ProblemView, RemedyView};
use serde::Deserialize;

use super::super::super::{ButtonOnly, PageError, PageForm, SignedIn, flash_redirect};
use super::super::{Draft, capitalised, load, problem_path, view};
use super::RemedyDraft;
use crate::api::types::Check;
use crate::error::AppError;
use crate::extract::Path;
use crate::state::AppState;

/// The propose form.
#[derive(Debug, Deserialize)]
pub struct ProposeForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    cost: String,
    #[serde(default)]
    vendor: String,
    #[serde(default)]
    share: String,
}

/// Why the remedy is refused.
#[derive(Debug, Deserialize)]
pub struct RejectForm {
    #[serde(default)]
    reason: String,
}

/// When it was delivered; empty for now.
#[derive(Debug, Deserialize)]
pub struct DeliverForm {
    #[serde(default)]
    delivered_at: String,
}

/// The panel's routes, under the problem.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/problems/{key}/remedies", post(propose_remedy))
        .route(
            "/problems/{key}/remedies/{id}/approve",
            post(approve_remedy),
        )
        .route("/problems/{key}/remedies/{id}/reject", post(reject_remedy))
        .route(
            "/problems/{key}/remedies/{id}/deliver",
            post(deliver_remedy),
        )
        .route(
            "/problems/{key}/remedies/{id}/receive-vendor-share",
            post(receive_vendor_share),
        )
}

fn actor(state: &AppState, user: &SignedIn) -> Actor {
    Actor {
        member: user.member.id,
        now: state.now(),
    }
}

/// The form field a store or API error names.
fn field(name: &str) -> &str {
    match name {
        "vendor_share.amount" => "share",
        "vendor_share.vendor" => "vendor",
        other => other,
    }
}

impl RemedyDraft {
    fn new(form: &'static str, id: i64) -> Self {
        Self {
            form,
            id,
            ..Self::default()
        }
    }

    /// Shows the page again with this draft and `status`.
    async fn show(
        self,
        state: &AppState,
        user: &SignedIn,
        key: &str,
        status: StatusCode,
    ) -> Result<Response, PageError> {
        let view = load(state, key).await?;
        let draft = Draft {
            remedy: self,
            ..Draft::default()
        };
        view::show(state, user, view, draft, None, status).await
    }

    /// Shows the page again with a refusal: errors beside fields, a refused move above the
    /// form; anything else is an error page.
    async fn refuse(
        mut self,
        state: &AppState,
        user: &SignedIn,
        key: &str,
        e: AppError,
    ) -> Result<Response, PageError> {
        let status = match e {
            AppError::Validation(errors) => {
                for error in errors {
                    self.errors.push(field(&error.field), error.message);
                }
                StatusCode::UNPROCESSABLE_ENTITY
            }
            AppError::Conflict(message) | AppError::PreconditionFailed(message) => {
                self.alert = Some(capitalised(&message));
                StatusCode::CONFLICT
            }
            AppError::Forbidden(message) => {
                self.alert = Some(capitalised(&message));
                StatusCode::FORBIDDEN
            }
            other => return Err(other.into()),
        };
        self.show(state, user, key, status).await
    }
}

/// `POST /problems/{key}/remedies`: proposes a remedy, in the member's authority currency.
pub async fn propose_remedy(
    State(state): State<AppState>,
    user: SignedIn,
    Path(key): Path<String>,
    PageForm(form): PageForm<ProposeForm>,
) -> Result<Response, PageError> {
    user.require(Action::WorkProblems, None)?;
    let view = load(&state, &key).await?;
    let mut draft = RemedyDraft::new("propose", 0);
    draft.kind.clone_from(&form.kind);
    draft.description.clone_from(&form.description);
    draft.cost.clone_from(&form.cost);
    draft.vendor.clone_from(&form.vendor);
    draft.share.clone_from(&form.share);
    let currency = user.member.remedy_authority.currency;
    let mut check = Check::default();
    let kind = RemedyKind::parse(form.kind.trim());
    check.ensure(kind.is_some(), "kind", "choose what kind of remedy it is");
    let description = check.text("description", &form.description, limits::REMEDY);
    let cost = Money::parse_amount(&form.cost, currency)
        .map_err(|e| check.fail("cost", e.to_string()))
        .ok();
    let vendor = form.vendor.trim();
    let share = form.share.trim();
    let vendor_share = match (vendor.is_empty(), share.is_empty()) {
        (true, true) => None,
        (true, false) => {
            check.fail("vendor", "choose the vendor who pays this share");
            None
        }
        (false, true) => {
            check.fail("share", "give the vendor's share, or choose no vendor");
            None
        }
        (false, false) => {
            let vendor = vendor.parse::<i64>().ok().map(VendorId);
            check.ensure(vendor.is_some(), "vendor", "choose a vendor from the list");
            let amount = Money::parse_amount(share, currency)
                .map_err(|e| check.fail("share", e.to_string()))
                .ok();
            if let (Some(cost), Some(amount)) = (cost, amount) {
                check.ensure(
                    amount.minor <= cost.minor,
                    "share",
                    "cannot be more than the cost",
                );
            }
            vendor.zip(amount).map(|(vendor, amount)| VendorShare {
                vendor,
                amount,
                received: false,
            })
        }
    };
    if let Err(e) = check.finish() {
        return draft.refuse(&state, &user, &key, e).await;
    }
    let (Some(kind), Some(cost)) = (kind, cost) else {
        return Err(PageError::BadForm("the remedy form is incomplete".into()));
    };
    let new = NewRemedy {
        problem: view.problem.id,
        kind,
        description,
        cost,
        vendor_share,
    };
    match state.store.propose_remedy(actor(&state, &user), new).await {
        Ok(made) => {
            let authority = user.member.remedy_authority.label();
            let message = if made.remedy.approval_required {
                format!(
                    "Remedy proposed — {} net is above your authority of {authority}, so it waits for a supervisor's or admin's approval (within 24 hours)",
                    made.net_cost.label()
                )
            } else {
                format!(
                    "Remedy approved — {} net is within your authority of {authority}; record it here once delivered",
                    made.net_cost.label()
                )
            };
            Ok(flash_redirect(&remedies_path(&view), &message))
        }
        Err(e) => draft.refuse(&state, &user, &key, e.into()).await,
    }
}

fn remedies_path(view: &ProblemView) -> String {
    format!("{}#remedies", problem_path(view))
}

/// The remedy `id` of problem `key`.
async fn remedy_of(
    state: &AppState,
    key: &str,
    id: i64,
) -> Result<(ProblemView, RemedyView), PageError> {
    let view = load(state, key).await?;
    let remedy = state.store.remedy(RemedyId(id), state.now()).await?;
    if remedy.remedy.problem != view.problem.id {
        return Err(PageError::NotFound(format!(
            "remedy {id} of problem {}",
            view.problem.number
        )));
    }
    Ok((view, remedy))
}

/// `POST /problems/{key}/remedies/{id}/approve`.
pub async fn approve_remedy(
    State(state): State<AppState>,
    user: SignedIn,
    Path((key, id)): Path<(String, i64)>,
    PageForm(_): PageForm<ButtonOnly>,
) -> Result<Response, PageError> {
    user.require(Action::DecideRemedies, None)?;
    let (view, remedy) = remedy_of(&state, &key, id).await?;
    let draft = RemedyDraft::new("approve", id);
    let awaiting = remedy.remedy.status == RemedyStatus::AwaitingApproval;
    if awaiting && !remedy.remedy.approvable_by(&user.member) {
        let message = format!(
            "your authority of {} does not cover its net cost of {}; a supervisor or admin whose authority does must approve it",
            user.member.remedy_authority.label(),
            remedy.net_cost.label()
        );
        return draft
            .refuse(&state, &user, &key, AppError::Forbidden(message))
            .await;
    }
    match state
        .store
        .approve_remedy(actor(&state, &user), remedy.remedy.id, None)
        .await
    {
        Ok(v) => Ok(flash_redirect(
            &remedies_path(&view),
            &format!(
                "Remedy approved — {} net; deliver it next",
                v.net_cost.label()
            ),
        )),
        Err(e) => draft.refuse(&state, &user, &key, e.into()).await,
    }
}

/// `POST /problems/{key}/remedies/{id}/reject`: refused, with the reason.
pub async fn reject_remedy(
    State(state): State<AppState>,
    user: SignedIn,
    Path((key, id)): Path<(String, i64)>,
    PageForm(form): PageForm<RejectForm>,
) -> Result<Response, PageError> {
    user.require(Action::DecideRemedies, None)?;
    let (view, remedy) = remedy_of(&state, &key, id).await?;
    let mut draft = RemedyDraft::new("reject", id);
    draft.reason.clone_from(&form.reason);
    let mut check = Check::default();
    let reason = check.text("reason", &form.reason, limits::REASON);
    if let Err(e) = check.finish() {
        return draft.refuse(&state, &user, &key, e).await;
    }
    match state
        .store
        .reject_remedy(actor(&state, &user), remedy.remedy.id, None, &reason)
        .await
    {
        Ok(_) => Ok(flash_redirect(
            &remedies_path(&view),
            "Remedy rejected — the proposer sees your reason on the problem",
        )),
        Err(e) => draft.refuse(&state, &user, &key, e.into()).await,
    }
}

/// `POST /problems/{key}/remedies/{id}/deliver`: delivered now, or at the time given.
pub async fn deliver_remedy(
    State(state): State<AppState>,
    user: SignedIn,
    Path((key, id)): Path<(String, i64)>,
    PageForm(form): PageForm<DeliverForm>,
) -> Result<Response, PageError> {
    user.require(Action::WorkProblems, None)?;
    let (view, remedy) = remedy_of(&state, &key, id).await?;
    let mut draft = RemedyDraft::new("deliver", id);
    draft.delivered_at.clone_from(&form.delivered_at);
    let typed = form.delivered_at.trim();
    let delivered_at = if typed.is_empty() {
        None
    } else {
        match typed
            .parse::<DateTime>()
            .ok()
            .and_then(|dt| dt.to_zoned(user.zone.clone()).ok())
        {
            Some(z) if z.timestamp() > state.now() => {
                let e = AppError::invalid(
                    "delivered_at",
                    "cannot be in the future: record a delivery once it has happened",
                );
                return draft.refuse(&state, &user, &key, e).await;
            }
            Some(z) => Some(z.timestamp()),
            None => {
                let e = AppError::invalid(
                    "delivered_at",
                    "give a date and time like 2026-11-22 15:30, or leave it empty for now",
                );
                return draft.refuse(&state, &user, &key, e).await;
            }
        }
    };
    match state
        .store
        .deliver_remedy(actor(&state, &user), remedy.remedy.id, None, delivered_at)
        .await
    {
        Ok(_) => Ok(flash_redirect(
            &remedies_path(&view),
            "Remedy delivered — recorded on the timeline",
        )),
        Err(e) => draft.refuse(&state, &user, &key, e.into()).await,
    }
}

/// `POST /problems/{key}/remedies/{id}/receive-vendor-share`.
pub async fn receive_vendor_share(
    State(state): State<AppState>,
    user: SignedIn,
    Path((key, id)): Path<(String, i64)>,
    PageForm(_): PageForm<ButtonOnly>,
) -> Result<Response, PageError> {
    user.require(Action::WorkProblems, None)?;
    let (view, remedy) = remedy_of(&state, &key, id).await?;
    let draft = RemedyDraft::new("receive", id);
    match state
        .store
        .receive_vendor_share(actor(&state, &user), remedy.remedy.id, None)
        .await
    {
        Ok(_) => Ok(flash_redirect(
            &remedies_path(&view),
            "Vendor's share received — recorded on the timeline",
        )),
        Err(e) => draft.refuse(&state, &user, &key, e.into()).await,
    }
}
