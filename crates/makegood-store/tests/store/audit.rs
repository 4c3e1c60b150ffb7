//! The audit trail and the sign-in throttle.

use makegood_domain::{MemberId, Role};
use makegood_store::audit::throttle::{FORGET_AFTER, MAX_LOCK};
use makegood_store::{
    AuditFilter, AuditKind, MemberPatch, NewAuditEvent, PageRequest, Store, StoreError,
};
use serde_json::json;

use crate::common::*;

/// The kinds of the events `filter` lists, newest first.
async fn kinds(store: &Store, filter: &AuditFilter) -> Vec<AuditKind> {
    let page = store
        .list_audit(
            filter,
            &PageRequest {
                cursor: None,
                limit: Some(200),
            },
        )
        .await
        .unwrap();
    page.items.into_iter().map(|e| e.kind).collect()
}

store_test! {
    async fn the_trail_lists_newest_first_with_filters_and_cursors(store: Store) {
        let w = world(&store).await;
        for i in 0..5 {
            let event = NewAuditEvent::new(AuditKind::SignIn, "alex@makegood.example")
                .by(w.agent.id)
                .about(w.agent.id)
                .from_ip(Some("192.0.2.7".into()));
            store.record_audit(event, now() + minutes(i)).await.unwrap();
        }
        let failed = NewAuditEvent::new(AuditKind::SignInFailed, "nobody@x.example")
            .detail(json!({ "locked_until": null }));
        store.record_audit(failed, now() + minutes(10)).await.unwrap();
        let role = NewAuditEvent::new(AuditKind::RoleChanged, "vic@makegood.example")
            .by(w.admin.id)
            .about(w.viewer.id);
        store.record_audit(role, now() + minutes(10)).await.unwrap();

        let all = store.list_audit(&AuditFilter::default(), &PageRequest::default()).await.unwrap();
        assert_eq!(all.items.len(), 7);
        assert_eq!(all.items[0].kind, AuditKind::RoleChanged, "same time: the later id first");
        assert_eq!(all.items[1].kind, AuditKind::SignInFailed);
        assert_eq!(all.items[1].actor, None);
        assert_eq!(all.items[2].at, now() + minutes(4));
        assert_eq!(all.items[2].client_ip.as_deref(), Some("192.0.2.7"));
        assert_eq!(all.items[1].detail, json!({ "locked_until": null }));

        // Pages of two cover every event once, in order.
        let mut seen = Vec::new();
        let mut cursor = None;
        loop {
            let page = store
                .list_audit(&AuditFilter::default(), &PageRequest { cursor, limit: Some(2) })
                .await
                .unwrap();
            seen.extend(page.items.iter().map(|e| e.id));
            match page.next_cursor {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        assert_eq!(seen, all.items.iter().map(|e| e.id).collect::<Vec<_>>());

        let only_failed = AuditFilter { kind: Some(AuditKind::SignInFailed), member: None };
        assert_eq!(kinds(&store, &only_failed).await, [AuditKind::SignInFailed]);
        // By or about: the admin did the role change, the viewer was its subject.
        for m in [w.admin.id, w.viewer.id] {
            let about = AuditFilter { kind: None, member: Some(m) };
            assert_eq!(kinds(&store, &about).await, [AuditKind::RoleChanged]);
        }
        let agent = AuditFilter { kind: Some(AuditKind::SignIn), member: Some(w.agent.id) };
        assert_eq!(kinds(&store, &agent).await.len(), 5);
        invalid(
            store.list_audit(&AuditFilter::default(), &PageRequest { cursor: Some("zz".into()), limit: None }).await,
            "cursor",
        );
    }
}

store_test! {
    async fn five_failures_lock_an_email_for_a_doubling_delay(store: Store) {
        let key = "email:alex@makegood.example";
        let mut t = now();
        for _ in 0..4 {
            assert_eq!(store.sign_in_failed(key, t).await.unwrap(), None);
            t += minutes(1);
        }
        assert_eq!(store.sign_in_locked(key, t).await.unwrap(), None, "four failures lock nothing");
        let until = store.sign_in_failed(key, t).await.unwrap().expect("the fifth locks");
        assert_eq!(until, t + minutes(1));
        assert_eq!(store.sign_in_locked(key, until - jiff::SignedDuration::from_secs(1)).await.unwrap(), Some(until));
        assert_eq!(store.sign_in_locked(key, until).await.unwrap(), None, "the lock ends");
        assert_eq!(store.sign_in_locked("email:other@x.example", t).await.unwrap(), None, "other keys are free");

        // Each further failure doubles the lock, up to the cap.
        let mut expected = 2;
        let mut t = until;
        for _ in 0..5 {
            let until = store.sign_in_failed(key, t).await.unwrap().unwrap();
            assert_eq!(until, t + minutes(expected.min(15)));
            t = until;
            expected *= 2;
        }
        assert_eq!(store.sign_in_failed(key, t).await.unwrap(), Some(t + MAX_LOCK));

        // Quiet for long enough after the lock ends, the failures are forgotten.
        let later = t + MAX_LOCK + FORGET_AFTER;
        assert_eq!(store.sign_in_failed(key, later).await.unwrap(), None, "counting starts again");

        // A success forgets them at once: without it, the next failure would be the fifth.
        for i in 1..=3 {
            assert_eq!(store.sign_in_failed(key, later + minutes(i)).await.unwrap(), None);
        }
        store.sign_in_succeeded(key).await.unwrap();
        assert_eq!(store.sign_in_failed(key, later + minutes(5)).await.unwrap(), None);
    }
}

store_test! {
    async fn member_changes_are_recorded_with_the_change(store: Store) {
        let w = world(&store).await;
        let by = actor(&w.admin, now());
        let expires = now() + hours(12);
        store.create_session(w.agent.id, "agent-s", "csrf", expires).await.unwrap();

        let patch = MemberPatch { role: Some(Role::Supervisor), remedy_authority: Some(eur(5)), ..Default::default() };
        store.update_member_as(by, Some("198.51.100.4".into()), w.agent.id, patch).await.unwrap();
        let events = store.list_audit(&AuditFilter::default(), &PageRequest::default()).await.unwrap().items;
        let recorded: Vec<_> = events.iter().map(|e| e.kind).collect();
        assert_eq!(recorded, [AuditKind::AuthorityChanged, AuditKind::RoleChanged]);
        assert_eq!(events[1].detail, json!({ "from": "agent", "to": "supervisor" }));
        assert_eq!(events[1].actor, Some(w.admin.id));
        assert_eq!(events[1].member, Some(w.agent.id));
        assert_eq!(events[1].client_ip.as_deref(), Some("198.51.100.4"));
        assert!(store.session("agent-s", now()).await.unwrap().is_some(), "a role change keeps sessions");

        // A patch that changes nothing the trail cares about records nothing.
        let rename = MemberPatch { name: Some("Alexandra".into()), ..Default::default() };
        store.update_member_as(by, None, w.agent.id, rename).await.unwrap();
        assert_eq!(store.list_audit(&AuditFilter::default(), &PageRequest::default()).await.unwrap().items.len(), 2);

        let off = MemberPatch { active: Some(false), ..Default::default() };
        store.update_member_as(by, None, w.agent.id, off).await.unwrap();
        // Reactivating does not bring the old session back: it was ended, not hidden.
        let on = MemberPatch { active: Some(true), ..Default::default() };
        store.update_member_as(by, None, w.agent.id, on).await.unwrap();
        assert!(store.session("agent-s", now()).await.unwrap().is_none(), "deactivating ended the session");
        let only = |kind| AuditFilter { kind: Some(kind), member: Some(w.agent.id) };
        assert_eq!(kinds(&store, &only(AuditKind::MemberDeactivated)).await.len(), 1);
        assert_eq!(kinds(&store, &only(AuditKind::MemberReactivated)).await.len(), 1);

        // A refused change records nothing.
        let bad = MemberPatch { time_zone: Some("Nowhere".into()), role: Some(Role::Viewer), ..Default::default() };
        invalid(store.update_member_as(by, None, w.agent.id, bad).await, "time_zone");
        assert_eq!(kinds(&store, &only(AuditKind::RoleChanged)).await.len(), 1);
        assert!(matches!(
            store.update_member_as(by, None, MemberId(999), MemberPatch::default()).await,
            Err(StoreError::NotFound { .. })
        ));
    }
}

store_test! {
    async fn invitations_and_password_changes_are_recorded(store: Store) {
        let w = world(&store).await;
        let by = actor(&w.admin, now());
        let (member, _) = store
            .invite_member_as(by, None, new_member("Ivy", "ivy@makegood.example", Role::Agent), "inv-hash")
            .await
            .unwrap();
        store.accept_invitation("inv-hash", "$argon2id$ivy", now() + minutes(5)).await.unwrap();
        let about_ivy = AuditFilter { kind: None, member: Some(member.id) };
        assert_eq!(kinds(&store, &about_ivy).await, [AuditKind::MemberJoined, AuditKind::MemberInvited]);
        let taken = store
            .invite_member_as(by, None, new_member("Ivy 2", "ivy@makegood.example", Role::Agent), "inv-2")
            .await;
        assert!(conflict(taken).contains("already exists"));
        assert_eq!(kinds(&store, &AuditFilter { kind: Some(AuditKind::MemberInvited), member: None }).await.len(), 1);

        let expires = now() + hours(12);
        for s in ["here", "phone", "laptop"] {
            store.create_session(w.agent.id, s, "csrf", expires).await.unwrap();
        }
        store.create_session(w.admin.id, "admin-s", "csrf", expires).await.unwrap();
        store
            .change_password(actor(&w.agent, now()), None, w.agent.id, "$argon2id$new", Some("here"))
            .await
            .unwrap();
        assert!(store.session("here", now()).await.unwrap().is_some(), "the session it was changed in stays");
        for s in ["phone", "laptop"] {
            assert!(store.session(s, now()).await.unwrap().is_none(), "{s} ended");
        }
        assert!(store.session("admin-s", now()).await.unwrap().is_some(), "others' sessions stay");
        let changed = store
            .list_audit(&AuditFilter { kind: Some(AuditKind::PasswordChanged), member: None }, &PageRequest::default())
            .await
            .unwrap()
            .items;
        assert_eq!(changed.len(), 1);
        assert_eq!(changed[0].detail, json!({ "sessions_ended": 2 }));
    }
}

store_test! {
    async fn token_use_is_recorded_hourly_or_from_a_new_address(store: Store) {
        let w = world(&store).await;
        let token = store.create_api_token(w.agent.id, "laptop", "tok-hash", now()).await.unwrap();
        let ip = |s: &str| Some(s.to_owned());
        assert!(store.note_token_use("tok-hash", ip("192.0.2.1"), now()).await.unwrap());
        assert!(!store.note_token_use("tok-hash", ip("192.0.2.1"), now() + minutes(59)).await.unwrap());
        assert!(!store.note_token_use("tok-hash", None, now() + minutes(59)).await.unwrap());
        assert!(store.note_token_use("tok-hash", ip("192.0.2.99"), now() + minutes(59)).await.unwrap(), "a new address");
        assert!(store.note_token_use("tok-hash", ip("192.0.2.99"), now() + minutes(120)).await.unwrap(), "an hour on");
        assert!(!store.note_token_use("unknown", None, now()).await.unwrap());
        let used = store
            .list_audit(&AuditFilter { kind: Some(AuditKind::TokenUsed), member: Some(w.agent.id) }, &PageRequest::default())
            .await
            .unwrap()
            .items;
        assert_eq!(used.len(), 3);
        assert_eq!(used[0].subject, format!("token {}", token.id));
        assert_eq!(used[0].detail, json!({ "token": token.id, "name": "laptop" }));
    }
}
