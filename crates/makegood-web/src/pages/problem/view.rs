//! The problem page's model: everything the template shows, loaded for one member.

use std::collections::HashMap;

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use makegood_domain::{
    Account, Action, ClockState, Contact, EventKind, MemberId, ProblemState, PromiseStatus,
    WaitingOn,
};
use makegood_store::{PageRequest, ProblemView, PromiseFilter, PromiseView, Reach, StoreError};

use super::super::{Chrome, PageError, SignedIn, When, render};
use super::Draft;
use super::words::{
    EventRow, Names, OUTCOMES, clock_word, origin_word, severity_word, status_word,
};
use crate::state::AppState;

/// Timeline entries per page.
const TIMELINE_PAGE: u32 = 100;
/// The most promises and members the page loads.
const LIST_LIMIT: u32 = 200;
/// The affected accounts listed in the Customer panel; the rest are counted.
const ACCOUNTS_SHOWN: usize = 30;
/// A promise to more contacts than this shows their number, not their names.
const PROMISE_NAMES: usize = 5;

#[derive(Template)]
#[template(path = "problem.html")]
pub struct ProblemPage {
    pub chrome: Chrome,
    /// `MG-12`.
    pub number: String,
    pub title: String,
    pub description: String,
    pub severity: &'static str,
    pub origin: &'static str,
    pub vendor: Option<String>,
    pub status: &'static str,
    pub owner: String,
    pub category: String,
    pub detected: When,
    pub outcome: Option<&'static str>,
    pub clocks: Vec<ClockRow>,
    /// The affected accounts shown (the first [`ACCOUNTS_SHOWN`]).
    pub accounts: Vec<Account>,
    /// Affected accounts not shown.
    pub more_accounts: usize,
    /// Every affected account, for the promise form's "to whom" (when there are several).
    pub promise_accounts: Vec<(i64, String)>,
    pub stakeholders: Vec<Contact>,
    /// Set when every contact of every affected account is a stakeholder: whom it reaches.
    pub everyone: Option<Reach>,
    pub timeline: Vec<EventRow>,
    /// The next timeline page's cursor, when there are later entries.
    pub later: Option<String>,
    /// Whether this is a later page of the timeline.
    pub paged: bool,
    pub promises: Vec<PromiseRow>,
    /// May post updates and notes and change the status.
    pub can_work: bool,
    /// May make promises on this problem.
    pub can_promise: bool,
    /// May give the problem to someone else.
    pub can_reassign: bool,
    pub actions: Actions,
    /// Members who may own problems: id and name.
    pub owners: Vec<(i64, String)>,
    pub owner_id: i64,
    pub outcomes: Vec<(&'static str, &'static str)>,
    pub draft: Draft,
    pub remedies: super::remedies::RemedyPanel,
    /// The category's playbook: checklist and templates.
    pub playbook: super::checklist::PlaybookPanel,
    /// The prevention and vendor-promise panels.
    pub prevention: super::preventions::PreventionPanel,
    /// The follow-up survey: when it goes out, and the answers.
    pub followup: super::followup::FollowUpPanel,
    /// The customer-upset flag and the "Called them" form.
    pub call: super::call::CallPanel,
}

impl ProblemPage {
    /// How many stakeholders an update goes to.
    pub fn recipient_count(&self) -> u64 {
        self.everyone
            .map_or(self.stakeholders.len() as u64, |r| r.stakeholders)
    }

