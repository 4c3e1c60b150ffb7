//! Remedies: the issue's example (a reprint of 2,000 by an account manager with authority
//! 1,000 waits; with a vendor share of 1,200 the net 800 is approved at once), approval by
//! authority, rejection with a reason, delivery, the vendor's share, lists, the approval
//! clock's alerts and duties.

use makegood_domain::{
    AlertKind, ClockKind, ClockState, EventKind, Member, MemberId, NewRemedy, Outcome, ProblemId,
    RemedyId, RemedyKind, RemedyStatus, Role, VendorId, VendorShare,
};
use makegood_store::{
    MemberPatch, PageRequest, RemedyFilter, RemedyListState, RemedyView, Store, StoreError,
};

use crate::common::*;
use crate::scheduler::{alerts, fired, without_digests};

/// A member of `role` with a remedy authority of `authority` cents of EUR.
async fn lead(store: &Store, name: &str, role: Role, authority: i64) -> Member {
    let email = format!("{}@makegood.example", name.to_lowercase());
    let m = store
        .create_member(new_member(name, &email, role), now())
        .await
        .unwrap();
    set_authority(store, m.id, authority).await
}

async fn set_authority(store: &Store, id: MemberId, authority: i64) -> Member {
    let patch = MemberPatch {
        remedy_authority: Some(eur(authority)),
        ..MemberPatch::default()
    };
    store.update_member(id, patch).await.unwrap()
}

/// A reprint of the brochures for `problem` costing `cost` cents, the vendor paying `share`.
fn reprint(problem: ProblemId, cost: i64, share: Option<(VendorId, i64)>) -> NewRemedy {
    NewRemedy {
        problem,
        kind: RemedyKind::Redo,
        description: "We reprint the 500 brochures at our cost".into(),
        cost: eur(cost),
        vendor_share: share.map(|(vendor, amount)| VendorShare {
            vendor,
            amount: eur(amount),
            received: true,
        }),
    }
}

/// The remedy events on a problem's timeline.
async fn remedy_events(store: &Store, id: ProblemId) -> Vec<EventKind> {
    let all = PageRequest {
        cursor: None,
        limit: Some(200),
    };
    store
        .timeline(id, &all)
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|e| e.kind)
        .filter(|k| k.name().starts_with("remedy") || k.name() == "vendor_share_received")
        .collect()
}

fn state(v: &RemedyView) -> &'static str {
    v.remedy.status.as_str()
}

store_test! {
    async fn the_issues_reprint_waits_above_authority_and_is_approved_at_once_within_it(store: Store) {
        let w = world(&store).await;
        // The account manager (an agent) may approve up to 1,000.00 alone.
        assert_eq!(w.agent.remedy_authority, eur(100_000));
        let a = actor(&w.agent, now());
        let problem = store.create_problem(a, new_problem(&w, "Brochures misprinted")).await.unwrap().problem.id;

        let waiting = store.propose_remedy(a, reprint(problem, 200_000, None)).await.unwrap();
        assert_eq!(state(&waiting), "awaiting_approval");
        assert!(waiting.remedy.approval_required);
        assert_eq!((waiting.net_cost, waiting.version), (eur(200_000), 1));
        let clock = waiting.approval.unwrap();
        assert_eq!((clock.state, clock.started_at, clock.due_at), (ClockState::Ok, now(), now() + hours(24)));
        assert_eq!(clock.warn_at, now() + hours(24) - minutes(288));

        let shared = store.propose_remedy(a, reprint(problem, 200_000, Some((w.vendor.id, 120_000)))).await.unwrap();
        assert_eq!(shared.remedy.status, RemedyStatus::Approved { by: w.agent.id, at: now() });
        assert_eq!((shared.net_cost, shared.approval, shared.remedy.approval_required), (eur(80_000), None, false));
        let share = shared.remedy.vendor_share.unwrap();
        assert_eq!((share.vendor, share.amount, share.received), (w.vendor.id, eur(120_000), false));

        assert_eq!(
            remedy_events(&store, problem).await,
            [
                EventKind::RemedyProposed {
                    remedy: waiting.remedy.id,
                    kind: RemedyKind::Redo,
                    description: "We reprint the 500 brochures at our cost".into(),
                    cost: eur(200_000),
                    net_cost: eur(200_000),
                    approval_required: true,
                },
                EventKind::RemedyProposed {
                    remedy: shared.remedy.id,
                    kind: RemedyKind::Redo,
                    description: "We reprint the 500 brochures at our cost".into(),
                    cost: eur(200_000),
                    net_cost: eur(80_000),
                    approval_required: false,
                },
            ]
        );
        assert_eq!(store.remedy(waiting.remedy.id, now()).await.unwrap(), waiting);
        assert!(matches!(store.remedy(RemedyId(999), now()).await, Err(StoreError::NotFound { .. })));
        // The problem's own state ignores remedy events.
        let view = store.problem(problem, now()).await.unwrap();
        assert_eq!(view.problem.status, makegood_domain::Status::Open);
    }
}

