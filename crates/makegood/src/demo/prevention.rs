//! The demo's prevention story: Stackhouse's earlier unannounced change at Brightline (closed,
//! its corrective action done and due for its effectiveness check), the same thing happening
//! again (flagged as recurring) and what Stackhouse promised us this time.

use makegood_domain::prevention::NewPrevention;
use makegood_domain::{
    AccountId, ContactId, EventKind, MemberId, Origin, Outcome, ProblemId, Severity, VendorId,
};
use makegood_store::{Actor, NewProblem, NewVendorPromise};

use super::{D, Demo, H, ago, hence};

/// Who and what the prevention story is about.
pub(super) struct Cast {
    pub owner: MemberId,
    pub agent: MemberId,
    pub account: AccountId,
    pub contact: ContactId,
    pub vendor: VendorId,
    /// The problem happening now.
    pub current: ProblemId,
}

impl Demo<'_> {
    pub(super) async fn prevention(&self, c: Cast) -> anyhow::Result<()> {
        let now = self.now;
        let at = |t| Actor {
            member: c.owner,
            now: t,
        };
        let earlier = self
            .problem(c.owner, ago(now, 60 * D), NewProblem {
                title: "Appointment reminders stopped after a Stackhouse mail change".into(),
                description: "Stackhouse changed the mail relay without telling us; reminder emails bounced for two days.".into(),
                origin: Origin::Vendor,
                vendor: Some(c.vendor),
                severity: Severity::Major,
                category: "custom software".into(),
                owner: c.owner,
                accounts: vec![c.account],
                stakeholders: vec![c.contact],
                include_locations: false,
                all_stakeholders: false,
                detected_at: None,
            })
            .await?;
        self.record(
            c.owner,
            ago(now, 60 * D - 30),
            earlier,
            EventKind::Update {
                body:
                    "Reminder emails have not gone out since Tuesday; we are restoring them today."
                        .into(),
            },
        )
        .await?;
        self.record(
            c.owner,
            ago(now, 59 * D),
            earlier,
            EventKind::Fixed {
                summary: "Reminders go out through the new relay.".into(),
            },
        )
        .await?;
        self.record(
            c.owner,
            ago(now, 57 * D),
            earlier,
            EventKind::Closed {
                outcome: Outcome::Retained,
            },
        )
        .await?;
        // Its corrective action was done 33 days ago: the 30-day effectiveness check is due.
        let p = self
            .store
            .record_prevention(
                at(ago(now, 58 * D)),
                NewPrevention {
                    problem: earlier,
                    root_cause:
                        "Stackhouse changes shared infrastructure without notice to its customers"
                            .into(),
                    cause_category: "Vendor change".into(),
                    corrective_action: "Ask Stackhouse for two weeks' notice of every change"
                        .into(),
                    owner: c.owner,
                    due_at: ago(now, 45 * D),
                    check_after_days: 30,
                },
            )
            .await?;
        self.store
            .mark_prevention_done(at(ago(now, 33 * D)), p.prevention.id, None)
            .await?;

        // The same cause again: its prevention flags the current problem as recurring.
        self.store
            .record_prevention(
                at(ago(now, 30)),
                NewPrevention {
                    problem: c.current,
                    root_cause:
                        "Stackhouse upgraded PHP on the production server overnight, unannounced"
                            .into(),
                    cause_category: "Vendor change".into(),
                    corrective_action: "Pin the PHP version in Stackhouse's maintenance contract"
                        .into(),
                    owner: c.agent,
                    due_at: hence(now, 7 * D),
                    check_after_days: 30,
                },
            )
            .await?;
        // What Stackhouse promised us, at risk by now: the owner is asked to chase them.
        self.store
            .make_vendor_promise(
                at(ago(now, 3 * H)),
                NewVendorPromise {
                    problem: c.current,
                    vendor: c.vendor,
                    what: "Roll the production server back to PHP 7.4".into(),
                    due_at: hence(now, 30),
                },
            )
            .await?;
        Ok(())
    }
}
