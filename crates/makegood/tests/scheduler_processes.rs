//! Several `makegood worker` processes on one PostgreSQL database: every deadline fires
//! exactly once, even when one process is killed in the middle of the run.

#![expect(
    clippy::unwrap_used,
    reason = "fixtures and test bodies: a failed unwrap is a failed test"
)]

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use jiff::{SignedDuration, Timestamp};
use makegood_domain::{
    Currency, Email, EventKind, Member, Money, Notice, Origin, ProblemId, Role, Severity,
};
use makegood_store::testing::TestDb;
use makegood_store::{
    Actor, DeliveryFilter, NewAccount, NewMember, NewProblem, PageRequest, Store,
};

/// Problems whose tell deadline passed before the workers start.
const PROBLEMS: usize = 300;

fn worker(url: &str) -> Child {
    Command::new(env!("CARGO_BIN_EXE_makegood"))
        .args(["--database-url", url, "worker"])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .expect("makegood worker starts")
}

/// Kills the child on drop, whatever the test's outcome.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn member(name: &str, email: &str, role: Role) -> NewMember {
    NewMember {
        name: name.into(),
        email: Email::parse(email).unwrap(),
        role,
        remedy_authority: Money::new(100_000, Currency::new("EUR").unwrap()),
        time_zone: "Europe/Berlin".into(),
        password_hash: None,
    }
}

// The workers read the real clock, so the test does too: its deadlines lie hours in the
// past, far from any race with it.
#[expect(
    clippy::disallowed_methods,
    reason = "the workers run on the real clock"
)]
fn wall_clock() -> Timestamp {
    Timestamp::now()
}

async fn seed(store: &Store) -> (Vec<ProblemId>, Vec<Member>) {
    let now = wall_clock();
    let admin = store
        .initialise(
            "Northwind",
            member("Ada", "ada@nw.example", Role::Admin),
            now,
        )
        .await
        .unwrap();
    let supervisor = store
        .create_member(member("Sam", "sam@nw.example", Role::Supervisor), now)
        .await
        .unwrap();
    let agent = store
        .create_member(member("Alex", "alex@nw.example", Role::Agent), now)
        .await
        .unwrap();
    let acme = store
        .create_account(NewAccount {
            name: "Acme".into(),
            parent: None,
            tier: None,
        })
        .await
        .unwrap();
    let actor = Actor {
        member: agent.id,
        now,
    };
    let mut problems = Vec::with_capacity(PROBLEMS);
    for i in 0..PROBLEMS {
        // Critical: tell within 1 h, so detected 2 h ago the tell clock is breached.
        let view = store
            .create_problem(
                actor,
                NewProblem {
                    title: format!("Outage {i}"),
                    description: String::new(),
                    origin: Origin::Ours,
                    vendor: None,
                    severity: Severity::Critical,
                    category: "hosting".into(),
                    owner: agent.id,
                    accounts: vec![acme.id],
                    stakeholders: vec![],
                    detected_at: Some(now - SignedDuration::from_hours(2)),
                    include_locations: false,
                    all_stakeholders: false,
                },
            )
            .await
            .unwrap();
        problems.push(view.problem.id);
    }
    (problems, vec![agent, supervisor, admin])
}

/// Alerts about `problem` in the outbox, as (recipient, breach?) pairs.
async fn alerts(store: &Store, problem: ProblemId) -> Vec<String> {
    let filter = DeliveryFilter {
        problem: Some(problem),
        ..DeliveryFilter::default()
    };
    let page = store
        .list_deliveries(&filter, &PageRequest::default())
        .await
        .unwrap();
    page.items
        .into_iter()
        .filter_map(|d| match d.notice {
            Notice::Alert { to, .. } => Some(to.email.to_string()),
            _ => None,
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workers_fire_every_deadline_once_though_one_is_killed_mid_run() {
    let db = TestDb::postgres().await;
    let store = &db.store;
    let (problems, members) = seed(store).await;

    let mut first = Killed(worker(&db.url));
    let _second = Killed(worker(&db.url));

    // Kill the first worker once the run is under way but far from done.
    let started = Instant::now();
    loop {
        let fired = alerts_so_far(store).await;
        if fired >= 30 {
            assert!(
                fired < PROBLEMS * members.len(),
                "the run finished before a worker could be killed; raise PROBLEMS"
            );
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(60), "nothing fired");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    first.0.kill().unwrap();
    first.0.wait().unwrap();

    // The survivor finishes the run: the next wakeup moves past every breached tell clock.
    loop {
        let next = store.next_wakeup().await.unwrap();
        if next.is_some_and(|at| at > wall_clock() + SignedDuration::from_mins(30)) {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the surviving worker did not finish the run"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // Exactly once: one breach event and one alert per member for each problem.
    let mut expected: Vec<String> = members.iter().map(|m| m.email.to_string()).collect();
    expected.sort();
    for &problem in &problems {
        let timeline = store
            .timeline(problem, &PageRequest::default())
            .await
            .unwrap();
        let breaches = timeline
            .items
            .iter()
            .filter(|e| matches!(e.kind, EventKind::ClockBreached { .. }))
            .count();
        assert_eq!(breaches, 1, "breach events of problem {problem:?}");
        let warnings = timeline
            .items
            .iter()
            .filter(|e| matches!(e.kind, EventKind::ClockWarning { .. }))
            .count();
        assert_eq!(warnings, 0, "a breached clock's warning is silent");
        let mut got = alerts(store, problem).await;
        got.sort();
        assert_eq!(got, expected, "alerts of problem {problem:?}");
    }
}

/// How many alerts have been written so far (up to one page).
async fn alerts_so_far(store: &Store) -> usize {
    let page = store
        .list_deliveries(
            &DeliveryFilter::default(),
            &PageRequest {
                cursor: None,
                limit: Some(200),
            },
        )
        .await
        .unwrap();
    page.items.len()
}