store_test! {
    async fn proposals_are_validated(store: Store) {
        let w = world(&store).await;
        let a = actor(&w.agent, now());
        let problem = store.create_problem(a, new_problem(&w, "Brochures misprinted")).await.unwrap().problem.id;
        let base = || reprint(problem, 200_000, None);
        invalid(store.propose_remedy(a, NewRemedy { description: "  ".into(), ..base() }).await, "description");
        invalid(store.propose_remedy(a, NewRemedy { description: "x".repeat(1_001), ..base() }).await, "description");
        invalid(store.propose_remedy(a, NewRemedy { cost: eur(-1), ..base() }).await, "cost");
        let missing = invalid(store.propose_remedy(a, reprint(problem, 1_000, Some((VendorId(999), 10)))).await, "vendor_share.vendor");
        assert_eq!(missing, "vendor 999 does not exist");
        let more = invalid(store.propose_remedy(a, reprint(problem, 1_000, Some((w.vendor.id, 1_001)))).await, "vendor_share.amount");
        assert!(more.contains("larger than the cost"), "{more}");
        assert!(matches!(
            store.propose_remedy(a, reprint(ProblemId(999), 1_000, None)).await,
            Err(StoreError::NotFound { what: "problem" })
        ));
        let viewer = conflict(store.propose_remedy(actor(&w.viewer, now()), base()).await);
        assert_eq!(viewer, "a viewer may not propose remedies");

        store.record(a, problem, None, EventKind::Closed { outcome: Outcome::Retained }).await.unwrap();
        let closed = conflict(store.propose_remedy(a, base()).await);
        assert_eq!(closed, format!("MG-{problem} is closed; reopen it before proposing a remedy"));
        assert!(remedy_events(&store, problem).await.is_empty(), "nothing refused was recorded");
    }
}

store_test! {
    async fn only_a_supervisor_or_admin_whose_authority_covers_it_approves(store: Store) {
        let w = world(&store).await;
        let low = lead(&store, "Lou", Role::Supervisor, 150_000).await;
        let high = lead(&store, "Hana", Role::Supervisor, 500_000).await;
        let a = actor(&w.agent, now());
        let problem = store.create_problem(a, new_problem(&w, "Brochures misprinted")).await.unwrap().problem.id;
        let id = store.propose_remedy(a, reprint(problem, 200_000, None)).await.unwrap().remedy.id;
        let later = now() + hours(2);

        let too_low = conflict(store.approve_remedy(actor(&low, later), id, None).await);
        assert_eq!(too_low, "an authority of 1500.00 EUR cannot approve a net cost of 2000.00 EUR");
        assert!(conflict(store.approve_remedy(actor(&w.agent, later), id, None).await).contains("not a agent"));
        assert!(matches!(
            store.approve_remedy(actor(&high, later), id, Some(7)).await,
            Err(StoreError::Stale { what: "remedy", current: 1 })
        ));
        let approved = store.approve_remedy(actor(&high, later), id, Some(1)).await.unwrap();
        assert_eq!(approved.remedy.status, RemedyStatus::Approved { by: high.id, at: later });
        assert_eq!(approved.version, 2);
        let clock = approved.approval.unwrap();
        assert_eq!((clock.state, clock.decided_at), (ClockState::Met, Some(later)));
        assert_eq!(
            conflict(store.approve_remedy(actor(&high, later), id, None).await),
            "the remedy is approved, not awaiting approval"
        );
        assert_eq!(remedy_events(&store, problem).await.last(), Some(&EventKind::RemedyApproved { remedy: id }));

        // Decided after its deadline, the clock is missed.
        let late = store.propose_remedy(a, reprint(problem, 300_000, None)).await.unwrap().remedy.id;
        let v = store.approve_remedy(actor(&high, now() + hours(30)), late, None).await.unwrap();
        assert_eq!(v.approval.unwrap().state, ClockState::Missed);
    }
}

