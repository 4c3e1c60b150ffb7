//! Timestamps: microsecond precision on both backends, and correct ordering in SQL on SQLite,
//! whose timestamps are text.

use jiff::{SignedDuration, Timestamp};
use makegood_domain::ClockState;
use makegood_store::{PageRequest, ProblemFilter, Store};

use crate::common::*;

store_test! {
    async fn timestamps_keep_microseconds_and_order_correctly_in_sql(store: Store) {
        let w = world(&store).await;
        let base = now() - hours(1);
        // Offsets with 0, 3, 6 and 9 fractional digits, created out of order.
        let offsets = [
            SignedDuration::new(0, 500_000_000),
            SignedDuration::ZERO,
            SignedDuration::new(0, 123_456_789),
            SignedDuration::new(0, 1_000),
            SignedDuration::new(1, 0),
            SignedDuration::new(0, 999_999_000),
        ];
        let mut created = Vec::new();
        for (i, offset) in offsets.iter().enumerate() {
            let mut p = new_problem(&w, &format!("P{i}"));
            p.detected_at = Some(base + *offset);
            let v = store.create_problem(actor(&w.agent, now() + SignedDuration::new(0, 1)), p).await.unwrap();
            let micros = Timestamp::from_microsecond((base + *offset).as_microsecond()).unwrap();
            assert_eq!(v.problem.detected_at, micros, "stored with microsecond precision");
            assert_eq!(store.problem(v.problem.id, now()).await.unwrap(), v, "read back exactly");
            created.push((micros, v.problem.id));
        }
        created.sort();
        let listed: Vec<_> = store
            .list_problems(&ProblemFilter::default(), &PageRequest::default(), now())
            .await
            .unwrap()
            .items
            .into_iter()
            .map(|v| (v.problem.detected_at, v.problem.id))
            .collect();
        assert_eq!(listed, created, "ordered by the (text, on SQLite) next deadline");

        // The tell deadline is detected + 4 h; compare at the exact microsecond boundary.
        let (first, first_id) = created[1];
        let due = first + hours(4);
        let breached = ProblemFilter { clock_state: Some(ClockState::Breached), ..Default::default() };
        let at = |t: Timestamp| {
            let store = store.clone();
            let filter = breached.clone();
            async move {
                store.list_problems(&filter, &PageRequest::default(), t).await.unwrap().items.into_iter().map(|v| v.problem.id).collect::<Vec<_>>()
            }
        };
        assert_eq!(at(due).await.len(), 1, "only the whole-second one is due by then");
        assert_eq!(at(due - SignedDuration::new(0, 1_000)).await.len(), 0);
        assert_eq!(at(due + SignedDuration::new(0, 1_000)).await, [created[0].1, first_id]);
    }
}
