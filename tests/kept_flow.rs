//! The flow figures kept as events are written (each card's walk, counts
//! per time slot, finishes, blocked spells): after any sequence of writes
//! over time, on either engine, they equal a replay of every event, even
//! when a clock goes back; a column's change of kind walks its board
//! again; an older file gets them built when it opens; `teamloop check`
//! finds one that differs and `--repair` builds it again.

mod common;

use chrono::{DateTime, Duration, TimeZone, Utc};
use common::engines::{BoardFixture, on_both_engines_at};
use common::writes::{Step, play};
use proptest::prelude::*;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 4, 9, 0, 0).unwrap()
}

fn step_strategy() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (0..5usize).prop_map(Step::Add),
        5 => (any::<usize>(), 0..5usize).prop_map(|(c, to)| Step::Force(c, to)),
        1 => any::<usize>().prop_map(Step::Archive),
        1 => any::<usize>().prop_map(Step::Restore),
        2 => any::<usize>().prop_map(Step::Block),
        2 => any::<usize>().prop_map(Step::Unblock),
        // On a quarter hour, at a slot's end, or anywhere; now and then back.
        4 => prop_oneof![
            (1..200i64).prop_map(|q| q * 15),
            1..3000i64,
            (-120..0i64),
        ]
        .prop_map(Step::Tick),
        1 => (0..5usize, 0..3u8).prop_map(|(c, k)| Step::Kind(c, k)),
    ]
}

/// How many rows a kept table holds, read straight from the file.
fn rows(board: &BoardFixture, table: &str) -> i64 {
    let conn = rusqlite::Connection::open(board.dir.path().join("board.db")).unwrap();
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

/// A story with every kind of flow event over three days, a clock set
/// back an hour in the middle of it, and a column that changes kind.
fn story() -> Vec<Step> {
    let mut steps = Vec::new();
    for i in 0..40usize {
        steps.push(match i % 10 {
            0 | 1 => Step::Add(i % 3),
            2 => Step::Force(i, 2),
            3 => Step::Block(i),
            4 => Step::Tick(95),
            5 => Step::Force(i * 3, 4),
            6 => Step::Unblock(i),
            7 => Step::Archive(i * 7),
            8 => Step::Restore(i * 7),
            _ => Step::Tick(if i == 19 { -60 } else { 600 }),
        });
    }
    steps.push(Step::Kind(3, 2));
    steps.extend([Step::Force(1, 3), Step::Tick(15), Step::Force(2, 1)]);
    steps
}

#[test]
fn after_a_story_over_days_the_kept_flow_figures_equal_a_replay_on_both_engines() {
    on_both_engines_at(t0(), |board: &BoardFixture| {
        let mut ana = board.as_user("ana");
        let (cards, _) = play(board, &mut *ana, &story());
        assert!(cards.len() >= 8, "the story made cards");
        assert_eq!(ana.check_kept().unwrap(), Vec::<String>::new());
        // Another terminal writes on the same figures.
        let mut ben = board.as_user("ben");
        let b = ben.board().unwrap();
        ben.move_card(cards[0], b.columns[4].id, None).unwrap();
        assert_eq!(ana.check_kept().unwrap(), Vec::<String>::new());
    });
}

#[test]
fn a_kept_figure_that_differs_is_found_by_check_and_built_again_by_repair() {
    let board = BoardFixture::file(t0());
    let mut ana = board.as_user("ana");
    play(&board, &mut *ana, &story());
    drop(ana);
    assert!(rows(&board, "card_walks") >= 8);
    assert!(rows(&board, "flow_counts") > 20);
    assert!(rows(&board, "flow_spells") > 0, "spells ended in the story");
    let path = board.dir.path().join("board.db");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute(
        "UPDATE flow_counts SET net = net + 1
         WHERE (column_id, grain, part, day) IN
               (SELECT column_id, grain, part, day FROM flow_counts LIMIT 1)",
        [],
    )
    .unwrap();
    drop(conn);
    let found = common::cli::run_at(&path, &["check"]);
    assert_eq!(found.code, Some(1), "{}", found.stderr);
    assert!(
        found
            .stdout
            .contains("flow counts: 1 differ from a replay of every event"),
        "{}",
        found.stdout
    );
    common::cli::run_at(&path, &["check", "--repair"]).assert_ok();
    common::cli::run_at(&path, &["check"]).assert_ok();
}

#[test]
fn a_file_of_the_schema_before_gets_its_flow_figures_built_when_it_opens() {
    let board = BoardFixture::file(t0());
    let mut ana = board.as_user("ana");
    play(&board, &mut *ana, &story());
    drop(ana);
    let walks = rows(&board, "card_walks");
    // The file as schema 10 left it: every table a later schema made goes.
    use teamloop::store::sql::schema;
    let mut old: Vec<String> = schema::all_tables(10)
        .unwrap()
        .into_iter()
        .map(|t| t.name)
        .collect();
    old.extend(schema::TRANSIENT.iter().map(|t| t.to_string()));
    let conn = rusqlite::Connection::open(board.dir.path().join("board.db")).unwrap();
    let later: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .filter(|name| !old.contains(name))
        .collect();
    assert!(later.contains(&"card_walks".to_string()), "{later:?}");
    conn.execute_batch("PRAGMA foreign_keys = OFF").unwrap();
    for table in later {
        conn.execute_batch(&format!("DROP TABLE \"{table}\""))
            .unwrap();
    }
    conn.execute_batch("PRAGMA user_version = 10").unwrap();
    drop(conn);
    let ana = board.as_user("ana");
    assert_eq!(ana.check_kept().unwrap(), Vec::<String>::new());
    drop(ana);
    assert_eq!(rows(&board, "card_walks"), walks, "every card walked again");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// Any sequence of writes over time, the clock going back now and then
    /// and columns changing kind, leaves the kept flow figures equal to a
    /// replay of every event.
    #[test]
    fn any_history_keeps_the_flow_figures_equal_to_a_replay(
        steps in proptest::collection::vec(step_strategy(), 1..90)
    ) {
        let board = BoardFixture::file(t0());
        let mut ana = board.as_user("ana");
        play(&board, &mut *ana, &steps);
        prop_assert_eq!(ana.check_kept().unwrap(), Vec::<String>::new());
    }
}

/// The board's clock, read in a zone of its own.
struct Zoned {
    clock: teamloop::domain::FixedClock,
    zone: chrono::FixedOffset,
}

impl teamloop::domain::Clock for Zoned {
    fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }
    fn zone(&self) -> &dyn teamloop::domain::Zone {
        &self.zone
    }
}