    /// The names of the stakeholders an update goes to.
    pub fn recipients(&self) -> String {
        if let Some(r) = self.everyone {
            return format!(
                "every contact of the {} affected account{}, {} with an email address",
                r.accounts,
                if r.accounts == 1 { "" } else { "s" },
                r.with_email
            );
        }
        self.stakeholders
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Whether the draft named contact `id` (a fresh promise form names the only stakeholder).
    pub fn contact_checked(&self, id: &i64) -> bool {
        if self.draft.form == "promise" {
            self.draft.contacts.contains(id)
        } else {
            self.stakeholders.len() == 1
        }
    }
}

/// One clock as the page shows it.
pub struct ClockRow {
    pub name: String,
    pub state: &'static str,
    pub running: bool,
    pub paused: bool,
    pub due: Option<When>,
    pub stopped: Option<When>,
}

/// One promise of the problem.
pub struct PromiseRow {
    pub id: i64,
    pub what: String,
    /// The contacts it was made to.
    pub to: String,
    pub made_by: String,
    pub state: &'static str,
    /// The clock's state while open (`ok`, `warning`, `breached`).
    pub clock: &'static str,
    pub open: bool,
    /// The signed-in member may keep, renegotiate or release it.
    pub workable: bool,
    pub due: When,
    pub reason: Option<String>,
}

/// The actions the problem's status allows (and the member may take).
#[derive(Default)]
pub struct Actions {
    pub wait_customer: bool,
    pub wait_vendor: bool,
    pub resume: bool,
    pub fix: bool,
    pub confirm: bool,
    pub close: bool,
    pub reopen: bool,
}

impl Actions {
    fn new(state: &ProblemState) -> Self {
        let ok = |kind: EventKind| state.check(&kind).is_ok();
        let text = String::new;
        Self {
            wait_customer: ok(EventKind::Waiting {
                on: WaitingOn::Customer,
                reason: text(),
            }),
            wait_vendor: ok(EventKind::Waiting {
                on: WaitingOn::Vendor,
                reason: text(),
            }),
            resume: ok(EventKind::Resumed),
            fix: ok(EventKind::Fixed { summary: text() }),
            confirm: ok(EventKind::Confirmed { contact: None }),
            close: ok(EventKind::Closed {
                outcome: makegood_domain::Outcome::Unknown,
            }),
            reopen: ok(EventKind::Reopened { reason: text() }),
        }
    }

