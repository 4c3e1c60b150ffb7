//! Reading a report: the stored counts at the filter's selection, or — for one account —
//! that account's subjects counted afresh with the same domain functions.

use std::collections::{BTreeMap, HashMap};

use jiff::Timestamp;
use jiff::tz::TimeZone;
use makegood_domain::report::build::{self, Context, Counts, promise_counts, selection};
use makegood_domain::report::facts::{Scope, contributions};
use makegood_domain::report::tally::{Key, Metric, Tally, Value};
use makegood_domain::{AccountId, MemberId, Report, ReportFilter};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::load;
use super::sql::{Sql, int};
use crate::Result;
use crate::clocks::Rules;
use crate::db::{account, member};
use crate::error::DbResult;

/// The report of `filter` from the (drained) aggregates, in the caller's transaction.
pub(crate) async fn report<C: ConnectionTrait>(
    c: &C,
    filter: &ReportFilter,
    tz: &TimeZone,
    now: Timestamp,
) -> Result<Report> {
    let rules = Rules::load(c).await?;
    let counts = match filter.account {
        Some(account) => of_account(c, filter, account, tz, now, &rules).await?,
        None => stored(c, filter).await?,
    };
    let member_names: HashMap<MemberId, String> = member::Entity::find()
        .all(c)
        .await
        .db()?
        .into_iter()
        .map(|m| (MemberId(m.id), m.name))
        .collect();
    let ids: Vec<i64> = counts.accounts.iter().map(|(a, _)| a.0).collect();
    let account_names: HashMap<AccountId, String> = if ids.is_empty() {
        HashMap::new()
    } else {
        account::Entity::find()
            .filter(account::Column::Id.is_in(ids))
            .all(c)
            .await
            .db()?
            .into_iter()
            .map(|a| (AccountId(a.id), a.name))
            .collect()
    };
    let labels = labels(c).await?;
    let failures = crate::failures::counts(c, filter, tz).await?;
    let cx = Context {
        policies: &rules.policies,
        member_names: &member_names,
        account_names: &account_names,
        labels: &labels,
        failures: &failures,
    };
    Ok(build::report(filter, &counts, &cx))
}

async fn labels<C: ConnectionTrait>(c: &C) -> Result<HashMap<i64, String>> {
    let mut out = HashMap::new();
    for row in Sql::new(c)
        .push("SELECT label_key, label FROM report_labels")
        .all(c)
        .await?
    {
        let label: String = row
            .try_get_by_index(1)
            .map_err(|e| crate::StoreError::Database(format!("report_labels: {e:?}")))?;
        out.insert(int(&row, 0)?, label);
    }
    Ok(out)
}

/// Appends `IN (…)` of `values` to `sql`.
fn push_in(sql: &mut Sql, values: impl IntoIterator<Item = i64>) {
    sql.push(" IN (");
    for (i, v) in values.into_iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        let p = sql.bind(v);
        sql.push(&p);
    }
    sql.push(")");
}

const COLUMNS: &str = "SELECT CAST(member AS BIGINT), CAST(severity AS BIGINT), \
    CAST(origin AS BIGINT), CAST(metric AS BIGINT), CAST(month AS BIGINT), bucket, n, total \
    FROM report_counts WHERE ";

/// The counts of `filter` (without an account) from `report_counts`: a few index ranges.
async fn stored<C: ConnectionTrait>(c: &C, filter: &ReportFilter) -> Result<Counts> {
    let (member, severity, origin) = selection(filter);
    let (from, to) = (filter.from.key(), filter.to.key());
    let every = |m: fn(Metric) -> bool| -> Vec<i64> {
        Metric::ALL
            .into_iter()
            .filter(|x| m(*x))
            .map(|x| i64::from(x.code()))
            .collect()
    };
    let plain = every(|m| {
        !build::per_severity(m)
            && !build::per_origin(m)
            && !matches!(m, Metric::AccountPromise | Metric::AccountRank)
    });
    let severities: Vec<i64> = if severity == 0 {
        vec![1, 2, 3]
    } else {
        vec![i64::from(severity)]
    };
    let origins: Vec<i64> = if origin == 0 {
        vec![1, 2, 3, 4]
    } else {
        vec![i64::from(origin)]
    };

    let mut queries = Vec::new();
    // Most metrics, at the selection.
    let mut q = Sql::new(c);
    q.push(COLUMNS);
    let (a, b, d) = (q.bind(member), q.bind(severity), q.bind(origin));
    q.push(&format!(
        "member = {a} AND severity = {b} AND origin = {d} AND metric"
    ));
    push_in(&mut q, plain);
    queries.push(q);
    // Times to tell and fix, per severity.
    let mut q = Sql::new(c);
    q.push(COLUMNS);
    let (a, d) = (q.bind(member), q.bind(origin));
    q.push(&format!("member = {a} AND origin = {d} AND severity"));
    push_in(&mut q, severities);
    q.push(" AND metric");
    push_in(&mut q, every(build::per_severity));
    queries.push(q);
    // Remedy money, per origin.
    let mut q = Sql::new(c);
    q.push(COLUMNS);
    let (a, b) = (q.bind(member), q.bind(severity));
    q.push(&format!("member = {a} AND severity = {b} AND origin"));
    push_in(&mut q, origins);
    q.push(" AND metric");
    push_in(&mut q, every(build::per_origin));
    queries.push(q);
    // Promises per member (with a member filter, the first query holds that member's).
    if member == 0 {
        let mut q = Sql::new(c);
        q.push(COLUMNS);
        let (m, b, d) = (
            q.bind(Metric::Promise.code()),
            q.bind(severity),
            q.bind(origin),
        );
        q.push(&format!(
            "metric = {m} AND severity = {b} AND origin = {d} AND member <> 0"
        ));
        queries.push(q);
    }

    let mut counts = Counts::default();
    for mut q in queries {
        let (f, t) = (q.bind(from), q.bind(to));
        q.push(&format!(" AND month >= {f} AND month <= {t}"));
        for row in q.all(c).await? {
            let (key, value) = row_key(&row)?;
            if let Some(key) = key {
                counts.add(&key, value, filter);
            }
        }
    }
    counts.accounts = top_accounts(c, filter).await?;
    Ok(counts)
}

