//! The remedy panel of the problem page: each remedy with its cost, vendor share, net cost,
//! state and approval clock, the buttons the member may use, and the propose form; the forms'
//! handlers are in [`forms`], the timeline's words for remedy events in [`event_words`].

pub mod forms;

use std::borrow::Borrow;
use std::collections::HashMap;

use jiff::Timestamp;
use makegood_domain::{Action, EventKind, MemberId, Problem, RemedyKind, RemedyStatus, Status};
use makegood_store::{PageRequest, RemedyFilter, RemedyView};

use super::super::{PageError, SignedIn, When};
use crate::pages::page::FieldErrors;
use crate::state::AppState;

/// Every kind, as the form offers them: value and words.
pub const KINDS: [(RemedyKind, &str); 6] = [
    (
        RemedyKind::Redo,
        "Redo — do the work again (a reprint, a re-shoot)",
    ),
    (RemedyKind::Refund, "Refund — money back"),
    (RemedyKind::Credit, "Credit — against future invoices"),
    (RemedyKind::Discount, "Discount — a reduced price"),
    (RemedyKind::Gift, "Gift — something given as an apology"),
    (RemedyKind::Other, "Other"),
];

/// The panel: the problem's remedies and what the member may do.
pub struct RemedyPanel {
    pub rows: Vec<RemedyRow>,
    /// May propose (works problems, and the problem is not closed).
    pub can_propose: bool,
    /// Why not, when the member works problems but the problem is closed.
    pub closed: bool,
    /// The proposer's authority currency, in which the form's amounts are read.
    pub currency: String,
    /// `EUR 1,000.00`: what the member may approve alone.
    pub authority: String,
    pub kinds: Vec<(&'static str, &'static str)>,
    /// Vendors for the share: id and name.
    pub vendors: Vec<(i64, String)>,
    /// The vendor preselected: the problem's, when it has one.
    pub problem_vendor: Option<i64>,
}

/// The approval clock as the panel shows it.
pub struct ApprovalRow {
    pub state: &'static str,
    pub due: When,
    pub running: bool,
}

/// One remedy as the panel shows it.
pub struct RemedyRow {
    pub id: i64,
    pub kind: &'static str,
    pub description: String,
    pub cost: String,
    /// `EUR 1,200.00 from HostCo`.
    pub share: Option<String>,
    pub share_received: bool,
    pub net: String,
    /// The state's API name (for the badge) and words.
    pub state: &'static str,
    pub state_words: String,
    pub approval: Option<ApprovalRow>,
    pub proposed: String,
    pub reason: Option<String>,
    pub delivered: Option<When>,
    pub can_approve: bool,
    /// A supervisor or admin whose authority does not cover it: why they cannot approve.
    pub authority_short: Option<String>,
    pub can_reject: bool,
    pub can_deliver: bool,
    pub can_receive: bool,
}

/// What a refused remedy form typed and why it was refused.
#[derive(Clone, Debug, Default)]
pub struct RemedyDraft {
    /// `propose`, `approve`, `reject`, `deliver` or `receive`; empty when no form was refused.
    pub form: &'static str,
    /// The remedy a per-remedy form was about; 0 for the propose form.
    pub id: i64,
    pub kind: String,
    pub description: String,
    pub cost: String,
    pub vendor: String,
    pub share: String,
    pub reason: String,
    pub delivered_at: String,
    pub errors: FieldErrors,
    pub alert: Option<String>,
}

impl RemedyDraft {
    /// Whether this draft came from `form` about remedy `id` (0 for the propose form).
    pub fn about(&self, form: &str, id: impl Borrow<i64>) -> bool {
        self.form == form && self.id == *id.borrow()
    }

    /// The error beside `field` of `form`.
    pub fn error(&self, form: &str, id: impl Borrow<i64>, field: &str) -> Option<&str> {
        self.about(form, id)
            .then(|| self.errors.get(field))
            .flatten()
    }

    /// The refusal shown above `form`.
    pub fn alert_for(&self, form: &str, id: impl Borrow<i64>) -> Option<&str> {
        self.about(form, id)
            .then_some(self.alert.as_deref())
            .flatten()
    }

    /// The text kept for `field` of `form`.
    pub fn kept(&self, form: &str, id: impl Borrow<i64>, field: &str) -> &str {
        if !self.about(form, id) {
            return "";
        }
        match field {
            "kind" => &self.kind,
            "description" => &self.description,
            "cost" => &self.cost,
            "vendor" => &self.vendor,
            "share" => &self.share,
            "reason" => &self.reason,
            "delivered_at" => &self.delivered_at,
            _ => "",
        }
    }

    /// Whether `kind` is the kind chosen (redo on a fresh form).
    pub fn kind_chosen(&self, kind: &str) -> bool {
        if self.form == "propose" {
            self.kind == kind
        } else {
            kind == "redo"
        }
    }

    /// Whether vendor `id` is chosen: the one typed, else the problem's vendor.
    pub fn vendor_chosen(&self, id: &i64, problem_vendor: &Option<i64>) -> bool {
        if self.form == "propose" {
            self.vendor == id.to_string()
        } else {
            *problem_vendor == Some(*id)
        }
    }
}

fn state_words(v: &RemedyView, names: &HashMap<MemberId, String>) -> String {
    let name = |id: &MemberId| {
        names
            .get(id)
            .cloned()
            .unwrap_or_else(|| format!("member #{id}"))
    };
    match &v.remedy.status {
        RemedyStatus::AwaitingApproval => "awaiting approval".to_owned(),
        RemedyStatus::Approved { by, .. } if !v.remedy.approval_required => {
            format!("approved — within {}'s authority", name(by))
        }
        RemedyStatus::Approved { by, .. } => format!("approved by {}", name(by)),
        RemedyStatus::Rejected { by, .. } => format!("rejected by {}", name(by)),
        RemedyStatus::Delivered { approved_by, .. } => {
            format!("delivered (approved by {})", name(approved_by))
        }
    }
}

