//! Tests of remedies: the examples, net cost, approval by role × authority × currency,
//! rejection and delivery.

use rstest::rstest;

use super::*;
use crate::Email;
use crate::testing::hour;

pub(super) fn cur(code: &str) -> Currency {
    Currency::new(code).unwrap()
}

pub(super) fn eur(minor: i64) -> Money {
    Money::new(minor, cur("EUR"))
}

pub(super) fn member(id: i64, role: Role, authority: Money) -> Member {
    Member {
        id: MemberId(id),
        name: format!("Member {id}"),
        email: Email::parse(&format!("m{id}@example.org")).unwrap(),
        role,
        remedy_authority: authority,
        time_zone: "UTC".into(),
        active: true,
    }
}

pub(super) fn share(amount: Money) -> VendorShare {
    VendorShare {
        vendor: VendorId(7),
        amount,
        received: false,
    }
}

pub(super) fn reprint(cost: Money, vendor_share: Option<VendorShare>) -> NewRemedy {
    NewRemedy {
        problem: ProblemId(1),
        kind: RemedyKind::Redo,
        description: "We reprint the brochures at our expense".into(),
        cost,
        vendor_share,
    }
}

/// An agent (account manager) with an authority of 1,000.00 EUR.
fn account_manager() -> Member {
    member(1, Role::Agent, eur(100_000))
}

/// A 2,000.00 EUR reprint with no vendor share, waiting for approval since hour 0.
pub(super) fn waiting() -> Remedy {
    Remedy::propose(
        RemedyId(1),
        reprint(eur(200_000), None),
        &account_manager(),
        hour(0),
    )
    .unwrap()
}

#[test]
fn a_reprint_above_the_account_managers_authority_waits_for_approval() {
    let r = waiting();
    assert_eq!(r.net_cost(), Ok(eur(200_000)));
    assert_eq!(r.status, RemedyStatus::AwaitingApproval);
    assert!(r.approval_required);
}

#[test]
fn with_a_vendor_share_of_1200_the_net_800_is_approved_at_once() {
    let am = account_manager();
    let r = Remedy::propose(
        RemedyId(1),
        reprint(eur(200_000), Some(share(eur(120_000)))),
        &am,
        hour(0),
    )
    .unwrap();
    assert_eq!(r.net_cost(), Ok(eur(80_000)));
    assert_eq!(
        r.status,
        RemedyStatus::Approved {
            by: am.id,
            at: hour(0)
        }
    );
    assert!(!r.approval_required);
    assert_eq!(r.approval_clock(DEFAULT_APPROVAL_WITHIN, hour(100)), None);
}

#[rstest]
#[case::no_share(eur(500), None, Ok(eur(500)))]
#[case::share_below_cost(eur(500), Some(eur(200)), Ok(eur(300)))]
#[case::share_equals_cost(eur(500), Some(eur(500)), Ok(eur(0)))]
#[case::free_remedy(eur(0), None, Ok(eur(0)))]
#[case::share_above_cost(eur(500), Some(eur(501)), Err(RemedyError::ShareExceedsCost { cost: eur(500), share: eur(501) }))]
#[case::share_in_other_currency(eur(500), Some(Money::new(100, cur("USD"))), Err(RemedyError::ShareCurrency { cost: cur("EUR"), share: cur("USD") }))]
#[case::negative_cost(eur(-1), None, Err(RemedyError::NegativeCost(eur(-1))))]
#[case::negative_share(eur(500), Some(eur(-1)), Err(RemedyError::NegativeShare(eur(-1))))]
fn net_cost_is_cost_less_the_vendors_share(
    #[case] cost: Money,
    #[case] vendor: Option<Money>,
    #[case] want: Result<Money, RemedyError>,
) {
    assert_eq!(net_cost(&cost, vendor.map(share).as_ref()), want);
}

#[rstest]
#[case::agent_within(Role::Agent, eur(100_000), eur(50_000), true)]
#[case::agent_exactly_at_authority(Role::Agent, eur(100_000), eur(100_000), true)]
#[case::agent_one_cent_above(Role::Agent, eur(100_000), eur(100_001), false)]
#[case::agent_authority_in_usd(Role::Agent, Money::new(1_000_000, cur("USD")), eur(1), false)]
#[case::agent_no_authority_free_remedy(Role::Agent, eur(0), eur(0), true)]
#[case::supervisor_within(Role::Supervisor, eur(500_000), eur(200_000), true)]
#[case::supervisor_above(Role::Supervisor, eur(500_000), eur(500_001), false)]
#[case::admin_within(Role::Admin, eur(1_000_000), eur(1_000_000), true)]
#[case::admin_other_currency(Role::Admin, Money::new(i64::MAX, cur("GBP")), eur(1), false)]
fn a_proposal_within_the_proposers_authority_is_approved_at_once(
    #[case] role: Role,
    #[case] authority: Money,
    #[case] cost: Money,
    #[case] at_once: bool,
) {
    let proposer = member(3, role, authority);
    let r = Remedy::propose(RemedyId(1), reprint(cost, None), &proposer, hour(1)).unwrap();
    let want = if at_once {
        RemedyStatus::Approved {
            by: MemberId(3),
            at: hour(1),
        }
    } else {
        RemedyStatus::AwaitingApproval
    };
    assert_eq!((r.status, r.approval_required), (want, !at_once));
}

