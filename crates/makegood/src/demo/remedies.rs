//! The demo's remedies: the reprint waiting for Maya's approval (2,000 against Sam's authority
//! of 1,000), and a credit for Brightline that Maya gave within her authority, delivered,
//! Stackhouse's share still owed.

use makegood_domain::{MemberId, Money, NewRemedy, ProblemId, RemedyKind, VendorId, VendorShare};
use makegood_store::Actor;

use super::{Demo, H, ago};

impl Demo<'_> {
    /// Adds the remedies to the reprint problem (`print`, proposed by Sam) and the hosting
    /// outage (`outage`, proposed by Maya; caused by `stackhouse`).
    pub(super) async fn remedies(
        &self,
        print: (ProblemId, MemberId),
        outage: (ProblemId, MemberId),
        stackhouse: VendorId,
    ) -> anyhow::Result<()> {
        let now = self.now;
        let money = |minor| Money::new(minor, self.currency);
        let at = |member, t| Actor { member, now: t };
        // Above Sam's authority: it waits for a supervisor's approval, its clock running.
        self.store
            .propose_remedy(
                at(print.1, ago(now, 4 * H)),
                NewRemedy {
                    problem: print.0,
                    kind: RemedyKind::Redo,
                    description: "A reprint of all 5,000 brochures with this year's prices, at our cost, delivered by Friday".into(),
                    cost: money(200_000),
                    vendor_share: None,
                },
            )
            .await?;
        // Within Maya's authority: approved at once, delivered, Stackhouse's share outstanding.
        let credit = self
            .store
            .propose_remedy(
                at(outage.1, ago(now, 2 * H)),
                NewRemedy {
                    problem: outage.0,
                    kind: RemedyKind::Credit,
                    description: "A credit of one month's support retainer on the next invoice"
                        .into(),
                    cost: money(60_000),
                    vendor_share: Some(VendorShare {
                        vendor: stackhouse,
                        amount: money(40_000),
                        received: false,
                    }),
                },
            )
            .await?;
        self.store
            .deliver_remedy(
                at(outage.1, ago(now, H)),
                credit.remedy.id,
                None,
                Some(ago(now, 90)),
            )
            .await?;
        Ok(())
    }
}
