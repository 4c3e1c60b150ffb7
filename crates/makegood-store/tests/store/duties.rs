//! Duties and policies: what is asked of whom, most urgent first; policy changes move deadlines.

use makegood_domain::{ClockKind, ClockState, EventKind, Policies, Severity, WaitingOn};
use makegood_store::{
    NewPromise, PageRequest, ProblemFilter, PromiseFilter, PromiseListState, Store,
};

use crate::common::*;

store_test! {
    async fn duties_come_most_urgent_first_for_everyone_or_one_member(store: Store) {
        let w = world(&store).await;
        let a = actor(&w.agent, now());
        let p1 = store.create_problem(a, new_problem(&w, "Major at Acme")).await.unwrap().problem;
        let mut critical = new_problem(&w, "Critical at Globex");
        critical.severity = Severity::Critical;
        critical.owner = w.admin.id;
        critical.accounts = vec![w.globex.id];
        critical.stakeholders = vec![w.bob.id];
        let p2 = store.create_problem(a, critical).await.unwrap().problem;
        let soon = store.create_promise(a, NewPromise { problem: Some(p1.id), ..new_promise(&w, hours(2)) }).await.unwrap().promise;
        let later = store.create_promise(a, new_promise(&w, hours(10))).await.unwrap().promise;

        let t = at("2025-03-03T10:00:00Z");
        let duties = store.duties(None, t, 50).await.unwrap();
        let summary: Vec<(ClockState, ClockKind, String)> =
            duties.iter().map(|d| (d.clock.state, d.kind, d.summary.clone())).collect();
        assert_eq!(
            summary,
            [
                (ClockState::Breached, ClockKind::Tell, format!("Tell Globex about {}", p2.number)),
                (ClockState::Warning, ClockKind::Promise, "Have the conversation with Acme now: Send the corrected invoices".into()),
                (ClockState::Ok, ClockKind::Tell, format!("Tell Acme about {}", p1.number)),
                (ClockState::Ok, ClockKind::Promise, "Keep your promise to Acme: Send the corrected invoices".into()),
                (ClockState::Ok, ClockKind::Fix, format!("Fix {} for Globex", p2.number)),
                (ClockState::Ok, ClockKind::Fix, format!("Fix {} for Acme", p1.number)),
            ]
        );
        assert_eq!(duties[1].promise.as_ref().map(|p| p.id), Some(soon.id));
        assert_eq!(duties[1].problem.as_ref().map(|p| p.id), Some(p1.id));
        assert_eq!(duties[3].promise.as_ref().map(|p| p.id), Some(later.id));
        assert_eq!(duties[0].member, w.admin.id);

        let mine = store.duties(Some(w.agent.id), t, 50).await.unwrap();
        assert_eq!(mine.len(), 4);
        assert!(mine.iter().all(|d| d.member == w.agent.id));
        assert_eq!(store.duties(None, t, 2).await.unwrap(), duties[..2]);

        // A paused fix clock asks nothing; a broken promise is past asking.
        store.record(a, p1.id, None, EventKind::Waiting { on: WaitingOn::Vendor, reason: "".into() }).await.unwrap();
        let mine = store.duties(Some(w.agent.id), now() + hours(3), 50).await.unwrap();
        let kinds: Vec<ClockKind> = mine.iter().map(|d| d.kind).collect();
        assert_eq!(kinds, [ClockKind::Tell, ClockKind::Promise], "{mine:#?}");
        invalid(store.duties(None, t, 0).await, "limit");
    }
}

store_test! {
    async fn changing_the_policies_moves_the_deadlines(store: Store) {
        let w = world(&store).await;
        let a = actor(&w.agent, now());
        let id = store.create_problem(a, new_problem(&w, "Major at Acme")).await.unwrap().problem.id;
        store.create_promise(a, new_promise(&w, hours(10))).await.unwrap();
        let breached = ProblemFilter { clock_state: Some(makegood_domain::ClockState::Breached), ..Default::default() };
        assert!(store.list_problems(&breached, &PageRequest::default(), now()).await.unwrap().items.is_empty());
        let at_risk = PromiseFilter { state: Some(PromiseListState::AtRisk), ..Default::default() };
        assert!(store.list_promises(&at_risk, &PageRequest::default(), now() + hours(5)).await.unwrap().items.is_empty());

        let mut policies = Policies::default();
        policies.major.tell_within_minutes = 30; // detected at 08:00: due 08:30
        policies.promise_warning_percent = 60; // 10 h span: warning 6 h before due, from 13:00
        assert_eq!(store.set_policies(&policies).await.unwrap(), policies);
        assert_eq!(store.policies().await.unwrap(), policies);
        let listed = store.list_problems(&breached, &PageRequest::default(), now()).await.unwrap();
        assert_eq!(listed.items.iter().map(|v| v.problem.id).collect::<Vec<_>>(), [id]);
        assert_eq!(store.list_promises(&at_risk, &PageRequest::default(), now() + hours(5)).await.unwrap().items.len(), 1);

        let mut bad = Policies::default();
        bad.major.fix_within_minutes = 0;
        invalid(store.set_policies(&bad).await, "major.fix_within_minutes");
        assert_eq!(store.policies().await.unwrap(), policies);
    }
}
