//! A small world to act on: accounts, contacts, vendors, problems and promises.

use jiff::SignedDuration;
use makegood_domain::{Account, Contact, EventKind, Origin, Role, Severity, Vendor, WaitingOn};
use makegood_domain::{AlertKind, CalendarSpec, ClockKind, Email, Notice, Recipient};
use makegood_store::testing::enqueue_for_test;
use makegood_store::{
    Actor, CalendarRecord, NewAccount, NewContact, NewProblem, NewPromise, NewVendor, NewWebhook,
    ProblemView, PromiseView, Webhook, WebhookKind,
};

use crate::common::{TestApp, User};
use crate::playbooks::software_playbook;

/// One member of each role.
pub struct Team {
    pub admin: User,
    pub supervisor: User,
    pub agent: User,
    pub viewer: User,
}

impl Team {
    pub async fn new(app: &TestApp, admin: User) -> Self {
        Self {
            admin,
            supervisor: app.user(Role::Supervisor).await,
            agent: app.user(Role::Agent).await,
            viewer: app.user(Role::Viewer).await,
        }
    }

    pub fn get(&self, role: Role) -> &User {
        match role {
            Role::Admin => &self.admin,
            Role::Supervisor => &self.supervisor,
            Role::Agent => &self.agent,
            Role::Viewer => &self.viewer,
        }
    }
}

/// Things to act on; problems owned by the agent unless named otherwise.
pub struct World {
    pub account: Account,
    pub contact: Contact,
    pub vendor: Vendor,
    /// Unreferenced, so they can be deleted.
    pub spare_account: Account,
    pub spare_contact: Contact,
    pub spare_vendor: Vendor,
    pub problem: ProblemView,
    pub waiting: ProblemView,
    pub fixed: ProblemView,
    pub supervisors_problem: ProblemView,
    pub agents_promise: PromiseView,
    pub supervisors_promise: PromiseView,
    /// Used by no policy, so it can be deleted.
    pub calendar: CalendarRecord,
    pub webhook: Webhook,
    /// A pending outbox message (an alert to the agent).
    pub delivery: i64,
    pub remedies: crate::fixture_remedies::Remedies,
    /// The playbook of the problems' category (`software`), shared by every world.
    pub playbook: makegood_domain::Playbook,
    /// A playbook of a category of its own, so it can be replaced or deleted.
    pub spare_playbook: makegood_domain::Playbook,
    /// Preventions of `problem`: one open, one done with its check due at once.
    pub preventions: crate::prevention::Preventions,
    /// An inbound email held for review (from a stranger, about `problem`).
    pub held: i64,
    /// A failure log entry and a red account.
    pub insight: crate::health_fixture::Insight,
}

/// An alert to `to`, as the scheduler would write it.
pub fn alert_to(to: &User, summary: &str, due_at: jiff::Timestamp) -> Notice {
    Notice::Alert {
        to: Recipient {
            name: to.member.name.clone(),
            email: to.member.email.clone(),
            time_zone: to.member.time_zone.clone(),
        },
        member: to.member.id,
        alert: AlertKind::Warning,
        clock: ClockKind::Tell,
        problem: None,
        promise: None,
        summary: summary.into(),
        due_at,
    }
}

