//! Inbound email: recorded once, threaded, opened in triage or held — never dropped.

use makegood_domain::{ContactId, Email, EventKind, ProblemNumber, Sentiment, Status};
use makegood_store::{
    ContactPatch, Ingested, NewAttachment, NewInboundEmail, PageRequest, Store, TRIAGE_CATEGORY,
};

use crate::common::*;

fn mail(from: &str, message_id: &str, reply: &str) -> NewInboundEmail {
    NewInboundEmail {
        message_id: Some(message_id.into()),
        from_email: Some(Email::parse(from).unwrap()),
        from_name: None,
        subject: "Re: the export".into(),
        sent_at: Some(now() - minutes(5)),
        answers: None,
        tag: None,
        raw: format!("From: {from}\r\n\r\n{reply}\r\n").into_bytes(),
        text: format!("{reply}\n\n> quoted"),
        reply: reply.into(),
        attachments: Vec::new(),
        skipped: Vec::new(),
    }
}

async fn with_email(store: &Store, contact: ContactId, email: &str) {
    store
        .update_contact(
            contact,
            ContactPatch {
                email: Some(Some(Email::parse(email).unwrap())),
                ..ContactPatch::default()
            },
        )
        .await
        .unwrap();
}

async fn replies(store: &Store, problem: makegood_domain::ProblemId) -> Vec<EventKind> {
    store
        .timeline(problem, &PageRequest::default())
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|e| e.kind)
        .filter(|k| matches!(k, EventKind::CustomerReplied { .. }))
        .collect()
}

store_test! {
    async fn a_reply_to_our_email_threads_onto_its_problem_once(store: Store) {
        let w = world(&store).await;
        with_email(&store, w.ann.id, "ann@acme.example").await;
        let p = store.create_problem(actor(&w.agent, now()), new_problem(&w, "Export stopped")).await.unwrap();
        let id = p.problem.id;
        let mut m = mail("Ann@ACME.example", "r1@acme.example", "Thanks, it works now. Great!");
        m.answers = Some(id);
        m.attachments = vec![NewAttachment { filename: "log.txt".into(), content_type: "text/plain".into(), content: b"ok".to_vec() }];
        m.skipped = vec!["video.mp4: larger than 10 MiB".into()];

        let outcome = store.ingest_email(m.clone(), Some(w.agent.id), now()).await.unwrap();
        let Ingested::Threaded { inbound, problem } = outcome else { panic!("{outcome:?}") };
        assert_eq!(problem, id);
        let events = replies(&store, id).await;
        assert_eq!(events.len(), 1);
        let EventKind::CustomerReplied { contact, body, sentiment, inbound: Some(from), attachments } = &events[0] else { panic!() };
        assert_eq!((*contact, body.as_str(), *from), (w.ann.id, "Thanks, it works now. Great!", inbound));
        assert!(*sentiment > Sentiment(0), "{sentiment:?}");
        assert_eq!(attachments, &vec!["log.txt".to_owned(), "video.mp4: larger than 10 MiB (not kept)".to_owned()]);
        let kept = store.inbound_email(inbound).await.unwrap();
        assert_eq!((kept.status.as_str(), kept.problem, kept.contact), ("threaded", Some(id), Some(w.ann.id)));

        // The same Message-ID again: recorded once, nothing added.
        let again = store.ingest_email(m, Some(w.agent.id), now()).await.unwrap();
        assert_eq!(again, Ingested::Duplicate { inbound });
        assert_eq!(replies(&store, id).await.len(), 1);
    }
}

store_test! {
    async fn the_subject_tag_threads_when_no_reference_does(store: Store) {
        let w = world(&store).await;
        with_email(&store, w.ann.id, "ann@acme.example").await;
        let p = store.create_problem(actor(&w.agent, now()), new_problem(&w, "Export stopped")).await.unwrap();
        let mut m = mail("ann@acme.example", "r2@acme.example", "Any news?");
        m.tag = Some(p.problem.number);
        let outcome = store.ingest_email(m, None, now()).await.unwrap();
        assert!(matches!(outcome, Ingested::Threaded { problem, .. } if problem == p.problem.id), "{outcome:?}");
    }
}

