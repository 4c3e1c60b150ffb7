//! Text search over titles, updates and notes, and the severity and oldest-first sorts.

use makegood_domain::{EventKind, Severity};
use makegood_store::{PageRequest, ProblemFilter, ProblemPatch, ProblemSort, ProblemView, Store};

use crate::common::*;

fn search(text: &str) -> ProblemFilter {
    ProblemFilter {
        text: Some(text.into()),
        ..Default::default()
    }
}

async fn titles(store: &Store, filter: &ProblemFilter) -> Vec<String> {
    let mut titles = Vec::new();
    let mut cursor = None;
    loop {
        let page = store
            .list_problems(
                filter,
                &PageRequest {
                    cursor,
                    limit: Some(2),
                },
                now(),
            )
            .await
            .unwrap();
        titles.extend(page.items.into_iter().map(|v: ProblemView| v.problem.title));
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return titles,
        }
    }
}

store_test! {
    async fn search_finds_words_in_titles_updates_and_notes(store: Store) {
        let w = world(&store).await;
        let a = actor(&w.agent, now());
        let invoices = store.create_problem(a, new_problem(&w, "Invoices printed twice")).await.unwrap();
        let export = store.create_problem(a, new_problem(&w, "Export stopped")).await.unwrap();
        let portal = store.create_problem(a, new_problem(&w, "Portal slow")).await.unwrap();
        store.record(a, export.problem.id, None, EventKind::Update { body: "The nightly PAYROLL export is back.".into() }).await.unwrap();
        store.record(a, portal.problem.id, None, EventKind::Note { body: "Vendor blames the CDN cache".into() }).await.unwrap();

        assert_eq!(titles(&store, &search("invoices")).await, ["Invoices printed twice"]);
        assert_eq!(titles(&store, &search("payroll")).await, ["Export stopped"], "update bodies, any case");
        assert_eq!(titles(&store, &search("cdn")).await, ["Portal slow"], "note bodies");
        assert_eq!(titles(&store, &search("invoi")).await, ["Invoices printed twice"], "words match by their start");
        // Every word must match, possibly in different texts of the same problem.
        assert_eq!(titles(&store, &search("export nightly")).await, ["Export stopped"]);
        assert!(titles(&store, &search("export invoices")).await.is_empty());
        assert!(titles(&store, &search("refund")).await.is_empty());
        // Punctuation and query syntax are only separators, never an error.
        assert_eq!(titles(&store, &search("\"cdn\" *:(")).await, ["Portal slow"]);
        assert_eq!(titles(&store, &search(" ")).await.len(), 3, "no words: no filter");

        // A new title replaces the old one in the index, in the same write.
        store.update_problem(a, invoices.problem.id, None, ProblemPatch { title: Some("Credit notes duplicated".into()), ..Default::default() }).await.unwrap();
        assert!(titles(&store, &search("invoices")).await.is_empty());
        assert_eq!(titles(&store, &search("credit duplicated")).await, ["Credit notes duplicated"]);

        // Search combines with the other filters.
        let mine = ProblemFilter { owner: Some(w.admin.id), ..search("cdn") };
        assert!(titles(&store, &mine).await.is_empty());
    }
}

store_test! {
    async fn problems_sort_by_severity_then_deadline_and_oldest_first(store: Store) {
        let w = world(&store).await;
        let mut made = Vec::new();
        for (i, severity) in [Severity::Minor, Severity::Critical, Severity::Major, Severity::Critical, Severity::Minor]
            .into_iter()
            .enumerate()
        {
            let mut p = new_problem(&w, &format!("P{i}"));
            p.severity = severity;
            let i = i64::try_from(i).unwrap();
            p.detected_at = Some(now() - minutes(i));
            made.push(store.create_problem(actor(&w.agent, now() + minutes(i)), p).await.unwrap());
        }
        let by_severity = ProblemFilter { sort: ProblemSort::Severity, ..Default::default() };
        // Critical P3 was detected earlier than P1, so its deadline comes first.
        assert_eq!(titles(&store, &by_severity).await, ["P3", "P1", "P2", "P4", "P0"]);
        let oldest = ProblemFilter { sort: ProblemSort::Oldest, ..Default::default() };
        assert_eq!(titles(&store, &oldest).await, ["P0", "P1", "P2", "P3", "P4"]);
        let newest = ProblemFilter { sort: ProblemSort::Newest, ..Default::default() };
        assert_eq!(titles(&store, &newest).await, ["P4", "P3", "P2", "P1", "P0"]);
        assert_eq!(made.len(), 5);
    }
}
