//! Notices: daily digests, webhook events, customer updates threaded per stakeholder, and
//! exactly-once firing with several callers.

use makegood_domain::{EventKind, Notice, Preferences, ProblemId, WeeklyHours};
use makegood_store::testing::{insert_webhook_for_test, set_preferences_for_test};
use makegood_store::{NewContact, Store};

use crate::common::*;
use crate::scheduler::outbox;

/// The digests in the outbox: (recipient email, number of duties).
async fn digests(store: &Store) -> Vec<(String, usize)> {
    outbox(store)
        .await
        .into_iter()
        .filter_map(|d| match d.notice {
            Notice::Digest { to, duties, .. } => Some((to.email.to_string(), duties.len())),
            _ => None,
        })
        .collect()
}

store_test! {
    async fn digests_are_scheduled_then_sent_once_a_working_day(store: Store) {
        let w = world(&store).await;
        set_preferences_for_test(&store, w.agent.id, &Preferences::default(), None).await.unwrap();
        let quiet = Preferences { daily_digest: false, ..Preferences::default() };
        set_preferences_for_test(&store, w.admin.id, &quiet, None).await.unwrap();
        // Not yet scheduled: due at once, and scheduling sends nothing.
        assert!(store.next_wakeup().await.unwrap().unwrap() < now());
        assert_eq!(store.fire_due(now(), 100).await.unwrap(), 0);
        // Monday 10:00 in Berlin: the next working day opens Tuesday 09:00 Berlin.
        let tuesday = at("2025-03-04T08:00:00Z");
        assert_eq!(store.next_wakeup().await.unwrap(), Some(tuesday));

        store.create_problem(actor(&w.agent, now()), new_problem(&w, "Export stopped")).await.unwrap();
        let admins = makegood_store::NewProblem { owner: w.admin.id, ..new_problem(&w, "Invoices wrong") };
        store.create_problem(actor(&w.admin, now()), admins).await.unwrap();
        store.fire_due(tuesday, 100).await.unwrap();
        store.fire_due(tuesday, 100).await.unwrap();
        store.fire_due(tuesday + hours(4), 100).await.unwrap();
        // The agent's duties: the breached tell and the fix of their problem; none for the admin.
        assert_eq!(digests(&store).await, [("alex@makegood.example".to_owned(), 2)]);
        let wednesday = at("2025-03-05T08:00:00Z");
        store.fire_due(wednesday, 100).await.unwrap();
        assert_eq!(digests(&store).await.len(), 2);
        // Friday's digest is followed by Monday's, not Saturday's.
        store.fire_due(at("2025-03-07T08:00:00Z"), 100).await.unwrap();
        store.fire_due(at("2025-03-07T08:00:00Z"), 100).await.unwrap();
        assert!(store.next_wakeup().await.unwrap().unwrap() <= at("2025-03-10T08:00:00Z"));
        store.fire_due(at("2025-03-09T12:00:00Z"), 100).await.unwrap();
        assert_eq!(digests(&store).await.len(), 3, "Tuesday, Wednesday, and one for the missed Thursday on Friday");
        store.fire_due(at("2025-03-10T08:00:00Z"), 100).await.unwrap();
        assert_eq!(digests(&store).await.len(), 4);
    }
}

store_test! {
    async fn webhooks_get_the_events_they_subscribed_to(store: Store) {
        let w = world(&store).await;
        let all = insert_webhook_for_test(&store, "everything", &[]).await.unwrap();
        let updates = insert_webhook_for_test(&store, "updates", &["update", "clock_breached"]).await.unwrap();
        let a = actor(&w.agent, now());
        let id = store.create_problem(a, new_problem(&w, "Export stopped")).await.unwrap().problem.id;
        store.record(a, id, None, EventKind::Note { body: "internal".into() }).await.unwrap();
        store.record(a, id, None, EventKind::Update { body: "On it.".into() }).await.unwrap();
        store.fire_due(at("2025-03-06T09:00:00Z"), 100).await.unwrap();
        let sent: Vec<(i64, String, Option<ProblemId>)> = outbox(&store)
            .await
            .into_iter()
            .filter_map(|d| match d.notice {
                Notice::Event { webhook, event, problem } => {
                    assert_eq!(d.recipient, format!("webhook:{webhook}"));
                    assert_eq!(d.next_attempt_at, d.created_at);
                    Some((webhook, event.kind.name().to_owned(), problem.map(|p| p.id)))
                }
                _ => None,
            })
            .collect();
        let names = |hook: i64| -> Vec<String> {
            sent.iter().filter(|s| s.0 == hook).map(|s| s.1.clone()).collect()
        };
        assert!(sent.iter().all(|s| s.2 == Some(id)));
        // By Thursday the update clock (24 h) and the fix clock (72 h) have breached; their
        // warnings came too late to say anything.
        assert_eq!(names(all), ["created", "note", "update", "clock_breached", "clock_breached"]);
        assert_eq!(names(updates), ["update", "clock_breached", "clock_breached"]);
    }
}

