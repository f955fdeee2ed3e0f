//! The board screen driven by key events on ratatui's TestBackend, over real
//! temporary SQLite files.

use std::path::{Path, PathBuf};

mod common;

use common::{keys, press, render, screen, status_line, text};
use proptest::prelude::*;
use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::style::Color;
use teamloop::domain::sprint::NewSprint;
use teamloop::domain::{Board, Breach, CardId, NewCard, WipLimit};
use teamloop::store::PersonKey;
use teamloop::store::{
    self, MortemStore, NewRetro, OpenOptions, PulseStore, RetroStore, SprintPatch, SprintStore,
    SqliteStore, Store,
};
use teamloop::ui::App;

struct Fixture {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

impl Fixture {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("board.db");
        Self { _dir: dir, path }
    }

    fn store(&self) -> SqliteStore {
        open(&self.path, "ana")
    }

    /// The app, its exports going to the fixture's folder.
    fn app(&self, width: u16, height: u16) -> App {
        let mut app = App::new(Box::new(self.store()), width, height);
        app.state.export_dir = self._dir.path().to_path_buf();
        app
    }
}

fn open(path: &Path, user: &str) -> SqliteStore {
    store::open(
        path,
        OpenOptions::new(user).with_key(PersonKey::for_name(user)),
    )
    .unwrap()
}

fn col(board: &Board, name: &str) -> teamloop::domain::ColumnId {
    board.column_named(name).unwrap().id
}

fn add(store: &mut SqliteStore, column: &str, title: &str) -> CardId {
    let board = store.board().unwrap();
    store
        .add_card(col(&board, column), NewCard::titled(title), None)
        .unwrap()
        .card
}

fn ctrl(app: &mut App, c: char) {
    app.handle_event(Event::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::CONTROL,
    )));
}

fn column_of(store: &SqliteStore, card: CardId) -> String {
    let board = store.board().unwrap();
    let c = store.card(card).unwrap();
    board.column(c.column).unwrap().name.clone()
}

/// Fills In Progress to its limit of 3 and puts one card in To Do.
fn full_in_progress(f: &Fixture) -> CardId {
    let mut s = f.store();
    for t in ["A", "B", "C"] {
        add(&mut s, "In Progress", t);
    }
    add(&mut s, "To Do", "Waiting card")
}

#[test]
fn board_shows_the_starter_columns_with_counts_and_limits() {
    let f = Fixture::new();
    let mut s = f.store();
    add(&mut s, "Backlog", "Write the onboarding guide");
    add(&mut s, "In Progress", "Fix login");
    add(&mut s, "Review", "Rate limiter");
    add(&mut s, "Review", "Invoice PDFs");
    let app = f.app(120, 40);
    let screen = screen(&app);
    for name in ["Backlog", "To Do", "In Progress", "Review", "Done"] {
        assert!(screen.contains(name), "missing {name}:\n{screen}");
    }
    assert!(screen.contains("1/3"), "{screen}");
    assert!(screen.contains("2/2 full"), "{screen}");
    let status = screen.lines().last().unwrap();
    assert!(status.contains("Board at"), "{status}");
    // The status line names the temporary file; the rest is stable.
    let board: Vec<&str> = screen.lines().take(39).collect();
    insta::assert_snapshot!("starter_board", board.join("\n"));
}

#[test]
fn help_lists_the_keys_as_the_user_set_them() {
    let f = Fixture::new();
    let mut app = f.app(120, 40);
    let (config, problems) =
        teamloop::config::parse("[keys]\narchive_card = \"X\"\nnew_card = \"j\"\n");
    app.apply_settings(&config, false, problems);
    // `j` is taken on the board: said on the status line, the default stays.
    let status = screen(&app).lines().last().unwrap().to_string();
    assert!(
        status.contains("Settings: line 3: keys.new_card: j is select_down"),
        "{status}"
    );
    keys(&mut app, "?");
    let help = screen(&app);
    let line = |keys: &str, does: &str| {
        help.lines()
            .any(|l| l.contains(&format!("  {keys:<22}{does}")))
    };
    assert!(line("X", "archive the card"), "{help}");
    assert!(line("n", "new card"), "{help}");
}

#[test]
fn every_tab_stays_in_the_tab_bar_however_narrow() {
    let f = Fixture::new();
    for (width, want) in [
        (
            120,
            " teamloop  1 Board  2 Flow  3 Sprint  4 Standup  5 Retro  6 Mortems  7 Pulse",
        ),
        (
            80,
            " teamloop  1 Board  2 Flow  3 Sprint  4 Standup  5 Retro  6 Mortems  7 Pulse",
        ),
        (60, " 1 Board  2  3  4  5  6  7"),
    ] {
        let app = f.app(width, 24);
        let top = screen(&app).lines().next().unwrap().to_string();
        assert!(top.starts_with(want), "{width}: {top:?}");
        // The board's name and who you are show when there is room.
        assert_eq!(top.contains("Team board · ana"), width >= 120, "{top:?}");
    }
}

