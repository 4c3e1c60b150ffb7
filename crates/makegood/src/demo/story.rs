//! The demo's story: who the customers are and what went wrong for each, relative to now.

use makegood_domain::{EventKind, Member, MemberId, Origin, Outcome, Role, Severity, WaitingOn};
use makegood_store::{Actor, NewProblem, NewPromise};

use super::{D, Demo, H, ago, hence};

impl Demo<'_> {
    /// Members, vendors, accounts, problems and promises, each placed so the clocks tell a story.
    pub(super) async fn fill(&self, admin: &Member) -> anyhow::Result<[MemberId; 4]> {
        let now = self.now;
        let alex = admin.id;
        let maya = self
            .member(
                "Maya Ortiz",
                "maya@northwind.example",
                Role::Supervisor,
                500_000,
            )
            .await?;
        let sam = self
            .member("Sam Patel", "sam@northwind.example", Role::Agent, 100_000)
            .await?;
        let lee = self
            .member("Lee Chen", "lee@northwind.example", Role::Agent, 50_000)
            .await?;
        self.member("Robin Hale", "robin@northwind.example", Role::Viewer, 0)
            .await?;
        let stackhouse = self
            .vendor("Stackhouse Hosting", "support@stackhouse.example")
            .await?;
        self.vendor("Printwell", "orders@printwell.example").await?;

        // A five-year-old custom app broke after the client's hosting vendor upgraded a
        // production server. Told within 15 minutes; the next update is due soon (warning).
        let brightline = self.account("Brightline Dental Group", None).await?;
        let priya = self
            .contact(
                brightline,
                "Priya Nair",
                "IT Director",
                "priya@brightline.example",
            )
            .await?;
        let tom = self
            .contact(
                brightline,
                "Tom Becker",
                "Practice Manager",
                "tom@brightline.example",
            )
            .await?;
        let mg = self
            .problem(alex, ago(now, 3 * H + 40), NewProblem {
                title: "Patient scheduling app down after server upgrade".into(),
                description: "Stackhouse upgraded the production server overnight; the scheduling app we built in 2021 no longer starts. Front desks at all three practices are booking on paper.".into(),
                origin: Origin::Vendor,
                vendor: Some(stackhouse),
                severity: Severity::Critical,
                category: "custom software".into(),
                owner: alex,
                accounts: vec![brightline],
                stakeholders: vec![priya, tom],
                detected_at: None,
                include_locations: false,
                all_stakeholders: false,
            })
            .await?;
        self.record(alex, ago(now, 3 * H + 25), mg, EventKind::Update {
            body: "Priya, Tom — the scheduling app stopped working after last night's server upgrade at Stackhouse. It is ours to put right: we are on it now and will update you every few hours until it is back.".into(),
        }).await?;
        self.record(alex, ago(now, 3 * H), mg, EventKind::Note {
            body: "Stackhouse moved the box to PHP 8.3; the app needs 7.4. Asked them for a rollback window.".into(),
        }).await?;
        self.promise(
            alex,
            ago(now, 3 * H),
            NewPromise {
                what:
                    "Scheduling back up, or a working fallback, before the practices open tomorrow"
                        .into(),
                contacts: vec![priya],
                made_by: alex,
                problem: Some(mg),
                due_at: hence(now, 17 * H),
            },
        )
        .await?;
        // A promise renegotiated in time: the old date ended as renegotiated, the new one runs.
        let plan = self
            .promise(
                alex,
                ago(now, 10 * D),
                NewPromise {
                    what: "A plan to move the app off the 2019 server".into(),
                    contacts: vec![priya],
                    made_by: alex,
                    problem: None,
                    due_at: ago(now, 2 * D),
                },
            )
            .await?;
        self.store
            .renegotiate_promise(
                Actor {
                    member: alex,
                    now: ago(now, 4 * D),
                },
                plan,
                None,
                hence(now, 12 * D),
                "Stackhouse's maintenance window moved; agreed with Priya on the phone",
            )
            .await?;

        self.prevention(super::prevention::Cast {
            owner: alex,
            agent: sam,
            account: brightline,
            contact: priya,
            vendor: stackhouse,
            current: mg,
        })
        .await?;

        // A trucking client promised dashboard updates "end of next week" — about to slip.
        let harbor = self.account("Harbor Freight Logistics", None).await?;
        let dana = self
            .contact(
                harbor,
                "Dana Whitfield",
                "Operations Director",
                "dana@harborfreight.example",
            )
            .await?;
        let carl = self
            .contact(
                harbor,
                "Carl Mendez",
                "Controller",
                "carl@harborfreight.example",
            )
            .await?;
        let dash = self
            .problem(sam, ago(now, 3 * D), NewProblem {
                title: "Dispatch dashboard updates running late".into(),
                description: "The fuel-cost columns promised for the dispatch dashboard are not finished; the data feed from the telematics provider changed format.".into(),
                origin: Origin::Ours,
                vendor: None,
                severity: Severity::Minor,
                category: "reporting".into(),
                owner: sam,
                accounts: vec![harbor],
                stakeholders: vec![dana, carl],
                detected_at: None,
                include_locations: false,
                all_stakeholders: false,
            })
            .await?;
        self.record(sam, ago(now, 3 * D - 2 * H), dash, EventKind::Update {
            body: "Dana, the fuel-cost columns are taking longer than planned because the telematics feed changed. We are still aiming for the end of next week and will tell you early if that moves.".into(),
        }).await?;
        self.record(sam, ago(now, 2 * D), dash, EventKind::Update {
            body: "Progress: the new feed is parsed; the columns are being tested against last month's invoices.".into(),
        }).await?;
        self.promise(
            sam,
            ago(now, 12 * D),
            NewPromise {
                what: "Fuel-cost columns live on the dispatch dashboard by the end of next week"
                    .into(),
                contacts: vec![dana],
                made_by: sam,
                problem: None,
                due_at: hence(now, 30 * H),
            },
        )
        .await?;
        // A promise broken two days ago, nobody said a word: the number that should be zero.
        self.promise(
            sam,
            ago(now, 5 * D),
            NewPromise {
                what: "Send Carl the corrected fuel surcharge invoice".into(),
                contacts: vec![carl],
                made_by: sam,
                problem: Some(dash),
                due_at: ago(now, 2 * D),
            },
        )
        .await?;

        // A video shoot lost six scenes; we re-shoot at our own expense, waiting on the client's date.
        let lumen = self.account("Lumen Skincare", None).await?;
        let ines = self
            .contact(lumen, "Inès Moreau", "Head of Brand", "ines@lumen.example")
            .await?;
        let shoot = self
            .problem(lee, ago(now, 2 * D), NewProblem {
                title: "Six scenes of the spring campaign footage lost".into(),
                description: "A card failed during ingest; six of the fourteen scenes shot on Tuesday are unrecoverable.".into(),
                origin: Origin::Ours,
                vendor: None,
                severity: Severity::Major,
                category: "video production".into(),
                owner: lee,
                accounts: vec![lumen],
                stakeholders: vec![ines],
                detected_at: None,
                include_locations: false,
                all_stakeholders: false,
            })
            .await?;
        self.record(lee, ago(now, 2 * D - H), shoot, EventKind::Update {
            body: "Inès, I am sorry: six scenes from Tuesday's shoot were lost when a memory card failed. This is our failure. We will re-shoot them at our own expense, with the same crew and location, on a day that suits you.".into(),
        }).await?;
        self.promise(
            lee,
            ago(now, 2 * D - H),
            NewPromise {
                what: "Re-shoot the six lost scenes at our expense".into(),
                contacts: vec![ines],
                made_by: lee,
                problem: Some(shoot),
                due_at: hence(now, 6 * D),
            },
        )
        .await?;
        self.record(
            lee,
            ago(now, D),
            shoot,
            EventKind::Waiting {
                on: WaitingOn::Customer,
                reason: "Inès is confirming which Saturday the models are free".into(),
            },
        )
        .await?;

        // A reprint costing 2,000 when the account manager's authority is 1,000 — and the
        // customer has not been told yet: the tell clock is breached.
        let okafor = self.account("Okafor & Daughters Bakery", None).await?;
        let ada = self
            .contact(okafor, "Ada Okafor", "Owner", "ada@okafor.example")
            .await?;
        let print = self
            .problem(
                sam,
                ago(now, 5 * H),
                NewProblem {
                    title: "Brochures printed with last year's prices".into(),
                    description:
                        "We sent Printwell the old artwork file; 5,000 brochures carry 2025 prices."
                            .into(),
                    origin: Origin::Ours,
                    vendor: None,
                    severity: Severity::Major,
                    category: "print".into(),
                    owner: sam,
                    accounts: vec![okafor],
                    stakeholders: vec![ada],
                    detected_at: Some(ago(now, 5 * H + 20)),
                    include_locations: false,
                    all_stakeholders: false,
                },
            )
            .await?;
        self.record(sam, ago(now, 4 * H), print, EventKind::Note {
            body: format!(
                "Printwell quotes 2,000.00 {c} for the reprint. My authority is 1,000.00 {c}, so Maya has to approve it.",
                c = self.currency
            ),
        }).await?;
        self.remedies((print, sam), (mg, maya), stackhouse).await?;

        // A franchise network: online ordering down at four of its locations, nobody told yet.
        let sunny = self.account("Sunny Side Cafés", None).await?;
        let grace = self
            .contact(
                sunny,
                "Grace Liu",
                "Franchise Operations Manager",
                "grace@sunnyside.example",
            )
            .await?;
        let mut affected = vec![sunny];
        for city in ["Austin", "Dallas", "Houston", "San Antonio", "El Paso"] {
            let location = self
                .account(&format!("Sunny Side Cafés — {city}"), Some(sunny))
                .await?;
            if city != "El Paso" {
                affected.push(location);
            }
        }
        self.problem(alex, ago(now, 70), NewProblem {
            title: "Online ordering down at four locations".into(),
            description: "Orders placed in the app since 7:40 never reached the kitchen printers in Austin, Dallas, Houston and San Antonio.".into(),
            origin: Origin::Unknown,
            vendor: None,
            severity: Severity::Critical,
            category: "integrations".into(),
            owner: alex,
            accounts: affected,
            stakeholders: vec![grace],
            detected_at: Some(ago(now, 80)),
            include_locations: false,
            all_stakeholders: false,
        }).await?;

        // Handled well, start to finish: told at once, fixed, confirmed, closed — retained.
        let meridian = self.account("Meridian Accounting", None).await?;
        let joan = self
            .contact(meridian, "Joan Park", "Partner", "joan@meridian.example")
            .await?;
        let vat = self
            .problem(
                lee,
                ago(now, 20 * D),
                NewProblem {
                    title: "Invoice PDFs showed the wrong VAT number".into(),
                    description:
                        "A template change put the old VAT number on invoices issued 3–5 March."
                            .into(),
                    origin: Origin::Ours,
                    vendor: None,
                    severity: Severity::Minor,
                    category: "custom software".into(),
                    owner: lee,
                    accounts: vec![meridian],
                    stakeholders: vec![joan],
                    detected_at: None,
                    include_locations: false,
                    all_stakeholders: false,
                },
            )
            .await?;
        self.record(lee, ago(now, 20 * D - 40), vat, EventKind::Update {
            body: "Joan, we found that invoices from 3–5 March show your old VAT number. We are correcting the template and will reissue the 14 affected invoices tomorrow.".into(),
        }).await?;
        let reissue = self
            .promise(
                lee,
                ago(now, 20 * D - 40),
                NewPromise {
                    what: "Reissue the 14 affected invoices".into(),
                    contacts: vec![joan],
                    made_by: lee,
                    problem: Some(vat),
                    due_at: ago(now, 19 * D - 8 * H),
                },
            )
            .await?;
        self.store
            .keep_promise(
                Actor {
                    member: lee,
                    now: ago(now, 19 * D - 6 * H),
                },
                reissue,
                None,
            )
            .await?;
        self.record(
            lee,
            ago(now, 19 * D - 6 * H),
            vat,
            EventKind::Fixed {
                summary: "Template corrected; invoices reissued.".into(),
            },
        )
        .await?;
        self.record(
            lee,
            ago(now, 18 * D),
            vat,
            EventKind::Confirmed { contact: None },
        )
        .await?;
        self.record(
            maya,
            ago(now, 17 * D),
            vat,
            EventKind::Closed {
                outcome: Outcome::Retained,
            },
        )
        .await?;
        // Joan was asked how we did three days after the fix, and said.
        self.store.send_follow_ups(ago(now, 15 * D), 10).await?;
        let answer = makegood_domain::FollowUp::new(
            5,
            9,
            "Quick, honest and fixed before our clients noticed. Thank you.",
        )?;
        self.store
            .answer_survey(joan, vat, answer, ago(now, 14 * D))
            .await?;
        self.playbooks((alex, sam), mg, print).await?;
        self.customer_side(sam).await?;
        Ok([sam, lee, maya, alex])
    }
}
