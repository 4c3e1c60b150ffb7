//! The benchmarks' dataset: an organisation's three years of problems written with bulk SQL
//! (fast), shaped like real work, on SQLite or PostgreSQL.
//!
//! Every problem's timeline is folded by the domain's own functions, so the materialised
//! columns (status, outcome, the report columns) are exactly what the store would have
//! written event by event. Titles, updates and notes go into the text-search table as the
//! store writes them; every problem has a pending timer far ahead (the open clocks the
//! scheduler must look past).

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use indicatif::{ProgressBar, ProgressStyle};
use jiff::{SignedDuration, Timestamp};
use makegood_domain::report::cadence::Materialised;
use makegood_domain::{
    Calendar, Currency, Email, EventKind, Member, Money, Origin, Outcome, Policies, ProblemState,
    Role, Severity, WaitingOn,
};
use makegood_store::{NewMember, NewVendor, Store};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement, Value,
};

/// How big a dataset to build.
#[derive(Clone, Copy, Debug)]
pub struct Dataset {
    pub problems: usize,
    /// "Now": the dataset's history ends here.
    pub now: Timestamp,
}

/// A small deterministic generator (SplitMix64): the same dataset every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo).max(1) as u64) as i64
    }

    /// True with probability `percent`%.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    /// Minutes spread over orders of magnitude between `lo` and `hi` (log-uniform).
    fn minutes(&mut self, lo: i64, hi: i64) -> i64 {
        let (a, b) = ((lo.max(1) as f64).ln(), (hi as f64).ln());
        let x = a + (self.next() % 10_000) as f64 / 10_000.0 * (b - a);
        x.exp() as i64
    }
}

fn db(t: Timestamp) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(t.as_microsecond()).unwrap_or_default()
}

fn ts(v: Timestamp) -> Value {
    Value::from(db(v))
}

fn opt(v: Option<Timestamp>) -> Value {
    Value::from(v.map(db))
}

/// Rows for one table, inserted in statements under SQLite's 32,766 bound values
/// (PostgreSQL allows 65,535).
struct Table {
    head: &'static str,
    columns: usize,
    values: Vec<Value>,
    backend: DbBackend,
}

impl Table {
    fn new(backend: DbBackend, head: &'static str, columns: usize) -> Table {
        Table {
            head,
            columns,
            values: Vec::new(),
            backend,
        }
    }

    fn placeholders(&self, rows: usize) -> String {
        let mut sql = String::with_capacity(rows * self.columns * 4);
        for r in 0..rows {
            sql.push_str(if r == 0 { "(" } else { ",(" });
            for c in 0..self.columns {
                if c > 0 {
                    sql.push(',');
                }
                match self.backend {
                    DbBackend::Postgres => {
                        sql.push('$');
                        sql.push_str(&(r * self.columns + c + 1).to_string());
                    }
                    _ => sql.push('?'),
                }
            }
            sql.push(')');
        }
        sql
    }

    fn row(&mut self, row: Vec<Value>) {
        debug_assert_eq!(row.len(), self.columns);
        self.values.extend(row);
    }

    async fn flush(&mut self, c: &DatabaseConnection) -> Result<()> {
        let per = match self.backend {
            DbBackend::Postgres => 65_000,
            _ => 32_000,
        } / self.columns;
        let values = std::mem::take(&mut self.values);
        for chunk in values.chunks(per * self.columns) {
            let rows = chunk.len() / self.columns;
            let sql = format!("{} VALUES {}", self.head, self.placeholders(rows));
            c.execute_raw(Statement::from_sql_and_values(
                self.backend,
                sql,
                chunk.to_vec(),
            ))
            .await
            .with_context(|| format!("bulk insert: {}", self.head))?;
        }
        Ok(())
    }
}

const SEVERITIES: [(Severity, &str, u64); 3] = [
    (Severity::Critical, "critical", 10),
    (Severity::Major, "major", 40),
    (Severity::Minor, "minor", 50),
];
const ORIGINS: [(Origin, &str); 4] = [
    (Origin::Ours, "ours"),
    (Origin::Customer, "customer"),
    (Origin::Vendor, "vendor"),
    (Origin::Unknown, "unknown"),
];
const OUTCOMES: [(Outcome, &str); 5] = [
    (Outcome::Advocate, "advocate"),
    (Outcome::Retained, "retained"),
    (Outcome::AtRisk, "at_risk"),
    (Outcome::Lost, "lost"),
    (Outcome::Unknown, "unknown"),
];
const CATEGORIES: [&str; 6] = [
    "software", "network", "billing", "delivery", "hardware", "data",
];

