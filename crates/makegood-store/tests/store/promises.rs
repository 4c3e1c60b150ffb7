//! Promises: validation, keep / renegotiate / release, refusals after due, lists, breaking.

use std::collections::HashSet;

use makegood_domain::{ClockState, EventKind, MemberId, PromiseId, PromiseStatus};
use makegood_store::{NewPromise, PageRequest, PromiseFilter, PromiseListState, Store, StoreError};

use crate::common::*;

store_test! {
    async fn promises_are_validated_and_recorded_on_the_problem(store: Store) {
        let w = world(&store).await;
        let a = actor(&w.agent, now());
        let problem = store.create_problem(a, new_problem(&w, "Export stopped")).await.unwrap().problem.id;
        let base = || NewPromise { problem: Some(problem), ..new_promise(&w, hours(10)) };
        invalid(store.create_promise(a, NewPromise { what: "".into(), ..base() }).await, "what");
        invalid(store.create_promise(a, NewPromise { what: "x".repeat(501), ..base() }).await, "what");
        invalid(store.create_promise(a, NewPromise { contacts: vec![], ..base() }).await, "contacts");
        invalid(store.create_promise(a, NewPromise { contacts: vec![makegood_domain::ContactId(999)], ..base() }).await, "contacts");
        let other = invalid(store.create_promise(a, NewPromise { contacts: vec![w.bob.id], ..base() }).await, "contacts");
        assert_eq!(other, format!("contact {} belongs to another account", w.bob.id));
        let past = invalid(store.create_promise(a, NewPromise { due_at: now(), ..base() }).await, "due_at");
        assert_eq!(past, "a promise cannot be due in the past");
        invalid(store.create_promise(a, NewPromise { made_by: w.viewer.id, ..base() }).await, "made_by");
        invalid(store.create_promise(a, NewPromise { made_by: MemberId(999), ..base() }).await, "made_by");
        invalid(store.create_promise(a, NewPromise { problem: Some(makegood_domain::ProblemId(999)), ..base() }).await, "problem");
        // Without a problem, any contact will do.
        store.create_promise(a, NewPromise { contacts: vec![w.bob.id], ..new_promise(&w, hours(10)) }).await.unwrap();

        let v = store.create_promise(a, base()).await.unwrap();
        assert_eq!((v.state, v.promise.status, v.promise.version), (PromiseStatus::Open, PromiseStatus::Open, 1));
        assert_eq!((v.promise.made_at, v.promise.due_at), (now(), now() + hours(10)));
        // 20% of a 10 h span: warning 2 h before due.
        assert_eq!((v.clock.state, v.clock.warn_at), (ClockState::Ok, Some(now() + hours(8))));
        assert_eq!(store.promise(v.promise.id, now()).await.unwrap(), v);
        let later = store.promise(v.promise.id, now() + hours(11)).await.unwrap();
        assert_eq!((later.state, later.promise.status, later.clock.state), (PromiseStatus::Broken, PromiseStatus::Open, ClockState::Missed));
        let last = store.timeline(problem, &PageRequest::default()).await.unwrap().items.pop().unwrap();
        assert_eq!(last.kind, EventKind::PromiseMade { what: "Send the corrected invoices".into(), due_at: now() + hours(10) });
        assert_eq!(last.promise, Some(v.promise.id));
        assert!(matches!(store.promise(PromiseId(999), now()).await, Err(StoreError::NotFound { .. })));
    }
}

