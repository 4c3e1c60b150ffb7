//! `makegood demo`: a realistic small consultancy, placed relative to now so that the
//! duties list has breaches, warnings and quiet clocks the moment it is loaded.

use anyhow::{Context, bail};
use jiff::{SignedDuration, Timestamp};
use makegood_domain::{
    AccountId, ContactId, Currency, Email, EventKind, Member, MemberId, Money, Role, VendorId,
};
use makegood_store::{
    Actor, NewAccount, NewContact, NewMember, NewProblem, NewPromise, NewVendor, PageRequest, Store,
};

use crate::cli::DemoArgs;
use customer::NORA;

mod customer;
mod history;
mod incident;
mod playbooks;
mod prevention;
mod remedies;
mod story;

/// `minutes` before `now`.
fn ago(now: Timestamp, minutes: i64) -> Timestamp {
    now - SignedDuration::from_mins(minutes)
}

/// `minutes` after `now`.
fn hence(now: Timestamp, minutes: i64) -> Timestamp {
    now + SignedDuration::from_mins(minutes)
}

const H: i64 = 60;
const D: i64 = 24 * H;

struct Demo<'a> {
    store: &'a Store,
    now: Timestamp,
    currency: Currency,
    password_hash: String,
}

pub async fn demo(store: &Store, args: DemoArgs, now: Timestamp) -> anyhow::Result<()> {
    let password_hash = makegood_web::auth::hash_password(&args.password)?;
    let first = PageRequest {
        cursor: None,
        limit: Some(1),
    };
    if !store.list_accounts(None, &first).await?.items.is_empty() {
        bail!(
            "this organisation already has accounts; demo fills an empty one (use a new --database-url)"
        );
    }
    let admin = match store.organisation().await? {
        Some(_) => first_admin(store).await?,
        None => {
            let admin = NewMember {
                name: "Alex Morgan".into(),
                email: email("alex@northwind.example"),
                role: Role::Admin,
                remedy_authority: Money::new(1_000_000, eur()),
                time_zone: "Europe/London".into(),
                password_hash: Some(password_hash.clone()),
            };
            let admin = store
                .initialise("Northwind Consulting", admin, ago(now, 365 * D))
                .await?;
            println!(
                "Set up Northwind Consulting; sign in as {} with the demo password.",
                admin.email
            );
            admin
        }
    };
    let demo = Demo {
        store,
        now,
        currency: admin.remedy_authority.currency,
        password_hash,
    };
    let team = demo.fill(&admin).await.context("cannot load the demo")?;
    demo.incident(admin.id)
        .await
        .context("cannot load the demo's incident")?;
    demo.history(team)
        .await
        .context("cannot load the demo's past year")?;
    let broken = store.break_overdue_promises(now).await?;
    println!(
        "Loaded the demo: 5 members, 767 accounts (a network of 750 stores among them), 9 open problems and a past year of 33 closed ones, 44 promises ({broken} broken)."
    );
    println!(
        "Demo members sign in with the password \"{}\".",
        args.password
    );
    println!("See the customer's side, as Kestrel's Controller: makegood portal-link {NORA}");
    Ok(())
}

async fn first_admin(store: &Store) -> anyhow::Result<Member> {
    let mut page = PageRequest::default();
    loop {
        let members = store.list_members(&page).await?;
        if let Some(admin) = members
            .items
            .into_iter()
            .find(|m| m.role == Role::Admin && m.active)
        {
            return Ok(admin);
        }
        match members.next_cursor {
            Some(cursor) => page.cursor = Some(cursor),
            None => bail!("no active admin; run `makegood init` first"),
        }
    }
}

fn email(s: &str) -> Email {
    Email::parse(s).unwrap_or_else(|_| unreachable!("demo addresses are valid"))
}

fn eur() -> Currency {
    Currency::new("EUR").unwrap_or_else(|_| unreachable!("EUR is a currency"))
}

impl Demo<'_> {
    async fn member(
        &self,
        name: &str,
        mail: &str,
        role: Role,
        authority: i64,
    ) -> anyhow::Result<MemberId> {
        let member = NewMember {
            name: name.into(),
            email: email(mail),
            role,
            remedy_authority: Money::new(authority, self.currency),
            time_zone: "Europe/London".into(),
            password_hash: Some(self.password_hash.clone()),
        };
        Ok(self
            .store
            .create_member(member, ago(self.now, 365 * D))
            .await?
            .id)
    }

    async fn account(&self, name: &str, parent: Option<AccountId>) -> anyhow::Result<AccountId> {
        let account = NewAccount {
            name: name.into(),
            parent,
            tier: None,
        };
        Ok(self.store.create_account(account).await?.id)
    }

    async fn contact(
        &self,
        account: AccountId,
        name: &str,
        title: &str,
        mail: &str,
    ) -> anyhow::Result<ContactId> {
        let contact = NewContact {
            account,
            name: name.into(),
            role_title: title.into(),
            email: Some(email(mail)),
            phone: None,
        };
        Ok(self.store.create_contact(contact).await?.id)
    }

    async fn vendor(&self, name: &str, mail: &str) -> anyhow::Result<VendorId> {
        let vendor = NewVendor {
            name: name.into(),
            email: Some(email(mail)),
        };
        Ok(self.store.create_vendor(vendor).await?.id)
    }

    async fn problem(
        &self,
        by: MemberId,
        at: Timestamp,
        problem: NewProblem,
    ) -> anyhow::Result<makegood_domain::ProblemId> {
        let actor = Actor {
            member: by,
            now: at,
        };
        Ok(self.store.create_problem(actor, problem).await?.problem.id)
    }

    async fn record(
        &self,
        by: MemberId,
        at: Timestamp,
        problem: makegood_domain::ProblemId,
        event: EventKind,
    ) -> anyhow::Result<()> {
        self.store
            .record(
                Actor {
                    member: by,
                    now: at,
                },
                problem,
                None,
                event,
            )
            .await?;
        Ok(())
    }

    async fn promise(
        &self,
        by: MemberId,
        at: Timestamp,
        promise: NewPromise,
    ) -> anyhow::Result<makegood_domain::PromiseId> {
        Ok(self
            .store
            .create_promise(
                Actor {
                    member: by,
                    now: at,
                },
                promise,
            )
            .await?
            .promise
            .id)
    }
}
