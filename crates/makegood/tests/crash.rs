//! Crash safety: a mixed write load against the real binary, SIGKILLed at random moments and
//! restarted on the same database, loses nothing it acknowledged and leaves nothing half-done
//! — on SQLite and on PostgreSQL.
//!
//! Several clients create problems, post customer updates (each queues an email to the
//! problem's stakeholder), write notes, make promises, keep some and fix problems. The server
//! is killed with SIGKILL after a random (seeded) uptime, at least [`KILLS`] times. After a
//! last clean start, every write answered 2xx is there, and every problem is consistent with
//! its own timeline: its status, its clocks, the stored next deadlines (timers) and the
//! outbox — whether or not the write that made it was answered.

#![expect(
    clippy::unwrap_used,
    reason = "fixtures and test bodies: a failed unwrap is a failed test"
)]

mod support;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use jiff::{SignedDuration, Timestamp};
use makegood_store::testing::{TestDb, pending_timers_for_test};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use tokio::sync::watch;

use support::{Api, Seeded, Server, seed, wall_clock};

/// How many times the server is SIGKILLed.
const KILLS: usize = 20;
/// Concurrent clients writing.
const CLIENTS: u64 = 3;
/// Seeds every random choice: the clients' writes and the kill moments.
const SEED: u64 = 0x6d61_6b65_676f_6f64;
/// The longest the whole load may run (it normally takes a fraction of this).
const LOAD_LIMIT: Duration = Duration::from_secs(90);

/// One write a client sends.
#[derive(Clone, Debug)]
enum Write {
    Create { title: String },
    Update { problem: String, body: String },
    Note { problem: String, body: String },
    Promise { problem: String, what: String },
    Keep { problem: String, promise: i64 },
    Fix { problem: String, summary: String },
}

impl Write {
    fn request(&self, seeded: &Seeded) -> (String, Value) {
        match self {
            Write::Create { title } => (
                "/problems".into(),
                json!({
                    "title": title, "origin": "ours", "severity": "major",
                    "category": "hosting", "owner": seeded.admin,
                    "accounts": [seeded.account], "stakeholders": [seeded.contact],
                }),
            ),
            Write::Update { problem, body } => (
                format!("/problems/{problem}/updates"),
                json!({"body": body}),
            ),
            Write::Note { problem, body } => {
                (format!("/problems/{problem}/notes"), json!({"body": body}))
            }
            Write::Promise { problem, what } => (
                "/promises".into(),
                json!({
                    "problem": problem, "what": what, "contacts": [seeded.contact],
                    "due_at": (wall_clock() + SignedDuration::from_hours(50)).to_string(),
                }),
            ),
            Write::Keep { promise, .. } => (format!("/promises/{promise}/keep"), json!({})),
            Write::Fix { problem, summary } => (
                format!("/problems/{problem}/fix"),
                json!({"summary": summary}),
            ),
        }
    }
}

/// What one client sent and what came of it.
#[derive(Default)]
struct Ledger {
    /// Answered 2xx, with the answer's body.
    acked: Vec<(Write, Value)>,
    /// No complete answer: the server died with it in flight (or before it arrived).
    unanswered: Vec<Write>,
    /// Answered, but not 2xx: never expected.
    refused: Vec<(Write, u16, Value)>,
}

/// The server's address, with a generation that moves on at each restart.
type Current = watch::Receiver<(u64, String)>;

