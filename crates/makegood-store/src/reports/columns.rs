//! The report columns of a problem, set in the same place as its status and deadlines.

use jiff::Timestamp;
use makegood_domain::report::cadence::{Materialised, interval_ended};
use makegood_domain::report::facts::Stop;
use makegood_domain::{EventKind, ProblemState, Severity};
use sea_orm::ActiveValue::Set;

use crate::Result;
use crate::StoreError;
use crate::clocks::Rules;
use crate::convert::{from_db_opt, to_db_opt};
use crate::db::problem;

/// The cadence column written: `[[microseconds, met], …]`.
pub(crate) fn encode_cadence(cadence: &[(Timestamp, bool)]) -> String {
    let rows: Vec<(i64, bool)> = cadence
        .iter()
        .map(|(at, met)| (at.as_microsecond(), *met))
        .collect();
    serde_json::to_string(&rows).unwrap_or_else(|_| "[]".to_owned())
}

/// The cadence column read back.
pub(crate) fn decode_cadence(s: &str) -> Result<Vec<(Timestamp, bool)>> {
    let rows: Vec<(i64, bool)> = serde_json::from_str(s)
        .map_err(|e| StoreError::Database(format!("unreadable cadence column: {e}")))?;
    rows.into_iter()
        .map(|(us, met)| {
            Timestamp::from_microsecond(us)
                .map(|t| (t, met))
                .map_err(|e| StoreError::Database(format!("cadence time out of range: {e}")))
        })
        .collect()
}

/// The report columns of `row` as stored; `None` while not yet derived.
pub(crate) fn read(row: &problem::Model) -> Result<Option<Materialised>> {
    let Some(cadence) = &row.cadence else {
        return Ok(None);
    };
    let stop = |at, due| -> Result<Option<Stop>> {
        Ok(from_db_opt(at)?
            .map(|at| Stop { at, due: None })
            .map(|s| Stop { due, ..s }))
    };
    Ok(Some(Materialised {
        tell: stop(row.tell_stopped_at, from_db_opt(row.tell_due_at)?)?,
        fix: stop(row.fix_stopped_at, from_db_opt(row.fix_due_at)?)?,
        closed_at: from_db_opt(row.closed_at)?,
        cadence: decode_cadence(cadence)?,
    }))
}

/// Writes `m` into `changes`.
pub(crate) fn write(changes: &mut problem::ActiveModel, m: &Materialised) {
    changes.tell_stopped_at = Set(to_db_opt(m.tell.map(|s| s.at)));
    changes.tell_due_at = Set(to_db_opt(m.tell.and_then(|s| s.due)));
    changes.fix_stopped_at = Set(to_db_opt(m.fix.map(|s| s.at)));
    changes.fix_due_at = Set(to_db_opt(m.fix.and_then(|s| s.due)));
    changes.closed_at = Set(to_db_opt(m.closed_at));
    changes.cadence = Set(Some(encode_cadence(&m.cadence)));
}

/// The report columns after recording `kind` at `at`, which moved problem `row` from
/// `before` to `after`: the clocks anew, the update interval it ended appended. A problem
/// whose columns were never derived is left for the drain to derive from its timeline.
#[expect(
    clippy::too_many_arguments,
    reason = "called from the one place events are recorded, with named locals"
)]
pub(crate) fn on_event(
    changes: &mut problem::ActiveModel,
    row: &problem::Model,
    before: &ProblemState,
    after: &ProblemState,
    kind: &EventKind,
    at: Timestamp,
    detected_at: Timestamp,
    severity: Severity,
    rules: &Rules,
) -> Result<()> {
    let Some(mut m) = read(row)? else {
        return Ok(());
    };
    let policy = rules.policies.get(severity);
    let calendar = rules.calendar(severity);
    if let Some(met) = interval_ended(before, after, at, kind, policy, calendar) {
        m.cadence.push((at, met));
    }
    m.set_clocks(after, detected_at, policy, calendar);
    write(changes, &m);
    Ok(())
}

/// The clock columns after an edit of the detection time or severity (the cadence stays).
pub(crate) fn on_edit(
    changes: &mut problem::ActiveModel,
    row: &problem::Model,
    state: &ProblemState,
    detected_at: Timestamp,
    severity: Severity,
    rules: &Rules,
) -> Result<()> {
    let Some(mut m) = read(row)? else {
        return Ok(());
    };
    m.set_clocks(
        state,
        detected_at,
        rules.policies.get(severity),
        rules.calendar(severity),
    );
    write(changes, &m);
    Ok(())
}

/// The columns of a problem just recorded (no clock has stopped, no interval ended).
pub(crate) fn initial() -> Materialised {
    Materialised::default()
}
