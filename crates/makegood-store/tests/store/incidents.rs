//! Incidents across many accounts: a network and its locations, every contact told, the
//! fan-out's one email per address (threaded as before), each account's updates, and
//! promises to one account's stakeholders or all.

use makegood_domain::{AccountId, Email, EventKind, Notice, ProblemId};
use makegood_store::{
    LocationContact, NewAccount, NewAccountsPromise, NewContact, NewLocation, PageRequest,
    ProblemPatch, Store,
};

use crate::common::*;

/// A network with `n` locations, each with an emailed manager and a contact without email.
async fn network(store: &Store, n: usize) -> (AccountId, Vec<AccountId>) {
    let parent = store
        .create_account(NewAccount {
            name: "Franchise HQ".into(),
            parent: None,
            tier: None,
        })
        .await
        .unwrap()
        .id;
    let locations = (0..n)
        .map(|i| NewLocation {
            name: format!("Store {i:03}"),
            tier: None,
            contacts: vec![
                LocationContact {
                    name: format!("Manager {i}"),
                    role_title: "Store manager".into(),
                    email: Some(Email::parse(&format!("manager{i}@franchise.example")).unwrap()),
                    phone: None,
                },
                LocationContact {
                    name: format!("Clerk {i}"),
                    role_title: String::new(),
                    email: None,
                    phone: None,
                },
            ],
        })
        .collect();
    (
        parent,
        store.import_locations(parent, locations).await.unwrap(),
    )
}

/// The customer updates in the outbox: (recipient, body, first, previous).
async fn mails(
    store: &Store,
    id: ProblemId,
) -> Vec<(i64, String, String, Option<i64>, Option<i64>)> {
    let filter = makegood_store::DeliveryFilter {
        problem: Some(id),
        ..Default::default()
    };
    let mut all = Vec::new();
    let mut cursor = None;
    loop {
        let page = store
            .list_deliveries(
                &filter,
                &PageRequest {
                    cursor,
                    limit: Some(200),
                },
            )
            .await
            .unwrap();
        all.extend(page.items);
        cursor = page.next_cursor;
        if cursor.is_none() {
            break;
        }
    }
    all.reverse();
    all.into_iter()
        .filter_map(|d| match d.notice {
            Notice::CustomerUpdate {
                to,
                body,
                first,
                previous,
                problem,
                ..
            } if problem.id == id => Some((d.id, to.email.to_string(), body, first, previous)),
            _ => None,
        })
        .collect()
}

store_test! {
    async fn include_locations_affects_every_location_as_it_is_now(store: Store) {
        let w = world(&store).await;
        let (parent, locations) = network(&store, 5).await;
        // A location of a location is included too.
        let kiosk = store.create_account(NewAccount { name: "Kiosk".into(), parent: Some(locations[0]), tier: None }).await.unwrap().id;
        let new = makegood_store::NewProblem {
            accounts: vec![parent],
            stakeholders: vec![],
            include_locations: true,
            ..new_problem(&w, "Card terminals down")
        };
        let p = store.create_problem(actor(&w.agent, now()), new).await.unwrap().problem;
        let mut expected = vec![parent];
        expected.extend(&locations);
        expected.push(kiosk);
        assert_eq!(p.accounts, expected, "the network first, then its locations by name, then theirs");
        // A location opened later is not affected until the problem says so again.
        let late = store.create_account(NewAccount { name: "Store 999".into(), parent: Some(parent), tier: None }).await.unwrap().id;
        let p = store.problem(p.id, now()).await.unwrap().problem;
        assert!(!p.accounts.contains(&late));
        let patch = ProblemPatch { include_locations: true, ..ProblemPatch::default() };
        let p = store.update_problem(actor(&w.agent, now()), p.id, None, patch).await.unwrap().problem;
        assert_eq!(p.accounts.len(), expected.len() + 1);
        assert!(p.accounts.contains(&late));
        // Without the flag only the named accounts are affected.
        let plain = makegood_store::NewProblem { accounts: vec![parent], stakeholders: vec![], ..new_problem(&w, "One") };
        let p = store.create_problem(actor(&w.agent, now()), plain).await.unwrap().problem;
        assert_eq!(p.accounts, vec![parent]);
    }
}

