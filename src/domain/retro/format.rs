//! Retro formats: a name and its prompts, each with a one-line hint. The
//! built-in ones are data in `assets/retro/`; a team can add its own as TOML
//! files in the config directory (`teamloop config path` shows where).

use serde::{Deserialize, Serialize};

use crate::domain::DomainError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prompt {
    pub name: String,
    pub hint: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Format {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub about: String,
    pub prompts: Vec<Prompt>,
}

const BUILT_IN: [(&str, &str); 7] = [
    (
        "start-stop-continue.toml",
        include_str!("../../../assets/retro/start-stop-continue.toml"),
    ),
    (
        "mad-sad-glad.toml",
        include_str!("../../../assets/retro/mad-sad-glad.toml"),
    ),
    ("4ls.toml", include_str!("../../../assets/retro/4ls.toml")),
    (
        "sailboat.toml",
        include_str!("../../../assets/retro/sailboat.toml"),
    ),
    (
        "went-well.toml",
        include_str!("../../../assets/retro/went-well.toml"),
    ),
    ("daki.toml", include_str!("../../../assets/retro/daki.toml")),
    (
        "starfish.toml",
        include_str!("../../../assets/retro/starfish.toml"),
    ),
];

pub const MAX_PROMPTS: usize = 8;

/// Reads one format file; `origin` names it in messages.
pub fn parse(text: &str, origin: &str) -> Result<Format, DomainError> {
    let f: Format = toml::from_str(text)
        .map_err(|e| DomainError::Invalid(format!("{origin}: {}", e.message())))?;
    let id_ok = !f.id.is_empty()
        && f.id.len() <= 40
        && f.id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !id_ok {
        return Err(DomainError::Invalid(format!(
            "{origin}: the id '{}' should be 1 to 40 lower-case letters, digits or dashes",
            f.id
        )));
    }
    if f.prompts.is_empty() || f.prompts.len() > MAX_PROMPTS {
        return Err(DomainError::Invalid(format!(
            "{origin}: a format has 1 to {MAX_PROMPTS} prompts"
        )));
    }
    if f.name.trim().is_empty() || f.prompts.iter().any(|p| p.name.trim().is_empty()) {
        return Err(DomainError::Invalid(format!(
            "{origin}: the format and each prompt need a name"
        )));
    }
    Ok(f)
}

/// The formats that ship with teamloop, in the order they are offered.
pub fn built_in() -> Vec<Format> {
    BUILT_IN
        .iter()
        .filter_map(|(name, text)| parse(text, name).ok())
        .collect()
}

/// The built-in formats and the team's own (`extra`: file name and text);
/// a team's format with a built-in id replaces it. Files that do not parse
/// are reported, not fatal.
pub fn all(extra: &[(String, String)]) -> (Vec<Format>, Vec<String>) {
    let mut formats = built_in();
    let mut problems = Vec::new();
    for (origin, text) in extra {
        match parse(text, origin) {
            Ok(f) => match formats.iter_mut().find(|b| b.id == f.id) {
                Some(b) => *b = f,
                None => formats.push(f),
            },
            Err(e) => problems.push(e.to_string()),
        }
    }
    (formats, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seven_formats_ship_with_their_prompts_and_hints() {
        let f = built_in();
        let ids: Vec<&str> = f.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "start-stop-continue",
                "mad-sad-glad",
                "4ls",
                "sailboat",
                "went-well",
                "daki",
                "starfish"
            ]
        );
        let prompts = |id: &str| -> Vec<String> {
            f.iter()
                .find(|x| x.id == id)
                .unwrap()
                .prompts
                .iter()
                .map(|p| p.name.clone())
                .collect()
        };
        assert_eq!(prompts("4ls"), ["Liked", "Learned", "Lacked", "Longed for"]);
        assert_eq!(prompts("sailboat"), ["Wind", "Anchors", "Rocks", "Island"]);
        assert_eq!(prompts("daki"), ["Drop", "Add", "Keep", "Improve"]);
        assert_eq!(
            prompts("starfish"),
            ["Keep", "Less", "More", "Stop", "Start"]
        );
        assert!(
            f.iter()
                .flat_map(|x| &x.prompts)
                .all(|p| !p.hint.is_empty())
        );
    }

    #[test]
    fn a_teams_own_format_is_added_and_bad_files_are_named() {
        let own = (
            "kerth.toml".to_string(),
            "id = \"kerth\"\nname = \"Kerth's four questions\"\n[[prompts]]\nname = \"Well\"\nhint = \"What did we do well?\"\n".to_string(),
        );
        let bad = ("broken.toml".to_string(), "id = 3".to_string());
        let (formats, problems) = all(&[own, bad]);
        assert_eq!(formats.len(), 8);
        assert_eq!(formats[7].id, "kerth");
        assert_eq!(problems.len(), 1);
        assert!(problems[0].starts_with("broken.toml"), "{problems:?}");
    }
}
