//! Keyset pagination and list filters.

use std::collections::HashSet;

use makegood_domain::clock::NextDeadlines;
use makegood_domain::{ClockState, EventKind, Origin, Outcome, Severity, Status};
use makegood_store::{NewAccount, PageRequest, ProblemFilter, ProblemSort, ProblemView, Store};

use crate::common::*;

fn page(cursor: Option<String>, limit: u32) -> PageRequest {
    PageRequest {
        cursor,
        limit: Some(limit),
    }
}

async fn all_problems(store: &Store, filter: &ProblemFilter) -> (Vec<ProblemView>, usize) {
    let mut items = Vec::new();
    let mut cursor = None;
    let mut pages = 0;
    loop {
        let p = store
            .list_problems(filter, &page(cursor, 10), now())
            .await
            .unwrap();
        pages += 1;
        assert!(p.items.len() <= 10);
        items.extend(p.items);
        match p.next_cursor {
            Some(next) => cursor = Some(next),
            None => return (items, pages),
        }
    }
}

store_test! {
    async fn problems_page_by_next_deadline_and_by_newest_without_gaps(store: Store) {
        let w = world(&store).await;
        for i in 0..25_i64 {
            let mut p = new_problem(&w, &format!("Problem {i}"));
            p.detected_at = Some(now() - minutes(i % 7)); // ties in the next deadline
            let created = now() + minutes(i % 4); // ties in the creation time
            let v = store.create_problem(actor(&w.agent, created), p).await.unwrap();
            if i % 5 == 0 {
                // Closed: nothing runs, so it sorts last.
                store.record(actor(&w.agent, created), v.problem.id, None, EventKind::Closed { outcome: Outcome::Retained }).await.unwrap();
            }
        }
        let (items, pages) = all_problems(&store, &ProblemFilter::default()).await;
        assert_eq!((items.len(), pages), (25, 3));
        let ids: HashSet<_> = items.iter().map(|v| v.problem.id).collect();
        assert_eq!(ids.len(), 25, "no duplicates");
        let key = |v: &ProblemView| {
            let due = NextDeadlines::of(&v.clocks).due_at;
            (due.is_none(), due, v.problem.id)
        };
        let mut expected = items.clone();
        expected.sort_by_key(key);
        assert_eq!(items, expected, "next deadline first, nothing running last, then id");
        assert!(items[20..].iter().all(|v| v.problem.status == Status::Closed));

        let newest = ProblemFilter { sort: ProblemSort::Newest, ..Default::default() };
        let (items, _) = all_problems(&store, &newest).await;
        assert_eq!(items.len(), 25);
        let mut expected = items.clone();
        expected.sort_by_key(|v| std::cmp::Reverse((v.problem.created_at, v.problem.id)));
        assert_eq!(items, expected);

        // A cursor belongs to its list and sort.
        let first = store.list_problems(&ProblemFilter::default(), &page(None, 10), now()).await.unwrap();
        invalid(store.list_problems(&newest, &page(first.next_cursor.clone(), 10), now()).await, "cursor");
        invalid(store.list_accounts(None, &page(first.next_cursor, 10)).await, "cursor");
        invalid(store.list_problems(&newest, &page(Some("not-a-cursor".into()), 10), now()).await, "cursor");
        invalid(store.list_problems(&newest, &page(None, 0), now()).await, "limit");
        invalid(store.list_problems(&newest, &page(None, 201), now()).await, "limit");
        assert_eq!(store.list_problems(&newest, &page(None, 200), now()).await.unwrap().items.len(), 25);
        assert_eq!(store.list_problems(&newest, &PageRequest::default(), now()).await.unwrap().items.len(), 25);
    }
}

store_test! {
    async fn accounts_and_timelines_page_without_gaps(store: Store) {
        let w = world(&store).await;
        for i in 0..23 {
            let name = format!("Shop {:02}", i % 9); // duplicate names
            store.create_account(NewAccount { name, parent: None, tier: None }).await.unwrap();
        }
        let mut seen = Vec::new();
        let mut cursor = None;
        loop {
            let p = store.list_accounts(None, &page(cursor, 10)).await.unwrap();
            seen.extend(p.items);
            cursor = p.next_cursor;
            if cursor.is_none() {
                break;
            }
        }
        assert_eq!(seen.len(), 25);
        let mut sorted = seen.clone();
        sorted.sort_by(|a, b| (a.name.as_str(), a.id).cmp(&(b.name.as_str(), b.id)));
        assert_eq!(seen, sorted);

        let id = store.create_problem(actor(&w.agent, now()), new_problem(&w, "Chatty")).await.unwrap().problem.id;
        for i in 0..24 {
            store.record(actor(&w.agent, now()), id, None, EventKind::Note { body: format!("note {i}") }).await.unwrap();
        }
        let first = store.timeline(id, &page(None, 10)).await.unwrap();
        let second = store.timeline(id, &page(first.next_cursor, 10)).await.unwrap();
        let third = store.timeline(id, &page(second.next_cursor, 10)).await.unwrap();
        assert_eq!((first.items.len(), second.items.len(), third.items.len()), (10, 10, 5));
        assert_eq!(third.next_cursor, None);
        let ids: Vec<_> = first.items.iter().chain(&second.items).chain(&third.items).map(|e| e.id).collect();
        assert!(ids.windows(2).all(|p| p[0] < p[1]), "oldest first, no duplicates");
    }
}

