//! Prevention: recording, done, the effectiveness check (refused before due, not effective
//! reopens), its clocks and duties; recurrence inside and outside the window; vendor promises
//! broken by the scheduler exactly once; vendor reliability against a hand-computed fixture.

use jiff::{SignedDuration, Timestamp};
use makegood_domain::prevention::NewPrevention;
use makegood_domain::{
    AlertKind, ClockKind, Event, EventKind, MemberId, PreventionStatus, ProblemId, PromiseStatus,
    VendorId,
};
use makegood_store::{
    NewProblem, NewVendor, NewVendorPromise, PageRequest, PreventionFilter, Store, StoreError,
};

use crate::common::*;
use crate::scheduler::{alerts, supervisor, without_digests};

fn days(d: i64) -> SignedDuration {
    SignedDuration::from_hours(d * 24)
}

fn new_prevention(problem: ProblemId, owner: MemberId, cause: &str) -> NewPrevention {
    NewPrevention {
        problem,
        root_cause: "The export job ran out of disk".into(),
        cause_category: cause.into(),
        corrective_action: "Alert on disk usage at 80%".into(),
        owner,
        due_at: now() + days(10),
        check_after_days: 30,
    }
}

async fn events(store: &Store, id: ProblemId) -> Vec<Event> {
    let all = PageRequest {
        cursor: None,
        limit: Some(200),
    };
    store.timeline(id, &all).await.unwrap().items
}

/// A problem at Acme (or `accounts`) in `category`, detected an hour before `at`.
async fn problem_at(
    store: &Store,
    w: &World,
    at: Timestamp,
    category: &str,
    accounts: Vec<makegood_domain::AccountId>,
) -> ProblemId {
    let stakeholders = if accounts == [w.acme.id] {
        vec![w.ann.id]
    } else {
        vec![]
    };
    let new = NewProblem {
        category: category.into(),
        detected_at: Some(at - hours(1)),
        accounts,
        stakeholders,
        ..new_problem(w, "Export stopped")
    };
    store
        .create_problem(actor(&w.agent, at), new)
        .await
        .unwrap()
        .problem
        .id
}

