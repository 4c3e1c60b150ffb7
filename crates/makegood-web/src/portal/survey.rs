//! The follow-up survey on a contact's problem page: the form while it waits for their answer
//! (`POST /portal/problems/{id}/survey`), their answer once given.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use makegood_domain::{ContactId, FollowUp, ProblemId};
use makegood_store::{Store, StoreError};
use serde::Deserialize;

use super::frame::PortalForm;
use super::problem::problem_page;
use super::{PortalError, PortalSignedIn, render};
use crate::pages::{FieldErrors, flash_redirect};
use crate::state::AppState;

/// The survey as the page shows it.
pub enum SurveyPanel {
    /// None was sent to this contact about this problem.
    None,
    /// Sent and waiting: the form, with what was typed.
    Asked(SurveyForm),
    /// Answered: what they said.
    Answered {
        rating: u8,
        recommend: u8,
        comment: String,
    },
}

impl SurveyPanel {
    /// The contact's survey on `problem`, with `input` in the form while it is unanswered.
    pub async fn load(
        store: &Store,
        contact: ContactId,
        problem: ProblemId,
        input: SurveyForm,
    ) -> Result<SurveyPanel, StoreError> {
        Ok(match store.survey_for(contact, problem).await? {
            None => SurveyPanel::None,
            Some(s) => match (s.rating, s.recommend) {
                (Some(rating), Some(recommend)) => SurveyPanel::Answered {
                    rating,
                    recommend,
                    comment: s.comment.unwrap_or_default(),
                },
                _ => SurveyPanel::Asked(input),
            },
        })
    }
}

/// The form as typed: the choices are kept as text so a refused answer comes back as it was.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SurveyForm {
    pub rating: String,
    pub recommend: String,
    pub comment: String,
}

impl SurveyForm {
    /// Whether `value` is the one chosen for `field` (for `checked`).
    pub fn chose(&self, field: &str, value: &u8) -> bool {
        let chosen = match field {
            "rating" => &self.rating,
            _ => &self.recommend,
        };
        chosen.trim() == value.to_string()
    }

    /// The answer, or an error beside each field that does not read.
    fn read(&self) -> Result<FollowUp, FieldErrors> {
        let mut errors = FieldErrors::default();
        let rating = self.rating.trim().parse::<u8>().ok();
        let recommend = self.recommend.trim().parse::<u8>().ok();
        if rating.is_none() {
            errors.push("rating", "choose a rating from 1 to 5");
        }
        if recommend.is_none() {
            errors.push(
                "recommend",
                "choose how likely you are to recommend us, 0 to 10",
            );
        }
        let (Some(rating), Some(recommend)) = (rating, recommend) else {
            return Err(errors);
        };
        FollowUp::new(rating, recommend, &self.comment).map_err(|e| {
            errors.push(e.field, e.message);
            errors
        })
    }
}

pub async fn answer(
    State(state): State<AppState>,
    who: PortalSignedIn,
    Path(id): Path<String>,
    PortalForm(form): PortalForm<SurveyForm>,
) -> Result<Response, PortalError> {
    let id: i64 = id.parse().map_err(|_| PortalError::NotFound)?;
    let problem = ProblemId(id);
    let refused = |errors: FieldErrors, form: SurveyForm| async {
        let page = problem_page(&state, &who, id, String::new(), errors, form).await?;
        Ok::<_, PortalError>(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
    };
    let answer = match form.read() {
        Ok(answer) => answer,
        Err(errors) => return refused(errors, form).await,
    };
    match state
        .store
        .answer_survey(who.contact.id, problem, answer, state.now())
        .await
    {
        Ok(_) => Ok(flash_redirect(
            &format!("/portal/problems/{id}#survey"),
            "Thank you for telling us how we did.",
        )),
        Err(StoreError::Invalid { field, message }) => {
            let mut errors = FieldErrors::default();
            errors.push(&field, message);
            refused(errors, form).await
        }
        Err(e) => Err(e.into()),
    }
}
