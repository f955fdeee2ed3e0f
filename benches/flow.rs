//! Flow metrics at 10,000 finished cards and 50,000 move events: the history
//! read, the metrics computed, and the Flow tab loaded and drawn; then the
//! report of every range the Flow tab offers, from the kept flow figures,
//! on a board `teamloop demo --cards N` makes (N from
//! `TEAMLOOP_BENCH_CARDS`, 10,000 unless set).
//!
//! Run with `cargo bench --bench flow` (and
//! `TEAMLOOP_BENCH_CARDS=200000 cargo bench --bench flow -- demo_` for the
//! 200,000-card board).

#[path = "common/plans.rs"]
mod plans;

use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Duration, TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use teamloop::domain::flow::{FlowQuery, FlowRange, flow_report};
use teamloop::domain::{FixedClock, UTC};
use teamloop::store::{self, OpenOptions, Store};
use teamloop::ui::App;

const CARDS: usize = 10_000;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 15, 0, 0).unwrap()
}

/// Every card goes Backlog → To Do → In Progress → Review → Done: five
/// events each, spread over the year before `now`.
fn finished_plan() -> teamloop::domain::demo::DemoPlan {
    plans::finished_plan(CARDS, now(), Some(3), |i| {
        let doing = 2 + (i % 3) as i64;
        let review = doing + 1 + (i % 5) as i64;
        [0, 1, doing, review, review + 1 + (i % 4) as i64].map(Duration::days)
    })
}

fn opts() -> OpenOptions {
    OpenOptions::new("bench").with_clock(Arc::new(FixedClock::new(now())))
}

fn seeded(path: &Path) {
    let mut store = store::open(path, opts()).expect("open");
    store.seed_demo(&finished_plan()).expect("seed");
}

fn flow(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("flow.db");
    seeded(&path);
    let store = store::open(&path, opts()).expect("open");
    let board = store.board().expect("board");
    let history = store.flow_history(&board).expect("history");
    assert_eq!(history.events.len(), CARDS * 5);
    let query = FlowQuery {
        now: now(),
        zone: &UTC,
        range: FlowRange::All,
    };
    assert_eq!(flow_report(&history, &query).throughput.total, CARDS as u32);

    c.bench_function("flow_history_read_10k", |b| {
        b.iter(|| black_box(store.flow_history(&board).expect("history")))
    });
    c.bench_function("flow_metrics_compute_10k", |b| {
        b.iter(|| black_box(flow_report(&history, &query)))
    });
    c.bench_function("flow_report_store_10k_all", |b| {
        b.iter(|| black_box(store.flow_report(&board, FlowRange::All).expect("report")))
    });

    // Switching to the Flow tab: the report loaded and the screen drawn.
    let mut app = App::new(Box::new(store::open(&path, opts()).expect("open")), 120, 40);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    let key = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
    c.bench_function("flow_tab_open_and_draw_10k", |b| {
        b.iter(|| {
            app.handle_key(key('1'));
            app.handle_key(key('2'));
            terminal.draw(|f| app.draw(f)).expect("draw");
        })
    });
}

/// Every range of the Flow tab on a demo board, as the tab and
/// `teamloop metrics` read it, and the tab opened and drawn.
fn flow_on_demo(c: &mut Criterion) {
    let cards: usize = std::env::var("TEAMLOOP_BENCH_CARDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let name = if cards.is_multiple_of(1000) {
        format!("{}k", cards / 1000)
    } else {
        cards.to_string()
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("demo.db");
    {
        let plan = teamloop::domain::demo::ScalePlan::new(now(), 1, cards).expect("plan");
        let mut store = store::open(&path, opts()).expect("open");
        store.seed_demo(&plan).expect("seed");
    }
    let store = store::open(&path, opts()).expect("open");
    let board = store.board().expect("board");
    for (range, label) in [
        (FlowRange::Weeks(2), "2w"),
        (FlowRange::Weeks(4), "4w"),
        (FlowRange::Weeks(12), "12w"),
        (FlowRange::All, "all"),
    ] {
        c.bench_function(&format!("demo_flow_report_{name}_{label}"), |b| {
            b.iter(|| black_box(store.flow_report(&board, range).expect("report")))
        });
    }
    let mut app = App::new(Box::new(store::open(&path, opts()).expect("open")), 120, 40);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    let key = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
    c.bench_function(&format!("demo_flow_tab_open_and_draw_{name}"), |b| {
        b.iter(|| {
            app.handle_key(key('1'));
            app.handle_key(key('2'));
            terminal.draw(|f| app.draw(f)).expect("draw");
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = flow, flow_on_demo
}
criterion_main!(benches);