store_test! {
    async fn a_prevention_is_recorded_done_and_checked(store: Store) {
        let w = world(&store).await;
        let a = actor(&w.agent, now());
        let problem = problem_at(&store, &w, now(), "software", vec![w.acme.id]).await;
        let base = || new_prevention(problem, w.agent.id, "Capacity");
        invalid(store.record_prevention(a, NewPrevention { root_cause: " ".into(), ..base() }).await, "root_cause");
        invalid(store.record_prevention(a, NewPrevention { cause_category: "".into(), ..base() }).await, "cause_category");
        invalid(store.record_prevention(a, NewPrevention { due_at: now(), ..base() }).await, "due_at");
        invalid(store.record_prevention(a, NewPrevention { check_after_days: -1, ..base() }).await, "check_after_days");
        invalid(store.record_prevention(a, NewPrevention { owner: w.viewer.id, ..base() }).await, "owner");
        invalid(store.record_prevention(a, NewPrevention { problem: ProblemId(999), ..base() }).await, "problem");

        let v = store.record_prevention(a, base()).await.unwrap();
        let id = v.prevention.id;
        assert_eq!((v.prevention.status, v.version, v.check_due_at, v.check_due), (PreventionStatus::Open, 1, None, false));
        assert_eq!(v.due.due_at, now() + days(10));
        assert_eq!(store.prevention(id, now()).await.unwrap(), v);
        assert_eq!(store.problem_preventions(problem, now()).await.unwrap(), std::slice::from_ref(&v));
        let recorded = events(&store, problem).await.pop().unwrap();
        assert_eq!(recorded.kind, EventKind::PreventionRecorded {
            prevention: id,
            root_cause: "The export job ran out of disk".into(),
            cause_category: "Capacity".into(),
            corrective_action: "Alert on disk usage at 80%".into(),
            owner: w.agent.id,
            due_at: now() + days(10),
        });
        // While open its owner is asked to do it.
        let duties = store.duties(Some(w.agent.id), now(), 50).await.unwrap();
        assert!(duties.iter().any(|d| d.kind == ClockKind::Prevention && d.summary == format!("Do the corrective action for MG-{}: Alert on disk usage at 80%", problem.0)), "{duties:#?}");

        // Done (the version guards it), then the check waits 30 days.
        let t1 = now() + days(2);
        assert!(matches!(store.mark_prevention_done(actor(&w.agent, t1), id, Some(9)).await, Err(StoreError::Stale { current: 1, .. })));
        let done = store.mark_prevention_done(actor(&w.agent, t1), id, Some(1)).await.unwrap();
        assert_eq!((done.prevention.status, done.version, done.check_due_at), (PreventionStatus::Done { at: t1 }, 2, Some(t1 + days(30))));
        assert!(conflict(store.mark_prevention_done(actor(&w.agent, t1), id, None).await).contains("not open"));
        let early = conflict(store.check_prevention(actor(&w.agent, t1 + days(29)), id, None, true, None).await);
        assert!(early.contains("record it then, not before"), "{early}");
        let checks_due = PreventionFilter { check_due: true, ..PreventionFilter::default() };
        assert!(store.list_preventions(&checks_due, &PageRequest::default(), t1 + days(29)).await.unwrap().items.is_empty());
        let due_now = store.list_preventions(&checks_due, &PageRequest::default(), t1 + days(30)).await.unwrap().items;
        assert_eq!(due_now.iter().map(|p| p.prevention.id).collect::<Vec<_>>(), [id]);
        let duties = store.duties(Some(w.agent.id), t1 + days(30), 50).await.unwrap();
        assert!(duties.iter().any(|d| d.kind == ClockKind::Check && d.summary == format!("Check whether Alert on disk usage at 80% worked for MG-{}", problem.0)), "{duties:#?}");

        // Not effective needs a note and reopens it.
        let t2 = t1 + days(31);
        invalid(store.check_prevention(actor(&w.agent, t2), id, None, false, Some(" ")).await, "note");
        let reopened = store.check_prevention(actor(&w.agent, t2), id, Some(2), false, Some("Disk filled again in a week")).await.unwrap();
        assert_eq!((reopened.prevention.status, reopened.version), (PreventionStatus::Open, 3));
        assert_eq!(reopened.prevention.checks.len(), 1);
        assert!(!reopened.prevention.checks[0].effective);
        assert_eq!(events(&store, problem).await.pop().unwrap().kind, EventKind::PreventionChecked { prevention: id, effective: false, note: Some("Disk filled again in a week".into()) });

        // Revised, done again and found effective.
        invalid(store.revise_prevention(actor(&w.agent, t2), id, None, "Move exports to object storage", t2).await, "due_at");
        let revised = store.revise_prevention(actor(&w.agent, t2), id, Some(3), "Move exports to object storage", t2 + days(5)).await.unwrap();
        assert_eq!((revised.prevention.corrective_action.as_str(), revised.prevention.due_at), ("Move exports to object storage", t2 + days(5)));
        assert_eq!(events(&store, problem).await.pop().unwrap().kind, EventKind::PreventionRevised { prevention: id, corrective_action: "Move exports to object storage".into(), due_at: t2 + days(5) });
        let t3 = t2 + days(1);
        store.mark_prevention_done(actor(&w.agent, t3), id, None).await.unwrap();
        let effective = store.check_prevention(actor(&w.agent, t3 + days(30)), id, None, true, None).await.unwrap();
        assert_eq!(effective.prevention.status, PreventionStatus::Effective { checked_at: t3 + days(30) });
        assert_eq!(effective.prevention.checks.len(), 2);
        assert!(conflict(store.check_prevention(actor(&w.agent, t3 + days(31)), id, None, true, None).await).contains("not done"));
        let effective_list = PreventionFilter { status: Some("effective".into()), ..PreventionFilter::default() };
        assert_eq!(store.list_preventions(&effective_list, &PageRequest::default(), t3).await.unwrap().items.len(), 1);
    }
}