store_test! {
    async fn rejection_needs_a_reason_and_ends_it(store: Store) {
        let w = world(&store).await;
        let boss = lead(&store, "Hana", Role::Supervisor, 10).await;
        let a = actor(&w.agent, now());
        let problem = store.create_problem(a, new_problem(&w, "Brochures misprinted")).await.unwrap().problem.id;
        let id = store.propose_remedy(a, reprint(problem, 200_000, None)).await.unwrap().remedy.id;
        let b = actor(&boss, now() + hours(1));
        invalid(store.reject_remedy(b, id, None, "  ").await, "reason");
        assert!(conflict(store.reject_remedy(actor(&w.agent, now()), id, None, "no").await).contains("supervisor or admin"));
        // Refusing spends nothing: no authority over the amount is needed.
        let rejected = store.reject_remedy(b, id, Some(1), "a discount will do").await.unwrap();
        assert_eq!(
            rejected.remedy.status,
            RemedyStatus::Rejected { by: boss.id, at: now() + hours(1), reason: "a discount will do".into() }
        );
        assert_eq!(rejected.approval.unwrap().state, ClockState::Met);
        conflict(store.approve_remedy(b, id, None).await);
        assert!(conflict(store.deliver_remedy(b, id, None, None).await).contains("only an approved remedy"));
        assert_eq!(
            remedy_events(&store, problem).await.last(),
            Some(&EventKind::RemedyRejected { remedy: id, reason: "a discount will do".into() })
        );
    }
}

store_test! {
    async fn an_approved_remedy_is_delivered_then_the_vendors_share_received(store: Store) {
        let w = world(&store).await;
        let a = actor(&w.agent, now());
        let problem = store.create_problem(a, new_problem(&w, "Brochures misprinted")).await.unwrap().problem.id;
        let waiting = store.propose_remedy(a, reprint(problem, 200_000, None)).await.unwrap().remedy.id;
        assert!(conflict(store.deliver_remedy(a, waiting, None, None).await).contains("awaiting_approval"));
        let id = store.propose_remedy(a, reprint(problem, 200_000, Some((w.vendor.id, 120_000)))).await.unwrap().remedy.id;

        let later = actor(&w.agent, now() + hours(5));
        invalid(store.deliver_remedy(later, id, None, Some(now() + hours(6))).await, "delivered_at");
        invalid(store.deliver_remedy(later, id, None, Some(now() - hours(1))).await, "delivered_at");
        let delivered = store.deliver_remedy(later, id, Some(1), Some(now() + hours(4))).await.unwrap();
        assert_eq!(
            delivered.remedy.status,
            RemedyStatus::Delivered { at: now() + hours(4), approved_by: w.agent.id, approved_at: now() }
        );
        conflict(store.deliver_remedy(later, id, None, None).await);

        let outstanding = RemedyFilter { share_outstanding: true, ..RemedyFilter::default() };
        let listed = store.list_remedies(&outstanding, &PageRequest::default(), now()).await.unwrap();
        assert_eq!(listed.items.iter().map(|v| v.remedy.id).collect::<Vec<_>>(), [id]);

        let received = store.receive_vendor_share(later, id, Some(2)).await.unwrap();
        assert!(received.remedy.vendor_share.unwrap().received);
        assert_eq!((received.vendor_share_received_at, received.version), (Some(now() + hours(5)), 3));
        // Again: nothing changes and nothing more is recorded.
        let again = store.receive_vendor_share(later, id, None).await.unwrap();
        assert_eq!(again, received);
        assert!(store.list_remedies(&outstanding, &PageRequest::default(), now()).await.unwrap().items.is_empty());
        assert!(conflict(store.receive_vendor_share(later, waiting, None).await).contains("no vendor share"));
        let events = remedy_events(&store, problem).await;
        assert_eq!(
            events[events.len() - 2..],
            [
                EventKind::RemedyDelivered { remedy: id, delivered_at: now() + hours(4) },
                EventKind::VendorShareReceived { remedy: id, vendor: w.vendor.id, amount: eur(120_000) },
            ]
        );
    }
}

