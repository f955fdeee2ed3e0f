//! The command palette (`:`): every action of the app by name, filtered as
//! you type (fuzzy: the letters in order, not necessarily together), run
//! with Enter, on its tab.

use super::action::Command;
use super::keymap::{self, Binding};
use super::overlay::Field;
use super::state::{AppState, Tab};
use crate::domain::{CardId, ColumnId};

/// What choosing an entry does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Run {
    /// A command, on its tab (switched to first).
    Command { tab: Option<Tab>, cmd: Command },
    /// Move the selected card to a column.
    MoveTo { card: CardId, column: ColumnId },
    /// Write the whole database (JSON) or the report (Markdown) to a file.
    Export { markdown: bool },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub label: String,
    /// The keys that do it without the palette, if any.
    pub keys: String,
    pub run: Run,
}

pub struct PaletteDialog {
    pub query: Field,
    pub entries: Vec<Entry>,
    /// Indexes into `entries` of those matching the query, best first.
    pub matches: Vec<usize>,
    pub selected: usize,
}

impl PaletteDialog {
    pub fn new(entries: Vec<Entry>) -> Self {
        let mut d = Self {
            query: Field::new("Action", "", false),
            matches: Vec::new(),
            entries,
            selected: 0,
        };
        d.refilter();
        d
    }

    /// The matches again, after the query changed.
    pub fn refilter(&mut self) {
        let q = self.query.text();
        let mut scored: Vec<(i32, usize)> = self
            .entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| score(&q, &e.label).map(|s| (s, i)))
            .collect();
        scored.sort_by_key(|(s, i)| (std::cmp::Reverse(*s), *i));
        self.matches = scored.into_iter().map(|(_, i)| i).collect();
        self.selected = 0;
    }

    pub fn chosen(&self) -> Option<&Entry> {
        self.matches
            .get(self.selected)
            .and_then(|i| self.entries.get(*i))
    }
}

/// How well `query` matches `text`: its letters in order, case ignored;
/// more for letters together and at the start of words, most for the query
/// written out as a whole word. `None`: no match.
pub fn score(query: &str, text: &str) -> Option<i32> {
    let q: Vec<char> = query
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    if q.is_empty() {
        return Some(0);
    }
    let t: Vec<char> = text
        .chars()
        .flat_map(char::to_lowercase)
        .filter(|c| !c.is_whitespace())
        .collect();
    let starts: Vec<bool> = {
        let raw: Vec<char> = text.chars().flat_map(char::to_lowercase).collect();
        let mut out = Vec::with_capacity(t.len());
        for (i, c) in raw.iter().enumerate() {
            if !c.is_whitespace() {
                out.push(i == 0 || !raw[i - 1].is_alphanumeric());
            }
        }
        out
    };
    // The greedy walk from each place the first letter occurs; the best wins,
    // so "done" finds the word Done rather than d…o…n…e scattered before it.
    let best = (0..t.len())
        .filter(|&i| t[i] == q[0])
        .filter_map(|from| walk(&q, &t, &starts, from))
        .max()?;
    Some(best - (t.len() as i32) / 20)
}

fn walk(q: &[char], t: &[char], starts: &[bool], from: usize) -> Option<i32> {
    let mut score = 0;
    let mut qi = 0;
    let mut last: Option<usize> = None;
    for i in from..t.len() {
        if qi == q.len() {
            break;
        }
        if t[i] == q[qi] {
            score += 1;
            if last == Some(i.wrapping_sub(1)) {
                score += 3;
            }
            if starts[i] {
                score += 2;
            }
            last = Some(i);
            qi += 1;
        }
    }
    (qi == q.len()).then_some(score)
}

/// Commands the palette does not list: moving around, answering dialogs.
fn listed(cmd: Command) -> bool {
    !matches!(
        cmd,
        Command::SelectUp
            | Command::SelectDown
            | Command::SelectLeft
            | Command::SelectRight
            | Command::SelectFirst
            | Command::SelectLast
            | Command::PageUp
            | Command::PageDown
            | Command::ScrollUp
            | Command::ScrollDown
            | Command::Pick(_)
            | Command::Close
            | Command::Confirm
            | Command::Deny
            | Command::OpenPalette
            | Command::ClearFilter
    )
}

/// The tables of a tab, every phase and view included: those of its
/// screens, each screen's shared tables before its own (a table met again
/// adds nothing, as a command is listed once a tab).
fn tab_tables(tab: Tab) -> impl Iterator<Item = &'static [Binding]> {
    keymap::SCREENS
        .iter()
        .filter(move |s| s.tab == tab)
        .flat_map(|s| s.tables.iter().rev().map(|(_, table)| *table))
}

/// Every action, from the same keymap the keys and help come from, and the
/// moves of the selected card.
pub fn entries(state: &AppState) -> Vec<Entry> {
    let mut out: Vec<Entry> = Vec::new();
    let mut push = |tab: Option<Tab>, b: &Binding| {
        if !listed(b.command)
            || out.iter().any(|e| {
                e.run
                    == Run::Command {
                        tab,
                        cmd: b.command,
                    }
            })
        {
            return;
        }
        let label = match tab {
            Some(t) => format!("{}: {}", t.title(), b.help),
            None => crate::ui::strings::capitalized(b.help),
        };
        out.push(Entry {
            label,
            keys: state.keys.label(b),
            run: Run::Command {
                tab,
                cmd: b.command,
            },
        });
    };
    for b in keymap::GLOBAL {
        push(None, b);
    }
    // The tab on screen first: what is most likely wanted.
    let mut tabs: Vec<Tab> = vec![state.tab];
    tabs.extend(Tab::all().filter(|t| *t != state.tab));
    for tab in tabs {
        for table in tab_tables(tab) {
            for b in table {
                push(Some(tab), b);
            }
        }
    }
    if let (Some(card), Some(board)) = (state.board.selected(), state.board.board.as_ref()) {
        for c in &board.columns {
            if c.id != card.column {
                out.push(Entry {
                    label: format!("Board: move {} to {}", card.id, c.name),
                    keys: String::new(),
                    run: Run::MoveTo {
                        card: card.id,
                        column: c.id,
                    },
                });
            }
        }
    }
    for (markdown, what) in [
        (
            false,
            "Export the whole database as JSON (lossless, for import)",
        ),
        (
            true,
            "Export a Markdown report: board, sprint, latest retro and post-mortem",
        ),
    ] {
        out.push(Entry {
            label: what.to_string(),
            keys: String::new(),
            run: Run::Export { markdown },
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_in_order_match_and_closer_ones_score_higher() {
        assert!(score("strsp", "Sprint: start the sprint").is_some());
        assert!(score("xyz", "Sprint: start the sprint").is_none());
        let tight = score("new retro", "Retro: start a retro, new retro").unwrap();
        let loose = score("new retro", "Mortems: n… e… w… reasons to read").unwrap_or(0);
        assert!(tight > loose);
        assert!(score("nc", "New card").unwrap() > score("nc", "Unblock the card").unwrap());
        assert_eq!(score("", "anything"), Some(0));
    }

    #[test]
    fn a_word_written_out_beats_its_letters_scattered_earlier() {
        let to_done = score("done", "Board: move #24 to Done").unwrap();
        for other in [
            "Board: add a card, described now or later",
            "Standup: done for today, save the standup",
            "Sprint: start the sprint, or end it and record what was done",
        ] {
            if let Some(s) = score("done", other) {
                assert!(to_done >= s, "{other}: {s} against {to_done}");
            }
        }
        assert!(to_done > score("done", "Board: undo the last move (not yet saved)").unwrap_or(0));
    }
}
