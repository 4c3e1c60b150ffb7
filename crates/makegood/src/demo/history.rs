//! The demo's past year: three problems a month for eleven months, closed long ago, so the
//! reports have a story to tell. The team started badly — customers told late, updates
//! missed, promises broken (one without a word), a customer lost — and learned: in the
//! later months customers hear within minutes, promises are kept or renegotiated in time,
//! and the follow-up answers turn from detractors to promoters.
//!
//! Everything is placed by whole months and days before now and follows from the month's
//! index, so the same demo tells the same story on any day.

use jiff::{SignedDuration, Timestamp};
use makegood_domain::prevention::NewPrevention;
use makegood_domain::{
    AccountId, ContactId, EventKind, FollowUp, MemberId, Money, NewRemedy, Origin, Outcome,
    PreventionId, ProblemId, PromiseId, RemedyKind, Severity, VendorId,
};
use makegood_store::{Actor, NewProblem, NewPromise};

use super::{D, Demo, H, ago};

/// How far back the story starts, in months of 30 days.
const MONTHS: i64 = 11;

/// A past customer: the account, its one stakeholder, and what we do for them.
struct Customer {
    account: AccountId,
    contact: ContactId,
    category: &'static str,
}

/// How a problem's promise ended.
#[derive(Clone, Copy, PartialEq)]
enum Ending {
    Kept,
    Renegotiated,
    Broken,
    /// Broken with no update to the customer while it ran out.
    BrokenSilently,
}

/// One step of a problem's life, at a time.
enum Step {
    Update(&'static str),
    Keep,
    Renegotiate,
    Break,
    Fixed,
    Remedy {
        cost: i64,
    },
    Survey {
        rating: u8,
        recommend: u8,
        comment: &'static str,
    },
    Called,
    Close(Outcome),
    Prevent {
        category: &'static str,
        due: Timestamp,
    },
    PreventionDone,
    PreventionRevised {
        due: Timestamp,
    },
    PreventionChecked {
        effective: bool,
    },
}

impl Demo<'_> {
    /// The past year, owned in turn by `team`; its supervisor (the third) gives the credits.
    pub(super) async fn history(&self, team: [MemberId; 4]) -> anyhow::Result<()> {
        let customers = [
            self.customer(
                "Harbour Veterinary Clinics",
                ("Ellen Park", "Practice Owner", "ellen@harbourvets.example"),
                "billing",
            )
            .await?,
            self.customer(
                "Oakfield School Trust",
                ("Marcus Webb", "Business Manager", "marcus@oakfield.example"),
                "custom software",
            )
            .await?,
            self.customer(
                "Greenway Logistics",
                ("Dana Ruiz", "Operations Director", "dana@greenway.example"),
                "hosting",
            )
            .await?,
            self.customer(
                "Pinecrest Legal",
                ("Hugo Laine", "Managing Partner", "hugo@pinecrest.example"),
                "printing",
            )
            .await?,
        ];
        let vendor = self
            .vendor("Cloudline Hosting", "support@cloudline.example")
            .await?;
        let mut n = 0;
        let mut past = Vec::new();
        for months_ago in (1..=MONTHS).rev() {
            // 0 in the first month of the story, MONTHS - 1 in the last: how much was learned.
            let learned = MONTHS - months_ago;
            for slot in 0..3 {
                let customer = &customers[n % customers.len()];
                let owner = team[n % team.len()];
                let start = ago(self.now, months_ago * 30 * D - slot * 9 * D - 10 * H);
                let problem = self
                    .past_problem(customer, (owner, team[2]), vendor, start, learned, slot)
                    .await?;
                past.push(problem);
                n += 1;
            }
        }
        // Their mail went out at the time, not when the demo first serves.
        self.store.settle_past_deliveries(&past).await?;
        self.failure_log(team).await
    }

