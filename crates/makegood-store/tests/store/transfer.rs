//! Export and import: every table covered, values kept exactly across both backends, and an
//! import that refuses a database with data in it or a file cut short, changing nothing.

use std::io::Cursor;

use makegood_domain::{Email, EventKind, Role};
use makegood_store::testing::{Backend, TestDb};
use makegood_store::{
    AccountPatch, ContactPatch, NewAccount, NewAttachment, NewInboundEmail, NewPromise, Quiet,
    Store, TransferError,
};

use crate::common::*;

/// A little of everything: unicode, a 64-bit amount past f64's exact range, a renegotiated
/// promise and an account whose parent came later (rows referring forward to their own
/// table), an email in the outbox, bytes that are not UTF-8.
async fn story(store: &Store) {
    let w = world(store).await;
    let mut rich = new_member("Zoë Ünal", "zoe@makegood.example", Role::Supervisor);
    rich.remedy_authority = eur(9_007_199_254_740_993);
    store.create_member(rich, now()).await.unwrap();
    store
        .update_contact(
            w.ann.id,
            ContactPatch {
                email: Some(Some(Email::parse("ann@acme.example").unwrap())),
                ..ContactPatch::default()
            },
        )
        .await
        .unwrap();
    let network = store
        .create_account(NewAccount {
            name: "Acme Group — Zürich".into(),
            parent: None,
            tier: None,
        })
        .await
        .unwrap();
    store
        .update_account(
            w.acme.id,
            AccountPatch {
                parent: Some(Some(network.id)),
                ..AccountPatch::default()
            },
        )
        .await
        .unwrap();
    let p = store
        .create_problem(
            actor(&w.agent, now()),
            new_problem(&w, "Export stopped \"again\" ✓"),
        )
        .await
        .unwrap();
    store
        .record(
            actor(&w.agent, now() + minutes(10)),
            p.problem.id,
            None,
            EventKind::Update {
                body: "We are on it.\nNext update by noon.".into(),
            },
        )
        .await
        .unwrap();
    let promise = store
        .create_promise(
            actor(&w.agent, now()),
            NewPromise {
                problem: Some(p.problem.id),
                ..new_promise(&w, hours(4))
            },
        )
        .await
        .unwrap();
    store
        .renegotiate_promise(
            actor(&w.agent, now() + hours(1)),
            promise.promise.id,
            None,
            now() + hours(30),
            "Ann asked for Friday",
        )
        .await
        .unwrap();
    let mut raw = b"From: ann@acme.example\r\n\r\nThanks\r\n".to_vec();
    raw.extend([0xff, 0x00, 0xfe]);
    store
        .ingest_email(
            NewInboundEmail {
                message_id: Some("r1@acme.example".into()),
                from_email: Some(Email::parse("ann@acme.example").unwrap()),
                from_name: Some("Ann".into()),
                subject: "Re: the export".into(),
                sent_at: Some(now() + minutes(20)),
                answers: Some(p.problem.id),
                tag: None,
                raw,
                text: "Thanks".into(),
                reply: "Thanks".into(),
                attachments: vec![NewAttachment {
                    filename: "log.bin".into(),
                    content_type: "application/octet-stream".into(),
                    content: vec![0, 1, 2, 255],
                }],
                skipped: Vec::new(),
            },
            None,
            now() + minutes(21),
        )
        .await
        .unwrap();
}

async fn export(store: &Store) -> Vec<u8> {
    let mut out = Vec::new();
    store.export(&mut out, &Quiet).await.unwrap();
    out
}

/// Tables whose rows the story must have put in the export, so the round trip proves something.
const FILLED: &[&str] = &[
    "members",
    "accounts",
    "problems",
    "promises",
    "events",
    "problem_text",
    "timers",
    "outbox",
    "inbound_emails",
    "inbound_attachments",
];

fn rows_of(export: &[u8], table: &str) -> u64 {
    let text = std::str::from_utf8(export).unwrap();
    let marker = format!("{{\"table\":\"{table}\",\"rows\":");
    let line = text.lines().find(|l| l.starts_with(&marker)).unwrap();
    let rest = &line[marker.len()..];
    rest[..rest.find(',').unwrap()].parse().unwrap()
}

store_test! {
    async fn every_table_is_exported_or_skipped_in_a_safe_order(store: Store) {
        let coverage = store.export_coverage().await.unwrap();
        assert!(
            coverage.is_complete(),
            "add each new table to makegood_store::transfer::EXPORTED (after the tables it \
             refers to) or to SKIPPED with a reason: {coverage:?}"
        );
    }
}

