//! The plain, linear mode (`--plain`) for screen readers and braille
//! displays: the same app, keys and screens, but nothing is drawn in place.
//! Each frame is laid out off screen, read back as text without box drawing
//! or bar glyphs, and only the lines that are new since the last frame are
//! written, one after another, like the output of any command. What is
//! selected is said by name when it changes; when most of the screen
//! changed at once (a card moved, a list reordered) only the status line
//! and the selection are said. A change of tab, a screen mostly new (a
//! dialog, a retro opened) or `Ctrl-L` writes the whole screen again.

use std::collections::HashMap;
use std::io::{self, Write};
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{self, Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::crossterm::terminal;
use ratatui::style::{Modifier, Style};

use super::App;
use super::state::Tab;
use crate::store::Store;

const TICK: Duration = Duration::from_millis(250);

/// A frame as lines a screen reader can follow: box drawing, block and
/// braille glyphs (the charts' ink) become spaces, runs of spaces become
/// two, and blank lines go.
pub fn lines_of(buf: &Buffer) -> Vec<String> {
    let area = buf.area;
    let mut out = Vec::new();
    for y in area.top()..area.bottom() {
        let mut row = String::new();
        for x in area.left()..area.right() {
            let symbol = buf[(x, y)].symbol();
            if symbol.chars().all(is_ink) {
                row.push(' ');
            } else {
                row.push_str(symbol);
            }
        }
        let line = clean(&row);
        if !line.is_empty() {
            out.push(line);
        }
    }
    out
}

/// Words from a row of cells, as a screen reader should hear them.
fn clean(row: &str) -> String {
    let mut line = String::new();
    for word in row.split("  ").map(str::trim).filter(|w| !w.is_empty()) {
        if !line.is_empty() {
            line.push_str("  ");
        }
        line.push_str(word);
    }
    line
}

/// The mark of the selection's cells in the frames this mode reads.
const SELECTED: Modifier = Modifier::SLOW_BLINK;

/// The text of what is selected: the cells with the selection's mark,
/// below the tab bar and above the status line, each run read as words.
pub fn selected_of(buf: &Buffer) -> Option<String> {
    let area = buf.area;
    let mut parts = Vec::new();
    for y in area.top() + 1..area.bottom().saturating_sub(1) {
        let mut run = String::new();
        for x in area.left()..area.right() {
            let cell = &buf[(x, y)];
            if cell.modifier.contains(SELECTED) {
                let symbol = cell.symbol();
                run.push_str(if symbol.chars().all(is_ink) {
                    " "
                } else {
                    symbol
                });
            } else if !run.is_empty() {
                parts.push(clean(&run));
                run.clear();
            }
        }
        if !run.is_empty() {
            parts.push(clean(&run));
        }
    }
    parts.retain(|p| !p.is_empty());
    (!parts.is_empty()).then(|| parts.join("  "))
}

/// At most this many new lines are said one by one; more, and the screen
/// is summarised.
const FEW: usize = 4;

/// Drawing characters that carry no words.
fn is_ink(c: char) -> bool {
    // Box drawing and block elements, braille patterns (the canvas), the
    // geometric shapes used as marks (but ▶, "now"), and the separator dot.
    matches!(c, '\u{2500}'..='\u{259F}' | '\u{2800}'..='\u{28FF}' | '\u{25A0}'..='\u{25FF}' | '·')
        && c != '▶'
}

/// The lines of `next` that `before` did not show (as many times as they
/// are new: a second identical line counts), in screen order.
pub fn changes(before: &[String], next: &[String]) -> Vec<String> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for l in before {
        *seen.entry(l.as_str()).or_default() += 1;
    }
    next.iter()
        .filter(|l| match seen.get_mut(l.as_str()) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        })
        .cloned()
        .collect()
}

