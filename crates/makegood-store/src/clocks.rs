//! The rules problem clocks follow: the policies and the business calendars they name,
//! loaded once per operation.

use std::collections::HashMap;

use jiff::Timestamp;
use makegood_domain::clock::{NextDeadlines, problem_clocks_in};
use makegood_domain::{Calendar, CalendarSpec, Clock, Policies, ProblemState, Severity};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::convert::from_json;
use crate::db::calendar;
use crate::error::DbResult;
use crate::{Result, StoreError, policies};

/// The policies and the calendars they use: everything a problem clock depends on besides
/// the problem's own events.
#[derive(Clone, Debug)]
pub(crate) struct Rules {
    pub policies: Policies,
    calendars: HashMap<i64, Calendar>,
    always: Calendar,
}

impl Rules {
    /// The current policies and their calendars.
    pub async fn load<C: ConnectionTrait>(c: &C) -> Result<Rules> {
        let policies = policies::load(c).await?;
        Rules::with(c, policies).await
    }

    /// `policies` with the calendars they name, as stored now.
    pub async fn with<C: ConnectionTrait>(c: &C, policies: Policies) -> Result<Rules> {
        let mut ids: Vec<i64> = [&policies.critical, &policies.major, &policies.minor]
            .iter()
            .filter_map(|p| p.calendar)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let mut calendars = HashMap::new();
        if !ids.is_empty() {
            for row in calendar::Entity::find()
                .filter(calendar::Column::Id.is_in(ids))
                .all(c)
                .await
                .db()?
            {
                let spec: CalendarSpec = from_json(&row.spec)?;
                let cal = spec.to_calendar().map_err(|e| {
                    StoreError::Database(format!("calendar {} does not build: {e}", row.id))
                })?;
                calendars.insert(row.id, cal);
            }
        }
        Ok(Rules {
            policies,
            calendars,
            always: Calendar::around_the_clock(),
        })
    }

    /// The calendar problems of `severity` count time in; around the clock when their policy
    /// names none (or one since deleted).
    pub fn calendar(&self, severity: Severity) -> &Calendar {
        self.policies
            .get(severity)
            .calendar
            .and_then(|id| self.calendars.get(&id))
            .unwrap_or(&self.always)
    }

    /// The clocks of a problem of `severity` detected at `detected_at`, at `now`.
    pub fn problem_clocks(
        &self,
        state: &ProblemState,
        detected_at: Timestamp,
        severity: Severity,
        now: Timestamp,
    ) -> Vec<Clock> {
        problem_clocks_in(
            state,
            detected_at,
            self.policies.get(severity),
            self.calendar(severity),
            now,
        )
    }

    /// The earliest warning and due times of the running clocks; they do not depend on `now`.
    pub fn deadlines(
        &self,
        state: &ProblemState,
        detected_at: Timestamp,
        severity: Severity,
    ) -> NextDeadlines {
        NextDeadlines::of(&self.problem_clocks(state, detected_at, severity, detected_at))
    }
}