store_test! {
    async fn every_stakeholder_with_an_address_gets_one_email_threaded_as_before(store: Store) {
        let w = world(&store).await;
        let (parent, locations) = network(&store, 40).await;
        let new = makegood_store::NewProblem {
            accounts: vec![parent],
            stakeholders: vec![],
            include_locations: true,
            all_stakeholders: true,
            ..new_problem(&w, "Card terminals down")
        };
        let a = actor(&w.agent, now());
        let p = store.create_problem(a, new).await.unwrap().problem;
        assert!(p.all_stakeholders);
        assert!(p.stakeholders.is_empty());
        let reach = store.problem_reach(p.id).await.unwrap();
        assert_eq!((reach.accounts, reach.stakeholders, reach.with_email), (41, 80, 40));

        store.record(a, p.id, None, EventKind::Update { body: "Terminals are down everywhere.".into() }).await.unwrap();
        let first = mails(&store, p.id).await;
        assert_eq!(first.len(), 40, "one per manager; clerks have no address");
        let mut to: Vec<&str> = first.iter().map(|m| m.1.as_str()).collect();
        to.sort_unstable();
        to.dedup();
        assert_eq!(to.len(), 40);
        assert!(first.iter().all(|m| m.3.is_none() && m.4.is_none()), "the first email starts each thread");

        // A contact added later at an affected location is told too; a second update
        // threads each recipient under their own first (and previous) email.
        let newcomer = Email::parse("deputy@franchise.example").unwrap();
        store.create_contact(NewContact { email: Some(newcomer), ..contact(locations[7], "Deputy") }).await.unwrap();
        store.record(a, p.id, None, EventKind::Update { body: "Back up at half the stores.".into() }).await.unwrap();
        let all = mails(&store, p.id).await;
        let second: Vec<_> = all.iter().filter(|m| m.2.starts_with("Back up")).collect();
        assert_eq!(second.len(), 41);
        for m in &second {
            match first.iter().find(|f| f.1 == m.1) {
                Some(earlier) => assert_eq!((m.3, m.4), (Some(earlier.0), Some(earlier.0)), "{}", m.1),
                None => assert_eq!((m.1.as_str(), m.3, m.4), ("deputy@franchise.example", None, None)),
            }
        }
        store.record(a, p.id, None, EventKind::Update { body: "All stores are back.".into() }).await.unwrap();
        let all = mails(&store, p.id).await;
        let manager = |body: &str| all.iter().find(|m| m.1 == "manager3@franchise.example" && m.2.starts_with(body)).unwrap().clone();
        let (one, two, three) = (manager("Terminals"), manager("Back up"), manager("All stores"));
        assert_eq!((three.3, three.4), (Some(one.0), Some(two.0)));
    }
}

store_test! {
    async fn stakeholders_are_listed_or_all_never_both(store: Store) {
        let w = world(&store).await;
        let both = makegood_store::NewProblem { all_stakeholders: true, ..new_problem(&w, "Both") };
        let message = invalid(store.create_problem(actor(&w.agent, now()), both).await, "stakeholders");
        assert!(message.contains("leave stakeholders empty"), "{message}");
        // Listing stakeholders turns "all" off; all_stakeholders turns it on again.
        let all = makegood_store::NewProblem { stakeholders: vec![], all_stakeholders: true, ..new_problem(&w, "All") };
        let a = actor(&w.agent, now());
        let p = store.create_problem(a, all).await.unwrap().problem;
        let listed = ProblemPatch { stakeholders: Some(vec![w.ann.id]), ..ProblemPatch::default() };
        let p = store.update_problem(a, p.id, None, listed).await.unwrap().problem;
        assert_eq!((p.all_stakeholders, p.stakeholders.clone()), (false, vec![w.ann.id]));
        let again = ProblemPatch { all_stakeholders: Some(true), ..ProblemPatch::default() };
        let p = store.update_problem(a, p.id, None, again).await.unwrap().problem;
        assert_eq!((p.all_stakeholders, p.stakeholders.len()), (true, 0));
        // Accounts added later bring their contacts with them.
        let patch = ProblemPatch { accounts: Some(vec![w.acme.id, w.globex.id]), ..ProblemPatch::default() };
        let p = store.update_problem(a, p.id, None, patch).await.unwrap().problem;
        assert_eq!(store.problem_reach(p.id).await.unwrap().stakeholders, 2);
    }
}

store_test! {
    async fn each_affected_account_sees_the_updates(store: Store) {
        let w = world(&store).await;
        let (parent, locations) = network(&store, 3).await;
        let new = makegood_store::NewProblem {
            accounts: vec![parent],
            stakeholders: vec![],
            include_locations: true,
            all_stakeholders: true,
            ..new_problem(&w, "Card terminals down")
        };
        let a = actor(&w.agent, now());
        let p = store.create_problem(a, new).await.unwrap().problem;
        store.record(a, p.id, None, EventKind::Note { body: "internal".into() }).await.unwrap();
        for body in ["Down.", "Half back.", "All back."] {
            store.record(a, p.id, None, EventKind::Update { body: body.into() }).await.unwrap();
        }
        let acme = store.create_problem(a, new_problem(&w, "Acme only")).await.unwrap().problem;
        store.record(a, acme.id, None, EventKind::Update { body: "Acme's own.".into() }).await.unwrap();

        for account in locations.iter().chain([&parent]) {
            let first = PageRequest { cursor: None, limit: Some(2) };
            let page = store.customer_updates_for_account(*account, &first).await.unwrap();
            let bodies: Vec<&str> = page.items.iter().map(|u| u.body.as_str()).collect();
            assert_eq!(bodies, ["All back.", "Half back."], "newest first, never a note");
            assert!(page.items.iter().all(|u| u.problem == p.id && u.title == "Card terminals down"));
            let rest = PageRequest { cursor: page.next_cursor, limit: Some(2) };
            let page = store.customer_updates_for_account(*account, &rest).await.unwrap();
            assert_eq!(page.items.iter().map(|u| u.body.as_str()).collect::<Vec<_>>(), ["Down."]);
            assert_eq!(page.next_cursor, None);
        }
        let theirs = store.customer_updates_for_account(w.acme.id, &PageRequest::default()).await.unwrap();
        assert_eq!(theirs.items.iter().map(|u| u.body.as_str()).collect::<Vec<_>>(), ["Acme's own."]);
        let latest = store.latest_customer_updates(&[p.id, acme.id]).await.unwrap();
        assert_eq!(latest[&p.id].body, "All back.");
        assert_eq!(latest[&acme.id].body, "Acme's own.");
    }
}

