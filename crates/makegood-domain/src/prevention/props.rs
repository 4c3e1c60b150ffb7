//! Property tests of prevention: the recurrence window boundary, the check boundary.

use jiff::{SignedDuration, Timestamp};
use proptest::prelude::*;

use super::tests::open;
use super::*;
use crate::AccountId;
use crate::testing::at;

fn past(id: i64, accounts: Vec<AccountId>, category: &str, detected_at: Timestamp) -> PastProblem {
    PastProblem {
        id: ProblemId(id),
        accounts,
        category: category.into(),
        cause_category: None,
        detected_at,
    }
}

proptest! {
    /// A like problem for a shared account recurs exactly when it lies within the window
    /// before the new one (both ends included).
    #[test]
    fn recurrence_respects_the_window_boundary(
        window_min in 0i64..200_000,
        age_min in -1_000i64..400_000,
        shared in any::<bool>(),
    ) {
        let accounts = [AccountId(1)];
        let new = Occurrence { accounts: &accounts, category: "Printing", cause_category: None, detected_at: at(500_000) };
        let theirs = if shared { vec![AccountId(2), AccountId(1)] } else { vec![AccountId(2)] };
        let earlier = [past(4, theirs, "Printing", at(500_000 - age_min))];
        let got = is_recurring(&new, &earlier, SignedDuration::from_mins(window_min));
        let want = shared && (0..=window_min).contains(&age_min);
        prop_assert_eq!(got, want.then_some(ProblemId(4)));
    }

    /// Whatever the earlier problems, a match is one of them, within the window, and none that
    /// matches is more recent.
    #[test]
    fn recurrence_picks_the_most_recent_match(
        earlier in prop::collection::vec((1i64..100, 0i64..4, prop::sample::select(vec!["Printing", "Delivery"]), 0i64..300_000), 0..12),
        window_min in 0i64..200_000,
    ) {
        let accounts = [AccountId(1), AccountId(2)];
        let now = at(300_000);
        let new = Occurrence { accounts: &accounts, category: "Printing", cause_category: None, detected_at: now };
        let earlier: Vec<PastProblem> = earlier
            .into_iter()
            .map(|(id, acct, cat, t)| past(id, vec![AccountId(acct)], cat, at(t)))
            .collect();
        let window = SignedDuration::from_mins(window_min);
        let matching = |p: &&PastProblem| {
            p.category == "Printing"
                && accounts.contains(&p.accounts[0])
                && now.duration_since(p.detected_at) <= window
        };
        let got = is_recurring(&new, &earlier, window);
        let latest = earlier.iter().filter(matching).map(|p| p.detected_at).max();
        match got {
            None => prop_assert!(latest.is_none()),
            Some(id) => {
                let chosen = earlier.iter().filter(matching).filter(|p| p.id == id).map(|p| p.detected_at).max();
                prop_assert_eq!(chosen, latest);
            }
        }
    }

    /// The effectiveness check is accepted exactly from done + the check period on.
    #[test]
    fn the_check_waits_for_its_day(days in 0i64..400, done_min in 0i64..1_000, now_min in 0i64..700_000) {
        let mut p = open();
        p.check_after_days = days;
        p.mark_done(at(done_min)).unwrap();
        let result = p.check(true, None, at(now_min));
        prop_assert_eq!(result.is_ok(), now_min >= done_min + days * 24 * 60);
    }
}