/// Writes until `stop`: creates problems and works on the ones it knows (its own, answered).
async fn client(
    index: u64,
    api: Api,
    seeded: Seeded,
    mut current: Current,
    stop: Arc<AtomicBool>,
) -> Ledger {
    let mut rng = StdRng::seed_from_u64(SEED.wrapping_add(index));
    let mut ledger = Ledger::default();
    let mut problems: Vec<String> = Vec::new();
    let mut unfixed: Vec<String> = Vec::new();
    let mut open_promises: Vec<(String, i64)> = Vec::new();
    let mut n = 0u64;
    while !stop.load(Ordering::SeqCst) {
        let (generation, base) = current.borrow_and_update().clone();
        n += 1;
        let tag = format!("c{index}-w{n}");
        let roll = rng.random_range(0..100);
        let write = if problems.is_empty() || roll < 15 {
            Write::Create {
                title: format!("Outage {tag}"),
            }
        } else if roll < 25 && !open_promises.is_empty() {
            let (problem, promise) =
                open_promises.swap_remove(rng.random_range(0..open_promises.len()));
            Write::Keep { problem, promise }
        } else if roll < 32 && !unfixed.is_empty() {
            let problem = unfixed.swap_remove(rng.random_range(0..unfixed.len()));
            Write::Fix {
                problem,
                summary: format!("Fixed {tag}"),
            }
        } else {
            let problem = problems[rng.random_range(0..problems.len())].clone();
            match roll % 3 {
                0 => Write::Update {
                    problem,
                    body: format!("Update {tag}"),
                },
                1 => Write::Note {
                    problem,
                    body: format!("Note {tag}"),
                },
                _ => Write::Promise {
                    problem,
                    what: format!("Promise {tag}"),
                },
            }
        };
        let (path, body) = write.request(&seeded);
        match api
            .send(&base, reqwest::Method::POST, &path, Some(&body))
            .await
        {
            Ok(answer) if (200..300).contains(&answer.status) => {
                match &write {
                    Write::Create { .. } => {
                        let number = answer.body["number"].as_str().unwrap().to_owned();
                        problems.push(number.clone());
                        unfixed.push(number);
                    }
                    Write::Promise { problem, .. } => {
                        open_promises.push((problem.clone(), answer.body["id"].as_i64().unwrap()));
                    }
                    _ => {}
                }
                ledger.acked.push((write, answer.body));
            }
            Ok(answer) => ledger.refused.push((write, answer.status, answer.body)),
            Err(_) => {
                // A keep or fix that may have happened is not tried again (it would be a 409).
                ledger.unanswered.push(write);
                // The server is down: wait for the next one (the test bounds the whole run).
                if current.borrow().0 == generation
                    && tokio::time::timeout(LOAD_LIMIT, current.changed())
                        .await
                        .is_err()
                {
                    panic!("client {index}: no new server within {LOAD_LIMIT:?}");
                }
            }
        }
    }
    ledger
}

fn ts(v: &Value) -> Timestamp {
    v.as_str()
        .unwrap_or_else(|| panic!("a timestamp, not {v}"))
        .parse()
        .unwrap()
}