store_test! {
    async fn an_unknown_sender_is_held_never_dropped(store: Store) {
        let w = world(&store).await;
        let p = store.create_problem(actor(&w.agent, now()), new_problem(&w, "Export stopped")).await.unwrap();
        let mut m = mail("stranger@elsewhere.example", "s1@elsewhere.example", "Let me in");
        m.tag = Some(p.problem.number);
        let outcome = store.ingest_email(m, Some(w.agent.id), now()).await.unwrap();
        let Ingested::Held { inbound, reason } = outcome else { panic!("{outcome:?}") };
        assert_eq!(reason, "stranger@elsewhere.example is not a contact of any account");
        assert!(replies(&store, p.problem.id).await.is_empty(), "nothing reaches the timeline");
        let held = store.held_emails(&PageRequest::default()).await.unwrap().items;
        assert_eq!(held.iter().map(|h| h.id).collect::<Vec<_>>(), vec![inbound]);
        assert_eq!(held[0].reply, "Let me in");
    }
}

store_test! {
    async fn a_contact_of_another_account_cannot_write_onto_a_problem(store: Store) {
        let w = world(&store).await;
        with_email(&store, w.bob.id, "bob@globex.example").await;
        let p = store.create_problem(actor(&w.agent, now()), new_problem(&w, "Acme's export")).await.unwrap();
        let mut m = mail("bob@globex.example", "b1@globex.example", "What is this?");
        m.answers = Some(p.problem.id);
        let outcome = store.ingest_email(m, Some(w.agent.id), now()).await.unwrap();
        let number = p.problem.number;
        assert!(matches!(&outcome, Ingested::Held { reason, .. } if *reason == format!("Bob wrote about {number}, which does not affect their account")), "{outcome:?}");
        assert!(replies(&store, p.problem.id).await.is_empty());

        let mut m = mail("bob@globex.example", "b2@globex.example", "And this?");
        m.tag = Some(ProblemNumber(999));
        let outcome = store.ingest_email(m, Some(w.agent.id), now()).await.unwrap();
        assert!(matches!(&outcome, Ingested::Held { reason, .. } if reason == "it refers to MG-999, which does not exist"), "{outcome:?}");
    }
}

store_test! {
    async fn a_known_contact_with_a_new_matter_opens_a_problem_in_triage(store: Store) {
        let w = world(&store).await;
        with_email(&store, w.bob.id, "bob@globex.example").await;
        let mut m = mail("bob@globex.example", "n1@globex.example", "This is terrible, awful, the invoices are all wrong!");
        m.subject = "RE: Fwd: Invoices wrong".into();
        let outcome = store.ingest_email(m, Some(w.agent.id), now()).await.unwrap();
        let Ingested::Opened { problem, inbound } = outcome else { panic!("{outcome:?}") };
        let view = store.problem(problem, now()).await.unwrap();
        let p = &view.problem;
        assert_eq!((p.title.as_str(), p.category.as_str(), p.owner), ("Invoices wrong", TRIAGE_CATEGORY, w.agent.id));
        assert_eq!((p.accounts.clone(), p.stakeholders.clone(), p.status), (vec![w.globex.id], vec![w.bob.id], Status::Open));
        assert_eq!(p.detected_at, now() - minutes(5), "detected when the customer wrote");
        let events = replies(&store, problem).await;
        let [EventKind::CustomerReplied { sentiment, inbound: Some(from), .. }] = events.as_slice() else { panic!("{events:?}") };
        assert!(sentiment.is_upset(), "{sentiment:?}");
        assert_eq!(*from, inbound);
        assert_eq!(store.inbound_email(inbound).await.unwrap().problem, Some(problem));
    }
}

store_test! {
    async fn without_a_triage_owner_the_first_admin_owns_a_new_matter(store: Store) {
        let w = world(&store).await;
        with_email(&store, w.bob.id, "bob@globex.example").await;
        let outcome = store.ingest_email(mail("bob@globex.example", "n2@globex.example", "Hello"), None, now()).await.unwrap();
        let Ingested::Opened { problem, .. } = outcome else { panic!("{outcome:?}") };
        assert_eq!(store.problem(problem, now()).await.unwrap().problem.owner, w.admin.id);
    }
}

store_test! {
    async fn mail_without_a_message_id_is_recorded_each_time(store: Store) {
        let w = world(&store).await;
        let mut m = mail("stranger@elsewhere.example", "x", "no id");
        m.message_id = None;
        let a = store.ingest_email(m.clone(), Some(w.agent.id), now()).await.unwrap();
        let b = store.ingest_email(m, Some(w.agent.id), now()).await.unwrap();
        assert!(matches!((&a, &b), (Ingested::Held { inbound: x, .. }, Ingested::Held { inbound: y, .. }) if x != y));
    }
}
