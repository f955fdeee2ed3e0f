//! The Flow tab on a fixed clock, on both engines (the demo's, on real
//! temporary SQLite files).
//!
//! History (UTC; now is 2026-11-24 12:00), with In Progress limited to 1:
//! - Alpha: created 11-10 09:00 in Backlog, In Progress 11-12 09:00,
//!   Review 11-13 09:00, Done 11-14 21:00: cycle time 2.5 days.
//! - Beta: created 11-12 10:00, forced into In Progress 11-12 12:00, blocked 11-15 00:00
//!   and still there: 12 days old, past the 85th percentile.
//! - Gamma: created 11-20 08:00 in To Do.

mod common;

use chrono::{DateTime, TimeZone, Utc};
use common::engines::{BoardFixture, on_both_engines_at};
use common::{keys, screen, status_line};
use teamloop::domain::demo::demo_plan;
use teamloop::domain::{CardId, NewCard, WipLimit};
use teamloop::store::Store;
use teamloop::ui::App;
use teamloop::ui::state::Tab;

fn t(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, hour, 0, 0).unwrap()
}

/// Runs a story on a board made on 11-10 at 09:00 on each engine.
fn on_both(test: impl Fn(&BoardFixture)) {
    on_both_engines_at(t(10, 9), test);
}

/// A board in a SQLite file made on 11-10 at 09:00, for the demo (which
/// goes into a new file only).
fn file() -> BoardFixture {
    BoardFixture::file(t(10, 9))
}

/// Moves `card` to `column` at `at`.
fn move_at(f: &BoardFixture, s: &mut dyn Store, card: CardId, column: &str, at: DateTime<Utc>) {
    f.clock.set(at);
    let board = s.board().unwrap();
    s.move_card(card, board.column_named(column).unwrap().id, None)
        .unwrap();
}

fn add_at(
    f: &BoardFixture,
    s: &mut dyn Store,
    column: &str,
    title: &str,
    at: DateTime<Utc>,
) -> CardId {
    f.clock.set(at);
    let board = s.board().unwrap();
    s.add_card(
        board.column_named(column).unwrap().id,
        NewCard::titled(title),
        None,
    )
    .unwrap()
    .card
}

/// The history above, by Ana; the clock left at now. Alpha, Beta, Gamma.
fn history(f: &BoardFixture) -> [CardId; 3] {
    let mut s = f.store();
    let s = &mut *s;
    let board = s.board().unwrap();
    let doing = board.column_named("In Progress").unwrap().id;
    s.set_column_wip(doing, Some(WipLimit::hard(1))).unwrap();
    let alpha = add_at(f, s, "Backlog", "Alpha", t(10, 9));
    move_at(f, s, alpha, "In Progress", t(12, 9));
    move_at(f, s, alpha, "Review", t(13, 9));
    move_at(f, s, alpha, "Done", t(14, 21));
    let beta = add_at(f, s, "Backlog", "Beta", t(12, 10));
    // Past In Progress's limit of 1, on purpose.
    f.clock.set(t(12, 12));
    s.move_card(beta, doing, Some("the customer is blocked"))
        .unwrap();
    f.clock.set(t(15, 0));
    s.set_blocked(beta, Some("waiting on the vendor")).unwrap();
    let gamma = add_at(f, s, "To Do", "Gamma", t(20, 8));
    f.clock.set(t(24, 12));
    [alpha, beta, gamma]
}

/// The app on the Flow tab of a demo board made at 2026-11-24 15:00.
fn demo_flow(f: &BoardFixture, seed: u64, cards: usize) -> App {
    let now = Utc.with_ymd_and_hms(2026, 11, 24, 15, 0, 0).unwrap();
    f.clock.set(now);
    f.store()
        .seed_demo(&demo_plan(now, seed, cards).unwrap())
        .unwrap();
    let mut app = App::new(f.store(), 120, 40);
    keys(&mut app, "2");
    app
}

/// The app on the Flow tab, over the last two weeks.
fn flow_app(f: &BoardFixture) -> App {
    let mut app = App::new(f.store(), 120, 40);
    keys(&mut app, "2");
    assert_eq!(app.state.tab, Tab::Flow);
    keys(&mut app, "R");
    app
}

fn line_with<'a>(screen: &'a str, needle: &str) -> &'a str {
    screen
        .lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle:?}:\n{screen}"))
}

