//! The fan-out workload: one customer-visible update on a problem affecting a franchise
//! network and all its locations, emailed to every contact of every location.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, ensure};
use jiff::{SignedDuration, Timestamp};
use makegood_domain::{Currency, Email, EventKind, Money, Origin, Role, Severity};
use makegood_store::{
    Actor, DeliveryFilter, LocationContact, NewAccount, NewLocation, NewMember, NewProblem,
    PageRequest, Store,
};

/// The dataset: a network of `locations` locations sharing `stakeholders` contacts, each
/// with an email address.
#[derive(Clone, Copy, Debug)]
pub struct Dataset {
    pub locations: usize,
    pub stakeholders: usize,
}

/// A network on `store` with one problem affecting it all, every contact a stakeholder.
pub struct Incident {
    pub actor: Actor,
    pub problem: makegood_domain::ProblemId,
}

/// A fixed "now": the benchmark never reads the wall clock for the data it writes.
pub fn start() -> Timestamp {
    "2026-01-05T09:00:00Z"
        .parse()
        .unwrap_or(Timestamp::UNIX_EPOCH)
}

/// Builds the dataset on a fresh `store` through the store's own API.
pub async fn build(store: &Store, data: Dataset) -> Result<Incident> {
    ensure!(data.locations > 0, "at least one location");
    let now = start();
    let admin = store
        .initialise(
            "Bench Ltd",
            NewMember {
                name: "Ada Admin".into(),
                email: Email::parse("ada@bench.example")?,
                role: Role::Admin,
                remedy_authority: Money::new(100_000, Currency::new("EUR")?),
                time_zone: "Europe/Berlin".into(),
                password_hash: None,
            },
            now,
        )
        .await
        .context("initialise")?;
    let parent = store
        .create_account(NewAccount {
            name: "Franchise Network".into(),
            parent: None,
            tier: Some("gold".into()),
        })
        .await?;
    let mut locations: Vec<NewLocation> = (0..data.locations)
        .map(|i| NewLocation {
            name: format!("Location {i:05}"),
            tier: None,
            contacts: Vec::new(),
        })
        .collect();
    for i in 0..data.stakeholders {
        locations[i % data.locations]
            .contacts
            .push(LocationContact {
                name: format!("Contact {i}"),
                role_title: "Store manager".into(),
                email: Some(Email::parse(&format!("contact{i}@locations.example"))?),
                phone: None,
            });
    }
    store.import_locations(parent.id, locations).await?;
    let actor = Actor {
        member: admin.id,
        now,
    };
    let problem = store
        .create_problem(
            actor,
            NewProblem {
                title: "Card terminals down at every location".into(),
                description: "The payment vendor's outage".into(),
                origin: Origin::Ours,
                vendor: None,
                severity: Severity::Critical,
                category: "payments".into(),
                owner: admin.id,
                accounts: vec![parent.id],
                stakeholders: Vec::new(),
                detected_at: None,
                include_locations: true,
                all_stakeholders: true,
            },
        )
        .await?
        .problem
        .id;
    Ok(Incident { actor, problem })
}

/// Times `repetitions` updates, each the one store call that records it and queues its
/// emails; checks each queued one email per stakeholder.
pub async fn run(
    store: &Store,
    incident: &Incident,
    data: Dataset,
    repetitions: usize,
) -> Result<Vec<Duration>> {
    let mut times = Vec::with_capacity(repetitions);
    for i in 0..repetitions {
        let minutes = i64::try_from(i + 1)?;
        let actor = Actor {
            now: incident.actor.now + SignedDuration::from_mins(minutes),
            ..incident.actor
        };
        let update = EventKind::Update {
            body: format!(
                "Update {}: the vendor is restoring service, location by location.",
                i + 1
            ),
        };
        let began = Instant::now();
        store.record(actor, incident.problem, None, update).await?;
        times.push(began.elapsed());
    }
    let queued = count(store, incident).await?;
    ensure!(
        queued == data.stakeholders * repetitions,
        "expected {} emails, found {queued}",
        data.stakeholders * repetitions
    );
    Ok(times)
}

/// The emails queued about the incident.
async fn count(store: &Store, incident: &Incident) -> Result<usize> {
    let filter = DeliveryFilter {
        problem: Some(incident.problem),
        ..DeliveryFilter::default()
    };
    let mut cursor = None;
    let mut n = 0;
    loop {
        let page = store
            .list_deliveries(
                &filter,
                &PageRequest {
                    cursor,
                    limit: Some(200),
                },
            )
            .await?;
        n += page.items.len();
        cursor = page.next_cursor;
        if cursor.is_none() {
            return Ok(n);
        }
    }
}
