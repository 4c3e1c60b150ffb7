//! Graceful shutdown of `makegood serve`: on SIGTERM the listener closes, a request in flight
//! still gets its answer and its write stays, messages the delivery claimed but did not send
//! go back to the outbox (not leased, their attempt not counted), and the process exits 0
//! promptly — though the SMTP server it was talking to never answers.

#![expect(
    clippy::unwrap_used,
    reason = "fixtures and test bodies: a failed unwrap is a failed test"
)]

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

use makegood_domain::ProblemId;
use makegood_store::testing::TestDb;
use makegood_store::{Delivery, DeliveryFilter, DeliveryStatus, PageRequest, Store};
use serde_json::json;

use support::{Api, Server, seed, wall_clock};

/// An SMTP server that accepts connections and never says a word: a send to it hangs.
fn silent_smtp() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    port
}

async fn deliveries(store: &Store, problem: i64) -> Vec<Delivery> {
    let filter = DeliveryFilter {
        problem: Some(ProblemId(problem)),
        ..DeliveryFilter::default()
    };
    store
        .list_deliveries(&filter, &PageRequest::default())
        .await
        .unwrap()
        .items
}

/// Polls `done` every 20 ms for at most `limit`.
async fn poll<F: AsyncFnMut() -> bool>(what: &str, limit: Duration, mut done: F) {
    let started = Instant::now();
    while !done().await {
        assert!(started.elapsed() < limit, "waited {limit:?} for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_finishes_requests_in_flight_and_hands_back_claimed_messages() {
    let db = TestDb::sqlite().await;
    let seeded = seed(&db.store, &db.url).await;
    let api = Api::new(&seeded.token);
    let smtp = format!("smtp://127.0.0.1:{}", silent_smtp());
    let mut server =
        tokio::task::block_in_place(|| Server::start_with(&db.url, &["--smtp-url", &smtp]));
    let base = server.base.clone();

    let problem = api.booking_site_down(&base, &seeded).await;
    let number = problem["number"].as_str().unwrap().to_owned();
    let id = problem["id"].as_i64().unwrap();
    for n in 1..=3 {
        api.post(
            &base,
            &format!("/problems/{number}/updates"),
            &json!({"body": format!("Update {n}")}),
        )
        .await;
    }

    // The delivery claims the three emails and hangs sending the first.
    poll(
        "the delivery to claim the emails",
        Duration::from_secs(20),
        async || {
            let d = deliveries(&db.store, id).await;
            d.len() == 3 && d.iter().all(|d| d.attempts == 1)
        },
    )
    .await;
    for d in deliveries(&db.store, id).await {
        assert!(
            d.next_attempt_at > wall_clock(),
            "leased while being sent: {d:?}"
        );
    }

    // A request in flight: its headers read and its handler waiting for the body (the
    // server says `100 Continue` once the handler asks for it).
    let body = json!({"body": "Written across the shutdown"}).to_string();
    let address = base.strip_prefix("http://").unwrap().to_owned();
    let mut slow = TcpStream::connect(&address).unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    write!(
        slow,
        "POST /api/v1/problems/{number}/notes HTTP/1.1\r\nHost: {address}\r\n\
         Authorization: Bearer {}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nExpect: 100-continue\r\n\r\n",
        seeded.token,
        body.len()
    )
    .unwrap();
    let mut reader = BufReader::new(slow.try_clone().unwrap());
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    assert!(line.starts_with("HTTP/1.1 100"), "{line:?}");
    reader.read_line(&mut line).unwrap();

    let signalled = Instant::now();
    server.terminate();
    // The listener closes: new connections are refused.
    poll(
        "the listener to close",
        Duration::from_secs(10),
        async || TcpStream::connect(&address).is_err(),
    )
    .await;
    assert!(
        server.child.try_wait().unwrap().is_none(),
        "the server waits for the request in flight"
    );

    // The request completes and is answered.
    slow.write_all(body.as_bytes()).unwrap();
    let mut answer = String::new();
    line.clear();
    reader.read_line(&mut line).unwrap();
    assert!(line.starts_with("HTTP/1.1 201"), "{line:?}");
    let _ = reader.read_to_string(&mut answer);

    let status = tokio::task::block_in_place(|| server.wait_exit(Duration::from_secs(20)))
        .expect("the server exits after SIGTERM");
    assert!(status.success(), "exit status {status:?}");
    let took = signalled.elapsed();
    assert!(took < Duration::from_secs(10), "exit took {took:?}");

    // Nothing stays leased: each email is due now for the next process, its attempt uncounted.
    let now = wall_clock();
    let handed_back = deliveries(&db.store, id).await;
    assert_eq!(handed_back.len(), 3);
    for d in &handed_back {
        assert_eq!(d.status, DeliveryStatus::Pending, "{d:?}");
        assert_eq!(d.attempts, 0, "the attempt is not burned: {d:?}");
        assert!(d.next_attempt_at <= now, "not leased: {d:?}");
    }

    // The write of the request in flight is there after a restart.
    let server = tokio::task::block_in_place(|| Server::start(&db.url));
    let timeline = api
        .all(&server.base, &format!("/problems/{number}/timeline"))
        .await;
    assert_eq!(
        timeline
            .iter()
            .filter(|e| e["type"] == "note" && e["body"] == "Written across the shutdown")
            .count(),
        1
    );
}
