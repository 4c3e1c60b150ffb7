//! Test support behind the `testing` feature: fresh databases and the SQLite × PostgreSQL matrix.
//!
//! A [`TestDb`] is a migrated, empty database that is removed when dropped (also when the
//! test panics): a temporary SQLite file, or a PostgreSQL database with a random name
//! created on `MAKEGOOD_TEST_DATABASE_URL` (default `postgres://postgres@127.0.0.1:5432/test`)
//! and dropped `WITH (FORCE)`. [`backend_tests!`](crate::backend_tests) runs a test on each.

#![expect(
    clippy::unwrap_used,
    reason = "test support: a database that cannot be made should fail the test loudly"
)]

use jiff::Timestamp;

use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, Database, NotSet};

pub use crate::Backend;
use crate::convert::{name_of, to_db};
use crate::db::webhook;
use crate::{Store, WebhookKind};

/// For each `async fn name(backend: Backend)` named, tests `name::sqlite` and
/// `name::postgres`, each calling it with its [`Backend`].
#[macro_export]
macro_rules! backend_tests {
    ($($name:ident),+ $(,)?) => {
        $(
            mod $name {
                #[::tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name($crate::Backend::Sqlite).await;
                }

                #[::tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    super::$name($crate::Backend::Postgres).await;
                }
            }
        )+
    };
}

/// A fresh, migrated database that is removed when dropped.
pub struct TestDb {
    pub store: Store,
    /// The URL it was opened with: for a second [`Store`] or a `makegood` process on it.
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    postgres: Option<(String, String)>,
}

/// The PostgreSQL server tests make their databases on.
fn postgres_base_url() -> String {
    std::env::var("MAKEGOOD_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

/// `url` with its database name replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (without_query, query) = url
        .split_once('?')
        .map_or((url, None), |(a, b)| (a, Some(b)));
    let base = without_query
        .rsplit_once('/')
        .map_or(without_query, |(base, _)| base);
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

impl TestDb {
    /// A fresh database on `backend`.
    pub async fn new(backend: Backend) -> TestDb {
        match backend {
            Backend::Sqlite => Self::sqlite().await,
            Backend::Postgres => Self::postgres().await,
        }
    }

    /// A temporary SQLite file.
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("makegood.db").display());
        let store = Store::connect(&url).await.unwrap();
        store.migrate().await.unwrap();
        TestDb {
            store,
            url,
            _dir: Some(dir),
            postgres: None,
        }
    }

    /// A new PostgreSQL database, dropped with the `TestDb`.
    pub async fn postgres() -> TestDb {
        Self::postgres_on(&postgres_base_url()).await
    }

    /// A new PostgreSQL database on the server of `admin_url`, dropped with the `TestDb`.
    pub async fn postgres_on(admin_url: &str) -> TestDb {
        let admin_url = admin_url.to_owned();
        let name = format!("makegood_test_{:016x}", rand::random::<u64>());
        let admin = match Database::connect(&admin_url).await {
            Ok(admin) => admin,
            Err(e) => panic!("PostgreSQL at MAKEGOOD_TEST_DATABASE_URL ({admin_url}): {e}"),
        };
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .unwrap();
        admin.close().await.unwrap();
        // Made before migrating, so a failing migration still drops the database.
        let url = with_database(&admin_url, &name);
        let db = TestDb {
            store: Store::connect(&url).await.unwrap(),
            url,
            _dir: None,
            postgres: Some((admin_url, name)),
        };
        db.store.migrate().await.unwrap();
        db
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some((admin_url, name)) = self.postgres.take() else {
            return;
        };
        // Best effort, on its own runtime: Drop cannot await on the test's.
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async {
                if let Ok(admin) = Database::connect(&admin_url).await {
                    let _ = admin
                        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .await;
                    let _ = admin.close().await;
                }
            });
        })
        .join();
    }
}

/// Inserts a business calendar directly (the calendars API is the web crate's business);
/// returns its id.
pub async fn insert_calendar_for_test(
    store: &Store,
    name: &str,
    spec: &makegood_domain::CalendarSpec,
) -> crate::Result<i64> {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, NotSet};
    let row = crate::db::calendar::ActiveModel {
        id: NotSet,
        name: Set(name.to_owned()),
        spec: Set(crate::convert::to_json(spec)?),
        created_at: Set(chrono::DateTime::UNIX_EPOCH),
    }
    .insert(&store.db)
    .await
    .map_err(crate::error::from_db)?;
    Ok(row.id)
}

