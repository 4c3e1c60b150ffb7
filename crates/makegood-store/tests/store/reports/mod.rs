//! Reports against a hand-computed history: every figure of the report, its filters, the
//! reporting time zone's months, and the incremental aggregates equal to a rebuild.

use jiff::Timestamp;
use makegood_domain::failure::FailureLevel;
use makegood_domain::prevention::NewPrevention;
use makegood_domain::report::*;
use makegood_domain::{
    Email, EventKind, FollowUp, Member, Month, NewRemedy, Origin, Outcome, ProblemId, RemedyKind,
    ReportFilter, Role, Severity, VendorShare, WaitingOn,
};
use makegood_store::{NewContact, NewMember, NewProblem, NewPromise, Store};

use crate::common::*;
use crate::scheduler::without_digests;

mod expected;
mod history;

use expected::*;
use history::*;

fn month(s: &str) -> Month {
    s.parse().unwrap()
}

/// Report "now": 20 March 2025.
fn report_now() -> Timestamp {
    at("2025-03-20T12:00:00Z")
}

fn quarter() -> ReportFilter {
    ReportFilter {
        from: month("2025-01"),
        to: month("2025-03"),
        member: None,
        account: None,
        severity: None,
        origin: None,
    }
}

store_test! {
    async fn every_figure_of_the_quarter(store: Store) {
        let h = history(&store, false).await;
        let report = store.report(&quarter(), report_now()).await.unwrap();
        assert_eq!(report, expected(&h));
        // A rebuild from the tables gives the same figures as the incremental counts.
        store.rebuild_reports().await.unwrap();
        assert_eq!(store.report(&quarter(), report_now()).await.unwrap(), expected(&h));
        assert_eq!(store.report_month(at("2025-02-28T23:30:00Z")).await.unwrap(), month("2025-03"));
    }
}

store_test! {
    async fn counts_follow_every_write(store: Store) {
        // Reports all along the history (the last one after the promise broke, before the
        // scheduler recorded it): the counts kept by deltas end up as computed by hand.
        let h = history(&store, true).await;
        assert_eq!(store.report(&quarter(), report_now()).await.unwrap(), expected(&h));
        store.fire_due(report_now(), 1000).await.unwrap();
        assert_eq!(store.report(&quarter(), report_now()).await.unwrap(), expected(&h));
    }
}

store_test! {
    async fn months_are_the_reporting_zones(store: Store) {
        let h = history(&store, false).await;
        let before = store.report(&quarter(), report_now()).await.unwrap();
        assert_eq!(before.recovery.by_month[1].month, month("2025-02"));
        // In UTC, P1 closed on 28 February: the aggregates are rebuilt in the new zone.
        let utc = makegood_store::MemberPatch {
            time_zone: Some("UTC".into()),
            ..Default::default()
        };
        store.update_member(h.w.admin.id, utc).await.unwrap();
        let february = ReportFilter { from: month("2025-02"), to: month("2025-02"), ..quarter() };
        let report = store.report(&february, report_now()).await.unwrap();
        assert_eq!(report.recovery.outcomes, outcomes(1, 0));
        assert_eq!(store.report_month(at("2025-02-28T23:30:00Z")).await.unwrap(), month("2025-02"));
        // The quarter's totals do not depend on the zone.
        let quarter = store.report(&quarter(), report_now()).await.unwrap();
        assert_eq!(quarter.recovery.outcomes, before.recovery.outcomes);
    }
}

