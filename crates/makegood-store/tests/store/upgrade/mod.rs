//! Upgrades from every schema version with data in it: seed `k` right after migration `k`
//! for each `k` ≤ N, then the latest schema; the data must read back, nothing may be
//! lost, and new writes must work. The seeds' rules are in `seeds/README.md`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use makegood_domain::{
    AccountId, ContactId, EventKind, MemberId, Origin, ProblemId, PromiseId, PromiseStatus, Role,
    Severity, Status, TokenScope, VendorId,
};
use makegood_store::testing::{
    TestDb, execute_script_for_test, migrate_steps_for_test, migration_names, row_counts_for_test,
};
use makegood_store::{
    Actor, AuditFilter, AuditKind, Backend, NewProblem, PageRequest, RemedyFilter, Store,
};

use crate::common::at;

/// Tables a migration fills from rows already there (search text, "recompute this" marks,
/// default preferences): they may grow during an upgrade; every other table keeps its count.
const BACKFILLED: &[&str] = &[
    "problem_text",
    "report_dirty",
    "health_dirty",
    "member_preferences",
];

fn seed_path(migration: &str) -> PathBuf {
    let version = migration.split('_').next().unwrap_or(migration);
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/store/upgrade/seeds")
        .join(format!("{version}.sql"))
}

/// A database at schema version `n` (1-based) holding seeds 1..=n.
async fn seeded_at(backend: Backend, n: usize) -> TestDb {
    let db = TestDb::unmigrated(backend).await;
    for migration in migration_names().iter().take(n) {
        migrate_steps_for_test(&db.store, 1).await.unwrap();
        let path = seed_path(migration);
        let seed =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if let Err(e) = execute_script_for_test(&db.store, &seed).await {
            panic!("seed {} on {backend:?}: {e}", path.display());
        }
    }
    db
}

async fn upgrade_from(backend: Backend, n: usize) {
    let db = seeded_at(backend, n).await;
    let store = &db.store;
    let before = row_counts_for_test(store).await.unwrap();
    store.migrate().await.unwrap();
    let after = row_counts_for_test(store).await.unwrap();
    nothing_lost(&before, &after);
    assert_eq!(
        after["seaql_migrations"],
        i64::try_from(migration_names().len()).unwrap(),
        "every migration applied"
    );

    reads_back(store, n).await;
    writes_work(store, n).await;
}

/// Every table keeps its rows; only the backfilled ones may gain some.
#[track_caller]
fn nothing_lost(before: &BTreeMap<String, i64>, after: &BTreeMap<String, i64>) {
    for (table, &n) in before {
        let Some(&now) = after.get(table) else {
            panic!("table {table} ({n} rows) is gone after the upgrade");
        };
        if table == "seaql_migrations" {
            continue;
        }
        if BACKFILLED.contains(&table.as_str()) {
            assert!(
                now >= n,
                "{table}: {n} rows before the upgrade, {now} after"
            );
        } else {
            assert_eq!(now, n, "{table}: {n} rows before the upgrade, {now} after");
        }
    }
}

