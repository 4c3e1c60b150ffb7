//! Reviewing held mail: attach (as the customer's reply or a note naming the sender), open
//! as a new problem (adding the sender first), dismiss — each once, never deleting.

use makegood_domain::{Email, EventKind, Notice, ProblemId, Status};
use makegood_store::{
    HeldSender, Ingested, NewInboundEmail, PageRequest, Store, StoreError, TRIAGE_CATEGORY,
};

use crate::common::*;
use crate::scheduler::outbox;

fn mail(from: &str, id: &str, subject: &str, reply: &str) -> NewInboundEmail {
    NewInboundEmail {
        message_id: Some(id.into()),
        from_email: Some(Email::parse(from).unwrap()),
        from_name: Some("Pat Sender".into()),
        subject: subject.into(),
        sent_at: Some(now() - minutes(5)),
        answers: None,
        tag: None,
        raw: format!("From: {from}\r\n\r\n{reply}\r\n").into_bytes(),
        text: reply.into(),
        reply: reply.into(),
        attachments: Vec::new(),
        skipped: Vec::new(),
    }
}

async fn hold(store: &Store, m: NewInboundEmail) -> i64 {
    match store.ingest_email(m, None, now()).await.unwrap() {
        Ingested::Held { inbound, .. } => inbound,
        other => panic!("{other:?}"),
    }
}

async fn kinds(store: &Store, problem: ProblemId) -> Vec<EventKind> {
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
    async fn a_stranger_attached_becomes_a_note_naming_them(store: Store) {
        let w = world(&store).await;
        let p = store.create_problem(actor(&w.agent, now()), new_problem(&w, "Export stopped")).await.unwrap();
        let id = hold(&store, mail("pat@elsewhere.example", "h1@x", "The export", "Our export broke too.")).await;
        let first = hold(&store, mail("lee@elsewhere.example", "h0@x", "Hello", "Hi")).await;
        assert!(first > id);
        let listed: Vec<i64> = store.held_emails(&PageRequest::default()).await.unwrap().items.iter().map(|h| h.id).collect();
        assert_eq!(listed, [id, first], "oldest first");

        let later = now() + minutes(30);
        let done = store.attach_held_email(actor(&w.admin, later), id, p.problem.id).await.unwrap();
        assert!(!done.as_reply);
        assert_eq!(done.problem, Some(p.problem.id));
        assert_eq!((done.inbound.status.as_str(), done.inbound.reviewed_by, done.inbound.reviewed_at), ("threaded", Some(w.admin.id), Some(later)));
        let notes: Vec<String> = kinds(&store, p.problem.id).await.into_iter().filter_map(|k| match k { EventKind::Note { body } => Some(body), _ => None }).collect();
        assert_eq!(notes.len(), 1);
        assert!(notes[0].starts_with("Email from Pat Sender <pat@elsewhere.example>, attached from held mail"), "{}", notes[0]);
        assert!(notes[0].ends_with("Our export broke too."));
        assert!(!kinds(&store, p.problem.id).await.iter().any(|k| matches!(k, EventKind::CustomerReplied { .. })));

        // Reviewed once: no longer listed, and a second decision is refused.
        let listed: Vec<i64> = store.held_emails(&PageRequest::default()).await.unwrap().items.iter().map(|h| h.id).collect();
        assert_eq!(listed, [first]);
        conflict(store.attach_held_email(actor(&w.admin, later), id, p.problem.id).await);
        conflict(store.dismiss_held_email(actor(&w.admin, later), id).await);
        // An unknown problem or message.
        invalid(store.attach_held_email(actor(&w.admin, later), first, ProblemId(999)).await, "problem");
        assert!(matches!(store.dismiss_held_email(actor(&w.admin, later), 9_999).await, Err(StoreError::NotFound { .. })));
    }
}

store_test! {
    async fn a_contact_added_since_is_threaded_as_their_reply(store: Store) {
        let w = world(&store).await;
        let p = store.create_problem(actor(&w.agent, now()), new_problem(&w, "Export stopped")).await.unwrap();
        let id = hold(&store, mail("ann@acme.example", "h2@x", "Re: export", "This is awful, I am furious and disgusted.")).await;
        // Ann's address is recorded after her message was held.
        store.update_contact(w.ann.id, makegood_store::ContactPatch { email: Some(Some(Email::parse("Ann@acme.example").unwrap())), ..Default::default() }).await.unwrap();

        let done = store.attach_held_email(actor(&w.agent, now() + minutes(1)), id, p.problem.id).await.unwrap();
        assert!(done.as_reply);
        assert_eq!(done.inbound.contact, Some(w.ann.id));
        let replied = kinds(&store, p.problem.id).await.into_iter().find_map(|k| match k { EventKind::CustomerReplied { contact, inbound, .. } => Some((contact, inbound)), _ => None });
        assert_eq!(replied, Some((w.ann.id, Some(id))));
        let view = store.problem(p.problem.id, now() + minutes(1)).await.unwrap();
        assert!(view.customer_upset, "an upset word asks for a call, however it arrived");
        // The owner heard.
        assert!(outbox(&store).await.iter().any(|d| matches!(&d.notice, Notice::CustomerWrote { upset: true, .. })));
    }
}

