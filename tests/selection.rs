//! Several people on one board: what each terminal has selected stays on
//! the same item when someone else's change arrives, and when the item
//! itself is taken away the status line says so and the selection goes to
//! its neighbour. Each story runs Ana's app on a board while a second store
//! on the same board plays the colleague, on a SQLite file and on the
//! server.

mod common;

use common::engines::{BoardFixture, on_both_engines};
use common::{keys, status_line};
use teamloop::domain::{Board, CardId, ColumnId, NewCard};
use teamloop::store::Store;
use teamloop::ui::App;

/// Ana's app, on a terminal `height` rows high.
fn app(f: &BoardFixture, height: u16) -> App {
    f.app("ana", 120, height)
}

fn col(board: &Board, name: &str) -> ColumnId {
    board.column_named(name).unwrap().id
}

fn add(s: &mut dyn Store, column: &str, title: &str) -> CardId {
    let board = s.board().unwrap();
    s.add_card(col(&board, column), NewCard::titled(title), None)
        .unwrap()
        .card
}

fn move_to(s: &mut dyn Store, card: CardId, column: &str) {
    let board = s.board().unwrap();
    s.move_card(card, col(&board, column), None).unwrap();
}

fn column_of(s: &dyn Store, card: CardId) -> String {
    let board = s.board().unwrap();
    let c = s.card(card).unwrap();
    board.column(c.column).unwrap().name.clone()
}

/// The card Ana's board has selected.
fn selected(app: &App) -> Option<CardId> {
    app.state.board.selected().map(|c| c.id)
}

fn selected_column(app: &App) -> String {
    app.state
        .board
        .page(app.state.board.col)
        .unwrap()
        .column
        .name
        .clone()
}

#[test]
fn a_card_moved_in_on_top_leaves_anas_selection_and_her_next_move_on_her_card() {
    on_both_engines(|f| {
        let mut setup = f.as_user("ana");
        let login = add(&mut *setup, "In Progress", "Fix login");
        let limiter = add(&mut *setup, "In Progress", "Rate limiter");
        let invoices = add(&mut *setup, "To Do", "Invoice PDFs");
        let mut app = app(f, 40);
        keys(&mut app, "ll");
        assert_eq!(selected_column(&app), "In Progress");
        assert_eq!(selected(&app), Some(login));

        // Ben moves the invoices into In Progress from his terminal: moved
        // cards go on top, so Fix login is now the second card.
        let mut ben = f.as_user("ben");
        move_to(&mut *ben, invoices, "In Progress");
        f.notices("Ana's terminal noticed", || app.tick());
        assert_eq!(selected(&app), Some(login), "still on Fix login");
        assert_eq!(app.state.board.row(app.state.board.col), 1);
        assert!(
            !status_line(&app).contains("left"),
            "a card that only moved within the column is followed silently"
        );

        // Her next L moves the card she chose, not the one now at her old row.
        keys(&mut app, "L");
        assert_eq!(column_of(&*ben, login), "Review");
        assert_eq!(column_of(&*ben, invoices), "In Progress");
        assert_eq!(column_of(&*ben, limiter), "In Progress");
        assert_eq!(selected(&app), Some(login), "her own move is followed");
        assert!(status_line(&app).contains("Moved #1 to Review"));
    });
}

#[test]
fn a_card_moved_away_by_someone_else_hands_the_selection_to_its_neighbour() {
    on_both_engines(|f| {
        let mut setup = f.as_user("ana");
        let login = add(&mut *setup, "In Progress", "Fix login");
        let limiter = add(&mut *setup, "In Progress", "Rate limiter");
        let pdfs = add(&mut *setup, "In Progress", "Invoice PDFs");
        let mut app = app(f, 40);
        keys(&mut app, "llj");
        assert_eq!(selected(&app), Some(limiter));

        let mut ben = f.as_user("ben");
        move_to(&mut *ben, limiter, "Done");
        f.notices("Ana's terminal notices", || app.tick());
        assert_eq!(
            selected(&app),
            Some(pdfs),
            "the card now at its row takes the selection"
        );
        assert_eq!(selected_column(&app), "In Progress", "the column stays");
        let status = status_line(&app);
        assert!(
            status.contains("#2 left In Progress (moved to Done by ben)"),
            "{status}"
        );

        // The last card goes: the one before it is selected.
        move_to(&mut *ben, pdfs, "Review");
        f.notices("Ana's terminal notices", || app.tick());
        assert_eq!(selected(&app), Some(login));
        let status = status_line(&app);
        assert!(
            status.contains("#3 left In Progress (moved to Review by ben)"),
            "{status}"
        );
    });
}

