//! Playbooks: create/update/delete with template checks, checklists and their ticks on the
//! timeline, progress across edits, and rendering a template for a problem's contact.

use makegood_domain::playbook::PlaybookDraft;
use makegood_domain::{ContactId, EventKind, PlaybookId, ProblemId, TemplateKind, Templates};
use makegood_store::{NewPromise, PageRequest, Store, StoreError};

use crate::common::*;

fn draft(category: &str, items: &[&str]) -> PlaybookDraft {
    PlaybookDraft {
        category: category.into(),
        items: items.iter().map(|s| (*s).to_owned()).collect(),
        templates: Templates {
            apology: "Dear {{ contact.first_name }},\n\nwe are sorry about {{ problem.number }}.".into(),
            update: "{% if promise %}{{ promise.what }} by {{ promise.due_at }}{% else %}No date yet{% endif %}".into(),
            ..Templates::default()
        },
    }
}

async fn events(store: &Store, problem: ProblemId) -> Vec<EventKind> {
    store
        .timeline(problem, &PageRequest::default())
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|e| e.kind)
        .collect()
}

store_test! {
    async fn playbooks_are_checked_unique_by_category_and_replaced_whole(store: Store) {
        let _w = world(&store).await;
        let created = store.create_playbook(&draft(" Software ", &["Call the IT director", "Offer a re-run"]), now()).await.unwrap();
        assert_eq!((created.category.as_str(), created.items.len()), ("Software", 2));
        assert_eq!(created.templates.kinds(), [TemplateKind::Update, TemplateKind::Apology]);
        assert_eq!(store.playbook(created.id).await.unwrap(), created);
        assert_eq!(store.playbook_for_category("  SOFTWARE").await.unwrap(), Some(created.clone()));
        assert_eq!(store.playbook_for_category("print").await.unwrap(), None);

        let again = conflict(store.create_playbook(&draft("software", &[]), now()).await);
        assert!(again.contains("already a playbook"), "{again}");
        invalid(store.create_playbook(&draft("", &[]), now()).await, "category");
        let mut broken = draft("print", &["Reprint"]);
        broken.templates.fixed = "Fixed!\n{{ contact.nick }}".into();
        let message = invalid(store.create_playbook(&broken, now()).await, "templates.fixed");
        assert!(message.starts_with("line 2: unknown variable"), "{message}");

        let print = store.create_playbook(&draft("print", &["Reprint"]), now()).await.unwrap();
        let listed: Vec<_> = store.list_playbooks().await.unwrap().into_iter().map(|p| p.category).collect();
        assert_eq!(listed, ["print", "Software"]);

        let mut changed = draft("software", &["Offer a re-run", "Call the IT director", "Send a gift"]);
        changed.templates = Templates { fixed: "Fixed, {{ contact.name }}".into(), ..Templates::default() };
        let updated = store.update_playbook(created.id, &changed, now()).await.unwrap();
        assert_eq!(updated.items, ["Offer a re-run", "Call the IT director", "Send a gift"]);
        assert_eq!(updated.templates.kinds(), [TemplateKind::Fixed]);
        conflict(store.update_playbook(created.id, &draft("PRINT", &[]), now()).await);
        assert!(matches!(store.update_playbook(PlaybookId(999), &changed, now()).await, Err(StoreError::NotFound { .. })));

        store.delete_playbook(print.id).await.unwrap();
        assert!(matches!(store.playbook(print.id).await, Err(StoreError::NotFound { .. })));
        assert!(matches!(store.delete_playbook(print.id).await, Err(StoreError::NotFound { .. })));
        // The category is free again.
        store.create_playbook(&draft("print", &[]), now()).await.unwrap();
    }
}

