//! Bringing the aggregates up to date: recounting dirty subjects (their new contributions
//! minus their old ones, added to the counts), and rebuilding everything from the tables.

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use makegood_domain::report::facts::{Scope, Subject, contributions};
use makegood_domain::report::tally::{self, Item, Key, Tally, Value, label_key};
use sea_orm::{ConnectionTrait, DbBackend};

use super::sql::{Sql, int};
use super::{load, zone};
use crate::clocks::Rules;
use crate::error::DbResult;
use crate::{Result, Store};

/// Subjects recounted per transaction.
const BATCH: u64 = 500;
/// Rows per multi-row INSERT.
const ROWS: usize = 400;

/// Recounts up to `limit` dirty subjects at `now`, a batch per transaction; returns how many.
/// Safe with several processes: PostgreSQL claims rows with `FOR UPDATE SKIP LOCKED`, SQLite
/// writes one at a time; a write marking a subject dirty meanwhile waits on (or is skipped
/// with) the claimed row, so no change is ever lost.
pub(crate) async fn drain(store: &Store, now: Timestamp, limit: u64) -> Result<usize> {
    let mut done = 0usize;
    loop {
        let txn = store.write().await?;
        let Some(tz) = zone::built(&txn).await? else {
            // Never built (or built in another zone): the next report rebuilds.
            txn.commit().await.db()?;
            return Ok(done);
        };
        let take = BATCH.min(limit.saturating_sub(done as u64));
        if take == 0 {
            txn.commit().await.db()?;
            return Ok(done);
        }
        let mut sql = Sql::new(&txn);
        sql.push("SELECT subject FROM report_dirty ORDER BY subject LIMIT ");
        let l = sql.bind(i64::try_from(take).unwrap_or(i64::MAX));
        sql.push(&l);
        if txn.get_database_backend() == DbBackend::Postgres {
            sql.push(" FOR UPDATE SKIP LOCKED");
        }
        let subjects: Vec<i64> = sql
            .all(&txn)
            .await?
            .iter()
            .map(|r| int(r, 0))
            .collect::<Result<_>>()?;
        if subjects.is_empty() {
            txn.commit().await.db()?;
            return Ok(done);
        }
        recount(&txn, &subjects, &tz, now).await?;
        txn.commit().await.db()?;
        done += subjects.len();
        if (subjects.len() as u64) < take {
            return Ok(done);
        }
    }
}

/// Recounts `subjects` in the caller's transaction and clears their dirty marks.
async fn recount<C: ConnectionTrait>(
    c: &C,
    subjects: &[i64],
    tz: &TimeZone,
    now: Timestamp,
) -> Result<()> {
    let rules = Rules::load(c).await?;
    let facts = load::subjects(c, subjects, &rules).await?;
    let old = stored(c, subjects).await?;
    let scope = Scope {
        zone: tz,
        now,
        account: None,
    };
    let mut delta = Tally::default();
    let mut new: BTreeMap<i64, Vec<Item>> = BTreeMap::new();
    for (id, subject) in &facts {
        new.insert(*id, contributions(subject, &scope));
    }
    for id in subjects {
        let before = old.get(id).map(Vec::as_slice).unwrap_or(&[]);
        let after = new.get(id).map(Vec::as_slice).unwrap_or(&[]);
        if before == after {
            continue;
        }
        for (k, v) in Tally::delta(before, after).0 {
            delta.add_at(k, v);
        }
    }
    labels(c, facts.iter().map(|(_, s)| s)).await?;
    add_counts(c, &delta).await?;
    delete_in(c, "report_contrib", subjects).await?;
    insert_contribs(c, new.iter().filter(|(_, items)| !items.is_empty())).await?;
    delete_in(c, "report_dirty", subjects).await?;
    Ok(())
}

/// Deletes the rows of `table` (`report_contrib` or `report_dirty`) of `subjects`.
async fn delete_in<C: ConnectionTrait>(c: &C, table: &str, subjects: &[i64]) -> Result<()> {
    for chunk in subjects.chunks(ROWS) {
        let mut sql = Sql::new(c);
        sql.push(&format!("DELETE FROM {table} WHERE subject IN ("));
        for (i, id) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            let p = sql.bind(*id);
            sql.push(&p);
        }
        sql.push(")");
        sql.execute(c).await?;
    }
    Ok(())
}

/// The stored contributions of `subjects`.
async fn stored<C: ConnectionTrait>(c: &C, subjects: &[i64]) -> Result<BTreeMap<i64, Vec<Item>>> {
    let mut out = BTreeMap::new();
    for chunk in subjects.chunks(ROWS) {
        let mut sql = Sql::new(c);
        sql.push("SELECT subject, data FROM report_contrib WHERE subject IN (");
        for (i, id) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            let p = sql.bind(*id);
            sql.push(&p);
        }
        sql.push(")");
        for row in sql.all(c).await? {
            let id = int(&row, 0)?;
            let data: String = row
                .try_get_by_index(1)
                .map_err(|e| crate::StoreError::Database(format!("report_contrib: {e:?}")))?;
            let items = tally::decode(&data).ok_or_else(|| {
                crate::StoreError::Database(format!("unreadable contributions of {id}"))
            })?;
            out.insert(id, items);
        }
    }
    Ok(out)
}

/// Stores contributions (the subjects have none stored).
async fn insert_contribs<'a, C: ConnectionTrait>(
    c: &C,
    rows: impl Iterator<Item = (&'a i64, &'a Vec<Item>)>,
) -> Result<()> {
    let rows: Vec<(i64, String)> = rows
        .map(|(id, items)| (*id, tally::encode(items)))
        .collect();
    insert_pairs(
        c,
        "INSERT INTO report_contrib (subject, data) VALUES ",
        &rows,
        "",
    )
    .await
}