store_test! {
    async fn promises_are_kept_released_or_renegotiated_before_due_only(store: Store) {
        let w = world(&store).await;
        let a = actor(&w.agent, now() + hours(1));
        let p1 = store.create_promise(actor(&w.agent, now()), new_promise(&w, hours(10))).await.unwrap().promise.id;
        let kept = store.keep_promise(a, p1, Some(1)).await.unwrap();
        assert_eq!((kept.promise.status, kept.promise.ended_at, kept.promise.version), (PromiseStatus::Kept, Some(now() + hours(1)), 2));
        assert_eq!(conflict(store.keep_promise(a, p1, None).await), "the promise is already kept");

        let p2 = store.create_promise(actor(&w.agent, now()), new_promise(&w, hours(10))).await.unwrap().promise.id;
        assert!(matches!(store.release_promise(a, p2, Some(7), "waived").await, Err(StoreError::Stale { current: 1, .. })));
        let released = store.release_promise(a, p2, Some(1), "they no longer need it").await.unwrap();
        assert_eq!((released.promise.status, released.promise.reason.as_deref()), (PromiseStatus::Released, Some("they no longer need it")));

        let p3 = store.create_promise(actor(&w.agent, now()), new_promise(&w, hours(10))).await.unwrap().promise.id;
        invalid(store.renegotiate_promise(a, p3, None, now() + hours(20), " ").await, "reason");
        invalid(store.renegotiate_promise(a, p3, None, now(), "later").await, "due_at");
        invalid(store.renegotiate_promise(a, p3, None, now() + hours(10), "same").await, "due_at");
        let next = store.renegotiate_promise(a, p3, Some(1), now() + hours(20), "the data arrives late").await.unwrap();
        assert_eq!((next.promise.status, next.promise.renegotiated_from, next.promise.due_at), (PromiseStatus::Open, Some(p3), now() + hours(20)));
        assert_eq!((next.promise.made_at, next.promise.contacts.clone()), (now() + hours(1), vec![w.ann.id]));
        let old = store.promise(p3, now()).await.unwrap().promise;
        assert_eq!((old.status, old.renegotiated_to, old.reason.as_deref()), (PromiseStatus::Renegotiated, Some(next.promise.id), Some("the data arrives late")));
        conflict(store.renegotiate_promise(a, p3, None, now() + hours(30), "again").await);

        // Once the due time has passed the promise is broken: nothing moves it any more.
        let p4 = store.create_promise(actor(&w.agent, now()), new_promise(&w, hours(2))).await.unwrap().promise.id;
        let late = actor(&w.agent, now() + hours(3));
        assert!(conflict(store.keep_promise(late, p4, None).await).contains("broken"));
        assert!(conflict(store.renegotiate_promise(late, p4, None, now() + hours(9), "sorry").await).contains("broken"));
        assert!(conflict(store.release_promise(late, p4, None, "").await).contains("broken"));
    }
}

store_test! {
    async fn promises_list_by_state_maker_account_problem_and_due(store: Store) {
        let w = world(&store).await;
        let a = actor(&w.agent, now());
        let open = store.create_promise(a, new_promise(&w, hours(10))).await.unwrap().promise.id;
        let at_risk = store.create_promise(a, new_promise(&w, hours(2))).await.unwrap().promise.id; // warns from 10:00
        let overdue = store.create_promise(a, new_promise(&w, hours(1))).await.unwrap().promise.id;
        let kept = store.create_promise(a, new_promise(&w, hours(10))).await.unwrap().promise.id;
        store.keep_promise(a, kept, None).await.unwrap();
        let released = store.create_promise(a, new_promise(&w, hours(10))).await.unwrap().promise.id;
        store.release_promise(a, released, None, "").await.unwrap();
        let old = store.create_promise(a, new_promise(&w, hours(10))).await.unwrap().promise.id;
        let successor = store.renegotiate_promise(a, old, None, now() + hours(30), "later").await.unwrap().promise.id;
        let mut globex = new_problem(&w, "Globex invoices");
        globex.accounts = vec![w.globex.id];
        globex.stakeholders = vec![w.bob.id];
        let problem = store.create_problem(a, globex).await.unwrap().problem.id;
        let admins = NewPromise { made_by: w.admin.id, contacts: vec![w.bob.id], problem: Some(problem), ..new_promise(&w, hours(40)) };
        let admins = store.create_promise(actor(&w.admin, now()), admins).await.unwrap().promise.id;

        let t = at("2025-03-03T10:30:00Z");
        let ids = |filter: PromiseFilter| {
            let store = store.clone();
            async move {
                let page = store.list_promises(&filter, &PageRequest::default(), t).await.unwrap();
                page.items.into_iter().map(|v| v.promise.id).collect::<Vec<_>>()
            }
        };
        let state = |s| PromiseFilter { state: Some(s), ..Default::default() };
        // Ordered by due time.
        assert_eq!(ids(state(PromiseListState::Open)).await, [at_risk, open, successor, admins]);
        assert_eq!(ids(state(PromiseListState::AtRisk)).await, [at_risk]);
        assert_eq!(ids(state(PromiseListState::Broken)).await, [overdue]);
        assert_eq!(ids(state(PromiseListState::Kept)).await, [kept]);
        assert_eq!(ids(state(PromiseListState::Released)).await, [released]);
        assert_eq!(ids(state(PromiseListState::Renegotiated)).await, [old]);
        assert_eq!(ids(PromiseFilter { made_by: Some(w.admin.id), ..Default::default() }).await, [admins]);
        assert_eq!(ids(PromiseFilter { account: Some(w.globex.id), ..Default::default() }).await, [admins]);
        assert_eq!(ids(PromiseFilter { account: Some(w.acme.id), ..Default::default() }).await.len(), 7);
        assert_eq!(ids(PromiseFilter { problem: Some(problem), ..Default::default() }).await, [admins]);
        assert_eq!(ids(PromiseFilter { due_before: Some(now() + hours(2)), ..Default::default() }).await, [overdue]);
        let views = store.list_promises(&state(PromiseListState::Broken), &PageRequest::default(), t).await.unwrap();
        assert_eq!(views.items[0].state, PromiseStatus::Broken);

        // Recorded as broken, it stays in the broken list.
        assert_eq!(store.break_overdue_promises(t).await.unwrap(), 1);
        assert_eq!(ids(state(PromiseListState::Broken)).await, [overdue]);
    }
}