#[rstest]
#[case::viewer(
    member(2, Role::Viewer, eur(1_000_000)),
    RemedyError::MayNotPropose(Role::Viewer)
)]
#[case::inactive(Member { active: false, ..member(2, Role::Admin, eur(1)) }, RemedyError::Inactive)]
fn viewers_and_inactive_members_cannot_propose(#[case] who: Member, #[case] want: RemedyError) {
    let err = Remedy::propose(RemedyId(1), reprint(eur(1), None), &who, hour(0)).unwrap_err();
    assert_eq!(err, want);
}

#[test]
fn a_proposal_needs_a_description_and_keeps_it_trimmed() {
    let am = account_manager();
    let mut new = reprint(eur(1), None);
    new.description = "  \n ".into();
    assert_eq!(
        Remedy::propose(RemedyId(1), new.clone(), &am, hour(0)),
        Err(RemedyError::DescriptionRequired)
    );
    new.description = "  A new print run \n".into();
    let r = Remedy::propose(RemedyId(1), new, &am, hour(0)).unwrap();
    assert_eq!(r.description, "A new print run");
}

/// Approving the waiting 2,000.00 EUR reprint: role × authority × currency.
#[rstest]
#[case::supervisor_covers(Role::Supervisor, eur(500_000), Ok(()))]
#[case::supervisor_exactly(Role::Supervisor, eur(200_000), Ok(()))]
#[case::supervisor_one_cent_short(Role::Supervisor, eur(199_999), Err(RemedyError::AuthorityTooLow { authority: eur(199_999), net: eur(200_000) }))]
#[case::supervisor_in_usd(Role::Supervisor, Money::new(10_000_000, cur("USD")), Err(RemedyError::AuthorityCurrency { authority: cur("USD"), net: cur("EUR") }))]
#[case::admin_covers(Role::Admin, eur(1_000_000), Ok(()))]
#[case::admin_short(Role::Admin, eur(100), Err(RemedyError::AuthorityTooLow { authority: eur(100), net: eur(200_000) }))]
#[case::admin_in_gbp(Role::Admin, Money::new(i64::MAX, cur("GBP")), Err(RemedyError::AuthorityCurrency { authority: cur("GBP"), net: cur("EUR") }))]
#[case::agent_even_with_authority(
    Role::Agent,
    eur(1_000_000),
    Err(RemedyError::NotApprover(Role::Agent))
)]
#[case::viewer(
    Role::Viewer,
    eur(1_000_000),
    Err(RemedyError::NotApprover(Role::Viewer))
)]
fn only_a_supervisor_or_admin_whose_authority_covers_it_approves(
    #[case] role: Role,
    #[case] authority: Money,
    #[case] want: Result<(), RemedyError>,
) {
    let mut r = waiting();
    let approver = member(9, role, authority);
    assert_eq!(r.approve(&approver, hour(2)), want);
    let status = if want.is_ok() {
        RemedyStatus::Approved {
            by: MemberId(9),
            at: hour(2),
        }
    } else {
        RemedyStatus::AwaitingApproval
    };
    assert_eq!(r.status, status);
}

#[test]
fn an_inactive_admin_cannot_decide() {
    let mut r = waiting();
    let gone = Member {
        active: false,
        ..member(9, Role::Admin, eur(1_000_000))
    };
    assert_eq!(r.approve(&gone, hour(1)), Err(RemedyError::Inactive));
    assert_eq!(
        r.reject(&gone, "too dear", hour(1)),
        Err(RemedyError::Inactive)
    );
}

#[test]
fn the_vendor_share_counts_when_approving() {
    let am = account_manager();
    let new = reprint(eur(500_000), Some(share(eur(200_000))));
    let mut r = Remedy::propose(RemedyId(1), new, &am, hour(0)).unwrap();
    // Net 3,000.00: a supervisor with authority 3,000.00 covers it though the cost is 5,000.00.
    r.approve(&member(9, Role::Supervisor, eur(300_000)), hour(1))
        .unwrap();
    assert_eq!(r.status.approval(), Some((MemberId(9), hour(1))));
}