#[test]
fn a_refused_move_leaves_the_card_and_the_status_line_says_why() {
    let f = Fixture::new();
    let waiting = full_in_progress(&f);
    let mut app = f.app(120, 40);
    keys(&mut app, "l"); // To Do
    keys(&mut app, "L"); // move right: refused
    let status = status_line(&app);
    assert!(
        status.contains("In Progress is at its WIP limit (3/3)"),
        "{status}"
    );
    let s = f.store();
    assert_eq!(column_of(&s, waiting), "To Do");
    assert_eq!(s.card_history(waiting).unwrap().len(), 1, "no move event");
}

#[test]
fn forcing_a_refused_move_asks_why_and_records_it() {
    let f = Fixture::new();
    let waiting = full_in_progress(&f);
    let mut app = f.app(120, 40);
    keys(&mut app, "lL");
    keys(&mut app, "F");
    assert!(screen(&app).contains("Force past the limit"));
    press(&mut app, KeyCode::Enter); // empty reason is not enough
    assert!(screen(&app).contains("A forced move needs a reason"));
    keys(&mut app, "prod is down");
    press(&mut app, KeyCode::Enter);
    let s = f.store();
    assert_eq!(column_of(&s, waiting), "In Progress");
    let last = s.card_history(waiting).unwrap().pop().unwrap();
    assert_eq!(
        last.breach,
        Some(Breach::Forced {
            reason: "prod is down".into()
        })
    );
    let buf = render(&app, 120, 40);
    let screen = text(&buf);
    assert!(screen.contains("4/3 OVER"), "{screen}");
    // The over-limit count is drawn in the warning colour.
    let row = screen.lines().nth(1).unwrap();
    let pos = row.find("4/3 OVER").unwrap();
    let cell_x = row[..pos].chars().count() as u16;
    assert_eq!(buf[(cell_x, 1)].fg, Color::Red);
    // The selection followed the card.
    assert!(status_line(&app).contains("Moved #4 to In Progress"));
}

#[test]
fn a_soft_limit_lets_the_card_in_with_a_warning_and_f_notes_why() {
    let f = Fixture::new();
    let mut s = f.store();
    let board = s.board().unwrap();
    s.set_column_wip(col(&board, "Review"), Some(WipLimit::soft(1)))
        .unwrap();
    add(&mut s, "Review", "Already here");
    let card = add(&mut s, "In Progress", "Ready for review");
    let mut app = f.app(120, 40);
    keys(&mut app, "llL");
    assert_eq!(column_of(&f.store(), card), "Review");
    let status = status_line(&app);
    assert!(status.contains("over its soft WIP limit (2/1)"), "{status}");
    keys(&mut app, "Fpairing on it");
    press(&mut app, KeyCode::Enter);
    let last = f.store().card_history(card).unwrap().pop().unwrap();
    assert_eq!(
        last.breach,
        Some(Breach::Soft {
            reason: Some("pairing on it".into())
        })
    );
}

#[test]
fn n_creates_a_card_in_the_selected_column() {
    let f = Fixture::new();
    let mut app = f.app(120, 40);
    keys(&mut app, "ln");
    keys(&mut app, "Plan the offsite");
    press(&mut app, KeyCode::Enter);
    let s = f.store();
    let cards = s.list_cards(&s.board().unwrap(), None).unwrap();
    assert_eq!(cards.len(), 1);
    assert_eq!(cards[0].title, "Plan the offsite");
    assert_eq!(column_of(&s, cards[0].id), "To Do");
    assert!(screen(&app).contains("Plan the offsite"));
    assert!(status_line(&app).contains("Created #1 in To Do"));
}

#[test]
fn e_edits_title_and_multi_line_description() {
    let f = Fixture::new();
    let mut s = f.store();
    let id = add(&mut s, "Backlog", "Draft");
    let mut app = f.app(120, 40);
    keys(&mut app, "e");
    keys(&mut app, " v2");
    press(&mut app, KeyCode::Tab);
    keys(&mut app, "first line");
    press(&mut app, KeyCode::Enter);
    keys(&mut app, "second line");
    ctrl(&mut app, 's');
    let card = f.store().card(id).unwrap();
    assert_eq!(card.title, "Draft v2");
    assert_eq!(card.description, "first line\nsecond line");
    assert!(!screen(&app).contains("Edit #1"), "the editor closed");
}

#[test]
fn esc_never_throws_away_typed_text_without_asking() {
    let f = Fixture::new();
    let mut s = f.store();
    let id = add(&mut s, "Backlog", "Draft");
    let mut app = f.app(120, 40);
    keys(&mut app, "e");
    keys(&mut app, "!!");
    press(&mut app, KeyCode::Esc);
    assert!(screen(&app).contains("Discard what you typed?"));
    keys(&mut app, "n");
    let scr = screen(&app);
    assert!(scr.contains("Draft!!"), "text kept:\n{scr}");
    press(&mut app, KeyCode::Esc);
    keys(&mut app, "y");
    assert!(!screen(&app).contains("Draft!!"));
    assert_eq!(f.store().card(id).unwrap().title, "Draft");
}

