//! The follow-up survey: scheduled after the fix or the remedy's delivery, sent once per
//! stakeholder, answered once; low answers alert; results per problem and account.

use makegood_domain::followup::FollowUp;
use makegood_domain::{
    ClockKind, Contact, ContactId, Email, EventKind, Member, NewRemedy, Notice, Outcome, ProblemId,
    RemedyKind,
};
use makegood_store::{NewContact, Store, StoreError};

use crate::common::*;
use crate::scheduler::{outbox, supervisor, without_digests};

/// The world, a supervisor, and Carol and Dan at Acme with addresses.
struct Scene {
    w: World,
    sue: Member,
    carol: Contact,
    dan: Contact,
}

async fn scene(store: &Store) -> Scene {
    let w = world(store).await;
    let sue = supervisor(store).await;
    without_digests(store).await;
    let with_email = |name: &str, address: &str| NewContact {
        email: Some(Email::parse(address).unwrap()),
        ..contact(w.acme.id, name)
    };
    let carol = store
        .create_contact(with_email("Carol", "carol@acme.example"))
        .await
        .unwrap();
    let dan = store
        .create_contact(with_email("Dan", "dan@acme.example"))
        .await
        .unwrap();
    Scene { w, sue, carol, dan }
}

/// A problem at Acme for Ann (no address), Carol and Dan.
async fn problem(store: &Store, s: &Scene) -> ProblemId {
    let new = makegood_store::NewProblem {
        stakeholders: vec![s.w.ann.id, s.carol.id, s.dan.id],
        ..new_problem(&s.w, "Export stopped")
    };
    let a = actor(&s.w.agent, now());
    store.create_problem(a, new).await.unwrap().problem.id
}

async fn record(store: &Store, s: &Scene, id: ProblemId, at: jiff::Timestamp, kind: EventKind) {
    store
        .record(actor(&s.w.agent, at), id, None, kind)
        .await
        .unwrap();
}

fn fixed() -> EventKind {
    EventKind::Fixed {
        summary: String::new(),
    }
}

fn days(d: i64) -> jiff::SignedDuration {
    hours(24 * d)
}

/// The surveys in the outbox: (recipient, token, first, previous).
async fn surveys(store: &Store) -> Vec<(String, String, Option<i64>, Option<i64>)> {
    outbox(store)
        .await
        .into_iter()
        .filter_map(|d| match d.notice {
            Notice::Survey {
                to,
                token,
                first,
                previous,
                ..
            } => Some((to.email.to_string(), token, first, previous)),
            _ => None,
        })
        .collect()
}

/// Sends the survey of a problem fixed at [`now`].
async fn sent(store: &Store, s: &Scene) -> ProblemId {
    let id = problem(store, s).await;
    record(store, s, id, now(), fixed()).await;
    store.fire_due(now() + days(3), 100).await.unwrap();
    assert_eq!(surveys(store).await.len(), 2);
    id
}

store_test! {
    async fn a_fixed_problem_is_followed_up_the_policys_days_later(store: Store) {
        let s = scene(&store).await;
        let id = problem(&store, &s).await;
        assert_eq!(store.follow_up_due(id).await.unwrap(), None, "not fixed yet");
        let fix = now() + hours(2);
        record(&store, &s, id, fix, fixed()).await;
        assert_eq!(store.follow_up_due(id).await.unwrap(), Some(fix + days(3)));
        assert!(store.next_wakeup().await.unwrap().unwrap() <= fix + days(3));
        // A confirmation keeps the fix time; a reopening clears the schedule.
        record(&store, &s, id, fix + hours(1), EventKind::Confirmed { contact: None }).await;
        assert_eq!(store.follow_up_due(id).await.unwrap(), Some(fix + days(3)));
        record(&store, &s, id, fix + hours(2), EventKind::Reopened { reason: "again".into() }).await;
        assert_eq!(store.follow_up_due(id).await.unwrap(), None);
        store.fire_due(fix + days(4), 100).await.unwrap();
        assert!(surveys(&store).await.is_empty());
        let again = fix + days(5);
        record(&store, &s, id, again, fixed()).await;
        assert_eq!(store.follow_up_due(id).await.unwrap(), Some(again + days(3)));

        // Nobody with an address to ask: nothing is scheduled.
        let a = actor(&s.w.agent, now());
        let quiet = store.create_problem(a, new_problem(&s.w, "Ann only")).await.unwrap().problem.id;
        record(&store, &s, quiet, fix, fixed()).await;
        assert_eq!(store.follow_up_due(quiet).await.unwrap(), None);
    }
}

