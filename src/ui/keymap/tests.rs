use super::*;

/// The command a key means in a table, with the default keys.
fn lookup(table: &[Binding], ev: &KeyEvent) -> Option<Command> {
    Keymap::default().lookup(table, ev)
}

fn press(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
    KeyEvent::new(code, mods)
}

#[test]
fn letters_and_shifted_letters_are_distinct() {
    assert_eq!(
        lookup(BOARD, &press(KeyCode::Char('h'), KeyModifiers::NONE)),
        Some(Command::SelectLeft)
    );
    assert_eq!(
        lookup(BOARD, &press(KeyCode::Char('H'), KeyModifiers::SHIFT)),
        Some(Command::MoveCardLeft)
    );
    assert_eq!(
        lookup(BOARD, &press(KeyCode::Right, KeyModifiers::SHIFT)),
        Some(Command::MoveCardRight)
    );
    assert_eq!(
        lookup(GLOBAL, &press(KeyCode::Char('c'), KeyModifiers::CONTROL)),
        Some(Command::Quit)
    );
    assert_eq!(
        lookup(BOARD, &press(KeyCode::Char('c'), KeyModifiers::CONTROL)),
        None
    );
}

fn setting(action: &str, keys: &[&str], line: usize) -> crate::config::KeySetting {
    crate::config::KeySetting {
        action: action.into(),
        keys: keys.iter().map(|k| k.to_string()).collect(),
        line,
    }
}

#[test]
fn keys_and_actions_are_named_as_the_settings_write_them() {
    assert_eq!(action_name(Command::MoveCardLeft), "move_card_left");
    assert_eq!(action_name(Command::GoToTab(3)), "go_to_tab_3");
    assert_eq!(parse_key("ctrl-s"), Some(ctrl('s')));
    assert_eq!(parse_key("shift-tab"), Some(code(KeyCode::BackTab)));
    assert_eq!(parse_key("shift-left"), Some(shift(KeyCode::Left)));
    assert_eq!(parse_key("F5"), Some(code(KeyCode::F(5))));
    assert_eq!(parse_key("?"), Some(k('?')));
    assert_eq!(parse_key("space"), Some(k(' ')));
    assert_eq!(parse_key("hyper-x"), None);
    let names: Vec<String> = actions().into_iter().map(|(n, _, _)| n).collect();
    assert!(names.contains(&"archive_card".to_string()));
    assert!(names.contains(&"new_mortem".to_string()));
}

#[test]
fn the_users_keys_replace_the_defaults_everywhere_and_help_says_so() {
    let (map, problems) = Keymap::from_settings(&[
        setting("move_card_left", &["<", "shift-left"], 3),
        setting("no_such_thing", &["z"], 4),
        setting("quit", &["hyper-x"], 5),
    ]);
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].starts_with("line 4: keys.no_such_thing: no such action"));
    assert!(problems[1].contains("\"hyper-x\" is not a key"));
    let ev = |c: char| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
    assert_eq!(map.lookup(BOARD, &ev('<')), Some(Command::MoveCardLeft));
    assert_eq!(map.lookup(BOARD, &ev('H')), None, "the default is replaced");
    let b = BOARD
        .iter()
        .find(|b| b.command == Command::MoveCardLeft)
        .unwrap();
    assert_eq!(map.label(b), "< / Shift-←");
    assert_eq!(Keymap::default().label(b), "H / Shift-←");
}

#[test]
fn a_key_that_would_mean_two_things_on_a_screen_is_refused() {
    // `j` moves the selection down on the board.
    let (map, problems) = Keymap::from_settings(&[
        setting("archive_card", &["j"], 7),
        setting("new_card", &["N"], 8),
    ]);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with("line 7: keys.archive_card: j is select_down"),
        "{problems:?}"
    );
    let ev = |c: char| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
    assert_eq!(
        map.lookup(BOARD, &ev('x')),
        Some(Command::ArchiveCard),
        "default stays"
    );
    assert_eq!(map.lookup(BOARD, &ev('j')), Some(Command::SelectDown));
    assert_eq!(
        map.lookup(
            BOARD,
            &KeyEvent::new(KeyCode::Char('N'), KeyModifiers::SHIFT)
        ),
        Some(Command::NewCard)
    );
    assert!(map.conflict().is_none());
}