store_test! {
    async fn an_overdue_corrective_action_alerts_its_owner_and_the_supervisors(store: Store) {
        let w = world(&store).await;
        supervisor(&store).await;
        without_digests(&store).await;
        let problem = problem_at(&store, &w, now(), "software", vec![w.acme.id]).await;
        store.record_prevention(actor(&w.agent, now()), new_prevention(problem, w.agent.id, "Capacity")).await.unwrap();
        store.fire_due(now() + days(11), 100).await.unwrap();
        let ours: Vec<_> = alerts(&store).await.into_iter().filter(|a| a.2 == ClockKind::Prevention).collect();
        let overdue = format!("Corrective action for MG-{} overdue: Alert on disk usage at 80%", problem.0);
        let got: Vec<_> = ours.iter().map(|a| (a.0.as_str(), a.1, a.3.as_str())).collect();
        assert_eq!(got, [
            ("ada@makegood.example", AlertKind::Breach, overdue.as_str()),
            ("alex@makegood.example", AlertKind::Breach, overdue.as_str()),
            ("sue@makegood.example", AlertKind::Breach, overdue.as_str()),
        ]);
        let breached = events(&store, problem).await.into_iter().filter(|e| matches!(e.kind, EventKind::ClockBreached { clock: ClockKind::Prevention, .. })).count();
        assert_eq!(breached, 1);
        store.fire_due(now() + days(12), 100).await.unwrap();
        assert_eq!(alerts(&store).await.into_iter().filter(|a| a.2 == ClockKind::Prevention).count(), 3, "fired once");
    }
}

store_test! {
    async fn recurrence_is_flagged_inside_the_window_and_not_outside(store: Store) {
        let w = world(&store).await;
        assert_eq!(store.recurrence_window_days().await.unwrap(), 90);
        invalid(store.set_recurrence_window_days(0).await, "recurrence_window_days");
        let first = problem_at(&store, &w, now(), "Software", vec![w.acme.id]).await;
        let prevention = store.record_prevention(actor(&w.agent, now()), new_prevention(first, w.agent.id, "Capacity")).await.unwrap().prevention.id;
        assert!(store.problem_recurrences(first).await.unwrap().is_empty());

        // Same category (any case) for Acme 30 days later: recurring, linked to its prevention.
        let again = problem_at(&store, &w, now() + days(30), " software", vec![w.acme.id]).await;
        let view = store.problem(again, now() + days(30)).await.unwrap();
        assert_eq!(view.recurrences.len(), 1);
        let r = &view.recurrences[0];
        assert_eq!((r.earlier, r.basis.as_str(), r.prevention), (first, "category", Some(prevention)));
        assert_eq!(r.corrective_action.as_deref(), Some("Alert on disk usage at 80%"));
        let flagged: Vec<_> = events(&store, again).await.into_iter().filter_map(|e| match e.kind {
            k @ EventKind::RecurrenceFlagged { .. } => Some(k),
            _ => None,
        }).collect();
        assert_eq!(flagged, [EventKind::RecurrenceFlagged { earlier: first, prevention: Some(prevention), basis: "category".into(), category: "Software".into() }]);

        // The earlier problem does not recur the later one, even as its preventions are recorded.
        store.record_prevention(actor(&w.agent, now() + days(30)), NewPrevention { due_at: now() + days(40), ..new_prevention(first, w.agent.id, "Capacity") }).await.unwrap();
        assert!(store.problem_recurrences(first).await.unwrap().is_empty());

        // Another account, or another category: not recurring.
        let globex = problem_at(&store, &w, now() + days(31), "software", vec![w.globex.id]).await;
        assert!(store.problem_recurrences(globex).await.unwrap().is_empty());
        let billing = problem_at(&store, &w, now() + days(32), "billing", vec![w.acme.id]).await;
        assert!(store.problem_recurrences(billing).await.unwrap().is_empty());

        // Outside the window (more than 90 days after both): not recurring.
        let late = problem_at(&store, &w, now() + days(200), "software", vec![w.acme.id]).await;
        assert!(store.problem_recurrences(late).await.unwrap().is_empty());

        // The same cause category, once a prevention names it, is a recurrence too.
        let late_cause = store.record_prevention(actor(&w.agent, now() + days(200)), NewPrevention { due_at: now() + days(210), ..new_prevention(late, w.agent.id, "Capacity") }).await.unwrap().prevention.id;
        let printing = problem_at(&store, &w, now() + days(201), "printing", vec![w.acme.id]).await;
        assert!(store.problem_recurrences(printing).await.unwrap().is_empty());
        let t = now() + days(201);
        store.record_prevention(actor(&w.agent, t), NewPrevention { due_at: t + days(5), ..new_prevention(printing, w.agent.id, " capacity ") }).await.unwrap();
        let r = store.problem_recurrences(printing).await.unwrap();
        assert_eq!(r.iter().map(|r| (r.earlier, r.basis.as_str(), r.prevention)).collect::<Vec<_>>(), [(late, "cause_category", Some(late_cause))]);

        // A narrower window: 10 days, and 30 days later is no longer recurring.
        assert_eq!(store.set_recurrence_window_days(10).await.unwrap(), 10);
        assert_eq!(store.recurrence_window_days().await.unwrap(), 10);
        let narrow = problem_at(&store, &w, now() + days(231), "printing", vec![w.acme.id]).await;
        assert!(store.problem_recurrences(narrow).await.unwrap().is_empty());
    }
}

