//! Forecasts at 10,000 finished cards over a year: the finishes per day
//! read from the store, 10,000 trials for 100 cards, the backtest of a
//! year of history, and a whole forecast with its track record.
//!
//! Run with `cargo bench --bench forecast`.

#[path = "common/plans.rs"]
mod plans;

use std::hint::black_box;
use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use teamloop::domain::FixedClock;
use teamloop::domain::forecast::run::{complete_days, read_from};
use teamloop::domain::forecast::{
    Ask, Question, Sample, Settings, backtest, forecast, how_many, when,
};
use teamloop::domain::rng::Rng;
use teamloop::store::{self, OpenOptions, Store};

const CARDS: usize = 10_000;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 15, 0, 0).unwrap()
}

/// Every card goes Backlog → To Do → In Progress → Review → Done, its
/// finish on an uneven day of the year before `now`.
fn finished_plan() -> teamloop::domain::demo::DemoPlan {
    let mut rng = Rng::new(7);
    plans::finished_plan(CARDS, now(), None, |_| {
        let doing = 1 + rng.below(3) as i64;
        let review = doing + rng.below(4) as i64;
        let done = review + rng.below(5) as i64;
        [0, 2, doing * 24, review * 24 + 3, done * 24 + 5].map(Duration::hours)
    })
}

fn opts() -> OpenOptions {
    OpenOptions::new("bench").with_clock(Arc::new(FixedClock::new(now())))
}

fn forecasts(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("forecast.db");
    store::open(&path, opts())
        .expect("open")
        .seed_demo(&finished_plan())
        .expect("seed");
    let store = store::open(&path, opts()).expect("open");
    let board = store.board().expect("board");
    let today: NaiveDate = now().date_naive();
    let days = store
        .finishes_per_day(&board, None)
        .expect("finishes per day");
    let total: u32 = days.iter().map(|d| d.1).sum();
    assert_eq!(total, CARDS as u32);
    let sample = Sample::window(&days, today, 12);
    let (first, history) = complete_days(&days, today).expect("history");
    assert!(history.len() >= 365, "{}", history.len());

    c.bench_function("forecast_finishes_per_day_read_10k_window", |b| {
        b.iter(|| {
            black_box(
                store
                    .finishes_per_day(&board, Some(read_from(today, 12)))
                    .expect("read"),
            )
        })
    });
    c.bench_function("forecast_when_100_items_10000_trials", |b| {
        b.iter(|| black_box(when(&sample, 100, 10_000, &mut Rng::new(1))))
    });
    c.bench_function("forecast_how_many_14_days_10000_trials", |b| {
        b.iter(|| black_box(how_many(&sample, 14, 10_000, &mut Rng::new(1))))
    });
    c.bench_function("forecast_backtest_year_how_many_14_days", |b| {
        b.iter(|| {
            black_box(backtest(
                &history,
                first,
                12,
                Question::HowMany { days: 14 },
                365,
                1_000,
                &mut Rng::new(1),
            ))
        })
    });
    c.bench_function("forecast_backtest_year_when_100_items", |b| {
        b.iter(|| {
            black_box(backtest(
                &history,
                first,
                12,
                Question::When { items: 100 },
                365,
                1_000,
                &mut Rng::new(1),
            ))
        })
    });
    // What `teamloop forecast when 100` computes after its read: the
    // forecast and its track record.
    let settings = Settings {
        weeks: 12,
        trials: 10_000,
        seed: 1,
    };
    c.bench_function("forecast_when_100_with_track_record", |b| {
        b.iter(|| black_box(forecast(&days, today, Ask::When(100), settings)))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = forecasts
}
criterion_main!(benches);
