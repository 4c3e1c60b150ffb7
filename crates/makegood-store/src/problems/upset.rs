//! Which problems' customers are upset (their latest word strongly negative, not yet called),
//! for lists that show the flag beside rows that are not problem views (Today's duties).

use std::collections::HashSet;

use makegood_domain::ProblemId;

use super::load;
use crate::{Result, Store};

impl Store {
    /// The problems among `ids` whose customer is upset, folded from their timelines in one
    /// query (`ProblemView::customer_upset` says the same of one view).
    pub async fn upset_problems(&self, ids: &[ProblemId]) -> Result<HashSet<ProblemId>> {
        let ids: Vec<i64> = ids.iter().map(|p| p.0).collect();
        Ok(load::states(&self.db, &ids)
            .await?
            .into_iter()
            .filter(|(_, state)| state.customer_upset)
            .map(|(id, _)| ProblemId(id))
            .collect())
    }
}
