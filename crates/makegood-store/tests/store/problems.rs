//! Problems: validation, the lifecycle through events, versions and concurrent writers.

use makegood_domain::{
    ClockKind, ClockState, EventKind, MemberId, Origin, Outcome, ProblemNumber, Role, Severity,
    Status, WaitingOn,
};
use makegood_store::{MemberPatch, PageRequest, ProblemPatch, Store, StoreError};

use crate::common::*;

fn note(body: &str) -> EventKind {
    EventKind::Note { body: body.into() }
}

store_test! {
    async fn a_new_problem_has_its_clocks_and_a_created_event(store: Store) {
        let w = world(&store).await;
        let view = store.create_problem(actor(&w.agent, now()), new_problem(&w, "Export stopped")).await.unwrap();
        let p = &view.problem;
        assert_eq!(p.number, ProblemNumber(p.id.0));
        assert_eq!((p.status, p.version, p.owner), (Status::Open, 1, w.agent.id));
        assert_eq!((p.accounts.clone(), p.stakeholders.clone()), (vec![w.acme.id], vec![w.ann.id]));
        assert_eq!((p.detected_at, p.created_at), (now() - hours(1), now()));
        // Major: tell within 4 h of detection (warning 48 min before), fix within 72 h.
        let tell = view.clocks.iter().find(|c| c.kind == ClockKind::Tell).unwrap();
        assert_eq!(tell.due_at, Some(at("2025-03-03T12:00:00Z")));
        assert_eq!(tell.warn_at, Some(at("2025-03-03T11:12:00Z")));
        assert_eq!(view.clock_state, Some(ClockState::Ok));
        assert_eq!(store.problem(p.id, now()).await.unwrap(), view);
        let later = store.problem(p.id, at("2025-03-03T11:30:00Z")).await.unwrap();
        assert_eq!(later.clock_state, Some(ClockState::Warning));

        let timeline = store.timeline(p.id, &PageRequest::default()).await.unwrap().items;
        assert_eq!(timeline.len(), 1);
        assert_eq!(timeline[0].kind, EventKind::Created { title: "Export stopped".into(), severity: Severity::Major });
        assert_eq!((timeline[0].actor, timeline[0].at), (Some(w.agent.id), now()));
        assert!(matches!(store.problem(makegood_domain::ProblemId(999), now()).await, Err(StoreError::NotFound { .. })));
    }
}

store_test! {
    async fn problems_are_validated(store: Store) {
        let w = world(&store).await;
        let a = actor(&w.agent, now());
        let base = || new_problem(&w, "Export stopped");
        invalid(store.create_problem(a, makegood_store::NewProblem { title: " ".into(), ..base() }).await, "title");
        invalid(store.create_problem(a, makegood_store::NewProblem { title: "x".repeat(201), ..base() }).await, "title");
        invalid(store.create_problem(a, makegood_store::NewProblem { description: "x".repeat(20_001), ..base() }).await, "description");
        invalid(store.create_problem(a, makegood_store::NewProblem { category: "x".repeat(81), ..base() }).await, "category");
        invalid(store.create_problem(a, makegood_store::NewProblem { accounts: vec![], ..base() }).await, "accounts");
        invalid(store.create_problem(a, makegood_store::NewProblem { accounts: vec![makegood_domain::AccountId(999)], ..base() }).await, "accounts");
        invalid(
            store.create_problem(a, makegood_store::NewProblem { stakeholders: vec![makegood_domain::ContactId(999)], ..base() }).await,
            "stakeholders",
        );
        let other = invalid(store.create_problem(a, makegood_store::NewProblem { stakeholders: vec![w.bob.id], ..base() }).await, "stakeholders");
        assert_eq!(other, format!("contact {} belongs to another account", w.bob.id));
        let viewer = invalid(store.create_problem(a, makegood_store::NewProblem { owner: w.viewer.id, ..base() }).await, "owner");
        assert!(viewer.contains("viewer"), "{viewer}");
        invalid(store.create_problem(a, makegood_store::NewProblem { owner: MemberId(999), ..base() }).await, "owner");
        invalid(store.create_problem(a, makegood_store::NewProblem { origin: Origin::Vendor, ..base() }).await, "vendor");
        invalid(store.create_problem(a, makegood_store::NewProblem { vendor: Some(w.vendor.id), ..base() }).await, "vendor");
        invalid(
            store.create_problem(a, makegood_store::NewProblem { origin: Origin::Vendor, vendor: Some(makegood_domain::VendorId(999)), ..base() }).await,
            "vendor",
        );
        invalid(store.create_problem(a, makegood_store::NewProblem { detected_at: Some(now() + minutes(1)), ..base() }).await, "detected_at");
        let vendor_origin = makegood_store::NewProblem { origin: Origin::Vendor, vendor: Some(w.vendor.id), detected_at: None, ..base() };
        let ok = store.create_problem(a, vendor_origin).await.unwrap();
        assert_eq!((ok.problem.vendor, ok.problem.detected_at), (Some(w.vendor.id), now()));

        store.update_member(w.admin.id, MemberPatch { active: Some(false), ..Default::default() }).await.unwrap();
        invalid(store.create_problem(a, makegood_store::NewProblem { owner: w.admin.id, ..base() }).await, "owner");
        assert_eq!(store.list_problems(&Default::default(), &PageRequest::default(), now()).await.unwrap().items.len(), 1);
    }
}