#[test]
fn slash_filters_by_assignee_tag_and_text() {
    let f = Fixture::new();
    let mut s = f.store();
    let board = s.board().unwrap();
    let backlog = col(&board, "Backlog");
    let mut card = |title: &str, who: &str, tag: &str| {
        s.add_card(
            backlog,
            NewCard {
                title: title.into(),
                assignee: Some(who.into()),
                tags: vec![tag.into()],
                ..NewCard::default()
            },
            None,
        )
        .unwrap();
    };
    card("Login page", "ben", "bug");
    card("Billing export", "ana", "bug");
    card("Logo refresh", "ben", "ui");
    let mut app = f.app(120, 40);
    keys(&mut app, "/@ben");
    let scr = screen(&app);
    assert!(scr.contains("Login page") && scr.contains("Logo refresh"));
    assert!(!scr.contains("Billing export"), "{scr}");
    keys(&mut app, " #bug");
    press(&mut app, KeyCode::Enter);
    let scr = screen(&app);
    assert!(scr.contains("Login page"));
    assert!(!scr.contains("Logo refresh"));
    assert!(
        scr.contains("1 of 3"),
        "header counts matches of all:\n{scr}"
    );
    assert!(status_line(&app).contains("filter: @ben #bug"));
    press(&mut app, KeyCode::Esc);
    let scr = screen(&app);
    assert!(scr.contains("Billing export") && scr.contains("Logo refresh"));
}

#[test]
fn shift_k_and_j_reorder_cards_within_a_column() {
    let f = Fixture::new();
    let mut s = f.store();
    let a = add(&mut s, "Backlog", "Alpha");
    let b = add(&mut s, "Backlog", "Bravo");
    let c = add(&mut s, "Backlog", "Charlie");
    let mut app = f.app(120, 40);
    keys(&mut app, "jj"); // Charlie
    keys(&mut app, "K");
    keys(&mut app, "K");
    let order = |s: &SqliteStore| -> Vec<CardId> {
        s.list_cards(&s.board().unwrap(), None)
            .unwrap()
            .iter()
            .map(|c| c.id)
            .collect()
    };
    assert_eq!(order(&f.store()), vec![c, a, b]);
    // The selection stayed on Charlie, so J moves it back down.
    keys(&mut app, "J");
    assert_eq!(order(&f.store()), vec![a, c, b]);
    keys(&mut app, "j");
    keys(&mut app, "J"); // already last: nothing changes
    assert_eq!(order(&f.store()), vec![a, c, b]);
}

#[test]
fn at_me_filters_the_cards_of_the_current_user() {
    let f = Fixture::new();
    let mut s = f.store();
    let board = s.board().unwrap();
    for (title, who) in [("Mine", "ana"), ("Theirs", "ben")] {
        s.add_card(
            col(&board, "Backlog"),
            NewCard {
                title: title.into(),
                assignee: Some(who.into()),
                ..NewCard::default()
            },
            None,
        )
        .unwrap();
    }
    let mut app = f.app(120, 40);
    keys(&mut app, "/@me");
    press(&mut app, KeyCode::Enter);
    let scr = screen(&app);
    assert!(scr.contains("Mine") && !scr.contains("Theirs"), "{scr}");
}

#[test]
fn question_mark_lists_every_key_of_the_board_from_the_keymap() {
    let f = Fixture::new();
    let mut app = f.app(120, 40);
    keys(&mut app, "?");
    // Everything the help says, scrolled through to its end.
    let mut scr = screen(&app);
    for _ in 0..20 {
        keys(&mut app, "j");
        scr.push_str(&screen(&app));
    }
    for b in teamloop::ui::keymap::BOARD
        .iter()
        .chain(teamloop::ui::keymap::GLOBAL)
    {
        assert!(scr.contains(b.help), "help lacks '{}':\n{scr}", b.help);
    }
    press(&mut app, KeyCode::Esc);
    assert!(!screen(&app).contains("Keys"));
}