/// Remembers the cause categories the subjects' recurrences name.
async fn labels<'a, C: ConnectionTrait>(
    c: &C,
    subjects: impl Iterator<Item = &'a Subject>,
) -> Result<()> {
    let mut labels: BTreeMap<i64, String> = BTreeMap::new();
    for s in subjects {
        for (_, category) in s.problem.iter().flat_map(|p| &p.recurrences) {
            labels.insert(label_key(category), category.clone());
        }
    }
    let labels: Vec<(i64, String)> = labels.into_iter().collect();
    insert_pairs(
        c,
        "INSERT INTO report_labels (label_key, label) VALUES ",
        &labels,
        " ON CONFLICT (label_key) DO NOTHING",
    )
    .await
}

/// Writes `(key, text)` rows with multi-row `INSERT`s of at most [`ROWS`]: `head` the
/// statement up to `VALUES `, `tail` what follows the rows.
async fn insert_pairs<C: ConnectionTrait>(
    c: &C,
    head: &str,
    rows: &[(i64, String)],
    tail: &str,
) -> Result<()> {
    for chunk in rows.chunks(ROWS) {
        let mut sql = Sql::new(c);
        sql.push(head);
        for (i, (key, text)) in chunk.iter().enumerate() {
            let a = sql.bind(*key);
            let b = sql.bind(text.clone());
            sql.push(if i > 0 { ", (" } else { "(" })
                .push(&a)
                .push(", ")
                .push(&b)
                .push(")");
        }
        sql.push(tail);
        sql.execute(c).await?;
    }
    Ok(())
}

/// Adds `delta` to the stored counts (rows left at zero are harmless: they read as zero).
async fn add_counts<C: ConnectionTrait>(c: &C, delta: &Tally) -> Result<()> {
    write_counts(c, delta, true).await
}

/// Writes `tally` into `report_counts`, adding to what is there when `add`.
async fn write_counts<C: ConnectionTrait>(c: &C, tally: &Tally, add: bool) -> Result<()> {
    let rows: Vec<(&Key, &Value)> = tally.0.iter().collect();
    for chunk in rows.chunks(ROWS) {
        let mut sql = Sql::new(c);
        sql.push(
            "INSERT INTO report_counts (member, severity, origin, metric, month, bucket, n, total) VALUES ",
        );
        for (i, (k, v)) in chunk.iter().enumerate() {
            let vals = [
                sql.bind(k.member),
                sql.bind(k.severity),
                sql.bind(k.origin),
                sql.bind(k.metric.code()),
                sql.bind(k.month),
                sql.bind(k.bucket),
                sql.bind(v.n),
                sql.bind(v.sum),
            ];
            sql.push(if i > 0 { ", (" } else { "(" })
                .push(&vals.join(", "))
                .push(")");
        }
        if add {
            sql.push(
                " ON CONFLICT (member, severity, origin, metric, month, bucket) DO UPDATE SET \
                 n = report_counts.n + excluded.n, total = report_counts.total + excluded.total",
            );
        }
        sql.execute(c).await?;
    }
    Ok(())
}

/// Re-derives every aggregate from the tables in one transaction, counting months in the
/// reporting zone; open promises count only once a report (or the scheduler) sees them due.
pub(crate) async fn rebuild(store: &Store) -> Result<()> {
    let txn = store.write().await?;
    let (name, tz) = zone::reporting(&txn).await?;
    for table in [
        "report_counts",
        "report_contrib",
        "report_labels",
        "report_dirty",
        "report_state",
    ] {
        Sql::new(&txn)
            .push(&format!("DELETE FROM {table}"))
            .execute(&txn)
            .await?;
    }
    let mut sql = Sql::new(&txn);
    sql.push("INSERT INTO report_state (id, zone) VALUES (1, ");
    let p = sql.bind(name);
    sql.push(&p).push(")");
    sql.execute(&txn).await?;

    let rules = Rules::load(&txn).await?;
    let scope = Scope {
        zone: &tz,
        now: Timestamp::MIN,
        account: None,
    };
    let mut all = Tally::default();
    for (query, sign) in [
        (
            "SELECT id FROM problems WHERE id > {after} ORDER BY id LIMIT {limit}",
            1,
        ),
        (
            "SELECT id FROM promises WHERE problem_id IS NULL AND id > {after} ORDER BY id LIMIT {limit}",
            -1,
        ),
    ] {
        let mut after = 0i64;
        loop {
            let mut sql = Sql::new(&txn);
            let text = query
                .replace("{after}", &after.to_string())
                .replace("{limit}", &BATCH.to_string());
            sql.push(&text);
            let rows: Vec<i64> = sql
                .all(&txn)
                .await?
                .iter()
                .map(|r| int(r, 0))
                .collect::<Result<_>>()?;
            let Some(last) = rows.last() else { break };
            after = *last;
            let ids: Vec<i64> = rows.iter().map(|id| id * sign).collect();
            let facts = load::subjects(&txn, &ids, &rules).await?;
            labels(&txn, facts.iter().map(|(_, s)| s)).await?;
            let mut new = BTreeMap::new();
            for (id, subject) in &facts {
                let items = contributions(subject, &scope);
                all.add(&items, 1);
                new.insert(*id, items);
            }
            insert_contribs(&txn, new.iter().filter(|(_, items)| !items.is_empty())).await?;
            if (rows.len() as u64) < BATCH {
                break;
            }
        }
    }
    write_counts(&txn, &all, false).await?;
    txn.commit().await.db()?;
    Ok(())
}
