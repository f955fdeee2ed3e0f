//! The user's settings: a TOML file in the platform config folder. Reading it
//! never fails: each line it cannot use is named, with its line number, and
//! every other setting applies.

use std::collections::BTreeMap;

use crate::domain::WipPolicy;

/// The commented file `teamloop config default` prints.
pub const DEFAULT_FILE: &str = include_str!("../assets/config.toml");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ThemeName {
    #[default]
    Dark,
    Light,
    HighContrast,
}

impl ThemeName {
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "dark" => Some(ThemeName::Dark),
            "light" => Some(ThemeName::Light),
            "high-contrast" | "high_contrast" | "contrast" => Some(ThemeName::HighContrast),
            _ => None,
        }
    }
}

/// A key binding from the file, not yet checked against the app's actions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeySetting {
    pub action: String,
    pub keys: Vec<String>,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub date_format: String,
    pub theme: ThemeName,
    /// Colour overrides by name, with their lines.
    pub colors: BTreeMap<String, (String, usize)>,
    /// The policy new WIP limits start with.
    pub wip_policy: WipPolicy,
    pub standup_minutes: u32,
    pub retro_votes: u32,
    pub pulse_threshold: u32,
    pub keys: Vec<KeySetting>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            date_format: "%Y-%m-%d".into(),
            theme: ThemeName::Dark,
            colors: BTreeMap::new(),
            wip_policy: WipPolicy::Hard,
            standup_minutes: 15,
            retro_votes: crate::domain::retro::DEFAULT_VOTES,
            pulse_threshold: crate::domain::pulse::DEFAULT_MIN_RESPONSES,
            keys: Vec::new(),
        }
    }
}

/// The line of `key` in `section` ("" for the top), 1-based; 0 if unseen.
fn line_of(text: &str, section: &str, key: &str) -> usize {
    let mut current = String::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.starts_with('[') {
            current = line
                .trim_matches(|c| c == '[' || c == ']')
                .trim()
                .to_string();
            continue;
        }
        let name = line
            .split('=')
            .next()
            .unwrap_or("")
            .trim()
            .trim_matches('"');
        if current == section && name == key && line.contains('=') {
            return i + 1;
        }
    }
    0
}

/// `line N: ` before a problem found at line N of the settings (nothing
/// for line 0: not from the file).
pub(crate) fn at(line: usize) -> String {
    if line == 0 {
        String::new()
    } else {
        format!("line {line}: ")
    }
}

/// A valid strftime format for days.
pub fn valid_date_format(fmt: &str) -> bool {
    use chrono::format::{Item, StrftimeItems};
    !fmt.is_empty() && !StrftimeItems::new(fmt).any(|i| matches!(i, Item::Error))
}

fn number(v: &toml::Value, min: u32, max: u32) -> Option<u32> {
    v.as_integer()
        .and_then(|n| u32::try_from(n).ok())
        .filter(|n| (min..=max).contains(n))
}

/// Reads the file's text: the settings, and a line for each problem.
pub fn parse(text: &str) -> (Config, Vec<String>) {
    let mut config = Config::default();
    let mut problems = Vec::new();
    let table: toml::Table = match text.parse() {
        Ok(t) => t,
        Err(e) => {
            let line = e.span().map_or(0, |s| {
                text[..s.start.min(text.len())].matches('\n').count() + 1
            });
            problems.push(format!(
                "{}{} (the whole file is ignored)",
                at(line),
                e.message()
            ));
            return (config, problems);
        }
    };
    for (key, value) in &table {
        let line = line_of(text, "", key);
        let bad = |what: &str| format!("{}{key}: {what}", at(line));
        match key.as_str() {
            "date_format" => match value.as_str() {
                Some(f) if valid_date_format(f) => config.date_format = f.to_string(),
                _ => problems.push(bad("a strftime format such as \"%Y-%m-%d\"")),
            },
            "theme" => match value.as_str().and_then(ThemeName::parse) {
                Some(t) => config.theme = t,
                None => problems.push(bad("\"dark\", \"light\" or \"high-contrast\"")),
            },
            "wip_policy" => match value.as_str().map(|s| s.trim().to_ascii_lowercase()) {
                Some(p) if p == "strict" || p == "hard" => config.wip_policy = WipPolicy::Hard,
                Some(p) if p == "soft" => config.wip_policy = WipPolicy::Soft,
                _ => problems.push(bad("\"strict\" or \"soft\"")),
            },
            "standup_minutes" => match number(value, 1, 240) {
                Some(n) => config.standup_minutes = n,
                None => problems.push(bad("minutes, 1 to 240")),
            },
            "retro_votes" => match number(value, 1, crate::domain::retro::MAX_VOTES) {
                Some(n) => config.retro_votes = n,
                None => problems.push(bad(&format!(
                    "votes, 1 to {}",
                    crate::domain::retro::MAX_VOTES
                ))),
            },
            "pulse_threshold" => match number(value, 3, 1000) {
                Some(n) => config.pulse_threshold = n,
                None => problems.push(bad(
                    "responses, 3 or more (fewer could tell who answered what)",
                )),
            },
            "colors" => match value.as_table() {
                Some(colors) => {
                    for (name, v) in colors {
                        let line = line_of(text, "colors", name);
                        match v.as_str() {
                            Some(c) => {
                                config.colors.insert(name.clone(), (c.to_string(), line));
                            }
                            None => problems.push(format!(
                                "{}colors.{name}: a colour name or \"#rrggbb\"",
                                at(line)
                            )),
                        }
                    }
                }
                None => problems.push(bad("a [colors] table")),
            },
            "keys" => match value.as_table() {
                Some(keys) => {
                    for (action, v) in keys {
                        let line = line_of(text, "keys", action);
                        let list: Option<Vec<String>> = match v {
                            toml::Value::String(s) => Some(vec![s.clone()]),
                            toml::Value::Array(a) => {
                                a.iter().map(|k| k.as_str().map(str::to_string)).collect()
                            }
                            _ => None,
                        };
                        match list {
                            Some(keys) if !keys.is_empty() => config.keys.push(KeySetting {
                                action: action.clone(),
                                keys,
                                line,
                            }),
                            _ => problems.push(format!(
                                "{}keys.{action}: a key, or a list of keys",
                                at(line)
                            )),
                        }
                    }
                }
                None => problems.push(bad("a [keys] table")),
            },
            _ => problems.push(format!("{}unknown setting \"{key}\"", at(line))),
        }
    }
    (config, problems)
}

