//! Request and response shapes shared by the API resources, and input checks.

use jiff::Timestamp;
use makegood_domain::text::{bounded, optional};
use makegood_domain::{
    Clock, ClockState, Problem, ProblemId, ProblemNumber, Promise, PromiseStatus,
};
use makegood_store::{ApiToken, Page, PageRequest, ProblemView, PromiseView};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;

use crate::error::{AppError, FieldError};
use crate::state::AppState;

/// An RFC 3339 time with an offset, e.g. `2026-11-22T09:00:00Z`; naive times are refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Time(pub Timestamp);

impl<'de> Deserialize<'de> for Time {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        parse_time(&s).map(Time).map_err(serde::de::Error::custom)
    }
}

/// Parses an RFC 3339 time, explaining what is missing.
pub fn parse_time(s: &str) -> Result<Timestamp, String> {
    s.parse::<Timestamp>().map_err(|_| {
        if s.parse::<jiff::civil::DateTime>().is_ok() {
            format!("`{s}` has no offset; add one, like `{s}Z` or `{s}+01:00`")
        } else {
            format!("`{s}` is not an RFC 3339 time with an offset, like 2026-11-22T09:00:00Z")
        }
    })
}

impl utoipa::PartialSchema for Time {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                utoipa::openapi::KnownFormat::DateTime,
            )))
            .description(Some("RFC 3339 with an offset"))
            .into()
    }
}

impl utoipa::ToSchema for Time {}

/// Deserialises a field that may be absent (unchanged), `null` (cleared) or a value.
pub fn double_option<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct ListOf<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

impl<T> ListOf<T> {
    /// Converts a store page.
    pub fn from_page<U>(page: Page<U>, f: impl FnMut(U) -> T) -> Self {
        Self {
            items: page.items.into_iter().map(f).collect(),
            next_cursor: page.next_cursor,
        }
    }
}

/// The most any list returns at once: a larger `limit` is a 422 naming it.
pub const MAX_LIMIT: u32 = 200;

/// Checks a list's `limit`: 1 to [`MAX_LIMIT`], else a 422 naming the range.
pub fn check_limit(limit: Option<u32>) -> Result<Option<u32>, AppError> {
    match limit {
        Some(n) if !(1..=MAX_LIMIT).contains(&n) => Err(AppError::invalid(
            "limit",
            format!("{n} is out of range: ask for 1 to {MAX_LIMIT}"),
        )),
        limit => Ok(limit),
    }
}

/// A page request from `cursor` and `limit` (1 to [`MAX_LIMIT`], default 50).
pub fn page(cursor: Option<String>, limit: Option<u32>) -> Result<PageRequest, AppError> {
    let limit = check_limit(limit)?;
    Ok(PageRequest { cursor, limit })
}

/// A problem with its clocks.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProblemBody {
    #[serde(flatten)]
    pub problem: Problem,
    pub clocks: Vec<Clock>,
    /// The worst running clock; `null` when none runs.
    pub clock_state: Option<ClockState>,
    /// The earlier problems this one recurs, latest flag first.
    pub recurrences: Vec<super::preventions::RecurrenceBody>,
    /// The customer's latest word was strongly negative (or a low follow-up answer), and no
    /// one has recorded calling them since (`POST /problems/{problem}/call`).
    pub customer_upset: bool,
}

impl From<ProblemView> for ProblemBody {
    fn from(v: ProblemView) -> Self {
        Self {
            problem: v.problem,
            clocks: v.clocks,
            clock_state: v.clock_state,
            recurrences: v.recurrences.into_iter().map(Into::into).collect(),
            customer_upset: v.customer_upset,
        }
    }
}

/// A promise with its state and clock now.
#[derive(Debug, Serialize, ToSchema)]
pub struct PromiseBody {
    #[serde(flatten)]
    pub promise: Promise,
    /// The state now: an open promise past due is broken.
    pub state: PromiseStatus,
    pub clock: Clock,
}

impl From<PromiseView> for PromiseBody {
    fn from(v: PromiseView) -> Self {
        Self {
            promise: v.promise,
            state: v.state,
            clock: v.clock,
        }
    }
}

/// An API token (its secret is shown only once, when created).
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenBody {
    pub id: i64,
    #[schema(value_type = i64)]
    pub member: makegood_domain::MemberId,
    pub name: String,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub last_used_at: Option<Timestamp>,
    /// `read`: GET and HEAD only; `write`: whatever the member's role allows.
    pub scope: makegood_domain::TokenScope,
}

impl From<ApiToken> for TokenBody {
    fn from(t: ApiToken) -> Self {
        Self {
            id: t.id,
            member: t.member,
            name: t.name,
            created_at: t.created_at,
            last_used_at: t.last_used_at,
            scope: t.scope,
        }
    }
}

/// Collects field errors so one response names them all.
#[derive(Default)]
pub struct Check(Vec<FieldError>);

impl Check {
    /// Required text of at most `max` characters, trimmed.
    pub fn text(&mut self, field: &str, value: &str, max: usize) -> String {
        bounded(value, max).unwrap_or_else(|e| {
            self.fail(field, e.to_string());
            String::new()
        })
    }

    /// Optional text of at most `max` characters, trimmed.
    pub fn optional(&mut self, field: &str, value: &str, max: usize) -> String {
        optional(value, max).unwrap_or_else(|e| {
            self.fail(field, e.to_string());
            String::new()
        })
    }

    /// Records an error when `ok` is false.
    pub fn ensure(&mut self, ok: bool, field: &str, message: &str) {
        if !ok {
            self.fail(field, message);
        }
    }

    pub fn fail(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError::new(field, message));
    }

    /// `Ok` when nothing failed.
    pub fn finish(self) -> Result<(), AppError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(AppError::Validation(self.0))
        }
    }
}

/// A problem as named in a path or body: `MG-12`, or its id `12`.
pub fn parse_problem_key(key: &str) -> Option<ProblemKey> {
    if let Ok(n) = key.parse::<ProblemNumber>() {
        Some(ProblemKey::Number(n))
    } else {
        key.parse::<i64>()
            .ok()
            .filter(|id| *id > 0)
            .map(|id| ProblemKey::Id(ProblemId(id)))
    }
}

/// How a request names a problem.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProblemKey {
    Number(ProblemNumber),
    Id(ProblemId),
}

/// Finds the problem named by `key`.
///
/// The store has no lookup by number; numbers are assigned 1, 2, 3 … as ids are, so
/// the problem with id `n` is checked to carry number `MG-n`.
pub async fn find_problem(state: &AppState, key: ProblemKey) -> Result<ProblemView, AppError> {
    let now = state.now();
    match key {
        ProblemKey::Id(id) => Ok(state.store.problem(id, now).await?),
        ProblemKey::Number(number) => {
            let view = state.store.problem(ProblemId(number.0), now).await?;
            if view.problem.number == number {
                Ok(view)
            } else {
                tracing::warn!(%number, id = number.0, "problem number differs from id");
                Err(AppError::NotFound(format!("problem {number} not found")))
            }
        }
    }
}

/// Parses a path segment naming a problem.
pub fn problem_key(key: &str) -> Result<ProblemKey, AppError> {
    parse_problem_key(key)
        .ok_or_else(|| AppError::bad_request(format!("`{key}` is not a problem number like MG-12")))
}

/// Resolves a path segment naming a problem to its id.
pub async fn problem_id(state: &AppState, key: &str) -> Result<ProblemId, AppError> {
    // An id is looked up too: a guessed one must be a 404, not an empty list of nothing's.
    Ok(find_problem(state, problem_key(key)?).await?.problem.id)
}
