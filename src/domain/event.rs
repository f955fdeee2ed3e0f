//! Card events: the history that flow metrics are computed from.
//!
//! A card's column never changes without an event whose `to_column` is the new
//! column; its creation is an event too, so the latest event with a
//! `to_column` always names the column the card is in.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{CardId, ColumnId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EventKind {
    Created,
    Moved,
    Blocked,
    Unblocked,
    Archived,
    /// The card's points changed.
    Estimated,
    /// The card joined a sprint.
    Planned,
    /// The card left a sprint.
    Unplanned,
    /// An archived card came back (an undo), into the column it left.
    Restored,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Created => "created",
            EventKind::Moved => "moved",
            EventKind::Blocked => "blocked",
            EventKind::Unblocked => "unblocked",
            EventKind::Archived => "archived",
            EventKind::Estimated => "estimated",
            EventKind::Planned => "planned",
            EventKind::Unplanned => "unplanned",
            EventKind::Restored => "restored",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "created" => EventKind::Created,
            "moved" => EventKind::Moved,
            "blocked" => EventKind::Blocked,
            "unblocked" => EventKind::Unblocked,
            "archived" => EventKind::Archived,
            "estimated" => EventKind::Estimated,
            "planned" => EventKind::Planned,
            "unplanned" => EventKind::Unplanned,
            "restored" => EventKind::Restored,
            _ => return None,
        })
    }
}

/// A card entered a column past its WIP limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Breach {
    /// Past a hard limit, on purpose, with the reason the user gave.
    Forced { reason: String },
    /// Past a soft limit; the reason may be added afterwards.
    Soft { reason: Option<String> },
}

impl Breach {
    pub fn kind_str(&self) -> &'static str {
        match self {
            Breach::Forced { .. } => "forced",
            Breach::Soft { .. } => "soft",
        }
    }

    pub fn reason(&self) -> Option<&str> {
        match self {
            Breach::Forced { reason } => Some(reason),
            Breach::Soft { reason } => reason.as_deref(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CardEvent {
    pub id: i64,
    pub card: CardId,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub kind: EventKind,
    pub from_column: Option<ColumnId>,
    pub to_column: Option<ColumnId>,
    /// Column names at read time, for display.
    pub from_name: Option<String>,
    pub to_name: Option<String>,
    pub breach: Option<Breach>,
    /// The blocked reason, for `Blocked` events.
    pub note: Option<String>,
    /// The sprint's name, for `Planned` and `Unplanned` events.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sprint: Option<String>,
    /// Points before and after, for `Estimated` events.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_points: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_points: Option<u32>,
}

impl CardEvent {
    /// One line describing the event, for a card's history.
    pub fn describe(&self) -> String {
        let to = self.to_name.as_deref().unwrap_or("?");
        let mut line = match self.kind {
            EventKind::Created => format!("created in {to}"),
            EventKind::Moved => {
                format!("moved {} → {to}", self.from_name.as_deref().unwrap_or("?"))
            }
            EventKind::Blocked => match &self.note {
                Some(n) => format!("blocked: {n}"),
                None => "blocked".to_string(),
            },
            EventKind::Unblocked => "unblocked".to_string(),
            EventKind::Archived => "archived".to_string(),
            EventKind::Restored => format!("brought back into {to}"),
            EventKind::Estimated => {
                let p = |v: Option<u32>| v.map_or("none".to_string(), |p| format!("{p}pt"));
                format!("estimate {} → {}", p(self.old_points), p(self.new_points))
            }
            EventKind::Planned => {
                format!("added to {}", self.sprint.as_deref().unwrap_or("a sprint"))
            }
            EventKind::Unplanned => {
                format!(
                    "taken out of {}",
                    self.sprint.as_deref().unwrap_or("a sprint")
                )
            }
        };
        if let Some(b) = &self.breach {
            line.push_str(match b {
                Breach::Forced { .. } => " [forced past WIP limit",
                Breach::Soft { .. } => " [over soft WIP limit",
            });
            if let Some(r) = b.reason() {
                line.push_str(": ");
                line.push_str(r);
            }
            line.push(']');
        }
        line
    }
}