/// The file's path: `TEAMLOOP_CONFIG`, else the platform config folder's
/// `config.toml`.
pub fn path() -> Option<std::path::PathBuf> {
    if let Some(p) = std::env::var_os("TEAMLOOP_CONFIG").filter(|p| !p.is_empty()) {
        return Some(p.into());
    }
    directories::ProjectDirs::from("", "", "teamloop").map(|d| d.config_dir().join("config.toml"))
}

/// The most a settings file (or a team's format, instrument or list) may
/// hold: far more than any needs, far less than a device that never ends.
const SETTINGS_LIMIT: u64 = 1024 * 1024;

/// The settings from the file, if there is one, with its problems.
pub fn load() -> (Config, Vec<String>) {
    let Some(path) = path() else {
        return (Config::default(), Vec::new());
    };
    match crate::files::read_small(&path, SETTINGS_LIMIT) {
        Ok(text) => {
            let (config, problems) = parse(&text);
            let named = problems
                .into_iter()
                .map(|p| format!("{}: {p}", path.display()))
                .collect();
            (config, named)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => (Config::default(), Vec::new()),
        Err(e) => (
            Config::default(),
            vec![format!("{}: cannot read it: {e}", path.display())],
        ),
    }
}

/// The team's own TOML files in a folder of the config directory (for
/// example `retro/`), each with its path, in name order.
pub fn team_files(folder: &str) -> Vec<(String, String)> {
    let Some(dirs) = directories::ProjectDirs::from("", "", "teamloop") else {
        return Vec::new();
    };
    let Ok(entries) = std::fs::read_dir(dirs.config_dir().join(folder)) else {
        return Vec::new();
    };
    let mut paths: Vec<std::path::PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .filter_map(|p| {
            crate::files::read_small(&p, SETTINGS_LIMIT)
                .ok()
                .map(|text| (p.display().to_string(), text))
        })
        .collect()
}

/// The retro formats: built in, then the team's (`retro/*.toml`), with
/// what could not be read.
pub fn retro_formats() -> (Vec<crate::domain::retro::Format>, Vec<String>) {
    crate::domain::retro::format::all(&team_files("retro"))
}

/// The pulse instruments: built in, then the team's (`pulse/*.toml`).
pub fn pulse_instruments() -> (Vec<crate::domain::pulse::Instrument>, Vec<String>) {
    crate::domain::pulse::Instrument::all(&team_files("pulse"))
}

/// The planning poker decks: built in, then the team's (`poker/*.toml`).
pub fn poker_decks() -> (Vec<crate::domain::poker::Deck>, Vec<String>) {
    crate::domain::poker::Deck::all(&team_files("poker"))
}

/// The blame lint: built-in phrases and the team's (`blame/*.toml`).
pub fn blame_lint() -> (crate::domain::mortem::lint::Lint, Vec<String>) {
    crate::domain::mortem::lint::Lint::with_extra(&team_files("blame"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_file_is_all_comments_and_reads_as_the_defaults() {
        let (config, problems) = parse(DEFAULT_FILE);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(config, Config::default());
        // Uncommented, every example in it is valid.
        let uncommented: String = DEFAULT_FILE
            .lines()
            .map(|l| {
                let t = l.trim_start_matches("# ");
                let setting = t.split_once(" = ").is_some_and(|(name, _)| {
                    name.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                });
                if setting || (t.starts_with('[') && t.ends_with(']')) {
                    t.split("    #").next().unwrap_or(t)
                } else {
                    ""
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        let (config, problems) = parse(&uncommented);
        assert!(problems.is_empty(), "{problems:?}\n{uncommented}");
        assert_eq!(config.keys.len(), 2);
        assert_eq!(config.colors.len(), 2);
    }

    #[test]
    fn bad_lines_are_named_and_the_rest_applies() {
        let text = "theme = \"light\"\nretro_votes = 99\ncolour = 1\ndate_format = \"%Q\"\npulse_threshold = 2\nstandup_minutes = 10\n\n[keys]\nquit = 5\n";
        let (config, problems) = parse(text);
        assert_eq!(config.theme, ThemeName::Light);
        assert_eq!(config.standup_minutes, 10);
        assert_eq!(config.retro_votes, 3, "the default stays");
        assert_eq!(config.pulse_threshold, 5, "never below three");
        let joined = problems.join("\n");
        for want in [
            "line 2: retro_votes: votes, 1 to 20",
            "line 3: unknown setting \"colour\"",
            "line 4: date_format",
            "line 5: pulse_threshold",
            "line 9: keys.quit: a key, or a list of keys",
        ] {
            assert!(joined.contains(want), "{want} in:\n{joined}");
        }
    }

    #[test]
    fn a_file_that_is_not_toml_is_named_by_line_and_ignored() {
        let (config, problems) = parse("theme = \"light\"\nthis is not toml\n");
        assert_eq!(config, Config::default());
        assert!(problems[0].starts_with("line 2:"), "{problems:?}");
    }
}
