//! Responses remembered per `Idempotency-Key`.

use makegood_store::{Store, StoredResponse};

use crate::common::*;

fn response(body: &str) -> StoredResponse {
    StoredResponse {
        request_hash: format!("hash of {body}"),
        status: 201,
        body: body.into(),
    }
}

store_test! {
    async fn the_first_response_for_a_key_is_remembered(store: Store) {
        let w = world(&store).await;
        assert_eq!(store.idempotent_response(w.agent.id, "k1").await.unwrap(), None);
        store.save_idempotent_response(w.agent.id, "k1", &response("first"), now()).await.unwrap();
        store.save_idempotent_response(w.agent.id, "k1", &response("second"), now()).await.unwrap();
        assert_eq!(store.idempotent_response(w.agent.id, "k1").await.unwrap(), Some(response("first")));
        assert_eq!(store.idempotent_response(w.admin.id, "k1").await.unwrap(), None, "keys are per member");
        invalid(store.save_idempotent_response(w.agent.id, "", &response("x"), now()).await, "idempotency_key");
    }
}

store_test! {
    async fn of_concurrent_duplicates_the_first_is_kept(store: Store) {
        let w = world(&store).await;
        let (first, second) = (response("a"), response("b"));
        let (a, b) = tokio::join!(
            store.save_idempotent_response(w.agent.id, "k2", &first, now()),
            store.save_idempotent_response(w.agent.id, "k2", &second, now()),
        );
        a.unwrap();
        b.unwrap();
        let kept = store.idempotent_response(w.agent.id, "k2").await.unwrap().unwrap();
        assert!(kept == response("a") || kept == response("b"));
        assert_eq!(kept.status, 201);
    }
}
