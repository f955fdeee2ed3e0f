//! `update` on its own: a state and a command in, the new state and the
//! effects out, with no terminal and no database.

use super::update;
use crate::domain::flow::FlowRange;
use crate::domain::{Board, BoardId, CardId, CardSummary, Column, ColumnId, ColumnKind};
use crate::store::ColumnPage;
use crate::ui::action::{Action, Command};
use crate::ui::effects::{
    Effect, MortemEffect, PulseEffect, RetroEffect, SprintEffect, StandupEffect,
};
use crate::ui::state::{AppState, StatusKind, Tab};
use crate::ui::strings;

fn state(read_only: bool) -> AppState {
    AppState::new(120, 40, read_only, "test.db".into(), "ana".into())
}

fn run(state: &mut AppState, cmd: Command) -> Vec<Effect> {
    update(state, Action::Command(cmd))
}

fn column(id: i64, name: &str, kind: ColumnKind) -> Column {
    Column {
        id: ColumnId(id),
        name: name.into(),
        kind,
        wip: None,
    }
}

fn card(id: i64, column: i64, title: &str) -> CardSummary {
    CardSummary {
        id: CardId(id),
        column: ColumnId(column),
        title: title.into(),
        assignee: None,
        tags: Vec::new(),
        points: None,
        blocked: false,
    }
}

/// A board of three columns as a load leaves it: two cards in Doing, the
/// second of them selected.
fn with_board(read_only: bool) -> AppState {
    let mut s = state(read_only);
    let columns = vec![
        column(10, "To do", ColumnKind::Backlog),
        column(11, "Doing", ColumnKind::Active),
        column(12, "Done", ColumnKind::Done),
    ];
    let cards = |c: &Column| match c.id.0 {
        11 => vec![card(7, 11, "Write the tests"), card(8, 11, "Ship it")],
        _ => Vec::new(),
    };
    s.board.pages = columns
        .iter()
        .map(|c| {
            let cards = cards(c);
            let n = cards.len() as u32;
            ColumnPage {
                column: c.clone(),
                count: n,
                matching: n,
                offset: 0,
                cards,
            }
        })
        .collect();
    s.board.board = Some(Board {
        id: BoardId(1),
        name: "Team".into(),
        columns,
    });
    s.board.rows = vec![0, 1, 0];
    s.board.scroll = vec![0; 3];
    s.board.col = 1;
    s
}

#[test]
fn showing_a_tab_asks_for_its_load() {
    let expected = [
        (1, Tab::Board, Effect::LoadBoard),
        (2, Tab::Flow, Effect::LoadFlow(FlowRange::Weeks(4))),
        (3, Tab::Sprint, Effect::Sprint(SprintEffect::Load)),
        (4, Tab::Standup, Effect::Standup(StandupEffect::Load)),
        (5, Tab::Retro, Effect::Retro(RetroEffect::Load)),
        (6, Tab::Mortems, Effect::Mortem(MortemEffect::Load)),
        (7, Tab::Pulse, Effect::Pulse(PulseEffect::Load)),
    ];
    let mut s = state(false);
    for (number, tab, load) in expected {
        let before = s.tab;
        s.info("said on the tab before");
        let effects = run(&mut s, Command::GoToTab(number));
        assert_eq!(s.tab, tab);
        assert_eq!(effects, vec![load], "{tab:?}");
        // What the status line said stays with the tab it was said on.
        assert_eq!(s.status.text.is_empty(), before != tab, "{tab:?}");
    }
    // There is no tab 8; nothing changes.
    assert!(run(&mut s, Command::GoToTab(8)).is_empty());
    assert_eq!(s.tab, Tab::Pulse);
    // Tab goes round: from the last to the first.
    assert_eq!(run(&mut s, Command::NextTab), vec![Effect::LoadBoard]);
    assert_eq!(s.tab, Tab::Board);
    assert_eq!(
        run(&mut s, Command::PrevTab),
        vec![Effect::Pulse(PulseEffect::Load)]
    );
    assert_eq!(s.tab, Tab::Pulse);
}

#[test]
fn a_refresh_loads_the_board_and_then_the_tab() {
    let mut s = state(false);
    assert_eq!(run(&mut s, Command::Refresh), vec![Effect::LoadBoard]);
    s.tab = Tab::Flow;
    assert_eq!(
        run(&mut s, Command::Refresh),
        vec![Effect::LoadBoard, Effect::LoadFlow(FlowRange::Weeks(4))]
    );
    s.tab = Tab::Retro;
    assert_eq!(
        run(&mut s, Command::Refresh),
        vec![Effect::LoadBoard, Effect::Retro(RetroEffect::Load)]
    );
}

#[test]
fn a_move_on_the_board_moves_the_selected_card_to_the_next_column() {
    let mut s = with_board(false);
    assert_eq!(
        run(&mut s, Command::MoveCardRight),
        vec![Effect::MoveCard {
            card: CardId(8),
            to: ColumnId(12),
            force: None,
        }]
    );
    assert_eq!(
        run(&mut s, Command::MoveCardLeft),
        vec![Effect::MoveCard {
            card: CardId(8),
            to: ColumnId(10),
            force: None,
        }]
    );
    // Nothing is selected in an empty column: no move, and the status says so.
    s.board.col = 0;
    assert!(run(&mut s, Command::MoveCardRight).is_empty());
    assert_eq!(s.status.text, strings::NO_CARD_SELECTED);
}

#[test]
fn a_write_on_a_read_only_board_is_refused_with_a_message() {
    let mut s = with_board(true);
    for cmd in [
        Command::MoveCardRight,
        Command::ArchiveCard,
        Command::NewCard,
    ] {
        s.status = Default::default();
        assert!(run(&mut s, cmd).is_empty(), "{cmd:?}");
        assert_eq!(s.status.text, strings::READ_ONLY_REFUSAL);
        assert_eq!(s.status.kind, StatusKind::Error);
        assert!(s.overlays.is_empty(), "{cmd:?} opened a dialog");
    }
    // Looking still works.
    assert!(run(&mut s, Command::SelectUp).is_empty());
    assert_eq!(s.board.row(1), 0);
}
