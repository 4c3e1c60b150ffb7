//! The customer portal: sign-in links work once, expire and can be revoked; a contact sees
//! only their account's problems, only customer-visible entries, and the promises made to it.

use makegood_domain::{ContactId, Email, EventKind, Notice, PromiseStatus, Sentiment, Status};
use makegood_store::portal::{LINK_LIFETIME, LinkRefusal, PortalEntry};
use makegood_store::{ContactPatch, DeliveryFilter, PageRequest, Store, StoreError};

use crate::common::*;

async fn with_email(store: &Store, contact: ContactId, email: &str) {
    store
        .update_contact(
            contact,
            ContactPatch {
                email: Some(Some(Email::parse(email).unwrap())),
                ..ContactPatch::default()
            },
        )
        .await
        .unwrap();
}

#[track_caller]
fn not_found<T: std::fmt::Debug>(result: Result<T, StoreError>) {
    assert!(
        matches!(result, Err(StoreError::NotFound { what: "problem" })),
        "expected NotFound, got {result:?}"
    );
}

store_test! {
    async fn a_link_signs_in_once_and_lands_on_its_problem(store: Store) {
        let w = world(&store).await;
        let p = store.create_problem(actor(&w.agent, now()), new_problem(&w, "Export stopped")).await.unwrap();
        let issued = store.issue_portal_link(w.ann.id, Some(p.problem.id), Some(w.agent.id), now()).await.unwrap();
        assert_eq!(issued.expires_at, now() + LINK_LIFETIME);
        assert_eq!(issued.contact.account_name, "Acme");
        assert_eq!(issued.contact.time_zone, "Europe/Berlin", "the organisation's (first admin's) zone");

        // Looking does not use it (mail scanners fetch links).
        let seen = store.check_portal_link(&issued.secret, now()).await.unwrap().unwrap();
        assert_eq!((seen.contact.id, seen.problem), (w.ann.id, Some(p.problem.id)));
        let landed = store.use_portal_link(&issued.secret, "session-1", "csrf-1", now()).await.unwrap().unwrap();
        assert_eq!(landed.problem, Some(p.problem.id));
        let session = store.portal_session("session-1", now()).await.unwrap().unwrap();
        assert_eq!((session.contact.id, session.csrf.as_str()), (w.ann.id, "csrf-1"));

        // Twice: refused, and no second session.
        assert_eq!(store.use_portal_link(&issued.secret, "session-2", "csrf-2", now()).await.unwrap(), Err(LinkRefusal::Used));
        assert_eq!(store.check_portal_link(&issued.secret, now()).await.unwrap(), Err(LinkRefusal::Used));
        assert!(store.portal_session("session-2", now()).await.unwrap().is_none());
        assert_eq!(store.use_portal_link("not-a-secret", "session-3", "c", now()).await.unwrap(), Err(LinkRefusal::Unknown));

        // Signing out ends the session.
        store.end_portal_session("session-1").await.unwrap();
        assert!(store.portal_session("session-1", now()).await.unwrap().is_none());
    }
}

store_test! {
    async fn an_expired_link_is_refused_and_a_session_ends_in_time(store: Store) {
        let w = world(&store).await;
        let issued = store.issue_portal_link(w.ann.id, None, None, now()).await.unwrap();
        let late = now() + LINK_LIFETIME;
        assert_eq!(store.use_portal_link(&issued.secret, "s", "c", late).await.unwrap(), Err(LinkRefusal::Expired));
        let fresh = store.issue_portal_link(w.ann.id, None, None, now()).await.unwrap();
        store.use_portal_link(&fresh.secret, "s", "c", now()).await.unwrap().unwrap();
        assert!(store.portal_session("s", now() + hours(24)).await.unwrap().is_some());
        assert!(store.portal_session("s", now() + hours(15 * 24)).await.unwrap().is_none());
    }
}

