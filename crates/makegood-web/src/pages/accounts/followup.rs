//! The account page's Follow-ups (average rating, NPS, the latest answers) and Outcomes (how
//! its closed problems ended, latest first) sections.

use makegood_domain::{AccountId, Outcome};
use makegood_store::SurveySummary;

use crate::pages::{PageError, SignedIn, When};
use crate::state::AppState;

/// The latest answers shown.
const ANSWERS_SHOWN: u64 = 10;
/// The latest outcomes shown; the problem list has them all.
const OUTCOMES_SHOWN: u64 = 20;

pub struct AccountFollowUp {
    pub sent: u64,
    pub answered: u64,
    /// `4.5`, when anyone answered.
    pub average: Option<String>,
    /// `+40`, when anyone answered.
    pub nps: Option<String>,
    pub answers: Vec<AnswerRow>,
    pub outcomes: Vec<OutcomeRow>,
    /// Whether more outcomes exist than are shown.
    pub more_outcomes: bool,
}

pub struct AnswerRow {
    pub number: String,
    pub title: String,
    pub contact: String,
    pub rating: u8,
    pub recommend: u8,
    pub comment: String,
    pub low: bool,
    pub answered: Option<When>,
}

pub struct OutcomeRow {
    pub number: String,
    pub title: String,
    pub closed: When,
    pub outcome: &'static str,
    /// The outcome's wire name, for its badge.
    pub class: &'static str,
}

fn words(outcome: Outcome) -> (&'static str, &'static str) {
    match outcome {
        Outcome::Advocate => ("advocate", "advocate"),
        Outcome::Retained => ("retained", "retained"),
        Outcome::AtRisk => ("at risk", "at_risk"),
        Outcome::Lost => ("lost", "lost"),
        Outcome::Unknown => ("unknown yet", "unknown"),
    }
}

fn answers(summary: &SurveySummary, user: &SignedIn, now: jiff::Timestamp) -> Vec<AnswerRow> {
    summary
        .latest
        .iter()
        .map(|a| AnswerRow {
            number: a.problem.number.to_string(),
            title: a.problem.title.clone(),
            contact: a.survey.contact_name.clone(),
            rating: a.survey.rating.unwrap_or_default(),
            recommend: a.survey.recommend.unwrap_or_default(),
            comment: a.survey.comment.clone().unwrap_or_default(),
            low: a.survey.low,
            answered: a.survey.answered_at.map(|t| When::new(t, &user.zone, now)),
        })
        .collect()
}

pub async fn load(
    state: &AppState,
    user: &SignedIn,
    id: AccountId,
) -> Result<AccountFollowUp, PageError> {
    let now = state.now();
    let summary = state.store.account_surveys(id, ANSWERS_SHOWN).await?;
    let mut outcomes = state.store.account_outcomes(id, OUTCOMES_SHOWN + 1).await?;
    let more_outcomes = outcomes.len() as u64 > OUTCOMES_SHOWN;
    outcomes.truncate(usize::try_from(OUTCOMES_SHOWN).unwrap_or(usize::MAX));
    Ok(AccountFollowUp {
        sent: summary.sent,
        answered: summary.answered,
        average: summary.average_rating.map(|a| format!("{a:.1}")),
        nps: summary.nps.map(|n| format!("{n:+}")),
        answers: answers(&summary, user, now),
        outcomes: outcomes
            .iter()
            .map(|o| {
                let (outcome, class) = words(o.outcome);
                OutcomeRow {
                    number: o.problem.number.to_string(),
                    title: o.problem.title.clone(),
                    closed: When::new(o.closed_at, &user.zone, now),
                    outcome,
                    class,
                }
            })
            .collect(),
        more_outcomes,
    })
}