#[test]
fn column_settings_add_rename_limit_and_delete() {
    let f = Fixture::new();
    let mut app = f.app(140, 40);
    keys(&mut app, "c");
    assert!(screen(&app).contains("Column settings"));
    keys(&mut app, "aQA");
    press(&mut app, KeyCode::Enter);
    let board = f.store().board().unwrap();
    assert_eq!(board.columns.last().unwrap().name, "QA");
    // Select In Progress (third) and change its limit to 5.
    keys(&mut app, "gg");
    for _ in 0..10 {
        keys(&mut app, "k");
    }
    keys(&mut app, "jjw");
    for _ in 0..3 {
        press(&mut app, KeyCode::Backspace);
    }
    keys(&mut app, "5");
    press(&mut app, KeyCode::Enter);
    let board = f.store().board().unwrap();
    assert_eq!(
        board.column_named("In Progress").unwrap().wip,
        Some(WipLimit::hard(5))
    );
    // Soft, then rename.
    keys(&mut app, "s");
    let board = f.store().board().unwrap();
    assert_eq!(
        board.column_named("In Progress").unwrap().wip,
        Some(WipLimit::soft(5))
    );
    keys(&mut app, "r");
    for _ in 0..20 {
        press(&mut app, KeyCode::Backspace);
    }
    keys(&mut app, "Doing");
    press(&mut app, KeyCode::Enter);
    assert!(f.store().board().unwrap().column_named("Doing").is_some());
    // Delete the empty QA column (last).
    for _ in 0..10 {
        keys(&mut app, "j");
    }
    keys(&mut app, "dy");
    let names: Vec<String> = f
        .store()
        .board()
        .unwrap()
        .columns
        .iter()
        .map(|c| c.name.clone())
        .collect();
    assert_eq!(names, ["Backlog", "To Do", "Doing", "Review", "Done"]);
    press(&mut app, KeyCode::Esc);
    assert!(screen(&app).contains("Doing"));
}

#[test]
fn x_archives_only_after_confirmation() {
    let f = Fixture::new();
    let mut s = f.store();
    let id = add(&mut s, "Backlog", "Old idea");
    let mut app = f.app(120, 40);
    keys(&mut app, "xn");
    assert!(!f.store().card(id).unwrap().archived);
    keys(&mut app, "xy");
    assert!(f.store().card(id).unwrap().archived);
    assert!(!screen(&app).contains("Old idea"));
}

#[test]
fn b_blocks_with_a_reason_and_unblocks() {
    let f = Fixture::new();
    let mut s = f.store();
    let id = add(&mut s, "Backlog", "Needs API key");
    let mut app = f.app(120, 40);
    keys(&mut app, "b");
    press(&mut app, KeyCode::Enter);
    assert!(screen(&app).contains("Say what blocks the card"));
    keys(&mut app, "waiting on payments");
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        f.store().card(id).unwrap().blocked.as_deref(),
        Some("waiting on payments")
    );
    assert!(screen(&app).contains("BLOCKED"));
    keys(&mut app, "b");
    assert_eq!(f.store().card(id).unwrap().blocked, None);
    assert!(!screen(&app).contains("BLOCKED"));
}

#[test]
fn enter_opens_the_card_with_its_move_history() {
    let f = Fixture::new();
    let mut s = f.store();
    let id = add(&mut s, "Backlog", "Traceable");
    let board = s.board().unwrap();
    s.move_card(id, col(&board, "To Do"), None).unwrap();
    let mut app = f.app(120, 40);
    keys(&mut app, "l");
    press(&mut app, KeyCode::Enter);
    let scr = screen(&app);
    assert!(scr.contains("History"), "{scr}");
    assert!(scr.contains("created in Backlog"));
    assert!(scr.contains("moved Backlog → To Do"));
    press(&mut app, KeyCode::Esc);
    assert!(!screen(&app).contains("History"));
}

#[test]
fn a_small_terminal_gets_a_clear_message() {
    let f = Fixture::new();
    let app = f.app(30, 10);
    assert!(screen(&app).contains("Terminal too small: 30×10"));
}

#[test]
fn escape_sequences_in_titles_never_reach_the_terminal() {
    let f = Fixture::new();
    let mut s = f.store();
    // Typed, the title is kept without its control characters.
    let typed = add(&mut s, "Backlog", "evil \u{1b}[2J\u{1b}]0;pwned\u{7} title");
    assert_eq!(s.card(typed).unwrap().title, "evil [2J ]0;pwned title");
    // Written into the file before that rule (or by another program), it
    // is shown with its controls as marks.
    let raw = add(&mut s, "Backlog", "raw");
    rusqlite::Connection::open(&f.path)
        .unwrap()
        .execute(
            "UPDATE cards SET title = ?1 WHERE id = ?2",
            ("raw \u{1b}[2J\u{1b}]0;pwned\u{7} \u{202E}title", raw.0),
        )
        .unwrap();
    let app = f.app(120, 40);
    let scr = screen(&app);
    assert!(!scr.contains('\u{1b}') && !scr.contains('\u{7}') && !scr.contains('\u{202E}'));
    assert!(scr.contains("evil [2J ]0;pwned"), "{scr}");
    assert!(scr.contains("raw ␛[2J"), "{scr}");
}

#[test]
fn wide_characters_keep_the_columns_aligned() {
    let f = Fixture::new();
    let mut s = f.store();
    add(
        &mut s,
        "Backlog",
        "日本語のタイトルがとても長い場合のテスト",
    );
    add(
        &mut s,
        "Backlog",
        "🚀🚀🚀 launch the rocket emoji release 🚀🚀🚀",
    );
    add(&mut s, "To Do", "plain");
    let buf = render(&f.app(120, 40), 120, 40);
    // Every row of the board has the borders at the same cells.
    let border_x: Vec<u16> = (0..120).filter(|&x| buf[(x, 5)].symbol() == "│").collect();
    for y in 2..38 {
        let xs: Vec<u16> = (0..120).filter(|&x| buf[(x, y)].symbol() == "│").collect();
        assert_eq!(xs, border_x, "row {y} misaligned");
    }
    assert!(text(&buf).contains("…"));
}

