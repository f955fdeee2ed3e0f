use chrono::{Duration, NaiveDate};

use super::*;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn sample(daily: Vec<u32>) -> Sample {
    let from = day("2026-01-01");
    Sample {
        from,
        to: from + Duration::days(daily.len() as i64 - 1),
        daily,
    }
}

/// A stable process: each day's count is the successes of 6 tries at 30%.
fn stable(days: usize, seed: u64) -> Vec<u32> {
    let mut r = Rng::new(seed);
    (0..days)
        .map(|_| (0..6).filter(|_| r.chance(30)).count() as u32)
        .collect()
}

#[test]
fn one_a_day_gives_exact_dates_at_every_percentile() {
    let s = sample(vec![1; 84]);
    let w = when(&s, 10, 1000, &mut Rng::new(7));
    for p in PERCENTILES {
        assert_eq!(w.at_most(p), 10, "{p}%");
    }
    let h = how_many(&s, 7, 1000, &mut Rng::new(7));
    for p in PERCENTILES {
        assert_eq!(h.at_least(p), 7, "{p}%");
    }
    assert_eq!(s.check(), Ok(()));
}

#[test]
fn a_history_of_zeros_refuses() {
    let s = sample(vec![0; 84]);
    assert_eq!(
        s.check(),
        Err(Refusal::TooFew {
            finished: 0,
            days: 84
        })
    );
    assert!(
        s.check()
            .unwrap_err()
            .to_string()
            .starts_with("no forecast")
    );
    let none = Sample::window(&[], day("2026-03-01"), 12);
    assert_eq!(none.check(), Err(Refusal::NoHistory));
}

#[test]
fn a_long_empty_stretch_refuses_and_a_short_one_does_not() {
    // 30 finishes, then 30 empty days, in 84.
    let mut d = vec![1u32; 84];
    for x in &mut d[40..70] {
        *x = 0;
    }
    let s = sample(d.clone());
    assert_eq!(
        s.check(),
        Err(Refusal::Empty {
            days: 30,
            from: day("2026-01-01") + Duration::days(40),
            window: 84
        })
    );
    // A two-week holiday is not a reason to refuse.
    for x in &mut d[54..70] {
        *x = 1;
    }
    assert_eq!(sample(d).check(), Ok(()));
    // Nine finishes are too few.
    let mut few = vec![0u32; 84];
    for i in 0..9 {
        few[i * 9] = 1;
    }
    assert!(matches!(
        sample(few).check(),
        Err(Refusal::TooFew { finished: 9, .. })
    ));
}

#[test]
fn a_seeded_run_repeats_and_another_seed_differs() {
    let s = sample(stable(84, 3));
    let a = when(&s, 40, 2000, &mut Rng::new(11));
    let b = when(&s, 40, 2000, &mut Rng::new(11));
    let c = when(&s, 40, 2000, &mut Rng::new(12));
    assert_eq!(a, b);
    assert_ne!(a.sorted, c.sorted);
    assert_eq!(
        how_many(&s, 20, 500, &mut Rng::new(5)),
        how_many(&s, 20, 500, &mut Rng::new(5))
    );
}

#[test]
fn how_many_and_when_agree_on_the_same_history() {
    let s = sample(stable(84, 9));
    for items in [5, 30, 120] {
        let w = when(&s, items, 3000, &mut Rng::new(21));
        for p in PERCENTILES {
            let d = w.at_most(p);
            // By the day "when" gives, "how many" gives at least the items
            // at the same likelihood; a day earlier, fewer.
            let by = how_many(&s, d, 3000, &mut Rng::new(21));
            assert!(by.at_least(p) >= items, "{items} items, {p}%: day {d}");
            let before = how_many(&s, d - 1, 3000, &mut Rng::new(21));
            assert!(before.at_least(p) < items, "{items} items, {p}%: day {d}");
        }
    }
}

#[test]
fn percentiles_read_the_right_way() {
    let o = Outcomes::of((1..=100).rev().collect());
    assert_eq!(o.at_most(85), 85);
    assert_eq!(o.at_most(50), 50);
    assert_eq!(o.at_least(85), 16);
    assert_eq!(o.at_least(95), 6);
    assert!((o.share_at_least(16) - 0.85).abs() < 1e-9);
    assert!((o.share_at_most(85) - 0.85).abs() < 1e-9);
    // More likely means later for "when", fewer for "how many".
    let s = sample(stable(84, 1));
    let w = when(&s, 50, 2000, &mut Rng::new(1));
    let h = how_many(&s, 20, 2000, &mut Rng::new(1));
    assert!(w.at_most(50) <= w.at_most(85) && w.at_most(85) <= w.at_most(95));
    assert!(h.at_least(50) >= h.at_least(85) && h.at_least(85) >= h.at_least(95));
}