    /// What the team logged as it tried things: many early failures, cheap and instructive;
    /// the broken promises count in at the top by themselves.
    async fn failure_log(&self, team: [MemberId; 4]) -> anyhow::Result<()> {
        use makegood_domain::FailureLevel::{Idea, Mockup, Pilot, Prototype};
        let entries = [
            (
                Idea,
                "A shared inbox instead of one owner per problem",
                "Nobody answered: everyone thought someone else had it.",
            ),
            (
                Idea,
                "Automatic apology emails on every new problem",
                "Customers could tell they were canned; a written first update works better.",
            ),
            (
                Idea,
                "A weekly status digest for every account",
                "Too slow for anything urgent; per-problem updates stay.",
            ),
            (
                Prototype,
                "A chatbot triaging incoming complaints",
                "It misread upset customers as routine; people read every message.",
            ),
            (
                Prototype,
                "SMS alerts for promise warnings",
                "Too noisy at night; email plus the Today list is enough.",
            ),
            (
                Prototype,
                "A cost calculator for remedies",
                "Fixed amounts per kind were simpler and fairer.",
            ),
            (
                Mockup,
                "A customer-facing status page per account",
                "Customers wanted a person, not a page; the portal shows our updates instead.",
            ),
            (
                Mockup,
                "A traffic-light board of every open problem",
                "Hid the one thing due next; the duties list sorts by urgency.",
            ),
            (
                Pilot,
                "Promising fix dates on the first call, with three clients",
                "Dates given before diagnosis slipped: promise the next update, then the fix.",
            ),
            (
                Pilot,
                "Remote fixes without telling the client first, with two clients",
                "They felt bypassed; always say what we are about to do.",
            ),
        ];
        for (i, (level, what, lesson)) in entries.into_iter().enumerate() {
            let months_ago = MONTHS - i64::try_from(i).unwrap_or(0);
            let actor = Actor {
                member: team[i % team.len()],
                now: ago(self.now, months_ago * 30 * D - 5 * D),
            };
            let fields = makegood_domain::failure::FailureFields::new(level, what, lesson, None)
                .map_err(|e| anyhow::anyhow!("demo failure entry: {e:?}"))?;
            self.store.log_failure(actor, fields).await?;
        }
        Ok(())
    }

    async fn customer(
        &self,
        name: &str,
        (person, title, mail): (&str, &str, &str),
        category: &'static str,
    ) -> anyhow::Result<Customer> {
        let account = self.account(name, None).await?;
        let contact = self.contact(account, person, title, mail).await?;
        Ok(Customer {
            account,
            contact,
            category,
        })
    }