#[test]
fn a_card_archived_by_someone_else_is_said_so() {
    on_both_engines(|f| {
        let mut setup = f.as_user("ana");
        let first = add(&mut *setup, "Backlog", "First");
        let second = add(&mut *setup, "Backlog", "Second");
        let mut app = app(f, 40);
        assert_eq!(selected(&app), Some(first));
        let mut ben = f.as_user("ben");
        ben.archive_card(first).unwrap();
        f.notices("Ana's terminal notices", || app.tick());
        assert_eq!(selected(&app), Some(second));
        let status = status_line(&app);
        assert!(
            status.contains("#1 left Backlog (archived by ben)"),
            "{status}"
        );
    });
}

#[test]
fn a_card_pushed_below_the_visible_cards_is_still_selected_and_scrolled_to() {
    on_both_engines(|f| {
        let mut setup = f.as_user("ana");
        // 14 rows: three cards show per column.
        for t in ["One", "Two", "Three"] {
            add(&mut *setup, "Backlog", t);
        }
        let other = add(&mut *setup, "To Do", "Elsewhere");
        let mut app = app(f, 14);
        keys(&mut app, "jj");
        assert_eq!(selected(&app), Some(CardId(3)));

        // Ben moves a card to the top of the Backlog: Three is now fourth,
        // below what Ana's column shows.
        let mut ben = f.as_user("ben");
        move_to(&mut *ben, other, "Backlog");
        f.notices("Ana's terminal notices", || app.tick());
        assert_eq!(selected(&app), Some(CardId(3)), "followed off the window");
        assert_eq!(app.state.board.row(0), 3);
        assert_eq!(app.state.board.scroll_of(0), 1, "and scrolled to");
        assert!(common::screen(&app).contains("Three"));
    });
}

#[test]
fn a_card_someone_else_filters_out_is_said_so() {
    on_both_engines(|f| {
        let mut setup = f.as_user("ana");
        let board = setup.board().unwrap();
        for title in ["Billing bug", "Login bug"] {
            setup
                .add_card(
                    col(&board, "Backlog"),
                    NewCard {
                        tags: vec!["bug".into()],
                        ..NewCard::titled(title)
                    },
                    None,
                )
                .unwrap();
        }
        let mut app = app(f, 40);
        keys(&mut app, "/");
        keys(&mut app, "#bug");
        common::press(&mut app, ratatui::crossterm::event::KeyCode::Enter);
        assert_eq!(selected(&app), Some(CardId(1)));
        let mut ben = f.as_user("ben");
        ben.update_card(
            CardId(1),
            teamloop::domain::CardPatch {
                tags: Some(Vec::new()),
                ..Default::default()
            },
        )
        .unwrap();
        f.notices("Ana's terminal notices", || app.tick());
        assert_eq!(selected(&app), Some(CardId(2)));
        let status = status_line(&app);
        assert!(
            status.contains("#1 left Backlog (no longer matches the filter)"),
            "{status}"
        );
    });
}