store_test! {
    async fn a_problem_moves_through_its_lifecycle_by_events(store: Store) {
        let w = world(&store).await;
        let id = store.create_problem(actor(&w.agent, now()), new_problem(&w, "Export stopped")).await.unwrap().problem.id;
        let step = |minutes_after: i64| actor(&w.agent, now() + minutes(minutes_after));

        let v = store.record(step(5), id, Some(1), note("looking into it")).await.unwrap();
        assert_eq!((v.problem.status, v.problem.version), (Status::Open, 2));
        let told = store.record(step(30), id, None, EventKind::Update { body: "We are on it".into() }).await.unwrap();
        let tell = told.clocks.iter().find(|c| c.kind == ClockKind::Tell).unwrap();
        assert_eq!(tell.state, ClockState::Met);
        assert!(told.clocks.iter().any(|c| c.kind == ClockKind::Update));

        let msg = conflict(store.record(step(31), id, None, EventKind::Resumed).await);
        assert_eq!(msg, "cannot record `resumed` while the problem is open");
        let waiting = EventKind::Waiting { on: WaitingOn::Customer, reason: "needs their export".into() };
        assert_eq!(store.record(step(40), id, None, waiting).await.unwrap().problem.status, Status::WaitingOnCustomer);
        assert_eq!(store.record(step(50), id, None, EventKind::Resumed).await.unwrap().problem.status, Status::Open);
        let fixed = store.record(step(60), id, None, EventKind::Fixed { summary: "re-ran it".into() }).await.unwrap();
        assert_eq!(fixed.problem.status, Status::Fixed);
        assert_eq!(fixed.clock_state, None, "nothing runs once told and fixed");
        assert_eq!(store.record(step(70), id, None, EventKind::Confirmed { contact: None }).await.unwrap().problem.status, Status::Confirmed);
        let closed = store.record(step(80), id, None, EventKind::Closed { outcome: Outcome::Retained }).await.unwrap();
        assert_eq!((closed.problem.status, closed.problem.outcome), (Status::Closed, Some(Outcome::Retained)));
        conflict(store.record(step(81), id, None, EventKind::Closed { outcome: Outcome::Lost }).await);
        let reopened = store.record(step(90), id, None, EventKind::Reopened { reason: "again".into() }).await.unwrap();
        assert_eq!((reopened.problem.status, reopened.problem.outcome), (Status::Open, None));
        assert_eq!(reopened.problem.version, 9);

        invalid(store.record(step(91), id, None, EventKind::Update { body: " ".into() }).await, "body");
        invalid(store.record(step(91), id, None, EventKind::Created { title: "x".into(), severity: Severity::Minor }).await, "type");
        invalid(store.record(step(91), id, None, EventKind::PromiseKept).await, "type");

        let kinds: Vec<&str> = store.timeline(id, &PageRequest::default()).await.unwrap().items.iter().map(|e| e.kind.name()).collect();
        assert_eq!(kinds, ["created", "note", "update", "waiting", "resumed", "fixed", "confirmed", "closed", "reopened"]);
        let listed = store.list_problems(&makegood_store::ProblemFilter { status: Some(Status::Open), ..Default::default() }, &PageRequest::default(), now()).await.unwrap();
        assert_eq!(listed.items.len(), 1);
    }
}

