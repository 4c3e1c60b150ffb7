//! The follow-up survey: scheduled some days after the fix or the remedy's delivery
//! ([`schedule`]), sent by the scheduler ([`send`]), answered in the portal ([`answer`], low
//! answers alert the owner and the supervisors), and its results and the account's outcomes
//! ([`results`]).

mod answer;
mod results;
pub(crate) mod schedule;
pub(crate) mod send;

use jiff::Timestamp;
use makegood_domain::followup::FollowUp;
use makegood_domain::{AccountId, ContactId, ProblemId};

use crate::{OutcomeEntry, Result, Store, SurveySummary, SurveyView};

impl Store {
    /// When problem `id`'s follow-up survey is due to go out; `None` once sent, or while it
    /// is not due (not fixed, a remedy undelivered, nobody with an address to ask).
    pub async fn follow_up_due(&self, id: ProblemId) -> Result<Option<Timestamp>> {
        let row = crate::problems::load::row(&self.db, id, false).await?;
        crate::convert::from_db_opt(row.follow_up_at)
    }
    /// Sends the follow-up surveys due by `now`, at most `limit` problems' worth; returns how
    /// many problems' surveys went out. The scheduler's `fire_due` does this too.
    pub async fn send_follow_ups(&self, now: Timestamp, limit: u64) -> Result<usize> {
        send::send_due(self, now, limit).await
    }
    /// Contact `contact`'s follow-up survey about problem `problem`, answered or not; `None`
    /// when none was sent to them. `NotFound` when the problem does not affect the contact's
    /// account (the same as a missing one).
    pub async fn survey_for(
        &self,
        contact: ContactId,
        problem: ProblemId,
    ) -> Result<Option<SurveyView>> {
        answer::survey_for(self, contact, problem).await
    }
    /// Records contact `contact`'s answer to their survey about `problem` (`SurveyAnswered`,
    /// the comment scored): `Conflict` when none was sent to them or they already answered,
    /// `NotFound` as [`Store::survey_for`]. A low answer alerts the owner and every supervisor
    /// and admin at once, and asks the owner to call.
    pub async fn answer_survey(
        &self,
        contact: ContactId,
        problem: ProblemId,
        answer: FollowUp,
        now: Timestamp,
    ) -> Result<SurveyView> {
        answer::answer(self, contact, problem, answer, now).await
    }
    /// The follow-up surveys sent about problem `id`, in the order sent.
    pub async fn problem_surveys(&self, id: ProblemId) -> Result<Vec<SurveyView>> {
        results::of_problem(self, id).await
    }
    /// How account `id`'s contacts answered: counts, average rating, NPS and the `latest`
    /// answers, newest first.
    pub async fn account_surveys(&self, id: AccountId, latest: u64) -> Result<SurveySummary> {
        results::of_account(self, id, latest).await
    }
    /// The outcomes of account `id`'s closed problems, latest close first, at most `limit`.
    pub async fn account_outcomes(&self, id: AccountId, limit: u64) -> Result<Vec<OutcomeEntry>> {
        results::outcomes(self, id, limit).await
    }
}
