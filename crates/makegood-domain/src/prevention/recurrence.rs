//! Recurrence: a new problem like an earlier one (same category or cause category) for an
//! account they share, within a window (90 days by default), is flagged as recurring.

use jiff::{SignedDuration, Timestamp};

use crate::{AccountId, ProblemId};

/// How far back an earlier problem counts as the same one coming back, unless configured.
pub const DEFAULT_RECURRENCE_WINDOW: SignedDuration = SignedDuration::from_hours(90 * 24);

/// The facts of the new problem that recurrence compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Occurrence<'a> {
    pub accounts: &'a [AccountId],
    pub category: &'a str,
    /// Usually unknown when a problem is recorded; known once its root cause is.
    pub cause_category: Option<&'a str>,
    pub detected_at: Timestamp,
}

/// An earlier problem, with the cause category of its prevention if it has one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PastProblem {
    pub id: ProblemId,
    pub accounts: Vec<AccountId>,
    pub category: String,
    pub cause_category: Option<String>,
    pub detected_at: Timestamp,
}

/// Categories are typed by people: compare them trimmed and without regard to case.
fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim(), b.trim());
    !a.is_empty() && a.eq_ignore_ascii_case(b)
}

impl PastProblem {
    fn matches(&self, new: &Occurrence<'_>, window: SignedDuration) -> bool {
        let age = new.detected_at.duration_since(self.detected_at);
        let in_window = age >= SignedDuration::ZERO && age <= window;
        let shares_account = self.accounts.iter().any(|a| new.accounts.contains(a));
        let same_cause = match (new.cause_category, self.cause_category.as_deref()) {
            (Some(a), Some(b)) => same(a, b),
            _ => false,
        };
        in_window && shares_account && (same(new.category, &self.category) || same_cause)
    }
}

/// The most recent earlier problem that `new` recurs: one detected at most `window` before it
/// (the boundary included, and not after it) for an account they share, with the same category
/// or the same cause category. Ties go to the higher id (the later recorded).
///
/// `earlier` must not contain the new problem itself.
pub fn is_recurring(
    new: &Occurrence<'_>,
    earlier: &[PastProblem],
    window: SignedDuration,
) -> Option<ProblemId> {
    earlier
        .iter()
        .filter(|p| p.matches(new, window))
        .max_by_key(|p| (p.detected_at, p.id))
        .map(|p| p.id)
}
