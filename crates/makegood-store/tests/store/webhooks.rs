//! Webhook endpoints: validation, the SSRF guard, secrets.

use makegood_store::{NewWebhook, Store, StoreError, WebhookKind, WebhookPatch};

use crate::common::*;

fn hook(url: &str) -> NewWebhook {
    NewWebhook {
        name: "Ops receiver".into(),
        url: url.into(),
        kind: WebhookKind::Json,
        events: vec!["update".into(), "clock_breached".into()],
        allow_private: false,
    }
}

store_test! {
    async fn webhooks_are_created_read_listed_edited_rotated_and_deleted(store: Store) {
        let created = store.create_webhook(hook("https://hooks.example.com/in"), "s1", now()).await.unwrap();
        assert_eq!(created.secret, "s1");
        assert_eq!(created.events, ["update", "clock_breached"]);
        assert!(created.active && !created.allow_private);
        assert_eq!(created.created_at, now());
        assert_eq!(store.webhook(created.id).await.unwrap(), created);
        let chat = NewWebhook { name: "Chat".into(), kind: WebhookKind::Chat, events: vec![], ..hook("https://chat.example.com/x") };
        let chat = store.create_webhook(chat, "s2", now()).await.unwrap();
        let names: Vec<String> = store.list_webhooks().await.unwrap().into_iter().map(|w| w.name).collect();
        assert_eq!(names, ["Chat", "Ops receiver"]);

        let patch = WebhookPatch { name: Some("Ops".into()), events: Some(vec![]), active: Some(false), ..Default::default() };
        let edited = store.update_webhook(created.id, patch).await.unwrap();
        assert_eq!((edited.name.as_str(), edited.events.len(), edited.active), ("Ops", 0, false));
        assert_eq!(edited.url, created.url);
        let rotated = store.rotate_webhook_secret(created.id, "s3").await.unwrap();
        assert_eq!(rotated.secret, "s3");
        assert_eq!(store.webhook(created.id).await.unwrap().secret, "s3");

        store.delete_webhook(chat.id).await.unwrap();
        assert!(matches!(store.webhook(chat.id).await, Err(StoreError::NotFound { .. })));
        assert!(matches!(store.delete_webhook(chat.id).await, Err(StoreError::NotFound { .. })));
        assert!(matches!(store.rotate_webhook_secret(chat.id, "x").await, Err(StoreError::NotFound { .. })));
    }
}

store_test! {
    async fn private_targets_need_an_explicit_allowance(store: Store) {
        for url in ["http://localhost:9000/hook", "http://127.0.0.1/", "http://10.1.2.3/", "http://[::1]:8080/", "http://169.254.169.254/"] {
            let message = invalid(store.create_webhook(hook(url), "s", now()).await, "url");
            assert!(message.contains("allow_private"), "{url}: {message}");
            let allowed = store.create_webhook(NewWebhook { allow_private: true, ..hook(url) }, "s", now()).await.unwrap();
            assert!(allowed.allow_private);
            // Taking the allowance away under a private URL is refused too.
            let off = WebhookPatch { allow_private: Some(false), ..Default::default() };
            invalid(store.update_webhook(allowed.id, off).await, "url");
        }
        let public = store.create_webhook(hook("https://hooks.example.com/"), "s", now()).await.unwrap();
        invalid(store.update_webhook(public.id, WebhookPatch { url: Some("http://192.168.1.5/".into()), ..Default::default() }).await, "url");
        for url in ["ftp://example.com/", "hooks.example.com", "https://"] {
            invalid(store.create_webhook(hook(url), "s", now()).await, "url");
        }
        invalid(store.create_webhook(NewWebhook { name: "x".repeat(101), ..hook("https://a.example/") }, "s", now()).await, "name");
        invalid(store.create_webhook(NewWebhook { name: " ".into(), ..hook("https://a.example/") }, "s", now()).await, "name");
        let bad_events = NewWebhook { events: vec!["update".into(), "nonsense".into()], ..hook("https://a.example/") };
        invalid(store.create_webhook(bad_events, "s", now()).await, "events[1]");
    }
}