store_test! {
    async fn a_customer_update_emails_each_stakeholder_threaded(store: Store) {
        let w = world(&store).await;
        let carol = store
            .create_contact(NewContact { email: Some(makegood_domain::Email::parse("carol@acme.example").unwrap()), ..contact(w.acme.id, "Carol") })
            .await
            .unwrap();
        let new = makegood_store::NewProblem { stakeholders: vec![w.ann.id, carol.id], ..new_problem(&w, "Export stopped") };
        let a = actor(&w.agent, now());
        let id = store.create_problem(a, new).await.unwrap().problem.id;
        store.record(a, id, None, EventKind::Note { body: "internal".into() }).await.unwrap();
        for body in ["We are on it.", "Fixed the export.", "All good now."] {
            store.record(a, id, None, EventKind::Update { body: body.into() }).await.unwrap();
        }
        type Mail = (i64, String, String, String, Option<i64>, Option<i64>);
        let mails: Vec<Mail> = outbox(&store)
            .await
            .into_iter()
            .filter_map(|d| match d.notice {
                Notice::CustomerUpdate { to, from_name, body, first, previous, problem } => {
                    assert_eq!((problem.id, d.problem), (id, Some(id)));
                    Some((d.id, to.email.to_string(), from_name, body, first, previous))
                }
                _ => None,
            })
            .collect();
        // Ann has no address; Carol gets each update, threaded under the first and the previous.
        assert_eq!(mails.len(), 3);
        let (first, second) = (mails[0].0, mails[1].0);
        let expected = [
            ("We are on it.", None, None),
            ("Fixed the export.", Some(first), Some(first)),
            ("All good now.", Some(first), Some(second)),
        ];
        for (mail, (body, f, p)) in mails.iter().zip(expected) {
            assert_eq!(
                (mail.1.as_str(), mail.2.as_str(), mail.3.as_str(), mail.4, mail.5),
                ("carol@acme.example", "Alex Agent", body, f, p)
            );
        }
    }
}

store_test! {
    async fn non_critical_alerts_wait_for_working_hours_and_respect_preferences(store: Store) {
        let w = world(&store).await;
        // The admin takes no alerts by email; the agent works 14:00-16:00 Berlin only.
        let silent = Preferences { email_alerts: false, ..Preferences::default() };
        set_preferences_for_test(&store, w.admin.id, &silent, Some(at("2030-01-01T00:00:00Z"))).await.unwrap();
        let afternoon = vec![makegood_domain::OpenHours { open: "14:00".into(), close: "16:00".into() }];
        let working_hours = WeeklyHours { monday: afternoon, ..WeeklyHours::default() };
        let late = Preferences { working_hours, ..Preferences::default() };
        set_preferences_for_test(&store, w.agent.id, &late, Some(at("2030-01-01T00:00:00Z"))).await.unwrap();
        store.create_problem(actor(&w.agent, now()), new_problem(&w, "Export stopped")).await.unwrap();
        store.fire_due(at("2025-03-03T11:12:00Z"), 100).await.unwrap();
        store.fire_due(at("2025-03-03T12:01:00Z"), 100).await.unwrap();
        let sent: Vec<_> = crate::scheduler::alerts(&store).await.into_iter().map(|a| (a.0, a.1, a.4)).collect();
        assert_eq!(
            sent,
            [
                // The warning waits for 14:00 Berlin (13:00 UTC); the breach does not wait.
                ("alex@makegood.example".to_owned(), makegood_domain::AlertKind::Warning, at("2025-03-03T13:00:00Z")),
                ("alex@makegood.example".to_owned(), makegood_domain::AlertKind::Breach, at("2025-03-03T12:01:00Z")),
            ]
        );
    }
}

/// Two stores on one database (two processes' worth of connections) fire due work together.
async fn concurrent_callers_fire_each_transition_exactly_once(backend: makegood_store::Backend) {
    let db = makegood_store::testing::TestDb::new(backend).await;
    let store = db.store.clone();
    let other = Store::connect(&db.url).await.unwrap();
    let w = world(&store).await;
    let a = actor(&w.agent, now());
    let mut ids = Vec::new();
    for i in 0..12 {
        ids.push(
            store
                .create_problem(a, new_problem(&w, &format!("Problem {i}")))
                .await
                .unwrap()
                .problem
                .id,
        );
        store
            .create_promise(a, new_promise(&w, hours(2)))
            .await
            .unwrap();
    }
    // Per problem a tell warning (silent by now) and breach; per promise a warning (silent)
    // and a break: 48 timers, taken five at a time by both callers at once.
    let t = at("2025-03-03T12:30:00Z");
    let run = |s: Store| async move {
        let mut n = 0;
        for _ in 0..8 {
            n += s.fire_due(t, 5).await.unwrap();
        }
        n
    };
    let (x, y) = tokio::join!(run(store.clone()), run(other.clone()));
    assert_eq!(x + y, 48);
    assert_eq!(store.fire_due(t, 100).await.unwrap(), 0);
    for id in ids {
        let events = crate::scheduler::fired(&store, id).await;
        assert_eq!(
            events.len(),
            1,
            "one breach per problem, its warning silent: {events:?}"
        );
    }
    let broken = outbox(&store)
        .await
        .iter()
        .filter(|d| {
            matches!(
                d.notice,
                Notice::Alert {
                    alert: makegood_domain::AlertKind::PromiseBroken,
                    ..
                }
            )
        })
        .count();
    // Each of the 12 broken promises alerts its maker (the agent) and the admin, once.
    assert_eq!(broken, 24);
}

makegood_store::backend_tests!(concurrent_callers_fire_each_transition_exactly_once);
