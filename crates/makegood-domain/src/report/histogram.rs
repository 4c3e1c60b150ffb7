//! Minute histograms for medians and 90th percentiles: exact where it matters, coarser after.
//!
//! Bucket edges (the bucket's key is its lower edge, in minutes):
//! - every minute up to 1 hour;
//! - every 5 minutes up to 4 hours;
//! - every 15 minutes up to 24 hours;
//! - every hour up to 7 days;
//! - every 6 hours up to 30 days;
//! - every day beyond.
//!
//! A percentile is the lower edge of the bucket holding the nearest-rank item: exact up to an
//! hour, and at most one bucket's width low beyond (about 4 % of the value or less).

const HOUR: i64 = 60;
const DAY: i64 = 24 * HOUR;

/// The bucket `minutes` falls in (negative minutes count as zero).
pub fn bucket_of(minutes: i64) -> i64 {
    let m = minutes.max(0);
    let width = if m < HOUR {
        1
    } else if m < 4 * HOUR {
        5
    } else if m < DAY {
        15
    } else if m < 7 * DAY {
        HOUR
    } else if m < 30 * DAY {
        6 * HOUR
    } else {
        DAY
    };
    m - m % width
}

/// The `p`-th percentile (0 < p ≤ 100, nearest rank) of a histogram given as
/// `(bucket, count)` pairs in any order; `None` when it is empty.
pub fn percentile(buckets: &[(i64, i64)], p: i64) -> Option<i64> {
    let total: i64 = buckets.iter().map(|(_, n)| n).sum();
    if total <= 0 {
        return None;
    }
    let mut sorted: Vec<(i64, i64)> = buckets.iter().copied().filter(|(_, n)| *n > 0).collect();
    sorted.sort_unstable();
    // Nearest rank: the smallest value with at least p% of the items at or below it.
    let rank = (total * p + 99) / 100;
    let mut seen = 0;
    for (bucket, n) in sorted {
        seen += n;
        if seen >= rank.max(1) {
            return Some(bucket);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_exact_then_coarser() {
        assert_eq!(bucket_of(-3), 0);
        assert_eq!(bucket_of(59), 59);
        assert_eq!(bucket_of(64), 60);
        assert_eq!(bucket_of(4 * 60 + 14), 240);
        assert_eq!(bucket_of(2 * DAY + 59), 2 * DAY);
        assert_eq!(bucket_of(8 * DAY + 5 * HOUR), 8 * DAY);
        assert_eq!(bucket_of(31 * DAY + 5), 31 * DAY);
    }

    #[test]
    fn nearest_rank_percentiles() {
        let h = [(30, 1), (10, 1), (20, 1), (40, 1)];
        assert_eq!(percentile(&h, 50), Some(20));
        assert_eq!(percentile(&h, 90), Some(40));
        assert_eq!(percentile(&[(5, 1)], 90), Some(5));
        assert_eq!(percentile(&[], 50), None);
    }
}
