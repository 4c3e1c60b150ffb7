//! Members, sessions and API tokens.

use makegood_domain::{Email, Role, TokenScope};
use makegood_store::{MemberPatch, PageRequest, Store, StoreError};

use crate::common::*;

store_test! {
    async fn members_are_created_read_listed_and_edited(store: Store) {
        let w = world(&store).await;
        assert_eq!(store.member(w.agent.id).await.unwrap(), w.agent);
        assert_eq!(w.agent.remedy_authority, eur(100_000));
        assert!(w.agent.active);

        let taken = conflict(store.create_member(new_member("Al", "alex@makegood.example", Role::Agent), now()).await);
        assert!(taken.contains("alex@makegood.example already exists"), "{taken}");
        invalid(store.create_member(new_member(&"x".repeat(121), "x@x.example", Role::Agent), now()).await, "name");
        let mut bad_zone = new_member("Zed", "zed@x.example", Role::Agent);
        bad_zone.time_zone = "Mars/Olympus".into();
        invalid(store.create_member(bad_zone, now()).await, "time_zone");

        let patch = MemberPatch {
            name: Some("Alexandra Agent".into()),
            role: Some(Role::Supervisor),
            remedy_authority: Some(eur(250_000)),
            time_zone: Some("America/New_York".into()),
            ..Default::default()
        };
        let edited = store.update_member(w.agent.id, patch).await.unwrap();
        assert_eq!(edited.name, "Alexandra Agent");
        assert_eq!(edited.role, Role::Supervisor);
        assert_eq!(edited.remedy_authority, eur(250_000));
        assert_eq!(store.member(w.agent.id).await.unwrap(), edited);
        let clash = MemberPatch { email: Some(Email::parse("ada@makegood.example").unwrap()), ..Default::default() };
        assert!(conflict(store.update_member(w.agent.id, clash).await).contains("ada@makegood.example"));
        invalid(store.update_member(w.agent.id, MemberPatch { time_zone: Some("Nowhere".into()), ..Default::default() }).await, "time_zone");
        assert!(matches!(store.member(makegood_domain::MemberId(999)).await, Err(StoreError::NotFound { .. })));

        let names: Vec<String> =
            store.list_members(&PageRequest::default()).await.unwrap().items.into_iter().map(|m| m.name).collect();
        assert_eq!(names, ["Ada Admin", "Alexandra Agent", "Vic Viewer"]);
    }
}

store_test! {
    async fn credentials_and_password_hashes(store: Store) {
        let w = world(&store).await;
        let email = Email::parse("alex@makegood.example").unwrap();
        let (member, hash) = store.member_credentials(&email).await.unwrap().unwrap();
        assert_eq!(member, w.agent);
        assert_eq!(hash.as_deref(), Some("$argon2id$fake"));
        store.set_password_hash(w.agent.id, "$argon2id$new").await.unwrap();
        let (_, hash) = store.member_credentials(&email).await.unwrap().unwrap();
        assert_eq!(hash.as_deref(), Some("$argon2id$new"));
        assert!(store.member_credentials(&Email::parse("nobody@x.example").unwrap()).await.unwrap().is_none());
        assert!(matches!(
            store.set_password_hash(makegood_domain::MemberId(999), "x").await,
            Err(StoreError::NotFound { .. })
        ));
    }
}

store_test! {
    async fn sessions_expire_and_can_be_deleted(store: Store) {
        let w = world(&store).await;
        let expires = now() + hours(12);
        store.create_session(w.agent.id, "s1", "csrf1", expires).await.unwrap();
        let (member, csrf) = store.session("s1", now()).await.unwrap().unwrap();
        assert_eq!((member.id, csrf.as_str()), (w.agent.id, "csrf1"));
        assert!(store.session("s1", expires - minutes(1)).await.unwrap().is_some());
        assert!(store.session("s1", expires).await.unwrap().is_none(), "expired at its expiry time");
        assert!(store.session("nope", now()).await.unwrap().is_none());
        store.delete_session("s1").await.unwrap();
        assert!(store.session("s1", now()).await.unwrap().is_none());

        store.create_session(w.agent.id, "s2", "csrf2", expires).await.unwrap();
        store.update_member(w.agent.id, MemberPatch { active: Some(false), ..Default::default() }).await.unwrap();
        assert!(store.session("s2", now()).await.unwrap().is_none(), "a deactivated member's session ends");
    }
}

