//! Emails through a real SMTP server (aiosmtpd): recipients, subjects, threading, both parts.

use makegood_domain::{AlertKind, ClockKind, MemberId, Notice};
use makegood_notify::{Deliverer, Mailer};
use makegood_store::DeliveryStatus;
use makegood_store::testing::{TestDb, enqueue_for_test};

use crate::common::{Peer, config, now, parse, problem, recipient, update};

fn header_text(value: &mail_parser::HeaderValue<'_>) -> Vec<String> {
    match value {
        mail_parser::HeaderValue::Text(t) => vec![t.to_string()],
        mail_parser::HeaderValue::TextList(list) => list.iter().map(|t| t.to_string()).collect(),
        mail_parser::HeaderValue::Empty => vec![],
        other => panic!("unexpected header value {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn updates_thread_per_stakeholder_and_alerts_link_to_the_problem() {
    let dir = tempfile::tempdir().unwrap();
    let sink = Peer::smtp(&dir.path().join("mail.jsonl"), &[]).await;
    let db = TestDb::sqlite().await;
    let store = &db.store;
    let dana = recipient("Dana Customer", "dana@customer.example");

    let first = enqueue_for_test(
        store,
        &update(&dana, "We found it.", None, None),
        None,
        now(),
    )
    .await
    .unwrap();
    let second = update(
        &dana,
        "Fixed: <b>no</b> more doubles.",
        Some(first),
        Some(first),
    );
    let second = enqueue_for_test(store, &second, None, now()).await.unwrap();
    let third = update(&dana, "All reprinted.", Some(first), Some(second));
    let third = enqueue_for_test(store, &third, None, now()).await.unwrap();
    let alert = Notice::Alert {
        to: recipient("Sam Owner", "sam@acme.example"),
        member: MemberId(1),
        alert: AlertKind::Warning,
        clock: ClockKind::Update,
        problem: Some(problem()),
        promise: None,
        summary: "Update Customer Ltd on MG-12".into(),
        due_at: "2026-11-24T15:30:00Z".parse().unwrap(),
    };
    let alert = enqueue_for_test(store, &alert, None, now()).await.unwrap();

    let mailer = Mailer::from_url(&format!("smtp://127.0.0.1:{}", sink.port)).unwrap();
    let deliverer = Deliverer::new(store.clone(), Some(mailer), config()).unwrap();
    assert_eq!(deliverer.deliver_due(now()).await.unwrap(), 4);
    for id in [first, second, third, alert] {
        assert_eq!(
            store.delivery(id).await.unwrap().status,
            DeliveryStatus::Delivered
        );
    }
    assert_eq!(
        deliverer.deliver_due(now()).await.unwrap(),
        0,
        "nothing is sent twice"
    );

    let records = sink.records();
    assert_eq!(records.len(), 4);
    let id = |outbox: i64| format!("mg-7.{outbox}@desk.example.com");

    let mails: Vec<_> = records.iter().map(parse).collect();
    for (record, mail) in records.iter().zip(&mails).take(3) {
        assert_eq!(
            record["rcpt_tos"],
            serde_json::json!(["dana@customer.example"])
        );
        assert_eq!(record["mail_from"], "support@acme.example");
        assert_eq!(mail.subject(), Some("[MG-12] Invoices printed twice"));
        let from = mail.from().unwrap().first().unwrap();
        assert_eq!(from.name(), Some("Sam Owner, Acme Support"));
        assert_eq!(from.address(), Some("support@acme.example"));
        let to = mail.to().unwrap().first().unwrap();
        assert_eq!(to.address(), Some("dana@customer.example"));
    }
    assert_eq!(mails[0].message_id(), Some(id(first).as_str()));
    assert!(header_text(mails[0].in_reply_to()).is_empty());
    assert!(header_text(mails[0].references()).is_empty());

    assert_eq!(mails[1].message_id(), Some(id(second).as_str()));
    assert_eq!(header_text(mails[1].in_reply_to()), [id(first)]);
    assert_eq!(
        header_text(mails[1].references()),
        [id(first)],
        "deduplicated"
    );

    assert_eq!(mails[2].message_id(), Some(id(third).as_str()));
    assert_eq!(header_text(mails[2].in_reply_to()), [id(second)]);
    assert_eq!(header_text(mails[2].references()), [id(first), id(second)]);

    // Both parts; the HTML one escapes what the member typed.
    let text = mails[1].body_text(0).unwrap();
    assert!(text.contains("Fixed: <b>no</b> more doubles."), "{text}");
    let html = mails[1].body_html(0).unwrap();
    assert!(
        html.contains("Fixed: &#60;b&#62;no&#60;/b&#62; more doubles.")
            || html.contains("Fixed: &lt;b&gt;no&lt;/b&gt; more doubles."),
        "{html}"
    );

    let alert_mail = &mails[3];
    assert_eq!(
        records[3]["rcpt_tos"],
        serde_json::json!(["sam@acme.example"])
    );
    assert_eq!(
        alert_mail.subject(),
        Some("[MG-12] Warning: Update Customer Ltd on MG-12 — due Tue 24 Nov 2026 16:30 CET")
    );
    assert_eq!(alert_mail.message_id(), Some(id(alert).as_str()));
    let link = "https://desk.example.com/problems/7";
    assert!(alert_mail.body_text(0).unwrap().contains(link));
    assert!(
        alert_mail
            .body_html(0)
            .unwrap()
            .contains(&format!("href=\"{link}\""))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_an_smtp_server_emails_wait_with_a_clear_error() {
    let db = TestDb::sqlite().await;
    let store = &db.store;
    let dana = recipient("Dana Customer", "dana@customer.example");
    let id = enqueue_for_test(store, &update(&dana, "Hello", None, None), None, now())
        .await
        .unwrap();
    let deliverer = Deliverer::new(store.clone(), None, config()).unwrap();
    assert_eq!(deliverer.deliver_due(now()).await.unwrap(), 1);
    let delivery = store.delivery(id).await.unwrap();
    assert_eq!(delivery.status, DeliveryStatus::Pending);
    assert_eq!(
        delivery.last_error.as_deref(),
        Some("no SMTP server configured (set --smtp-url)")
    );
    assert!(delivery.next_attempt_at > now(), "backs off");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_requires_auth_gets_the_credentials_of_the_url() {
    let dir = tempfile::tempdir().unwrap();
    let sink = Peer::smtp(&dir.path().join("mail.jsonl"), &["--login", "mg:s3cret"]).await;
    let db = TestDb::sqlite().await;
    let store = &db.store;
    let dana = recipient("Dana Customer", "dana@customer.example");
    let id = enqueue_for_test(store, &update(&dana, "Hello", None, None), None, now())
        .await
        .unwrap();

    // Without credentials the server answers 530: a settings problem, so it is retried.
    let anonymous = Mailer::from_url(&format!("smtp://127.0.0.1:{}", sink.port)).unwrap();
    let deliverer = Deliverer::new(store.clone(), Some(anonymous), config()).unwrap();
    assert_eq!(deliverer.deliver_due(now()).await.unwrap(), 1);
    let refused = store.delivery(id).await.unwrap();
    assert_eq!(
        refused.status,
        DeliveryStatus::Pending,
        "retried once configured"
    );
    assert!(refused.last_error.unwrap_or_default().contains("530"));
    assert!(sink.records().is_empty());

    let url = format!("smtp://mg:s3cret@127.0.0.1:{}", sink.port);
    let deliverer = Deliverer::new(
        store.clone(),
        Some(Mailer::from_url(&url).unwrap()),
        config(),
    )
    .unwrap();
    store.retry_delivery(id, now()).await.unwrap();
    assert_eq!(deliverer.deliver_due(now()).await.unwrap(), 1);
    assert_eq!(
        store.delivery(id).await.unwrap().status,
        DeliveryStatus::Delivered
    );
    let records = sink.records();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["rcpt_tos"][0], "dana@customer.example");
}
