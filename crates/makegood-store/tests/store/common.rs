//! The backend matrix (`store_test!`) and fixtures.

use jiff::{SignedDuration, Timestamp};
use makegood_domain::{
    Account, AccountId, Contact, Currency, Email, Member, Money, Origin, Role, Severity, Vendor,
};
use makegood_store::{
    Actor, NewAccount, NewContact, NewMember, NewProblem, NewPromise, NewVendor, Store, StoreError,
};

/// Declares a test that runs once on SQLite and once on PostgreSQL, each on a fresh database.
macro_rules! store_test {
    ($(#[$meta:meta])* async fn $name:ident($store:ident: $store_type:ty) $body:block) => {
        $(#[$meta])*
        async fn $name(backend: makegood_store::Backend) {
            let db = makegood_store::testing::TestDb::new(backend).await;
            let $store: $store_type = db.store.clone();
            $body
        }

        makegood_store::backend_tests!($name);
    };
}

/// A fixed instant, e.g. `at("2025-03-03T09:00:00Z")`.
pub fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

/// "Now" in most tests: Monday 3 March 2025, 09:00 UTC.
pub fn now() -> Timestamp {
    at("2025-03-03T09:00:00Z")
}

pub fn hours(h: i64) -> SignedDuration {
    SignedDuration::from_hours(h)
}

pub fn minutes(m: i64) -> SignedDuration {
    SignedDuration::from_mins(m)
}

pub fn actor(member: &Member, now: Timestamp) -> Actor {
    Actor {
        member: member.id,
        now,
    }
}

pub fn eur(minor: i64) -> Money {
    Money::new(minor, Currency::new("EUR").unwrap())
}

pub fn new_member(name: &str, email: &str, role: Role) -> NewMember {
    NewMember {
        name: name.into(),
        email: Email::parse(email).unwrap(),
        role,
        remedy_authority: eur(100_000),
        time_zone: "Europe/Berlin".into(),
        password_hash: Some("$argon2id$fake".into()),
    }
}

/// The cast of most tests.
pub struct World {
    pub admin: Member,
    pub agent: Member,
    pub viewer: Member,
    pub acme: Account,
    pub globex: Account,
    /// Ann, the Controller at Acme.
    pub ann: Contact,
    /// Bob, the IT Director at Globex.
    pub bob: Contact,
    pub vendor: Vendor,
}

pub async fn world(store: &Store) -> World {
    let admin = store
        .initialise(
            "Makegood Ltd",
            new_member("Ada Admin", "ada@makegood.example", Role::Admin),
            now(),
        )
        .await
        .unwrap();
    let agent = store
        .create_member(
            new_member("Alex Agent", "alex@makegood.example", Role::Agent),
            now(),
        )
        .await
        .unwrap();
    let viewer = store
        .create_member(
            new_member("Vic Viewer", "vic@makegood.example", Role::Viewer),
            now(),
        )
        .await
        .unwrap();
    let acme = store
        .create_account(NewAccount {
            name: "Acme".into(),
            parent: None,
            tier: None,
        })
        .await
        .unwrap();
    let globex = store
        .create_account(NewAccount {
            name: "Globex".into(),
            parent: None,
            tier: Some("gold".into()),
        })
        .await
        .unwrap();
    let ann = store.create_contact(contact(acme.id, "Ann")).await.unwrap();
    let bob = store
        .create_contact(contact(globex.id, "Bob"))
        .await
        .unwrap();
    let vendor = store
        .create_vendor(NewVendor {
            name: "HostCo".into(),
            email: None,
        })
        .await
        .unwrap();
    World {
        admin,
        agent,
        viewer,
        acme,
        globex,
        ann,
        bob,
        vendor,
    }
}

pub fn contact(account: AccountId, name: &str) -> NewContact {
    NewContact {
        account,
        name: name.into(),
        role_title: "Controller".into(),
        email: None,
        phone: None,
    }
}

/// A major problem at Acme owned by the agent, detected an hour before [`now`].
pub fn new_problem(w: &World, title: &str) -> NewProblem {
    NewProblem {
        title: title.into(),
        description: "The nightly export stopped.".into(),
        origin: Origin::Ours,
        vendor: None,
        severity: Severity::Major,
        category: "software".into(),
        owner: w.agent.id,
        accounts: vec![w.acme.id],
        stakeholders: vec![w.ann.id],
        detected_at: Some(now() - hours(1)),
        include_locations: false,
        all_stakeholders: false,
    }
}

/// A promise to Ann by the agent, due in `due_in` after [`now`].
pub fn new_promise(w: &World, due_in: SignedDuration) -> NewPromise {
    NewPromise {
        what: "Send the corrected invoices".into(),
        contacts: vec![w.ann.id],
        made_by: w.agent.id,
        problem: None,
        due_at: now() + due_in,
    }
}

/// Asserts `result` is `Invalid` on `field`; returns the message.
#[track_caller]
pub fn invalid<T: std::fmt::Debug>(result: Result<T, StoreError>, field: &str) -> String {
    match result {
        Err(StoreError::Invalid { field: f, message }) if f == field => message,
        other => panic!("expected Invalid on {field}, got {other:?}"),
    }
}

/// Asserts `result` is `Conflict`; returns the message.
#[track_caller]
pub fn conflict<T: std::fmt::Debug>(result: Result<T, StoreError>) -> String {
    match result {
        Err(StoreError::Conflict(message)) => message,
        other => panic!("expected Conflict, got {other:?}"),
    }
}