store_test! {
    async fn revoking_withdraws_unused_links_and_ends_sessions(store: Store) {
        let w = world(&store).await;
        let used = store.issue_portal_link(w.ann.id, None, None, now()).await.unwrap();
        store.use_portal_link(&used.secret, "ann-session", "c", now()).await.unwrap().unwrap();
        let unused = store.issue_portal_link(w.ann.id, None, None, now()).await.unwrap();
        let bobs = store.issue_portal_link(w.bob.id, None, None, now()).await.unwrap();

        let revoked = store.revoke_portal_access(w.ann.id, now()).await.unwrap();
        assert_eq!((revoked.links, revoked.sessions), (1, 1));
        assert!(store.portal_session("ann-session", now()).await.unwrap().is_none());
        assert_eq!(store.use_portal_link(&unused.secret, "s2", "c", now()).await.unwrap(), Err(LinkRefusal::Revoked));
        // Another contact's link still works.
        assert!(store.use_portal_link(&bobs.secret, "bob-session", "c", now()).await.unwrap().is_ok());
        // A new link after revoking works.
        let again = store.issue_portal_link(w.ann.id, None, None, now()).await.unwrap();
        assert!(store.use_portal_link(&again.secret, "s3", "c", now()).await.unwrap().is_ok());
        assert!(matches!(store.revoke_portal_access(ContactId(999), now()).await, Err(StoreError::NotFound { .. })));
    }
}

store_test! {
    async fn a_sent_link_is_emailed_and_needs_an_address_and_a_problem_of_the_account(store: Store) {
        let w = world(&store).await;
        let acme = store.create_problem(actor(&w.agent, now()), new_problem(&w, "Export stopped")).await.unwrap();
        let msg = invalid(store.send_portal_link(w.ann.id, None, Some(w.agent.id), now()).await, "email");
        assert!(msg.contains("no email address"), "{msg}");
        with_email(&store, w.ann.id, "ann@acme.example").await;
        with_email(&store, w.bob.id, "bob@globex.example").await;
        // Bob is at Globex: Acme's problem is not his to land on.
        invalid(store.send_portal_link(w.bob.id, Some(acme.problem.id), Some(w.agent.id), now()).await, "problem");

        let sent = store.send_portal_link(w.ann.id, Some(acme.problem.id), Some(w.agent.id), now()).await.unwrap();
        let outbox = store.list_deliveries(&DeliveryFilter::default(), &PageRequest::default()).await.unwrap().items;
        let links: Vec<_> = outbox.iter().filter_map(|d| match &d.notice {
            Notice::PortalLink { to, token, problem, expires_at } => Some((to.email.to_string(), token.clone(), problem.as_ref().map(|p| p.id), *expires_at)),
            _ => None,
        }).collect();
        assert_eq!(links, vec![("ann@acme.example".to_owned(), sent.secret.clone(), Some(acme.problem.id), now() + LINK_LIFETIME)]);
    }
}

store_test! {
    async fn asking_by_email_sends_a_link_only_to_a_known_contact_and_not_too_often(store: Store) {
        let w = world(&store).await;
        with_email(&store, w.ann.id, "ann@acme.example").await;
        let count = |store: Store| async move {
            store.list_deliveries(&DeliveryFilter::default(), &PageRequest::default()).await.unwrap().items
                .into_iter().filter(|d| matches!(d.notice, Notice::PortalLink { .. })).count()
        };
        store.request_portal_link(&Email::parse("nobody@else.example").unwrap(), now()).await.unwrap();
        assert_eq!(count(store.clone()).await, 0);
        for i in 0..5 {
            store.request_portal_link(&Email::parse("ANN@acme.example").unwrap(), now() + minutes(i)).await.unwrap();
        }
        assert_eq!(count(store.clone()).await, 3, "at most three in a quarter of an hour");
        store.request_portal_link(&Email::parse("ann@acme.example").unwrap(), now() + minutes(30)).await.unwrap();
        assert_eq!(count(store.clone()).await, 4);
    }
}