store_test! {
    async fn ownership_passes_only_to_members_who_may_own(store: Store) {
        let w = world(&store).await;
        let id = store.create_problem(actor(&w.agent, now()), new_problem(&w, "Export stopped")).await.unwrap().problem.id;
        let a = actor(&w.admin, now());
        invalid(store.record(a, id, None, EventKind::OwnerChanged { from: w.agent.id, to: w.viewer.id }).await, "owner");
        invalid(store.record(a, id, None, EventKind::OwnerChanged { from: w.agent.id, to: MemberId(999) }).await, "owner");
        invalid(store.record(a, id, None, EventKind::OwnerChanged { from: w.agent.id, to: w.agent.id }).await, "owner");
        let supervisor = store.create_member(new_member("Sue", "sue@makegood.example", Role::Supervisor), now()).await.unwrap();
        // `from` is filled in from the database, whatever the caller said.
        let v = store.record(a, id, Some(1), EventKind::OwnerChanged { from: w.viewer.id, to: supervisor.id }).await.unwrap();
        assert_eq!((v.problem.owner, v.problem.version), (supervisor.id, 2));
        let last = store.timeline(id, &PageRequest::default()).await.unwrap().items.pop().unwrap();
        assert_eq!(last.kind, EventKind::OwnerChanged { from: w.agent.id, to: supervisor.id });
    }
}

store_test! {
    async fn writes_against_an_old_version_are_stale(store: Store) {
        let w = world(&store).await;
        let id = store.create_problem(actor(&w.agent, now()), new_problem(&w, "Export stopped")).await.unwrap().problem.id;
        store.record(actor(&w.agent, now()), id, Some(1), note("one")).await.unwrap();
        let stale = store.record(actor(&w.agent, now()), id, Some(1), note("two")).await;
        assert!(matches!(stale, Err(StoreError::Stale { what: "problem", current: 2 })), "{stale:?}");
        let stale = store.update_problem(actor(&w.agent, now()), id, Some(1), ProblemPatch { title: Some("New".into()), ..Default::default() }).await;
        assert!(matches!(stale, Err(StoreError::Stale { current: 2, .. })), "{stale:?}");
        assert_eq!(store.problem(id, now()).await.unwrap().problem.version, 2);
    }
}

store_test! {
    async fn of_two_concurrent_writers_with_the_same_version_exactly_one_wins(store: Store) {
        let w = world(&store).await;
        let id = store.create_problem(actor(&w.agent, now()), new_problem(&w, "Export stopped")).await.unwrap().problem.id;
        for round in 0..3_i64 {
            let version = 1 + round;
            let (a, b) = tokio::join!(
                store.record(actor(&w.agent, now()), id, Some(version), note("from A")),
                store.record(actor(&w.admin, now()), id, Some(version), note("from B")),
            );
            let winners = [&a, &b].iter().filter(|r| r.is_ok()).count();
            assert_eq!(winners, 1, "round {round}: {a:?} / {b:?}");
            let loser = if a.is_ok() { b } else { a };
            assert!(matches!(loser, Err(StoreError::Stale { current, .. }) if current == version + 1));
        }
        assert_eq!(store.problem(id, now()).await.unwrap().problem.version, 4);
        assert_eq!(store.timeline(id, &PageRequest::default()).await.unwrap().items.len(), 4);
    }
}