#[test]
fn another_terminals_change_shows_after_a_tick() {
    let f = Fixture::new();
    let mut app = f.app(120, 40);
    assert!(!screen(&app).contains("Added elsewhere"));
    let mut other = open(&f.path, "ben");
    add(&mut other, "To Do", "Added elsewhere");
    assert!(app.tick(), "the tick noticed the change");
    assert!(screen(&app).contains("Added elsewhere"));
    assert!(!app.tick(), "nothing new on the next tick");
}

#[test]
fn clicking_a_card_selects_it() {
    let f = Fixture::new();
    let mut s = f.store();
    add(&mut s, "To Do", "first");
    let second = add(&mut s, "To Do", "second");
    let mut app = f.app(120, 40);
    // To Do is the second of five 24-cell columns; its second card starts on row 5.
    app.handle_event(Event::Mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: 30,
        row: 5,
        modifiers: KeyModifiers::NONE,
    }));
    keys(&mut app, "L");
    assert_eq!(column_of(&f.store(), second), "In Progress");
}

#[test]
fn read_only_database_shows_a_banner_and_refuses_changes() {
    let f = Fixture::new();
    let mut s = f.store();
    let id = add(&mut s, "Backlog", "Look only");
    drop(s);
    let ro = store::open(
        &f.path,
        OpenOptions {
            read_only: true,
            ..OpenOptions::new("ana").with_key(PersonKey::for_name("ana"))
        },
    )
    .unwrap();
    let mut app = App::new(Box::new(ro), 120, 40);
    assert!(screen(&app).contains("READ-ONLY"));
    keys(&mut app, "L");
    assert!(status_line(&app).contains("read-only"));
    assert_eq!(column_of(&f.store(), id), "Backlog");
    // Every tab's writing keys are refused the same way, and nothing of
    // the file changes.
    let before = teamloop::store::export_json(&f.store()).unwrap().text;
    for tab in "1234567".chars() {
        for key in "naAeEdDpPsSbiRCgGwmrtu]".chars() {
            keys(&mut app, &tab.to_string());
            keys(&mut app, &key.to_string());
            press(&mut app, KeyCode::Esc);
        }
    }
    assert_eq!(
        teamloop::store::export_json(&f.store()).unwrap().text,
        before
    );
}

#[test]
fn long_columns_scroll_with_the_selection() {
    let f = Fixture::new();
    let mut s = f.store();
    for i in 1..=30 {
        add(&mut s, "Backlog", &format!("Card number {i}"));
    }
    let mut app = f.app(120, 40);
    assert!(screen(&app).contains("1–11 of 30 ↓"));
    for _ in 0..20 {
        keys(&mut app, "j");
    }
    let scr = screen(&app);
    assert!(scr.contains("Card number 21"), "{scr}");
    assert!(!scr.contains("Card number 1 "));
    assert!(scr.contains("↑ 11–21 of 30 ↓"), "{scr}");
    keys(&mut app, "G");
    assert!(screen(&app).contains("Card number 30"));
    keys(&mut app, "L");
    assert_eq!(column_of(&f.store(), CardId(30)), "To Do");
}

#[test]
fn narrow_terminals_scroll_columns_sideways() {
    let f = Fixture::new();
    let mut app = f.app(60, 30);
    let scr = screen(&app);
    assert!(scr.contains("Backlog") && !scr.contains("Done"));
    assert!(scr.contains("▶"));
    keys(&mut app, "llll");
    let scr = screen(&app);
    assert!(scr.contains("Done") && !scr.contains("Backlog"), "{scr}");
    assert!(scr.contains("◀"));
}

/// Every card's column is the target of its latest event, and SQLite is sound.
fn assert_consistent(path: &Path) {
    let s = open(path, "check");
    let conn = s.connection();
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    let bad = common::cards_off_their_last_event(conn);
    assert_eq!(bad, 0, "a card's column differs from its last move event");
    let fk: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(fk, 0);
    let twice: i64 = conn
        .query_row(
            "SELECT count(*) FROM (SELECT sc.card_id FROM sprint_cards sc
             JOIN sprints sp ON sp.id = sc.sprint_id
             WHERE sp.state IN ('planned', 'active') AND sc.outcome IS NULL
             GROUP BY sc.card_id HAVING count(*) > 1)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(twice, 0, "a card is in two open sprints");
}