#[test]
fn anas_own_archive_keeps_her_message_and_moves_on_as_before() {
    on_both_engines(|f| {
        let mut setup = f.as_user("ana");
        let first = add(&mut *setup, "Backlog", "First");
        let second = add(&mut *setup, "Backlog", "Second");
        let mut app = app(f, 40);
        assert_eq!(selected(&app), Some(first));
        keys(&mut app, "x");
        keys(&mut app, "y");
        assert_eq!(selected(&app), Some(second));
        let status = status_line(&app);
        assert!(
            status.contains("Archived #1 (u brings it back)"),
            "{status}"
        );
        assert!(!status.contains("left"), "{status}");
    });
}

#[test]
fn the_selected_column_is_kept_by_id_when_columns_change_elsewhere() {
    on_both_engines(|f| {
        let mut setup = f.as_user("ana");
        let review = add(&mut *setup, "Review", "Rate limiter");
        let mut app = app(f, 40);
        keys(&mut app, "lll");
        assert_eq!(selected_column(&app), "Review");
        // Ben moves In Progress to the far right: Review is one column left.
        let mut ben = f.as_user("ben");
        let board = ben.board().unwrap();
        ben.shift_column(col(&board, "In Progress"), 2).unwrap();
        f.notices("Ana's terminal notices", || app.tick());
        assert_eq!(selected_column(&app), "Review");
        assert_eq!(selected(&app), Some(review));
    });
}

fn item_labels(app: &App) -> Vec<String> {
    app.state
        .retro
        .data
        .as_deref()
        .map(|d| d.items().iter().map(|i| i.label().to_string()).collect())
        .unwrap_or_default()
}

fn selected_item(app: &App) -> Option<String> {
    app.state
        .retro
        .selected_item()
        .map(|i| i.label().to_string())
}

#[test]
fn a_retro_item_stays_selected_when_a_theme_is_made_above_it_and_is_said_when_grouped_itself() {
    on_both_engines(|f| {
        use teamloop::domain::retro::{Phase, SafetyKind, format};
        use teamloop::store::NewRetro;
        let mut ana = f.as_user("ana");
        let board = ana.board().unwrap().id;
        let today = chrono::Utc::now().date_naive();
        let id = ana
            .start_retro(
                board,
                NewRetro {
                    title: "Sprint 3 retro".into(),
                    format: format::built_in().remove(0),
                    votes: 3,
                    safety: SafetyKind::Esvp,
                    sprint: None,
                    from: today - chrono::Duration::days(14),
                    to: today,
                },
            )
            .unwrap();
        ana.set_phase(id, Phase::Gather).unwrap();
        let mut ben = f.as_user("ben");
        for text in ["Banana", "Damson", "Elder", "Fig"] {
            ben.add_retro_card(id, 0, text).unwrap();
        }
        ana.set_phase(id, Phase::Group).unwrap();
        let mut app = app(f, 40);
        keys(&mut app, "5");
        assert_eq!(item_labels(&app), ["Banana", "Damson", "Elder", "Fig"]);
        keys(&mut app, "j");
        assert_eq!(selected_item(&app).as_deref(), Some("Damson"));

        // Ben groups Elder and Fig as "Apples": the theme sorts first, so
        // Damson is now third.
        let item = |s: &dyn Store, label: &str| {
            s.retro_report(id)
                .unwrap()
                .items
                .into_iter()
                .find(|i| i.label() == label)
                .unwrap()
                .id
        };
        let (elder, fig) = (item(&*ben, "Elder"), item(&*ben, "Fig"));
        ben.group_items(id, &[elder, fig], "Apples").unwrap();
        f.notices("Ana's terminal notices", || app.tick());
        assert_eq!(item_labels(&app), ["Apples", "Banana", "Damson"]);
        assert_eq!(selected_item(&app).as_deref(), Some("Damson"));
        assert!(!status_line(&app).contains("no longer"));

        // Then Ben groups Damson itself, under Banana's theme "Zest".
        let (banana, damson) = (item(&*ben, "Banana"), item(&*ben, "Damson"));
        ben.group_items(id, &[banana, damson], "Zest").unwrap();
        f.notices("Ana's terminal notices", || app.tick());
        assert_eq!(item_labels(&app), ["Apples", "Zest"]);
        assert_eq!(
            selected_item(&app).as_deref(),
            Some("Zest"),
            "its neighbour, the last row"
        );
        let status = status_line(&app);
        assert!(
            status.contains("\"Damson\" is now part of the theme \"Zest\""),
            "{status}"
        );
    });
}