fn row_key(row: &sea_orm::QueryResult) -> Result<(Option<Key>, Value)> {
    let small = |i| -> Result<i16> { Ok(i16::try_from(int(row, i)?).unwrap_or(i16::MIN)) };
    let metric = Metric::from_code(small(3)?);
    let key = metric.map(|metric| -> Result<Key> {
        Ok(Key {
            metric,
            member: int(row, 0)?,
            severity: small(1)?,
            origin: small(2)?,
            month: i32::try_from(int(row, 4)?).unwrap_or(0),
            bucket: int(row, 5)?,
        })
    });
    let value = Value {
        n: int(row, 6)?,
        sum: int(row, 7)?,
    };
    Ok((key.transpose()?, value))
}

/// The twenty accounts with the most broken promises (then the most ended) at the
/// selection, ranked in SQL over one row per account and month, with their counts.
async fn top_accounts<C: ConnectionTrait>(
    c: &C,
    filter: &ReportFilter,
) -> Result<Vec<(AccountId, BTreeMap<i64, i64>)>> {
    let (member, severity, origin) = selection(filter);
    let mut q = Sql::new(c);
    let (a, b, d, m) = (
        q.bind(member),
        q.bind(severity),
        q.bind(origin),
        q.bind(Metric::AccountRank.code()),
    );
    let (f, t) = (q.bind(filter.from.key()), q.bind(filter.to.key()));
    q.push(&format!(
        "SELECT bucket, CAST(SUM(n) AS BIGINT) AS broken, CAST(SUM(total) AS BIGINT) AS ended \
         FROM report_counts WHERE member = {a} AND severity = {b} AND origin = {d} \
         AND metric = {m} AND month >= {f} AND month <= {t} \
         GROUP BY bucket HAVING SUM(total) > 0 ORDER BY broken DESC, ended DESC, bucket LIMIT 20"
    ));
    let ranked: Vec<i64> = q
        .all(c)
        .await?
        .iter()
        .map(|r| int(r, 0))
        .collect::<Result<_>>()?;
    if ranked.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = Sql::new(c);
    q.push(COLUMNS);
    let (a, b, d, m) = (
        q.bind(member),
        q.bind(severity),
        q.bind(origin),
        q.bind(Metric::AccountPromise.code()),
    );
    q.push(&format!(
        "member = {a} AND severity = {b} AND origin = {d} AND metric = {m}"
    ));
    let (f, t) = (q.bind(filter.from.key()), q.bind(filter.to.key()));
    q.push(&format!(" AND month >= {f} AND month <= {t} AND bucket"));
    push_in(
        &mut q,
        ranked.iter().flat_map(|a| (0..5).map(move |e| a * 8 + e)),
    );
    let mut by: BTreeMap<i64, BTreeMap<i64, i64>> = BTreeMap::new();
    for row in q.all(c).await? {
        let (Some(key), value) = row_key(&row)? else {
            continue;
        };
        *by.entry(key.bucket / 8)
            .or_default()
            .entry(key.bucket % 8)
            .or_default() += value.n;
    }
    Ok(ranked
        .into_iter()
        .filter_map(|a| by.remove(&a).map(|c| (AccountId(a), c)))
        .filter(|(_, c)| promise_counts(c).ended() > 0)
        .collect())
}

/// One account's counts: its problems' and its contacts' promises' subjects, counted afresh.
async fn of_account<C: ConnectionTrait>(
    c: &C,
    filter: &ReportFilter,
    account: AccountId,
    tz: &TimeZone,
    now: Timestamp,
    rules: &Rules,
) -> Result<Counts> {
    let mut q = Sql::new(c);
    let (a, b) = (q.bind(account.0), q.bind(account.0));
    q.push(&format!(
        "SELECT problem_id FROM problem_accounts WHERE account_id = {a} \
         UNION SELECT COALESCE(p.problem_id, -p.id) FROM promises p \
         JOIN promise_contacts pc ON pc.promise_id = p.id \
         JOIN contacts ct ON ct.id = pc.contact_id WHERE ct.account_id = {b}"
    ));
    let mut subjects: Vec<i64> = q
        .all(c)
        .await?
        .iter()
        .map(|r| int(r, 0))
        .collect::<Result<_>>()?;
    subjects.sort_unstable();
    subjects.dedup();
    let scope = Scope {
        zone: tz,
        now,
        account: Some(account),
    };
    let mut tally = Tally::default();
    for chunk in subjects.chunks(500) {
        for (_, subject) in load::subjects(c, chunk, rules).await? {
            tally.add(&contributions(&subject, &scope), 1);
        }
    }
    Ok(Counts::from_tally(&tally, filter))
}
