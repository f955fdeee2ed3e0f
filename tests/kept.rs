//! Figures kept as the history is written (the live cards of each column):
//! after any sequence of writes, on either engine, they equal a count from
//! scratch; an import builds them again; `teamloop check` finds a figure
//! that differs and `--repair` builds it again without touching anything
//! else.

mod common;

use chrono::{DateTime, TimeZone, Utc};
use common::engines::{BoardFixture, on_both_engines_at};
use common::writes::{Step, play};
use proptest::prelude::*;
use teamloop::domain::{Board, CardFilter, CardId, NewCard, WipLimit};
use teamloop::store::{Store, Window};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 4, 9, 0, 0).unwrap()
}

fn step_strategy() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (0..5usize).prop_map(Step::Add),
        4 => (any::<usize>(), 0..5usize).prop_map(|(c, to)| Step::Move(c, to)),
        1 => (any::<usize>(), 0..5usize).prop_map(|(c, to)| Step::Force(c, to)),
        2 => any::<usize>().prop_map(Step::Archive),
        2 => any::<usize>().prop_map(Step::Restore),
        1 => any::<usize>().prop_map(Step::Block),
    ]
}

/// The board's column counts as its headers show them, and as a count of
/// the listed cards gives them.
fn shown_and_counted(store: &dyn Store, board: &Board) -> (Vec<u32>, Vec<u32>) {
    let pages = store
        .board_pages(board, &CardFilter::default(), &[])
        .unwrap();
    let shown = pages.iter().map(|p| p.count).collect();
    let counted = board
        .columns
        .iter()
        .map(|c| store.list_cards(board, Some(c.id)).unwrap().len() as u32)
        .collect();
    (shown, counted)
}

#[test]
fn after_every_kind_of_write_the_kept_counts_equal_a_count_from_scratch_on_both_engines() {
    on_both_engines_at(t0(), |board: &BoardFixture| {
        let mut ana = board.as_user("ana");
        let b = ana.board().unwrap();
        // A hard limit of 1 on In Progress, so that refusals and forced
        // moves are among the writes.
        let doing = b.columns[2].id;
        ana.set_column_wip(doing, Some(WipLimit::hard(1))).unwrap();
        let steps: Vec<Step> = (0..60)
            .map(|i| match i % 7 {
                0 | 1 => Step::Add(i % 5),
                2 => Step::Move(i * 3, 2),
                3 => Step::Force(i * 5, 2),
                4 => Step::Archive(i),
                5 => Step::Restore(i * 7),
                _ => Step::Move(i, 4),
            })
            .collect();
        let (cards, _) = play(board, &mut *ana, &steps);
        assert!(cards.len() > 10, "the story made cards");
        let b = ana.board().unwrap();
        let (shown, counted) = shown_and_counted(&*ana, &b);
        assert_eq!(shown, counted);
        assert!(shown[2] > 1, "a forced move put In Progress over its limit");
        assert_eq!(ana.check_kept().unwrap(), Vec::<String>::new());
        // Another terminal reads the same counts.
        let ben = board.as_user("ben");
        assert_eq!(shown_and_counted(&*ben, &b).0, shown);
    });
}

#[test]
fn a_hard_limit_counts_the_kept_figure_inside_the_write() {
    on_both_engines_at(t0(), |board: &BoardFixture| {
        let mut ana = board.as_user("ana");
        let b = ana.board().unwrap();
        let (todo, doing) = (b.columns[1].id, b.columns[2].id);
        ana.set_column_wip(doing, Some(WipLimit::hard(2))).unwrap();
        let ids: Vec<CardId> = (0..3)
            .map(|i| {
                ana.add_card(todo, NewCard::titled(&format!("c{i}")), None)
                    .unwrap()
                    .card
            })
            .collect();
        ana.move_card(ids[0], doing, None).unwrap();
        ana.move_card(ids[1], doing, None).unwrap();
        assert!(ana.move_card(ids[2], doing, None).is_err(), "at its limit");
        // Archiving one frees a place; restoring it takes the place again.
        ana.archive_card(ids[0]).unwrap();
        ana.move_card(ids[2], doing, None).unwrap();
        assert!(
            ana.restore_card(ids[0]).is_err(),
            "the limit applies to a restore"
        );
        assert_eq!(ana.check_kept().unwrap(), Vec::<String>::new());
    });
}