store_test! {
    async fn a_vendor_promise_is_chased_then_broken_by_the_scheduler_exactly_once(store: Store) {
        let w = world(&store).await;
        supervisor(&store).await;
        without_digests(&store).await;
        let a = actor(&w.agent, now());
        let problem = problem_at(&store, &w, now(), "hosting", vec![w.acme.id]).await;
        let base = || NewVendorPromise { problem, vendor: w.vendor.id, what: "Restore the backups".into(), due_at: now() + hours(10) };
        invalid(store.make_vendor_promise(a, NewVendorPromise { vendor: VendorId(999), ..base() }).await, "vendor");
        invalid(store.make_vendor_promise(a, NewVendorPromise { what: " ".into(), ..base() }).await, "what");
        invalid(store.make_vendor_promise(a, NewVendorPromise { due_at: now(), ..base() }).await, "due_at");
        let v = store.make_vendor_promise(a, base()).await.unwrap();
        let id = v.vendor_promise.id;
        assert_eq!((v.state, v.vendor_name.as_str(), v.clock.kind), (PromiseStatus::Open, "HostCo", ClockKind::VendorPromise));
        assert_eq!(events(&store, problem).await.pop().unwrap().kind, EventKind::VendorPromiseMade { vendor_promise: id, vendor: w.vendor.id, what: "Restore the backups".into(), due_at: now() + hours(10) });

        // At risk, the problem's owner chases the vendor.
        let chase = format!("Chase HostCo about MG-{}: Restore the backups", problem.0);
        let duties = store.duties(Some(w.agent.id), now() + hours(9), 50).await.unwrap();
        assert!(duties.iter().any(|d| d.kind == ClockKind::VendorPromise && d.summary == chase), "{duties:#?}");
        store.fire_due(now() + hours(9), 100).await.unwrap();
        let due = now() + hours(10);
        store.fire_due(due + minutes(1), 100).await.unwrap();
        store.fire_due(due + hours(2), 100).await.unwrap();
        assert_eq!(store.vendor_promise(id, due + hours(3)).await.unwrap().vendor_promise.status, PromiseStatus::Broken);
        let broken: Vec<_> = events(&store, problem).await.into_iter().filter(|e| matches!(e.kind, EventKind::VendorPromiseBroken { .. })).map(|e| (e.at, e.kind)).collect();
        assert_eq!(broken, [(due, EventKind::VendorPromiseBroken { vendor_promise: id, due_at: due })]);
        let ours: Vec<_> = alerts(&store).await.into_iter().filter(|a| a.2 == ClockKind::VendorPromise).map(|a| (a.0, a.1, a.3)).collect();
        let gone = format!("HostCo broke its promise on MG-{}: Restore the backups", problem.0);
        assert_eq!(ours, [
            ("alex@makegood.example".to_owned(), AlertKind::Warning, chase),
            ("ada@makegood.example".to_owned(), AlertKind::PromiseBroken, gone.clone()),
            ("alex@makegood.example".to_owned(), AlertKind::PromiseBroken, gone.clone()),
            ("sue@makegood.example".to_owned(), AlertKind::PromiseBroken, gone),
        ]);
        assert!(conflict(store.keep_vendor_promise(actor(&w.agent, due + hours(3)), id, None).await).contains("vendor promise"));
    }
}

