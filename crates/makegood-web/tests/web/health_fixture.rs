//! The failure log's and account health's part of the shared world: an entry the agent
//! logged, and a red account whose review is owed (marked red directly, so the world gains
//! no problems); and a way to make an account red for real.

use makegood_domain::failure::{FailureEntry, FailureFields, FailureLevel};
use makegood_domain::{Account, Email, EventKind, Origin, Outcome, Role, Severity};
use makegood_store::testing::make_red_for_test;
use makegood_store::{AccountPatch, Actor, NewAccount, NewProblem};

use crate::common::TestApp;
use crate::fixture::Team;

pub struct Insight {
    /// Logged by the team's agent.
    pub failure: FailureEntry,
    /// Red, its review owed to its own owner (not in the team), so only leads review it here.
    pub red_account: Account,
}

impl Insight {
    pub async fn new(app: &TestApp, team: &Team) -> Self {
        let store = &app.store;
        let agent = Actor {
            member: team.agent.member.id,
            now: app.now(),
        };
        let fields = FailureFields::new(
            FailureLevel::Prototype,
            "The export prototype choked on large files",
            "Try it on a real customer file first",
            None,
        )
        .unwrap();
        let failure = store.log_failure(agent, fields).await.unwrap();
        // Owned by a member of its own, so its review duty is nobody else's.
        let mut owner = crate::common::new_member("Rhea Redwood", Role::Agent, None);
        owner.email = Email::parse(&format!(
            "rhea.{}@acme.example",
            crate::route_table::unique()
        ))
        .unwrap();
        let owner = store.create_member(owner, app.now()).await.unwrap();
        let red_account = store
            .create_account(NewAccount {
                name: "Redwood".into(),
                parent: None,
                tier: None,
            })
            .await
            .unwrap();
        let patch = AccountPatch {
            owner: Some(Some(owner.id)),
            ..AccountPatch::default()
        };
        let red_account = store.update_account(red_account.id, patch).await.unwrap();
        make_red_for_test(store, red_account.id, app.now())
            .await
            .unwrap();
        Self {
            failure,
            red_account,
        }
    }
}

/// Makes `account` red the long way: two critical problems closed with the customer lost,
/// one open (100 − 45 − 12 = 43).
pub async fn lose_twice(app: &TestApp, team: &Team, account: &Account) {
    let agent = Actor {
        member: team.agent.member.id,
        now: app.now(),
    };
    for (title, outcome) in [
        ("Lost the archive", Some(Outcome::Lost)),
        ("Lost the backups", Some(Outcome::Lost)),
        ("The shop is down", None),
    ] {
        let p = app
            .store
            .create_problem(agent, critical(title, team, account))
            .await
            .unwrap()
            .problem;
        if let Some(outcome) = outcome {
            app.store
                .record(agent, p.id, None, EventKind::Closed { outcome })
                .await
                .unwrap();
        }
    }
}

/// A critical problem at `account`, owned by the agent.
pub fn critical(title: &str, team: &Team, account: &Account) -> NewProblem {
    NewProblem {
        title: title.into(),
        description: String::new(),
        origin: Origin::Ours,
        vendor: None,
        severity: Severity::Critical,
        category: "software".into(),
        owner: team.agent.member.id,
        accounts: vec![account.id],
        stakeholders: vec![],
        detected_at: None,
        include_locations: false,
        all_stakeholders: false,
    }
}
