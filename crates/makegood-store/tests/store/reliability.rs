//! Promise reliability per member and per account, against a hand-counted fixture.

use makegood_domain::{PromiseRecord, Rate};
use makegood_store::{NewAccount, NewPromise, PageRequest, Reliability, ReliabilityBy, Store};

use crate::common::*;

/// The records as (name, kept, renegotiated, broken, released, open).
fn table(rows: &[Reliability]) -> Vec<(&str, [u64; 5])> {
    rows.iter()
        .map(|r| {
            let PromiseRecord {
                kept,
                renegotiated,
                broken,
                released,
                open,
            } = r.record;
            (
                r.name.as_str(),
                [kept, renegotiated, broken, released, open],
            )
        })
        .collect()
}

store_test! {
    async fn reliability_counts_each_ending_per_member_and_per_account(store: Store) {
        let w = world(&store).await;
        let carol = store.create_contact(contact(w.acme.id, "Carol")).await.unwrap();
        let make = |by: &makegood_domain::Member, to: Vec<makegood_domain::ContactId>, due: i64| NewPromise {
            what: "Send the corrected invoices".into(),
            contacts: to,
            made_by: by.id,
            problem: None,
            due_at: now() + hours(due),
        };
        let a = actor(&w.agent, now());
        let later = actor(&w.agent, now() + hours(1));
        // Alex: kept; renegotiated (to Ann and Carol, both at Acme) into an open successor; broken by time.
        let p1 = store.create_promise(a, make(&w.agent, vec![w.ann.id], 10)).await.unwrap().promise.id;
        store.keep_promise(later, p1, None).await.unwrap();
        let p2 = store.create_promise(a, make(&w.agent, vec![w.ann.id, carol.id], 10)).await.unwrap().promise.id;
        store.renegotiate_promise(later, p2, None, now() + hours(20), "data late").await.unwrap();
        store.create_promise(a, make(&w.agent, vec![w.bob.id], 2)).await.unwrap();
        // Ada: released; open; broken and recorded so.
        let p4 = store.create_promise(a, make(&w.admin, vec![w.bob.id], 10)).await.unwrap().promise.id;
        store.release_promise(later, p4, None, "no longer needed").await.unwrap();
        store.create_promise(a, make(&w.admin, vec![w.ann.id], 30)).await.unwrap();
        store.create_promise(a, make(&w.admin, vec![w.bob.id], 3)).await.unwrap();
        assert_eq!(store.break_overdue_promises(now() + hours(4)).await.unwrap(), 2);
        // An account with no promises is not listed.
        store.create_account(NewAccount { name: "Initech".into(), parent: None, tier: None }).await.unwrap();

        let at = now() + hours(5);
        let members = store.promise_reliability(ReliabilityBy::Member, None, at).await.unwrap();
        assert_eq!(table(&members), vec![
            ("Ada Admin", [0, 0, 1, 1, 1]),
            ("Alex Agent", [1, 1, 1, 0, 1]),
        ]);
        assert_eq!(members[1].id, w.agent.id.0);
        assert_eq!(members[1].record.kept_rate(), Rate::from_basis_points(3_333));
        assert_eq!(members[0].record.broken_rate(), Rate::from_basis_points(10_000));

        let accounts = store.promise_reliability(ReliabilityBy::Account, None, at).await.unwrap();
        // Acme: the promise to Ann and Carol counts once, and so does its successor.
        assert_eq!(table(&accounts), vec![
            ("Acme", [1, 1, 0, 0, 2]),
            ("Globex", [0, 0, 2, 1, 0]),
        ]);
        assert_eq!(accounts[0].id, w.acme.id.0);

        // Only promises due since the given time: the successor (20 h) and Ada's open one (30 h).
        let recent = store.promise_reliability(ReliabilityBy::Account, Some(now() + hours(15)), at).await.unwrap();
        assert_eq!(table(&recent), vec![("Acme", [0, 0, 0, 0, 2])]);
        let recent = store.promise_reliability(ReliabilityBy::Member, Some(now() + hours(15)), at).await.unwrap();
        assert_eq!(table(&recent), vec![("Ada Admin", [0, 0, 0, 0, 1]), ("Alex Agent", [0, 0, 0, 0, 1])]);

        // Later still, the successor is past due too: broken, though nobody recorded it.
        let late = store.promise_reliability(ReliabilityBy::Member, None, now() + hours(21)).await.unwrap();
        assert_eq!(table(&late)[1], ("Alex Agent", [1, 1, 2, 0, 0]));
    }
}

store_test! {
    async fn the_account_directory_searches_names_and_counts_open_problems(store: Store) {
        let w = world(&store).await;
        for name in ["Acme Berlin", "50%_Off"] {
            store.create_account(NewAccount { name: name.into(), parent: Some(w.acme.id), tier: None }).await.unwrap();
        }
        let a = actor(&w.agent, now());
        store.create_problem(a, new_problem(&w, "Export stopped")).await.unwrap();
        store.create_problem(a, new_problem(&w, "Invoice wrong")).await.unwrap();
        let names = |p: &makegood_store::Page<makegood_store::AccountEntry>| {
            p.items.iter().map(|e| (e.account.name.clone(), e.open_problems)).collect::<Vec<_>>()
        };
        let all = store.search_accounts(None, &PageRequest::default()).await.unwrap();
        assert_eq!(names(&all), vec![
            ("50%_Off".to_owned(), 0),
            ("Acme".to_owned(), 2),
            ("Acme Berlin".to_owned(), 0),
            ("Globex".to_owned(), 0),
        ]);
        let acme = store.search_accounts(Some(" aCmE "), &PageRequest::default()).await.unwrap();
        assert_eq!(names(&acme), vec![("Acme".to_owned(), 2), ("Acme Berlin".to_owned(), 0)]);
        // Wildcards are taken literally.
        let literal = store.search_accounts(Some("%_"), &PageRequest::default()).await.unwrap();
        assert_eq!(names(&literal), vec![("50%_Off".to_owned(), 0)]);
        // Keyset pages.
        let first = store.search_accounts(Some("acme"), &PageRequest { cursor: None, limit: Some(1) }).await.unwrap();
        assert_eq!(names(&first), vec![("Acme".to_owned(), 2)]);
        let second = store.search_accounts(Some("acme"), &PageRequest { cursor: first.next_cursor, limit: Some(1) }).await.unwrap();
        assert_eq!(names(&second), vec![("Acme Berlin".to_owned(), 0)]);
        assert_eq!(second.next_cursor, None);
    }
}
