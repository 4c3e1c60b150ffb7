//! The scheduler: timers follow the clocks, each transition fires once with its event and
//! alerts; calendars move deadlines; warnings wait for working hours.

use jiff::{SignedDuration, Timestamp};
use makegood_domain::{
    AlertKind, CalendarSpec, ClockKind, EventKind, Member, Notice, Policies, ProblemId,
    PromiseStatus, Role, Severity, WaitingOn, WeeklyHours,
};
use makegood_store::testing::set_preferences_for_test;
use makegood_store::{Delivery, DeliveryFilter, NewPromise, PageRequest, Store};

use crate::common::*;

/// When every member's (switched off) digest is next looked at: far beyond these tests.
pub fn far_away() -> Timestamp {
    at("2099-01-01T00:00:00Z")
}

/// Switches every member's daily digest off and schedules it [`far_away`], so only timers
/// wake the scheduler (digests have their own tests).
pub async fn without_digests(store: &Store) {
    let quiet = makegood_domain::Preferences {
        daily_digest: false,
        ..makegood_domain::Preferences::default()
    };
    let members = store.list_members(&PageRequest::default()).await.unwrap();
    for m in members.items {
        set_preferences_for_test(store, m.id, &quiet, Some(far_away()))
            .await
            .unwrap();
    }
}

/// Every message in the outbox, oldest first.
pub async fn outbox(store: &Store) -> Vec<Delivery> {
    let all = PageRequest {
        cursor: None,
        limit: Some(200),
    };
    let mut items = store
        .list_deliveries(&DeliveryFilter::default(), &all)
        .await
        .unwrap()
        .items;
    items.reverse();
    items
}

/// The alerts in the outbox: (recipient email, kind, clock, summary, sent from).
pub async fn alerts(store: &Store) -> Vec<(String, AlertKind, ClockKind, String, Timestamp)> {
    outbox(store)
        .await
        .into_iter()
        .filter_map(|d| match d.notice {
            Notice::Alert {
                to,
                alert,
                clock,
                summary,
                ..
            } => Some((
                to.email.to_string(),
                alert,
                clock,
                summary,
                d.next_attempt_at,
            )),
            _ => None,
        })
        .collect()
}

/// The scheduler's events on a problem's timeline, with their times.
pub async fn fired(store: &Store, id: ProblemId) -> Vec<(Timestamp, EventKind)> {
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
        .filter(|e| {
            matches!(
                e.kind,
                EventKind::ClockWarning { .. }
                    | EventKind::ClockBreached { .. }
                    | EventKind::PromiseBroken { .. }
            )
        })
        .map(|e| (e.at, e.kind))
        .collect()
}

pub async fn supervisor(store: &Store) -> Member {
    store
        .create_member(
            new_member("Sue Supervisor", "sue@makegood.example", Role::Supervisor),
            now(),
        )
        .await
        .unwrap()
}

fn warning(clock: ClockKind, due_at: Timestamp) -> EventKind {
    EventKind::ClockWarning { clock, due_at }
}

fn breached(clock: ClockKind, due_at: Timestamp) -> EventKind {
    EventKind::ClockBreached { clock, due_at }
}

const ALEX: &str = "alex@makegood.example";
const ADA: &str = "ada@makegood.example";
const SUE: &str = "sue@makegood.example";

store_test! {
    async fn a_warning_then_a_breach_fire_once_each_with_their_alerts(store: Store) {
        let w = world(&store).await;
        supervisor(&store).await;
        without_digests(&store).await;
        // Major, detected at 08:00 UTC: tell within 4 h (12:00), warning 48 min before (11:12).
        let id = store.create_problem(actor(&w.agent, now()), new_problem(&w, "Export stopped")).await.unwrap().problem.id;
        let n = store.problem(id, now()).await.unwrap().problem.number;
        assert_eq!(store.next_wakeup().await.unwrap(), Some(at("2025-03-03T11:12:00Z")));
        assert_eq!(store.fire_due(now(), 100).await.unwrap(), 0);

        let t1 = at("2025-03-03T11:12:00Z");
        assert_eq!(store.fire_due(t1, 100).await.unwrap(), 1);
        assert_eq!(store.fire_due(t1, 100).await.unwrap(), 0, "fired once");
        let tell_due = at("2025-03-03T12:00:00Z");
        assert_eq!(fired(&store, id).await, [(t1, warning(ClockKind::Tell, tell_due))]);
        // 12:12 in Berlin, a working hour: the warning goes at once, to the owner only.
        assert_eq!(
            alerts(&store).await,
            [(ALEX.into(), AlertKind::Warning, ClockKind::Tell, format!("Tell Acme about {n}"), t1)]
        );
        // Breached once the deadline has passed: a microsecond after it.
        assert_eq!(store.next_wakeup().await.unwrap(), Some(tell_due + SignedDuration::from_micros(1)));
        assert_eq!(store.fire_due(tell_due, 100).await.unwrap(), 0);

        let t2 = tell_due + minutes(1);
        assert_eq!(store.fire_due(t2, 100).await.unwrap(), 1);
        assert_eq!(store.fire_due(t2 + minutes(5), 100).await.unwrap(), 0);
        assert_eq!(
            fired(&store, id).await,
            [(t1, warning(ClockKind::Tell, tell_due)), (tell_due, breached(ClockKind::Tell, tell_due))]
        );
        // The breach goes to the owner, the supervisor and the admin, each once; not the viewer.
        let breach: Vec<_> = alerts(&store).await.into_iter().skip(1).collect();
        let summary = format!("Tell Acme about {n}");
        assert_eq!(
            breach,
            [
                (ADA.into(), AlertKind::Breach, ClockKind::Tell, summary.clone(), t2),
                (ALEX.into(), AlertKind::Breach, ClockKind::Tell, summary.clone(), t2),
                (SUE.into(), AlertKind::Breach, ClockKind::Tell, summary, t2),
            ]
        );
        // Next: the fix clock's warning, 20% of 72 h before Thursday 08:00.
        assert_eq!(store.next_wakeup().await.unwrap(), Some(at("2025-03-05T17:36:00Z")));
    }
}

