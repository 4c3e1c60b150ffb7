//! The disk filling up: SQLite on a small tmpfs that a filler file fills. Writes then get a
//! clean 503 problem+json saying what to do, nothing acknowledged is lost, nothing refused is
//! half-saved, the server keeps running, and writes succeed again once space is freed.

#![expect(
    clippy::unwrap_used,
    reason = "fixtures and test bodies: a failed unwrap is a failed test"
)]

mod support;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use makegood_store::Store;
use serde_json::{Value, json};

use support::{Api, Server, seed};

/// A tmpfs mounted for the test, unmounted on drop (also when the test fails).
struct Tmpfs {
    dir: PathBuf,
    _parent: tempfile::TempDir,
}

impl Tmpfs {
    fn mount(size: &str) -> Tmpfs {
        let parent = tempfile::tempdir().unwrap();
        let dir = parent.path().join("disk");
        std::fs::create_dir(&dir).unwrap();
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&dir)
            .status()
            .expect("mount runs");
        assert!(
            mounted.success(),
            "mounting a tmpfs needs root (CAP_SYS_ADMIN)"
        );
        Tmpfs {
            dir,
            _parent: parent,
        }
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.dir).status();
    }
}

/// Fills the file system of `path` until it is full.
fn fill(path: &Path) {
    let mut file = std::fs::File::create(path).unwrap();
    let chunk = vec![0xa5u8; 64 * 1024];
    while file
        .write_all(&chunk)
        .and_then(|()| file.sync_all())
        .is_ok()
    {}
    // Whatever fits in smaller pieces too.
    let small = vec![0xa5u8; 512];
    while file
        .write_all(&small)
        .and_then(|()| file.sync_all())
        .is_ok()
    {}
}

fn update(n: usize) -> (String, Value) {
    // Large, distinct bodies: the database (and its WAL) must grow to take them.
    let words = "the booking site is being restored. ".repeat(200);
    let body = format!("Update {n}: {}", words.trim_end());
    let request = json!({"body": body});
    (body, request)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_refuses_writes_cleanly_and_recovers_once_space_is_freed() {
    let disk = Tmpfs::mount("24m");
    let url = format!("sqlite://{}", disk.dir.join("makegood.db").display());
    let store = Store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    let seeded = seed(&store, &url).await;
    drop(store);
    let api = Api::new(&seeded.token);
    let mut server = tokio::task::block_in_place(|| Server::start(&url));
    let base = server.base.clone();
    let problem = api.booking_site_down(&base, &seeded).await;
    let number = problem["number"].as_str().unwrap().to_owned();
    let path = format!("/problems/{number}/updates");

    // Acknowledged before the disk fills: these must survive it.
    let mut acked = Vec::new();
    for n in 1..=5 {
        let (body, request) = update(n);
        api.post(&base, &path, &request).await;
        acked.push(body);
    }

    let filler = disk.dir.join("filler");
    tokio::task::block_in_place(|| fill(&filler));

    // Write until the disk refuses: it must, well within the bound.
    let mut refused = Vec::new();
    let started = Instant::now();
    let mut n = 5;
    while refused.len() < 3 {
        n += 1;
        assert!(
            n < 2_000 && started.elapsed() < Duration::from_secs(60),
            "the disk never filled up ({} writes acknowledged)",
            acked.len()
        );
        let (body, request) = update(n);
        let answer = api
            .send(&base, reqwest::Method::POST, &path, Some(&request))
            .await
            .expect("the server answers while the disk is full");
        match answer.status {
            201 => acked.push(body),
            503 => {
                assert_eq!(answer.content_type, "application/problem+json");
                assert_eq!(answer.body["status"], 503);
                assert_eq!(answer.body["type"], "urn:makegood:problem:unavailable");
                assert_eq!(
                    answer.body["detail"],
                    "the disk is full; nothing was saved; try again once space is freed"
                );
                refused.push(body);
            }
            other => panic!("write {n} while filling: {other} {:?}", answer.body),
        }
    }
    eprintln!(
        "{} writes acknowledged before the disk filled, then {} refused",
        acked.len(),
        refused.len()
    );
    assert!(
        server.child.try_wait().unwrap().is_none(),
        "the server keeps running"
    );

    // Still serving: the health check and reads answer while the disk is full.
    let health = api
        .http
        .get(format!("{base}/healthz"))
        .send()
        .await
        .unwrap();
    assert!(health.status().is_success(), "{}", health.status());
    assert!(
        server.child.try_wait().unwrap().is_none(),
        "the server keeps running"
    );
    // A read answers, or (if it has something to record) says the disk is full just as cleanly.
    let read = api
        .send(
            &base,
            reqwest::Method::GET,
            &format!("/problems/{number}"),
            None,
        )
        .await
        .unwrap();
    assert!(
        read.status == 200 || read.body["type"] == "urn:makegood:problem:unavailable",
        "{} {:?}",
        read.status,
        read.body
    );

    // Space returns: writes succeed again (the first one, or within a bounded few).
    std::fs::remove_file(&filler).unwrap();
    let mut again = None;
    for attempt in 0..20 {
        let (body, request) = update(10_000 + attempt);
        let answer = api
            .send(&base, reqwest::Method::POST, &path, Some(&request))
            .await
            .unwrap();
        if answer.status == 201 {
            again = Some(body);
            break;
        }
        assert_eq!(answer.status, 503, "{:?}", answer.body);
    }
    let again = again.expect("writes succeed once space is freed");
    acked.push(again);

    // After a restart: every acknowledged update is there with its email queued; no
    // refused one left a trace.
    tokio::task::block_in_place(|| server.kill());
    let server = tokio::task::block_in_place(|| Server::start(&url));
    let base = server.base.as_str();
    let timeline = api.all(base, &format!("/problems/{number}/timeline")).await;
    let told: Vec<&str> = timeline
        .iter()
        .filter(|e| e["type"] == "update")
        .map(|e| e["body"].as_str().unwrap())
        .collect();
    let deliveries = api
        .all(base, &format!("/deliveries?problem={number}"))
        .await;
    let mailed: Vec<&str> = deliveries
        .iter()
        .filter(|d| d["notice"]["type"] == "customer_update")
        .map(|d| d["notice"]["body"].as_str().unwrap())
        .collect();
    for body in &acked {
        assert_eq!(
            told.iter().filter(|b| **b == body.as_str()).count(),
            1,
            "an acknowledged update is in the timeline"
        );
        assert_eq!(
            mailed.iter().filter(|b| **b == body.as_str()).count(),
            1,
            "an acknowledged update has its email queued"
        );
    }
    for body in &refused {
        assert!(!told.contains(&body.as_str()), "a refused update was saved");
        assert!(
            !mailed.contains(&body.as_str()),
            "a refused update was mailed"
        );
    }
    assert_eq!(told.len(), acked.len(), "only the acknowledged updates");
    assert_eq!(mailed.len(), acked.len(), "only their emails");
}
