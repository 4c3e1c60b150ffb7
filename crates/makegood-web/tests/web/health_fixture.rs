//! The failure log's and account health's part of the shared world: an entry the agent
//! logged, and an account that turns red when next computed (two customers lost, one
//! critical problem open) and has no owner.

use makegood_domain::failure::{FailureEntry, FailureFields, FailureLevel};
use makegood_domain::{Account, EventKind, Origin, Outcome, Severity};
use makegood_store::{Actor, NewAccount, NewProblem};

use crate::common::TestApp;
use crate::fixture::Team;

pub struct Insight {
    /// Logged by the team's agent.
    pub failure: FailureEntry,
    /// Red once computed (score 43); nobody owns it, so the supervisors and admins review it.
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
        let red_account = store
            .create_account(NewAccount {
                name: "Redwood".into(),
                parent: None,
                tier: None,
            })
            .await
            .unwrap();
        for (title, outcome) in [
            ("Lost the archive", Some(Outcome::Lost)),
            ("Lost the backups", Some(Outcome::Lost)),
            ("The shop is down", None),
        ] {
            let p = store
                .create_problem(agent, critical(title, team, &red_account))
                .await
                .unwrap()
                .problem;
            if let Some(outcome) = outcome {
                store
                    .record(agent, p.id, None, EventKind::Closed { outcome })
                    .await
                    .unwrap();
            }
        }
        Self {
            failure,
            red_account,
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