/// Sets a member's preferences and next digest time directly, creating the row if missing.
pub async fn set_preferences_for_test(
    store: &Store,
    member: makegood_domain::MemberId,
    preferences: &makegood_domain::Preferences,
    next_digest_at: Option<jiff::Timestamp>,
) -> crate::Result<()> {
    use crate::db::member_preference;
    use sea_orm::{ActiveValue::Set, EntityTrait, sea_query::OnConflict};
    let row = member_preference::ActiveModel {
        member_id: Set(member.0),
        data: Set(crate::convert::to_json(preferences)?),
        next_digest_at: Set(crate::convert::to_db_opt(next_digest_at)),
    };
    member_preference::Entity::insert(row)
        .on_conflict(
            OnConflict::column(member_preference::Column::MemberId)
                .update_columns([
                    member_preference::Column::Data,
                    member_preference::Column::NextDigestAt,
                ])
                .to_owned(),
        )
        .exec(&store.db)
        .await
        .map_err(crate::error::from_db)?;
    Ok(())
}

/// Inserts an active JSON webhook subscribed to `events` (names; empty for every event)
/// directly; returns its id.
pub async fn insert_webhook_for_test(
    store: &Store,
    name: &str,
    events: &[&str],
) -> crate::Result<i64> {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, NotSet};
    let row = crate::db::webhook::ActiveModel {
        id: NotSet,
        name: Set(name.to_owned()),
        url: Set("http://127.0.0.1:9/hook".to_owned()),
        kind: Set("json".to_owned()),
        secret: Set("secret".to_owned()),
        events: Set(crate::convert::to_json(&events)?),
        allow_private: Set(true),
        active: Set(true),
        created_at: Set(chrono::DateTime::UNIX_EPOCH),
    }
    .insert(&store.db)
    .await
    .map_err(crate::error::from_db)?;
    Ok(row.id)
}

/// Writes `notice` to the outbox as a change would, for tests of delivery and its pages.
pub async fn enqueue_for_test(
    store: &Store,
    notice: &makegood_domain::Notice,
    problem: Option<makegood_domain::ProblemId>,
    now: jiff::Timestamp,
) -> crate::Result<i64> {
    use crate::error::DbResult;
    let txn = store.write().await?;
    let id = crate::outbox::enqueue(&txn, notice, problem, now, now).await?;
    txn.commit().await.db()?;
    Ok(id)
}

/// Adds an active webhook endpoint for every event; returns its id.
pub async fn insert_webhook_endpoint_for_test(
    store: &Store,
    url: &str,
    kind: WebhookKind,
    secret: &str,
    allow_private: bool,
) -> i64 {
    webhook::ActiveModel {
        id: NotSet,
        name: Set("test".into()),
        url: Set(url.into()),
        kind: Set(name_of(&kind)),
        secret: Set(secret.into()),
        events: Set("[]".into()),
        allow_private: Set(allow_private),
        active: Set(true),
        created_at: Set(to_db(Timestamp::UNIX_EPOCH)),
    }
    .insert(&store.db)
    .await
    .unwrap()
    .id
}

/// Records account `id` as red since `now` (score 40, nothing reviewed), as if computed so:
/// for fixtures that need a review owed without the history that would earn it. The next
/// recompute (a write to its problems, or six hours on) replaces it.
pub async fn make_red_for_test(
    store: &Store,
    id: makegood_domain::AccountId,
    now: Timestamp,
) -> crate::Result<()> {
    store.make_red_for_test(id, now).await
}

/// The unfired timers of `subject` (`problem:ID` or `promise:ID`) as (clock, transition, at),
/// ordered: for tests that the stored next deadlines match the clocks the API shows.
pub async fn pending_timers_for_test(
    store: &Store,
    subject: &str,
) -> crate::Result<Vec<(String, String, Timestamp)>> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

    use crate::db::timer;
    use crate::error::DbResult;
    let rows = timer::Entity::find()
        .filter(timer::Column::Subject.eq(subject))
        .filter(timer::Column::FiredAt.is_null())
        .order_by_asc(timer::Column::At)
        .order_by_asc(timer::Column::Id)
        .all(&store.db)
        .await
        .db()?;
    rows.into_iter()
        .map(|r| Ok((r.clock, r.transition, crate::convert::from_db(r.at)?)))
        .collect()
}

