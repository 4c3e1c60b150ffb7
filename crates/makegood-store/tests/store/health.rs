//! Account health: recomputed after the writes that touch an account's problems, sorted
//! worst first, a daily history; turning red asks the owner (or the supervisors and admins)
//! to review the account, by a duty and an email, until reviewed or no longer red.

use makegood_domain::health::{Band, FactorKind};
use makegood_domain::{AccountId, ClockKind, EventKind, Notice, Outcome, Severity};
use makegood_store::{AccountPatch, DeliveryFilter, PageRequest, Store};

use crate::common::*;

/// Records a critical problem at Acme owned by the agent and closes it with `outcome`.
async fn closed(store: &Store, w: &World, outcome: Outcome) {
    let a = actor(&w.agent, now());
    let mut new = new_problem(w, "Lost invoices");
    new.severity = Severity::Critical;
    let p = store.create_problem(a, new).await.unwrap().problem;
    store
        .record(a, p.id, None, EventKind::Closed { outcome })
        .await
        .unwrap();
}

async fn red_notices(store: &Store) -> Vec<(String, String)> {
    store
        .list_deliveries(&DeliveryFilter::default(), &PageRequest::default())
        .await
        .unwrap()
        .items
        .into_iter()
        .filter_map(|d| match d.notice {
            Notice::AccountRed { to, account, .. } => Some((to.name, account.name)),
            _ => None,
        })
        .collect()
}

fn reviews(duties: &[makegood_domain::Duty]) -> Vec<(makegood_domain::MemberId, String)> {
    duties
        .iter()
        .filter(|d| d.kind == ClockKind::Review)
        .map(|d| (d.member, d.summary.clone()))
        .collect()
}

store_test! {
    async fn health_follows_the_accounts_problems_and_a_red_account_is_reviewed(store: Store) {
        let w = world(&store).await;
        let fresh = store.account_health(w.acme.id, now()).await.unwrap();
        assert_eq!((fresh.health.score, fresh.health.band, fresh.factors.len()), (100, Band::Green, 0));

        // An open critical problem: −12. Two customers lost at Acme: −45 (capped). 43: red.
        let mut open = new_problem(&w, "Nightly export stopped");
        open.severity = Severity::Critical;
        let p = store.create_problem(actor(&w.agent, now()), open).await.unwrap().problem;
        let one = store.account_health(w.acme.id, now()).await.unwrap();
        assert_eq!((one.health.score, one.factors[0].kind), (88, FactorKind::OpenProblems));
        closed(&store, &w, Outcome::Lost).await;
        closed(&store, &w, Outcome::Lost).await;
        let red = store.account_health(w.acme.id, now()).await.unwrap();
        assert_eq!((red.health.score, red.health.band), (43, Band::Red));
        assert_eq!(red.factors.iter().map(|f| (f.kind, f.points)).collect::<Vec<_>>(), [(FactorKind::Outcomes, 45), (FactorKind::OpenProblems, 12)]);
        assert_eq!((red.red_since, red.reviewed), (Some(now()), None));
        assert!(red.review_owed());

        // No owner: every supervisor and admin is asked (here the admin), by duty and email.
        let duties = store.duties(None, now(), 50).await.unwrap();
        assert_eq!(reviews(&duties), [(w.admin.id, "Acme turned red: review the account".to_owned())]);
        assert_eq!(duties.iter().find(|d| d.kind == ClockKind::Review).and_then(|d| d.account.as_ref()).map(|a| a.id), Some(w.acme.id));
        assert_eq!(red_notices(&store).await, [("Ada Admin".to_owned(), "Acme".to_owned())]);
        // With an owner, the duty is theirs alone.
        store.update_account(w.acme.id, AccountPatch { owner: Some(Some(w.agent.id)), ..AccountPatch::default() }).await.unwrap();
        assert_eq!(store.account(w.acme.id).await.unwrap().owner, Some(w.agent.id));
        assert_eq!(reviews(&store.duties(None, now(), 50).await.unwrap()), [(w.agent.id, "Acme turned red: review the account".to_owned())]);
        assert!(reviews(&store.duties(Some(w.admin.id), now(), 50).await.unwrap()).is_empty());
        invalid(store.update_account(w.acme.id, AccountPatch { owner: Some(Some(w.viewer.id)), ..AccountPatch::default() }).await, "owner");

        // The viewer may not review it; the owner does, once.
        conflict(store.review_account(actor(&w.viewer, now()), w.acme.id).await);
        let reviewed = store.review_account(actor(&w.agent, now() + hours(1)), w.acme.id).await.unwrap();
        assert_eq!(reviewed.reviewed, Some((w.agent.id, now() + hours(1))));
        assert!(reviews(&store.duties(None, now() + hours(1), 50).await.unwrap()).is_empty());
        conflict(store.review_account(actor(&w.agent, now() + hours(1)), w.acme.id).await);

        // Fixing and closing the open problem as retained: 55, amber; the red spell ends.
        store.record(actor(&w.agent, now() + hours(2)), p.id, None, EventKind::Closed { outcome: Outcome::Retained }).await.unwrap();
        let amber = store.account_health(w.acme.id, now() + hours(2)).await.unwrap();
        assert_eq!((amber.health.score, amber.health.band, amber.red_since), (55, Band::Amber, None));
        conflict(store.review_account(actor(&w.agent, now() + hours(2)), w.acme.id).await);
        // Globex was never touched.
        assert_eq!(store.account_health(w.globex.id, now()).await.unwrap().health.score, 100);
    }
}

