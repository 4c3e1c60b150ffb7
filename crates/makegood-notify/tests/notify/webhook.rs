//! Webhooks to a real HTTP receiver that verifies the signature on its own.

use jiff::SignedDuration;
use makegood_notify::Deliverer;
use makegood_store::testing::{TestDb, enqueue_for_test, insert_webhook_endpoint_for_test};
use makegood_store::{DeliveryStatus, Store, WebhookKind};

use crate::common::{Peer, config, event, eventually, now};

const SECRET: &str = "whsec_test_0123456789";

async fn setup(dir: &tempfile::TempDir) -> (TestDb, Peer, Deliverer) {
    let receiver = Peer::webhook(&dir.path().join("hooks.jsonl"), SECRET, now()).await;
    let db = TestDb::sqlite().await;
    let deliverer = Deliverer::new(db.store.clone(), None, config()).unwrap();
    (db, receiver, deliverer)
}

async fn hook(store: &Store, url: String, kind: WebhookKind, secret: &str, private: bool) -> i64 {
    let webhook = insert_webhook_endpoint_for_test(store, &url, kind, secret, private).await;
    enqueue_for_test(store, &event(webhook), None, now())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_json_event_arrives_signed_and_verified() {
    let dir = tempfile::tempdir().unwrap();
    let (db, receiver, deliverer) = setup(&dir).await;
    let url = format!("http://127.0.0.1:{}/hook", receiver.port);
    let id = hook(&db.store, url, WebhookKind::Json, SECRET, true).await;

    assert_eq!(deliverer.deliver_due(now()).await.unwrap(), 1);
    assert_eq!(
        db.store.delivery(id).await.unwrap().status,
        DeliveryStatus::Delivered
    );
    let records = receiver.records();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["event_id"], "evt_41");
    let body: serde_json::Value =
        serde_json::from_str(records[0]["body"].as_str().unwrap()).unwrap();
    assert_eq!(body["id"], "evt_41");
    assert_eq!(body["type"], "update");
    assert_eq!(body["created_at"], "2026-11-24T13:00:00Z");
    assert_eq!(body["problem"]["id"], 7);
    assert_eq!(body["problem"]["title"], "Invoices printed twice");
    assert_eq!(body["event"]["type"], "update");
    assert_eq!(body["event"]["body"], "We reprinted them <today>.");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_secret_is_refused_and_fails_for_good() {
    let dir = tempfile::tempdir().unwrap();
    let (db, receiver, deliverer) = setup(&dir).await;
    let url = format!("http://127.0.0.1:{}/hook", receiver.port);
    let id = hook(&db.store, url, WebhookKind::Json, "not-the-secret", true).await;

    deliverer.deliver_due(now()).await.unwrap();
    let delivery = db.store.delivery(id).await.unwrap();
    assert_eq!(delivery.status, DeliveryStatus::Failed);
    assert!(delivery.last_error.unwrap().contains("401"));
    assert!(receiver.records().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_old_signature_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (db, receiver, deliverer) = setup(&dir).await;
    let url = format!("http://127.0.0.1:{}/hook", receiver.port);
    let webhook =
        insert_webhook_endpoint_for_test(&db.store, &url, WebhookKind::Json, SECRET, true).await;
    let sent_at = now() - SignedDuration::from_mins(10);
    let id = enqueue_for_test(&db.store, &event(webhook), None, sent_at)
        .await
        .unwrap();

    // Signed ten minutes before the receiver's clock: a replay, as far as it can tell.
    deliverer.deliver_due(sent_at).await.unwrap();
    let delivery = db.store.delivery(id).await.unwrap();
    assert_eq!(delivery.status, DeliveryStatus::Failed);
    assert!(receiver.records().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chat_webhook_gets_one_line_of_text() {
    let dir = tempfile::tempdir().unwrap();
    let (db, receiver, deliverer) = setup(&dir).await;
    let url = format!("http://127.0.0.1:{}/chat", receiver.port);
    let id = hook(&db.store, url, WebhookKind::Chat, "unused", true).await;

    deliverer.deliver_due(now()).await.unwrap();
    assert_eq!(
        db.store.delivery(id).await.unwrap().status,
        DeliveryStatus::Delivered
    );
    let records = receiver.records();
    let body: serde_json::Value =
        serde_json::from_str(records[0]["body"].as_str().unwrap()).unwrap();
    assert_eq!(
        body,
        serde_json::json!({
            "text": "<https://desk.example.com/problems/7|MG-12> Invoices printed twice: update"
        })
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_loopback_endpoint_is_refused_unless_private_targets_are_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let (db, receiver, deliverer) = setup(&dir).await;
    for host in ["127.0.0.1", "localhost"] {
        let url = format!("http://{host}:{}/hook", receiver.port);
        let id = hook(&db.store, url, WebhookKind::Json, SECRET, false).await;
        deliverer.deliver_due(now()).await.unwrap();
        let delivery = db.store.delivery(id).await.unwrap();
        assert_eq!(delivery.status, DeliveryStatus::Failed, "{host}");
        let error = delivery.last_error.unwrap();
        assert!(error.starts_with("refused"), "{host}: {error}");
    }
    assert!(
        receiver.records().is_empty(),
        "nothing reached the receiver"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_loop_delivers_and_stops_on_shutdown() {
    let dir = tempfile::tempdir().unwrap();
    let (db, receiver, deliverer) = setup(&dir).await;
    let url = format!("http://127.0.0.1:{}/hook", receiver.port);
    let id = hook(&db.store, url, WebhookKind::Json, SECRET, true).await;

    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(deliverer.run(now, async {
        let _ = stopped.await;
    }));
    eventually("the webhook", || receiver.records().len() == 1).await;
    stop.send(()).unwrap();
    tokio::time::timeout(std::time::Duration::from_secs(10), running)
        .await
        .expect("the loop stops")
        .unwrap();
    assert_eq!(
        db.store.delivery(id).await.unwrap().status,
        DeliveryStatus::Delivered
    );
}
