//! The board on the team's server (PostgreSQL, over the test server's
//! socket): a 10,000-card scale board imported from a file, then open to
//! first frame, a keypress that moves a card, the Flow tab, a look for
//! changes when nothing changed, and how long a move takes to reach another terminal.
//!
//! Needs a server: `eval "$(.ci/postgres start)"; cargo bench --bench server`
//! (without one it says so and measures nothing).

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use teamloop::domain::demo::scale_plan;
use teamloop::store::server::{ScratchDatabase, init_server, open_server};
use teamloop::store::{self, OpenOptions, Store};
use teamloop::ui::App;

const CARDS: usize = 10_000;
const WIDTH: u16 = 120;
const HEIGHT: u16 = 40;

fn export_of_a_scale_board(dir: &Path) -> String {
    let path = dir.join("bench.db");
    let now = Utc.with_ymd_and_hms(2026, 11, 24, 15, 0, 0).unwrap();
    let plan = scale_plan(now, 1, CARDS).expect("scale plan");
    let mut file = store::open(&path, OpenOptions::new("bench")).expect("open");
    file.seed_demo(&plan).expect("seed");
    file.export_json().expect("export").text
}

fn app(address: &str, who: &str) -> App {
    let store = open_server(address, OpenOptions::new(who)).expect("open");
    App::new(Box::new(store), WIDTH, HEIGHT)
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn server(c: &mut Criterion) {
    let Some(db) = ScratchDatabase::new() else {
        eprintln!("no test server (TEAMLOOP_TEST_PG): nothing measured");
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let export = export_of_a_scale_board(dir.path());
    let (mut first, _) = init_server(&db.address, OpenOptions::new("bench")).expect("init");
    first.import(export.as_bytes()).expect("import");
    drop(first);
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("terminal");

    c.bench_function("server_open_to_first_frame_10k", |b| {
        b.iter(|| {
            let app = app(&db.address, "bench");
            terminal.draw(|f| app.draw(f)).expect("draw");
        })
    });

    let mut ana = app(&db.address, "ana");
    c.bench_function("server_move_keypress_10k", |b| {
        b.iter(|| {
            ana.handle_key(key(KeyCode::Char('L')));
            terminal.draw(|f| ana.draw(f)).expect("draw");
            ana.handle_key(key(KeyCode::Char('H')));
            terminal.draw(|f| ana.draw(f)).expect("draw");
        })
    });
    assert!(
        !ana.state.status.text.contains("WIP") && !ana.state.status.text.contains("server"),
        "the moves went through: {}",
        ana.state.status.text
    );

    // The Flow tab reads the board's whole history (issue 20 makes its
    // cost follow what it shows): switching to it from the board.
    let mut flow = app(&db.address, "flow");
    c.bench_function("server_flow_tab_open_and_draw_10k", |b| {
        b.iter(|| {
            flow.handle_key(key(KeyCode::Char('1')));
            flow.handle_key(key(KeyCode::Char('2')));
            terminal.draw(|f| flow.draw(f)).expect("draw");
        })
    });

    let mut ben = app(&db.address, "ben");
    std::thread::sleep(Duration::from_millis(300));
    ben.check_changes();
    c.bench_function("server_look_for_changes_none", |b| {
        b.iter(|| assert!(!ben.check_changes()))
    });

    // From Ana's keypress to Ben's terminal having read and drawn it, with
    // Ben looking as often as the app does.
    let mut right = true;
    c.bench_function("server_move_seen_by_another_terminal_10k", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let started = Instant::now();
                let k = if right { 'L' } else { 'H' };
                right = !right;
                ana.handle_key(key(KeyCode::Char(k)));
                while !ben.check_changes() {
                    assert!(
                        started.elapsed() < Duration::from_secs(5),
                        "Ben never saw the move: {} / {}",
                        ana.state.status.text,
                        ben.state.status.text
                    );
                    std::thread::sleep(Duration::from_millis(1));
                }
                terminal.draw(|f| ben.draw(f)).expect("draw");
                total += started.elapsed();
            }
            total
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = server
}
criterion_main!(benches);
