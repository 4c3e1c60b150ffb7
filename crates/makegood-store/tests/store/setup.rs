//! Migrations, setup, and the one-time setup token.

use makegood_domain::{Policies, Role};
use makegood_store::{Backend, Store, StoreError};

use crate::common::*;

store_test! {
    async fn migrations_are_idempotent_and_seed_the_default_policies(store: Store) {
        store.migrate().await.unwrap();
        store.migrate().await.unwrap();
        store.ping().await.unwrap();
        assert_eq!(store.policies().await.unwrap(), Policies::default());
        assert!(matches!(store.backend(), Backend::Sqlite | Backend::Postgres));
    }
}

store_test! {
    async fn initialise_creates_the_organisation_and_first_admin_once(store: Store) {
        assert_eq!(store.organisation().await.unwrap(), None);
        let admin = store
            .initialise("Makegood Ltd", new_member("Ada", "ada@makegood.example", Role::Agent), now())
            .await
            .unwrap();
        assert_eq!(admin.role, Role::Admin, "the first member is always an admin");
        assert_eq!(store.organisation().await.unwrap().unwrap().name, "Makegood Ltd");
        let again = store.initialise("Other", new_member("Eve", "eve@makegood.example", Role::Admin), now()).await;
        assert!(conflict(again).contains("already set up"));
        invalid(store.initialise(" ", new_member("Eve", "eve@x.example", Role::Admin), now()).await, "organisation");
    }
}

store_test! {
    async fn the_setup_token_is_single_use(store: Store) {
        assert!(!store.setup_token_valid("h1").await.unwrap());
        store.set_setup_token("h0", now()).await.unwrap();
        store.set_setup_token("h1", now()).await.unwrap();
        assert!(!store.setup_token_valid("h0").await.unwrap(), "a new token replaces the old one");
        assert!(store.setup_token_valid("h1").await.unwrap());
        conflict(store.initialise_with_token("wrong", "Org", new_member("Ada", "ada@x.example", Role::Admin), now()).await);
        let admin = store
            .initialise_with_token("h1", "Org", new_member("Ada", "ada@x.example", Role::Admin), now())
            .await
            .unwrap();
        assert_eq!(admin.role, Role::Admin);
        assert!(!store.setup_token_valid("h1").await.unwrap());
        conflict(store.initialise_with_token("h1", "Org", new_member("Eve", "eve@x.example", Role::Admin), now()).await);
    }
}

store_test! {
    async fn the_setup_token_is_not_valid_once_someone_is_set_up(store: Store) {
        store.set_setup_token("h1", now()).await.unwrap();
        store.initialise("Org", new_member("Ada", "ada@x.example", Role::Admin), now()).await.unwrap();
        assert!(!store.setup_token_valid("h1").await.unwrap());
        conflict(store.initialise_with_token("h1", "Org", new_member("Eve", "eve@x.example", Role::Admin), now()).await);
    }
}

store_test! {
    async fn of_two_concurrent_setups_with_the_token_exactly_one_wins(store: Store) {
        store.set_setup_token("h1", now()).await.unwrap();
        let (a, b) = tokio::join!(
            store.initialise_with_token("h1", "Org", new_member("Ada", "ada@x.example", Role::Admin), now()),
            store.initialise_with_token("h1", "Org", new_member("Eve", "eve@x.example", Role::Admin), now()),
        );
        assert_eq!(u8::from(a.is_ok()) + u8::from(b.is_ok()), 1, "{a:?} {b:?}");
        assert!(matches!(a.err().or(b.err()), Some(StoreError::Conflict(_))));
        assert_eq!(store.list_members(&Default::default()).await.unwrap().items.len(), 1);
    }
}

#[tokio::test]
async fn an_in_memory_sqlite_database_works_and_bad_urls_are_refused() {
    let store = Store::connect("sqlite::memory:").await.unwrap();
    store.migrate().await.unwrap();
    assert_eq!(store.backend(), Backend::Sqlite);
    store
        .initialise(
            "Org",
            new_member("Ada", "ada@x.example", Role::Admin),
            now(),
        )
        .await
        .unwrap();
    assert_eq!(
        store
            .list_members(&Default::default())
            .await
            .unwrap()
            .items
            .len(),
        1
    );
    assert!(matches!(
        Store::connect("mysql://localhost/x").await,
        Err(StoreError::Invalid { .. })
    ));
}