    /// One problem from detection to close, `learned` months into the story.
    async fn past_problem(
        &self,
        customer: &Customer,
        (owner, supervisor): (MemberId, MemberId),
        vendor: VendorId,
        start: Timestamp,
        learned: i64,
        slot: i64,
    ) -> anyhow::Result<ProblemId> {
        let severity = [Severity::Major, Severity::Minor, Severity::Critical][slot as usize];
        let origin =
            [Origin::Ours, Origin::Vendor, Origin::Customer][(learned + slot) as usize % 3];
        let (tell, every, fix) = spans(severity);
        let ending = match (learned, slot) {
            (0 | 2, 0) => Ending::BrokenSilently,
            (0..=4, 1) => Ending::Broken,
            (_, 2) if learned % 3 == 0 => Ending::Renegotiated,
            _ => Ending::Kept,
        };
        let broken = matches!(ending, Ending::Broken | Ending::BrokenSilently);

        // Late to tell and slow to update early on; quick and regular once learned.
        let told = start
            + scale(
                tell,
                if learned < 3 {
                    200
                } else if learned < 6 {
                    80
                } else {
                    30
                },
            );
        let interval = scale(every, if learned < 4 { 140 } else { 70 });
        let fixed = start + scale(fix, if learned < 4 { 130 } else { 60 });
        let due = start + scale(fix, 50);

        let mut steps = vec![(
            told,
            Step::Update(
                "We have found a problem on our side and are on it; we will keep you posted.",
            ),
        )];
        for k in 1..=2_i32 {
            let at = told + interval * k;
            // A promise broken silently had no word in its last fifth.
            if ending == Ending::BrokenSilently && at > due - scale(due.duration_since(told), 20) {
                continue;
            }
            if at < fixed {
                steps.push((
                    at,
                    Step::Update("An update on where we stand: the fix is in progress."),
                ));
            }
        }
        steps.push(match ending {
            Ending::Kept => (due - SignedDuration::from_hours(1), Step::Keep),
            Ending::Renegotiated => (due - scale(due.duration_since(told), 30), Step::Renegotiate),
            Ending::Broken | Ending::BrokenSilently => {
                (due + SignedDuration::from_mins(1), Step::Break)
            }
        });
        if ending == Ending::Renegotiated {
            // Kept on the new date, two days later.
            steps.push((due + SignedDuration::from_hours(46), Step::Keep));
        }
        if ending == Ending::Broken {
            // Broken, but not in silence: the customer heard before the date passed.
            steps.push((
                due - SignedDuration::from_mins(30),
                Step::Update(
                    "We will not make the date we gave you; we are sorry. Here is where it stands.",
                ),
            ));
        }
        steps.push((fixed, Step::Fixed));
        if origin == Origin::Ours {
            steps.push((
                fixed + SignedDuration::from_hours(2),
                Step::Remedy {
                    cost: 15_000 + 5_000 * slot,
                },
            ));
        }
        // The survey is due three days after the fix or the remedy's delivery, whichever is later.
        let asked = fixed + SignedDuration::from_hours(3 * 24 + 3);
        let (rating, recommend, comment) = match (broken, learned) {
            (true, _) => (2, 3, "You missed the date you gave us."),
            (false, 0..=4) => (3, 6, "Fixed in the end, but we had to chase you."),
            (false, 5..=7) => (4, 8, "Kept us informed; thank you."),
            _ => (5, 10, "Told us before we noticed and kept every promise."),
        };
        steps.push((
            asked,
            Step::Survey {
                rating,
                recommend,
                comment,
            },
        ));
        let low = makegood_domain::followup::is_low(rating, recommend);
        if low {
            steps.push((asked + SignedDuration::from_hours(26), Step::Called));
        }
        let outcome = match (ending, learned) {
            (Ending::BrokenSilently, 0) => Outcome::Lost,
            (Ending::BrokenSilently | Ending::Broken, _) => Outcome::AtRisk,
            (_, 8..) if slot != 1 => Outcome::Advocate,
            _ => Outcome::Retained,
        };
        steps.push((asked + SignedDuration::from_hours(48), Step::Close(outcome)));
        if slot == 0 {
            // The month's first problem gets a corrective action: done late and found wanting
            // early in the story, done on time and effective later.
            let due = fixed + SignedDuration::from_hours(14 * 24);
            let category = if learned < 5 {
                "Unchecked change"
            } else {
                "Capacity"
            };
            steps.push((
                fixed + SignedDuration::from_hours(6),
                Step::Prevent { category, due },
            ));
            let done = due + SignedDuration::from_hours(if learned < 4 { 5 * 24 } else { -2 * 24 });
            steps.push((done, Step::PreventionDone));
            let check = done + SignedDuration::from_hours(14 * 24 + 1);
            if check < self.now {
                let effective = learned >= 3;
                steps.push((check, Step::PreventionChecked { effective }));
                if !effective {
                    // Found wanting: a better action, done within a fortnight, and effective.
                    let again = check + SignedDuration::from_hours(10 * 24);
                    let due = check + SignedDuration::from_hours(14 * 24);
                    steps.push((
                        check + SignedDuration::from_hours(2),
                        Step::PreventionRevised { due },
                    ));
                    steps.push((again, Step::PreventionDone));
                    let recheck = again + SignedDuration::from_hours(14 * 24 + 1);
                    steps.push((recheck, Step::PreventionChecked { effective: true }));
                }
            }
        }
        // A stable sort: steps at the same time keep the order they were listed in.
        steps.sort_by_key(|(at, _)| *at);

        let title = format!(
            "{} problem for {}",
            customer.category,
            self.account_name(customer).await?
        );
        let problem = self
            .problem(
                owner,
                start,
                NewProblem {
                    title,
                    description: "From the past year's record.".into(),
                    origin,
                    vendor: (origin == Origin::Vendor).then_some(vendor),
                    severity,
                    category: customer.category.into(),
                    owner,
                    accounts: vec![customer.account],
                    stakeholders: vec![customer.contact],
                    detected_at: None,
                    include_locations: false,
                    all_stakeholders: false,
                },
            )
            .await?;
        let promise = self
            .promise(
                owner,
                told,
                NewPromise {
                    what: "A workaround in place".into(),
                    contacts: vec![customer.contact],
                    made_by: owner,
                    problem: Some(problem),
                    due_at: due,
                },
            )
            .await?;
        let mut past = Past {
            problem,
            promise,
            prevention: None,
            owner,
            supervisor,
            customer,
            due,
        };
        for (at, step) in steps {
            self.take(&mut past, at, step).await?;
        }
        Ok(problem)
    }

    async fn account_name(&self, customer: &Customer) -> anyhow::Result<String> {
        Ok(self.store.account(customer.account).await?.name)
    }