store_test! {
    async fn a_pending_remedy_holds_the_follow_up_until_it_is_delivered(store: Store) {
        let s = scene(&store).await;
        let id = problem(&store, &s).await;
        let a = actor(&s.w.agent, now());
        let new = |description: &str| NewRemedy {
            problem: id,
            kind: RemedyKind::Redo,
            description: description.into(),
            cost: eur(1_000),
            vendor_share: None,
        };
        let remedy = store.propose_remedy(a, new("We redo the export")).await.unwrap();
        record(&store, &s, id, now() + hours(1), fixed()).await;
        assert_eq!(store.follow_up_due(id).await.unwrap(), None, "the remedy is not delivered");
        let delivered = now() + days(1);
        let later = actor(&s.w.agent, delivered);
        store.deliver_remedy(later, remedy.remedy.id, None, None).await.unwrap();
        assert_eq!(store.follow_up_due(id).await.unwrap(), Some(delivered + days(3)));
        // A second remedy holds it again until it too is delivered.
        let second = store.propose_remedy(later, new("And a credit note")).await.unwrap();
        assert_eq!(store.follow_up_due(id).await.unwrap(), None);
        let last = delivered + hours(6);
        store.deliver_remedy(actor(&s.w.agent, last), second.remedy.id, None, None).await.unwrap();
        assert_eq!(store.follow_up_due(id).await.unwrap(), Some(last + days(3)));
    }
}

store_test! {
    async fn the_scheduler_sends_each_stakeholder_one_survey_threaded(store: Store) {
        let s = scene(&store).await;
        let id = problem(&store, &s).await;
        record(&store, &s, id, now(), EventKind::Update { body: "On it.".into() }).await;
        record(&store, &s, id, now(), fixed()).await;
        let due = now() + days(3);
        assert_eq!(store.fire_due(due - minutes(1), 100).await.unwrap(), 0);
        assert!(surveys(&store).await.is_empty());
        // Two schedulers at once: one sends.
        let other = store.clone();
        let (x, y) = tokio::join!(store.fire_due(due, 100), other.fire_due(due, 100));
        assert_eq!(x.unwrap() + y.unwrap(), 1);
        assert_eq!(store.fire_due(due + days(1), 100).await.unwrap(), 0);
        assert_eq!(store.follow_up_due(id).await.unwrap(), None);

        let updates: Vec<(String, i64)> = outbox(&store)
            .await
            .into_iter()
            .filter_map(|d| match d.notice {
                Notice::CustomerUpdate { to, .. } => Some((to.email.to_string(), d.id)),
                _ => None,
            })
            .collect();
        let sent = surveys(&store).await;
        let to: Vec<&str> = sent.iter().map(|m| m.0.as_str()).collect();
        assert_eq!(to, ["carol@acme.example", "dan@acme.example"]);
        for (mail, update) in sent.iter().zip(&updates) {
            assert_eq!((mail.2, mail.3), (Some(update.1), Some(update.1)), "threaded under the update");
            assert_eq!(mail.1.len(), 64);
        }
        assert_ne!(sent[0].1, sent[1].1, "each their own link");

        let all = makegood_store::PageRequest { cursor: None, limit: Some(200) };
        let events: Vec<EventKind> = store.timeline(id, &all).await.unwrap().items.into_iter()
            .map(|e| e.kind)
            .filter(|k| matches!(k, EventKind::SurveySent { .. }))
            .collect();
        assert_eq!(events, [EventKind::SurveySent { contacts: vec![s.carol.id, s.dan.id] }]);
        let carol = store.survey_for(s.carol.id, id).await.unwrap().unwrap();
        assert_eq!((carol.sent_at, carol.answered_at, carol.rating), (due, None, None));
        assert_eq!(store.survey_for(s.w.ann.id, id).await.unwrap(), None, "Ann has no address");
        assert_eq!(store.problem_surveys(id).await.unwrap().len(), 2);

        // Reopened and fixed again, it is not surveyed twice.
        record(&store, &s, id, due, EventKind::Reopened { reason: "again".into() }).await;
        record(&store, &s, id, due, fixed()).await;
        assert_eq!(store.follow_up_due(id).await.unwrap(), None);
    }
}

