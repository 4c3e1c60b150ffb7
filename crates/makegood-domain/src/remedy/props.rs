//! Property tests of remedies: net cost bounds, approvals only within authority, monotonicity.

use proptest::prelude::*;

use super::tests::{cur, eur, member, reprint, share};
use super::*;
use crate::testing::hour;

const MAX: i64 = 1_000_000_000_000;

fn role() -> impl Strategy<Value = Role> {
    prop::sample::select(Role::ALL.to_vec())
}

fn currency() -> impl Strategy<Value = Currency> {
    prop::sample::select(vec![cur("EUR"), cur("USD")])
}

fn money() -> impl Strategy<Value = Money> {
    (0..MAX, currency()).prop_map(|(m, c)| Money::new(m, c))
}

proptest! {
    #[test]
    fn net_cost_never_exceeds_cost_nor_goes_below_zero(cost in 0..MAX, vendor in proptest::option::of(0..MAX)) {
        match net_cost(&eur(cost), vendor.map(|v| share(eur(v))).as_ref()) {
            Ok(net) => {
                prop_assert!(net.minor <= cost && net.minor >= 0);
                prop_assert_eq!(net.minor, cost - vendor.unwrap_or(0));
            }
            Err(e) => {
                prop_assert!(vendor.is_some_and(|v| v > cost));
                prop_assert_eq!(e, RemedyError::ShareExceedsCost { cost: eur(cost), share: eur(vendor.unwrap_or(0)) });
            }
        }
    }

    /// Whoever the proposer and whoever tries to approve, an approved remedy's approver is
    /// a member whose authority (in the same currency) covers the net cost.
    #[test]
    fn an_approver_always_had_authority_over_the_net_cost(
        cost in money(),
        vendor in proptest::option::of(0..MAX),
        proposer in (role(), money()),
        approvers in prop::collection::vec((role(), money(), any::<bool>()), 0..5),
    ) {
        let new = reprint(cost, vendor.map(|v| share(Money::new(v, cost.currency))));
        let mut members = vec![member(0, proposer.0, proposer.1)];
        let Ok(mut r) = Remedy::propose(RemedyId(1), new, &members[0], hour(0)) else {
            return Ok(());
        };
        for (i, (role, authority, active)) in approvers.into_iter().enumerate() {
            let m = Member { active, ..member(i as i64 + 1, role, authority) };
            let _ = r.approve(&m, hour(1));
            members.push(m);
        }
        if let Some((by, _)) = r.status.approval() {
            let approver = members.iter().find(|m| m.id == by).unwrap();
            let net = r.net_cost().unwrap();
            prop_assert!(net.within(&approver.remedy_authority));
            prop_assert!(approver.active);
            prop_assert!(
                by == r.proposed_by && !r.approval_required
                    || matches!(approver.role, Role::Supervisor | Role::Admin)
            );
        }
    }

    /// More authority never turns an approval at once into waiting, nor a permitted approval
    /// into a refused one.
    #[test]
    fn approval_is_monotonic_in_authority(
        cost in 0..MAX,
        vendor in proptest::option::of(0..MAX),
        role in role(),
        authority in 0..MAX,
        more in 0..MAX,
    ) {
        let new = reprint(eur(cost), vendor.map(|v| share(eur(v))));
        let low = member(1, role, eur(authority));
        let high = member(1, role, eur(authority + more));
        if let (Ok(a), Ok(b)) = (
            Remedy::propose(RemedyId(1), new.clone(), &low, hour(0)),
            Remedy::propose(RemedyId(1), new.clone(), &high, hour(0)),
        ) {
            prop_assert!(a.approval_required || !b.approval_required);
        }
        let waiting = member(2, Role::Agent, Money::new(0, cur("USD")));
        if let Ok(r) = Remedy::propose(RemedyId(1), new, &waiting, hour(0)) {
            let (mut a, mut b) = (r.clone(), r);
            prop_assert!(a.approve(&low, hour(1)).is_err() || b.approve(&high, hour(1)).is_ok());
        }
    }

    /// A waiting remedy is breached exactly when `now` is past proposal + window.
    #[test]
    fn the_approval_clock_breaches_exactly_after_its_window(window_min in 1i64..10_000, now_min in 0i64..20_000) {
        let am = member(1, Role::Agent, eur(0));
        let r = Remedy::propose(RemedyId(1), reprint(eur(1), None), &am, hour(0)).unwrap();
        let window = jiff::SignedDuration::from_mins(window_min);
        let clock = r.approval_clock(window, crate::testing::at(now_min)).unwrap();
        prop_assert_eq!(clock.state == crate::ClockState::Breached, now_min > window_min);
        prop_assert!(clock.warn_at <= clock.due_at && clock.started_at <= clock.warn_at);
    }
}