store_test! {
    async fn vendor_reliability_counts_how_their_promises_ended(store: Store) {
        let w = world(&store).await;
        let printco = store.create_vendor(NewVendor { name: "PrintCo".into(), email: None }).await.unwrap();
        let a = actor(&w.agent, now());
        let problem = problem_at(&store, &w, now(), "hosting", vec![w.acme.id]).await;
        let make = |vendor, due: SignedDuration| NewVendorPromise { problem, vendor, what: "Fix it".into(), due_at: now() + due };
        // HostCo: one kept, one renegotiated (its successor still open), one broken.
        let kept = store.make_vendor_promise(a, make(w.vendor.id, hours(10))).await.unwrap().vendor_promise.id;
        store.keep_vendor_promise(actor(&w.agent, now() + hours(1)), kept, Some(1)).await.unwrap();
        let moved = store.make_vendor_promise(a, make(w.vendor.id, hours(10))).await.unwrap().vendor_promise.id;
        invalid(store.renegotiate_vendor_promise(a, moved, None, now() + hours(20), "").await, "reason");
        let next = store.renegotiate_vendor_promise(actor(&w.agent, now() + hours(2)), moved, Some(1), now() + days(10), "Waiting on a part").await.unwrap();
        assert_eq!((next.vendor_promise.renegotiated_from, next.vendor_promise.due_at), (Some(moved), now() + days(10)));
        assert_eq!(store.vendor_promise(moved, now()).await.unwrap().vendor_promise.renegotiated_to, Some(next.vendor_promise.id));
        store.make_vendor_promise(a, make(w.vendor.id, hours(5))).await.unwrap();
        // PrintCo: one kept.
        let p = store.make_vendor_promise(a, make(printco.id, hours(5))).await.unwrap().vendor_promise.id;
        store.keep_vendor_promise(a, p, None).await.unwrap();

        // Counted a day later: the 5 h HostCo promise is past due, so broken.
        let all = store.vendor_reliability(None, now() + days(1)).await.unwrap();
        let got: Vec<_> = all.iter().map(|r| (r.name.as_str(), r.record.kept, r.record.renegotiated, r.record.broken, r.record.open)).collect();
        assert_eq!(got, [("HostCo", 1, 1, 1, 1), ("PrintCo", 1, 0, 0, 0)]);
        // Kept on time: 1 of 3 decided = 33.3%; broken 33.3%.
        assert_eq!(all[0].record.kept_rate().map(|r| r.basis_points()), Some(3_333));
        assert_eq!(all[0].record.broken_rate().map(|r| r.to_string()), Some("33.3%".into()));
        assert_eq!(all[1].record.kept_rate().map(|r| r.to_string()), Some("100.0%".into()));
        let one = store.vendor_reliability(Some(printco.id), now() + days(1)).await.unwrap();
        assert_eq!(one.len(), 1);
        assert_eq!(store.vendor_promises_of(w.vendor.id, now()).await.unwrap().len(), 4);
        assert_eq!(store.problem_vendor_promises(problem, now()).await.unwrap().len(), 5);
    }
}
