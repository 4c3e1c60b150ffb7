//! The hand-built quarter the reports are checked against.

use super::*;

pub(super) struct History {
    pub(super) w: World,
    pub(super) sue: Member,
}

pub(super) async fn record(store: &Store, who: &Member, id: ProblemId, t: &str, kind: EventKind) {
    store
        .record(actor(who, at(t)), id, None, kind)
        .await
        .unwrap();
}

pub(super) fn update(body: &str) -> EventKind {
    EventKind::Update { body: body.into() }
}

pub(super) fn fixed() -> EventKind {
    EventKind::Fixed {
        summary: String::new(),
    }
}

/// The history of the quarter (all times UTC; the organisation counts months in Berlin):
///
/// - P1, major, ours, Alex's, at Acme for Carol: detected 10 Jan 08:00; told 08:40 (40 min,
///   within 4 h); updated 20:40 (12 h: met); fixed 12 Jan 08:00 (48 h, within 72 h; the
///   35 h 20 min since the last update missed the 24 h interval). Promise kept, promise
///   renegotiated (its successor still open). A €50 refund delivered 12 Jan. A prevention
///   due 15 Feb, done 10 Feb, checked effective 18 Feb. Carol answers the survey on 16 Jan:
///   4 and 9. Closed retained 28 Feb 23:30 UTC — 1 March in Berlin.
/// - P2, critical, vendor, Ada's, at Globex for Bob: detected 3 Feb 10:00; told 11:30
///   (90 min: late for 60 min); waiting on the vendor 12:00–16:00; updated 17:00 (5 h 30 min
///   less 4 h waiting: met); fixed 4 Feb 08:00 (22 h, within 24 h plus the 4 h waiting; 15 h
///   since the last update missed the 4 h interval). Ada's promise due 4 Feb 12:00 broken
///   with no update after its warning (06:54): silently. A €600 credit with a €200 vendor
///   share outstanding, delivered 5 Feb; Alex's €1,500 discount approved by Sue in 45 min;
///   his €3,000 refund rejected after 12 h.
/// - P3, minor, customer, Alex's, at Acme: detected 2 Mar 09:00, a recurrence of P1's
///   "software", closed lost at 10:00 untold (tell and fix stop at the close: 60 min).
/// - A promise without a problem to Ann, released 1 Mar.
pub(super) async fn history(store: &Store, probe: bool) -> History {
    let w = world(store).await;
    // With `probe`, reports in between: the counts are then kept incrementally throughout.
    let probe_at = |t: &str| {
        let t = at(t);
        async move {
            if probe {
                store.report(&quarter(), t).await.unwrap();
            }
        }
    };
    probe_at("2025-01-01T00:00:00Z").await;
    let sue = store
        .create_member(
            NewMember {
                remedy_authority: eur(1_000_000),
                ..new_member("Sue Supervisor", "sue@makegood.example", Role::Supervisor)
            },
            now(),
        )
        .await
        .unwrap();
    without_digests(store).await;
    let carol = store
        .create_contact(NewContact {
            email: Some(Email::parse("carol@acme.example").unwrap()),
            ..contact(w.acme.id, "Carol")
        })
        .await
        .unwrap();
    let (alex, ada) = (&w.agent, &w.admin);

    // --- P1.
    let p1 = store
        .create_problem(
            actor(alex, at("2025-01-10T08:10:00Z")),
            NewProblem {
                stakeholders: vec![carol.id],
                detected_at: Some(at("2025-01-10T08:00:00Z")),
                ..new_problem(&w, "Invoices wrong")
            },
        )
        .await
        .unwrap()
        .problem
        .id;
    record(store, alex, p1, "2025-01-10T08:40:00Z", update("On it")).await;
    let promise = |problem, due: &str, to| NewPromise {
        what: "Corrected invoices".into(),
        contacts: vec![to],
        made_by: alex.id,
        problem,
        due_at: at(due),
    };
    let kept = store
        .create_promise(
            actor(alex, at("2025-01-10T09:00:00Z")),
            promise(Some(p1), "2025-01-11T12:00:00Z", carol.id),
        )
        .await
        .unwrap();
    let moved = store
        .create_promise(
            actor(alex, at("2025-01-10T09:05:00Z")),
            promise(Some(p1), "2025-01-12T12:00:00Z", carol.id),
        )
        .await
        .unwrap();
    record(store, alex, p1, "2025-01-10T20:40:00Z", update("Halfway")).await;
    let refund = store
        .propose_remedy(
            actor(alex, at("2025-01-10T21:00:00Z")),
            NewRemedy {
                problem: p1,
                kind: RemedyKind::Refund,
                description: "Refund the fee".into(),
                cost: eur(5_000),
                vendor_share: None,
            },
        )
        .await
        .unwrap();
    let a = actor(alex, at("2025-01-11T09:00:00Z"));
    store
        .renegotiate_promise(
            a,
            moved.promise.id,
            None,
            at("2025-04-30T12:00:00Z"),
            "later",
        )
        .await
        .unwrap();
    let a = actor(alex, at("2025-01-11T10:00:00Z"));
    store.keep_promise(a, kept.promise.id, None).await.unwrap();
    probe_at("2025-01-11T11:00:00Z").await;
    record(store, alex, p1, "2025-01-12T08:00:00Z", fixed()).await;
    let a = actor(alex, at("2025-01-12T10:00:00Z"));
    store
        .deliver_remedy(a, refund.remedy.id, None, None)
        .await
        .unwrap();
    let prevention = store
        .record_prevention(
            actor(alex, at("2025-01-12T09:00:00Z")),
            NewPrevention {
                problem: p1,
                root_cause: "A rounding rule".into(),
                cause_category: "software".into(),
                corrective_action: "Test the rounding".into(),
                owner: alex.id,
                due_at: at("2025-02-15T17:00:00Z"),
                check_after_days: 7,
            },
        )
        .await
        .unwrap();
    store
        .fire_due(at("2025-01-15T11:00:00Z"), 100)
        .await
        .unwrap();
    store
        .answer_survey(
            carol.id,
            p1,
            FollowUp::new(4, 9, "Quick and kind").unwrap(),
            at("2025-01-16T10:00:00Z"),
        )
        .await
        .unwrap();
    let id = prevention.prevention.id;
    let a = actor(alex, at("2025-02-10T10:00:00Z"));
    store.mark_prevention_done(a, id, None).await.unwrap();
    let a = actor(alex, at("2025-02-18T10:00:00Z"));
    store
        .check_prevention(a, id, None, true, None)
        .await
        .unwrap();

    // --- P2.
    let p2 = store
        .create_problem(
            actor(ada, at("2025-02-03T10:05:00Z")),
            NewProblem {
                origin: Origin::Vendor,
                vendor: Some(w.vendor.id),
                severity: Severity::Critical,
                category: "network".into(),
                owner: ada.id,
                accounts: vec![w.globex.id],
                stakeholders: vec![w.bob.id],
                detected_at: Some(at("2025-02-03T10:00:00Z")),
                ..new_problem(&w, "Line down")
            },
        )
        .await
        .unwrap()
        .problem
        .id;
    store
        .create_promise(
            actor(ada, at("2025-02-03T10:30:00Z")),
            NewPromise {
                made_by: ada.id,
                ..promise(Some(p2), "2025-02-04T12:00:00Z", w.bob.id)
            },
        )
        .await
        .unwrap();
    record(
        store,
        ada,
        p2,
        "2025-02-03T11:30:00Z",
        update("Vendor called"),
    )
    .await;
    let waiting = EventKind::Waiting {
        on: WaitingOn::Vendor,
        reason: String::new(),
    };
    record(store, ada, p2, "2025-02-03T12:00:00Z", waiting).await;
    record(store, ada, p2, "2025-02-03T16:00:00Z", EventKind::Resumed).await;
    record(
        store,
        ada,
        p2,
        "2025-02-03T17:00:00Z",
        update("Engineer on site"),
    )
    .await;
    let remedy = |cost, share: Option<i64>| NewRemedy {
        problem: p2,
        kind: RemedyKind::Credit,
        description: "Credit".into(),
        cost: eur(cost),
        vendor_share: share.map(|s| VendorShare {
            vendor: w.vendor.id,
            amount: eur(s),
            received: false,
        }),
    };
    let credit = store
        .propose_remedy(
            actor(ada, at("2025-02-03T17:30:00Z")),
            remedy(60_000, Some(20_000)),
        )
        .await
        .unwrap();
    let discount = store
        .propose_remedy(
            actor(alex, at("2025-02-03T18:00:00Z")),
            remedy(150_000, None),
        )
        .await
        .unwrap();
    let a = actor(&sue, at("2025-02-03T18:45:00Z"));
    store
        .approve_remedy(a, discount.remedy.id, None)
        .await
        .unwrap();
    let refused = store
        .propose_remedy(
            actor(alex, at("2025-02-03T19:00:00Z")),
            remedy(300_000, None),
        )
        .await
        .unwrap();
    let a = actor(&sue, at("2025-02-04T07:00:00Z"));
    store
        .reject_remedy(a, refused.remedy.id, None, "Too much")
        .await
        .unwrap();
    probe_at("2025-02-04T07:30:00Z").await;
    record(store, ada, p2, "2025-02-04T08:00:00Z", fixed()).await;
    probe_at("2025-02-04T13:00:00Z").await;
    let a = actor(ada, at("2025-02-05T09:00:00Z"));
    store
        .deliver_remedy(a, credit.remedy.id, None, None)
        .await
        .unwrap();

    // P1 closes just after midnight on 1 March in Berlin.
    let closed = |outcome| EventKind::Closed { outcome };
    record(
        store,
        alex,
        p1,
        "2025-02-28T23:30:00Z",
        closed(Outcome::Retained),
    )
    .await;

    // --- A promise without a problem, released.
    let loose = store
        .create_promise(
            actor(alex, at("2025-02-20T09:00:00Z")),
            promise(None, "2025-03-10T09:00:00Z", w.ann.id),
        )
        .await
        .unwrap();
    let a = actor(alex, at("2025-03-01T09:00:00Z"));
    store
        .release_promise(a, loose.promise.id, None, "No longer needed")
        .await
        .unwrap();

    // --- P3.
    let p3 = store
        .create_problem(
            actor(alex, at("2025-03-02T09:00:00Z")),
            NewProblem {
                origin: Origin::Customer,
                severity: Severity::Minor,
                detected_at: Some(at("2025-03-02T09:00:00Z")),
                ..new_problem(&w, "Invoices wrong again")
            },
        )
        .await
        .unwrap()
        .problem
        .id;
    record(
        store,
        alex,
        p3,
        "2025-03-02T10:00:00Z",
        closed(Outcome::Lost),
    )
    .await;
    History { w, sue }
}