store_test! {
    async fn a_contact_sees_only_their_accounts_problems_and_never_notes(store: Store) {
        let w = world(&store).await;
        let a = actor(&w.agent, now());
        let acme = store.create_problem(a, new_problem(&w, "Acme export")).await.unwrap().problem.id;
        let mut other = new_problem(&w, "Globex outage");
        other.accounts = vec![w.globex.id];
        other.stakeholders = vec![w.bob.id];
        let globex = store.create_problem(a, other).await.unwrap().problem.id;
        store.record(a, acme, None, EventKind::Update { body: "We are on it.".into() }).await.unwrap();
        store.record(a, acme, None, EventKind::Note { body: "Internal: the vendor's fault".into() }).await.unwrap();
        store.portal_reply(w.ann.id, acme, "Thanks for telling us", now() + minutes(5)).await.unwrap();

        let list = store.portal_problems(w.ann.id, &PageRequest::default()).await.unwrap();
        assert_eq!(list.items.iter().map(|p| p.id).collect::<Vec<_>>(), vec![acme]);
        assert!(list.items[0].last_update_at.is_some());

        let detail = store.portal_problem(w.ann.id, acme, now() + minutes(10)).await.unwrap();
        assert_eq!(detail.entries.len(), 2, "{:?}", detail.entries);
        assert!(matches!(&detail.entries[0], PortalEntry::Update { body, from, .. } if body == "We are on it." && from == "Alex Agent"));
        assert!(matches!(&detail.entries[1], PortalEntry::Reply { body, by_email: false, .. } if body == "Thanks for telling us"));
        assert!(!format!("{detail:?}").contains("Internal"), "no note: {detail:?}");

        // Globex's problem is not there for Ann: the same NotFound as a missing one.
        not_found(store.portal_problem(w.ann.id, globex, now()).await);
        not_found(store.portal_problem(w.ann.id, makegood_domain::ProblemId(9999), now()).await);
        not_found(store.portal_reply(w.ann.id, globex, "hello", now()).await);
        not_found(store.portal_confirm(w.ann.id, globex, now()).await);
        // Bob does not see Ann's reply on his own problem either.
        let bobs = store.portal_problem(w.bob.id, globex, now()).await.unwrap();
        assert!(bobs.entries.is_empty());
    }
}

store_test! {
    async fn another_stakeholders_reply_is_not_shown_to_a_contact(store: Store) {
        let w = world(&store).await;
        let carl = store.create_contact(contact(w.acme.id, "Carl")).await.unwrap();
        let p = store.create_problem(actor(&w.agent, now()), new_problem(&w, "Acme export")).await.unwrap().problem.id;
        store.portal_reply(carl.id, p, "Carl here", now()).await.unwrap();
        let anns = store.portal_problem(w.ann.id, p, now()).await.unwrap();
        assert!(anns.entries.is_empty(), "{:?}", anns.entries);
        let carls = store.portal_problem(carl.id, p, now()).await.unwrap();
        assert_eq!(carls.entries.len(), 1);
    }
}

store_test! {
    async fn a_portal_reply_lands_on_the_timeline_scored(store: Store) {
        let w = world(&store).await;
        let p = store.create_problem(actor(&w.agent, now()), new_problem(&w, "Export stopped")).await.unwrap().problem.id;
        invalid(store.portal_reply(w.ann.id, p, "   ", now()).await, "body");
        store.portal_reply(w.ann.id, p, "This is terrible, awful and useless. I am furious!", now()).await.unwrap();
        let timeline = store.timeline(p, &PageRequest::default()).await.unwrap().items;
        let last = timeline.last().unwrap();
        assert_eq!(last.actor, None);
        let EventKind::CustomerReplied { contact, sentiment, inbound, .. } = &last.kind else { panic!("{last:?}") };
        assert_eq!((*contact, *inbound), (w.ann.id, None));
        assert!(sentiment.is_upset(), "{sentiment:?}");
        assert!(*sentiment < Sentiment(0));
    }
}

store_test! {
    async fn a_contact_confirms_only_a_fixed_problem(store: Store) {
        let w = world(&store).await;
        let a = actor(&w.agent, now());
        let p = store.create_problem(a, new_problem(&w, "Export stopped")).await.unwrap().problem.id;
        let msg = conflict(store.portal_confirm(w.ann.id, p, now()).await);
        assert!(msg.contains("not fixed yet"), "{msg}");
        assert!(!store.portal_problem(w.ann.id, p, now()).await.unwrap().may_confirm);
        store.record(a, p, None, EventKind::Fixed { summary: String::new() }).await.unwrap();
        assert!(store.portal_problem(w.ann.id, p, now()).await.unwrap().may_confirm);

        store.portal_confirm(w.ann.id, p, now() + minutes(1)).await.unwrap();
        assert_eq!(store.problem(p, now()).await.unwrap().problem.status, Status::Confirmed);
        let detail = store.portal_problem(w.ann.id, p, now()).await.unwrap();
        assert!(detail.confirmed && !detail.may_confirm);
        let timeline = store.timeline(p, &PageRequest::default()).await.unwrap().items;
        assert_eq!(timeline.last().unwrap().kind, EventKind::Confirmed { contact: Some(w.ann.id) });
        let msg = conflict(store.portal_confirm(w.ann.id, p, now() + minutes(2)).await);
        assert!(msg.contains("already confirmed"), "{msg}");
    }
}

