//! The outbox: claims lease and count attempts, failures back off, retries, exactly-once claims.

use jiff::{SignedDuration, Timestamp};
use makegood_domain::{AlertKind, ClockKind, Email, MemberId, Notice, Recipient};
use makegood_store::testing::enqueue_for_test;
use makegood_store::{
    DELIVERY_LEASE, DeliveryFilter, DeliveryStatus, MAX_ATTEMPTS, PageRequest, Store, StoreError,
};

use crate::common::*;

fn alert(n: u32) -> Notice {
    Notice::Alert {
        to: Recipient {
            name: "Alex".into(),
            email: Email::parse(&format!("alex{n}@makegood.example")).unwrap(),
            time_zone: "Europe/Berlin".into(),
        },
        member: MemberId(1),
        alert: AlertKind::Warning,
        clock: ClockKind::Tell,
        problem: None,
        promise: None,
        summary: "Tell Acme about MG-1".into(),
        due_at: now() + hours(1),
    }
}

fn secs(s: i64) -> SignedDuration {
    SignedDuration::from_secs(s)
}

async fn ids(store: &Store, at: Timestamp) -> Vec<i64> {
    store
        .claim_deliveries(at, 50)
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.id)
        .collect()
}

store_test! {
    async fn a_claim_leases_the_message_and_counts_the_attempt(store: Store) {
        let id = enqueue_for_test(&store, &alert(1), None, now()).await.unwrap();
        let queued = store.delivery(id).await.unwrap();
        assert_eq!((queued.status, queued.attempts, queued.next_attempt_at), (DeliveryStatus::Pending, 0, now()));
        assert_eq!(queued.recipient, "alex1@makegood.example");
        assert_eq!(store.next_delivery_at().await.unwrap(), Some(now()));
        assert!(ids(&store, now() - secs(1)).await.is_empty(), "not due yet");

        let claimed = store.claim_deliveries(now(), 10).await.unwrap();
        assert_eq!(claimed.len(), 1);
        assert_eq!((claimed[0].id, claimed[0].attempts), (id, 1));
        assert_eq!(claimed[0].next_attempt_at, now() + DELIVERY_LEASE);
        assert_eq!(claimed[0].notice, alert(1));
        // Leased: nobody else claims it until the lease ends (the sender may have died).
        assert!(ids(&store, now() + DELIVERY_LEASE - secs(1)).await.is_empty());
        let again = store.claim_deliveries(now() + DELIVERY_LEASE, 10).await.unwrap();
        assert_eq!((again[0].id, again[0].attempts), (id, 2));
    }
}

store_test! {
    async fn failures_back_off_and_give_up_after_max_attempts(store: Store) {
        let id = enqueue_for_test(&store, &alert(1), None, now()).await.unwrap();
        assert_eq!(ids(&store, now()).await, [id]);
        assert_eq!(store.mark_failed(id, "421 try later", false, now()).await.unwrap(), DeliveryStatus::Pending);
        let d = store.delivery(id).await.unwrap();
        assert_eq!((d.next_attempt_at, d.last_error.as_deref()), (now() + minutes(1), Some("421 try later")));
        assert!(ids(&store, now() + secs(59)).await.is_empty());
        let mut at = now() + minutes(1);
        assert_eq!(ids(&store, at).await, [id]);
        let mut status = store.mark_failed(id, "421 again", false, at).await.unwrap();
        assert_eq!(store.delivery(id).await.unwrap().next_attempt_at, at + minutes(2), "doubles");
        while status == DeliveryStatus::Pending {
            at = store.delivery(id).await.unwrap().next_attempt_at;
            assert_eq!(ids(&store, at).await, [id]);
            status = store.mark_failed(id, "421 still", false, at).await.unwrap();
        }
        let d = store.delivery(id).await.unwrap();
        assert_eq!((d.status, d.attempts), (DeliveryStatus::Failed, u32::try_from(MAX_ATTEMPTS).unwrap()));
        assert!(ids(&store, at + hours(1000)).await.is_empty(), "failed for good");
        assert_eq!(store.next_delivery_at().await.unwrap(), None);

        let other = enqueue_for_test(&store, &alert(2), None, now()).await.unwrap();
        assert_eq!(ids(&store, now()).await, [other]);
        assert_eq!(store.mark_failed(other, "550 no such user", true, now()).await.unwrap(), DeliveryStatus::Failed);
        let failed = store.list_deliveries(&DeliveryFilter { status: Some(DeliveryStatus::Failed), problem: None }, &PageRequest::default()).await.unwrap();
        assert_eq!(failed.items.iter().map(|d| d.id).collect::<Vec<_>>(), [other, id], "newest first");
    }
}