store_test! {
    async fn filters_narrow_every_section(store: Store) {
        let h = history(&store, false).await;
        let w = &h.w;
        let all = expected(&h);
        let get = |filter: ReportFilter| {
            let store = store.clone();
            async move { store.report(&filter, report_now()).await.unwrap() }
        };

        // Alex: his promises, his problems' clocks, his proposals, his prevention.
        let alex = get(ReportFilter { member: Some(w.agent.id), ..quarter() }).await;
        assert_eq!(alex.promises.total, counts(1, 1, 1, 0, 0));
        assert_eq!(alex.promises.by_member, all.promises.by_member[1..].to_vec());
        assert_eq!(alex.promises.by_account, all.promises.by_account[1..].to_vec());
        assert_eq!(alex.tell.by_severity, vec![
            timing(Severity::Critical, 60, 0, 0, None),
            all.tell.by_severity[1].clone(),
            all.tell.by_severity[2].clone(),
        ]);
        assert_eq!((alex.cadence.intervals, alex.cadence.met), (2, 1));
        assert_eq!(alex.remedies.spend, all.remedies.spend[..1].to_vec());
        assert!(alex.remedies.vendor_shares.is_empty());
        assert_eq!(alex.remedies.approvals, all.remedies.approvals);
        assert_eq!(alex.prevention, all.prevention);
        assert_eq!(alex.recovery, all.recovery);
        assert_eq!(alex.failures, failures(0));

        // Critical problems: P2 alone; the promise without a problem is in no severity.
        let critical = get(ReportFilter { severity: Some(Severity::Critical), ..quarter() }).await;
        assert_eq!(critical.promises.total, counts(0, 0, 0, 1, 1));
        assert_eq!(critical.promises.by_account, all.promises.by_account[..1].to_vec());
        assert_eq!(critical.tell.by_severity[0], all.tell.by_severity[0]);
        assert_eq!(critical.tell.by_severity[1].count, 0);
        assert_eq!(critical.fix.by_month, by_month(|m| MonthTiming {
            month: m,
            count: u64::from(m.month == 2),
            within_policy: u64::from(m.month == 2),
        }));
        assert_eq!(critical.remedies.spend, all.remedies.spend[1..].to_vec());
        assert_eq!(critical.remedies.approvals, all.remedies.approvals);
        assert_eq!(critical.prevention.due, 0);
        assert!(critical.prevention.recurring.is_empty());
        assert_eq!(critical.recovery.outcomes, outcomes(0, 0));

        // Customer origin: P3 alone.
        let customer = get(ReportFilter { origin: Some(Origin::Customer), ..quarter() }).await;
        assert_eq!(customer.promises.total, counts(0, 0, 0, 0, 0));
        assert_eq!(customer.tell.by_severity[2], all.tell.by_severity[2]);
        assert_eq!(customer.fix.by_severity[2], all.fix.by_severity[2]);
        assert_eq!(customer.recovery.outcomes, outcomes(0, 1));
        assert_eq!(customer.prevention.recurring, all.prevention.recurring);
        assert!(customer.remedies.spend.is_empty());

        // Ada's critical problems (two filters at once).
        let both = get(ReportFilter {
            member: Some(w.admin.id),
            severity: Some(Severity::Critical),
            ..quarter()
        })
        .await;
        assert_eq!(both.promises.by_member, all.promises.by_member[..1].to_vec());
        assert_eq!(both.tell.by_severity[0], all.tell.by_severity[0]);
        assert_eq!(both.remedies.spend, all.remedies.spend[1..].to_vec());
        assert_eq!(both.remedies.approvals.approved, 0, "Alex proposed those");

        // Acme: P1, P3 and the promise to Ann; counted afresh from its subjects.
        let acme = get(ReportFilter { account: Some(w.acme.id), ..quarter() }).await;
        assert_eq!(acme.promises.total, counts(1, 1, 1, 0, 0));
        assert_eq!(acme.promises.by_account, all.promises.by_account[1..].to_vec());
        assert_eq!(acme.promises.by_member, all.promises.by_member[1..].to_vec());
        assert_eq!(acme.tell.by_severity[0].count, 0);
        assert_eq!(acme.tell.by_severity[1..], all.tell.by_severity[1..]);
        assert_eq!(acme.remedies.spend, all.remedies.spend[..1].to_vec());
        assert_eq!(acme.prevention, all.prevention);
        assert_eq!(acme.recovery, all.recovery);
        // Globex is the rest.
        let globex = get(ReportFilter { account: Some(w.globex.id), ..quarter() }).await;
        assert_eq!(globex.promises, PromiseReport {
            total: counts(0, 0, 0, 1, 1),
            by_month: by_month(|m| MonthPromises {
                month: m,
                counts: if m.month == 2 { counts(0, 0, 0, 1, 1) } else { counts(0, 0, 0, 0, 0) },
            }),
            by_member: all.promises.by_member[..1].to_vec(),
            by_account: all.promises.by_account[..1].to_vec(),
        });
        assert_eq!(globex.remedies, RemedyReport {
            spend: all.remedies.spend[1..].to_vec(),
            ..all.remedies.clone()
        });
        assert_eq!(globex.cadence.intervals, 2);

        // February alone: P1's close (1 March in Berlin) is not in it.
        let february = get(ReportFilter { from: month("2025-02"), to: month("2025-02"), ..quarter() }).await;
        assert_eq!(february.recovery.outcomes, outcomes(0, 0));
        assert_eq!(february.promises.total, counts(0, 0, 0, 1, 1));
        assert_eq!(february.prevention.due, 1);
        assert_eq!(february.cadence.by_month.len(), 1);
    }
}
