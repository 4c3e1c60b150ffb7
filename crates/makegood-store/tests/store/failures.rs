//! The failure log: entries logged, listed by level and period, edited and deleted by whoever
//! logged them (or a supervisor or admin), and a period's distribution with broken promises.

use makegood_domain::failure::{FailureFields, FailureLevel};
use makegood_domain::{Month, ProblemId, ReportFilter};
use makegood_store::{FailureFilter, PageRequest, Store, StoreError};

use crate::common::*;

fn fields(level: FailureLevel, what: &str, problem: Option<ProblemId>) -> FailureFields {
    FailureFields::new(level, what, "ask a customer first", problem).unwrap()
}

store_test! {
    async fn failures_are_logged_listed_edited_and_deleted(store: Store) {
        let w = world(&store).await;
        let p = store.create_problem(actor(&w.agent, now()), new_problem(&w, "Export stopped")).await.unwrap().problem;
        let idea = store.log_failure(actor(&w.agent, now()), fields(FailureLevel::Idea, "Nobody wanted dark mode", None)).await.unwrap();
        assert_eq!((idea.level, idea.logged_by, idea.logged_at, idea.version), (FailureLevel::Idea, w.agent.id, now(), 1));
        let promise = store.log_failure(actor(&w.admin, now() + hours(1)), fields(FailureLevel::Promise, "Missed the export date", Some(p.id))).await.unwrap();
        assert_eq!(promise.problem, Some(p.id));
        let mockup = store.log_failure(actor(&w.agent, now() + hours(2)), fields(FailureLevel::Mockup, "The form confused", None)).await.unwrap();
        invalid(store.log_failure(actor(&w.agent, now()), fields(FailureLevel::Pilot, "x", Some(ProblemId(999)))).await, "problem");

        // Newest first, two to a page.
        let first = store.list_failures(&FailureFilter::default(), &PageRequest { cursor: None, limit: Some(2) }).await.unwrap();
        assert_eq!(first.items.iter().map(|e| e.id).collect::<Vec<_>>(), [mockup.id, promise.id]);
        let rest = store.list_failures(&FailureFilter::default(), &PageRequest { cursor: first.next_cursor, limit: Some(2) }).await.unwrap();
        assert_eq!(rest.items.iter().map(|e| e.id).collect::<Vec<_>>(), [idea.id]);
        assert!(rest.next_cursor.is_none());
        let by_level = store.list_failures(&FailureFilter { level: Some(FailureLevel::Promise), ..FailureFilter::default() }, &PageRequest::default()).await.unwrap();
        assert_eq!(by_level.items, std::slice::from_ref(&promise));
        let in_period = FailureFilter { from: Some(now() + hours(1)), to: Some(now() + hours(2)), ..FailureFilter::default() };
        assert_eq!(store.list_failures(&in_period, &PageRequest::default()).await.unwrap().items, std::slice::from_ref(&promise));

        // The agent edits their own; not the admin's; a stale version is refused.
        let edited = store.edit_failure(actor(&w.agent, now()), idea.id, Some(1), fields(FailureLevel::Prototype, "Nobody used the dark mode prototype", None)).await.unwrap();
        assert_eq!((edited.level, edited.version, edited.what_happened.as_str()), (FailureLevel::Prototype, 2, "Nobody used the dark mode prototype"));
        assert!(matches!(store.edit_failure(actor(&w.agent, now()), idea.id, Some(1), fields(FailureLevel::Idea, "x", None)).await, Err(StoreError::Stale { current: 2, .. })));
        conflict(store.edit_failure(actor(&w.agent, now()), promise.id, None, fields(FailureLevel::Idea, "x", None)).await);
        conflict(store.delete_failure(actor(&w.agent, now()), promise.id).await);
        // The admin may change anyone's.
        store.delete_failure(actor(&w.admin, now()), mockup.id).await.unwrap();
        assert!(matches!(store.failure(mockup.id).await, Err(StoreError::NotFound { .. })));
    }
}

store_test! {
    async fn a_periods_distribution_counts_broken_promises_in(store: Store) {
        let w = world(&store).await;
        // The reporting zone is the first admin's: Europe/Berlin (UTC+1 in March).
        let march: Month = "2025-03".parse().unwrap();
        assert_eq!(store.failure_month(now()).await.unwrap(), march);
        store.log_failure(actor(&w.agent, now()), fields(FailureLevel::Idea, "one", None)).await.unwrap();
        store.log_failure(actor(&w.agent, now()), fields(FailureLevel::Idea, "two", None)).await.unwrap();
        store.log_failure(actor(&w.admin, now()), fields(FailureLevel::Pilot, "three", None)).await.unwrap();
        // 23:30 UTC on 31 March is already April in Berlin.
        store.log_failure(actor(&w.agent, at("2025-03-31T22:30:00Z")), fields(FailureLevel::Mockup, "april", None)).await.unwrap();
        let a = actor(&w.agent, now());
        store.create_promise(a, new_promise(&w, hours(2))).await.unwrap();
        store.create_promise(a, new_promise(&w, hours(3))).await.unwrap();
        store.create_promise(a, new_promise(&w, hours(24 * 40))).await.unwrap();
        store.break_overdue_promises(now() + hours(2) + minutes(1)).await.unwrap();

        let filter = ReportFilter { from: march, to: march, member: None, account: None, severity: None, origin: None };
        // One promise broken by the scheduler, one open past due by `now`: both count.
        let summary = store.failure_summary(&filter, now() + hours(4)).await.unwrap();
        assert_eq!(summary.logged, [(FailureLevel::Idea, 2), (FailureLevel::Prototype, 0), (FailureLevel::Mockup, 0), (FailureLevel::Pilot, 1), (FailureLevel::Promise, 0)]);
        assert_eq!(summary.broken_promises, 2);
        let mine = ReportFilter { member: Some(w.admin.id), ..filter.clone() };
        let summary = store.failure_summary(&mine, now() + hours(4)).await.unwrap();
        assert_eq!((summary.logged[3], summary.broken_promises), ((FailureLevel::Pilot, 1), 0));
        let april = ReportFilter { from: march.next(), to: march.next(), ..filter };
        assert_eq!(store.failure_summary(&april, now() + hours(4)).await.unwrap().logged[2], (FailureLevel::Mockup, 1));
    }
}