store_test! {
    async fn ticks_are_on_the_timeline_and_follow_the_item_text(store: Store) {
        let w = world(&store).await;
        let problem = store.create_problem(actor(&w.agent, now()), new_problem(&w, "Export stopped")).await.unwrap().problem.id;
        // No playbook for the category: an empty checklist, nothing to tick.
        let none = store.checklist(problem).await.unwrap();
        assert_eq!((none.playbook, none.items.len(), none.category.as_str()), (None, 0, "software"));
        assert!(matches!(store.set_checklist_item(actor(&w.agent, now()), problem, 1, true, None).await, Err(StoreError::NotFound { .. })));

        let playbook = store.create_playbook(&draft("Software", &["Call the IT director", "Apologise", "Offer a re-run"]), now()).await.unwrap();
        let a = actor(&w.agent, now() + minutes(5));
        let list = store.set_checklist_item(a, problem, 2, true, Some("Apologise")).await.unwrap();
        assert_eq!((list.playbook, list.progress()), (Some(playbook.id), "1 of 3 done".to_owned()));
        let tick = list.item(2).unwrap().done.unwrap();
        assert_eq!((tick.by, tick.at), (w.agent.id, now() + minutes(5)));
        // Twice is once: no second event.
        store.set_checklist_item(a, problem, 2, true, None).await.unwrap();
        store.set_checklist_item(a, problem, 1, true, None).await.unwrap();
        assert!(matches!(store.set_checklist_item(a, problem, 4, true, None).await, Err(StoreError::NotFound { .. })));
        assert!(matches!(store.set_checklist_item(a, problem, 0, true, None).await, Err(StoreError::NotFound { .. })));
        let moved = conflict(store.set_checklist_item(a, problem, 3, true, Some("Apologise")).await);
        assert!(moved.contains("item 3 is now “Offer a re-run”"), "{moved}");
        let list = store.set_checklist_item(a, problem, 1, false, None).await.unwrap();
        assert_eq!(list.progress(), "1 of 3 done");
        assert!(matches!(store.set_checklist_item(a, ProblemId(999), 1, true, None).await, Err(StoreError::NotFound { .. })));

        let checklist_events: Vec<_> = events(&store, problem).await.into_iter()
            .filter(|k| matches!(k, EventKind::ChecklistItemDone { .. } | EventKind::ChecklistItemUndone { .. }))
            .collect();
        assert_eq!(checklist_events, [
            EventKind::ChecklistItemDone { position: 2, item: "Apologise".into() },
            EventKind::ChecklistItemDone { position: 1, item: "Call the IT director".into() },
            EventKind::ChecklistItemUndone { position: 1, item: "Call the IT director".into() },
        ]);
        // The problem's state ignores checklist events.
        assert_eq!(store.problem(problem, now()).await.unwrap().problem.status, makegood_domain::Status::Open);

        // Moving "Apologise" keeps its tick; rewording "Offer a re-run" starts it afresh.
        store.set_checklist_item(a, problem, 3, true, None).await.unwrap();
        let edited = draft("software", &["Apologise", "Call the IT director", "Offer a re-run at our expense"]);
        store.update_playbook(playbook.id, &edited, now()).await.unwrap();
        let list = store.checklist(problem).await.unwrap();
        let done: Vec<_> = list.items.iter().map(|i| (i.position, i.done.is_some())).collect();
        assert_eq!(done, [(1, true), (2, false), (3, false)]);
        // Deleting the playbook empties the checklist; the timeline keeps the history.
        store.delete_playbook(playbook.id).await.unwrap();
        assert!(store.checklist(problem).await.unwrap().items.is_empty());
        assert_eq!(events(&store, problem).await.iter().filter(|k| matches!(k, EventKind::ChecklistItemDone { .. })).count(), 3);
    }
}

store_test! {
    async fn templates_render_for_a_contact_with_the_promise_in_the_members_zone(store: Store) {
        let w = world(&store).await;
        let a = actor(&w.agent, now());
        let problem = store.create_problem(a, new_problem(&w, "Export stopped")).await.unwrap().problem.id;
        assert!(matches!(store.render_message(a, problem, TemplateKind::Apology, None).await, Err(StoreError::NotFound { .. })));
        store.create_playbook(&draft("software", &["Call"]), now()).await.unwrap();

        let m = store.render_message(a, problem, TemplateKind::Apology, None).await.unwrap();
        assert_eq!((m.contact, m.body.as_str()), (w.ann.id, format!("Dear Ann,\n\nwe are sorry about MG-{}.", problem.0).as_str()));
        let m = store.render_message(a, problem, TemplateKind::Update, Some(w.ann.id)).await.unwrap();
        assert_eq!(m.body, "No date yet");
        // 10:00 UTC is 11:00 in Berlin, the agent's zone.
        store.create_promise(a, NewPromise { problem: Some(problem), ..new_promise(&w, hours(1)) }).await.unwrap();
        let m = store.render_message(a, problem, TemplateKind::Update, None).await.unwrap();
        assert_eq!(m.body, "Send the corrected invoices by Monday 3 March 2025, 11:00 CET");

        assert!(matches!(store.render_message(a, problem, TemplateKind::Fixed, None).await, Err(StoreError::NotFound { .. })));
        let other = invalid(store.render_message(a, problem, TemplateKind::Apology, Some(w.bob.id)).await, "contact");
        assert!(other.contains("another account"), "{other}");
        invalid(store.render_message(a, problem, TemplateKind::Apology, Some(ContactId(999))).await, "contact");
    }
}