store_test! {
    async fn a_failed_message_can_be_retried_and_a_delivered_one_never_goes_again(store: Store) {
        let id = enqueue_for_test(&store, &alert(1), None, now()).await.unwrap();
        ids(&store, now()).await;
        store.mark_failed(id, "550", true, now()).await.unwrap();
        let later = now() + hours(3);
        let retried = store.retry_delivery(id, later).await.unwrap();
        assert_eq!((retried.status, retried.attempts, retried.next_attempt_at), (DeliveryStatus::Pending, 0, later));
        assert_eq!(ids(&store, later).await, [id]);
        store.mark_delivered(id, later).await.unwrap();
        let d = store.delivery(id).await.unwrap();
        assert_eq!((d.status, d.delivered_at), (DeliveryStatus::Delivered, Some(later)));
        assert!(ids(&store, later + hours(1000)).await.is_empty());
        assert!(conflict(store.retry_delivery(id, later).await).contains("never sent twice"));
        // A late failure report after delivery changes nothing.
        assert_eq!(store.mark_failed(id, "timeout", false, later).await.unwrap(), DeliveryStatus::Delivered);
        assert_eq!(store.delivery(id).await.unwrap().status, DeliveryStatus::Delivered);
        assert!(matches!(store.retry_delivery(999, later).await, Err(StoreError::NotFound { .. })));
        assert!(matches!(store.delivery(999).await, Err(StoreError::NotFound { .. })));
    }
}

store_test! {
    async fn concurrent_claims_never_return_the_same_message(store: Store) {
        let mut all = Vec::new();
        for n in 0..30 {
            all.push(enqueue_for_test(&store, &alert(n), None, now()).await.unwrap());
        }
        for round in 0..3 {
            let at = now() + DELIVERY_LEASE * round;
            let (a, b) = tokio::join!(store.claim_deliveries(at, 20), store.claim_deliveries(at, 20));
            let mut seen: Vec<i64> = a.unwrap().into_iter().chain(b.unwrap()).map(|d| d.id).collect();
            let claimed = seen.len();
            seen.sort_unstable();
            seen.dedup();
            assert_eq!(seen.len(), claimed, "round {round}: a message was claimed twice");
            assert_eq!(seen, all, "round {round}: every due message was claimed");
        }
    }
}

store_test! {
    async fn a_released_claim_is_due_at_once_and_its_attempt_not_counted(store: Store) {
        let first = enqueue_for_test(&store, &alert(1), None, now()).await.unwrap();
        let second = enqueue_for_test(&store, &alert(2), None, now()).await.unwrap();
        // A message tried once before: its earlier attempt stays counted.
        assert_eq!(ids(&store, now()).await, [first, second]);
        store.mark_failed(second, "421 try later", false, now()).await.unwrap();
        let at = now() + minutes(1);
        let claimed = store.claim_deliveries(at, 10).await.unwrap();
        assert_eq!(claimed.iter().map(|d| (d.id, d.attempts)).collect::<Vec<_>>(), [(second, 2)]);
        let claimed_first = store.claim_deliveries(now() + DELIVERY_LEASE, 10).await;
        // The first's lease from the first claim ran out: claimed again, a second attempt.
        let claimed_first = claimed_first.unwrap();
        assert_eq!(claimed_first.iter().map(|d| (d.id, d.attempts)).collect::<Vec<_>>(), [(first, 2)]);

        let stop = now() + DELIVERY_LEASE + secs(5);
        let all: Vec<_> = claimed.iter().chain(&claimed_first).cloned().collect();
        assert_eq!(store.release_deliveries(&all, stop).await.unwrap(), 2);
        for (id, attempts) in [(first, 1), (second, 1)] {
            let d = store.delivery(id).await.unwrap();
            assert_eq!((d.status, d.attempts, d.next_attempt_at), (DeliveryStatus::Pending, attempts, stop));
        }
        // Due at once for anyone, not a lease later.
        assert_eq!(ids(&store, stop).await, [first, second]);
    }
}

store_test! {
    async fn a_release_leaves_what_changed_since_the_claim(store: Store) {
        let sent = enqueue_for_test(&store, &alert(1), None, now()).await.unwrap();
        let reclaimed = enqueue_for_test(&store, &alert(2), None, now()).await.unwrap();
        let claimed = store.claim_deliveries(now(), 10).await.unwrap();
        assert_eq!(claimed.len(), 2);
        store.mark_delivered(sent, now()).await.unwrap();
        // The lease ran out and another process claimed it: its lease is not ours to end.
        let later = now() + DELIVERY_LEASE;
        let theirs = store.claim_deliveries(later, 10).await.unwrap();
        assert_eq!(theirs.iter().map(|d| d.id).collect::<Vec<_>>(), [reclaimed]);

        assert_eq!(store.release_deliveries(&claimed, later).await.unwrap(), 0);
        let d = store.delivery(sent).await.unwrap();
        assert_eq!((d.status, d.attempts), (DeliveryStatus::Delivered, 1));
        let d = store.delivery(reclaimed).await.unwrap();
        assert_eq!((d.attempts, d.next_attempt_at), (2, later + DELIVERY_LEASE));
        assert_eq!(store.release_deliveries(&[], later).await.unwrap(), 0);
        // Released twice is released once.
        assert_eq!(store.release_deliveries(&theirs, later).await.unwrap(), 1);
        assert_eq!(store.release_deliveries(&theirs, later).await.unwrap(), 0);
        assert_eq!(store.delivery(reclaimed).await.unwrap().attempts, 1);
    }
}
