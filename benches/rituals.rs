//! The Sprint, Standup, Retro and Mortems tabs on the 10,000-card scale
//! board `teamloop demo --cards 10000` makes, with a running sprint of 80
//! cards, a retro at its facts phase and sixty post-mortems: opening each
//! tab (load and first draw), the reload that follows every change made on
//! the Sprint tab, a standup keypress, a retro vote, and a keypress in a
//! 20,000-character section being linted as it is written.
//!
//! Run with `cargo bench --bench rituals`; `TEAMLOOP_BENCH_CARDS=200000`
//! runs it on a larger board (the names then end in `_200k`).

use std::path::Path;
use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use teamloop::domain::FixedClock;
use teamloop::domain::demo::ScalePlan;
use teamloop::domain::mortem::{ActionType, NewAction, Priority};
use teamloop::domain::retro::{Phase, SafetyKind, format};
use teamloop::domain::sprint::NewSprint;
use teamloop::store::{
    self, MortemStore, NewRetro, OpenOptions, RetroStore, SprintPatch, SprintStore, Store,
};
use teamloop::ui::App;

/// The board's size: 10,000 cards unless `TEAMLOOP_BENCH_CARDS` says.
fn cards() -> usize {
    std::env::var("TEAMLOOP_BENCH_CARDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000)
}

/// A bench's name with the board's size: `retro_tab_open_10k`.
fn named(what: &str) -> String {
    format!("{what}_{}k", cards() / 1000)
}
const SPRINT_CARDS: usize = 80;
const WIDTH: u16 = 120;
const HEIGHT: u16 = 40;

fn opts() -> OpenOptions {
    let now = Utc.with_ymd_and_hms(2026, 11, 24, 15, 0, 0).unwrap();
    OpenOptions::new("bench").with_clock(Arc::new(FixedClock::new(now)))
}

fn seeded(path: &Path) {
    let now = Utc.with_ymd_and_hms(2026, 11, 24, 15, 0, 0).unwrap();
    let plan = ScalePlan::new(now, 1, cards()).expect("scale plan");
    let mut store = store::open(path, opts()).expect("open");
    store.seed_demo(&plan).expect("seed");
    let board = store.board().expect("board");
    let sprint = store
        .create_sprint(
            board.id,
            NewSprint {
                name: "Sprint 1".into(),
                goal: "Measure the sprint screens".into(),
                start: (now - Duration::days(5)).date_naive(),
                days: 14,
                capacity: Some(200),
            },
        )
        .expect("sprint");
    let open: Vec<_> = store
        .backlog_cards(&board)
        .expect("backlog")
        .into_iter()
        .rev()
        .take(SPRINT_CARDS)
        .collect();
    for c in open {
        store.add_to_sprint(sprint, &[c.card.id]).expect("add");
    }
    store
        .start_sprint(sprint, SprintPatch::default())
        .expect("start");
    // A retro at its facts phase, with thirty cards written.
    let retro = store
        .start_retro(
            board.id,
            NewRetro {
                title: "Sprint 1 retro".into(),
                format: format::built_in().remove(0),
                votes: 3,
                safety: SafetyKind::Esvp,
                sprint: None,
                from: (now - Duration::days(14)).date_naive(),
                to: now.date_naive(),
            },
        )
        .expect("retro");
    store.set_phase(retro, Phase::Gather).expect("gather");
    for i in 0..30 {
        store
            .add_retro_card(retro, i % 3, &format!("card {i}"))
            .expect("card");
    }
    store.set_phase(retro, Phase::Facts).expect("facts");
    // Sixty post-mortems; the newest has long sections, a timeline of 200
    // entries and 20 action items.
    for n in 0..60 {
        let id = store
            .new_postmortem(board.id, &format!("Incident {n}"), None)
            .expect("postmortem");
        if n < 59 {
            store
                .set_section(id, "summary", "The queue backed up for an hour.", None)
                .expect("section");
            continue;
        }
        let paragraph = "The deploy pipeline ran the migration before the readers were updated, and the alert waited five minutes. ";
        for key in [
            "summary",
            "impact",
            "root_causes",
            "detection",
            "resolution",
        ] {
            let text = paragraph.repeat(20_000 / paragraph.len());
            store.set_section(id, key, &text, None).expect("section");
        }
        for i in 0..200 {
            let at = now - Duration::minutes(200 - i);
            store
                .add_timeline(id, at, &format!("step {i} of the incident"))
                .expect("timeline");
        }
        for i in 0..20 {
            store
                .add_mortem_action(
                    id,
                    NewAction {
                        text: format!("Action {i}"),
                        kind: Some(ActionType::Prevent),
                        owner: Some("ana".into()),
                        due: None,
                        priority: Priority::Medium,
                        risk: None,
                    },
                )
                .expect("action");
        }
    }
}

fn key(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

fn rituals(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("bench.db");
    seeded(&path);
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("terminal");
    let store = store::open(&path, opts()).expect("open");
    let mut app = App::new(Box::new(store), WIDTH, HEIGHT);

    c.bench_function(&named("sprint_tab_open"), |b| {
        b.iter(|| {
            app.handle_key(key('1'));
            app.handle_key(key('3'));
            terminal.draw(|f| app.draw(f)).expect("draw");
        })
    });
    assert!(
        app.state
            .sprint
            .data
            .as_ref()
            .is_some_and(|d| d.active.is_some()),
        "the sprint loaded"
    );

    c.bench_function(&named("sprint_tab_reload_after_a_change"), |b| {
        b.iter(|| {
            app.handle_key(KeyEvent::new(KeyCode::Char('l'), KeyModifiers::CONTROL));
            terminal.draw(|f| app.draw(f)).expect("draw");
        })
    });

    c.bench_function(&named("standup_tab_open"), |b| {
        b.iter(|| {
            app.handle_key(key('1'));
            app.handle_key(key('4'));
            terminal.draw(|f| app.draw(f)).expect("draw");
        })
    });

    // The board's record for the period is read when the facts are first
    // shown, then kept for the retro.
    c.bench_function(&named("retro_facts_first_shown"), |b| {
        b.iter(|| {
            app.state.retro.data = None;
            app.handle_key(key('1'));
            app.handle_key(key('5'));
            terminal.draw(|f| app.draw(f)).expect("draw");
        })
    });
    c.bench_function(&named("retro_tab_open"), |b| {
        b.iter(|| {
            app.handle_key(key('1'));
            app.handle_key(key('5'));
            terminal.draw(|f| app.draw(f)).expect("draw");
        })
    });
    assert!(
        app.state
            .retro
            .data
            .as_ref()
            .is_some_and(|d| d.facts.is_some()),
        "the facts loaded: {}",
        app.state.status.text
    );

    // A standup under way, walked: each turn is a write the store checks
    // (the step it moves from) and the tab's reload, as on every terminal.
    app.handle_key(key('4'));
    app.handle_key(key(' '));
    assert!(
        app.state.standup.live().is_some(),
        "the standup began: {}",
        app.state.status.text
    );
    c.bench_function(&named("standup_next_turn_keypress"), |b| {
        b.iter(|| {
            app.handle_key(key('n'));
            app.handle_key(key('p'));
            terminal.draw(|f| app.draw(f)).expect("draw");
        })
    });

    // The retro moves on to its vote (from another terminal); a vote is a
    // write and the reload every terminal makes of the retro.
    let mut other = store::open(&path, opts()).expect("open");
    let board = other.board().expect("board");
    let retro = other.retros(board.id).expect("retros")[0].id;
    other.set_phase(retro, Phase::Vote).expect("vote");
    app.handle_key(key('5'));
    app.check_changes();
    assert!(
        app.state
            .retro
            .retro()
            .is_some_and(|r| r.phase == Phase::Vote),
        "the retro is at its vote"
    );
    c.bench_function(&named("retro_vote_keypress"), |b| {
        b.iter(|| {
            app.handle_key(key('+'));
            app.handle_key(key('-'));
            terminal.draw(|f| app.draw(f)).expect("draw");
        })
    });
    assert!(
        !app.state.status.text.contains("no votes"),
        "the votes went through: {}",
        app.state.status.text
    );

    c.bench_function(&named("mortems_tab_open"), |b| {
        b.iter(|| {
            app.handle_key(key('1'));
            app.handle_key(key('6'));
            terminal.draw(|f| app.draw(f)).expect("draw");
        })
    });
    assert_eq!(
        app.state.mortem.data.as_ref().map(|d| d.list.len()),
        Some(60),
        "the mortems loaded"
    );
    // Open the newest, its Summary, and type in it: each key is linted.
    app.handle_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    for _ in 0..3 {
        app.handle_key(key('j'));
    }
    app.handle_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    assert!(
        !app.state.overlays.is_empty(),
        "the editor opened: {}",
        app.state.status.text
    );
    c.bench_function("mortem_section_keypress_20k_chars", |b| {
        b.iter(|| {
            app.handle_key(key('x'));
            app.handle_key(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE));
            terminal.draw(|f| app.draw(f)).expect("draw");
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = rituals
}
criterion_main!(benches);
