//! The demo's multi-location incident: a franchise network of 750 cafés whose card payments
//! failed everywhere at once — one update fanned out to every location's manager, a promise
//! to one location and one to all of them.

use makegood_domain::{EventKind, MemberId, Origin, Severity};
use makegood_store::{Actor, LocationContact, NewAccountsPromise, NewLocation, NewProblem};

use super::{D, Demo, H, ago, email, hence};

/// Locations of the network.
const LOCATIONS: usize = 750;

impl Demo<'_> {
    /// The network, its locations with a manager each, and the incident across all of them.
    pub(super) async fn incident(&self, owner: MemberId) -> anyhow::Result<()> {
        let now = self.now;
        let network = self.account("Zephyr Coffee Franchise", None).await?;
        self.contact(
            network,
            "Noor Haddad",
            "Head of Franchise Operations",
            "noor@zephyr.example",
        )
        .await?;
        let locations: Vec<NewLocation> = (1..=LOCATIONS)
            .map(|i| NewLocation {
                name: format!("Zephyr Coffee — Store {i:03}"),
                tier: None,
                contacts: vec![LocationContact {
                    name: format!("Store {i:03} Manager"),
                    role_title: "Store manager".into(),
                    email: Some(email(&format!("store{i:03}@zephyr.example"))),
                    phone: None,
                }],
            })
            .collect();
        let stores = self.store.import_locations(network, locations).await?;
        let vendor = self
            .vendor("PayBridge Payments", "status@paybridge.example")
            .await?;
        let problem = self
            .problem(owner, ago(now, 5 * H), NewProblem {
                title: "Card payments failing at every Zephyr store".into(),
                description: "PayBridge's gateway declines every card payment since 06:10; the stores take cash only.".into(),
                origin: Origin::Vendor,
                vendor: Some(vendor),
                severity: Severity::Major,
                category: "payments".into(),
                owner,
                accounts: vec![network],
                stakeholders: Vec::new(),
                detected_at: Some(ago(now, 5 * H + 15)),
                include_locations: true,
                all_stakeholders: true,
            })
            .await?;
        self.record(owner, ago(now, 5 * H - 10), problem, EventKind::Update {
            body: "Card payments are failing at every Zephyr store because our payment provider, PayBridge, is down. Please take cash and keep receipts; we will tell you the moment cards work again, and within two hours either way.".into(),
        })
        .await?;
        let actor = Actor {
            member: owner,
            now: ago(now, 5 * H - 15),
        };
        let promise = |accounts, what: &str, due| NewAccountsPromise {
            what: what.into(),
            problem,
            accounts,
            made_by: owner,
            due_at: due,
        };
        self.store
            .create_accounts_promise(
                actor,
                promise(
                    None,
                    "Refund every store's card fees for the outage day",
                    hence(now, 3 * D),
                ),
            )
            .await?;
        if let Some(first) = stores.first() {
            self.store
                .create_accounts_promise(
                    actor,
                    promise(
                        Some(vec![*first]),
                        "Lend Store 001 a standalone card terminal",
                        hence(now, 20 * H),
                    ),
                )
                .await?;
        }
        Ok(())
    }
}