store_test! {
    async fn remedies_list_per_problem_and_as_the_approval_queue(store: Store) {
        let w = world(&store).await;
        let a = actor(&w.agent, now());
        let p1 = store.create_problem(a, new_problem(&w, "One")).await.unwrap().problem.id;
        let p2 = store.create_problem(a, new_problem(&w, "Two")).await.unwrap().problem.id;
        let mut ids = Vec::new();
        for (i, (problem, cost)) in [(p1, 200_000), (p2, 300_000), (p1, 5_000), (p2, 400_000)].into_iter().enumerate() {
            let at = actor(&w.agent, now() + minutes(i64::try_from(i).unwrap()));
            ids.push(store.propose_remedy(at, reprint(problem, cost, None)).await.unwrap().remedy.id);
        }
        let list = |filter: RemedyFilter, limit, cursor| {
            let store = store.clone();
            async move {
                store.list_remedies(&filter, &PageRequest { cursor, limit: Some(limit) }, now()).await.unwrap()
            }
        };
        let of_p1 = list(RemedyFilter { problem: Some(p1), ..Default::default() }, 50, None).await;
        assert_eq!(of_p1.items.iter().map(|v| v.remedy.id).collect::<Vec<_>>(), [ids[0], ids[2]]);
        let queue = || RemedyFilter { state: Some(RemedyListState::AwaitingApproval), ..Default::default() };
        let first = list(queue(), 2, None).await;
        assert_eq!(first.items.iter().map(|v| v.remedy.id).collect::<Vec<_>>(), [ids[0], ids[1]]);
        let rest = list(queue(), 2, first.next_cursor.clone()).await;
        assert_eq!(rest.items.iter().map(|v| v.remedy.id).collect::<Vec<_>>(), [ids[3]]);
        assert_eq!(rest.next_cursor, None);
        let approved = list(RemedyFilter { state: Some(RemedyListState::Approved), ..Default::default() }, 50, None).await;
        assert_eq!(approved.items.iter().map(|v| v.remedy.id).collect::<Vec<_>>(), [ids[2]]);
        // A cursor of the queue is not one of the full list.
        let wrong = store
            .list_remedies(&RemedyFilter::default(), &PageRequest { cursor: first.next_cursor, limit: None }, now())
            .await;
        invalid(wrong, "cursor");
    }
}

/// The approval alerts: (recipient, kind, summary).
async fn approval_alerts(store: &Store) -> Vec<(String, AlertKind, String)> {
    alerts(store)
        .await
        .into_iter()
        .filter(|(_, _, clock, _, _)| *clock == ClockKind::Approval)
        .map(|(to, kind, _, summary, _)| (to, kind, summary))
        .collect()
}

