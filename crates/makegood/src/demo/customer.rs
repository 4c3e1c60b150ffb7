//! The demo's customer side: Kestrel's Controller, whose wrong late fees were fixed four days
//! ago — the follow-up survey is due, the fix not yet confirmed, one promise kept and one open.
//! The README's walk-through signs in as Nora with `makegood portal-link`.

use makegood_domain::{EventKind, MemberId, Origin, Severity};
use makegood_store::{Actor, NewProblem, NewPromise};

use super::{D, Demo, H, ago, hence};

/// The stakeholder the walk-through signs in as.
pub(super) const NORA: &str = "nora@kestrel.example";

impl Demo<'_> {
    pub(super) async fn customer_side(&self, owner: MemberId) -> anyhow::Result<()> {
        let now = self.now;
        let kestrel = self.account("Kestrel Property Management", None).await?;
        let nora = self
            .contact(kestrel, "Nora Quinn", "Controller", NORA)
            .await?;
        let fees = self
            .problem(owner, ago(now, 6 * D), NewProblem {
                title: "Tenant portal charged late fees in error".into(),
                description: "A rounding change in our rent-reconciliation job marked 212 on-time payments as late; tenants were charged a late fee.".into(),
                origin: Origin::Ours,
                vendor: None,
                severity: Severity::Minor,
                category: "custom software".into(),
                owner,
                accounts: vec![kestrel],
                stakeholders: vec![nora],
                detected_at: None,
                include_locations: false,
                all_stakeholders: false,
            })
            .await?;
        self.record(owner, ago(now, 6 * D - 30), fees, EventKind::Update {
            body: "Nora, our reconciliation job wrongly marked 212 on-time rent payments as late, and those tenants were charged a late fee. This is our mistake. We have stopped the job and will refund every fee.".into(),
        }).await?;
        self.record(owner, ago(now, 6 * D - H), fees, EventKind::Note {
            body: "The rounding change shipped Monday; reverting it and adding a test with half-cent rents.".into(),
        }).await?;
        let refunds = self
            .promise(
                owner,
                ago(now, 6 * D - 30),
                NewPromise {
                    what: "Refund every wrongly charged late fee".into(),
                    contacts: vec![nora],
                    made_by: owner,
                    problem: Some(fees),
                    due_at: ago(now, 4 * D),
                },
            )
            .await?;
        self.store
            .keep_promise(
                Actor {
                    member: owner,
                    now: ago(now, 4 * D + 3 * H),
                },
                refunds,
                None,
            )
            .await?;
        self.promise(
            owner,
            ago(now, 4 * D + 3 * H),
            NewPromise {
                what: "A written summary of the cause and what we changed".into(),
                contacts: vec![nora],
                made_by: owner,
                problem: Some(fees),
                due_at: hence(now, 2 * D),
            },
        )
        .await?;
        self.record(owner, ago(now, 4 * D + 2 * H), fees, EventKind::Update {
            body: "All 212 late fees are refunded and the job is fixed; tenants see the refund on their next statement. Please tell us if anything still looks wrong.".into(),
        }).await?;
        self.record(
            owner,
            ago(now, 4 * D + 2 * H),
            fees,
            EventKind::Fixed {
                summary: "Rounding reverted, fees refunded.".into(),
            },
        )
        .await?;
        Ok(())
    }
}