    async fn take(&self, past: &mut Past<'_>, at: Timestamp, step: Step) -> anyhow::Result<()> {
        let actor = Actor {
            member: past.owner,
            now: at,
        };
        match step {
            Step::Update(body) => {
                self.record(
                    past.owner,
                    at,
                    past.problem,
                    EventKind::Update { body: body.into() },
                )
                .await?;
            }
            Step::Keep => {
                self.store.keep_promise(actor, past.promise, None).await?;
            }
            Step::Renegotiate => {
                let later = past.due + SignedDuration::from_hours(48);
                past.promise = self
                    .store
                    .renegotiate_promise(
                        actor,
                        past.promise,
                        None,
                        later,
                        "The part we need arrives two days later; agreed a new date on the phone",
                    )
                    .await?
                    .promise
                    .id;
            }
            Step::Break => {
                self.store.break_overdue_promises(at).await?;
            }
            Step::Fixed => {
                self.record(
                    past.owner,
                    at,
                    past.problem,
                    EventKind::Fixed {
                        summary: "Fixed.".into(),
                    },
                )
                .await?;
            }
            Step::Remedy { cost } => {
                let actor = Actor {
                    member: past.supervisor,
                    now: at,
                };
                let remedy = self
                    .store
                    .propose_remedy(
                        actor,
                        NewRemedy {
                            problem: past.problem,
                            kind: RemedyKind::Credit,
                            description: "A credit on the next invoice".into(),
                            cost: Money::new(cost, self.currency),
                            vendor_share: None,
                        },
                    )
                    .await?;
                self.store
                    .deliver_remedy(actor, remedy.remedy.id, None, Some(at))
                    .await?;
            }
            Step::Survey {
                rating,
                recommend,
                comment,
            } => {
                self.store.send_follow_ups(at, 10).await?;
                let answer = FollowUp::new(rating, recommend, comment)?;
                self.store
                    .answer_survey(
                        past.customer.contact,
                        past.problem,
                        answer,
                        at + SignedDuration::from_hours(5),
                    )
                    .await?;
            }
            Step::Called => {
                self.record(
                    past.owner,
                    at,
                    past.problem,
                    EventKind::CustomerCalled {
                        note: "Apologised in person and walked through what we changed.".into(),
                    },
                )
                .await?;
            }
            Step::Close(outcome) => {
                self.record(past.owner, at, past.problem, EventKind::Closed { outcome })
                    .await?;
            }
            Step::Prevent { category, due } => {
                let new = NewPrevention {
                    problem: past.problem,
                    root_cause: "A change went out without a check against the customer's setup"
                        .into(),
                    cause_category: category.into(),
                    corrective_action: "Add the customer's setup to the release checklist".into(),
                    owner: past.owner,
                    due_at: due,
                    check_after_days: 14,
                };
                past.prevention = Some(
                    self.store
                        .record_prevention(actor, new)
                        .await?
                        .prevention
                        .id,
                );
            }
            Step::PreventionDone => {
                if let Some(id) = past.prevention {
                    self.store.mark_prevention_done(actor, id, None).await?;
                }
            }
            Step::PreventionRevised { due } => {
                if let Some(id) = past.prevention {
                    let action = "Test every release against a copy of the customer's setup";
                    self.store
                        .revise_prevention(actor, id, None, action, due)
                        .await?;
                }
            }
            Step::PreventionChecked { effective } => {
                if let Some(id) = past.prevention {
                    let note = (!effective).then_some("It happened again the next week.");
                    self.store
                        .check_prevention(actor, id, None, effective, note)
                        .await?;
                }
            }
        }
        Ok(())
    }
}

/// A past problem while its steps are taken.
struct Past<'a> {
    problem: ProblemId,
    promise: PromiseId,
    prevention: Option<PreventionId>,
    owner: MemberId,
    /// Gives the credits, within her authority whoever set the organisation up.
    supervisor: MemberId,
    customer: &'a Customer,
    due: Timestamp,
}

/// The default policy's time to tell, update interval and time to fix for `severity`.
fn spans(severity: Severity) -> (SignedDuration, SignedDuration, SignedDuration) {
    let policy = makegood_domain::Policies::default();
    let policy = policy.get(severity);
    (policy.tell(), policy.update(), policy.fix())
}

/// `percent` of `span`, to the minute.
fn scale(span: SignedDuration, percent: i64) -> SignedDuration {
    SignedDuration::from_mins(span.as_mins() * percent / 100)
}
