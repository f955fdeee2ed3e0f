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
    assert_eq!(
        run(&mut s, Command::Refresh),
        vec![Effect::LoadBoard, Effect::LoadPresence]
    );
    s.tab = Tab::Flow;
    assert_eq!(
        run(&mut s, Command::Refresh),
        vec![
            Effect::LoadBoard,
            Effect::LoadFlow(FlowRange::Weeks(4)),
            Effect::LoadPresence
        ]
    );
    s.tab = Tab::Retro;
    assert_eq!(
        run(&mut s, Command::Refresh),
        vec![
            Effect::LoadBoard,
            Effect::Retro(RetroEffect::Load),
            Effect::LoadPresence
        ]
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

/// The Standup tab of `me`, loaded with Ana's round robin under way: Ana
/// has the turn, at step 4.
fn standup_of(me: &str) -> AppState {
    use crate::domain::standup::{Standup, StandupFormat, StandupId, StandupSettings};
    use crate::ui::state::StandupData;
    let mut s = AppState::new(120, 40, false, "test.db".into(), me.into());
    s.tab = Tab::Standup;
    let now = chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap();
    s.now = now;
    let current = Standup {
        id: StandupId(3),
        date: now.date_naive(),
        started_at: now,
        ended_at: None,
        elapsed_ms: 0,
        running_since: Some(now),
        format: StandupFormat::RoundRobin,
        facilitator: "ana".into(),
        sprint: None,
        attendees: vec!["ana".into(), "ben".into()],
        notes: Vec::new(),
        items: Vec::new(),
        turn: 0,
        walk_card: None,
        turn_began_ms: 0,
        step: 4,
    };
    let data = StandupData {
        today: now.date_naive(),
        board: Board {
            id: BoardId(1),
            name: "Team".into(),
            columns: Vec::new(),
        },
        settings: StandupSettings::default(),
        sprint: None,
        chance: None,
        walk: Vec::new(),
        people: Vec::new(),
        actions: Vec::new(),
        current: Some(current),
    };
    assert!(update(&mut s, Action::StandupLoaded(Box::new(data))).is_empty());
    s
}

#[test]
fn on_the_standup_anyone_moves_the_turn_from_the_step_they_saw_and_only_the_facilitator_runs_it() {
    use crate::domain::standup::StandupId;
    let id = StandupId(3);
    let mut ben = standup_of("ben");
    assert_eq!(ben.standup.speaker(), Some("ana"));
    assert_eq!(
        run(&mut ben, Command::NextTurn),
        vec![Effect::Standup(StandupEffect::Step {
            id,
            from: 4,
            delta: 1
        })],
        "the step names the one Ben saw"
    );
    for cmd in [
        Command::ToggleTimer,
        Command::EndStandup,
        Command::SwitchFormat,
        Command::ShuffleSpeakers,
    ] {
        ben.status = Default::default();
        assert!(run(&mut ben, cmd).is_empty(), "{cmd:?}");
        assert_eq!(
            ben.status.text,
            "ana is facilitating (T takes it over): only they pause, run and end it"
        );
        assert_eq!(ben.status.kind, StatusKind::Warn);
        assert!(ben.overlays.is_empty(), "{cmd:?} opened a dialog");
    }
    // Ben is on the list: J takes him off, for everyone.
    assert_eq!(
        run(&mut ben, Command::JoinStandup),
        vec![Effect::Standup(StandupEffect::Leave {
            id,
            name: "ben".into(),
            message: "You left the standup (J joins again)".into(),
        })]
    );
    // A step the store refused (the standup had moved on): said, and the
    // tab loads what the board holds now.
    assert_eq!(
        update(&mut ben, Action::StandupMovedOn("moved on".into())),
        vec![Effect::Standup(StandupEffect::Load)]
    );
    assert_eq!(
        (ben.status.text.as_str(), ben.status.kind),
        ("moved on", StatusKind::Warn)
    );

    let mut ana = standup_of("ana");
    assert_eq!(
        run(&mut ana, Command::ToggleTimer),
        vec![Effect::Standup(StandupEffect::SetRunning {
            id,
            running: false
        })]
    );
    assert_eq!(
        run(&mut ana, Command::ShuffleSpeakers),
        vec![Effect::Standup(StandupEffect::Shuffle { id, from: 4 })]
    );
    assert!(run(&mut ana, Command::EndStandup).is_empty());
    assert!(
        matches!(
            ana.overlays.last(),
            Some(crate::ui::overlay::Overlay::Confirm(_))
        ),
        "the end is confirmed first"
    );
}

#[test]
fn a_message_names_the_key_the_user_set_rather_than_the_default() {
    use crate::config::KeySetting;
    use crate::ui::keymap::Keymap;
    let setting = |action: &str, key: &str| KeySetting {
        action: action.into(),
        keys: vec![key.into()],
        line: 1,
    };
    let (keys, problems) = Keymap::from_settings(&[
        setting("take_over", "F9"),
        setting("join_standup", "ctrl-j"),
    ]);
    assert!(problems.is_empty(), "{problems:?}");
    let mut ben = standup_of("ben");
    ben.keys = keys;
    assert!(run(&mut ben, Command::ToggleTimer).is_empty());
    assert_eq!(
        ben.status.text,
        "ana is facilitating (F9 takes it over): only they pause, run and end it"
    );
    assert_eq!(
        run(&mut ben, Command::JoinStandup),
        vec![Effect::Standup(StandupEffect::Leave {
            id: crate::domain::standup::StandupId(3),
            name: "ben".into(),
            message: "You left the standup (Ctrl-j joins again)".into(),
        })]
    );
    // A key named for another tab's screen is the user's too.
    ben.tab = Tab::Board;
    assert_eq!(crate::ui::keymap::key_for(&ben, Command::TakeOver), "F9");
}
