//! Minute histograms for medians and 90th percentiles: exact where it matters, coarser after.
//!
//! Bucket edges (the bucket's key is its lower edge, in minutes):
//! - every minute up to 6 hours;
//! - every 5 minutes up to 48 hours;
//! - every hour up to 30 days;
//! - every day beyond.
//!
//! A percentile is the lower edge of the bucket holding the nearest-rank item, so it is exact
//! up to 6 hours and at most a bucket's width low beyond.

const H6: i64 = 6 * 60;
const H48: i64 = 48 * 60;
const D30: i64 = 30 * 24 * 60;

/// The bucket `minutes` falls in (negative minutes count as zero).
pub fn bucket_of(minutes: i64) -> i64 {
    let m = minutes.max(0);
    let width = if m < H6 {
        1
    } else if m < H48 {
        5
    } else if m < D30 {
        60
    } else {
        24 * 60
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
        assert_eq!(bucket_of(359), 359);
        assert_eq!(bucket_of(363), 360);
        assert_eq!(bucket_of(48 * 60 + 59), 48 * 60);
        assert_eq!(bucket_of(31 * 24 * 60 + 5), 31 * 24 * 60);
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
