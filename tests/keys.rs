//! Keys the user rebound, named where a screen names a key: its own lines
//! say the user's key, never the default written into the text.

use chrono::{DateTime, TimeZone, Utc};
use ratatui::crossterm::event::KeyCode;
use teamloop::config::KeySetting;
use teamloop::ui::App;
use teamloop::ui::keymap::Keymap;

mod common;

use common::engines::{BoardFixture, on_both_engines_at};
use common::{keys, press, screen};

/// Tuesday 24 November 2026, 14:00 UTC.
fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 14, 0, 0).unwrap()
}

fn on_both(test: impl Fn(&BoardFixture)) {
    on_both_engines_at(t0(), test);
}

/// The user's keys with `action` set to `key` for each pair.
fn rebound(pairs: &[(&str, &str)]) -> Keymap {
    let settings: Vec<KeySetting> = pairs
        .iter()
        .map(|(action, key)| KeySetting {
            action: action.to_string(),
            keys: vec![key.to_string()],
            line: 1,
        })
        .collect();
    let (map, problems) = Keymap::from_settings(&settings);
    assert!(problems.is_empty(), "{problems:?}");
    map
}

#[test]
fn a_post_mortem_names_the_keys_the_user_set() {
    on_both(|f| {
        let mut s = f.store();
        let board = s.board().unwrap().id;
        s.new_postmortem(board, "Queue backlog", None).unwrap();
        // Tall enough for the whole document: its action items and timeline.
        let mut app = App::new(f.as_user("ana"), 120, 80);
        keys(&mut app, "6");
        press(&mut app, KeyCode::Enter);
        // The headings name the keys that add to them.
        let named = |app: &App, timeline: &str, action: &str| {
            let text = screen(app);
            for line in [
                format!("{timeline} adds an entry, the time prefilled"),
                format!("0 of 0 open · {action} adds one · Enter opens its card"),
            ] {
                assert!(text.contains(&line), "{line}\n{text}");
            }
        };
        named(&app, "t", "a");
        app.state.keys = rebound(&[("add_timeline_entry", "F2"), ("add_action", "F3")]);
        named(&app, "F2", "F3");
    });
}

#[test]
fn the_empty_sprint_and_pulse_tabs_name_the_keys_the_user_set() {
    on_both(|f| {
        let mut app = App::new(f.as_user("ana"), 160, 40);
        keys(&mut app, "7");
        assert!(
            screen(&app).contains("No pulse yet. n opens one"),
            "{}",
            screen(&app)
        );
        app.state.keys = rebound(&[("new_pulse", "F4"), ("new_sprint", "F5")]);
        assert!(
            screen(&app).contains("No pulse yet. F4 opens one"),
            "{}",
            screen(&app)
        );
        keys(&mut app, "3");
        let text = screen(&app);
        for line in [
            "No sprint yet: F5 plans one",
            "Press F5 to plan one: a name, a goal",
        ] {
            assert!(text.contains(line), "{line}\n{text}");
        }
        // The running sprint's view says how to get to the plan.
        keys(&mut app, "v");
        let text = screen(&app);
        assert!(
            text.contains("Plan one (v to the plan view, F5), then start it with S."),
            "{text}"
        );
    });
}
