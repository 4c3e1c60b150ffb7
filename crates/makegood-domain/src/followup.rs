//! The follow-up survey: after the fix (or the remedy's delivery) each stakeholder is asked how
//! we did — a 1–5 rating, a 0–10 "would you recommend us" and a comment.

use serde::{Deserialize, Serialize};

use crate::Sentiment;

/// One stakeholder's answer, checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FollowUp {
    /// 1 (very poor) to 5 (excellent).
    pub rating: u8,
    /// 0 (not at all) to 10 (certainly).
    pub recommend: u8,
    pub comment: String,
}

/// An answer out of range, naming the field.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{field} {message}")]
pub struct FollowUpError {
    pub field: &'static str,
    pub message: &'static str,
}

impl FollowUp {
    /// Checks the ranges; the comment is kept as written (trimmed).
    pub fn new(rating: u8, recommend: u8, comment: &str) -> Result<FollowUp, FollowUpError> {
        if !(1..=5).contains(&rating) {
            return Err(FollowUpError {
                field: "rating",
                message: "must be from 1 to 5",
            });
        }
        if recommend > 10 {
            return Err(FollowUpError {
                field: "recommend",
                message: "must be from 0 to 10",
            });
        }
        Ok(FollowUp {
            rating,
            recommend,
            comment: comment.trim().to_owned(),
        })
    }

    /// A bad experience: the owner and the supervisors hear at once and the owner calls.
    pub fn is_low(&self) -> bool {
        is_low(self.rating, self.recommend)
    }
}

/// A rating of 1–2 or a recommend score of 0–6 (a detractor).
pub fn is_low(rating: u8, recommend: u8) -> bool {
    rating <= 2 || recommend <= 6
}

/// Whether an answer asks for a call: low, or a strongly negative comment.
pub fn asks_for_call(rating: u8, recommend: u8, sentiment: Sentiment) -> bool {
    is_low(rating, recommend) || sentiment.is_upset()
}

/// Where a recommend score puts the customer, as in a net promoter score.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Recommender {
    /// 9–10.
    Promoter,
    /// 7–8.
    Passive,
    /// 0–6.
    Detractor,
}

impl Recommender {
    pub fn of(recommend: u8) -> Recommender {
        match recommend {
            9.. => Recommender::Promoter,
            7 | 8 => Recommender::Passive,
            _ => Recommender::Detractor,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn answers_out_of_range_name_their_field() {
        assert_eq!(FollowUp::new(0, 5, "").unwrap_err().field, "rating");
        assert_eq!(FollowUp::new(6, 5, "").unwrap_err().field, "rating");
        assert_eq!(FollowUp::new(3, 11, "").unwrap_err().field, "recommend");
        let ok = FollowUp::new(5, 10, "  thanks \n").unwrap();
        assert_eq!(ok.comment, "thanks");
    }

    #[test]
    fn low_is_a_rating_of_two_or_less_or_a_detractor() {
        assert!(FollowUp::new(2, 10, "").unwrap().is_low());
        assert!(FollowUp::new(5, 6, "").unwrap().is_low());
        assert!(!FollowUp::new(3, 7, "").unwrap().is_low());
        assert!(asks_for_call(4, 9, Sentiment(-800)));
        assert!(!asks_for_call(4, 9, Sentiment(-100)));
    }

    proptest! {
        #[test]
        fn detractors_are_exactly_the_low_recommenders(recommend in 0u8..=10, rating in 1u8..=5) {
            let detractor = Recommender::of(recommend) == Recommender::Detractor;
            prop_assert_eq!(is_low(5, recommend), detractor);
            prop_assert_eq!(is_low(rating, 10), rating <= 2);
        }
    }
}
