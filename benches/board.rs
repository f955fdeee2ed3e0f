//! The board at 10,000 cards (a scale board: 500 open, the rest finished or
//! archived, ~90,000 events): open to first frame, one frame, and a keypress
//! that moves a card (saved, reloaded and redrawn).
//!
//! Run with `cargo bench --bench board`.

use std::hint::black_box;
use std::path::Path;

use chrono::{TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use teamloop::domain::demo::scale_plan;
use teamloop::store::{self, OpenOptions, Store};
use teamloop::ui::App;

const CARDS: usize = 10_000;
const WIDTH: u16 = 120;
const HEIGHT: u16 = 40;

fn seeded(path: &Path) {
    let now = Utc.with_ymd_and_hms(2026, 11, 24, 15, 0, 0).unwrap();
    let plan = scale_plan(now, 1, CARDS).expect("scale plan");
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
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("bench.db");
    seeded(&path);
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("terminal");

    c.bench_function("open_to_first_frame_10k", |b| {
        b.iter(|| {
            let app = app(&path);
            terminal.draw(|f| app.draw(f)).expect("draw");
            black_box(&app);
        })
    });

    let mut app = app(&path);
    c.bench_function("frame_10k", |b| {
        b.iter(|| {
            terminal.draw(|f| app.draw(f)).expect("draw");
        })
    });

    // The selection starts on Backlog's first card; To Do has no WIP limit,
    // so L and H move it there and back: two saved moves per iteration.
    c.bench_function("move_keypress_10k", |b| {
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