/// Zones whose midnights fall on the hour, the half and the quarter hour,
/// on either side of UTC.
const ZONES: [i32; 7] = [0, 7200, -18000, 19800, 20700, 50400, -34200];

/// For each zone and range, the report from the kept figures equals the
/// report from a replay of every event.
fn reports_agree(board: &BoardFixture) -> Result<(), TestCaseError> {
    use teamloop::domain::flow::FlowRange;
    for offset in ZONES {
        let zoned = Zoned {
            clock: board.clock.clone(),
            zone: chrono::FixedOffset::east_opt(offset).unwrap(),
        };
        let s = board
            .open(teamloop::store::OpenOptions::new("ana").with_clock(std::sync::Arc::new(zoned)));
        let b = s.board().unwrap();
        let whole = s.flow_history(&b).unwrap();
        let today = s.clock().zone().day_of(s.clock().now());
        for range in [
            FlowRange::Weeks(1),
            FlowRange::Weeks(2),
            FlowRange::Weeks(12),
            FlowRange::All,
            FlowRange::Since(today - Duration::days(3)),
        ] {
            let kept = s.flow_report(&b, range).unwrap();
            let replayed = s.flow_report_of(&whole, range).unwrap();
            prop_assert_eq!(kept, replayed, "zone {} range {:?}", offset, range);
        }
    }
    Ok(())
}

#[test]
fn the_report_from_kept_figures_is_the_replays_on_both_engines_in_every_zone() {
    on_both_engines_at(t0(), |board: &BoardFixture| {
        let mut ana = board.as_user("ana");
        play(board, &mut *ana, &story());
        for later in [0, 45, 600, 24 * 60] {
            board.clock.advance(Duration::minutes(later));
            reports_agree(board).unwrap();
        }
    });
}

#[test]
fn the_report_from_kept_figures_is_the_replays_on_demo_boards() {
    use teamloop::domain::demo::{demo_plan, scale_plan};
    let now = Utc.with_ymd_and_hms(2026, 11, 24, 15, 0, 0).unwrap();
    for plan in [
        demo_plan(now, 5, 150).unwrap(),
        scale_plan(now, 4, 3_000).unwrap(),
    ] {
        let board = BoardFixture::file(now);
        board.store().seed_demo(&plan).unwrap();
        assert_eq!(board.store().check_kept().unwrap(), Vec::<String>::new());
        reports_agree(&board).unwrap();
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Any history: the report from the kept figures, in every zone and
    /// range, is the replay's, read on a quarter hour or between.
    #[test]
    fn any_history_gives_the_same_report_from_kept_figures_as_from_a_replay(
        steps in proptest::collection::vec(step_strategy(), 1..70),
        later in prop_oneof![Just(0i64), (0..96i64).prop_map(|q| q * 15), 0..3000i64],
    ) {
        let board = BoardFixture::file(t0());
        let mut ana = board.as_user("ana");
        // The clock is read after the last event.
        let (_, latest) = play(&board, &mut *ana, &steps);
        board.clock.set(latest + Duration::minutes(later));
        reports_agree(&board)?;
    }
}
