//! A process killed mid-delivery: after a restart every message arrives exactly once.

use std::collections::BTreeSet;

use jiff::SignedDuration;
use makegood_notify::{Deliverer, Mailer};
use makegood_store::testing::{TestDb, enqueue_for_test};
use makegood_store::{DELIVERY_LEASE, DeliveryStatus};

use crate::common::{Peer, config, eventually, now, parse, recipient, records, update};

const MESSAGES: usize = 6;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_mid_delivery_loses_and_duplicates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("mail.jsonl");
    let hang = dir.path().join("mail.jsonl.hang");
    let db = TestDb::sqlite().await;
    let store = &db.store;
    let mut ids = Vec::new();
    for n in 0..MESSAGES {
        let to = recipient(
            &format!("Stakeholder {n}"),
            &format!("s{n}@customer.example"),
        );
        ids.push(
            enqueue_for_test(
                store,
                &update(&to, &format!("Update {n}"), None, None),
                None,
                now(),
            )
            .await
            .unwrap(),
        );
    }

    // The first server takes three messages and never answers the fourth.
    let sink = Peer::smtp(&out, &["--accept", "3"]).await;
    let mailer = Mailer::from_url(&format!("smtp://127.0.0.1:{}", sink.port)).unwrap();
    let deliverer = Deliverer::new(store.clone(), Some(mailer), config()).unwrap();
    let task = tokio::spawn(async move { deliverer.deliver_due(now()).await });
    eventually("the fourth message to hang", || hang.exists()).await;
    assert_eq!(records(&out).len(), 3);

    // Killed like a process: the send in flight and its connection are dropped.
    task.abort();
    assert!(task.await.unwrap_err().is_cancelled());
    drop(sink);
    for (n, id) in ids.iter().enumerate() {
        let delivery = store.delivery(*id).await.unwrap();
        let expected = if n < 3 {
            DeliveryStatus::Delivered
        } else {
            DeliveryStatus::Pending
        };
        assert_eq!(delivery.status, expected, "message {n}");
    }

    // Restarted: a new server and a new deliverer, once the lease has run out.
    let sink = Peer::smtp(&out, &[]).await;
    let mailer = Mailer::from_url(&format!("smtp://127.0.0.1:{}", sink.port)).unwrap();
    let deliverer = Deliverer::new(store.clone(), Some(mailer), config()).unwrap();
    assert_eq!(
        deliverer
            .deliver_due(now() + SignedDuration::from_secs(60))
            .await
            .unwrap(),
        0,
        "leased"
    );
    let after_lease = now() + DELIVERY_LEASE + SignedDuration::from_secs(1);
    assert_eq!(
        deliverer.deliver_due(after_lease).await.unwrap(),
        MESSAGES - 3
    );

    let received: Vec<String> = records(&out)
        .iter()
        .map(|r| parse(r).message_id().unwrap().to_owned())
        .collect();
    assert_eq!(received.len(), MESSAGES, "{received:?}");
    let unique: BTreeSet<_> = received.iter().cloned().collect();
    let expected: BTreeSet<_> = ids
        .iter()
        .map(|id| format!("mg-7.{id}@desk.example.com"))
        .collect();
    assert_eq!(unique, expected, "each message exactly once");
    for id in &ids {
        assert_eq!(
            store.delivery(*id).await.unwrap().status,
            DeliveryStatus::Delivered
        );
    }
}