store_test! {
    async fn a_promise_to_one_accounts_stakeholders_or_to_all(store: Store) {
        let w = world(&store).await;
        let (parent, locations) = network(&store, 4).await;
        let new = makegood_store::NewProblem {
            accounts: vec![parent],
            stakeholders: vec![],
            include_locations: true,
            all_stakeholders: true,
            ..new_problem(&w, "Card terminals down")
        };
        let a = actor(&w.agent, now());
        let p = store.create_problem(a, new).await.unwrap().problem;
        let promise = |accounts: Option<Vec<AccountId>>| NewAccountsPromise {
            what: "Terminals back by noon".into(),
            problem: p.id,
            accounts,
            made_by: w.agent.id,
            due_at: now() + hours(3),
        };
        let one = store.create_accounts_promise(a, promise(Some(vec![locations[2]]))).await.unwrap();
        let mut at_two: Vec<_> = store.list_contacts(Some(locations[2]), &PageRequest::default()).await.unwrap().items.into_iter().map(|c| c.id).collect();
        at_two.sort_unstable();
        assert_eq!(one.promise.contacts, at_two, "every contact there, by id");
        assert_eq!(one.promise.problem, Some(p.id));
        let all = store.create_accounts_promise(a, promise(None)).await.unwrap();
        assert_eq!(all.promise.contacts.len(), 8, "both contacts at each of the four locations");

        let message = invalid(store.create_accounts_promise(a, promise(Some(vec![w.acme.id]))).await, "accounts");
        assert!(message.contains("is not affected by"), "{message}");
        invalid(store.create_accounts_promise(a, promise(Some(vec![]))).await, "accounts");
        // The network itself has no contacts of its own.
        let message = invalid(store.create_accounts_promise(a, promise(Some(vec![parent]))).await, "accounts");
        assert!(message.contains("no contact"), "{message}");
        let past = NewAccountsPromise { due_at: now() - hours(1), ..promise(None) };
        invalid(store.create_accounts_promise(a, past).await, "due_at");
        // The promise shows on each of its accounts' promise lists.
        let filter = makegood_store::PromiseFilter { account: Some(locations[2]), ..Default::default() };
        let listed = store.list_promises(&filter, &PageRequest::default(), now()).await.unwrap();
        assert_eq!(listed.items.len(), 2);
    }
}

store_test! {
    async fn a_fan_out_larger_than_one_batch_writes_one_row_per_address(store: Store) {
        let w = world(&store).await;
        let (parent, _) = network(&store, 3_200).await;
        let new = makegood_store::NewProblem {
            accounts: vec![parent],
            stakeholders: vec![],
            include_locations: true,
            all_stakeholders: true,
            ..new_problem(&w, "Payment provider outage")
        };
        let a = actor(&w.agent, now());
        let p = store.create_problem(a, new).await.unwrap().problem;
        assert_eq!(p.accounts.len(), 3_201);
        store.record(a, p.id, None, EventKind::Update { body: "Payments fail.".into() }).await.unwrap();
        store.record(a, p.id, None, EventKind::Update { body: "Payments work.".into() }).await.unwrap();
        let sent = mails(&store, p.id).await;
        assert_eq!(sent.len(), 6_400);
        let firsts: std::collections::HashMap<&str, i64> = sent.iter().filter(|m| m.2 == "Payments fail.").map(|m| (m.1.as_str(), m.0)).collect();
        assert_eq!(firsts.len(), 3_200);
        for m in sent.iter().filter(|m| m.2 == "Payments work.") {
            assert_eq!(m.3, Some(firsts[m.1.as_str()]));
        }
        let all = store.create_accounts_promise(a, NewAccountsPromise {
            what: "Refund the failed fees".into(),
            problem: p.id,
            accounts: None,
            made_by: w.agent.id,
            due_at: now() + hours(48),
        }).await.unwrap();
        assert_eq!(all.promise.contacts.len(), 6_400);
    }
}