#[test]
fn an_import_builds_the_kept_counts_again() {
    let from = BoardFixture::file(t0());
    let mut ana = from.as_user("ana");
    play(
        &from,
        &mut *ana,
        &[
            Step::Add(0),
            Step::Add(1),
            Step::Add(1),
            Step::Move(0, 4),
            Step::Archive(1),
            Step::Add(2),
        ],
    );
    let text = ana.export_json().unwrap().text;
    assert!(
        !text.contains("column_cards"),
        "kept figures are not exported"
    );
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("moved.db");
    teamloop::store::import_json(&target, &text).unwrap();
    let moved = teamloop::store::open(
        &target,
        teamloop::store::OpenOptions::new("ana")
            .with_key(teamloop::store::PersonKey::for_name("ana")),
    )
    .unwrap();
    let b = moved.board().unwrap();
    let (shown, counted) = shown_and_counted(&moved, &b);
    assert_eq!(shown, counted);
    assert_eq!(shown.iter().sum::<u32>(), 3, "four cards, one archived");
    assert_eq!(moved.check_kept().unwrap(), Vec::<String>::new());
}

#[test]
fn check_finds_a_kept_count_that_differs_and_repair_builds_it_again() {
    let board = BoardFixture::file(t0());
    let mut ana = board.as_user("ana");
    play(
        &board,
        &mut *ana,
        &[Step::Add(0), Step::Add(0), Step::Add(1)],
    );
    drop(ana);
    let path = board.dir.path().join("board.db");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute("UPDATE column_cards SET live = live + 5", [])
        .unwrap();
    drop(conn);
    let before = std::fs::read(&path).unwrap();
    let found = common::cli::run_at(&path, &["check"]);
    assert_eq!(found.code, Some(1), "{}", found.stderr);
    assert!(
        found
            .stdout
            .contains("\"Backlog\": 7 live cards kept, 2 in the history"),
        "{}",
        found.stdout
    );
    assert!(
        found
            .stderr
            .contains("differ from it; teamloop check --repair builds them again"),
        "{}",
        found.stderr
    );
    // Nothing was changed by the check.
    assert_eq!(std::fs::read(&path).unwrap(), before);
    let repaired = common::cli::run_at(&path, &["check", "--repair"]);
    repaired.assert_ok();
    assert!(
        repaired.stdout.contains("built again"),
        "{}",
        repaired.stdout
    );
    common::cli::run_at(&path, &["check"]).assert_ok();
    let store = board.as_user("ana");
    let b = store.board().unwrap();
    let (shown, counted) = shown_and_counted(&*store, &b);
    assert_eq!(shown, counted);
    assert_eq!(shown.iter().sum::<u32>(), 3);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Any sequence of writes leaves every kept count equal to a count from
    /// scratch, and the board's headers equal to the cards it lists.
    #[test]
    fn any_sequence_of_writes_keeps_the_counts_exact(
        steps in proptest::collection::vec(step_strategy(), 1..80)
    ) {
        let board = BoardFixture::file(t0());
        let mut ana = board.as_user("ana");
        let b = ana.board().unwrap();
        ana.set_column_wip(b.columns[2].id, Some(WipLimit::hard(2))).unwrap();
        play(&board, &mut *ana, &steps);
        let (shown, counted) = shown_and_counted(&*ana, &b);
        prop_assert_eq!(shown, counted);
        prop_assert_eq!(ana.check_kept().unwrap(), Vec::<String>::new());
        // A page of a column still says how many it holds.
        let pages = ana
            .board_pages(&b, &CardFilter::default(), &[Window { offset: 0, limit: 1 }])
            .unwrap();
        prop_assert!(pages[0].cards.len() as u32 <= pages[0].count);
    }
}