#[rstest]
#[case::empty("")]
#[case::blank("  \t")]
fn rejecting_needs_a_reason(#[case] reason: &str) {
    let mut r = waiting();
    let sup = member(9, Role::Supervisor, eur(0));
    assert_eq!(
        r.reject(&sup, reason, hour(1)),
        Err(RemedyError::ReasonRequired)
    );
    assert_eq!(r.status, RemedyStatus::AwaitingApproval);
}

#[test]
fn any_supervisor_may_reject_even_without_authority_over_the_amount() {
    let mut r = waiting();
    r.reject(
        &member(9, Role::Supervisor, eur(0)),
        " a discount is enough ",
        hour(1),
    )
    .unwrap();
    assert_eq!(
        r.status,
        RemedyStatus::Rejected {
            by: MemberId(9),
            at: hour(1),
            reason: "a discount is enough".into()
        }
    );
    let agent = member(4, Role::Agent, eur(1_000_000));
    assert_eq!(
        r.reject(&agent, "no", hour(2)),
        Err(RemedyError::NotAwaiting("rejected"))
    );
    assert_eq!(
        waiting().reject(&agent, "no", hour(2)),
        Err(RemedyError::NotApprover(Role::Agent))
    );
}

#[test]
fn a_decided_remedy_cannot_be_decided_again() {
    let admin = member(9, Role::Admin, eur(1_000_000));
    let mut r = waiting();
    r.approve(&admin, hour(1)).unwrap();
    assert_eq!(
        r.approve(&admin, hour(2)),
        Err(RemedyError::NotAwaiting("approved"))
    );
    assert_eq!(
        r.reject(&admin, "changed my mind", hour(2)),
        Err(RemedyError::NotAwaiting("approved"))
    );
    assert_eq!(r.status.approval(), Some((MemberId(9), hour(1))));
}

#[test]
fn only_an_approved_remedy_is_delivered_and_it_keeps_its_approver() {
    let admin = member(9, Role::Admin, eur(1_000_000));
    let mut r = waiting();
    assert_eq!(
        r.deliver(hour(1), hour(1)),
        Err(RemedyError::NotApproved("awaiting_approval"))
    );
    r.approve(&admin, hour(2)).unwrap();
    assert_eq!(
        r.deliver(hour(4), hour(3)),
        Err(RemedyError::DeliveredInFuture(hour(4)))
    );
    assert_eq!(
        r.deliver(hour(1), hour(3)),
        Err(RemedyError::DeliveredBeforeApproval {
            approved_at: hour(2)
        })
    );
    r.deliver(hour(2), hour(3)).unwrap();
    assert_eq!(
        r.status,
        RemedyStatus::Delivered {
            at: hour(2),
            approved_by: MemberId(9),
            approved_at: hour(2)
        }
    );
    assert_eq!(
        r.deliver(hour(3), hour(3)),
        Err(RemedyError::NotApproved("delivered"))
    );

    let mut rejected = waiting();
    rejected.reject(&admin, "no", hour(1)).unwrap();
    assert_eq!(
        rejected.deliver(hour(2), hour(2)),
        Err(RemedyError::NotApproved("rejected"))
    );
}

#[test]
fn a_vendor_share_is_marked_received() {
    let mut r = waiting();
    assert_eq!(r.receive_vendor_share(), Err(RemedyError::NoVendorShare));
    r.vendor_share = Some(share(eur(1)));
    r.receive_vendor_share().unwrap();
    assert_eq!(r.vendor_share.map(|s| s.received), Some(true));
}

#[test]
fn kinds_have_api_names() {
    for kind in RemedyKind::ALL {
        assert_eq!(RemedyKind::parse(kind.as_str()), Some(kind));
        let json = serde_json::to_value(kind).unwrap();
        assert_eq!(json, serde_json::json!(kind.as_str()));
    }
    assert_eq!(RemedyKind::parse("bribe"), None);
}

#[test]
fn a_remedy_round_trips_through_json_with_a_tagged_status() {
    let mut r = waiting();
    r.vendor_share = Some(share(eur(100)));
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(
        json["status"],
        serde_json::json!({ "state": "awaiting_approval" })
    );
    assert_eq!(
        json["cost"],
        serde_json::json!({ "minor": 200_000, "currency": "EUR" })
    );
    assert_eq!(json["kind"], serde_json::json!("redo"));
    assert_eq!(serde_json::from_value::<Remedy>(json).unwrap(), r);

    r.reject(&member(9, Role::Admin, eur(0)), "no", hour(1))
        .unwrap();
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["status"]["state"], "rejected");
    assert_eq!(json["status"]["reason"], "no");
    assert_eq!(serde_json::from_value::<Remedy>(json).unwrap(), r);
}
