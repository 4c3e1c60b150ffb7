//! A customer writes: the owner hears by email; an upset word flags the problem and asks the
//! owner for a call (a Call clock, its duty and timers) until they record having called.

use makegood_domain::{
    AlertKind, ClockKind, ClockState, ContactId, Email, EventKind, Notice, Preferences, ProblemId,
};
use makegood_store::testing::set_preferences_for_test;
use makegood_store::{ContactPatch, Ingested, NewInboundEmail, Store};

use crate::common::*;
use crate::scheduler::{far_away, outbox, without_digests};

const FURIOUS: &str = "This is terrible. Third time this month, I am furious and disgusted.";

fn mail(from: &str, id: &str, problem: ProblemId, reply: &str) -> NewInboundEmail {
    NewInboundEmail {
        message_id: Some(id.into()),
        from_email: Some(Email::parse(from).unwrap()),
        from_name: None,
        subject: "Re: the export".into(),
        sent_at: Some(now()),
        answers: Some(problem),
        tag: None,
        raw: format!("From: {from}\r\n\r\n{reply}\r\n").into_bytes(),
        text: reply.into(),
        reply: reply.into(),
        attachments: Vec::new(),
        skipped: Vec::new(),
    }
}

async fn with_email(store: &Store, contact: ContactId, email: &str) {
    let patch = ContactPatch {
        email: Some(Some(Email::parse(email).unwrap())),
        ..ContactPatch::default()
    };
    store.update_contact(contact, patch).await.unwrap();
}

/// The owner emails in the outbox: (recipient, contact, account, body, upset).
async fn wrote(store: &Store) -> Vec<(String, String, String, String, bool)> {
    outbox(store)
        .await
        .into_iter()
        .filter_map(|d| match d.notice {
            Notice::CustomerWrote {
                to,
                contact,
                account,
                body,
                upset,
                ..
            } => Some((to.email.to_string(), contact, account, body, upset)),
            _ => None,
        })
        .collect()
}

store_test! {
    async fn an_upset_reply_flags_the_problem_and_asks_the_owner_to_call(store: Store) {
        let w = world(&store).await;
        without_digests(&store).await;
        with_email(&store, w.ann.id, "ann@acme.example").await;
        let p = store.create_problem(actor(&w.agent, now()), new_problem(&w, "Export stopped")).await.unwrap();
        let id = p.problem.id;
        assert!(!p.customer_upset);

        let at = now() + minutes(10);
        let outcome = store.ingest_email(mail("ann@acme.example", "u1@acme.example", id, FURIOUS), None, at).await.unwrap();
        assert!(matches!(outcome, Ingested::Threaded { .. }), "{outcome:?}");

        // The owner hears at once, told it is upset.
        assert_eq!(
            wrote(&store).await,
            [("alex@makegood.example".to_owned(), "Ann".to_owned(), "Acme".to_owned(), FURIOUS.to_owned(), true)]
        );
        let view = store.problem(id, at).await.unwrap();
        assert!(view.customer_upset);
        let call = view.clocks.iter().find(|c| c.kind == ClockKind::Call).expect("a call clock");
        assert_eq!(call.state, ClockState::Ok);
        assert_eq!(call.started_at, at);
        let due = call.due_at.expect("the call is due");

        // Today's duty: call Acme.
        let duties = store.duties(Some(w.agent.id), at, 50).await.unwrap();
        let number = p.problem.number;
        assert!(
            duties.iter().any(|d| d.clock.kind == ClockKind::Call && d.summary == format!("Call Acme about {number}")),
            "{duties:?}"
        );

        // Left uncalled past its due time, the call is breached once, the owner and the
        // supervisors alerted.
        store.fire_due(due + minutes(1), 100).await.unwrap();
        store.fire_due(due + minutes(2), 100).await.unwrap();
        let breaches: Vec<_> = crate::scheduler::alerts(&store).await.into_iter()
            .filter(|a| a.1 == AlertKind::Breach && a.2 == ClockKind::Call)
            .map(|a| a.0)
            .collect();
        assert_eq!(breaches, ["ada@makegood.example", "alex@makegood.example"], "{breaches:?}");
        assert!(store.problem(id, due + minutes(2)).await.unwrap().clocks.iter().any(|c| c.kind == ClockKind::Call && c.state == ClockState::Breached));
    }
}

store_test! {
    async fn recording_the_call_clears_the_flag_and_the_duty(store: Store) {
        let w = world(&store).await;
        without_digests(&store).await;
        with_email(&store, w.ann.id, "ann@acme.example").await;
        let p = store.create_problem(actor(&w.agent, now()), new_problem(&w, "Export stopped")).await.unwrap();
        let id = p.problem.id;
        store.ingest_email(mail("ann@acme.example", "u2@acme.example", id, FURIOUS), None, now()).await.unwrap();

        // A note is required.
        let blank = store.record(actor(&w.agent, now() + minutes(5)), id, None, EventKind::CustomerCalled { note: "  ".into() }).await;
        invalid(blank, "note");

        let later = now() + minutes(20);
        let view = store.record(actor(&w.agent, later), id, None, EventKind::CustomerCalled { note: "Apologised; reprint tonight.".into() }).await.unwrap();
        assert!(!view.customer_upset);
        let call = view.clocks.iter().find(|c| c.kind == ClockKind::Call).expect("the call clock");
        assert_eq!((call.state, call.stopped_at), (ClockState::Met, Some(later)));
        let duties = store.duties(Some(w.agent.id), later, 50).await.unwrap();
        assert!(!duties.iter().any(|d| d.clock.kind == ClockKind::Call), "{duties:?}");
        // Its timers went with it: nothing about the call ever fires.
        store.fire_due(far_away() - hours(1), 100).await.unwrap();
        assert!(!crate::scheduler::alerts(&store).await.iter().any(|a| a.2 == ClockKind::Call));

        // A calm reply afterwards tells the owner, but asks for no call.
        store.ingest_email(mail("ann@acme.example", "u3@acme.example", id, "Thanks, that is kind."), None, later + minutes(1)).await.unwrap();
        let calm: Vec<bool> = wrote(&store).await.into_iter().map(|m| m.4).collect();
        assert_eq!(calm, [true, false]);
        assert!(!store.problem(id, later + minutes(1)).await.unwrap().customer_upset);
    }
}

store_test! {
    async fn an_owner_with_email_alerts_off_is_not_emailed(store: Store) {
        let w = world(&store).await;
        with_email(&store, w.ann.id, "ann@acme.example").await;
        let silent = Preferences { email_alerts: false, daily_digest: false, ..Preferences::default() };
        set_preferences_for_test(&store, w.agent.id, &silent, Some(far_away())).await.unwrap();
        let p = store.create_problem(actor(&w.agent, now()), new_problem(&w, "Export stopped")).await.unwrap();
        store.ingest_email(mail("ann@acme.example", "u4@acme.example", p.problem.id, FURIOUS), None, now()).await.unwrap();
        assert!(wrote(&store).await.is_empty());
        // The flag and the call do not depend on email.
        assert!(store.problem(p.problem.id, now()).await.unwrap().customer_upset);
    }
}
