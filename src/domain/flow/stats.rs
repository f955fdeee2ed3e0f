//! Summary statistics for durations measured in days.

use serde::Serialize;

/// Count, mean and the percentiles a Kanban team reads (50th, 70th, 85th, 95th).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Stats {
    pub count: usize,
    pub mean: f64,
    pub p50: f64,
    pub p70: f64,
    pub p85: f64,
    pub p95: f64,
    pub max: f64,
}

impl Stats {
    /// Statistics of `values` (days), or `None` when there are none.
    pub fn of(values: &[f64]) -> Option<Stats> {
        if values.is_empty() {
            return None;
        }
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let sum: f64 = sorted.iter().sum();
        Some(Stats {
            count: sorted.len(),
            mean: round2(sum / sorted.len() as f64),
            p50: percentile(&sorted, 50.0),
            p70: percentile(&sorted, 70.0),
            p85: percentile(&sorted, 85.0),
            p95: percentile(&sorted, 95.0),
            max: sorted[sorted.len() - 1],
        })
    }
}

/// The nearest-rank percentile of ascending `sorted` values: the smallest
/// value such that at least `p`% of the values are at or below it. This is
/// how "85% of items finish in 8 days or less" is read off a history.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Rounds to two decimals: the precision every figure is shown and exported with.
pub fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let v: Vec<f64> = (1..=20).map(f64::from).collect();
        assert_eq!(percentile(&v, 50.0), 10.0);
        assert_eq!(percentile(&v, 85.0), 17.0);
        assert_eq!(percentile(&v, 95.0), 19.0);
        assert_eq!(percentile(&v, 100.0), 20.0);
        assert_eq!(percentile(&[4.0], 85.0), 4.0);
    }

    #[test]
    fn stats_of_unsorted_values() {
        let s = Stats::of(&[3.0, 1.0, 2.0]).unwrap();
        assert_eq!(s.count, 3);
        assert_eq!(s.mean, 2.0);
        assert_eq!(s.p50, 2.0);
        assert_eq!(s.max, 3.0);
        assert!(Stats::of(&[]).is_none());
    }
}