store_test! {
    async fn promises_page_by_due_time(store: Store) {
        let w = world(&store).await;
        for i in 0..25_i64 {
            store.create_promise(actor(&w.agent, now()), new_promise(&w, hours(1 + i % 6))).await.unwrap();
        }
        let mut seen = Vec::new();
        let mut cursor = None;
        loop {
            let page = store.list_promises(&PromiseFilter::default(), &PageRequest { cursor, limit: Some(10) }, now()).await.unwrap();
            seen.extend(page.items);
            cursor = page.next_cursor;
            if cursor.is_none() {
                break;
            }
        }
        assert_eq!(seen.len(), 25);
        assert_eq!(seen.iter().map(|v| v.promise.id).collect::<HashSet<_>>().len(), 25);
        assert!(seen.windows(2).all(|p| (p[0].promise.due_at, p[0].promise.id) < (p[1].promise.due_at, p[1].promise.id)));
    }
}

store_test! {
    async fn overdue_promises_break_exactly_once(store: Store) {
        let w = world(&store).await;
        let a = actor(&w.agent, now());
        let problem = store.create_problem(a, new_problem(&w, "Export stopped")).await.unwrap().problem.id;
        let on_problem = store.create_promise(a, NewPromise { problem: Some(problem), ..new_promise(&w, hours(1)) }).await.unwrap().promise.id;
        let alone = store.create_promise(a, new_promise(&w, hours(2))).await.unwrap().promise.id;
        let later = store.create_promise(a, new_promise(&w, hours(48))).await.unwrap().promise.id;

        let t = now() + hours(3);
        let (x, y) = tokio::join!(store.break_overdue_promises(t), store.break_overdue_promises(t));
        assert_eq!(x.unwrap() + y.unwrap(), 2);
        assert_eq!(store.break_overdue_promises(t).await.unwrap(), 0);
        let broken = store.promise(on_problem, t).await.unwrap().promise;
        assert_eq!((broken.status, broken.ended_at, broken.version), (PromiseStatus::Broken, Some(now() + hours(1)), 2));
        assert_eq!(store.promise(alone, t).await.unwrap().promise.status, PromiseStatus::Broken);
        assert_eq!(store.promise(later, t).await.unwrap().promise.status, PromiseStatus::Open);

        let events = store.timeline(problem, &PageRequest::default()).await.unwrap().items;
        let breaks: Vec<_> = events.iter().filter(|e| matches!(e.kind, EventKind::PromiseBroken { .. })).collect();
        assert_eq!(breaks.len(), 1);
        assert_eq!((breaks[0].actor, breaks[0].promise, breaks[0].at), (None, Some(on_problem), now() + hours(1)));
        assert_eq!(conflict(store.keep_promise(actor(&w.agent, t), on_problem, None).await), "the promise is already broken");
    }
}