async fn round_trip(backend: Backend) {
    let source = TestDb::new(backend).await;
    story(&source.store).await;
    let first = export(&source.store).await;
    for table in FILLED {
        assert!(rows_of(&first, table) > 0, "the story fills {table}");
    }
    for target in [Backend::Sqlite, Backend::Postgres] {
        let copy = TestDb::new(target).await;
        let done = copy
            .store
            .import(Cursor::new(&first), &Quiet)
            .await
            .unwrap();
        assert!(done.rows > 0);
        let again = export(&copy.store).await;
        assert!(
            first == again,
            "{backend:?} → {target:?} changed the export:\n{}",
            first_difference(&first, &again)
        );
        // Ids go on after the imported ones: a new account is not refused as a duplicate.
        let next = copy
            .store
            .create_account(NewAccount {
                name: "After the move".into(),
                parent: None,
                tier: None,
            })
            .await
            .unwrap();
        assert!(next.id.0 > 3, "{next:?}");
    }
}

makegood_store::backend_tests!(round_trip);

fn first_difference(a: &[u8], b: &[u8]) -> String {
    let a = String::from_utf8_lossy(a);
    let b = String::from_utf8_lossy(b);
    a.lines()
        .zip(b.lines())
        .enumerate()
        .find(|(_, (x, y))| x != y)
        .map_or_else(
            || format!("{} lines vs {}", a.lines().count(), b.lines().count()),
            |(i, (x, y))| format!("line {}:\n  {x}\n  {y}", i + 1),
        )
}

store_test! {
    async fn import_refuses_a_database_with_data_and_changes_nothing(store: Store) {
        story(&store).await;
        let before = export(&store).await;
        let err = store.import(Cursor::new(&before), &Quiet).await.unwrap_err();
        assert!(matches!(err, TransferError::NotEmpty { .. }), "{err}");
        assert!(err.to_string().contains("not empty"), "{err}");
        assert!(export(&store).await == before);
    }
}

async fn a_file_cut_short_imports_nothing(backend: Backend) {
    let source = TestDb::new(Backend::Sqlite).await;
    story(&source.store).await;
    let full = export(&source.store).await;
    let target = TestDb::new(backend).await;
    let empty = export(&target.store).await;
    // Cut in the middle of the events.
    let cut = full.len() * 2 / 3;
    let cut = full[..cut].iter().rposition(|b| *b == b'\n').unwrap() + 1;
    let err = target
        .store
        .import(Cursor::new(&full[..cut]), &Quiet)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("cut short"), "{err}");
    assert!(
        export(&target.store).await == empty,
        "a failed import left rows behind"
    );
    // A value of the wrong type is refused with its line.
    let bad = String::from_utf8(full.clone())
        .unwrap()
        .replacen("\"Acme\"", "17", 1);
    let err = target
        .store
        .import(Cursor::new(bad.as_bytes()), &Quiet)
        .await
        .unwrap_err();
    assert!(matches!(err, TransferError::Format { .. }), "{err}");
    // And the whole file still goes in afterwards.
    target
        .store
        .import(Cursor::new(&full), &Quiet)
        .await
        .unwrap();
    assert!(export(&target.store).await == full);
}

makegood_store::backend_tests!(a_file_cut_short_imports_nothing);

async fn a_table_nobody_listed_stops_export_and_import(backend: Backend) {
    use sea_orm::ConnectionTrait;
    let db = TestDb::new(backend).await;
    let before = export(&db.store).await;
    let raw = sea_orm::Database::connect(&db.url).await.unwrap();
    raw.execute_unprepared("CREATE TABLE loyalty_points (id BIGINT PRIMARY KEY, points BIGINT)")
        .await
        .unwrap();
    let coverage = db.store.export_coverage().await.unwrap();
    assert_eq!(coverage.unlisted, ["loyalty_points"]);
    assert!(!coverage.is_complete());
    let mut out = Vec::new();
    let err = db.store.export(&mut out, &Quiet).await.unwrap_err();
    assert!(
        err.to_string()
            .contains("neither exported nor skipped: loyalty_points"),
        "{err}"
    );
    let err = db
        .store
        .import(Cursor::new(&before), &Quiet)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("loyalty_points"), "{err}");
    raw.close().await.unwrap();
}

makegood_store::backend_tests!(a_table_nobody_listed_stops_export_and_import);
