//! The sentiment of a customer's message, so upset customers are answered first.
//!
//! Scored with VADER, a lexicon-and-rules method whose lexicon is compiled into the
//! `vader_sentiment` crate: nothing is downloaded, and the same text always scores the same.

use serde::{Deserialize, Serialize};

/// How much of a message is scored: the reply itself comes first, and a bound keeps the
/// cost of one message small whatever its size.
pub const SCORED_CHARS: usize = 10_000;

/// At or below this score a message counts as strongly negative: the customer is upset.
pub const UPSET_AT: Sentiment = Sentiment(-500);

/// VADER's compound score in thousandths: −1000 (most negative) to 1000 (most positive).
///
/// Whole numbers, so events and rows that carry a score compare exactly.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(transparent)]
pub struct Sentiment(pub i16);

impl Sentiment {
    /// Scores `text` (its first [`SCORED_CHARS`] characters).
    pub fn of(text: &str) -> Sentiment {
        let end = text
            .char_indices()
            .nth(SCORED_CHARS)
            .map_or(text.len(), |(i, _)| i);
        let analyzer = vader_sentiment::SentimentIntensityAnalyzer::new();
        let scores = analyzer.polarity_scores(&text[..end]);
        let compound = scores.get("compound").copied().unwrap_or(0.0);
        // Finite and within ±1 by VADER's normalisation; clamped all the same.
        let thousandths = (compound.clamp(-1.0, 1.0) * 1000.0).round();
        Sentiment(if thousandths.is_finite() {
            thousandths as i16
        } else {
            0
        })
    }

    /// Strongly negative: the owner should call the customer.
    pub fn is_upset(self) -> bool {
        self <= UPSET_AT
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use rstest::rstest;

    use super::*;

    #[rstest]
    #[case("This is unacceptable. Third time the app is down and nobody told us. Furious.")]
    #[case("I am extremely disappointed and angry, this is a disaster for our clinic.")]
    #[case("Terrible service, we are losing patients and money. Awful.")]
    fn an_angry_customer_is_upset(#[case] text: &str) {
        let s = Sentiment::of(text);
        assert!(s.is_upset(), "{s:?} for {text:?}");
    }

    #[rstest]
    #[case("Thanks, it works now. Great job, much appreciated!")]
    #[case("Could you send the invoice to accounts@example.com please?")]
    #[case("Received, we will check on Monday.")]
    #[case("The dashboard is not great yet but ok for now.")]
    #[case("")]
    fn a_calm_or_happy_customer_is_not(#[case] text: &str) {
        let s = Sentiment::of(text);
        assert!(!s.is_upset(), "{s:?} for {text:?}");
    }

    #[test]
    fn praise_scores_above_complaint() {
        assert!(Sentiment::of("wonderful, thank you") > Sentiment::of("awful, you ruined it"));
    }

    #[test]
    fn only_the_first_chars_are_scored() {
        let calm = "The report arrived. ".repeat(SCORED_CHARS / 10);
        let text = format!("{calm}Horrible, awful, disgusting, I hate this!");
        assert_eq!(Sentiment::of(&text), Sentiment::of(&calm));
    }

    proptest! {
        #[test]
        fn any_text_scores_within_range(text in any::<String>()) {
            let s = Sentiment::of(&text);
            prop_assert!((-1000..=1000).contains(&s.0));
        }

        #[test]
        fn words_and_punctuation_never_panic(
            words in proptest::collection::vec(
                prop_oneof![
                    proptest::sample::select(vec![
                        "not", "very", "but", "kind", "of", "!", "?", "GREAT", "bad", "least",
                        ":)", "😠", "", "no", "never", "so", "without", "doubt",
                    ]).prop_map(str::to_owned),
                    "[a-zA-Z!?.]{0,8}",
                ],
                0..40,
            )
        ) {
            let text = words.join(" ");
            let s = Sentiment::of(&text);
            prop_assert!((-1000..=1000).contains(&s.0));
        }
    }
}