/// What the seeds up to `n` hold, read through the store.
async fn reads_back(store: &Store, n: usize) {
    let now = at("2026-11-10T12:00:00Z");
    let organisation = store
        .organisation()
        .await
        .unwrap()
        .expect("an organisation");
    assert_eq!(organisation.name, "Northwind Consulting");
    let members = store
        .list_members(&PageRequest::default())
        .await
        .unwrap()
        .items;
    let roles: Vec<(&str, Role, bool)> = members
        .iter()
        .map(|m| (m.name.as_str(), m.role, m.active))
        .collect();
    for expected in [
        ("Alex Morgan", Role::Admin, true),
        ("Maya Ortiz", Role::Supervisor, true),
        ("Sam Patel", Role::Agent, true),
        ("Vic Viewer", Role::Viewer, false),
    ] {
        assert!(roles.contains(&expected), "{expected:?} in {roles:?}");
    }
    let leeds = store.account(AccountId(3)).await.unwrap();
    assert_eq!(leeds.name, "Zephyr Leeds");
    assert_eq!(leeds.parent, Some(AccountId(2)));
    let nora = store.contact(ContactId(1)).await.unwrap();
    assert_eq!(nora.name, "Nora Quinn");
    assert_eq!(nora.account, AccountId(1));
    assert_eq!(store.vendor(VendorId(2)).await.unwrap().name, "PayRail");
    let scopes: Vec<(String, TokenScope)> = store
        .list_api_tokens(None)
        .await
        .unwrap()
        .into_iter()
        .map(|t| (t.name, t.scope))
        .collect();
    assert!(
        scopes.contains(&("deploy script".into(), TokenScope::Write)),
        "a token from before scopes may still change things: {scopes:?}"
    );
    assert_eq!(
        scopes.contains(&("wallboard".into(), TokenScope::Read)),
        n >= 15,
        "{scopes:?}"
    );
    let trail: Vec<(AuditKind, String)> = store
        .list_audit(&AuditFilter::default(), &PageRequest::default())
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|e| (e.kind, e.subject))
        .collect();
    let locked = store
        .sign_in_locked("email:maya@northwind.example", at("2026-11-09T08:10:30Z"))
        .await
        .unwrap();
    if n >= 16 {
        assert_eq!(
            trail,
            [
                (AuditKind::SignInFailed, "maya@northwind.example".into()),
                (AuditKind::RoleChanged, "sam@northwind.example".into()),
                (AuditKind::SignIn, "alex@northwind.example".into()),
            ]
        );
        assert_eq!(locked, Some(at("2026-11-09T08:11:00Z")));
    } else {
        assert!(trail.is_empty(), "{trail:?}");
        assert_eq!(locked, None);
    }
    if n < 2 {
        return;
    }

    let mg1 = store.problem(ProblemId(1), now).await.unwrap();
    assert_eq!(
        mg1.problem.title,
        "Invoices exported with the wrong VAT rate"
    );
    assert_eq!(mg1.problem.status, Status::Open);
    assert_eq!(mg1.problem.owner, MemberId(3));
    assert_eq!(mg1.problem.accounts, vec![AccountId(1)]);
    assert_eq!(mg1.problem.stakeholders, vec![ContactId(1)]);
    let mg2 = store.problem(ProblemId(2), now).await.unwrap();
    assert_eq!(mg2.problem.status, Status::Fixed);
    assert_eq!(mg2.problem.origin, Origin::Vendor);
    assert_eq!(mg2.problem.vendor, Some(VendorId(2)));
    assert_eq!(mg2.problem.accounts, vec![AccountId(2), AccountId(3)]);

    let timeline = store
        .timeline(ProblemId(1), &PageRequest::default())
        .await
        .unwrap()
        .items;
    let kinds: Vec<&str> = timeline.iter().map(|e| kind_name(&e.kind)).collect();
    assert_eq!(
        &kinds[..7],
        [
            "created",
            "update",
            "promise_made",
            "promise_made",
            "promise_kept",
            "promise_renegotiated",
            "note"
        ],
        "MG-1's timeline: {kinds:?}"
    );
    let expected_events = 7 + usize::from(n >= 5) + usize::from(n >= 7) + usize::from(n >= 9);
    assert_eq!(timeline.len(), expected_events, "{kinds:?}");

    let statuses: Vec<PromiseStatus> = {
        let mut statuses = Vec::new();
        for id in 1..=5 {
            statuses.push(
                store
                    .promise(PromiseId(id), now)
                    .await
                    .unwrap()
                    .promise
                    .status,
            );
        }
        statuses
    };
    assert_eq!(
        statuses,
        [
            PromiseStatus::Kept,
            PromiseStatus::Renegotiated,
            PromiseStatus::Open,
            PromiseStatus::Broken,
            PromiseStatus::Open,
        ]
    );
    let renegotiated = store.promise(PromiseId(3), now).await.unwrap();
    assert_eq!(renegotiated.promise.contacts, vec![ContactId(1)]);
    assert_eq!(renegotiated.promise.due_at, at("2026-12-21T09:00:00Z"));
    assert_eq!(
        store
            .promise(PromiseId(5), now)
            .await
            .unwrap()
            .promise
            .problem,
        None
    );

    if n >= 7 {
        let remedies = store
            .list_remedies(&RemedyFilter::default(), &PageRequest::default(), now)
            .await
            .unwrap()
            .items;
        assert_eq!(remedies.len(), 2, "{remedies:?}");
    }
    if n >= 10 {
        let mg3 = store.problem(ProblemId(3), now).await.unwrap();
        assert!(mg3.problem.all_stakeholders);
        assert_eq!(mg3.problem.severity, Severity::Minor);
    }
}