store_test! {
    async fn promises_to_the_account_show_their_state_and_new_date(store: Store) {
        let w = world(&store).await;
        let a = actor(&w.agent, now());
        let p = store.create_problem(a, new_problem(&w, "Export stopped")).await.unwrap().problem.id;
        let mut to_ann = new_promise(&w, hours(24));
        to_ann.problem = Some(p);
        let kept = store.create_promise(a, to_ann.clone()).await.unwrap();
        store.keep_promise(a, kept.promise.id, None).await.unwrap();
        let moved = store.create_promise(a, to_ann.clone()).await.unwrap();
        let successor = store.renegotiate_promise(a, moved.promise.id, None, now() + hours(72), "parts late").await.unwrap();
        let released = store.create_promise(a, to_ann.clone()).await.unwrap();
        store.release_promise(a, released.promise.id, None, "no longer needed").await.unwrap();
        let mut to_bob = new_promise(&w, hours(24));
        to_bob.contacts = vec![w.bob.id];
        store.create_promise(a, to_bob).await.unwrap();

        let detail = store.portal_problem(w.ann.id, p, now()).await.unwrap();
        let states: Vec<_> = detail.promises.iter().map(|p| (p.id, p.state, p.new_due_at)).collect();
        assert_eq!(states, vec![
            (kept.promise.id, PromiseStatus::Kept, None),
            (moved.promise.id, PromiseStatus::Renegotiated, Some(now() + hours(72))),
            (released.promise.id, PromiseStatus::Released, None),
            (successor.promise.id, PromiseStatus::Open, None),
        ]);
        // The account's list has the same four, latest due first, and none of Bob's.
        let all = store.portal_promises(w.ann.id, &PageRequest { cursor: None, limit: Some(3) }, now()).await.unwrap();
        assert_eq!(all.items.len(), 3);
        let rest = store.portal_promises(w.ann.id, &PageRequest { cursor: all.next_cursor, limit: Some(3) }, now()).await.unwrap();
        assert_eq!(rest.items.len(), 1);
        assert!(rest.next_cursor.is_none());
        assert_eq!(all.items[0].id, successor.promise.id);
        // Open past its due time: broken, as the customer sees it.
        let later = store.portal_problem(w.ann.id, p, now() + hours(100)).await.unwrap();
        assert_eq!(later.promises[3].state, PromiseStatus::Broken);
    }
}

store_test! {
    async fn the_list_puts_open_problems_first_and_pages(store: Store) {
        let w = world(&store).await;
        let a = actor(&w.agent, now());
        let mut ids = Vec::new();
        for i in 0..4 {
            ids.push(store.create_problem(a, new_problem(&w, &format!("Problem {i}"))).await.unwrap().problem.id);
        }
        // Close the newest one.
        store.record(a, ids[3], None, EventKind::Fixed { summary: String::new() }).await.unwrap();
        store.record(a, ids[3], None, EventKind::Closed { outcome: makegood_domain::Outcome::Retained }).await.unwrap();
        let first = store.portal_problems(w.ann.id, &PageRequest { cursor: None, limit: Some(2) }).await.unwrap();
        let second = store.portal_problems(w.ann.id, &PageRequest { cursor: first.next_cursor.clone(), limit: Some(2) }).await.unwrap();
        let order: Vec<_> = first.items.iter().chain(&second.items).map(|p| p.id).collect();
        assert_eq!(order, vec![ids[2], ids[1], ids[0], ids[3]]);
        assert!(second.next_cursor.is_none());
        assert!(store.portal_problems(w.bob.id, &PageRequest::default()).await.unwrap().items.is_empty());
    }
}
