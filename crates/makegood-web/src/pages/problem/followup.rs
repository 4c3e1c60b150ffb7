//! The problem page's Follow-up panel: when the survey goes out, and each stakeholder's
//! answer (low ones marked).

use makegood_domain::Problem;
use makegood_store::SurveyView;

use super::super::{PageError, SignedIn, When};
use crate::state::AppState;

/// What the Follow-up panel shows.
pub struct FollowUpPanel {
    /// When the survey is due to go out, while it is scheduled.
    pub due: Option<When>,
    pub rows: Vec<SurveyRow>,
}

/// One stakeholder's survey.
pub struct SurveyRow {
    pub contact: String,
    pub sent: When,
    pub answered: Option<When>,
    pub rating: Option<u8>,
    pub recommend: Option<u8>,
    pub comment: String,
    pub low: bool,
}

impl SurveyRow {
    fn new(s: &SurveyView, user: &SignedIn, now: jiff::Timestamp) -> Self {
        let when = |t| When::new(t, &user.zone, now);
        Self {
            contact: s.contact_name.clone(),
            sent: when(s.sent_at),
            answered: s.answered_at.map(when),
            rating: s.rating,
            recommend: s.recommend,
            comment: s.comment.clone().unwrap_or_default(),
            low: s.low,
        }
    }
}

pub async fn panel(
    state: &AppState,
    user: &SignedIn,
    p: &Problem,
) -> Result<FollowUpPanel, PageError> {
    let now = state.now();
    let due = state.store.follow_up_due(p.id).await?;
    let surveys = state.store.problem_surveys(p.id).await?;
    Ok(FollowUpPanel {
        due: due.map(|t| When::new(t, &user.zone, now)),
        rows: surveys
            .iter()
            .map(|s| SurveyRow::new(s, user, now))
            .collect(),
    })
}
