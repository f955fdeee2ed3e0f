//! Who has the board open now, and where: each terminal says so on a fixed
//! period (a heartbeat) with the tab it shows, and nothing else. Several
//! terminals of one person count once, with each tab they show. What is
//! running (a retro, a standup, a pre-mortem, a pulse) is read from the
//! rituals themselves, for the one line every tab shows.
//!
//! Presence never says who is writing or answering: a heartbeat comes on
//! its period whatever the person does, holds no dialog, no key, no time
//! of an action, and an answer or a card writes nothing to it.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::handover::Ritual;

/// How often a terminal says it has the board open.
pub const PERIOD: Duration = Duration::from_secs(10);

/// Someone is here if their terminal said so within this long (three
/// periods, and a little for a slow write).
pub const SHOWN_FOR: Duration = Duration::from_secs(35);

/// A terminal not heard of for this long has its row removed by the next
/// heartbeat of anyone (a terminal killed without quitting).
pub const FORGOTTEN_AFTER: Duration = Duration::from_secs(600);

/// One person who has the board open, in one or more terminals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Present {
    pub person: String,
    /// The tabs their terminals show, each once, in the tab line's order
    /// as far as it is known (else by name).
    pub tabs: Vec<String>,
    /// How many terminals.
    pub terminals: u32,
    /// When one of them last said so.
    pub seen_at: DateTime<Utc>,
}

/// The rows of the terminals seen since `since`, (session, person, tab,
/// seen), as one entry per person, by name.
pub fn group(rows: Vec<(String, String, String, DateTime<Utc>)>, order: &[&str]) -> Vec<Present> {
    let mut out: Vec<Present> = Vec::new();
    for (_, person, tab, seen) in rows {
        let at = match out.iter().position(|p| p.person == person) {
            Some(at) => at,
            None => {
                out.push(Present {
                    person,
                    tabs: Vec::new(),
                    terminals: 0,
                    seen_at: seen,
                });
                out.len() - 1
            }
        };
        let p = &mut out[at];
        p.terminals += 1;
        p.seen_at = p.seen_at.max(seen);
        if !p.tabs.contains(&tab) {
            p.tabs.push(tab);
        }
    }
    let rank = |t: &String| order.iter().position(|o| o == t).unwrap_or(order.len());
    for p in &mut out {
        p.tabs
            .sort_by(|a, b| rank(a).cmp(&rank(b)).then_with(|| a.cmp(b)));
    }
    out.sort_by(|a, b| a.person.cmp(&b.person));
    out
}

/// A ritual under way on the board, as every tab's line names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Running {
    pub ritual: Ritual,
    /// The retro's, standup's, pre-mortem's or pulse's id.
    pub id: i64,
    /// Its title (a standup's is empty; a poker round's: the card it
    /// estimates now).
    pub title: String,
    /// Where it is: a retro's phase, a pre-mortem's stage, "running" or
    /// "paused" for a standup, "open" for a pulse; for a poker round, which
    /// card of its queue ("card 2 of 5").
    pub phase: String,
    /// Who facilitates it (a pulse: who closes it by hand).
    pub facilitator: String,
}

impl Running {
    /// "Retro 'Sprint 9' is at Vote", "Standup is running".
    pub fn sentence(&self, title: &str) -> String {
        let what = match self.ritual {
            Ritual::Retro => "Retro",
            Ritual::Standup => "Standup",
            Ritual::Premortem => "Pre-mortem",
            Ritual::Pulse => "Pulse",
            Ritual::Poker => return format!("Planning poker on '{title}' is at {}", self.phase),
        };
        let named = if title.is_empty() {
            what.to_string()
        } else {
            format!("{what} '{title}'")
        };
        match self.ritual {
            Ritual::Retro | Ritual::Premortem => format!("{named} is at {}", self.phase),
            Ritual::Standup | Ritual::Pulse | Ritual::Poker => format!("{named} is {}", self.phase),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(s, 0).unwrap()
    }

    #[test]
    fn several_terminals_of_one_person_count_once_with_each_tab() {
        let rows = vec![
            ("a".into(), "ben".into(), "Retro".into(), at(10)),
            ("b".into(), "ana".into(), "Board".into(), at(11)),
            ("c".into(), "ben".into(), "Board".into(), at(12)),
            ("d".into(), "ben".into(), "Retro".into(), at(9)),
        ];
        let people = group(rows, &["Board", "Flow", "Retro"]);
        assert_eq!(people.len(), 2);
        assert_eq!(people[0].person, "ana");
        assert_eq!(people[1].person, "ben");
        assert_eq!(
            people[1].tabs,
            ["Board", "Retro"],
            "in the tab line's order"
        );
        assert_eq!(people[1].terminals, 3);
        assert_eq!(people[1].seen_at, at(12));
    }

    #[test]
    fn a_running_ritual_is_said_in_a_few_words() {
        let r = Running {
            ritual: Ritual::Retro,
            id: 1,
            title: "Sprint 9".into(),
            phase: "Vote".into(),
            facilitator: "ana".into(),
        };
        assert_eq!(r.sentence("Sprint 9"), "Retro 'Sprint 9' is at Vote");
        let s = Running {
            ritual: Ritual::Standup,
            title: String::new(),
            phase: "running".into(),
            ..r
        };
        assert_eq!(s.sentence(""), "Standup is running");
    }
}
