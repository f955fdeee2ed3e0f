//! Cards and the rules for what a user may type into them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{ColumnId, DomainError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CardId(pub i64);

impl std::fmt::Display for CardId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "#{}", self.0)
    }
}

pub const MAX_TITLE: usize = 200;
pub const MAX_DESCRIPTION: usize = 20_000;
pub const MAX_POINTS: u32 = 999;

/// A whole card, as shown in its detail view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Card {
    pub id: CardId,
    pub column: ColumnId,
    pub title: String,
    pub description: String,
    pub assignee: Option<String>,
    pub tags: Vec<String>,
    pub points: Option<u32>,
    /// `Some(reason)` while the card is blocked.
    pub blocked: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub archived: bool,
}

/// What the board shows of a card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CardSummary {
    pub id: CardId,
    pub column: ColumnId,
    pub title: String,
    pub assignee: Option<String>,
    pub tags: Vec<String>,
    pub points: Option<u32>,
    pub blocked: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewCard {
    pub title: String,
    pub description: String,
    pub assignee: Option<String>,
    pub tags: Vec<String>,
    pub points: Option<u32>,
}

impl NewCard {
    pub fn titled(title: &str) -> Self {
        Self {
            title: title.to_string(),
            ..Self::default()
        }
    }

    /// Checks and normalises every field.
    pub fn validated(self) -> Result<Self, DomainError> {
        Ok(Self {
            title: validate_title(&self.title)?,
            description: validate_description(&self.description)?,
            assignee: self.assignee.as_deref().and_then(normalize_assignee),
            tags: normalize_tags(&self.tags),
            points: match self.points {
                Some(p) if p > MAX_POINTS => {
                    return Err(DomainError::Invalid(format!(
                        "points must be at most {MAX_POINTS}"
                    )));
                }
                p => p,
            },
        })
    }
}

/// A change to some fields of a card; `None` leaves a field as it is.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CardPatch {
    pub title: Option<String>,
    pub description: Option<String>,
    pub assignee: Option<Option<String>>,
    pub tags: Option<Vec<String>>,
    pub points: Option<Option<u32>>,
}

impl CardPatch {
    pub fn validated(self) -> Result<Self, DomainError> {
        Ok(Self {
            title: self.title.as_deref().map(validate_title).transpose()?,
            description: self
                .description
                .as_deref()
                .map(validate_description)
                .transpose()?,
            assignee: self
                .assignee
                .map(|a| a.as_deref().and_then(normalize_assignee)),
            tags: self.tags.map(|t| normalize_tags(&t)),
            points: self.points,
        })
    }
}

pub fn validate_title(title: &str) -> Result<String, DomainError> {
    let t = super::text::one_line(title);
    if t.is_empty() {
        return Err(DomainError::Invalid("a card needs a title".into()));
    }
    if t.chars().count() > MAX_TITLE {
        return Err(DomainError::Invalid(format!(
            "a title has at most {MAX_TITLE} characters"
        )));
    }
    Ok(t)
}

pub fn validate_description(text: &str) -> Result<String, DomainError> {
    if text.chars().count() > MAX_DESCRIPTION {
        return Err(DomainError::Invalid(format!(
            "a description has at most {MAX_DESCRIPTION} characters"
        )));
    }
    Ok(super::text::lines(text))
}

/// `"@ana "` → `Some("ana")`; blank → `None`.
pub fn normalize_assignee(name: &str) -> Option<String> {
    let n = super::text::one_line(name);
    let n = n.trim_start_matches('@').trim();
    (!n.is_empty()).then(|| n.chars().take(40).collect())
}

/// Splits tags typed as `"#bug, ui  urgent"`: commas or spaces separate them,
/// a leading `#` is dropped, tags are lower-cased and duplicates removed.
pub fn parse_tags(text: &str) -> Vec<String> {
    let parts: Vec<String> = text
        .split(|c: char| c == ',' || c.is_whitespace())
        .map(str::to_string)
        .collect();
    normalize_tags(&parts)
}

pub fn normalize_tags(tags: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in tags {
        for part in super::text::one_line(t).split(|c: char| c == ',' || c.is_whitespace()) {
            let tag = part.trim().trim_start_matches('#').to_lowercase();
            if !tag.is_empty() && !out.contains(&tag) {
                out.push(tag.chars().take(30).collect());
            }
        }
    }
    out
}

/// Points as typed: a whole number, or blank for none.
pub fn parse_points(text: &str) -> Result<Option<u32>, DomainError> {
    let t = text.trim();
    if t.is_empty() || t == "-" {
        return Ok(None);
    }
    match t.parse::<u32>() {
        Ok(p) if p <= MAX_POINTS => Ok(Some(p)),
        _ => Err(DomainError::Invalid(format!(
            "'{t}' is not a number of points (0 to {MAX_POINTS}, or blank for none)"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_one_trimmed_line() {
        assert_eq!(validate_title("  Fix\nlogin\t").unwrap(), "Fix login");
        assert!(validate_title("   ").is_err());
        assert!(validate_title(&"x".repeat(MAX_TITLE + 1)).is_err());
    }

    #[test]
    fn tags_are_split_normalised_and_deduplicated() {
        assert_eq!(parse_tags("#Bug, ui  bug #UX"), vec!["bug", "ui", "ux"]);
        assert!(parse_tags(" , ").is_empty());
    }

    #[test]
    fn assignee_drops_the_at_sign() {
        assert_eq!(normalize_assignee(" @ana "), Some("ana".into()));
        assert_eq!(normalize_assignee(" @ "), None);
    }

    #[test]
    fn points_parse() {
        assert_eq!(parse_points("5"), Ok(Some(5)));
        assert_eq!(parse_points(""), Ok(None));
        assert!(parse_points("1000").is_err());
        assert!(parse_points("x").is_err());
    }

    #[test]
    fn new_card_validation_normalises() {
        let c = NewCard {
            title: " A ".into(),
            assignee: Some("@ben".into()),
            tags: vec!["#X".into()],
            ..NewCard::default()
        }
        .validated()
        .unwrap();
        assert_eq!(c.title, "A");
        assert_eq!(c.assignee.as_deref(), Some("ben"));
        assert_eq!(c.tags, vec!["x"]);
    }
}
