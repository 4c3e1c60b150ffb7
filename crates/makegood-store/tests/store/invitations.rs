//! Invitations: single-use, expiring links by which invited members set their password.

use makegood_domain::Role;
use makegood_store::{INVITATION_LIFETIME, InvitationLookup, Store, StoreError};

use crate::common::*;

store_test! {
    async fn an_invitation_creates_the_member_without_a_password_and_works_once(store: Store) {
        let (member, invitation) = store
            .invite_member(new_member("Ivy", "ivy@x.example", Role::Agent), "h1", now())
            .await
            .unwrap();
        assert_eq!(invitation.member, member.id);
        assert_eq!(invitation.expires_at, now().checked_add(INVITATION_LIFETIME).unwrap());
        let (_, hash) = store.member_credentials(&member.email).await.unwrap().unwrap();
        assert_eq!(hash, None, "the invitee sets the password");
        assert_eq!(store.invitation("h1", now()).await.unwrap(), InvitationLookup::Valid(member.clone()));
        assert_eq!(store.invitation("nope", now()).await.unwrap(), InvitationLookup::Unknown);

        let accepted = store.accept_invitation("h1", "$argon2id$new", now()).await.unwrap();
        assert_eq!(accepted.id, member.id);
        let (_, hash) = store.member_credentials(&member.email).await.unwrap().unwrap();
        assert_eq!(hash.as_deref(), Some("$argon2id$new"));
        assert_eq!(store.invitation("h1", now()).await.unwrap(), InvitationLookup::Used);
        let again = store.accept_invitation("h1", "$argon2id$other", now()).await;
        assert!(matches!(&again, Err(StoreError::Conflict(m)) if m.contains("already used")), "{again:?}");
        let unknown = store.accept_invitation("nope", "$argon2id$other", now()).await;
        assert!(matches!(&unknown, Err(StoreError::Conflict(m)) if m.contains("not valid")), "{unknown:?}");
    }
}

store_test! {
    async fn an_invitation_expires_after_seven_days_and_a_new_one_replaces_it(store: Store) {
        let (member, _) = store
            .invite_member(new_member("Ivy", "ivy@x.example", Role::Viewer), "h1", now())
            .await
            .unwrap();
        let later = now().checked_add(INVITATION_LIFETIME).unwrap();
        assert_eq!(store.invitation("h1", later).await.unwrap(), InvitationLookup::Expired);
        let late = store.accept_invitation("h1", "$argon2id$x", later).await;
        assert!(matches!(&late, Err(StoreError::Conflict(m)) if m.contains("expired")), "{late:?}");

        store.reinvite_member(member.id, "h2", now()).await.unwrap();
        store.reinvite_member(member.id, "h3", now()).await.unwrap();
        assert_eq!(store.invitation("h2", now()).await.unwrap(), InvitationLookup::Expired, "replaced");
        assert!(matches!(store.invitation("h3", now()).await.unwrap(), InvitationLookup::Valid(_)));

        let patch = makegood_store::MemberPatch { active: Some(false), ..Default::default() };
        store.update_member(member.id, patch).await.unwrap();
        assert_eq!(store.invitation("h3", now()).await.unwrap(), InvitationLookup::Unknown);
        assert!(matches!(store.reinvite_member(member.id, "h4", now()).await, Err(StoreError::Conflict(_))));
    }
}

store_test! {
    async fn inviting_a_taken_email_creates_nothing(store: Store) {
        store.create_member(new_member("Ann", "ann@x.example", Role::Agent), now()).await.unwrap();
        let taken = store
            .invite_member(new_member("Ann Two", "ann@x.example", Role::Agent), "h1", now())
            .await;
        assert!(matches!(taken, Err(StoreError::Conflict(_))));
        assert_eq!(store.invitation("h1", now()).await.unwrap(), InvitationLookup::Unknown);
    }
}

store_test! {
    async fn the_organisation_can_be_renamed_once_set_up(store: Store) {
        assert!(matches!(store.rename_organisation("Early").await, Err(StoreError::NotFound { .. })));
        store.initialise("Old Name", new_member("Ada", "ada@x.example", Role::Admin), now()).await.unwrap();
        assert_eq!(store.rename_organisation("  New Name ").await.unwrap().name, "New Name");
        assert_eq!(store.organisation().await.unwrap().unwrap().name, "New Name");
        assert!(matches!(store.rename_organisation(" ").await, Err(StoreError::Invalid { .. })));
    }
}