/// The panel for problem `p` as `user` sees it.
pub async fn panel(
    state: &AppState,
    user: &SignedIn,
    p: &Problem,
    names: &HashMap<MemberId, String>,
) -> Result<RemedyPanel, PageError> {
    let now = state.now();
    let all = PageRequest {
        cursor: None,
        limit: Some(200),
    };
    let filter = RemedyFilter {
        problem: Some(p.id),
        ..RemedyFilter::default()
    };
    let remedies = state.store.list_remedies(&filter, &all, now).await?.items;
    let vendors: Vec<(i64, String)> = state
        .store
        .list_vendors(&all)
        .await?
        .items
        .into_iter()
        .map(|v| (v.id.0, v.name))
        .collect();
    let vendor_name = |id: i64| {
        vendors
            .iter()
            .find(|(v, _)| *v == id)
            .map_or_else(|| format!("vendor #{id}"), |(_, n)| n.clone())
    };
    let me = &user.member;
    let works = me.may(Action::WorkProblems, None);
    let decides = me.may(Action::DecideRemedies, None);
    let rows = remedies
        .iter()
        .map(|v| {
            let r = &v.remedy;
            let awaiting = r.status == RemedyStatus::AwaitingApproval;
            let rejected = matches!(r.status, RemedyStatus::Rejected { .. });
            let covers = r.approvable_by(me);
            RemedyRow {
                id: r.id.0,
                kind: r.kind.as_str(),
                description: r.description.clone(),
                cost: r.cost.label(),
                share: r
                    .vendor_share
                    .map(|s| format!("{} from {}", s.amount.label(), vendor_name(s.vendor.0))),
                share_received: r.vendor_share.is_some_and(|s| s.received),
                net: v.net_cost.label(),
                state: r.status.as_str(),
                state_words: state_words(v, names),
                approval: v.approval.map(|a| ApprovalRow {
                    state: a.state.as_str(),
                    due: When::new(a.due_at, &user.zone, now),
                    running: a.state.is_running(),
                }),
                proposed: format!(
                    "proposed by {} {}",
                    names
                        .get(&r.proposed_by)
                        .cloned()
                        .unwrap_or_else(|| format!("member #{}", r.proposed_by)),
                    When::new(r.proposed_at, &user.zone, now).relative
                ),
                reason: match &r.status {
                    RemedyStatus::Rejected { reason, .. } => Some(reason.clone()),
                    _ => None,
                },
                delivered: match r.status {
                    RemedyStatus::Delivered { at, .. } => Some(When::new(at, &user.zone, now)),
                    _ => None,
                },
                can_approve: decides && awaiting && covers,
                authority_short: (decides && awaiting && !covers).then(|| {
                    format!(
                        "Your authority ({}) does not cover {}: a supervisor or admin whose authority does must approve it.",
                        me.remedy_authority.label(),
                        v.net_cost.label()
                    )
                }),
                can_reject: decides && awaiting,
                can_deliver: works && matches!(r.status, RemedyStatus::Approved { .. }),
                can_receive: works
                    && !rejected
                    && r.vendor_share.is_some_and(|s| !s.received),
            }
        })
        .collect();
    let closed = p.status == Status::Closed;
    Ok(RemedyPanel {
        rows,
        can_propose: works && !closed,
        closed: works && closed,
        currency: me.remedy_authority.currency.code().to_owned(),
        authority: me.remedy_authority.label(),
        kinds: KINDS.iter().map(|(k, w)| (k.as_str(), *w)).collect(),
        vendors,
        problem_vendor: p.vendor.map(|v| v.0),
    })
}

/// A remedy event in the timeline's words: the lead and an optional body.
pub fn event_words(
    kind: &EventKind,
    who: &str,
    at: impl Fn(Timestamp) -> String,
) -> (String, Option<String>) {
    match kind {
        EventKind::RemedyProposed {
            remedy,
            kind,
            description,
            cost,
            net_cost,
            approval_required,
        } => {
            let net = if net_cost == cost {
                String::new()
            } else {
                format!(", {} net of the vendor's share", net_cost.label())
            };
            let approval = if *approval_required {
                "above their authority, it waits for a supervisor's approval"
            } else {
                "within their authority, approved at once"
            };
            (
                format!(
                    "{who} proposed remedy #{remedy}, a {} costing {}{net} — {approval}:",
                    kind.noun(),
                    cost.label()
                ),
                Some(description.clone()),
            )
        }
        EventKind::RemedyApproved { remedy } => (format!("{who} approved remedy #{remedy}"), None),
        EventKind::RemedyRejected { remedy, reason } => (
            format!("{who} rejected remedy #{remedy}:"),
            Some(reason.clone()),
        ),
        EventKind::RemedyDelivered {
            remedy,
            delivered_at,
        } => (
            format!(
                "Remedy #{remedy} delivered to the customer {} (recorded by {who})",
                at(*delivered_at)
            ),
            None,
        ),
        EventKind::VendorShareReceived { remedy, amount, .. } => (
            format!(
                "The vendor's share of {} for remedy #{remedy} was received (recorded by {who})",
                amount.label()
            ),
            None,
        ),
        _ => (format!("{who}: {}", kind.name()), None),
    }
}