#[test]
fn the_histogram_counts_every_trial_once() {
    let o = Outcomes::of(vec![3, 3, 4, 7, 9, 9, 9, 12]);
    let bars = o.histogram(5);
    assert_eq!(bars.first().map(|b| b.0), Some(3));
    assert_eq!(bars.last().map(|b| b.1), Some(12));
    assert_eq!(bars.iter().map(|b| b.2).sum::<u32>(), 8);
    assert!(bars.len() <= 5);
    assert_eq!(Outcomes::of(vec![4; 10]).histogram(8), vec![(4, 4, 10)]);
}

#[test]
fn the_window_is_the_complete_days_before_today() {
    let today = day("2026-03-01");
    let days = vec![
        (day("2025-10-01"), 3),
        (today - Duration::days(84), 5),
        (today - Duration::days(1), 2),
        (today, 9),
    ];
    let s = Sample::window(&days, today, 12);
    assert_eq!(s.daily.len(), 84);
    assert_eq!(s.to, today - Duration::days(1));
    assert_eq!(s.finished(), 7);
    // A board younger than the window: all of its history.
    let young = Sample::window(&[(today - Duration::days(10), 4)], today, 12);
    assert_eq!(young.daily.len(), 10);
    assert_eq!(young.finished(), 4);
}

#[test]
fn a_backtest_of_a_stable_process_holds_near_its_percentiles() {
    let history = stable(1200, 42);
    let first = day("2023-01-01");
    let bt = backtest(
        &history,
        first,
        12,
        Question::HowMany { days: 14 },
        1000,
        500,
        &mut Rng::new(3),
    );
    assert!(bt.forecasts > 900, "{bt:?}");
    let rate = bt.rate(CHECKED).unwrap();
    assert!((0.80..=0.90).contains(&rate), "85% line held {rate}");
    assert!(bt.rate(50).unwrap() < bt.rate(95).unwrap());
    assert!(bt.verdict().contains("about as often as it should"));
    let bt = backtest(
        &history,
        first,
        12,
        Question::When { items: 20 },
        1000,
        500,
        &mut Rng::new(3),
    );
    let rate = bt.rate(CHECKED).unwrap();
    assert!((0.80..=0.90).contains(&rate), "85% line held {rate}");
}

#[test]
fn a_backtest_of_a_slowing_process_says_it_held_too_rarely() {
    // Four finishes a day for a year, then one a day.
    let mut history = vec![4u32; 365];
    history.extend(vec![1u32; 200]);
    let bt = backtest(
        &history,
        day("2024-01-01"),
        12,
        Question::HowMany { days: 14 },
        200,
        200,
        &mut Rng::new(1),
    );
    assert!(bt.rate(CHECKED).unwrap() < 0.8);
    assert!(
        bt.verdict().contains("less often than it should"),
        "{}",
        bt.verdict()
    );
}

#[test]
fn little_gap_says_when_the_flow_was_unstable() {
    assert!(!Stability::of(10.0, 9.0).unstable());
    // Apart by more than a quarter, but by less than a card.
    assert!(!Stability::of(0.0, 0.08).unstable());
    let s = Stability::of(20.0, 10.0);
    assert!(s.unstable());
    assert!(s.to_string().contains("+50%"), "{s}");
}

#[test]
fn the_chance_of_finishing_by_a_day() {
    let today = day("2026-03-01");
    let days: Vec<(NaiveDate, u32)> = (1..=84).map(|i| (today - Duration::days(i), 1)).collect();
    let settings = Settings {
        weeks: 12,
        trials: 500,
        seed: 1,
    };
    let by = today + Duration::days(5);
    // One a day: five cards in five days for sure, six never.
    assert_eq!(
        chance(&days, today, 5, by, settings).likelihood(),
        Some(1.0)
    );
    assert_eq!(
        chance(&days, today, 6, by, settings).likelihood(),
        Some(0.0)
    );
    // Nothing left, or no day left: no forecast.
    assert_eq!(chance(&days, today, 0, by, settings).forecast, None);
    assert_eq!(chance(&days, today, 3, today, settings).forecast, None);
    // Half the days finish two, half none: three cards in two days is
    // done when both days draw two, a quarter of the time.
    let uneven: Vec<(NaiveDate, u32)> = (1..=84)
        .map(|i| (today - Duration::days(i), if i % 2 == 0 { 2 } else { 0 }))
        .collect();
    let settings = Settings {
        trials: 20_000,
        ..settings
    };
    let p = chance(&uneven, today, 3, today + Duration::days(2), settings)
        .likelihood()
        .unwrap();
    assert!((p - 0.25).abs() < 0.02, "{p}");
}
