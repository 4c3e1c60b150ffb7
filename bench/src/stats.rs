//! Summaries of repeated timings.

use std::time::Duration;

/// The minimum, median and maximum of a set of timings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Summary {
    pub min: Duration,
    pub median: Duration,
    pub max: Duration,
}

impl Summary {
    /// The summary of `times`; `None` when there are none. An even count's median is the
    /// mean of the middle two.
    pub fn of(times: &[Duration]) -> Option<Summary> {
        let mut sorted = times.to_vec();
        sorted.sort_unstable();
        let (min, max) = (*sorted.first()?, *sorted.last()?);
        let mid = sorted.len() / 2;
        let median = if sorted.len() % 2 == 1 {
            sorted[mid]
        } else {
            (sorted[mid - 1] + sorted[mid]) / 2
        };
        Some(Summary { min, median, max })
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ms = |d: Duration| d.as_secs_f64() * 1_000.0;
        write!(
            f,
            "min {:.1} ms, median {:.1} ms, max {:.1} ms",
            ms(self.min),
            ms(self.median),
            ms(self.max)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(v: &[u64]) -> Vec<Duration> {
        v.iter().map(|m| Duration::from_millis(*m)).collect()
    }

    #[test]
    fn the_median_of_an_odd_and_an_even_count() {
        let odd = Summary::of(&ms(&[30, 10, 20])).unwrap();
        assert_eq!(
            (odd.min, odd.median, odd.max),
            (ms(&[10])[0], ms(&[20])[0], ms(&[30])[0])
        );
        let even = Summary::of(&ms(&[40, 10, 20, 30])).unwrap();
        assert_eq!(even.median, Duration::from_millis(25));
        assert_eq!(Summary::of(&[]), None);
    }
}