store_test! {
    async fn a_contact_of_another_account_is_attached_as_a_note(store: Store) {
        let w = world(&store).await;
        store.update_contact(w.bob.id, makegood_store::ContactPatch { email: Some(Some(Email::parse("bob@globex.example").unwrap())), ..Default::default() }).await.unwrap();
        let p = store.create_problem(actor(&w.agent, now()), new_problem(&w, "Acme's export")).await.unwrap();
        let mut m = mail("bob@globex.example", "h3@x", "Re: export", "Is this ours?");
        m.tag = Some(p.problem.number);
        let id = hold(&store, m).await;
        let done = store.attach_held_email(actor(&w.agent, now()), id, p.problem.id).await.unwrap();
        assert!(!done.as_reply);
        let note = kinds(&store, p.problem.id).await.into_iter().find_map(|k| match k { EventKind::Note { body } => Some(body), _ => None }).unwrap();
        assert!(note.contains("(Bob, whose account this problem does not affect)"), "{note}");
    }
}

store_test! {
    async fn a_held_message_opens_a_problem_for_a_new_contact(store: Store) {
        let w = world(&store).await;
        let id = hold(&store, mail("pat@newco.example", "h4@x", "Re: Fwd: Printer on fire", "Our printer is on fire.")).await;
        // Not a contact yet: the account must be chosen.
        invalid(store.open_held_email(actor(&w.agent, now()), id, HeldSender::Known).await, "account");
        invalid(store.open_held_email(actor(&w.agent, now()), id, HeldSender::NewContact { account: w.globex.id, name: " ".into() }).await, "name");

        let done = store.open_held_email(actor(&w.agent, now()), id, HeldSender::NewContact { account: w.globex.id, name: "Pat Sender".into() }).await.unwrap();
        let problem = done.problem.unwrap();
        let view = store.problem(problem, now()).await.unwrap();
        assert_eq!((view.problem.title.as_str(), view.problem.category.as_str(), view.problem.owner, view.problem.status), ("Printer on fire", TRIAGE_CATEGORY, w.agent.id, Status::Open));
        assert_eq!(view.problem.accounts, [w.globex.id]);
        let contact = store.contact(view.problem.stakeholders[0]).await.unwrap();
        assert_eq!((contact.name.as_str(), contact.email.map(|e| e.to_string())), ("Pat Sender", Some("pat@newco.example".to_owned())));
        assert_eq!((done.inbound.status.as_str(), done.inbound.contact), ("opened", Some(contact.id)));
        assert!(kinds(&store, problem).await.iter().any(|k| matches!(k, EventKind::CustomerReplied { body, .. } if body == "Our printer is on fire.")));

        // A second message from Pat, held for another reason, opens for the known contact.
        let mut m = mail("pat@newco.example", "h5@x", "Re: [MG-999]", "And the fax.");
        m.tag = Some(makegood_domain::ProblemNumber(999));
        let second = hold(&store, m).await;
        conflict(store.open_held_email(actor(&w.agent, now()), second, HeldSender::NewContact { account: w.globex.id, name: "Pat".into() }).await);
        let again = store.open_held_email(actor(&w.agent, now()), second, HeldSender::Known).await.unwrap();
        assert_ne!(again.problem, Some(problem));
        assert_eq!(again.inbound.contact, Some(contact.id));
    }
}

store_test! {
    async fn dismissing_keeps_the_message(store: Store) {
        let w = world(&store).await;
        let id = hold(&store, mail("spam@elsewhere.example", "h6@x", "Cheap watches", "Buy now")).await;
        let at = now() + hours(2);
        let done = store.dismiss_held_email(actor(&w.admin, at), id).await.unwrap();
        assert_eq!((done.status.as_str(), done.reviewed_by, done.reviewed_at, done.problem), ("dismissed", Some(w.admin.id), Some(at), None));
        let kept = store.inbound_email(id).await.unwrap();
        assert_eq!((kept.status.as_str(), kept.reply.as_str()), ("dismissed", "Buy now"));
        assert!(store.held_emails(&PageRequest::default()).await.unwrap().items.is_empty());
    }
}