fn kind_name(kind: &EventKind) -> &'static str {
    match kind {
        EventKind::Created { .. } => "created",
        EventKind::Update { .. } => "update",
        EventKind::Note { .. } => "note",
        EventKind::PromiseMade { .. } => "promise_made",
        EventKind::PromiseKept => "promise_kept",
        EventKind::PromiseRenegotiated { .. } => "promise_renegotiated",
        _ => "other",
    }
}

/// A new problem and an update on a seeded one: the sequences and indexes are in step.
async fn writes_work(store: &Store, n: usize) {
    let now = at("2026-11-10T12:00:00Z");
    let actor = Actor {
        member: MemberId(3),
        now,
    };
    let created = store
        .create_problem(
            actor,
            NewProblem {
                title: "Portal login loops after the upgrade".into(),
                description: "Found while testing the upgrade.".into(),
                origin: Origin::Ours,
                vendor: None,
                severity: Severity::Major,
                category: "software".into(),
                owner: MemberId(3),
                accounts: vec![AccountId(1)],
                stakeholders: vec![ContactId(1)],
                detected_at: None,
                include_locations: false,
                all_stakeholders: false,
            },
        )
        .await
        .unwrap();
    let seeded_problems = match n {
        0..=1 => 0,
        2..=9 => 2,
        _ => 3,
    };
    assert_eq!(created.problem.id, ProblemId(seeded_problems + 1));
    if n >= 2 {
        let view = store
            .record(
                actor,
                ProblemId(1),
                None,
                EventKind::Update {
                    body: "Nora, the credit note is approved and on its way.".into(),
                },
            )
            .await
            .unwrap();
        assert_eq!(view.problem.id, ProblemId(1));
        let timeline = store
            .timeline(ProblemId(1), &PageRequest::default())
            .await
            .unwrap()
            .items;
        assert!(
            matches!(&timeline.last().unwrap().kind, EventKind::Update { body } if body.contains("approved")),
            "{timeline:?}"
        );
    }
}

/// `from_mNNNN` for each version: on SQLite and on PostgreSQL.
macro_rules! upgrades {
    ($($name:ident = $n:literal),+ $(,)?) => {
        $(
            async fn $name(backend: Backend) {
                upgrade_from(backend, $n).await;
            }
        )+
        makegood_store::backend_tests!($($name),+);
        /// The versions tested, by number.
        const TESTED: &[usize] = &[$($n),+];
    };
}

upgrades!(
    from_m0001 = 1,
    from_m0002 = 2,
    from_m0003 = 3,
    from_m0004 = 4,
    from_m0005 = 5,
    from_m0006 = 6,
    from_m0007 = 7,
    from_m0008 = 8,
    from_m0009 = 9,
    from_m0010 = 10,
    from_m0011 = 11,
    from_m0012 = 12,
    from_m0013 = 13,
    from_m0014 = 14,
    from_m0015 = 15,
    from_m0016 = 16,
);

/// A new migration needs a seed (its data, as the rules in `seeds/README.md` say) and a
/// `from_` line above.
#[test]
fn every_migration_has_a_seed() {
    let names = migration_names();
    let missing: Vec<&String> = names.iter().filter(|m| !seed_path(m).exists()).collect();
    assert!(missing.is_empty(), "no seed file for {missing:?}");
    let expected: Vec<usize> = (1..=names.len()).collect();
    assert_eq!(TESTED, expected, "an upgrade test from every version");
}
