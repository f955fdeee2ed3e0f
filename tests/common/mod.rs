//! Helpers shared by the screen tests: draw an app on a TestBackend and read
//! the result as text; send it keys.

#![allow(dead_code)]

pub mod cli;
pub mod clocked;
pub mod engines;
pub mod writes;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use rusqlite::Connection;
use teamloop::ui::App;

/// A retro's start, in the start/stop/continue format, three votes each,
/// looking back over 2026-11-10 to 11-24.
pub fn new_retro(title: &str) -> teamloop::store::NewRetro {
    use chrono::NaiveDate;
    use teamloop::domain::retro::{SafetyKind, format};
    teamloop::store::NewRetro {
        title: title.into(),
        format: format::built_in().remove(0),
        votes: 3,
        safety: SafetyKind::Esvp,
        sprint: None,
        from: NaiveDate::from_ymd_opt(2026, 11, 10).unwrap(),
        to: NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
    }
}

pub fn render(app: &App, width: u16, height: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| app.draw(f)).unwrap();
    terminal.backend().buffer().clone()
}

pub fn text(buf: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

pub fn screen(app: &App) -> String {
    text(&render(app, app.state.width, app.state.height))
}

/// The status line as the user reads it: the last row, and a message too
/// long for it, which is said whole on the rows above.
pub fn status_line(app: &App) -> String {
    let text = screen(app);
    let last = text.lines().last().unwrap_or_default().to_string();
    let message = &app.state.status.text;
    if last.contains(message.as_str()) {
        last
    } else {
        // Shown wrapped above: every word of it is on the screen.
        assert!(
            message.split_whitespace().all(|w| text.contains(w)),
            "the status message is not on the screen: {message}\n{text}"
        );
        format!("{last} {message}")
    }
}

pub fn press(app: &mut App, code: KeyCode) {
    app.handle_event(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

/// Types characters; upper-case letters carry Shift as a terminal sends them.
pub fn keys(app: &mut App, s: &str) {
    for c in s.chars() {
        let mods = if c.is_ascii_uppercase() {
            KeyModifiers::SHIFT
        } else {
            KeyModifiers::NONE
        };
        app.handle_event(Event::Key(KeyEvent::new(KeyCode::Char(c), mods)));
    }
}

/// How many cards sit in a column other than the one their latest column
/// event names: always 0 when every move was recorded.
pub fn cards_off_their_last_event(conn: &Connection) -> i64 {
    conn.query_row(
        "SELECT count(*) FROM cards c WHERE c.column_id IS NOT (
             SELECT e.to_column FROM card_events e
             WHERE e.card_id = c.id AND e.to_column IS NOT NULL
             ORDER BY e.id DESC LIMIT 1)",
        [],
        |r| r.get(0),
    )
    .unwrap()
}
