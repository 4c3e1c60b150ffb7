//! Accounts, contacts and vendors.

use makegood_domain::{Email, Origin};
use makegood_store::{
    AccountPatch, ContactPatch, NewAccount, NewVendor, PageRequest, Store, StoreError, VendorPatch,
};

use crate::common::*;

store_test! {
    async fn accounts_nest_and_refuse_deletion_while_used(store: Store) {
        let w = world(&store).await;
        let network = store.create_account(NewAccount { name: "Franchise".into(), parent: None, tier: None }).await.unwrap();
        let berlin = store.create_account(NewAccount { name: "Berlin".into(), parent: Some(network.id), tier: None }).await.unwrap();
        let munich = store.create_account(NewAccount { name: "Munich".into(), parent: Some(network.id), tier: None }).await.unwrap();
        assert_eq!(store.account(berlin.id).await.unwrap().parent, Some(network.id));
        let locations = store.list_accounts(Some(network.id), &PageRequest::default()).await.unwrap();
        assert_eq!(locations.items, [berlin.clone(), munich.clone()]);
        assert_eq!(store.list_accounts(None, &PageRequest::default()).await.unwrap().items.len(), 5);

        invalid(store.create_account(NewAccount { name: "".into(), parent: None, tier: None }).await, "name");
        invalid(
            store.create_account(NewAccount { name: "X".into(), parent: Some(makegood_domain::AccountId(999)), tier: None }).await,
            "parent",
        );
        let cycle = AccountPatch { parent: Some(Some(berlin.id)), ..Default::default() };
        invalid(store.update_account(network.id, cycle).await, "parent");
        let renamed = store
            .update_account(munich.id, AccountPatch { name: Some("München".into()), parent: Some(None), tier: Some(Some("gold".into())), owner: None })
            .await
            .unwrap();
        assert_eq!((renamed.name.as_str(), renamed.parent, renamed.tier.as_deref()), ("München", None, Some("gold")));

        assert!(conflict(store.delete_account(network.id).await).contains("locations"));
        assert!(conflict(store.delete_account(w.acme.id).await).contains("contacts"));
        store.delete_account(munich.id).await.unwrap();
        assert!(matches!(store.account(munich.id).await, Err(StoreError::NotFound { .. })));
        assert!(matches!(store.delete_account(munich.id).await, Err(StoreError::NotFound { .. })));

        // An account with a problem but no contacts is still in use.
        let mut problem = new_problem(&w, "Berlin till down");
        problem.accounts = vec![berlin.id];
        problem.stakeholders = vec![];
        store.create_problem(actor(&w.agent, now()), problem).await.unwrap();
        assert!(conflict(store.delete_account(berlin.id).await).contains("problems"));
    }
}

store_test! {
    async fn contacts_are_edited_and_kept_while_referred_to(store: Store) {
        let w = world(&store).await;
        assert_eq!(store.contact(w.ann.id).await.unwrap(), w.ann);
        invalid(store.create_contact(contact(makegood_domain::AccountId(999), "Nobody")).await, "account");
        invalid(store.create_contact(contact(w.acme.id, "")).await, "name");
        let carl = store.create_contact(contact(w.acme.id, "Carl")).await.unwrap();
        let patch = ContactPatch {
            name: Some("Carla".into()),
            role_title: Some("IT Director".into()),
            email: Some(Some(Email::parse("carla@acme.example").unwrap())),
            phone: Some(Some("+49 30 1234".into())),
        };
        let carla = store.update_contact(carl.id, patch).await.unwrap();
        assert_eq!(carla.role_title, "IT Director");
        assert_eq!(carla.email.as_ref().map(Email::as_str), Some("carla@acme.example"));
        let at_acme = store.list_contacts(Some(w.acme.id), &PageRequest::default()).await.unwrap().items;
        assert_eq!(at_acme, [w.ann.clone(), carla.clone()]);

        store.create_problem(actor(&w.agent, now()), new_problem(&w, "Export stopped")).await.unwrap();
        assert!(conflict(store.delete_contact(w.ann.id).await).contains("cannot be deleted"));
        store.delete_contact(carla.id).await.unwrap();
        assert!(matches!(store.contact(carla.id).await, Err(StoreError::NotFound { .. })));
    }
}

store_test! {
    async fn vendors_are_edited_and_kept_while_part_of_a_problem(store: Store) {
        let w = world(&store).await;
        let other = store.create_vendor(NewVendor { name: "Carrier".into(), email: None }).await.unwrap();
        invalid(store.create_vendor(NewVendor { name: " ".into(), email: None }).await, "name");
        let patch = VendorPatch { name: Some("Carrier GmbH".into()), email: Some(Some(Email::parse("ops@carrier.example").unwrap())) };
        assert_eq!(store.update_vendor(other.id, patch).await.unwrap().name, "Carrier GmbH");
        let names: Vec<String> =
            store.list_vendors(&PageRequest::default()).await.unwrap().items.into_iter().map(|v| v.name).collect();
        assert_eq!(names, ["Carrier GmbH", "HostCo"]);

        let mut problem = new_problem(&w, "Server upgrade broke the app");
        problem.origin = Origin::Vendor;
        problem.vendor = Some(w.vendor.id);
        store.create_problem(actor(&w.agent, now()), problem).await.unwrap();
        conflict(store.delete_vendor(w.vendor.id).await);
        store.delete_vendor(other.id).await.unwrap();
        assert!(matches!(store.vendor(other.id).await, Err(StoreError::NotFound { .. })));
    }
}