store_test! {
    async fn editing_a_problem_records_the_fields_and_recomputes_its_deadlines(store: Store) {
        let w = world(&store).await;
        let a = actor(&w.agent, now());
        let id = store.create_problem(a, new_problem(&w, "Export stopped")).await.unwrap().problem.id;
        let same = store.update_problem(a, id, Some(1), ProblemPatch { title: Some("Export stopped".into()), ..Default::default() }).await.unwrap();
        assert_eq!(same.problem.version, 1, "no change, no new version");

        let patch = ProblemPatch { title: Some("Nightly export stopped".into()), severity: Some(Severity::Critical), ..Default::default() };
        let v = store.update_problem(a, id, Some(1), patch).await.unwrap();
        assert_eq!((v.problem.title.as_str(), v.problem.severity, v.problem.version), ("Nightly export stopped", Severity::Critical, 2));
        // Critical: tell within 1 h of detection (08:00), so due at 09:00 and warning since 08:48.
        let tell = v.clocks.iter().find(|c| c.kind == ClockKind::Tell).unwrap();
        assert_eq!(tell.due_at, Some(now()));
        assert_eq!(v.clock_state, Some(ClockState::Warning));
        let breached = makegood_store::ProblemFilter { clock_state: Some(ClockState::Breached), ..Default::default() };
        let listed = store.list_problems(&breached, &PageRequest::default(), now() + minutes(1)).await.unwrap();
        assert_eq!(listed.items.len(), 1, "the materialised deadline moved with the severity");
        let last = store.timeline(id, &PageRequest::default()).await.unwrap().items.pop().unwrap();
        assert_eq!(last.kind, EventKind::Edited { fields: vec!["title".into(), "severity".into()] });

        let to_globex = ProblemPatch { accounts: Some(vec![w.globex.id]), ..Default::default() };
        let msg = invalid(store.update_problem(a, id, None, to_globex.clone()).await, "stakeholders");
        assert!(msg.contains("belongs to another account"));
        let with_bob = ProblemPatch { stakeholders: Some(vec![w.bob.id]), ..to_globex };
        let moved = store.update_problem(a, id, None, with_bob).await.unwrap();
        assert_eq!((moved.problem.accounts.clone(), moved.problem.stakeholders.clone()), (vec![w.globex.id], vec![w.bob.id]));

        invalid(store.update_problem(a, id, None, ProblemPatch { origin: Some(Origin::Vendor), ..Default::default() }).await, "vendor");
        let to_vendor = ProblemPatch { origin: Some(Origin::Vendor), vendor: Some(Some(w.vendor.id)), ..Default::default() };
        assert_eq!(store.update_problem(a, id, None, to_vendor).await.unwrap().problem.vendor, Some(w.vendor.id));
        let back = store.update_problem(a, id, None, ProblemPatch { origin: Some(Origin::Ours), ..Default::default() }).await.unwrap();
        assert_eq!(back.problem.vendor, None, "leaving vendor origin drops the vendor");
        invalid(store.update_problem(a, id, None, ProblemPatch { detected_at: Some(now() + hours(1)), ..Default::default() }).await, "detected_at");
        invalid(store.update_problem(a, id, None, ProblemPatch { accounts: Some(vec![]), ..Default::default() }).await, "accounts");
    }
}

store_test! {
    async fn event_times_never_go_backwards_when_a_clock_lags(store: Store) {
        let w = world(&store).await;
        let view = store.create_problem(actor(&w.agent, now()), new_problem(&w, "Export stopped")).await.unwrap();
        let id = view.problem.id;
        let waiting = EventKind::Waiting { on: WaitingOn::Customer, reason: "their VPN".into() };
        store.record(actor(&w.agent, now() + hours(2)), id, None, waiting).await.unwrap();
        // Another process whose clock is an hour behind records the resume.
        store.record(actor(&w.agent, now() + hours(1)), id, None, EventKind::Resumed).await.unwrap();
        let times: Vec<_> = store.timeline(id, &PageRequest::default()).await.unwrap().items.iter().map(|e| e.at).collect();
        assert_eq!(times, [now(), now() + hours(2), now() + hours(2)]);
        // The pause lasted no time at all, so the fix clock is not moved: 72 h from detection.
        let fix = store.problem(id, now() + hours(3)).await.unwrap().clocks.into_iter().find(|c| c.kind == ClockKind::Fix).unwrap();
        assert_eq!(fix.due_at, Some(now() - hours(1) + hours(72)));
    }
}