fn key_strategy() -> impl Strategy<Value = KeyEvent> {
    let codes = prop_oneof![
        8 => prop::sample::select(vec![
            'h', 'j', 'k', 'l', 'H', 'L', 'F', 'n', 'e', 'a', 't', 'p', 'b', 'x', 'y', '/', 'c',
            '?', 'g', 'G', 'w', 's', 'r', 'd', 'J', 'K', '1', '2', '3', '#', '@', ' ', 'q',
            'R', '[', ']', '4', 'v', 'S', 'C', 'E', 'P', 'i', 'm', 'f', 'H', '>', 'u',
            '5', 'o', '-', '+', 'L', '7', '6', '6', 'M', ':', 'u',
        ])
        .prop_map(KeyCode::Char),
        3 => prop::sample::select(vec![
            KeyCode::Enter,
            KeyCode::Esc,
            KeyCode::Tab,
            KeyCode::BackTab,
            KeyCode::Backspace,
            KeyCode::Up,
            KeyCode::Down,
            KeyCode::Left,
            KeyCode::Right,
            KeyCode::PageDown,
        ]),
    ];
    (codes, prop::bool::weighted(0.1)).prop_map(|(code, ctrl)| {
        let mut mods = match code {
            KeyCode::Char(c) if c.is_ascii_uppercase() => KeyModifiers::SHIFT,
            _ => KeyModifiers::NONE,
        };
        if ctrl && matches!(code, KeyCode::Char('s')) {
            mods |= KeyModifiers::CONTROL;
        }
        KeyEvent::new(code, mods)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn random_keys_never_panic_and_keep_the_database_consistent(
        keys in prop::collection::vec(key_strategy(), 1..120)
    ) {
        let f = Fixture::new();
        let mut s = f.store();
        for (column, title) in [("Backlog", "one"), ("To Do", "two"), ("In Progress", "three"),
                                ("In Progress", "four"), ("In Progress", "five"), ("Review", "six")] {
            add(&mut s, column, title);
        }
        // A running sprint and the next one being planned, for the Sprint
        // and Standup tabs.
        let board = s.board().unwrap().id;
        let today = chrono::Utc::now().date_naive();
        let sprint = |name: &str, goal: &str, start| NewSprint {
            name: name.into(),
            goal: goal.into(),
            start,
            days: 14,
            capacity: Some(10),
        };
        let now = s.create_sprint(board, sprint("Now", "Ship", today)).unwrap();
        s.add_to_sprint(now, &[CardId(2)]).unwrap();
        s.add_to_sprint(now, &[CardId(3)]).unwrap();
        s.start_sprint(now, SprintPatch::default()).unwrap();
        let next = s
            .create_sprint(board, sprint("Next", "", today + chrono::Duration::days(14)))
            .unwrap();
        s.add_to_sprint(next, &[CardId(1)]).unwrap();
        // A retro under way, for the Retro tab.
        let retro = s
            .start_retro(
                board,
                NewRetro {
                    title: "Now retro".into(),
                    format: teamloop::domain::retro::format::built_in().remove(0),
                    votes: 3,
                    safety: teamloop::domain::retro::SafetyKind::Scale,
                    sprint: None,
                    from: today,
                    to: today,
                },
            )
            .unwrap();
        s.set_phase(retro, teamloop::domain::retro::Phase::Gather).unwrap();
        s.add_retro_card(retro, 0, "a card").unwrap();
        s.add_retro_card(retro, 1, "another").unwrap();
        // A pulse open for answers, for the Pulse tab.
        s.open_pulse(
            board,
            teamloop::store::NewPulse {
                title: "Now pulse".into(),
                instrument: teamloop::domain::pulse::Instrument::edmondson().unwrap(),
                closes: None,
                min_responses: 3,
                min_comments: 3,
            },
        )
        .unwrap();
        // A post-mortem with a timeline and a pre-mortem being written, for
        // the Mortems tab.
        let pm = s.new_postmortem(board, "Outage", None).unwrap();
        s.add_timeline(pm, chrono::Utc::now(), "alert fires").unwrap();
        s.set_section(pm, "summary", "Ana broke it, obviously.", None).unwrap();
        let pre = s.new_premortem(board, "Launch", None).unwrap();
        s.add_reason(
            pre,
            teamloop::store::mortems::NewReason {
                text: "it rains".into(),
                hidden: true,
                likelihood: None,
                impact: None,
            },
        )
        .unwrap();
        drop(s);
        let mut app = f.app(100, 30);
        for (i, k) in keys.into_iter().enumerate() {
            app.handle_event(Event::Key(k));
            if app.state.quit {
                break;
            }
            if i % 10 == 0 {
                render(&app, 100, 30);
                app.tick();
            }
        }
        render(&app, 100, 30);
        drop(app);
        assert_consistent(&f.path);
    }
}

fn kinds(store: &SqliteStore, card: CardId) -> Vec<String> {
    store
        .card_history(card)
        .unwrap()
        .iter()
        .map(|e| format!("{} {}", e.kind.as_str(), e.actor))
        .collect()
}

#[test]
fn u_undoes_a_move_with_a_move_back_and_ctrl_r_redoes_it() {
    let f = Fixture::new();
    let mut s = f.store();
    let card = add(&mut s, "Backlog", "Write the guide");
    let mut app = f.app(120, 40);
    keys(&mut app, "L");
    assert_eq!(column_of(&s, card), "To Do");
    keys(&mut app, "u");
    assert_eq!(column_of(&s, card), "Backlog");
    assert!(
        status_line(&app).contains("Undone: the move of #"),
        "{}",
        status_line(&app)
    );
    ctrl(&mut app, 'r');
    assert_eq!(column_of(&s, card), "To Do");
    // Undo is itself recorded: the history holds every move, back and forth.
    assert_eq!(
        kinds(&s, card),
        ["created ana", "moved ana", "moved ana", "moved ana"]
    );
    keys(&mut app, "uu");
    assert!(
        status_line(&app).contains("Nothing to undo"),
        "{}",
        status_line(&app)
    );
}

#[test]
fn u_undoes_an_edit_and_an_archive() {
    let f = Fixture::new();
    let mut s = f.store();
    let card = add(&mut s, "Backlog", "Old title");
    let mut app = f.app(120, 40);
    keys(&mut app, "e");
    for _ in 0..9 {
        press(&mut app, KeyCode::Backspace);
    }
    keys(&mut app, "New title");
    ctrl(&mut app, 's');
    assert_eq!(s.card(card).unwrap().title, "New title");
    keys(&mut app, "b");
    keys(&mut app, "waiting on legal");
    press(&mut app, KeyCode::Enter);
    assert!(s.card(card).unwrap().blocked.is_some());
    keys(&mut app, "xy");
    assert!(s.card(card).unwrap().archived);
    // Back, one by one, in the order they were made.
    keys(&mut app, "u");
    let c = s.card(card).unwrap();
    assert!(!c.archived);
    assert_eq!(column_of(&s, card), "Backlog");
    keys(&mut app, "u");
    assert!(s.card(card).unwrap().blocked.is_none());
    keys(&mut app, "u");
    assert_eq!(s.card(card).unwrap().title, "Old title");
    assert!(kinds(&s, card).contains(&"restored ana".to_string()));
    assert_eq!(common::cards_off_their_last_event(s.connection()), 0);
}

#[test]
fn undo_never_reverts_someone_elses_later_change() {
    let f = Fixture::new();
    let mut s = f.store();
    let card = add(&mut s, "Backlog", "Shared card");
    let mut app = f.app(120, 40);
    keys(&mut app, "L");
    // Ben moves it on from his terminal.
    let mut ben = open(&f.path, "ben");
    let board = ben.board().unwrap();
    ben.move_card(card, col(&board, "In Progress"), None)
        .unwrap();
    keys(&mut app, "u");
    let status = status_line(&app);
    assert!(
        status.contains("Undo refused: ben moved To Do → In Progress"),
        "{status}"
    );
    assert_eq!(column_of(&s, card), "In Progress", "ben's move stands");
    // The refused change is off the list.
    keys(&mut app, "u");
    assert!(status_line(&app).contains("Nothing to undo"));
}

#[test]
fn u_undoes_a_wip_limit_change_in_column_settings() {
    let f = Fixture::new();
    let s = f.store();
    let mut app = f.app(120, 40);
    // Column settings: the third column (In Progress, limit 3), w: 5.
    keys(&mut app, "cjjw");
    press(&mut app, KeyCode::Backspace);
    keys(&mut app, "5");
    press(&mut app, KeyCode::Enter);
    let limit = |s: &SqliteStore| {
        let b = s.board().unwrap();
        b.column_named("In Progress").unwrap().wip.map(|w| w.limit)
    };
    assert_eq!(limit(&s), Some(5));
    keys(&mut app, "u");
    assert_eq!(limit(&s), Some(3));
    ctrl(&mut app, 'r');
    assert_eq!(limit(&s), Some(5));
}

#[test]
fn the_palette_finds_every_action_by_name_and_runs_it_on_its_tab() {
    let f = Fixture::new();
    let mut s = f.store();
    let card = add(&mut s, "Backlog", "Palette card");
    let mut app = f.app(120, 40);
    keys(&mut app, ":");
    let all = screen(&app);
    assert!(all.contains("Run an action"), "{all}");
    // Letters in order are enough.
    keys(&mut app, "mv dn");
    let shown = screen(&app);
    assert!(
        shown.contains(&format!("Board: move {card} to Done")),
        "{shown}"
    );
    press(&mut app, KeyCode::Esc);
    // A column's name written out puts the move there first.
    keys(&mut app, ":done");
    press(&mut app, KeyCode::Enter);
    assert_eq!(column_of(&s, card), "Done");
    // An action of another tab: the tab first, then the action.
    keys(&mut app, ":");
    keys(&mut app, "retro start a retro");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.state.tab, teamloop::ui::state::Tab::Retro);
    assert!(screen(&app).contains("choose a format"), "{}", screen(&app));
    press(&mut app, KeyCode::Esc);
    // Its keys are shown beside it; Esc closes it without running anything.
    keys(&mut app, ":undo");
    let shown = screen(&app);
    assert!(shown.contains("Undo your last move"), "{shown}");
    assert!(
        shown
            .lines()
            .any(|l| l.contains("Undo your last move") && l.contains(" u ")),
        "{shown}"
    );
    press(&mut app, KeyCode::Esc);
    assert!(!screen(&app).contains("Run an action"));
    assert_eq!(column_of(&s, card), "Done", "nothing ran");
    // Export from the palette, into the folder teamloop started in.
    keys(&mut app, ":json");
    press(&mut app, KeyCode::Enter);
    assert!(
        status_line(&app).contains("Wrote "),
        "{}",
        status_line(&app)
    );
    let written: Vec<_> = std::fs::read_dir(f._dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    assert_eq!(written.len(), 1, "{written:?}");
}

#[test]
fn emoji_sequences_are_drawn_without_the_joiners_terminals_disagree_on() {
    let f = Fixture::new();
    let mut s = f.store();
    add(&mut s, "To Do", "👩‍👩‍👧 family 👍🏽 day ❤️");
    for (w, h) in [(80, 24), (120, 40), (200, 50)] {
        let mut app = f.app(w, h);
        let buf = common::render(&app, w, h);
        // No cell holds a joined sequence: each drawn cell is as wide in
        // every terminal as it was measured.
        for y in 0..h {
            for x in 0..w {
                let sym = buf[(x, y)].symbol();
                assert!(
                    !sym.contains(['\u{200D}', '\u{FE0F}', '\u{1F3FD}']),
                    "{w}x{h}: cell ({x}, {y}) holds {sym:?}"
                );
            }
        }
        let text = common::text(&buf);
        assert!(text.contains("👩") && text.contains("family"), "{text}");
        // The card's own screen too.
        common::press(&mut app, KeyCode::Right);
        common::press(&mut app, KeyCode::Enter);
        let shown = common::render(&app, w, h);
        assert!(
            common::text(&shown).contains("family"),
            "{}",
            common::text(&shown)
        );
        for y in 0..h {
            for x in 0..w {
                assert!(!shown[(x, y)].symbol().contains('\u{200D}'));
            }
        }
    }
}

#[test]
fn an_empty_board_says_how_to_begin_in_the_users_keys() {
    let f = Fixture::new();
    let mut app = f.app(100, 30);
    let text = screen(&app);
    assert!(text.contains("No cards yet"), "{text}");
    assert!(text.contains("n add a card"), "{text}");
    assert!(text.contains("teamloop --demo"), "{text}");
    // A card, and the board is the board.
    keys(&mut app, "n");
    keys(&mut app, "First card");
    press(&mut app, KeyCode::Enter);
    assert!(!screen(&app).contains("No cards yet"));
    // What the status line said stays with its tab.
    assert!(!status_line(&app).is_empty());
    keys(&mut app, "2");
    keys(&mut app, "1");
    assert!(
        !status_line(&app).contains("First card"),
        "{}",
        status_line(&app)
    );
}

#[test]
fn a_long_message_is_said_whole_even_on_a_narrow_terminal() {
    let f = Fixture::new();
    let mut app = f.app(80, 24);
    keys(&mut app, "u");
    let said = app.state.status.text.clone();
    assert!(said.len() > 70, "a long message to try: {said}");
    // Every word of it is on the screen (status_line checks), none cut.
    let line = status_line(&app);
    assert!(line.contains(&said), "{line}");
    assert!(!screen(&app).contains('…') || !said.contains('…'));
}

#[test]
fn a_title_pasted_with_planted_controls_is_kept_and_said_without_them() {
    let planted = "\u{202E}evil\u{1b}[2J\u{1b}]0;pwned\u{7} title";
    let harmless = |s: &str| !s.contains(['\u{1b}', '\u{7}', '\u{202E}']);
    let f = Fixture::new();
    let mut app = f.app(120, 40);
    keys(&mut app, "n");
    app.handle_event(Event::Paste(planted.into()));
    press(&mut app, KeyCode::Enter);
    let card = f.store().card(CardId(1)).unwrap();
    assert_eq!(card.title, "evil [2J ]0;pwned title", "{}", screen(&app));
    // The status message saying so, and the board, hold none of it.
    assert!(
        harmless(&app.state.status.text),
        "{:?}",
        app.state.status.text
    );
    assert!(status_line(&app).contains("Created #1"));
    let scr = screen(&app);
    assert!(scr.contains("#1 evil [2J"), "{scr}");
    assert!(harmless(&scr));
    // A refusal quoting what was pasted says it harmless too: a date.
    keys(&mut app, "3n");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    for _ in 0..10 {
        press(&mut app, KeyCode::Backspace);
    }
    app.handle_event(Event::Paste(planted.into()));
    press(&mut app, KeyCode::Enter);
    let scr = format!("{}\n{}", screen(&app), status_line(&app));
    assert!(scr.contains("is not a date"), "{scr}");
    assert!(harmless(&scr), "{scr:?}");
}