#[test]
fn flow_tab_shows_every_figure_for_the_range() {
    on_both(|f| {
        history(f);
        let app = flow_app(f);
        let s = screen(&app);
        assert!(s.contains("2026-11-11 – 2026-11-24 (14 days)"), "{s}");
        assert!(
            s.contains("Cycle time  p50 2.5d  p85 2.5d  p95 2.5d  mean 2.5d (1 finished)"),
            "{s}"
        );
        assert!(s.contains("Lead time  p50 4.5d  p85 4.5d"), "{s}");
        assert!(s.contains("Throughput 1 card, 0.5/week"), "{s}");
        // End-of-day WIP: 0 on 11-11, 2 on 11-12, then 1 every day: 14 over 14 days.
        assert!(s.contains("WIP now 1, avg 1.07"), "{s}");
        assert!(
            s.contains("Little's law: 1.07 ≈ 0.07/day × 2.5d = 0.18"),
            "{s}"
        );
        assert!(
            s.contains("Review: longest average stay (1.5d)"),
            "Alpha's one day in In Progress and a day and a half in Review:\n{s}"
        );
        // Two cards on 11-12 (the forced move), then Beta alone at the limit of 1.
        assert!(
            s.contains("At/above WIP limit: In Progress 13/14 days (1 over)"),
            "{s}"
        );
    });
}

#[test]
fn aging_work_past_the_85th_percentile_stands_out_in_words() {
    on_both(|f| {
        let [_, beta, _] = history(f);
        let s = screen(&flow_app(f));
        let beta = line_with(&s, &format!("#{} Beta", beta.0));
        assert!(beta.contains("12.0d"), "{beta}");
        assert!(beta.contains(">p85"), "{beta}");
        assert!(beta.contains("blocked"), "{beta}");
        assert!(s.contains("Blocked 9.5d on 1 card, 1 blocked now"), "{s}");
    });
}

#[test]
fn cumulative_flow_legend_counts_today() {
    on_both(|f| {
        history(f);
        let s = screen(&flow_app(f));
        let legend = line_with(&s, "Backlog 0");
        for part in ["To Do 1", "In Progress 1", "Review 0", "Done 1"] {
            assert!(
                s.contains(part),
                "{part} missing from the legend {legend}:\n{s}"
            );
        }
    });
}

#[test]
fn r_steps_through_the_ranges() {
    on_both(|f| {
        history(f);
        let mut app = flow_app(f);
        keys(&mut app, "r");
        assert!(status_line(&app).contains("Flow: last 4 weeks"));
        assert!(screen(&app).contains("2026-10-28 – 2026-11-24 (28 days)"));
        keys(&mut app, "rr");
        assert!(status_line(&app).contains("Flow: all history"));
        // All history, in whole weeks back from today: 11-10 .. 11-24 needs three.
        assert!(screen(&app).contains("2026-11-04 – 2026-11-24 (21 days)"));
        keys(&mut app, "r");
        assert!(status_line(&app).contains("last 2 weeks"));
    });
}

#[test]
fn another_terminals_move_shows_on_the_flow_tab_after_a_tick() {
    on_both(|f| {
        let [_, beta, _] = history(f);
        let mut app = flow_app(f);
        assert!(screen(&app).contains("Throughput 1 card,"));
        let mut other = f.store();
        move_at(f, &mut *other, beta, "Done", t(24, 11));
        f.notices("the change is noticed", || app.tick());
        let s = screen(&app);
        assert!(s.contains("Throughput 2 cards, 1.0/week"), "{s}");
        assert!(s.contains("WIP now 0"), "{s}");
    });
}

#[test]
fn help_on_the_flow_tab_lists_its_keys() {
    on_both(|f| {
        history(f);
        let mut app = flow_app(f);
        keys(&mut app, "?");
        let s = screen(&app);
        assert!(s.contains("longer range"), "{s}");
        assert!(s.contains("Flow tab"), "{s}");
    });
}

#[test]
fn an_empty_board_has_a_readable_flow_tab() {
    on_both(|f| {
        drop(f.store());
        let mut app = App::new(f.store(), 80, 24);
        keys(&mut app, "2");
        let s = screen(&app);
        assert!(s.contains("no card finished in this range"), "{s}");
        assert!(s.contains("Nothing in progress."), "{s}");
        // Tab goes back to the board.
        common::press(&mut app, ratatui::crossterm::event::KeyCode::BackTab);
        assert_eq!(app.state.tab, Tab::Board);
    });
}

#[test]
fn demo_flow_tab() {
    let f = &file();
    let app = demo_flow(f, 1, 40);
    let shown = screen(&app);
    let body: Vec<&str> = shown.lines().take(39).collect();
    insta::assert_snapshot!("demo_flow_tab", body.join("\n"));
}

