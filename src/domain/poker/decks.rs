//! The decks a round picks from: four built in, and a team's own from the
//! settings directory (`poker/*.toml`), as pulse instruments come.
//!
//! A deck file:
//!
//! ```toml
//! id = "hours"                 # lower-case letters, digits and dashes
//! name = "Ideal hours"
//! values = ["1", "2", "4", "8", "16", "?"]
//! # Points for values that are not whole numbers (a whole number is its own):
//! [points]
//! ```
//!
//! `?` and `coffee` are never estimates: they say "I cannot say" and "a
//! break, please", and are left out of the highest and lowest picks.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::DomainError;

/// One card of a deck.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeckValue {
    pub label: String,
    /// What accepting it writes onto the card; `None`: it cannot be
    /// accepted (½, ?, coffee).
    pub points: Option<u32>,
}

/// A deck: its id (what `--deck` takes), name and values in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deck {
    pub id: String,
    pub name: String,
    pub values: Vec<DeckValue>,
}

/// Values that are no estimate.
const NOT_ESTIMATES: [&str; 2] = ["?", "coffee"];

/// What T-shirt sizes write as points when accepted.
const TSHIRT: [(&str, u32); 6] = [
    ("XS", 1),
    ("S", 2),
    ("M", 3),
    ("L", 5),
    ("XL", 8),
    ("XXL", 13),
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DeckFile {
    id: String,
    name: String,
    values: Vec<String>,
    #[serde(default)]
    points: BTreeMap<String, u32>,
}

fn whole(label: &str) -> Option<u32> {
    label.parse::<u32>().ok()
}

fn built(id: &str, name: &str, labels: &[&str]) -> Deck {
    Deck {
        id: id.into(),
        name: name.into(),
        values: labels
            .iter()
            .map(|l| DeckValue {
                label: (*l).to_string(),
                points: whole(l),
            })
            .collect(),
    }
}

impl Deck {
    /// The built-in decks: Fibonacci first (the default).
    pub fn built_in() -> Vec<Deck> {
        let mut tshirt = built(
            "tshirt",
            "T-shirt sizes",
            &TSHIRT.iter().map(|(l, _)| *l).collect::<Vec<_>>(),
        );
        for (v, (_, p)) in tshirt.values.iter_mut().zip(TSHIRT) {
            v.points = Some(p);
        }
        tshirt.values.push(DeckValue {
            label: "?".into(),
            points: None,
        });
        vec![
            built(
                "fibonacci",
                "Fibonacci",
                &["0", "1", "2", "3", "5", "8", "13", "21", "?", "coffee"],
            ),
            built(
                "modified",
                "Modified Fibonacci",
                &[
                    "0", "½", "1", "2", "3", "5", "8", "13", "20", "40", "100", "?", "coffee",
                ],
            ),
            tshirt,
            built(
                "powers",
                "Powers of 2",
                &["0", "1", "2", "4", "8", "16", "32", "64", "?", "coffee"],
            ),
        ]
    }

    /// The default deck (Fibonacci).
    pub fn fibonacci() -> Deck {
        Self::built_in().swap_remove(0)
    }

    /// Reads a deck file; `origin` names it in messages.
    pub fn parse(text: &str, origin: &str) -> Result<Deck, DomainError> {
        let f: DeckFile = toml::from_str(text)
            .map_err(|e| DomainError::Invalid(format!("{origin}: {}", e.message())))?;
        let bad = |what: &str| Err(DomainError::Invalid(format!("{origin}: {what}")));
        if f.id.is_empty()
            || f.id.len() > 40
            || !f
                .id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            return bad("the id is lower-case letters, digits and dashes");
        }
        if f.name.trim().is_empty() || f.name.chars().count() > 60 {
            return bad("a deck needs a name of up to 60 characters");
        }
        if f.values.len() < 2 || f.values.len() > 20 {
            return bad("a deck has 2 to 20 values");
        }
        let mut values: Vec<DeckValue> = Vec::new();
        for l in &f.values {
            let label = l.trim();
            if label.is_empty() || label.chars().count() > 8 || label.chars().any(char::is_control)
            {
                return bad("each value is 1 to 8 characters");
            }
            if values.iter().any(|v| v.label.eq_ignore_ascii_case(label)) {
                return bad(&format!("{label} is in the deck twice"));
            }
            values.push(DeckValue {
                label: label.to_string(),
                points: f.points.get(label).copied().or_else(|| whole(label)),
            });
        }
        if let Some(k) = f
            .points
            .keys()
            .find(|k| !values.iter().any(|v| &v.label == *k))
        {
            return bad(&format!("points are given for {k}, which is not a value"));
        }
        Ok(Deck {
            id: f.id,
            name: f.name.trim().to_string(),
            values,
        })
    }

    /// The built-in decks and the team's own (`extra`: file name and text);
    /// a file that cannot be read is reported, not fatal, and cannot take
    /// a built-in deck's id.
    pub fn all(extra: &[(String, String)]) -> (Vec<Deck>, Vec<String>) {
        let mut all = Self::built_in();
        let builtin: Vec<String> = all.iter().map(|d| d.id.clone()).collect();
        let mut problems = Vec::new();
        for (origin, text) in extra {
            match Self::parse(text, origin) {
                Ok(d) if builtin.contains(&d.id) => problems.push(format!(
                    "{origin}: the id {} is a built-in deck's; give yours another",
                    d.id
                )),
                Ok(d) => match all.iter_mut().find(|b| b.id == d.id) {
                    Some(b) => *b = d,
                    None => all.push(d),
                },
                Err(e) => problems.push(e.to_string()),
            }
        }
        (all, problems)
    }

    /// The deck with this id among `decks`, or a message naming them.
    pub fn named<'a>(decks: &'a [Deck], id: &str) -> Result<&'a Deck, DomainError> {
        let id = id.trim().to_ascii_lowercase();
        decks.iter().find(|d| d.id == id).ok_or_else(|| {
            let ids: Vec<&str> = decks.iter().map(|d| d.id.as_str()).collect();
            DomainError::Invalid(format!("no deck '{id}' (decks: {})", ids.join(", ")))
        })
    }

    /// Where a value is in the deck, as typed: the label itself in any
    /// case, and `1/2` or `0.5` for ½.
    pub fn position(&self, typed: &str) -> Option<usize> {
        let t = typed.trim();
        let t = match t {
            "1/2" | "0.5" | ".5" => "½",
            "☕" => "coffee",
            other => other,
        };
        self.values
            .iter()
            .position(|v| v.label.eq_ignore_ascii_case(t))
    }

    /// The value as typed, or a message naming the deck's values.
    pub fn value(&self, typed: &str) -> Result<&DeckValue, DomainError> {
        self.position(typed)
            .map(|i| &self.values[i])
            .ok_or_else(|| {
                DomainError::Invalid(format!(
                    "'{}' is not in the {} deck ({})",
                    typed.trim(),
                    self.name,
                    self.labels().join(" ")
                ))
            })
    }

    /// Whether a value is an estimate (not ?, not a break).
    pub fn is_estimate(&self, label: &str) -> bool {
        !NOT_ESTIMATES.iter().any(|n| n.eq_ignore_ascii_case(label))
    }

    /// The label and the points an accepted value writes.
    pub fn points_of(&self, typed: &str) -> Result<(String, u32), DomainError> {
        let v = self.value(typed)?;
        match v.points {
            Some(p) => Ok((v.label.clone(), p)),
            None if v.label == "½" => Err(DomainError::Invalid(
                "a card's points are whole numbers: accept 0 or 1 for ½".into(),
            )),
            None => Err(DomainError::Invalid(format!(
                "{} is not an estimate: accept a value with points",
                v.label
            ))),
        }
    }

    pub fn labels(&self) -> Vec<&str> {
        self.values.iter().map(|v| v.label.as_str()).collect()
    }
}
