//! A webhook endpoint's delivery details as the notifier reads them.

use makegood_store::testing::insert_webhook_for_test;
use makegood_store::{Store, WebhookKind};

use crate::common::*;

store_test! {
    async fn a_webhook_target_reads_back_and_is_none_once_missing(store: Store) {
        let json = insert_webhook_for_test(&store, "https://hooks.example.com/a", WebhookKind::Json, "s1", false).await;
        let chat = insert_webhook_for_test(&store, "http://10.0.0.5/chat", WebhookKind::Chat, "s2", true).await;
        assert_eq!(
            store.webhook_target(json).await.unwrap(),
            Some(("https://hooks.example.com/a".into(), WebhookKind::Json, "s1".into(), false, true))
        );
        assert_eq!(
            store.webhook_target(chat).await.unwrap(),
            Some(("http://10.0.0.5/chat".into(), WebhookKind::Chat, "s2".into(), true, true))
        );
        assert_eq!(store.webhook_target(chat + 100).await.unwrap(), None);
    }
}