/// The upgrade tests' handles on the schema: a database with no migrations yet, one
/// migration at a time, raw SQL (the seed files) and what every table holds.
impl TestDb {
    /// A fresh database on `backend` with nothing in it, not even the schema.
    pub async fn unmigrated(backend: Backend) -> TestDb {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().unwrap();
                let url = format!("sqlite://{}", dir.path().join("makegood.db").display());
                TestDb {
                    store: Store::connect(&url).await.unwrap(),
                    url,
                    _dir: Some(dir),
                    postgres: None,
                }
            }
            Backend::Postgres => {
                let admin_url = postgres_base_url();
                let name = format!("makegood_test_{:016x}", rand::random::<u64>());
                let admin = Database::connect(&admin_url).await.unwrap();
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .unwrap();
                admin.close().await.unwrap();
                let url = with_database(&admin_url, &name);
                TestDb {
                    store: Store::connect(&url).await.unwrap(),
                    url,
                    _dir: None,
                    postgres: Some((admin_url, name)),
                }
            }
        }
    }
}

/// The names of the migrations, oldest first (also the schema versions).
pub fn migration_names() -> Vec<String> {
    crate::backup::schema_versions()
}

/// Applies the next `steps` pending migrations, as an older release would have.
pub async fn migrate_steps_for_test(store: &Store, steps: u32) -> crate::Result<()> {
    use crate::error::DbResult;
    use sea_orm_migration::MigratorTrait;
    crate::migration::Migrator::up(&store.db, Some(steps))
        .await
        .db()
}

/// Runs a script of `;`-terminated statements (`--` comments allowed), one statement at a
/// time, in one transaction.
pub async fn execute_script_for_test(store: &Store, script: &str) -> crate::Result<()> {
    use crate::error::DbResult;
    use sea_orm::TransactionTrait;
    let txn = store.db.begin().await.db()?;
    for statement in split_statements(script) {
        txn.execute_unprepared(&statement)
            .await
            .map_err(|e| crate::StoreError::Database(format!("{e}\nin: {statement}")))?;
    }
    txn.commit().await.db()
}

/// The statements of a script: `;` at the end of a line ends one; `--` lines are comments.
fn split_statements(script: &str) -> Vec<String> {
    let mut statements = Vec::new();
    let mut current = String::new();
    for line in script.lines() {
        if line.trim_start().starts_with("--") {
            continue;
        }
        current.push_str(line);
        current.push('\n');
        if line.trim_end().ends_with(';') {
            statements.push(std::mem::take(&mut current));
        }
    }
    if !current.trim().is_empty() {
        statements.push(current);
    }
    statements
}

/// The number of rows in every table of the schema (SQLite's FTS shadow tables and
/// internal tables left out), by name.
pub async fn row_counts_for_test(
    store: &Store,
) -> crate::Result<std::collections::BTreeMap<String, i64>> {
    use crate::error::DbResult;
    use sea_orm::{DbBackend, Statement};
    let list = match store.backend {
        Backend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             AND name NOT LIKE 'problem_text_fts%'"
        }
        Backend::Postgres => {
            "SELECT table_name::text AS name FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        }
    };
    let backend = match store.backend {
        Backend::Sqlite => DbBackend::Sqlite,
        Backend::Postgres => DbBackend::Postgres,
    };
    let rows = store
        .db
        .query_all_raw(Statement::from_string(backend, list))
        .await
        .db()?;
    let mut counts = std::collections::BTreeMap::new();
    for row in rows {
        let name: String = row.try_get("", "name").db()?;
        let count = store
            .db
            .query_one_raw(Statement::from_string(
                backend,
                format!("SELECT COUNT(*) AS n FROM \"{name}\""),
            ))
            .await
            .db()?
            .map(|r| r.try_get::<i64>("", "n"))
            .transpose()
            .db()?
            .unwrap_or(0);
        counts.insert(name, count);
    }
    Ok(counts)
}