#[test]
fn the_history_read_groups_each_cards_events_in_order() {
    on_both(|f| {
        use teamloop::domain::flow::FlowEventKind::*;
        let [alpha, beta, _] = history(f);
        let s = f.store();
        let board = s.board().unwrap();
        let h = s.flow_history(&board).unwrap();
        let kinds = |card: CardId| -> Vec<_> {
            h.events
                .iter()
                .filter(|e| e.card == card)
                .map(|e| e.kind)
                .collect()
        };
        let col = |name: &str| board.column_named(name).unwrap().id;
        assert_eq!(
            kinds(alpha),
            vec![
                Enter(col("Backlog")),
                Enter(col("In Progress")),
                Enter(col("Review")),
                Enter(col("Done"))
            ]
        );
        assert_eq!(
            kinds(beta),
            vec![Enter(col("Backlog")), Enter(col("In Progress")), Block]
        );
        assert!(h.events.windows(2).all(|w| w[0].card <= w[1].card));
    });
}

#[test]
fn another_boards_cards_stay_out_of_this_boards_flow() {
    let f = &file();
    history(f);
    let s = f.store();
    let c = rusqlite::Connection::open(f.path().unwrap()).unwrap();
    c.execute_batch(
        "INSERT INTO boards (id, name, created_at) VALUES (99, 'Other', 0);
         INSERT INTO columns (id, board_id, name, position, kind) VALUES (99, 99, 'Elsewhere', 0, 'done');
         INSERT INTO cards (id, board_id, column_id, position, title, created_at, updated_at)
             VALUES (99, 99, 99, 0, 'Not ours', 0, 0);
         INSERT INTO card_events (card_id, at, actor, kind, to_column) VALUES (99, 0, 'x', 'created', 99);",
    )
    .unwrap();
    let board = s.board().unwrap();
    let h = s.flow_history(&board).unwrap();
    assert!(h.events.iter().all(|e| e.card != CardId(99)));
    assert_eq!(h.events.len(), 8, "Alpha 4, Beta 3, Gamma 1");
    assert!(h.columns.iter().all(|c| c.name != "Elsewhere"));
}

#[test]
fn a_retired_column_still_counts_as_started_work() {
    on_both(|f| {
        use teamloop::domain::ColumnKind;
        let [_, _, gamma] = history(f);
        let mut s = f.store();
        let board = s.board().unwrap();
        let qa = s
            .add_column(board.id, "QA", ColumnKind::Active, None)
            .unwrap();
        move_at(f, &mut *s, gamma, "QA", t(21, 12));
        move_at(f, &mut *s, gamma, "Done", t(23, 12));
        s.delete_column(qa).unwrap();
        let report = s
            .flow_report(
                &s.board().unwrap(),
                teamloop::domain::flow::FlowRange::Weeks(2),
            )
            .unwrap();
        let g = report.finished.iter().find(|c| c.card == gamma).unwrap();
        assert_eq!(g.cycle_days, Some(2.0), "started when it entered QA");
        assert!(
            report.columns.iter().all(|c| c.name != "QA"),
            "no band for a retired column"
        );
    });
}

#[test]
fn the_flow_tab_draws_at_every_size_without_panicking() {
    let f = &file();
    let mut app = demo_flow(f, 3, 60);
    for (w, h) in [
        (40, 12),
        (41, 13),
        (50, 16),
        (60, 20),
        (80, 24),
        (200, 60),
        (30, 8),
    ] {
        for range in 0..4 {
            let shown = common::text(&common::render(&app, w, h));
            assert!(shown.lines().count() == h as usize);
            if range == 0 && w >= 80 {
                assert!(shown.contains("Cycle time"), "{w}×{h}:\n{shown}");
            }
            keys(&mut app, "r");
        }
    }
}

#[test]
fn the_aging_list_scrolls_to_its_last_card_on_a_small_terminal() {
    let f = &file();
    let mut app = demo_flow(f, 1, 40);
    let report = app.state.flow.report.clone().unwrap();
    let last_column = report
        .columns
        .iter()
        .rev()
        .find(|c| c.kind == teamloop::domain::ColumnKind::Active)
        .unwrap();
    let last = report
        .aging
        .iter()
        .rfind(|a| a.column == last_column.name)
        .unwrap();
    let needle = format!("#{} ", last.card.0);
    let before = common::text(&common::render(&app, 80, 24));
    assert!(!before.contains(&needle), "starts above the end:\n{before}");
    for _ in 0..30 {
        keys(&mut app, "j");
    }
    let after = common::text(&common::render(&app, 80, 24));
    assert!(
        after.contains(&needle),
        "{needle} after scrolling:\n{after}"
    );
}