    pub fn any(&self) -> bool {
        self.wait_customer
            || self.wait_vendor
            || self.resume
            || self.fix
            || self.confirm
            || self.close
            || self.reopen
    }
}

/// Renders the page of `view` for `user` with `draft` (a refused form, or the composer's preset).
pub async fn show(
    state: &AppState,
    user: &SignedIn,
    view: ProblemView,
    draft: Draft,
    cursor: Option<String>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let page = build(state, user, view, draft, cursor).await?;
    Ok(render(status, &page))
}

async fn build(
    state: &AppState,
    user: &SignedIn,
    view: ProblemView,
    draft: Draft,
    cursor: Option<String>,
) -> Result<ProblemPage, PageError> {
    let store = &state.store;
    let now = state.now();
    let zone = &user.zone;
    let p = &view.problem;
    let all = |cursor| PageRequest {
        cursor,
        limit: Some(LIST_LIMIT),
    };
    let members = store.list_members(&all(None)).await?.items;
    let member_names: HashMap<MemberId, String> =
        members.iter().map(|m| (m.id, m.name.clone())).collect();
    let affected = store.affected_accounts(p.id).await?;
    let promise_accounts = if affected.len() > 1 {
        affected.iter().map(|a| (a.id.0, a.name.clone())).collect()
    } else {
        Vec::new()
    };
    let more_accounts = affected.len().saturating_sub(ACCOUNTS_SHOWN);
    let accounts: Vec<Account> = affected.into_iter().take(ACCOUNTS_SHOWN).collect();
    let everyone = if p.all_stakeholders {
        Some(store.problem_reach(p.id).await?)
    } else {
        None
    };
    let mut stakeholders = Vec::with_capacity(p.stakeholders.len());
    for id in &p.stakeholders {
        stakeholders.push(store.contact(*id).await?);
    }
    let vendor = match p.vendor {
        Some(id) => match store.vendor(id).await {
            Ok(v) => Some(v.name),
            Err(StoreError::NotFound { .. }) => None,
            Err(e) => return Err(e.into()),
        },
        None => None,
    };
    let filter = PromiseFilter {
        problem: Some(p.id),
        ..PromiseFilter::default()
    };
    let promises = store.list_promises(&filter, &all(None), now).await?.items;
    let paged = cursor.is_some();
    let timeline = store
        .timeline(
            p.id,
            &PageRequest {
                cursor,
                limit: Some(TIMELINE_PAGE),
            },
        )
        .await?;
    let promise_names = promises
        .iter()
        .map(|v| (v.promise.id, v.promise.what.clone()))
        .collect();
    let names = Names {
        members: &member_names,
        promises: &promise_names,
        zone,
        now,
    };
    let mut clocks: Vec<ClockRow> = view
        .clocks
        .iter()
        .map(|c| ClockRow::new(clock_word(c.kind).to_owned(), c, &names))
        .collect();
    clocks.extend(
        promises
            .iter()
            .filter(|v| v.state == PromiseStatus::Open)
            .map(|v| ClockRow::new(format!("Promise: {}", v.promise.what), &v.clock, &names)),
    );
    let contact_names = |v: &PromiseView| {
        if v.promise.contacts.len() > PROMISE_NAMES {
            return format!("{} contacts", v.promise.contacts.len());
        }
        v.promise
            .contacts
            .iter()
            .map(|id| {
                stakeholders
                    .iter()
                    .find(|c| c.id == *id)
                    .map_or_else(|| format!("contact #{id}"), |c| c.name.clone())
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let me = &user.member;
    let promise_rows = promises
        .iter()
        .map(|v| PromiseRow {
            id: v.promise.id.0,
            what: v.promise.what.clone(),
            to: contact_names(v),
            made_by: names_of(&member_names, v.promise.made_by),
            state: v.state.as_str(),
            clock: v.clock.state.as_str(),
            open: v.state == PromiseStatus::Open,
            workable: me.may(Action::WorkOwnPromises, Some(v.promise.made_by)),
            due: When::new(v.promise.due_at, zone, now),
            reason: v.promise.reason.clone(),
        })
        .collect();
    let can_work = me.may(Action::WorkProblems, None);
    let remedies = super::remedies::panel(state, user, p, &member_names).await?;
    let playbook = super::checklist::panel(state, user, &view, &member_names, &draft).await?;
    let prevention =
        super::preventions::panel(state, user, &view, &member_names, draft.prevention.clone())
            .await?;
    let followup = super::followup::panel(state, user, p).await?;
    let call = super::call::CallPanel::new(&view, user, now);
    let mut problem_state = ProblemState::new();
    problem_state.status = p.status;
    Ok(ProblemPage {
        chrome: user.chrome("problems"),
        number: p.number.to_string(),
        title: p.title.clone(),
        description: p.description.clone(),
        severity: severity_word(p.severity),
        origin: origin_word(p.origin),
        vendor,
        status: status_word(p.status),
        owner: names_of(&member_names, p.owner),
        category: p.category.clone(),
        detected: When::new(p.detected_at, zone, now),
        outcome: p.outcome.map(super::words::outcome_word),
        clocks,
        accounts,
        more_accounts,
        promise_accounts,
        stakeholders,
        everyone,
        timeline: timeline
            .items
            .iter()
            .map(|e| EventRow::new(e, &names))
            .collect(),
        later: timeline.next_cursor,
        paged,
        promises: promise_rows,
        can_work,
        can_promise: me.may(Action::WorkOwnPromises, Some(me.id)),
        can_reassign: me.may(Action::Reassign, None) || (p.owner == me.id && can_work),
        actions: if can_work {
            Actions::new(&problem_state)
        } else {
            Actions::default()
        },
        owners: members
            .iter()
            .filter(|m| m.active && m.role.may_own())
            .map(|m| (m.id.0, m.name.clone()))
            .collect(),
        owner_id: p.owner.0,
        outcomes: OUTCOMES.iter().map(|(v, _, w)| (*v, *w)).collect(),
        draft,
        remedies,
        playbook,
        prevention,
        followup,
        call,
    })
}

fn names_of(names: &HashMap<MemberId, String>, id: MemberId) -> String {
    names
        .get(&id)
        .cloned()
        .unwrap_or_else(|| format!("member #{id}"))
}

impl ClockRow {
    fn new(name: String, clock: &makegood_domain::Clock, names: &Names) -> Self {
        let when = |t| When::new(t, names.zone, names.now);
        Self {
            name,
            state: clock.state.as_str(),
            running: clock.state.is_running() && clock.state != ClockState::Paused,
            paused: clock.state == ClockState::Paused,
            due: clock.due_at.map(when),
            stopped: clock.stopped_at.map(when),
        }
    }
}