store_test! {
    async fn problems_filter_by_status_owner_account_severity_origin_and_clock_state(store: Store) {
        let w = world(&store).await;
        let a = actor(&w.agent, now());
        let p1 = store.create_problem(a, new_problem(&w, "Major at Acme")).await.unwrap().problem.id;
        let mut critical = new_problem(&w, "Critical at Globex");
        critical.severity = Severity::Critical;
        critical.owner = w.admin.id;
        critical.accounts = vec![w.globex.id];
        critical.stakeholders = vec![w.bob.id];
        let p2 = store.create_problem(a, critical).await.unwrap().problem.id;
        let mut minor = new_problem(&w, "Minor, customer's doing");
        minor.severity = Severity::Minor;
        minor.origin = Origin::Customer;
        let p3 = store.create_problem(a, minor).await.unwrap().problem.id;
        store.record(a, p3, None, EventKind::Closed { outcome: Outcome::Advocate }).await.unwrap();

        let ids = |filter: ProblemFilter, at: jiff::Timestamp| {
            let store = store.clone();
            async move {
                let mut ids: Vec<_> = store.list_problems(&filter, &PageRequest::default(), at).await.unwrap().items.into_iter().map(|v| v.problem.id).collect();
                ids.sort();
                ids
            }
        };
        let f = ProblemFilter::default;
        assert_eq!(ids(ProblemFilter { status: Some(Status::Closed), ..f() }, now()).await, [p3]);
        assert_eq!(ids(ProblemFilter { open: Some(true), ..f() }, now()).await, [p1, p2]);
        assert_eq!(ids(ProblemFilter { open: Some(false), ..f() }, now()).await, [p3]);
        assert_eq!(ids(ProblemFilter { owner: Some(w.admin.id), ..f() }, now()).await, [p2]);
        assert_eq!(ids(ProblemFilter { account: Some(w.globex.id), ..f() }, now()).await, [p2]);
        assert_eq!(ids(ProblemFilter { account: Some(w.acme.id), ..f() }, now()).await, [p1, p3]);
        assert_eq!(ids(ProblemFilter { severity: Some(Severity::Minor), ..f() }, now()).await, [p3]);
        assert_eq!(ids(ProblemFilter { origin: Some(Origin::Customer), ..f() }, now()).await, [p3]);

        // At 10:00 the critical one (tell due 09:00) is breached, the major one (warning 11:12) ok.
        let ten = at("2025-03-03T10:00:00Z");
        let clock = |state| ProblemFilter { clock_state: Some(state), ..f() };
        assert_eq!(ids(clock(ClockState::Breached), ten).await, [p2]);
        assert_eq!(ids(clock(ClockState::Ok), ten).await, [p1]);
        assert_eq!(ids(clock(ClockState::Warning), ten).await, []);
        let half_past_eleven = at("2025-03-03T11:30:00Z");
        assert_eq!(ids(clock(ClockState::Warning), half_past_eleven).await, [p1]);
        // At 08:50 the critical one is warning (from 08:48), not yet breached.
        let ten_to_nine = at("2025-03-03T08:50:00Z");
        assert_eq!(ids(clock(ClockState::Warning), ten_to_nine).await, [p2]);
        assert_eq!(ids(ProblemFilter { clock_state: Some(ClockState::Ok), owner: Some(w.agent.id), ..f() }, ten_to_nine).await, [p1]);
        let views = store.list_problems(&clock(ClockState::Breached), &PageRequest::default(), ten).await.unwrap();
        assert_eq!(views.items[0].clock_state, Some(ClockState::Breached));
        for unsupported in [ClockState::Paused, ClockState::Met, ClockState::Missed] {
            invalid(store.list_problems(&clock(unsupported), &PageRequest::default(), ten).await, "clock_state");
        }
    }
}
