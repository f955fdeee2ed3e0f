//! The board on the scale boards `teamloop demo --cards N` makes (500 open,
//! the rest finished or archived, ~9 events a card) at 1,000, 10,000 and
//! 200,000 cards: open to first frame, one frame, and a keypress that moves
//! a card (saved, reloaded and redrawn). The target: at 200,000 cards each
//! within 5 ms of the same at 1,000 (docs/PERFORMANCE.md).
//!
//! Run with `cargo bench --bench board` (making the 200,000-card board
//! takes about a minute).

use std::hint::black_box;
use std::path::Path;

use chrono::{TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use teamloop::domain::demo::ScalePlan;
use teamloop::store::{self, OpenOptions, Store};
use teamloop::ui::App;

const SIZES: [(usize, &str); 3] = [(1_000, "1k"), (10_000, "10k"), (200_000, "200k")];
const WIDTH: u16 = 120;
const HEIGHT: u16 = 40;

fn seeded(path: &Path, cards: usize) {
    let now = Utc.with_ymd_and_hms(2026, 11, 24, 15, 0, 0).unwrap();
    let plan = ScalePlan::new(now, 1, cards).expect("scale plan");
    let mut store = store::open(path, OpenOptions::new("bench")).expect("open");
    store.seed_demo(&plan).expect("seed");
}

fn app(path: &Path) -> App {
    let store = store::open(path, OpenOptions::new("bench")).expect("open");
    App::new(Box::new(store), WIDTH, HEIGHT)
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn board(c: &mut Criterion) {
    for (cards, name) in SIZES {
        board_of(c, cards, name);
    }
}

fn board_of(c: &mut Criterion, cards: usize, name: &str) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("bench.db");
    seeded(&path, cards);
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("terminal");

    c.bench_function(&format!("open_to_first_frame_{name}"), |b| {
        b.iter(|| {
            let app = app(&path);
            terminal.draw(|f| app.draw(f)).expect("draw");
            black_box(&app);
        })
    });

    let mut app = app(&path);
    c.bench_function(&format!("frame_{name}"), |b| {
        b.iter(|| {
            terminal.draw(|f| app.draw(f)).expect("draw");
        })
    });

    // The selection starts on Backlog's first card; To Do has no WIP limit,
    // so L and H move it there and back: two saved moves per iteration.
    c.bench_function(&format!("move_keypress_{name}"), |b| {
        b.iter(|| {
            app.handle_key(key(KeyCode::Char('L')));
            terminal.draw(|f| app.draw(f)).expect("draw");
            app.handle_key(key(KeyCode::Char('H')));
            terminal.draw(|f| app.draw(f)).expect("draw");
        })
    });
    assert!(
        !app.state.status.text.contains("WIP"),
        "the moves went through: {}",
        app.state.status.text
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = board
}
criterion_main!(benches);
