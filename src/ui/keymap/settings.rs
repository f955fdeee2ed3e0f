//! Keys as the user sets them: names of keys and actions, and the
//! overrides from the settings file.

use super::*;

/// A key as the settings write it: `H`, `?`, `ctrl-s`, `shift-tab`, `pgdn`.
pub fn parse_key(text: &str) -> Option<Key> {
    let t = text.trim();
    if t.chars().count() == 1 {
        return t.chars().next().map(k);
    }
    let lower = t.to_ascii_lowercase().replace('+', "-");
    let (mods, name) = if let Some(rest) = lower.strip_prefix("ctrl-") {
        (KeyModifiers::CONTROL, rest.to_string())
    } else if let Some(rest) = lower.strip_prefix("shift-") {
        (KeyModifiers::SHIFT, rest.to_string())
    } else {
        (KeyModifiers::NONE, lower.clone())
    };
    let code = match name.as_str() {
        "enter" | "return" => KeyCode::Enter,
        "esc" | "escape" => KeyCode::Esc,
        "tab" if mods == KeyModifiers::SHIFT => return Some(super::code(KeyCode::BackTab)),
        "tab" => KeyCode::Tab,
        "backtab" => KeyCode::BackTab,
        "space" => KeyCode::Char(' '),
        "backspace" => KeyCode::Backspace,
        "delete" | "del" => KeyCode::Delete,
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "pgup" | "pageup" => KeyCode::PageUp,
        "pgdn" | "pagedown" => KeyCode::PageDown,
        f if f.starts_with('f') && f.len() > 1 => {
            let n: u8 = f[1..].parse().ok().filter(|n| (1..=12).contains(n))?;
            KeyCode::F(n)
        }
        c if c.chars().count() == 1 && mods == KeyModifiers::CONTROL => {
            KeyCode::Char(c.chars().next()?)
        }
        _ => return None,
    };
    Some(Key { code, mods })
}

/// An action's name in the settings: `MoveCardLeft` is `move_card_left`,
/// `GoToTab(3)` is `go_to_tab_3`.
pub fn action_name(cmd: Command) -> String {
    let debug = format!("{cmd:?}");
    let mut out = String::new();
    for (i, c) in debug.chars().enumerate() {
        match c {
            '(' => out.push('_'),
            ')' => {}
            c if c.is_ascii_uppercase() => {
                if i > 0 {
                    out.push('_');
                }
                out.push(c.to_ascii_lowercase());
            }
            c => out.push(c),
        }
    }
    out
}

/// Every action a key can be set to, with what it does (its first help
/// line), by name.
pub fn actions() -> Vec<(String, Command, &'static str)> {
    let mut out: Vec<(String, Command, &'static str)> = Vec::new();
    for tables in contexts() {
        for b in tables.iter().flat_map(|t| t.iter()) {
            if !out.iter().any(|(_, c, _)| *c == b.command) {
                out.push((action_name(b.command), b.command, b.help));
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The keys as this user set them: their settings' keys in place of an
/// action's defaults, wherever the action is bound.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Keymap {
    overrides: Vec<(Command, Vec<Key>)>,
}

impl Keymap {
    /// The keys of a binding, the user's if they set them.
    pub fn keys<'a>(&'a self, b: &'a Binding) -> &'a [Key] {
        self.overrides
            .iter()
            .find(|(c, _)| *c == b.command)
            .map_or(b.keys, |(_, k)| k.as_slice())
    }

    /// The command a key means in a table, if any.
    pub fn lookup(&self, table: &[Binding], ev: &KeyEvent) -> Option<Command> {
        table
            .iter()
            .find(|b| self.keys(b).iter().any(|key| key.matches(ev)))
            .map(|b| b.command)
    }

    /// The keys of a binding as help shows them: `h / ←`.
    pub fn label(&self, b: &Binding) -> String {
        let mut labels: Vec<String> = Vec::new();
        for l in self.keys(b).iter().map(Key::label) {
            if !labels.contains(&l) {
                labels.push(l);
            }
        }
        labels.join(" / ")
    }

    /// Where two actions would share a key on one screen: their names and
    /// the key.
    pub(super) fn conflict(&self) -> Option<(Command, Command, Key)> {
        for tables in contexts() {
            let mut seen: Vec<(Key, Command)> = Vec::new();
            for b in tables.iter().flat_map(|t| t.iter()) {
                for key in self.keys(b) {
                    match seen.iter().find(|(k, _)| k == key) {
                        Some((_, other)) if *other != b.command => {
                            return Some((*other, b.command, *key));
                        }
                        Some(_) => {}
                        None => seen.push((*key, b.command)),
                    }
                }
            }
        }
        None
    }

    /// The user's keys from the settings, and what could not be used: an
    /// unknown action or key, or a key that would mean two things on one
    /// screen (then that action keeps its default keys).
    pub fn from_settings(settings: &[crate::config::KeySetting]) -> (Self, Vec<String>) {
        let known = actions();
        let mut map = Keymap::default();
        let mut problems = Vec::new();
        let mut lines: Vec<(Command, usize)> = Vec::new();
        for s in settings {
            let at = crate::config::at(s.line);
            let Some((_, cmd, _)) = known.iter().find(|(n, _, _)| *n == s.action) else {
                problems.push(format!(
                    "{at}keys.{}: no such action (teamloop config actions lists them)",
                    s.action
                ));
                continue;
            };
            let mut keys = Vec::new();
            for k in &s.keys {
                match parse_key(k) {
                    Some(key) => keys.push(key),
                    None => problems.push(format!("{at}keys.{}: \"{k}\" is not a key", s.action)),
                }
            }
            if !keys.is_empty() {
                map.overrides.push((*cmd, keys));
                lines.push((*cmd, s.line));
            }
        }
        // A conflict drops the user's keys of an action involved, until none is left.
        while let Some((a, b, key)) = map.conflict() {
            let mine = |c: Command| map.overrides.iter().position(|(x, _)| *x == c);
            let Some(i) = mine(b).or_else(|| mine(a)) else {
                break;
            };
            let (dropped, _) = map.overrides.remove(i);
            let other = if dropped == a { b } else { a };
            let line = lines
                .iter()
                .find(|(c, _)| *c == dropped)
                .map_or(0, |(_, l)| *l);
            let at = crate::config::at(line);
            problems.push(format!(
                "{at}keys.{}: {} is {} on the same screen; the default keys stay",
                action_name(dropped),
                key.label(),
                action_name(other)
            ));
        }
        (map, problems)
    }
}
