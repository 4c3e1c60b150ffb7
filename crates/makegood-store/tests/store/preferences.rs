//! Member preferences and calendar feeds.

use makegood_domain::{MemberId, OpenHours, Preferences, Role, WeeklyHours};
use makegood_store::{MemberPatch, Store, StoreError};

use crate::common::*;

store_test! {
    async fn members_start_with_default_preferences_they_can_change(store: Store) {
        let w = world(&store).await;
        assert_eq!(store.preferences(w.admin.id).await.unwrap(), Preferences::default());
        assert_eq!(store.preferences(w.agent.id).await.unwrap(), Preferences::default());
        let mine = Preferences {
            email_alerts: false,
            working_hours: WeeklyHours { saturday: WeeklyHours::office().monday, ..WeeklyHours::default() },
            daily_digest: false,
        };
        assert_eq!(store.set_preferences(w.agent.id, mine.clone()).await.unwrap(), mine);
        assert_eq!(store.preferences(w.agent.id).await.unwrap(), mine);
        assert_eq!(store.preferences(w.admin.id).await.unwrap(), Preferences::default());

        let mut bad = Preferences::default();
        bad.working_hours.monday = vec![OpenHours { open: "09:00".into(), close: "8pm".into() }];
        invalid(store.set_preferences(w.agent.id, bad).await, "working_hours.monday[0].close");
        let never = Preferences { working_hours: WeeklyHours::default(), ..Preferences::default() };
        invalid(store.set_preferences(w.agent.id, never).await, "working_hours");
        assert_eq!(store.preferences(w.agent.id).await.unwrap(), mine);
        assert!(matches!(store.preferences(MemberId(999)).await, Err(StoreError::NotFound { .. })));
        assert!(matches!(store.set_preferences(MemberId(999), Preferences::default()).await, Err(StoreError::NotFound { .. })));
    }
}

store_test! {
    async fn a_feed_token_finds_its_active_member_until_replaced_or_revoked(store: Store) {
        let w = world(&store).await;
        assert!(store.feed_member("h1").await.unwrap().is_none());
        store.set_feed_token(w.agent.id, "h1", now()).await.unwrap();
        assert_eq!(store.feed_member("h1").await.unwrap(), Some(w.agent.clone()));
        store.set_feed_token(w.agent.id, "h2", now()).await.unwrap();
        assert!(store.feed_member("h1").await.unwrap().is_none(), "a new URL replaces the old");
        assert_eq!(store.feed_member("h2").await.unwrap().map(|m| m.id), Some(w.agent.id));
        store.set_feed_token(w.viewer.id, "h3", now()).await.unwrap();
        assert_eq!(store.feed_member("h3").await.unwrap().map(|m| m.role), Some(Role::Viewer));

        assert!(store.revoke_feed_token(w.agent.id).await.unwrap());
        assert!(!store.revoke_feed_token(w.agent.id).await.unwrap());
        assert!(store.feed_member("h2").await.unwrap().is_none());

        store.update_member(w.viewer.id, MemberPatch { active: Some(false), ..Default::default() }).await.unwrap();
        assert!(store.feed_member("h3").await.unwrap().is_none(), "deactivated members have no feed");
        assert!(matches!(store.set_feed_token(MemberId(999), "h4", now()).await, Err(StoreError::NotFound { .. })));
    }
}