store_test! {
    async fn the_list_sorts_worst_first_and_the_history_keeps_a_score_a_day(store: Store) {
        let w = world(&store).await;
        let zed = store.create_account(makegood_store::NewAccount { name: "Zed".into(), parent: None, tier: None }).await.unwrap();
        let mut bad = new_problem(&w, "Broken site");
        bad.severity = Severity::Critical;
        bad.accounts = vec![zed.id];
        bad.stakeholders = vec![];
        store.create_problem(actor(&w.agent, now()), bad).await.unwrap();
        store.create_problem(actor(&w.agent, now()), new_problem(&w, "Slow export")).await.unwrap();
        let names = |page: makegood_store::Page<makegood_store::AccountEntry>| page.items.into_iter().map(|e| (e.account.name, e.health.map(|h| h.score))).collect::<Vec<_>>();
        let all = store.search_accounts_by_health(None, &PageRequest::default(), now()).await.unwrap();
        assert_eq!(names(all), [("Zed".to_owned(), Some(88)), ("Acme".to_owned(), Some(92)), ("Globex".to_owned(), Some(100))]);
        // Two to a page, the cursor carries the sort.
        let first = store.search_accounts_by_health(None, &PageRequest { cursor: None, limit: Some(2) }, now()).await.unwrap();
        let rest = store.search_accounts_by_health(None, &PageRequest { cursor: first.next_cursor.clone(), limit: Some(2) }, now()).await.unwrap();
        assert_eq!((names(first).len(), names(rest)), (2, vec![("Globex".to_owned(), Some(100))]));
        let found = store.search_accounts_by_health(Some("glo"), &PageRequest::default(), now()).await.unwrap();
        assert_eq!(names(found), [("Globex".to_owned(), Some(100))]);

        // The scheduler recomputes what is stale; each day keeps its last score.
        assert_eq!(store.refresh_health(now(), 100).await.unwrap(), 0);
        let tomorrow = now() + hours(24);
        assert_eq!(store.refresh_health(tomorrow, 100).await.unwrap(), 3);
        let h = store.account_health(zed.id, tomorrow).await.unwrap();
        assert_eq!(h.history.iter().map(|d| (d.day.to_string(), d.score)).collect::<Vec<_>>(), [("2025-03-03".to_owned(), 88), ("2025-03-04".to_owned(), 68)]);
        // A day on, its tell and fix clocks are both past their deadlines: −20.
        assert_eq!(h.factors.iter().map(|f| (f.kind, f.points)).collect::<Vec<_>>(), [(FactorKind::BreachedClocks, 20), (FactorKind::OpenProblems, 12)]);
        // Deleting an account takes its health with it.
        let spare = store.create_account(makegood_store::NewAccount { name: "Spare".into(), parent: None, tier: None }).await.unwrap();
        store.account_health(spare.id, now()).await.unwrap();
        store.delete_account(spare.id).await.unwrap();
        assert!(store.account_health(AccountId(spare.id.0), now()).await.is_err());
    }
}