#[test]
fn no_key_is_bound_twice_in_one_context() {
    for tables in contexts() {
        let mut seen = Vec::new();
        for b in tables.iter().flat_map(|t| t.iter()) {
            for key in b.keys {
                assert!(!seen.contains(key), "{} bound twice", key.label());
                seen.push(*key);
            }
        }
    }
}

#[test]
fn every_hint_names_only_commands_bound_on_its_screen() {
    let keys = Keymap::default();
    for screen in SCREENS {
        let mut tables = screen.tables.to_vec();
        if screen.global {
            tables.push(("", GLOBAL));
        }
        for hint in screen.hints {
            assert!(
                hint_text(&keys, &tables, hint).is_some(),
                "\"{}\" names a command not bound on its screen",
                hint.text
            );
        }
    }
    let columns = [("", COLUMNS)];
    for hint in hints::COLUMNS {
        assert!(hint_text(&keys, &columns, hint).is_some(), "{}", hint.text);
    }
}

#[test]
fn a_hint_says_the_key_the_user_set() {
    let settings = vec![crate::config::KeySetting {
        action: "split_theme".into(),
        keys: vec!["X".into()],
        line: 1,
    }];
    let (keys, problems) = Keymap::from_settings(&settings);
    assert!(problems.is_empty(), "{problems:?}");
    let line = hints_in(
        &keys,
        &[("", RETRO_GROUP), ("", RETRO), ("", GLOBAL)],
        hints::RETRO_GROUP,
    );
    assert!(line.contains("X split"), "{line}");
    assert!(line.contains("? keys"), "{line}");
    // The default would have said s: never u, which is undo.
    let default = hints_in(
        &Keymap::default(),
        &[("", RETRO_GROUP), ("", RETRO), ("", GLOBAL)],
        hints::RETRO_GROUP,
    );
    assert!(
        default.contains("s split") && !default.contains("u split"),
        "{default}"
    );
}

#[test]
fn every_tab_shows_one_of_its_own_screens() {
    let mut state = AppState::new(80, 24, false, String::new(), String::new());
    let check = |state: &AppState| {
        let screen = current(state);
        assert_eq!(screen.tab, state.tab);
        assert!(
            SCREENS.iter().any(|s| std::ptr::eq(*s, screen)),
            "{:?} shows a screen not in SCREENS",
            state.tab
        );
    };
    for tab in Tab::all() {
        state.tab = tab;
        check(&state);
    }
    state.tab = Tab::Sprint;
    for view in [
        SprintView::Plan,
        SprintView::Review,
        SprintView::Progress,
        SprintView::Velocity,
    ] {
        state.sprint.view = view;
        check(&state);
    }
}

#[test]
fn the_sprint_views_hint_lines_come_from_the_keymap() {
    let line = |keys: &Keymap, view: SprintView| {
        let mut state = AppState::new(200, 40, false, String::new(), String::new());
        state.tab = Tab::Sprint;
        state.sprint.view = view;
        let screen = current(&state);
        let mut tables = screen.tables.to_vec();
        tables.push(("", GLOBAL));
        hints_in(keys, &tables, screen.hints)
    };
    // The defaults say what the lines always said, and the way to every key.
    let keys = Keymap::default();
    assert_eq!(
        line(&keys, SprintView::Plan),
        "Space move across · h/l backlog/sprint · p points · n plan · e edit · S start · v view · ? keys"
    );
    assert_eq!(
        line(&keys, SprintView::Progress),
        "j/k select · Enter open card · e edit sprint · v view · ? keys"
    );
    assert_eq!(
        line(&keys, SprintView::Review),
        "c carry over · b back to backlog · C close the sprint · v view · ? keys"
    );
    assert_eq!(line(&keys, SprintView::Velocity), "v view · ? keys");
    // The user's own keys are the ones named.
    let settings = ["start_sprint", "next_sprint_view"]
        .iter()
        .zip(["G", "V"])
        .map(|(action, key)| crate::config::KeySetting {
            action: (*action).into(),
            keys: vec![key.into()],
            line: 1,
        })
        .collect::<Vec<_>>();
    let (keys, problems) = Keymap::from_settings(&settings);
    assert!(problems.is_empty(), "{problems:?}");
    let plan = line(&keys, SprintView::Plan);
    assert!(
        plan.contains("G start") && plan.contains("V view"),
        "{plan}"
    );
    assert!(
        !plan.contains("S start") && !plan.contains("v view"),
        "{plan}"
    );
    assert_eq!(line(&keys, SprintView::Velocity), "V view · ? keys");
}