impl World {
    pub async fn new(app: &TestApp, team: &Team) -> Self {
        let store = &app.store;
        let admin = Actor {
            member: team.admin.member.id,
            now: app.now(),
        };
        let account = store
            .create_account(NewAccount {
                name: "Northwind".into(),
                parent: None,
                tier: None,
            })
            .await
            .unwrap();
        let spare_account = store
            .create_account(NewAccount {
                name: "Spare".into(),
                parent: None,
                tier: None,
            })
            .await
            .unwrap();
        let contact = store
            .create_contact(NewContact {
                account: account.id,
                name: "Carla Controller".into(),
                role_title: "Controller".into(),
                email: None,
                phone: None,
            })
            .await
            .unwrap();
        let spare_contact = store
            .create_contact(NewContact {
                account: account.id,
                name: "Ivan IT".into(),
                role_title: "IT Director".into(),
                // An address, so the portal's team routes can email Ivan a sign-in link.
                email: Some(Email::parse("ivan@northwind.example").unwrap()),
                phone: None,
            })
            .await
            .unwrap();
        let vendor = store
            .create_vendor(NewVendor {
                name: "HostCo".into(),
                email: None,
            })
            .await
            .unwrap();
        let spare_vendor = store
            .create_vendor(NewVendor {
                name: "Spare Vendor".into(),
                email: None,
            })
            .await
            .unwrap();
        let problem_for = |owner: &User, title: &str| NewProblem {
            title: title.into(),
            description: "".into(),
            origin: Origin::Ours,
            vendor: None,
            severity: Severity::Major,
            category: "software".into(),
            owner: owner.member.id,
            accounts: vec![account.id],
            stakeholders: vec![contact.id],
            detected_at: None,
            include_locations: false,
            all_stakeholders: false,
        };
        let problem = store
            .create_problem(admin, problem_for(&team.agent, "Invoices fail"))
            .await
            .unwrap();
        let waiting = store
            .create_problem(admin, problem_for(&team.agent, "Waiting one"))
            .await
            .unwrap();
        let waiting = store
            .record(
                admin,
                waiting.problem.id,
                None,
                EventKind::Waiting {
                    on: WaitingOn::Vendor,
                    reason: "patch".into(),
                },
            )
            .await
            .unwrap();
        let fixed = store
            .create_problem(admin, problem_for(&team.agent, "Fixed one"))
            .await
            .unwrap();
        let fixed = store
            .record(
                admin,
                fixed.problem.id,
                None,
                EventKind::Fixed {
                    summary: "done".into(),
                },
            )
            .await
            .unwrap();
        let supervisors_problem = store
            .create_problem(admin, problem_for(&team.supervisor, "Theirs"))
            .await
            .unwrap();
        let due = app
            .now()
            .checked_add(SignedDuration::from_hours(48))
            .unwrap();
        let promise_by = |user: &User| NewPromise {
            what: "Daily status by email".into(),
            contacts: vec![contact.id],
            made_by: user.member.id,
            problem: Some(problem.problem.id),
            due_at: due,
        };
        let agents_promise = store
            .create_promise(admin, promise_by(&team.agent))
            .await
            .unwrap();
        let supervisors_promise = store
            .create_promise(admin, promise_by(&team.supervisor))
            .await
            .unwrap();
        let n = crate::route_table::unique();
        let calendar = store
            .create_calendar(
                &format!("Office {n}"),
                CalendarSpec::around_the_clock(),
                app.now(),
            )
            .await
            .unwrap();
        let webhook = store
            .create_webhook(
                NewWebhook {
                    name: "Receiver".into(),
                    url: "https://hooks.example.com/makegood".into(),
                    kind: WebhookKind::Json,
                    events: vec![],
                    allow_private: false,
                },
                "secret",
                app.now(),
            )
            .await
            .unwrap();
        let delivery = enqueue_for_test(
            store,
            &alert_to(&team.agent, "Tell Northwind about MG-1", due),
            None,
            app.now(),
        )
        .await
        .unwrap();
        let remedies =
            crate::fixture_remedies::Remedies::new(app, team, &supervisors_problem, vendor.id)
                .await;
        let playbook = software_playbook(app).await;
        let spare_playbook = store
            .create_playbook(
                &makegood_domain::playbook::PlaybookDraft {
                    category: format!("spare {n}"),
                    items: vec!["Call them".into()],
                    ..Default::default()
                },
                app.now(),
            )
            .await
            .unwrap();
        let preventions =
            crate::prevention::Preventions::new(app, team, &supervisors_problem, &vendor).await;
        let held = crate::customer_signals::held(app, &problem).await;
        let insight = crate::health_fixture::Insight::new(app, team).await;
        Self {
            held,
            insight,
            remedies,
            playbook,
            spare_playbook,
            preventions,
            calendar,
            webhook,
            delivery,
            account,
            contact,
            vendor,
            spare_account,
            spare_contact,
            spare_vendor,
            waiting,
            fixed,
            supervisors_problem,
            agents_promise,
            supervisors_promise,
            problem,
        }
    }
}