/// Runs the app in linear mode until the user quits.
pub fn run(
    store: Box<dyn Store>,
    config: &crate::config::Config,
    problems: Vec<String>,
) -> color_eyre::Result<()> {
    let (w, h) = terminal::size().unwrap_or((100, 30));
    let (w, h) = (w.max(80), h.max(24));
    let mut app = App::new(store, w, h);
    // No colour to read; the words are the same.
    app.apply_settings(config, true, problems);
    // The highlight gets a mark no other style uses (never shown: frames
    // here are only read), so the selection can be found and said.
    app.theme_mut().card_selected = Style::default().add_modifier(SELECTED);
    let mut screen = Terminal::new(TestBackend::new(w, h))?;
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = terminal::disable_raw_mode();
        hook(info);
    }));
    crate::ui::tty::nonblocking_input();
    terminal::enable_raw_mode()?;
    let _raw = RawGuard;
    let mut out = io::stdout();
    say(
        &mut out,
        "teamloop in plain mode: ? lists the keys, q quits, Ctrl-L reads the whole screen again.",
    )?;
    let mut shown: Vec<String> = Vec::new();
    let mut selected: Option<String> = None;
    let mut tab: Option<Tab> = None;
    let mut dirty = true;
    let mut whole = true;
    let mut next_tick = Instant::now() + TICK;
    loop {
        if dirty {
            screen.draw(|f| app.draw(f))?;
            let lines = lines_of(screen.backend().buffer());
            if tab != Some(app.state.tab) {
                tab = Some(app.state.tab);
                whole = true;
            }
            let now_selected = selected_of(screen.backend().buffer());
            let new = changes(&shown, &lines);
            // Most of it new (a retro opened, a dialog): another screen.
            whole |= new.len() * 10 > lines.len() * 6;
            if whole {
                say(&mut out, &format!("— {} —", app.state.tab.title()))?;
                for l in &lines {
                    say(&mut out, l)?;
                }
            } else {
                if new.len() <= FEW {
                    for l in &new {
                        say(&mut out, l)?;
                    }
                } else {
                    let status = lines.last().filter(|l| shown.last() != Some(l));
                    if let Some(l) = status {
                        say(&mut out, l)?;
                    }
                    say(
                        &mut out,
                        &format!("({} lines changed: Ctrl-L reads the screen)", new.len()),
                    )?;
                }
            }
            if now_selected != selected {
                if let Some(s) = &now_selected {
                    say(&mut out, &format!("Selected: {s}"))?;
                }
                selected = now_selected;
            }
            shown = lines;
            dirty = false;
            whole = false;
        }
        if app.state.quit {
            break;
        }
        let wait = next_tick.saturating_duration_since(Instant::now());
        if event::poll(wait)? {
            match event::read()? {
                Event::Key(KeyEvent {
                    code: KeyCode::Char('l'),
                    modifiers: KeyModifiers::CONTROL,
                    ..
                }) => {
                    whole = true;
                    dirty = true;
                }
                // The off-screen frame keeps its size: lines, not a layout.
                Event::Resize(..) => {}
                ev => dirty |= app.handle_event(ev),
            }
        }
        if Instant::now() >= next_tick {
            dirty |= app.tick();
            next_tick = Instant::now() + TICK;
        }
    }
    Ok(())
}

fn say(out: &mut impl Write, line: &str) -> io::Result<()> {
    // Raw mode: the carriage return is ours to write.
    write!(out, "{line}\r\n")?;
    out.flush()
}

struct RawGuard;

impl Drop for RawGuard {
    fn drop(&mut self) {
        let _ = terminal::disable_raw_mode();
        crate::ui::tty::restore_input();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;
    use ratatui::widgets::{Block, Borders, Paragraph, Widget};

    #[test]
    fn a_panel_reads_as_its_title_and_its_words() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 30, 4));
        Paragraph::new("#1 Fix the login  3pt\n█████ 5")
            .block(Block::default().borders(Borders::ALL).title("Backlog"))
            .render(buf.area, &mut buf);
        assert_eq!(
            lines_of(&buf),
            vec!["Backlog", "#1 Fix the login  3pt", "5"]
        );
    }

    #[test]
    fn the_selection_is_read_from_the_reversed_cells() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 30, 4));
        buf.set_string(0, 1, "#1 Login", Style::default());
        buf.set_string(
            12,
            1,
            "#2 Pay by invoice",
            Style::default().add_modifier(SELECTED),
        );
        assert_eq!(selected_of(&buf).as_deref(), Some("#2 Pay by invoice"));
        let blank = Buffer::empty(Rect::new(0, 0, 30, 4));
        assert_eq!(selected_of(&blank), None);
    }

    #[test]
    fn only_new_lines_are_said_and_repeats_count() {
        let before: Vec<String> = ["a", "b", "b"].map(String::from).to_vec();
        let next: Vec<String> = ["a", "b", "b", "b", "c"].map(String::from).to_vec();
        assert_eq!(changes(&before, &next), vec!["b", "c"]);
        assert!(changes(&next, &next).is_empty());
    }
}
