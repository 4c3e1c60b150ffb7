//! Promise reliability: how a member's or an account's promises ended, and the rates that matter.
//!
//! A kept promise is on time by definition (it can only be kept before it is due), and a
//! renegotiated one was renegotiated in time (only possible before due). The rates are shares of
//! the promises that were *decided* by the team: kept, renegotiated or broken. Released promises
//! (the customer waived them) and open ones that are not yet due count in neither direction.

use std::fmt;

use serde::Serialize;

/// How many promises ended which way, or are still open.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PromiseRecord {
    pub kept: u64,
    pub renegotiated: u64,
    /// Including open promises already past due.
    pub broken: u64,
    pub released: u64,
    /// Open and not yet due.
    pub open: u64,
}

impl PromiseRecord {
    /// Every promise counted.
    pub fn total(&self) -> u64 {
        self.kept + self.renegotiated + self.broken + self.released + self.open
    }

    /// The promises the rates are shares of: kept, renegotiated or broken.
    pub fn decided(&self) -> u64 {
        self.kept + self.renegotiated + self.broken
    }

    /// Kept on time, of the decided promises; `None` when nothing was decided.
    pub fn kept_rate(&self) -> Option<Rate> {
        Rate::of(self.kept, self.decided())
    }

    /// Renegotiated in time, of the decided promises.
    pub fn renegotiated_rate(&self) -> Option<Rate> {
        Rate::of(self.renegotiated, self.decided())
    }

    /// Broken, of the decided promises.
    pub fn broken_rate(&self) -> Option<Rate> {
        Rate::of(self.broken, self.decided())
    }
}

/// A share in basis points: 10,000 is 100 %. Shown with one decimal: `66.7%`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Rate(u32);

impl Rate {
    /// `part` of `whole`, rounded half up to a basis point; `None` when `whole` is zero or
    /// `part` exceeds it.
    pub fn of(part: u64, whole: u64) -> Option<Rate> {
        if whole == 0 || part > whole {
            return None;
        }
        let bp = (u128::from(part) * 10_000 + u128::from(whole) / 2) / u128::from(whole);
        u32::try_from(bp).ok().map(Rate)
    }

    /// From basis points, at most 10,000.
    pub fn from_basis_points(bp: u32) -> Option<Rate> {
        (bp <= 10_000).then_some(Rate(bp))
    }

    pub fn basis_points(self) -> u32 {
        self.0
    }

    /// Whole percent, rounded half up (for bar widths and the like).
    pub fn whole_percent(self) -> u32 {
        (self.0 + 50) / 100
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tenths = (self.0 + 5) / 10;
        write!(f, "{}.{}%", tenths / 10, tenths % 10)
    }
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    #[rstest]
    #[case(2, 3, Some(6_667), "66.7%")]
    #[case(1, 3, Some(3_333), "33.3%")]
    #[case(1, 8, Some(1_250), "12.5%")]
    #[case(3, 3, Some(10_000), "100.0%")]
    #[case(0, 5, Some(0), "0.0%")]
    #[case(1, 20_000, Some(1), "0.0%")]
    #[case(1, 200_000, Some(0), "0.0%")]
    #[case(1, 16, Some(625), "6.3%")]
    fn rates_round_half_up(
        #[case] part: u64,
        #[case] whole: u64,
        #[case] bp: Option<u32>,
        #[case] shown: &str,
    ) {
        let rate = Rate::of(part, whole);
        assert_eq!(rate.map(Rate::basis_points), bp);
        assert_eq!(rate.map(|r| r.to_string()).as_deref(), Some(shown));
    }

    #[test]
    fn no_rate_without_decided_promises() {
        assert_eq!(Rate::of(0, 0), None);
        assert_eq!(Rate::of(4, 3), None);
        let only_open = PromiseRecord {
            open: 3,
            released: 2,
            ..PromiseRecord::default()
        };
        assert_eq!(only_open.kept_rate(), None);
        assert_eq!(only_open.total(), 5);
    }

    #[test]
    fn rates_are_shares_of_decided_promises_only() {
        let record = PromiseRecord {
            kept: 6,
            renegotiated: 3,
            broken: 1,
            released: 4,
            open: 7,
        };
        assert_eq!(record.decided(), 10);
        assert_eq!(record.kept_rate(), Rate::from_basis_points(6_000));
        assert_eq!(record.renegotiated_rate(), Rate::from_basis_points(3_000));
        assert_eq!(record.broken_rate(), Rate::from_basis_points(1_000));
        assert_eq!(record.kept_rate().map(Rate::whole_percent), Some(60));
    }

    proptest::proptest! {
        #[test]
        fn rates_stay_within_bounds(kept in 0u64..10_000, renegotiated in 0u64..10_000, broken in 0u64..10_000) {
            let record = PromiseRecord { kept, renegotiated, broken, ..PromiseRecord::default() };
            let sum: u32 = [record.kept_rate(), record.renegotiated_rate(), record.broken_rate()]
                .into_iter()
                .flatten()
                .map(Rate::basis_points)
                .sum();
            proptest::prop_assert!(sum <= 10_002);
            if record.decided() > 0 {
                proptest::prop_assert!(sum >= 9_998);
            }
        }
    }
}
