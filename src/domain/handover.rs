//! Facilitation handed over: when a facilitator's terminal is gone, someone
//! else takes the retro, the standup, the pre-mortem or a pulse's close over,
//! after a confirmation; the takeover is recorded ("Ben took over from Ana")
//! where the ritual's record is read.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::DomainError;

/// What can be taken over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Ritual {
    Retro,
    Standup,
    Premortem,
    /// A pulse: whoever takes it over closes it by hand.
    Pulse,
    /// A planning poker round.
    Poker,
}

impl Ritual {
    pub fn as_str(self) -> &'static str {
        match self {
            Ritual::Retro => "retro",
            Ritual::Standup => "standup",
            Ritual::Premortem => "premortem",
            Ritual::Pulse => "pulse",
            Ritual::Poker => "poker",
        }
    }

    /// How it is named in a sentence.
    pub fn noun(self) -> &'static str {
        match self {
            Ritual::Retro => "the retro",
            Ritual::Standup => "the standup",
            Ritual::Premortem => "the pre-mortem",
            Ritual::Pulse => "the pulse's close",
            Ritual::Poker => "the poker round",
        }
    }
}

/// One takeover, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Handover {
    pub from: String,
    pub to: String,
    pub at: DateTime<Utc>,
}

impl Handover {
    /// "ben took over from ana".
    pub fn sentence(&self) -> String {
        format!("{} took over from {}", self.to, self.from)
    }
}

/// Checks a takeover by `who` of a ritual facilitated by `current`, which
/// this terminal saw facilitated by `seen` (so two people taking over at
/// once do not take it from each other unseen); `over` says why it can no
/// longer be taken over (ended, closed), if so.
pub fn check_take_over(
    ritual: Ritual,
    current: &str,
    seen: &str,
    who: &str,
    over: Option<&str>,
) -> Result<(), DomainError> {
    if let Some(why) = over {
        return Err(DomainError::Invalid(why.to_string()));
    }
    if current == who {
        return Err(DomainError::Invalid(format!(
            "you facilitate {} already",
            ritual.noun()
        )));
    }
    if current != seen {
        return Err(DomainError::Invalid(format!(
            "{current} took {} over from {seen} meanwhile: look again before taking it over",
            ritual.noun()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_takeover_is_refused_to_the_facilitator_after_the_end_and_when_someone_was_first() {
        assert!(check_take_over(Ritual::Retro, "ana", "ana", "ben", None).is_ok());
        let e = check_take_over(Ritual::Retro, "ana", "ana", "ana", None).unwrap_err();
        assert!(e.to_string().contains("you facilitate the retro already"));
        let e = check_take_over(Ritual::Standup, "chloe", "ana", "ben", None).unwrap_err();
        assert!(
            e.to_string()
                .contains("chloe took the standup over from ana"),
            "{e}"
        );
        let e = check_take_over(Ritual::Pulse, "ana", "ana", "ben", Some("it is closed"));
        assert!(e.unwrap_err().to_string().contains("closed"));
        let h = Handover {
            from: "ana".into(),
            to: "ben".into(),
            at: DateTime::UNIX_EPOCH,
        };
        assert_eq!(h.sentence(), "ben took over from ana");
    }
}