fn progress(len: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(len);
    bar.set_style(
        ProgressStyle::with_template("{msg:>10} [{bar:40}] {pos}/{len} ({eta} left)")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message(what.to_owned());
    bar
}

/// The admin's email: the benchmarks sign in as her.
pub const ADMIN_EMAIL: &str = "member0@makegood.example";

fn member(name: &str, i: usize, role: Role) -> Result<NewMember> {
    Ok(NewMember {
        name: name.to_owned(),
        email: Email::parse(&format!("member{i}@makegood.example"))?,
        role,
        remedy_authority: Money::new(1_000_000, Currency::new("EUR")?),
        time_zone: "Europe/Berlin".to_owned(),
        password_hash: None,
    })
}

/// The organisation the dataset belongs to: 40 members (the first an admin in
/// Europe/Berlin) and one vendor. Returns the members.
pub async fn organisation(store: &Store, now: Timestamp) -> Result<Vec<Member>> {
    let admin = store
        .initialise("Bench Ltd", member("Ada Admin", 0, Role::Admin)?, now)
        .await?;
    let mut members = vec![admin];
    for i in 1..40 {
        members.push(
            store
                .create_member(member(&format!("Agent {i}"), i, Role::Agent)?, now)
                .await?,
        );
    }
    store
        .create_vendor(NewVendor {
            name: "HostCo".into(),
            email: None,
        })
        .await?;
    Ok(members)
}

/// The words problem titles are made of: 5 % of them mention a printer (the peers' search).
const PRODUCTS: [&str; 20] = [
    "booking site",
    "invoice run",
    "mail relay",
    "VPN gateway",
    "payroll export",
    "CRM sync",
    "phone system",
    "backup job",
    "web shop",
    "SSO login",
    "data warehouse",
    "POS terminal",
    "file share",
    "ticket kiosk",
    "inventory feed",
    "laptop fleet",
    "Wi-Fi",
    "reporting portal",
    "label service",
    "delivery app",
];
const SYMPTOMS: [&str; 6] = [
    "down",
    "slow",
    "failing",
    "timing out",
    "showing errors",
    "out of sync",
];

fn title(rng: &mut Rng) -> String {
    if rng.chance(5) {
        format!(
            "Printer {}",
            SYMPTOMS[rng.range(0, SYMPTOMS.len() as i64) as usize]
        )
    } else {
        format!(
            "{} {}",
            PRODUCTS[rng.range(0, PRODUCTS.len() as i64) as usize],
            SYMPTOMS[rng.range(0, SYMPTOMS.len() as i64) as usize]
        )
    }
}

/// The tables whose ids the dataset writes itself: PostgreSQL's sequences are moved past them.
const OWN_IDS: [&str; 5] = ["accounts", "contacts", "problems", "promises", "events"];

/// Builds the dataset on the database at `url` (already migrated, organisation set up with
/// `members` and vendor 1): accounts with contacts, problems with ~10-event timelines,
/// promises in every state, remedies, preventions, recurrences and surveys, the search text
/// and one pending timer per problem. Returns the accounts' ids.
pub async fn build(url: &str, members: &[Member], data: Dataset) -> Result<Vec<i64>> {
    // One connection, so the session settings below hold for every statement.
    let mut options = ConnectOptions::new(url);
    options.max_connections(1).sqlx_logging(false);
    let c = Database::connect(options)
        .await
        .context("open the dataset")?;
    let b = c.get_database_backend();
    match b {
        // Speed for the load only: the benchmarks run on the store's own settings.
        DbBackend::Sqlite => c.execute_unprepared("PRAGMA synchronous = OFF").await?,
        _ => c.execute_unprepared("SET synchronous_commit = off").await?,
    };
    let mut rng = Rng(7);
    let policies = Policies::default();
    let calendar = Calendar::around_the_clock();
    let accounts_n = (data.problems / 200).max(20);

    let mut accounts = Table::new(b, "INSERT INTO accounts (id, name, parent_id, tier)", 4);
    let mut contacts = Table::new(
        b,
        "INSERT INTO contacts (id, account_id, name, role_title, email, phone)",
        6,
    );
    for a in 1..=accounts_n as i64 {
        accounts.row(vec![
            a.into(),
            format!("Account {a}").into(),
            Value::from(None::<i64>),
            Value::from(None::<String>),
        ]);
        for k in 0..3i64 {
            let id = a * 3 + k;
            contacts.row(vec![
                id.into(),
                a.into(),
                format!("Contact {id}").into(),
                "Controller".into(),
                Value::from(Some(format!("c{id}@example.test"))),
                Value::from(None::<String>),
            ]);
        }
    }
    accounts.flush(&c).await?;
    contacts.flush(&c).await?;

    let mut problems = Table::new(
        b,
        "INSERT INTO problems (id, title, description, origin, vendor_id, severity, category, \
         owner_id, detected_at, created_at, status, outcome, version, next_warn_at, next_due_at, \
         all_stakeholders, follow_up_at, tell_stopped_at, tell_due_at, fix_stopped_at, \
         fix_due_at, closed_at, cadence)",
        23,
    );
    let mut links = Table::new(
        b,
        "INSERT INTO problem_accounts (problem_id, account_id, position)",
        3,
    );
    let mut stakeholders = Table::new(
        b,
        "INSERT INTO problem_stakeholders (problem_id, contact_id, position)",
        3,
    );
    let mut events = Table::new(
        b,
        "INSERT INTO events (id, problem_id, promise_id, at, actor_id, kind, data)",
        7,
    );
    let mut texts = Table::new(
        b,
        "INSERT INTO problem_text (problem_id, event_id, body)",
        3,
    );
    let mut timers = Table::new(
        b,
        "INSERT INTO timers (subject, problem_id, promise_id, clock, transition, at, due_at, \
         fired_at)",
        8,
    );
    let mut promises = Table::new(
        b,
        "INSERT INTO promises (id, what, made_by, problem_id, made_at, due_at, status, ended_at, \
         reason, renegotiated_from, renegotiated_to, version, warn_at)",
        13,
    );
    let mut promise_contacts = Table::new(
        b,
        "INSERT INTO promise_contacts (promise_id, contact_id, position)",
        3,
    );
    let mut remedies = Table::new(
        b,
        "INSERT INTO remedies (problem_id, kind, description, currency, cost_minor, vendor_id, \
         vendor_share_minor, vendor_share_received, vendor_share_received_at, net_minor, \
         proposed_by, proposed_at, approval_required, status, approval_warn_at, approval_due_at, \
         decided_by, decided_at, reason, delivered_at, version)",
        21,
    );
    let mut preventions = Table::new(
        b,
        "INSERT INTO preventions (problem_id, root_cause, cause_category, corrective_action, \
         owner_id, opened_at, due_at, warn_at, check_after_days, status, done_at, check_at, \
         checked_at, checks, created_at, version)",
        16,
    );
    let mut recurrences = Table::new(
        b,
        "INSERT INTO recurrences (problem_id, earlier_id, prevention_id, basis, category, flagged_at)",
        6,
    );
    let mut surveys = Table::new(
        b,
        "INSERT INTO surveys (problem_id, contact_id, sent_at, answered_at, rating, recommend, \
         comment, sentiment)",
        8,
    );

    let span_minutes = 3 * 365 * 24 * 60;
    let start = data.now - SignedDuration::from_mins(span_minutes);
    let mut promise_id = 0i64;
    let mut event_id = 0i64;
    let bar = progress(data.problems as u64, "problems");
    for p in 1..=data.problems as i64 {
        let pick = rng.range(0, 100) as u64;
        let (severity, severity_name) = if pick < SEVERITIES[0].2 {
            (SEVERITIES[0].0, SEVERITIES[0].1)
        } else if pick < SEVERITIES[0].2 + SEVERITIES[1].2 {
            (SEVERITIES[1].0, SEVERITIES[1].1)
        } else {
            (SEVERITIES[2].0, SEVERITIES[2].1)
        };
        let (origin, origin_name) =
            ORIGINS[[0, 0, 0, 0, 0, 1, 1, 2, 2, 3][rng.range(0, 10) as usize]];
        let owner = members[rng.range(0, members.len() as i64) as usize].id.0;
        let account = rng.range(1, accounts_n as i64 + 1);
        let contact = account * 3 + rng.range(0, 3);
        let category = CATEGORIES[rng.range(0, CATEGORIES.len() as i64) as usize];
        let title = title(&mut rng);
        let detected = start + SignedDuration::from_mins(rng.range(0, span_minutes));
        let created = detected + SignedDuration::from_mins(rng.range(1, 30));
        let policy = policies.get(severity);

        // The timeline.
        let mut timeline: Vec<(Timestamp, EventKind, Option<i64>)> = Vec::with_capacity(12);
        let push = |t: &mut Vec<_>, at: Timestamp, k: EventKind, promise: Option<i64>| {
            if at <= data.now {
                t.push((at, k, promise));
            }
        };
        push(
            &mut timeline,
            created,
            EventKind::Created {
                title: title.clone(),
                severity,
            },
            None,
        );
        let mut at =
            detected + SignedDuration::from_mins(rng.minutes(5, policy.tell_within_minutes * 2));
        let at_first = at.max(created);
        at = at_first;
        push(
            &mut timeline,
            at,
            EventKind::Update {
                body: "We are on it".into(),
            },
            None,
        );
        // A promise at the first update.
        promise_id += 1;
        let made = at;
        let due = made + SignedDuration::from_mins(rng.minutes(60, 72 * 60));
        let lead = ((due.as_second() - made.as_second()) / 60 / 5).max(60);
        let warn = (due - SignedDuration::from_mins(lead)).max(made);
        let fate = rng.range(0, 100);
        let (status, ended) = if due > data.now && fate < 60 {
            ("open", None)
        } else if fate < 70 {
            (
                "kept",
                Some(
                    made + SignedDuration::from_mins(
                        (due.as_second() - made.as_second()) / 60 * 3 / 4,
                    ),
                ),
            )
        } else if fate < 80 {
            ("renegotiated", Some(made + SignedDuration::from_mins(30)))
        } else if fate < 85 {
            ("released", Some(made + SignedDuration::from_mins(45)))
        } else {
            ("broken", Some(due))
        };
        let (status, ended) = match ended {
            Some(e) if e > data.now => ("open", None),
            other => (status, other),
        };
        let own_promise = if rng.chance(10) { None } else { Some(p) };
        push(
            &mut timeline,
            made,
            EventKind::PromiseMade {
                what: "A fix".into(),
                due_at: due,
            },
            Some(promise_id),
        );
        if let Some(e) = ended {
            let kind = match status {
                "kept" => EventKind::PromiseKept,
                "released" => EventKind::PromiseReleased {
                    reason: "Not needed".into(),
                },
                "broken" => EventKind::PromiseBroken { due_at: due },
                _ => EventKind::Note {
                    body: "Renegotiated".into(),
                },
            };
            push(&mut timeline, e, kind, Some(promise_id));
        }
        promises.row(vec![
            promise_id.into(),
            "A fix".into(),
            owner.into(),
            Value::from(own_promise),
            ts(made),
            ts(due),
            status.into(),
            opt(ended),
            Value::from(
                (status == "released" || status == "renegotiated").then(|| "agreed".to_owned()),
            ),
            Value::from(None::<i64>),
            Value::from(None::<i64>),
            1i64.into(),
            ts(warn),
        ]);
        promise_contacts.row(vec![promise_id.into(), contact.into(), 0i32.into()]);

        let updates = rng.range(1, 5);
        let mut waited = false;
        for _ in 0..updates {
            at += SignedDuration::from_mins(rng.minutes(30, policy.update_every_minutes * 2));
            if !waited && rng.chance(20) {
                waited = true;
                push(
                    &mut timeline,
                    at,
                    EventKind::Waiting {
                        on: WaitingOn::Customer,
                        reason: String::new(),
                    },
                    None,
                );
                at += SignedDuration::from_mins(rng.minutes(30, 24 * 60));
                push(&mut timeline, at, EventKind::Resumed, None);
            }
            push(
                &mut timeline,
                at,
                EventKind::Update {
                    body: "Progress".into(),
                },
                None,
            );
            if rng.chance(40) {
                push(
                    &mut timeline,
                    at + SignedDuration::from_mins(5),
                    EventKind::Note {
                        body: "Internal".into(),
                    },
                    None,
                );
                at += SignedDuration::from_mins(5);
            }
        }
        at += SignedDuration::from_mins(rng.minutes(30, policy.fix_within_minutes));
        let fixed_at = at;
        push(
            &mut timeline,
            at,
            EventKind::Fixed {
                summary: String::new(),
            },
            None,
        );
        at += SignedDuration::from_mins(rng.minutes(60, 7 * 24 * 60));
        let closing = rng.chance(85);
        let (outcome, outcome_name) = OUTCOMES[[0, 1, 1, 1, 1, 2, 3, 4][rng.range(0, 8) as usize]];
        if closing {
            push(&mut timeline, at, EventKind::Closed { outcome }, None);
        }
        let closed_at = at;
        timeline.sort_by_key(|(t, _, _)| *t);

        let problem_events: Vec<(Timestamp, &EventKind)> = timeline
            .iter()
            .filter(|(_, _, promise)| promise.is_none() || own_promise.is_some())
            .map(|(t, k, _)| (*t, k))
            .collect();
        let (m, state) = Materialised::of_timeline(problem_events, detected, policy, &calendar)
            .unwrap_or_else(|_| (Materialised::default(), ProblemState::new()));
        let status_name = serde_json::to_value(state.status)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_else(|| "open".to_owned());
        let cadence: Vec<(i64, bool)> = m
            .cadence
            .iter()
            .map(|(t, met)| (t.as_microsecond(), *met))
            .collect();
        // A fix clock still running has its deadline as the problem's next one.
        let next_due = (m.fix.is_none() && m.closed_at.is_none())
            .then(|| detected + SignedDuration::from_mins(policy.fix_within_minutes));
        problems.row(vec![
            p.into(),
            title.clone().into(),
            "Generated".into(),
            origin_name.into(),
            Value::from((origin == Origin::Vendor).then_some(1i64)),
            severity_name.into(),
            category.into(),
            owner.into(),
            ts(detected),
            ts(created),
            status_name.into(),
            Value::from(state.outcome.map(|_| outcome_name.to_owned())),
            i64::try_from(timeline.len()).unwrap_or(1).into(),
            Value::from(None::<DateTime<Utc>>),
            opt(next_due),
            false.into(),
            Value::from(None::<DateTime<Utc>>),
            opt(m.tell.map(|s| s.at)),
            opt(m.tell.and_then(|s| s.due)),
            opt(m.fix.map(|s| s.at)),
            opt(m.fix.and_then(|s| s.due)),
            opt(m.closed_at),
            Value::from(Some(
                serde_json::to_string(&cadence).unwrap_or_else(|_| "[]".into()),
            )),
        ]);
        links.row(vec![p.into(), account.into(), 0i32.into()]);
        stakeholders.row(vec![p.into(), contact.into(), 0i32.into()]);
        texts.row(vec![p.into(), Value::from(None::<i64>), title.into()]);
        // A pending timer 30 to 60 days ahead: an open clock the scheduler must look past.
        let pending = data.now + SignedDuration::from_secs(30 * 86_400 + p % (30 * 86_400));
        timers.row(vec![
            format!("problem:{p}").into(),
            p.into(),
            Value::from(None::<i64>),
            "fix".into(),
            "warning".into(),
            ts(pending),
            ts(pending + SignedDuration::from_hours(1)),
            Value::from(None::<DateTime<Utc>>),
        ]);
        for (t, k, promise) in &timeline {
            let promise_on_problem = promise.is_some() && own_promise.is_none();
            event_id += 1;
            if let (EventKind::Update { body } | EventKind::Note { body }, false) =
                (k, promise_on_problem)
            {
                texts.row(vec![p.into(), event_id.into(), body.clone().into()]);
            }
            events.row(vec![
                event_id.into(),
                Value::from((!promise_on_problem).then_some(p)),
                Value::from(*promise),
                ts(*t),
                owner.into(),
                k.name().into(),
                serde_json::to_string(k).unwrap_or_default().into(),
            ]);
        }

        // Remedies, preventions, recurrences, surveys.
        if rng.chance(20) && fixed_at <= data.now {
            let cost = rng.range(10, 500) * 100;
            let approval = rng.chance(15);
            let rejected = approval && rng.chance(20);
            let proposed = fixed_at;
            let decided =
                approval.then(|| proposed + SignedDuration::from_mins(rng.minutes(10, 24 * 60)));
            let delivered = (!rejected && rng.chance(85)).then(|| {
                decided.unwrap_or(proposed) + SignedDuration::from_mins(rng.range(60, 3000))
            });
            let delivered = delivered.filter(|d| *d <= data.now);
            let share = (origin == Origin::Vendor).then_some(cost / 3);
            let received = share.is_some() && rng.chance(50);
            let status = if rejected {
                "rejected"
            } else if delivered.is_some() {
                "delivered"
            } else {
                "approved"
            };
            remedies.row(vec![
                p.into(),
                "refund".into(),
                "Refund".into(),
                "EUR".into(),
                cost.into(),
                Value::from(share.map(|_| 1i64)),
                Value::from(share),
                received.into(),
                opt(received.then(|| delivered.unwrap_or(proposed))),
                (cost - share.unwrap_or(0)).into(),
                owner.into(),
                ts(proposed),
                approval.into(),
                status.into(),
                opt(approval.then_some(proposed)),
                opt(approval.then(|| proposed + SignedDuration::from_hours(24))),
                Value::from(decided.map(|_| members[0].id.0)),
                opt(decided.filter(|d| *d <= data.now)),
                Value::from(rejected.then(|| "Too much".to_owned())),
                opt(delivered),
                1i64.into(),
            ]);
        }
        if rng.chance(10) && fixed_at <= data.now {
            let due = fixed_at + SignedDuration::from_hours(24 * 14);
            let done = rng
                .chance(70)
                .then(|| fixed_at + SignedDuration::from_hours(rng.range(24, 24 * 20)))
                .filter(|d| *d <= data.now);
            let checked = done
                .map(|d| d + SignedDuration::from_hours(24 * 30))
                .filter(|c| *c <= data.now);
            let effective = rng.chance(80);
            let checks = match (done, checked) {
                (Some(d), Some(c)) => serde_json::json!([{ "done_at": d, "checked_at": c, "effective": effective, "note": if effective { serde_json::Value::Null } else { "Again".into() } }]).to_string(),
                _ => "[]".to_owned(),
            };
            let status = match (done, checked) {
                (Some(_), Some(_)) if effective => "effective",
                (Some(_), Some(_)) => "open",
                (Some(_), None) => "done",
                _ => "open",
            };
            preventions.row(vec![
                p.into(),
                "A cause".into(),
                category.into(),
                "An action".into(),
                owner.into(),
                ts(fixed_at),
                ts(due),
                ts(due - SignedDuration::from_hours(24)),
                30i64.into(),
                status.into(),
                opt(done.filter(|_| status != "open")),
                opt(done
                    .filter(|_| status == "done")
                    .map(|d| d + SignedDuration::from_hours(24 * 30))),
                opt(checked),
                checks.into(),
                ts(fixed_at),
                1i64.into(),
            ]);
        }
        if p > 10 && rng.chance(5) {
            recurrences.row(vec![
                p.into(),
                (p - rng.range(1, 10)).into(),
                Value::from(None::<i64>),
                "category".into(),
                category.into(),
                ts(created),
            ]);
        }
        if closing && closed_at <= data.now && rng.chance(30) {
            let sent = closed_at + SignedDuration::from_hours(72);
            let answered = rng
                .chance(60)
                .then(|| sent + SignedDuration::from_hours(rng.range(1, 96)))
                .filter(|a| *a <= data.now);
            if sent <= data.now {
                surveys.row(vec![
                    p.into(),
                    contact.into(),
                    ts(sent),
                    opt(answered),
                    Value::from(answered.map(|_| rng.range(1, 6) as i16)),
                    Value::from(answered.map(|_| rng.range(0, 11) as i16)),
                    Value::from(None::<String>),
                    Value::from(None::<i16>),
                ]);
            }
        }

        if p % 5_000 == 0 || p == data.problems as i64 {
            for t in [
                &mut problems,
                &mut links,
                &mut stakeholders,
                &mut promises,
                &mut promise_contacts,
                &mut events,
                &mut texts,
                &mut timers,
                &mut remedies,
                &mut preventions,
                &mut recurrences,
                &mut surveys,
            ] {
                t.flush(&c).await?;
            }
            bar.set_position(p as u64);
        }
    }
    bar.finish();
    if b == DbBackend::Postgres {
        for table in OWN_IDS {
            c.execute_unprepared(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                 (SELECT COALESCE(MAX(id), 1) FROM {table}))"
            ))
            .await?;
        }
        // What autovacuum would do soon after a load this size.
        c.execute_unprepared("ANALYZE").await?;
    }
    Ok((1..=accounts_n as i64).collect())
}