store_test! {
    async fn a_customer_update_before_the_warning_cancels_the_tell_timers(store: Store) {
        let w = world(&store).await;
        let id = store.create_problem(actor(&w.agent, now()), new_problem(&w, "Export stopped")).await.unwrap().problem.id;
        let update = EventKind::Update { body: "We are on it.".into() };
        store.record(actor(&w.agent, now() + minutes(30)), id, None, update).await.unwrap();
        assert_eq!(store.fire_due(at("2025-03-03T13:00:00Z"), 100).await.unwrap(), 0);
        assert!(fired(&store, id).await.is_empty());
        assert!(alerts(&store).await.is_empty());
        // The update clock now runs: 24 h from the update, warning 20% before.
        assert_eq!(store.next_wakeup().await.unwrap(), Some(at("2025-03-04T04:42:00Z")));
    }
}

store_test! {
    async fn a_pause_moves_the_fix_deadline_and_only_the_new_timers_fire(store: Store) {
        let w = world(&store).await;
        let id = store.create_problem(actor(&w.agent, now()), new_problem(&w, "Export stopped")).await.unwrap().problem.id;
        let a = |t| actor(&w.agent, t);
        store.record(a(now()), id, None, EventKind::Update { body: "On it.".into() }).await.unwrap();
        let waiting = EventKind::Waiting { on: WaitingOn::Customer, reason: "their logs".into() };
        store.record(a(now() + hours(1)), id, None, waiting).await.unwrap();
        store.record(a(now() + hours(25)), id, None, EventKind::Resumed).await.unwrap();
        let fix_events = |all: Vec<(Timestamp, EventKind)>| -> Vec<(Timestamp, EventKind)> {
            all.into_iter()
                .filter(|(_, k)| matches!(k, EventKind::ClockWarning { clock: ClockKind::Fix, .. } | EventKind::ClockBreached { clock: ClockKind::Fix, .. }))
                .collect()
        };
        // Fix was due Thursday 08:00 (warning Wednesday 17:36); the day waiting moves both a day.
        store.fire_due(at("2025-03-06T07:59:00Z"), 100).await.unwrap();
        assert!(fix_events(fired(&store, id).await).is_empty(), "the old deadline never fires");
        let due = at("2025-03-07T08:00:00Z");
        store.fire_due(at("2025-03-06T17:36:00Z"), 100).await.unwrap();
        store.fire_due(due, 100).await.unwrap();
        store.fire_due(due + hours(1), 100).await.unwrap();
        assert_eq!(
            fix_events(fired(&store, id).await),
            [(at("2025-03-06T17:36:00Z"), warning(ClockKind::Fix, due)), (due, breached(ClockKind::Fix, due))]
        );
    }
}

store_test! {
    async fn a_policy_change_recomputes_the_timers(store: Store) {
        let w = world(&store).await;
        without_digests(&store).await;
        let id = store.create_problem(actor(&w.agent, now()), new_problem(&w, "Export stopped")).await.unwrap().problem.id;
        let mut policies = Policies::default();
        policies.major.tell_within_minutes = 120;
        store.set_policies(&policies).await.unwrap();
        // Tell from 08:00 within 2 h: due 10:00, warning 24 min before.
        assert_eq!(store.next_wakeup().await.unwrap(), Some(at("2025-03-03T09:36:00Z")));
        let due = at("2025-03-03T10:00:00Z");
        store.fire_due(at("2025-03-03T09:36:00Z"), 100).await.unwrap();
        store.fire_due(at("2025-03-03T13:00:00Z"), 100).await.unwrap();
        assert_eq!(
            fired(&store, id).await,
            [(at("2025-03-03T09:36:00Z"), warning(ClockKind::Tell, due)), (due, breached(ClockKind::Tell, due))]
        );
    }
}

