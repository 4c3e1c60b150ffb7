//! `Idempotency-Key`s: reserved before a request runs, then completed or released.

use jiff::SignedDuration;
use makegood_store::{Reservation, Store, StoredResponse};

use crate::common::*;

fn response(hash: &str, body: &str) -> StoredResponse {
    StoredResponse {
        request_hash: hash.into(),
        status: 201,
        body: body.into(),
    }
}

store_test! {
    async fn a_reserved_key_is_in_flight_until_completed_then_replayed(store: Store) {
        let w = world(&store).await;
        let me = w.agent.id;
        assert_eq!(store.reserve_idempotency_key(me, "k1", "h", now()).await.unwrap(), Reservation::Reserved);
        assert_eq!(store.reserve_idempotency_key(me, "k1", "h", now()).await.unwrap(), Reservation::InFlight);
        assert_eq!(
            store.reserve_idempotency_key(w.admin.id, "k1", "h", now()).await.unwrap(),
            Reservation::Reserved,
            "keys are per member"
        );
        store.complete_idempotency_key(me, "k1", &response("h", "first")).await.unwrap();
        assert_eq!(
            store.reserve_idempotency_key(me, "k1", "h", now()).await.unwrap(),
            Reservation::Replay(response("h", "first"))
        );
        // Completing again (no longer pending) changes nothing.
        store.complete_idempotency_key(me, "k1", &response("h", "second")).await.unwrap();
        assert_eq!(
            store.reserve_idempotency_key(me, "k1", "h", now() + hours(1)).await.unwrap(),
            Reservation::Replay(response("h", "first"))
        );
        invalid(store.reserve_idempotency_key(me, "", "h", now()).await, "idempotency_key");
    }
}

store_test! {
    async fn a_key_used_for_another_request_is_a_mismatch(store: Store) {
        let w = world(&store).await;
        let me = w.agent.id;
        store.reserve_idempotency_key(me, "k2", "h1", now()).await.unwrap();
        assert_eq!(store.reserve_idempotency_key(me, "k2", "h2", now()).await.unwrap(), Reservation::Mismatch, "pending");
        store.complete_idempotency_key(me, "k2", &response("h1", "done")).await.unwrap();
        assert_eq!(store.reserve_idempotency_key(me, "k2", "h2", now()).await.unwrap(), Reservation::Mismatch, "completed");
    }
}

store_test! {
    async fn a_released_key_can_be_reserved_again(store: Store) {
        let w = world(&store).await;
        let me = w.agent.id;
        store.reserve_idempotency_key(me, "k3", "h", now()).await.unwrap();
        store.release_idempotency_key(me, "k3").await.unwrap();
        assert_eq!(store.reserve_idempotency_key(me, "k3", "h", now()).await.unwrap(), Reservation::Reserved);

        // A completed key is not released: its response stays for replay.
        store.complete_idempotency_key(me, "k3", &response("h", "done")).await.unwrap();
        store.release_idempotency_key(me, "k3").await.unwrap();
        assert_eq!(
            store.reserve_idempotency_key(me, "k3", "h", now()).await.unwrap(),
            Reservation::Replay(response("h", "done"))
        );
    }
}

store_test! {
    async fn a_pending_key_older_than_a_minute_is_taken_over(store: Store) {
        let w = world(&store).await;
        let me = w.agent.id;
        let secs = SignedDuration::from_secs;
        store.reserve_idempotency_key(me, "k4", "h", now()).await.unwrap();
        assert_eq!(store.reserve_idempotency_key(me, "k4", "h", now() + secs(59)).await.unwrap(), Reservation::InFlight);
        assert_eq!(store.reserve_idempotency_key(me, "k4", "h", now() + secs(61)).await.unwrap(), Reservation::Reserved);
        // The taker holds it now, counted from when it took over.
        assert_eq!(store.reserve_idempotency_key(me, "k4", "h", now() + secs(62)).await.unwrap(), Reservation::InFlight);
        assert_eq!(store.reserve_idempotency_key(me, "k4", "h", now() + secs(119)).await.unwrap(), Reservation::InFlight);
        // A completed key is never taken over, however old.
        store.complete_idempotency_key(me, "k4", &response("h", "done")).await.unwrap();
        assert_eq!(
            store.reserve_idempotency_key(me, "k4", "h", now() + hours(2)).await.unwrap(),
            Reservation::Replay(response("h", "done"))
        );
    }
}

store_test! {
    async fn of_concurrent_reservations_exactly_one_wins(store: Store) {
        let w = world(&store).await;
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..6 {
            let (store, me) = (store.clone(), w.agent.id);
            tasks.spawn(async move { store.reserve_idempotency_key(me, "k5", "h", now()).await });
        }
        let results: Vec<Reservation> = tasks.join_all().await.into_iter().map(Result::unwrap).collect();
        assert_eq!(results.iter().filter(|r| **r == Reservation::Reserved).count(), 1, "{results:?}");
        assert!(results.iter().all(|r| matches!(r, Reservation::Reserved | Reservation::InFlight)), "{results:?}");
    }
}

store_test! {
    async fn of_concurrent_takeovers_exactly_one_wins(store: Store) {
        let w = world(&store).await;
        store.reserve_idempotency_key(w.agent.id, "k6", "h", now()).await.unwrap();
        let later = now() + minutes(5);
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..6 {
            let (store, me) = (store.clone(), w.agent.id);
            tasks.spawn(async move { store.reserve_idempotency_key(me, "k6", "h", later).await });
        }
        let results: Vec<Reservation> = tasks.join_all().await.into_iter().map(Result::unwrap).collect();
        assert_eq!(results.iter().filter(|r| **r == Reservation::Reserved).count(), 1, "{results:?}");
    }
}