store_test! {
    async fn the_approval_clock_warns_the_approvers_then_breaches_once_to_every_lead(store: Store) {
        let w = world(&store).await;
        let _lou = lead(&store, "Lou", Role::Supervisor, 150_000).await;
        let high = lead(&store, "Hana", Role::Supervisor, 500_000).await;
        without_digests(&store).await;
        let a = actor(&w.agent, now());
        let problem = store.create_problem(a, new_problem(&w, "Brochures misprinted")).await.unwrap().problem.id;
        let before = approval_alerts(&store).await.len();
        assert_eq!(before, 0);
        let id = store.propose_remedy(a, reprint(problem, 200_000, None)).await.unwrap().remedy.id;
        let due = now() + hours(24);
        let warn = due - minutes(288);
        assert!(store.next_wakeup().await.unwrap().unwrap() <= warn);

        store.fire_due(warn, 100).await.unwrap();
        let summary = format!("Approve the redo for Acme on MG-{problem} (EUR 2,000.00): We reprint the 500 brochures at our cost");
        assert_eq!(approval_alerts(&store).await, [("hana@makegood.example".to_owned(), AlertKind::Warning, summary.clone())]);

        let after = due + minutes(1);
        store.fire_due(after, 100).await.unwrap();
        store.fire_due(after + hours(1), 100).await.unwrap();
        let breaches: Vec<_> = approval_alerts(&store).await.into_iter().filter(|(_, k, _)| *k == AlertKind::Breach).collect();
        let mut to: Vec<&str> = breaches.iter().map(|(to, _, _)| to.as_str()).collect();
        to.sort_unstable();
        assert_eq!(to, ["ada@makegood.example", "alex@makegood.example", "hana@makegood.example", "lou@makegood.example"]);
        assert!(breaches.iter().all(|(_, _, s)| *s == summary));
        let approval: Vec<_> = fired(&store, problem).await.into_iter()
            .filter(|(_, k)| matches!(k, EventKind::ClockWarning { clock: ClockKind::Approval, .. } | EventKind::ClockBreached { clock: ClockKind::Approval, .. }))
            .collect();
        assert_eq!(
            approval,
            [
                (warn, EventKind::ClockWarning { clock: ClockKind::Approval, due_at: due }),
                (due, EventKind::ClockBreached { clock: ClockKind::Approval, due_at: due }),
            ]
        );
        let v = store.remedy(id, after).await.unwrap();
        assert_eq!(v.approval.unwrap().state, ClockState::Breached);

        // Deciding stops the clock: a remedy approved before its warning never alerts.
        let count = approval_alerts(&store).await.len();
        let other = store.propose_remedy(actor(&w.agent, after), reprint(problem, 300_000, None)).await.unwrap().remedy.id;
        store.approve_remedy(actor(&high, after + hours(1)), other, None).await.unwrap();
        store.fire_due(after + hours(48), 100).await.unwrap();
        assert_eq!(approval_alerts(&store).await.len(), count);
    }
}

store_test! {
    async fn the_approval_duty_asks_each_lead_whose_authority_covers_it(store: Store) {
        let w = world(&store).await;
        let low = lead(&store, "Lou", Role::Supervisor, 150_000).await;
        let high = lead(&store, "Hana", Role::Supervisor, 500_000).await;
        let a = actor(&w.agent, now());
        let problem = store.create_problem(a, new_problem(&w, "Brochures misprinted")).await.unwrap().problem.id;
        let id = store.propose_remedy(a, reprint(problem, 200_000, None)).await.unwrap().remedy.id;
        let t = now() + hours(1);
        let approvals = |duties: Vec<makegood_domain::Duty>| -> Vec<(MemberId, String, ClockState)> {
            duties.into_iter().filter(|d| d.kind == ClockKind::Approval).map(|d| (d.member, d.summary, d.clock.state)).collect()
        };
        let summary = format!("Approve the redo for Acme on MG-{problem} (EUR 2,000.00): We reprint the 500 brochures at our cost");
        assert_eq!(approvals(store.duties(Some(high.id), t, 50).await.unwrap()), [(high.id, summary.clone(), ClockState::Ok)]);
        for nobody in [low.id, w.agent.id, w.admin.id] {
            assert!(approvals(store.duties(Some(nobody), t, 50).await.unwrap()).is_empty());
        }
        // The everyone view shows it once.
        assert_eq!(approvals(store.duties(None, t, 50).await.unwrap()), [(high.id, summary.clone(), ClockState::Ok)]);
        // Raising the admin's authority asks them too.
        set_authority(&store, w.admin.id, 200_000).await;
        assert_eq!(approvals(store.duties(Some(w.admin.id), t, 50).await.unwrap()).len(), 1);
        let warning = approvals(store.duties(Some(high.id), now() + hours(20), 50).await.unwrap());
        assert_eq!(warning[0].2, ClockState::Warning);

        store.approve_remedy(actor(&high, t), id, None).await.unwrap();
        assert!(approvals(store.duties(None, t, 50).await.unwrap()).is_empty());

        // Nobody's authority covers it: the admins are asked to find an approver.
        store.propose_remedy(a, reprint(problem, 900_000, None)).await.unwrap();
        assert_eq!(
            approvals(store.duties(None, t, 50).await.unwrap()),
            [(w.admin.id, format!("Find an approver for the redo for Acme on MG-{problem} (EUR 9,000.00): no one's remedy authority covers it"), ClockState::Ok)]
        );
        assert!(approvals(store.duties(Some(high.id), t, 50).await.unwrap()).is_empty());
    }
}