#[test]
fn the_selected_mortem_stays_selected_when_someone_starts_a_newer_one() {
    on_both_engines(|f| {
        let mut ana = f.as_user("ana");
        let board = ana.board().unwrap().id;
        let older = ana.new_postmortem(board, "Queue backlog", None).unwrap();
        let newer = ana.new_postmortem(board, "Login outage", None).unwrap();
        let mut app = app(f, 40);
        keys(&mut app, "6j");
        assert_eq!(app.state.mortem.selected_id, Some(older));
        let mut ben = f.as_user("ben");
        ben.new_postmortem(board, "Billing double charge", None)
            .unwrap();
        f.notices("Ana's terminal notices", || app.tick());
        let m = &app.state.mortem;
        assert_eq!(m.data.as_deref().unwrap().list.len(), 3);
        assert_eq!(m.selected_id, Some(older), "not {newer:?}, now at its row");
        assert_eq!(m.row, 2);
        let shown = m.report().unwrap().mortem.id;
        assert_eq!(shown, older, "and its document is the one shown");
    });
}

#[test]
fn a_mortem_that_no_longer_matches_the_search_is_said_so() {
    on_both_engines(|f| {
        use teamloop::store::mortems::Field;
        let mut ana = f.as_user("ana");
        let board = ana.board().unwrap().id;
        let queue = ana.new_postmortem(board, "Queue outage", None).unwrap();
        let login = ana.new_postmortem(board, "Login outage", None).unwrap();
        let mut app = app(f, 40);
        keys(&mut app, "6/outage");
        common::press(&mut app, ratatui::crossterm::event::KeyCode::Enter);
        assert_eq!(app.state.mortem.selected_id, Some(login));
        let mut ben = f.as_user("ben");
        ben.set_mortem_fields(login, &[(Field::Title, "Login slowness")])
            .unwrap();
        f.notices("Ana's terminal notices", || app.tick());
        assert_eq!(app.state.mortem.selected_id, Some(queue));
        let status = status_line(&app);
        assert!(
            status.contains("\"Login outage\" no longer matches the search"),
            "{status}"
        );
    });
}

#[test]
fn the_backlog_keeps_its_selected_card_when_cards_above_are_planned_elsewhere() {
    on_both_engines(|f| {
        use teamloop::domain::sprint::NewSprint;
        let mut ana = f.as_user("ana");
        let first = add(&mut *ana, "Backlog", "First");
        let second = add(&mut *ana, "Backlog", "Second");
        let third = add(&mut *ana, "Backlog", "Third");
        let board = ana.board().unwrap().id;
        let sprint = ana
            .create_sprint(
                board,
                NewSprint {
                    name: "Sprint 7".into(),
                    goal: "Invoices go out on time".into(),
                    start: chrono::Utc::now().date_naive(),
                    days: 14,
                    capacity: None,
                },
            )
            .unwrap();
        let mut app = app(f, 40);
        keys(&mut app, "3jj");
        assert_eq!(app.state.sprint.selected().map(|c| c.card.id), Some(third));

        let mut ben = f.as_user("ben");
        ben.add_to_sprint(sprint, &[first]).unwrap();
        f.notices("Ana's terminal notices", || app.tick());
        assert_eq!(app.state.sprint.selected().map(|c| c.card.id), Some(third));
        assert!(!status_line(&app).contains("backlog"));

        ben.add_to_sprint(sprint, &[third]).unwrap();
        f.notices("Ana's terminal notices", || app.tick());
        assert_eq!(app.state.sprint.selected().map(|c| c.card.id), Some(second));
        let status = status_line(&app);
        assert!(
            status.contains("#3 left the backlog (planned into Sprint 7)"),
            "{status}"
        );
    });
}