store_test! {
    async fn a_calendar_carries_a_friday_evening_deadline_to_monday(store: Store) {
        let w = world(&store).await;
        let office = CalendarSpec { zone: "Europe/Berlin".into(), hours: WeeklyHours::office(), holidays: vec![] };
        let calendar = makegood_store::testing::insert_calendar_for_test(&store, "Office", &office).await.unwrap();
        let mut policies = Policies::default();
        policies.major.calendar = Some(calendar);
        store.set_policies(&policies).await.unwrap();
        // Friday 16:00 in Berlin: one business hour left that day, three more on Monday.
        let friday = at("2025-03-07T15:00:00Z");
        let new = makegood_store::NewProblem { detected_at: Some(friday), ..new_problem(&w, "Export stopped") };
        let view = store.create_problem(actor(&w.agent, friday), new).await.unwrap();
        let tell = view.clocks.iter().find(|c| c.kind == ClockKind::Tell).unwrap();
        let monday_noon = at("2025-03-10T11:00:00Z");
        assert_eq!((tell.warn_at, tell.due_at), (Some(at("2025-03-10T10:12:00Z")), Some(monday_noon)));
        assert_eq!(store.fire_due(at("2025-03-08T12:00:00Z"), 100).await.unwrap(), 0, "nothing over the weekend");
        store.fire_due(monday_noon + minutes(1), 100).await.unwrap();
        assert_eq!(
            fired(&store, view.problem.id).await,
            [(monday_noon, breached(ClockKind::Tell, monday_noon))],
            "the warning of a clock already breached is silent"
        );
        // Without the calendar the deadline is Friday 19:00 again.
        store.set_policies(&Policies::default()).await.unwrap();
        let tell = store.problem(view.problem.id, friday).await.unwrap().clocks[0];
        assert_eq!(tell.due_at, Some(at("2025-03-07T19:00:00Z")));
    }
}

store_test! {
    async fn a_promise_warns_its_maker_then_breaks_with_alerts_to_supervisors(store: Store) {
        let w = world(&store).await;
        supervisor(&store).await;
        let a = actor(&w.agent, now());
        let problem = store.create_problem(a, new_problem(&w, "Export stopped")).await.unwrap().problem;
        let due = now() + hours(10);
        let promise = NewPromise { problem: Some(problem.id), ..new_promise(&w, hours(10)) };
        let id = store.create_promise(a, promise).await.unwrap().promise.id;
        store.record(a, problem.id, None, EventKind::Update { body: "On it.".into() }).await.unwrap();
        // Warning 2 h before due: 17:00 UTC is 18:00 in Berlin, after hours, so the alert waits
        // for Tuesday 09:00 Berlin.
        store.fire_due(at("2025-03-03T17:00:00Z"), 100).await.unwrap();
        let what = "Send the corrected invoices";
        assert_eq!(
            alerts(&store).await,
            [(ALEX.into(), AlertKind::Warning, ClockKind::Promise, format!("Have the conversation with Acme now: {what}"), at("2025-03-04T08:00:00Z"))]
        );
        // At its due time it may still be kept; a moment later it is broken.
        assert_eq!(store.fire_due(due, 100).await.unwrap(), 0);
        let late = due + minutes(1);
        assert_eq!(store.fire_due(late, 100).await.unwrap(), 1);
        assert_eq!(store.promise(id, due).await.unwrap().promise.status, PromiseStatus::Broken);
        assert_eq!(
            fired(&store, problem.id).await,
            [(at("2025-03-03T17:00:00Z"), warning(ClockKind::Promise, due)), (due, EventKind::PromiseBroken { due_at: due })]
        );
        let broken: Vec<_> = alerts(&store).await.into_iter().skip(1).collect();
        let summary = format!("Promise to Acme broken: {what}");
        assert_eq!(
            broken,
            [
                (ADA.into(), AlertKind::PromiseBroken, ClockKind::Promise, summary.clone(), late),
                (ALEX.into(), AlertKind::PromiseBroken, ClockKind::Promise, summary.clone(), late),
                (SUE.into(), AlertKind::PromiseBroken, ClockKind::Promise, summary, late),
            ]
        );
        assert_eq!(store.fire_due(due + hours(1), 100).await.unwrap(), 0);
        assert_eq!(store.break_overdue_promises(due + hours(1)).await.unwrap(), 0);
    }
}

store_test! {
    async fn a_kept_promise_and_a_closed_problem_fire_nothing(store: Store) {
        let w = world(&store).await;
        without_digests(&store).await;
        let a = actor(&w.agent, now());
        let id = store.create_promise(a, new_promise(&w, hours(10))).await.unwrap().promise.id;
        store.keep_promise(a, id, None).await.unwrap();
        let mut minor = new_problem(&w, "Typo");
        minor.severity = Severity::Minor;
        let problem = store.create_problem(a, minor).await.unwrap().problem.id;
        store.record(a, problem, None, EventKind::Fixed { summary: "Fixed".into() }).await.unwrap();
        store.record(a, problem, None, EventKind::Closed { outcome: makegood_domain::Outcome::Retained }).await.unwrap();
        assert_eq!(store.next_wakeup().await.unwrap(), Some(far_away()), "no timer is pending");
        assert_eq!(store.fire_due(now() + hours(24 * 30), 100).await.unwrap(), 0);
        assert!(outbox(&store).await.iter().all(|d| !matches!(d.notice, Notice::Alert { .. })));
    }
}