/// The load, the kills, and the checks, on the database at `db.url`.
async fn crash_and_check(db: TestDb) {
    let seeded = seed(&db.store, &db.url).await;
    let api = Api::new(&seeded.token);
    let mut rng = StdRng::seed_from_u64(SEED);
    let started = Instant::now();

    let url = db.url.clone();
    let start = move || {
        let url = url.clone();
        tokio::task::block_in_place(move || Server::start(&url))
    };
    let mut server = start();
    let (publish, current) = watch::channel((0u64, server.base.clone()));
    let stop = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|i| {
            tokio::spawn(client(
                i,
                api.clone(),
                seeded.clone(),
                current.clone(),
                stop.clone(),
            ))
        })
        .collect();

    for kill in 1..=KILLS {
        // A random uptime: the kill lands wherever the load happens to be. (A fresh server's
        // first writes are slower, opening its database connections, on PostgreSQL most.)
        let uptime = Duration::from_millis(rng.random_range(250..1_000));
        tokio::time::sleep(uptime).await;
        tokio::task::block_in_place(|| server.kill());
        assert!(
            started.elapsed() < LOAD_LIMIT,
            "the load ran past {LOAD_LIMIT:?}"
        );
        server = start();
        publish.send((kill as u64, server.base.clone())).unwrap();
    }
    // The last server is not killed: let the clients finish what they are sending.
    stop.store(true, Ordering::SeqCst);
    let mut ledgers = Vec::new();
    for c in clients {
        ledgers.push(tokio::time::timeout(LOAD_LIMIT, c).await.unwrap().unwrap());
    }
    // One more restart, so what is checked is what a fresh process reads back.
    tokio::task::block_in_place(|| server.kill());
    let server = start();
    let base = server.base.as_str();

    let refused: Vec<_> = ledgers.iter().flat_map(|l| &l.refused).collect();
    assert!(refused.is_empty(), "writes refused: {refused:?}");
    let acked = ledgers.iter().map(|l| l.acked.len()).sum::<usize>();
    let unanswered = ledgers.iter().map(|l| l.unanswered.len()).sum::<usize>();
    eprintln!("{acked} writes acknowledged, {unanswered} unanswered, {KILLS} kills");
    assert!(acked >= 100, "too little load to prove anything: {acked}");
    assert!(
        unanswered >= KILLS / 2,
        "the kills should catch writes in flight: {unanswered}"
    );

    // Everything the server holds, problem by problem.
    let mut problems = BTreeMap::new();
    for p in api.all(base, "/problems").await {
        let number = p["number"].as_str().unwrap().to_owned();
        let timeline = api.all(base, &format!("/problems/{number}/timeline")).await;
        let deliveries = api
            .all(base, &format!("/deliveries?problem={number}"))
            .await;
        let promises = api.all(base, &format!("/promises?problem={number}")).await;
        let full = api.get(base, &format!("/problems/{number}")).await;
        problems.insert(number, (full, timeline, deliveries, promises));
    }

    // Every acknowledged write is there.
    let event_with = |number: &str, kind: &str, field: &str, text: &str| {
        let (_, timeline, _, _) = problems
            .get(number)
            .unwrap_or_else(|| panic!("problem {number} is gone"));
        timeline
            .iter()
            .filter(|e| e["type"] == kind && e[field] == text)
            .count()
    };
    let mut promise_rows: HashMap<i64, Value> = HashMap::new();
    for (_, _, _, promises) in problems.values() {
        for p in promises {
            promise_rows.insert(p["id"].as_i64().unwrap(), p.clone());
        }
    }
    for (write, answer) in ledgers.iter().flat_map(|l| &l.acked) {
        match write {
            Write::Create { title } => {
                let number = answer["number"].as_str().unwrap();
                let (full, ..) = problems
                    .get(number)
                    .unwrap_or_else(|| panic!("acknowledged {number} is gone"));
                assert_eq!(full["title"], title.as_str());
                assert_eq!(
                    event_with(number, "created", "title", title),
                    1,
                    "{write:?}"
                );
            }
            Write::Update { problem, body } => {
                assert_eq!(event_with(problem, "update", "body", body), 1, "{write:?}");
            }
            Write::Note { problem, body } => {
                assert_eq!(event_with(problem, "note", "body", body), 1, "{write:?}");
            }
            Write::Fix { problem, summary } => {
                assert_eq!(
                    event_with(problem, "fixed", "summary", summary),
                    1,
                    "{write:?}"
                );
                assert_eq!(problems[problem].0["status"], "fixed", "{write:?}");
            }
            Write::Promise { problem, what } => {
                let id = answer["id"].as_i64().unwrap();
                let row = promise_rows
                    .get(&id)
                    .unwrap_or_else(|| panic!("acknowledged promise {id} is gone"));
                assert_eq!(row["what"], what.as_str());
                assert_eq!(
                    event_with(problem, "promise_made", "what", what),
                    1,
                    "{write:?}"
                );
            }
            Write::Keep { problem, promise } => {
                assert_eq!(promise_rows[promise]["state"], "kept", "{write:?}");
                assert_eq!(
                    promise_rows[promise]["problem"], problems[problem].0["id"],
                    "{write:?}"
                );
            }
        }
    }

    // Nothing half-done, whether answered or not: each problem agrees with its timeline.
    for (number, (full, timeline, deliveries, promises)) in &problems {
        let of =
            |kind: &str| -> Vec<&Value> { timeline.iter().filter(|e| e["type"] == kind).collect() };
        let updates = of("update");
        // Each customer update queued its email to the stakeholder, and nothing else did.
        let mut told: Vec<&str> = updates
            .iter()
            .map(|e| e["body"].as_str().unwrap())
            .collect();
        let mut mailed: Vec<&str> = deliveries
            .iter()
            .filter(|d| d["notice"]["type"] == "customer_update")
            .inspect(|d| assert_eq!(d["recipient"], support::CONTACT_EMAIL))
            .map(|d| d["notice"]["body"].as_str().unwrap())
            .collect();
        told.sort_unstable();
        mailed.sort_unstable();
        assert_eq!(told, mailed, "{number}: updates and their emails");

        let fixed = of("fixed");
        assert!(fixed.len() <= 1, "{number}: fixed once at most");
        let status = if fixed.is_empty() { "open" } else { "fixed" };
        assert_eq!(full["status"], status, "{number}: status");

        let clock = |kind: &str| {
            full["clocks"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["kind"] == kind)
                .unwrap_or_else(|| panic!("{number}: no {kind} clock in {full}"))
                .clone()
        };
        let tell = clock("tell");
        match updates.first() {
            Some(first) => {
                assert_eq!(tell["state"], "met", "{number}: told");
                assert_eq!(
                    ts(&tell["stopped_at"]),
                    ts(&first["at"]),
                    "{number}: told when"
                );
            }
            None => assert_ne!(tell["state"], "met", "{number}: not told"),
        }
        let fix = clock("fix");
        match fixed.first() {
            Some(f) => assert_eq!(ts(&fix["stopped_at"]), ts(&f["at"]), "{number}: fixed when"),
            None => assert!(fix["stopped_at"].is_null(), "{number}: not fixed"),
        }

        // The stored next deadlines are the running clocks' warnings and breaches.
        let id = full["id"].as_i64().unwrap();
        let mut expected = Vec::new();
        for c in full["clocks"].as_array().unwrap() {
            if !c["stopped_at"].is_null() || c["due_at"].is_null() {
                continue;
            }
            expected.extend(planned(c));
        }
        check_timers(&db, &format!("problem:{id}"), expected, number).await;

        // Promises: each made (and kept) with its event, its timers as its state says.
        let made = of("promise_made");
        assert_eq!(
            made.len(),
            promises.len(),
            "{number}: promises and their events"
        );
        for p in promises {
            let pid = p["id"].as_i64().unwrap();
            assert!(
                made.iter()
                    .any(|e| e["promise"] == pid && e["what"] == p["what"]),
                "{number}: promise {pid} has its event"
            );
            let kept = timeline
                .iter()
                .filter(|e| e["type"] == "promise_kept" && e["promise"] == pid)
                .count();
            let open = p["state"] == "open";
            assert_eq!(kept, usize::from(p["state"] == "kept"), "{number}: {p}");
            assert!(open || p["state"] == "kept", "{number}: {p}");
            let expected = if open {
                planned(&p["clock"])
            } else {
                Vec::new()
            };
            check_timers(&db, &format!("promise:{pid}"), expected, number).await;
        }
    }
    drop(server);
}

/// The timers a running clock needs: its warning (when before the deadline) and its breach,
/// a microsecond after the deadline.
fn planned(clock: &Value) -> Vec<(String, String, Timestamp)> {
    let kind = clock["kind"].as_str().unwrap().to_owned();
    let due = ts(&clock["due_at"]);
    let mut out = Vec::new();
    if let Some(warn) = clock["warn_at"].as_str() {
        let warn: Timestamp = warn.parse().unwrap();
        if warn < due {
            out.push((kind.clone(), "warning".to_owned(), warn));
        }
    }
    out.push((
        kind,
        "breach".to_owned(),
        due + SignedDuration::from_micros(1),
    ));
    out
}

async fn check_timers(
    db: &TestDb,
    subject: &str,
    mut expected: Vec<(String, String, Timestamp)>,
    number: &str,
) {
    let mut got = pending_timers_for_test(&db.store, subject).await.unwrap();
    expected.sort();
    got.sort();
    assert_eq!(got, expected, "{number}: the stored deadlines of {subject}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_keeps_every_acknowledged_write_through_sigkills() {
    crash_and_check(TestDb::sqlite().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_keeps_every_acknowledged_write_through_sigkills() {
    crash_and_check(TestDb::postgres().await).await;
}