store_test! {
    async fn api_tokens_are_listed_used_and_revoked(store: Store) {
        let w = world(&store).await;
        let first = store.create_api_token(w.agent.id, "laptop", "hash-1", now()).await.unwrap();
        let second = store.create_api_token(w.agent.id, "ci", "hash-2", now() + minutes(1)).await.unwrap();
        store.create_api_token(w.admin.id, "admin", "hash-3", now()).await.unwrap();
        assert_eq!(first.last_used_at, None);
        let mine: Vec<i64> = store.list_api_tokens(Some(w.agent.id)).await.unwrap().iter().map(|t| t.id).collect();
        assert_eq!(mine, [second.id, first.id], "newest first");
        assert_eq!(store.list_api_tokens(None).await.unwrap().len(), 3);

        let used = now() + hours(1);
        assert_eq!(store.token_member("hash-1", used).await.unwrap().unwrap().0.id, w.agent.id);
        assert_eq!(store.api_token(first.id).await.unwrap().last_used_at, Some(used));
        // Kept to the minute: a token in steady use is not written on every request.
        store.token_member("hash-1", used + jiff::SignedDuration::from_secs(59)).await.unwrap().unwrap();
        assert_eq!(store.api_token(first.id).await.unwrap().last_used_at, Some(used));
        store.token_member("hash-1", used + minutes(1)).await.unwrap().unwrap();
        assert_eq!(store.api_token(first.id).await.unwrap().last_used_at, Some(used + minutes(1)));
        assert!(store.token_member("unknown", used).await.unwrap().is_none());

        store.revoke_api_token(first.id).await.unwrap();
        assert!(store.token_member("hash-1", used).await.unwrap().is_none());
        assert!(matches!(store.api_token(first.id).await, Err(StoreError::NotFound { .. })));
        assert!(matches!(store.revoke_api_token(first.id).await, Err(StoreError::NotFound { .. })));
        assert_eq!(store.list_api_tokens(Some(w.agent.id)).await.unwrap().len(), 1);
        conflict(store.create_api_token(w.agent.id, "dup", "hash-2", now()).await);
    }
}

store_test! {
    async fn an_api_token_keeps_its_scope(store: Store) {
        let w = world(&store).await;
        let plain = store.create_api_token(w.agent.id, "laptop", "hash-w", now()).await.unwrap();
        assert_eq!(plain.scope, TokenScope::Write, "a token made without a scope may change things");
        let read = store
            .create_scoped_api_token(w.agent.id, "dashboard", TokenScope::Read, "hash-r", now())
            .await
            .unwrap();
        assert_eq!(read.scope, TokenScope::Read);
        assert_eq!(store.api_token(read.id).await.unwrap().scope, TokenScope::Read);
        let (member, scope) = store.token_member("hash-r", now()).await.unwrap().unwrap();
        assert_eq!((member.id, scope), (w.agent.id, TokenScope::Read));
        assert_eq!(store.token_member("hash-w", now()).await.unwrap().unwrap().1, TokenScope::Write);
        let listed: Vec<(i64, TokenScope)> =
            store.list_api_tokens(Some(w.agent.id)).await.unwrap().iter().map(|t| (t.id, t.scope)).collect();
        assert!(listed.contains(&(read.id, TokenScope::Read)) && listed.contains(&(plain.id, TokenScope::Write)));
    }
}
