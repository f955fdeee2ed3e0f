//! Boards and their ordered columns.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use super::DomainError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct BoardId(pub i64);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ColumnId(pub i64);

/// What a column means for flow: cycle time starts at the first move into an
/// `Active` column and ends at the move into a `Done` column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ColumnKind {
    Backlog,
    Active,
    Done,
}

impl ColumnKind {
    pub const ALL: [ColumnKind; 3] = [ColumnKind::Backlog, ColumnKind::Active, ColumnKind::Done];

    pub fn as_str(self) -> &'static str {
        match self {
            ColumnKind::Backlog => "backlog",
            ColumnKind::Active => "active",
            ColumnKind::Done => "done",
        }
    }

    /// The next kind in the cycle backlog → active → done → backlog.
    pub fn next(self) -> Self {
        match self {
            ColumnKind::Backlog => ColumnKind::Active,
            ColumnKind::Active => ColumnKind::Done,
            ColumnKind::Done => ColumnKind::Backlog,
        }
    }
}

impl fmt::Display for ColumnKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ColumnKind {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "backlog" => Ok(ColumnKind::Backlog),
            "active" => Ok(ColumnKind::Active),
            "done" => Ok(ColumnKind::Done),
            other => Err(DomainError::Invalid(format!(
                "unknown column kind '{other}' (expected backlog, active or done)"
            ))),
        }
    }
}

/// How a WIP limit is enforced: a team policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WipPolicy {
    /// A move into a full column is refused unless forced with a reason.
    #[default]
    Hard,
    /// A move into a full column goes through with a warning; the breach is recorded.
    Soft,
}

impl WipPolicy {
    pub fn as_str(self) -> &'static str {
        match self {
            WipPolicy::Hard => "hard",
            WipPolicy::Soft => "soft",
        }
    }

    pub fn toggled(self) -> Self {
        match self {
            WipPolicy::Hard => WipPolicy::Soft,
            WipPolicy::Soft => WipPolicy::Hard,
        }
    }
}

impl FromStr for WipPolicy {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "hard" => Ok(WipPolicy::Hard),
            "soft" => Ok(WipPolicy::Soft),
            other => Err(DomainError::Invalid(format!(
                "unknown WIP policy '{other}' (expected hard or soft)"
            ))),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WipLimit {
    pub limit: u32,
    pub policy: WipPolicy,
}

impl WipLimit {
    pub fn hard(limit: u32) -> Self {
        Self {
            limit,
            policy: WipPolicy::Hard,
        }
    }

    pub fn soft(limit: u32) -> Self {
        Self {
            limit,
            policy: WipPolicy::Soft,
        }
    }

    /// Parses a limit as typed by a user: a positive number, or `none`/empty for no limit.
    pub fn parse_limit(text: &str) -> Result<Option<u32>, DomainError> {
        let t = text.trim();
        if t.is_empty() || t.eq_ignore_ascii_case("none") || t == "-" {
            return Ok(None);
        }
        match t.parse::<u32>() {
            Ok(0) => Err(DomainError::Invalid(
                "a WIP limit must be at least 1 (use 'none' for no limit)".into(),
            )),
            Ok(n) if n <= 999 => Ok(Some(n)),
            _ => Err(DomainError::Invalid(format!(
                "'{t}' is not a WIP limit (a number from 1 to 999, or 'none')"
            ))),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    pub id: ColumnId,
    pub name: String,
    pub kind: ColumnKind,
    pub wip: Option<WipLimit>,
}

impl Column {
    /// Where a column stands against its limit, for the header colour.
    pub fn load(&self, count: u32) -> ColumnLoad {
        match self.wip {
            None => ColumnLoad::Unlimited,
            Some(w) if count > w.limit => ColumnLoad::Over,
            Some(w) if count == w.limit => ColumnLoad::AtLimit,
            Some(_) => ColumnLoad::Under,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnLoad {
    Unlimited,
    Under,
    AtLimit,
    Over,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Board {
    pub id: BoardId,
    pub name: String,
    /// Columns in board order, left to right.
    pub columns: Vec<Column>,
}

impl Board {
    pub fn column(&self, id: ColumnId) -> Option<&Column> {
        self.columns.iter().find(|c| c.id == id)
    }

    pub fn column_index(&self, id: ColumnId) -> Option<usize> {
        self.columns.iter().position(|c| c.id == id)
    }

    /// Finds a column by name, ignoring case, and read as a name is kept
    /// (see [`super::text::one_line`]): the name typed when it was added
    /// finds it.
    pub fn column_named(&self, name: &str) -> Option<&Column> {
        let wanted = super::text::one_line(name);
        self.columns
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(&wanted))
    }
}

/// Checks a column name typed by a user.
pub fn validate_column_name(name: &str) -> Result<String, DomainError> {
    let n = super::text::one_line(name);
    if n.is_empty() {
        return Err(DomainError::Invalid("a column needs a name".into()));
    }
    if n.chars().count() > 40 {
        return Err(DomainError::Invalid(
            "a column name has at most 40 characters".into(),
        ));
    }
    Ok(n)
}

/// The columns a new board starts with.
pub fn starter_columns() -> Vec<(&'static str, ColumnKind, Option<WipLimit>)> {
    vec![
        ("Backlog", ColumnKind::Backlog, None),
        ("To Do", ColumnKind::Backlog, None),
        ("In Progress", ColumnKind::Active, Some(WipLimit::hard(3))),
        ("Review", ColumnKind::Active, Some(WipLimit::hard(2))),
        ("Done", ColumnKind::Done, None),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_limit_accepts_numbers_and_none() {
        assert_eq!(WipLimit::parse_limit("3"), Ok(Some(3)));
        assert_eq!(WipLimit::parse_limit(" none "), Ok(None));
        assert_eq!(WipLimit::parse_limit(""), Ok(None));
        assert!(WipLimit::parse_limit("0").is_err());
        assert!(WipLimit::parse_limit("-2").is_err());
        assert!(WipLimit::parse_limit("three").is_err());
    }

    #[test]
    fn load_tracks_the_limit() {
        let c = Column {
            id: ColumnId(1),
            name: "Review".into(),
            kind: ColumnKind::Active,
            wip: Some(WipLimit::hard(2)),
        };
        assert_eq!(c.load(1), ColumnLoad::Under);
        assert_eq!(c.load(2), ColumnLoad::AtLimit);
        assert_eq!(c.load(3), ColumnLoad::Over);
    }

    #[test]
    fn column_lookup_ignores_case() {
        let b = Board {
            id: BoardId(1),
            name: "Team".into(),
            columns: vec![Column {
                id: ColumnId(7),
                name: "In Progress".into(),
                kind: ColumnKind::Active,
                wip: None,
            }],
        };
        assert_eq!(
            b.column_named("in progress").map(|c| c.id),
            Some(ColumnId(7))
        );
        assert!(b.column_named("Done").is_none());
    }

    #[test]
    fn kinds_parse_and_cycle() {
        assert_eq!("Done".parse::<ColumnKind>(), Ok(ColumnKind::Done));
        assert!("later".parse::<ColumnKind>().is_err());
        assert_eq!(ColumnKind::Done.next(), ColumnKind::Backlog);
    }
}
