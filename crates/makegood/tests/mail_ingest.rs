//! `makegood mail ingest` as an MTA runs it: one message on stdin, the outcome on stdout,
//! and the exit status an MTA acts on (0 recorded, 65 refused, 75 try again later).

use std::io::Write;
use std::process::{Command, Output, Stdio};

use makegood_domain::EventKind;
use makegood_store::{PageRequest, ProblemFilter, Store};

fn makegood(db: &str, args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_makegood"))
        .arg("--database-url")
        .arg(db)
        .args(args)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("makegood starts");
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(stdin)
        .expect("the message is written");
    child.wait_with_output().expect("makegood ends")
}

/// `mail ingest` fed by a writer that never stops; fails the test if it is still reading
/// after a minute.
fn endless_stdin(db: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_makegood"))
        .arg("--database-url")
        .arg(db)
        .args(["mail", "ingest"])
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("makegood starts");
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let writer = std::thread::spawn(move || {
        let mut chunk = b"Subject: big\r\n\r\n".to_vec();
        chunk.resize(64 * 1024, b'x');
        // Ends when makegood closes the pipe by exiting.
        while stdin.write_all(&chunk).is_ok() {}
    });
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while child
        .try_wait()
        .expect("makegood can be waited on")
        .is_none()
    {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("makegood mail ingest kept reading an endless message");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let out = child.wait_with_output().expect("makegood ends");
    writer.join().expect("the writer ends");
    out
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

fn message(from: &str, id: &str, subject: &str, body: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: desk@northwind.example\r\nSubject: {subject}\r\n\
         Message-ID: <{id}>\r\nDate: Tue, 1 Dec 2026 10:00:00 +0000\r\n\r\n{body}\r\n\r\n\
         On Mon, 30 Nov 2026, Sam Patel <sam@northwind.example> wrote:\r\n> We are on it.\r\n"
    )
    .into_bytes()
}

#[tokio::test]
async fn an_mta_pipe_threads_holds_dedups_and_refuses_with_the_right_exit_status() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let db = format!("sqlite://{}", dir.path().join("makegood.db").display());
    let demo = makegood(&db, &["demo"], b"");
    assert!(
        demo.status.success(),
        "{}",
        String::from_utf8_lossy(&demo.stderr)
    );

    let store = Store::connect(&db).await.expect("the database opens");
    let now = makegood::clock::now();
    let problems = store
        .list_problems(
            &ProblemFilter::default(),
            &PageRequest {
                cursor: None,
                limit: Some(200),
            },
            now,
        )
        .await
        .expect("problems");
    let app = problems
        .items
        .iter()
        .find(|p| p.problem.title.starts_with("Patient scheduling app"))
        .expect("the demo's dental group problem");
    let number = app.problem.number;
    let subject = format!("Re: [{number}] Patient scheduling app");

    let priya = message(
        "Priya <priya@brightline.example>",
        "r1@brightline.example",
        &subject,
        "Thanks, it works now.",
    );
    let out = makegood(&db, &["mail", "ingest"], &priya);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout(&out).starts_with(&format!("threaded onto {number}")),
        "{}",
        stdout(&out)
    );

    let timeline = store
        .timeline(
            app.problem.id,
            &PageRequest {
                cursor: None,
                limit: Some(200),
            },
        )
        .await
        .expect("timeline");
    let replies: Vec<&str> = timeline
        .items
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::CustomerReplied { body, .. } => Some(body.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(
        replies,
        ["Thanks, it works now."],
        "trimmed of the quoted thread"
    );

    let again = makegood(&db, &["mail", "ingest"], &priya);
    assert_eq!(again.status.code(), Some(0));
    assert!(
        stdout(&again).starts_with("already recorded"),
        "{}",
        stdout(&again)
    );

    let stranger = message(
        "someone@elsewhere.example",
        "s1@elsewhere.example",
        &subject,
        "Hello?",
    );
    let held = makegood(&db, &["mail", "ingest"], &stranger);
    assert_eq!(held.status.code(), Some(0));
    assert!(
        stdout(&held).starts_with("held for review: someone@elsewhere.example is not a contact"),
        "{}",
        stdout(&held)
    );
    assert_eq!(
        store
            .held_emails(&PageRequest::default())
            .await
            .expect("held")
            .items
            .len(),
        1
    );

    let refused = makegood(&db, &["mail", "ingest"], b"");
    assert_eq!(
        refused.status.code(),
        Some(65),
        "not a message: refused for good"
    );

    // A pipe that never ends: refused once past 25 MiB, without reading the rest.
    let endless = endless_stdin(&db);
    assert_eq!(
        endless.status.code(),
        Some(65),
        "{}",
        String::from_utf8_lossy(&endless.stderr)
    );
    assert!(
        String::from_utf8_lossy(&endless.stderr).contains("at most 26214400"),
        "{}",
        String::from_utf8_lossy(&endless.stderr)
    );

    let unreachable = makegood(
        "postgres://postgres@127.0.0.1:1/none",
        &["mail", "ingest"],
        &priya,
    );
    assert_eq!(
        unreachable.status.code(),
        Some(75),
        "no database now: the MTA tries again later"
    );
}