store_test! {
    async fn a_low_answer_alerts_the_owner_supervisors_and_admins_and_asks_for_a_call(store: Store) {
        let s = scene(&store).await;
        let id = sent(&store, &s).await;
        let at = now() + days(4);
        let answer = FollowUp::new(2, 8, "  Took far too long. ").unwrap();
        let view = store.answer_survey(s.carol.id, id, answer.clone(), at).await.unwrap();
        assert_eq!((view.rating, view.recommend, view.answered_at), (Some(2), Some(8), Some(at)));
        assert_eq!(view.comment.as_deref(), Some("Took far too long."));
        assert!(view.low);

        let mut alerted: Vec<(String, u8, u8, String, String)> = outbox(&store)
            .await
            .into_iter()
            .filter_map(|d| match d.notice {
                Notice::LowRating { to, rating, recommend, contact, account, problem, .. } => {
                    assert_eq!((problem.id, d.next_attempt_at), (id, at), "at once");
                    Some((to.email.to_string(), rating, recommend, contact, account))
                }
                _ => None,
            })
            .collect();
        alerted.sort();
        let who: Vec<&str> = alerted.iter().map(|a| a.0.as_str()).collect();
        assert_eq!(who, ["ada@makegood.example", "alex@makegood.example", "sue@makegood.example"]);
        assert_eq!(alerted[0].1..=alerted[0].2, 2..=8);
        assert_eq!((alerted[0].3.as_str(), alerted[0].4.as_str()), ("Carol", "Acme"));
        assert_eq!(s.sue.role, makegood_domain::Role::Supervisor);

        let problem = store.problem(id, at + hours(1)).await.unwrap();
        assert!(problem.customer_upset);
        let call = problem.clocks.iter().find(|c| c.kind == ClockKind::Call).unwrap();
        assert_eq!((call.started_at, call.stopped_at), (at, None));

        // Once only; only with a survey; never about another account's problem.
        conflict(store.answer_survey(s.carol.id, id, answer.clone(), at).await);
        conflict(store.answer_survey(s.w.ann.id, id, answer.clone(), at).await);
        assert!(matches!(store.answer_survey(s.w.bob.id, id, answer.clone(), at).await, Err(StoreError::NotFound { .. })));
        assert!(matches!(store.survey_for(s.w.bob.id, id).await, Err(StoreError::NotFound { .. })));
        assert!(matches!(store.survey_for(ContactId(999), id).await, Err(StoreError::NotFound { .. })));

        // A good answer alerts nobody.
        let before = outbox(&store).await.len();
        let good = FollowUp::new(5, 10, "Great").unwrap();
        assert!(!store.answer_survey(s.dan.id, id, good, at).await.unwrap().low);
        assert_eq!(outbox(&store).await.len(), before);
    }
}

store_test! {
    async fn an_account_shows_its_follow_ups_and_outcomes(store: Store) {
        let s = scene(&store).await;
        let empty = store.account_surveys(s.w.acme.id, 5).await.unwrap();
        assert_eq!((empty.sent, empty.answered, empty.average_rating, empty.nps), (0, 0, None, None));
        let id = sent(&store, &s).await;
        let at = now() + days(4);
        store.answer_survey(s.carol.id, id, FollowUp::new(2, 3, "").unwrap(), at).await.unwrap();
        store.answer_survey(s.dan.id, id, FollowUp::new(5, 10, "").unwrap(), at + hours(1)).await.unwrap();
        let summary = store.account_surveys(s.w.acme.id, 5).await.unwrap();
        assert_eq!((summary.sent, summary.answered, summary.average_rating, summary.nps), (2, 2, Some(3.5), Some(0)));
        let latest: Vec<&str> = summary.latest.iter().map(|x| x.survey.contact_name.as_str()).collect();
        assert_eq!(latest, ["Dan", "Carol"]);
        assert_eq!(summary.latest[0].problem.id, id);
        assert_eq!(store.account_surveys(s.w.globex.id, 5).await.unwrap().sent, 0);

        // Outcomes: the latest close counts, newest first.
        record(&store, &s, id, at, EventKind::Closed { outcome: Outcome::AtRisk }).await;
        record(&store, &s, id, at + hours(1), EventKind::Reopened { reason: "again".into() }).await;
        record(&store, &s, id, at + hours(2), EventKind::Closed { outcome: Outcome::Retained }).await;
        let other = problem(&store, &s).await;
        record(&store, &s, other, at + hours(3), EventKind::Closed { outcome: Outcome::Advocate }).await;
        problem(&store, &s).await;
        let outcomes = store.account_outcomes(s.w.acme.id, 10).await.unwrap();
        let seen: Vec<(ProblemId, Outcome)> = outcomes.iter().map(|o| (o.problem.id, o.outcome)).collect();
        assert_eq!(seen, [(other, Outcome::Advocate), (id, Outcome::Retained)]);
        assert_eq!(outcomes[1].closed_at, at + hours(2));
        assert_eq!(store.account_outcomes(s.w.acme.id, 1).await.unwrap().len(), 1);
        assert!(store.account_outcomes(s.w.globex.id, 10).await.unwrap().is_empty());
        assert!(matches!(store.account_outcomes(makegood_domain::AccountId(999), 10).await, Err(StoreError::NotFound { .. })));
    }
}
