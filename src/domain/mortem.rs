//! Mortems: a pre-mortem before risky work (Gary Klein, HBR 2007) and a
//! blameless post-mortem after an incident (the Google SRE book's template
//! and culture; DOMAIN.md §2 and §3). Both come from templates in `assets/`,
//! both turn their action items into board cards, both export to Markdown.
//!
//! A pre-mortem's reasons are written silently and anonymously and revealed
//! together, with the retro's gather mechanism (its own retro session of
//! kind `premortem`); rating them for likelihood and impact, and giving the
//! top ones a mitigation, is a step after Klein's, marked as such.

pub mod export;
pub mod lint;

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::retro::{Phase, RetroId};
use super::{CardId, DomainError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct MortemId(pub i64);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MortemKind {
    Pre,
    Post,
}

impl MortemKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MortemKind::Pre => "pre",
            MortemKind::Post => "post",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            MortemKind::Pre => "pre-mortem",
            MortemKind::Post => "post-mortem",
        }
    }
}

/// A post-mortem's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Draft,
    InReview,
    Final,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::InReview => "in-review",
            Status::Final => "final",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::InReview => "in review",
            Status::Final => "final",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().replace(' ', "-").as_str() {
            "draft" => Some(Status::Draft),
            "in-review" | "review" => Some(Status::InReview),
            "final" => Some(Status::Final),
            _ => None,
        }
    }

    pub fn next(self) -> Self {
        match self {
            Status::Draft => Status::InReview,
            Status::InReview => Status::Final,
            Status::Final => Status::Draft,
        }
    }
}

/// What an action item does about the incident (after the SRE book's types).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ActionType {
    Prevent,
    Mitigate,
    Detect,
    Process,
}

impl ActionType {
    pub const ALL: [ActionType; 4] = [
        ActionType::Prevent,
        ActionType::Mitigate,
        ActionType::Detect,
        ActionType::Process,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ActionType::Prevent => "prevent",
            ActionType::Mitigate => "mitigate",
            ActionType::Detect => "detect",
            ActionType::Process => "process",
        }
    }

    pub fn parse(s: &str) -> Result<Self, DomainError> {
        ActionType::ALL
            .into_iter()
            .find(|t| t.as_str() == s.trim().to_ascii_lowercase())
            .ok_or_else(|| {
                DomainError::Invalid(format!(
                    "'{}' is not an action type (prevent, mitigate, detect or process)",
                    s.trim()
                ))
            })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Priority {
    High,
    Medium,
    Low,
}

impl Priority {
    pub fn as_str(self) -> &'static str {
        match self {
            Priority::High => "high",
            Priority::Medium => "medium",
            Priority::Low => "low",
        }
    }

    pub fn parse(s: &str) -> Result<Self, DomainError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "high" | "h" | "p1" => Ok(Priority::High),
            "medium" | "m" | "p2" | "" => Ok(Priority::Medium),
            "low" | "l" | "p3" => Ok(Priority::Low),
            other => Err(DomainError::Invalid(format!(
                "'{other}' is not a priority (high, medium or low)"
            ))),
        }
    }
}

/// A section of the post-mortem template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionDef {
    pub key: String,
    pub heading: String,
    pub hint: String,
    /// About causes: the lint flags any person's name here.
    #[serde(default)]
    pub causal: bool,
    /// A part of the document the section belongs to ("Lessons learned"):
    /// exported as a subheading under it.
    #[serde(default)]
    pub part: Option<String>,
    /// Phrases the lint lets pass here: a near miss is what could have
    /// happened.
    #[serde(default)]
    pub skip: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostmortemTemplate {
    pub name: String,
    pub about: String,
    pub sections: Vec<SectionDef>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PremortemTemplate {
    pub name: String,
    pub frame: String,
    pub hint: String,
    pub about: String,
}

const POSTMORTEM: &str = include_str!("../../assets/mortem/postmortem.toml");
const PREMORTEM: &str = include_str!("../../assets/mortem/premortem.toml");

impl PostmortemTemplate {
    /// How many sections stand on their own before the first that belongs
    /// to a part (the lessons learned).
    pub fn first_part(&self) -> usize {
        self.sections
            .iter()
            .position(|s| s.part.is_some())
            .unwrap_or(self.sections.len())
    }

    pub fn built_in() -> Result<Self, DomainError> {
        let t: Self = toml::from_str(POSTMORTEM)
            .map_err(|e| DomainError::Invalid(format!("postmortem.toml: {}", e.message())))?;
        if t.sections.is_empty() {
            return Err(DomainError::Invalid(
                "postmortem.toml has no sections".into(),
            ));
        }
        Ok(t)
    }

    pub fn section(&self, key: &str) -> Option<&SectionDef> {
        self.sections.iter().find(|s| s.key == key)
    }
}

impl PremortemTemplate {
    pub fn built_in() -> Result<Self, DomainError> {
        toml::from_str(PREMORTEM)
            .map_err(|e| DomainError::Invalid(format!("premortem.toml: {}", e.message())))
    }
}

/// Where a pre-mortem is: reasons written silently, then read one by one,
/// then closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    Writing,
    Reading,
    Closed,
}

impl Stage {
    /// The stage of a pre-mortem whose writing session is at `phase`.
    pub fn of(phase: Phase) -> Self {
        match phase {
            Phase::Closed => Stage::Closed,
            p if p >= Phase::Group => Stage::Reading,
            _ => Stage::Writing,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Stage::Writing => "writing",
            Stage::Reading => "reading",
            Stage::Closed => "closed",
        }
    }
}

/// A pre- or post-mortem.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mortem {
    pub id: MortemId,
    pub kind: MortemKind,
    pub title: String,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    /// Who runs it: a pre-mortem's facilitator (its creator, unless someone
    /// took it over); a post-mortem's creator.
    pub facilitator: String,
    /// Post-mortems: draft, in review, final.
    pub status: Status,
    /// The day of the incident (post) or of the pre-mortem.
    pub date: NaiveDate,
    pub authors: String,
    /// Section texts by key (post-mortems).
    pub sections: BTreeMap<String, String>,
    /// What the pre-mortem is about: a project, or a card.
    pub subject: String,
    pub card: Option<CardId>,
    /// The pre-mortem's anonymous writing session, and where it is.
    pub session: Option<RetroId>,
    pub stage: Option<Stage>,
}

impl Mortem {
    pub fn section(&self, key: &str) -> &str {
        self.sections.get(key).map_or("", String::as_str)
    }

    /// The status a list shows: a post-mortem's, or a pre-mortem's stage.
    pub fn state_label(&self) -> &'static str {
        match (self.kind, self.stage) {
            (MortemKind::Pre, Some(stage)) => stage.label(),
            _ => self.status.label(),
        }
    }
}

/// A mortem as a list shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Listed {
    pub mortem: Mortem,
    pub actions: u32,
    pub open_actions: u32,
}

/// Everything about a mortem, as everyone may see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MortemReport {
    pub mortem: Mortem,
    /// Oldest first, whatever order the entries were added in.
    pub timeline: Vec<TimelineEntry>,
    pub actions: Vec<MortemAction>,
    /// Pre-mortems: the revealed reasons, most serious first.
    pub risks: Vec<Risk>,
    /// Pre-mortems: how many reasons have been written so far.
    pub reasons: u32,
    /// Pre-mortems: the reason being read out now.
    pub reading: Option<i64>,
}

impl MortemReport {
    /// The risk with this id.
    pub fn risk(&self, id: i64) -> Option<&Risk> {
        self.risks.iter().find(|r| r.id == id)
    }

    /// The risk numbered `number` (R1 is 1).
    pub fn numbered(&self, number: u32) -> Option<&Risk> {
        self.risks.iter().find(|r| r.number == number)
    }

    /// The risks in the order they are read out: by number.
    pub fn reading_order(&self) -> Vec<&Risk> {
        let mut all: Vec<&Risk> = self.risks.iter().collect();
        all.sort_by_key(|r| r.number);
        all
    }

    /// The mitigations of a risk.
    pub fn mitigations(&self, risk: i64) -> impl Iterator<Item = &MortemAction> {
        self.actions.iter().filter(move |a| a.risk == Some(risk))
    }
}

/// The likelihood × impact grid: `grid[impact - 1][likelihood - 1]` holds
/// the numbers of the rated risks in that cell, in order.
pub fn matrix(risks: &[Risk]) -> [[Vec<u32>; 5]; 5] {
    let mut grid: [[Vec<u32>; 5]; 5] = Default::default();
    for r in risks {
        if let (Some(l), Some(imp)) = (r.likelihood, r.impact)
            && (1..=5).contains(&l)
            && (1..=5).contains(&imp)
        {
            grid[usize::from(imp) - 1][usize::from(l) - 1].push(r.number);
        }
    }
    for row in &mut grid {
        for cell in row {
            cell.sort_unstable();
        }
    }
    grid
}

/// A risk's number as typed: `3` or `R3`.
pub fn parse_risk_number(text: &str) -> Result<u32, DomainError> {
    let t = text.trim();
    t.strip_prefix(['R', 'r'])
        .unwrap_or(t)
        .parse::<u32>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| DomainError::Invalid(format!("'{t}' is not a risk number (R1, R2, …)")))
}

/// How serious a score is: the usual bands of a 5×5 risk matrix.
pub fn band(score: u8) -> &'static str {
    match score {
        15.. => "high",
        8..=14 => "medium",
        _ => "low",
    }
}

/// One line of the incident's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimelineEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub text: String,
}

/// Where an action item's card stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CardState {
    Open,
    Done,
    Dropped,
}

impl CardState {
    pub fn as_str(self) -> &'static str {
        match self {
            CardState::Open => "open",
            CardState::Done => "done",
            CardState::Dropped => "dropped",
        }
    }
}

/// An action item about to be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAction {
    pub text: String,
    pub kind: Option<ActionType>,
    pub owner: Option<String>,
    pub due: Option<NaiveDate>,
    pub priority: Priority,
    pub risk: Option<i64>,
}

/// An action item: a card on the board, with what it does and by when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MortemAction {
    pub card: CardId,
    pub text: String,
    /// Post-mortems: prevent, mitigate, detect, process.
    pub kind: Option<ActionType>,
    pub owner: Option<String>,
    pub due: Option<NaiveDate>,
    pub priority: Priority,
    /// The card's column now, and whether it is done or dropped.
    pub column: String,
    pub state: CardState,
    /// The pre-mortem risk it mitigates.
    pub risk: Option<i64>,
}

/// A pre-mortem's risk: a revealed reason, rated (a step after Klein's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Risk {
    /// The item of the pre-mortem's writing session.
    pub id: i64,
    /// Its number, R1, R2, …: given when the reasons are revealed.
    pub number: u32,
    pub text: String,
    pub likelihood: Option<u8>,
    pub impact: Option<u8>,
}

impl Risk {
    /// Likelihood × impact, 1 to 25, once both are rated.
    pub fn score(&self) -> Option<u8> {
        Some(self.likelihood? * self.impact?)
    }
}

/// Risks most serious first: by score, unrated last, then by impact.
pub fn rank(risks: &mut [Risk]) {
    risks.sort_by(|a, b| {
        b.score()
            .cmp(&a.score())
            .then(b.impact.cmp(&a.impact))
            .then(a.number.cmp(&b.number))
    });
}

/// A 1-5 rating as typed.
pub fn parse_rating(text: &str, what: &str) -> Result<u8, DomainError> {
    match text.trim().parse::<u8>() {
        Ok(n @ 1..=5) => Ok(n),
        _ => Err(DomainError::Invalid(format!(
            "{what} is 1 to 5, not '{}'",
            text.trim()
        ))),
    }
}

/// A timeline entry typed as `HH:MM text` (the incident's day, UTC) or
/// `YYYY-MM-DD HH:MM text`.
pub fn parse_timeline(text: &str, day: NaiveDate) -> Result<(DateTime<Utc>, String), DomainError> {
    let t = text.trim();
    let bad = || {
        DomainError::Invalid(format!(
            "'{t}' is not a timeline entry: start with HH:MM (UTC), e.g. \"14:02 alert fires\""
        ))
    };
    // A first word with a dash is the day, read as every date is.
    let (date, rest) = match t.split_once(char::is_whitespace) {
        Some((word, rest)) if word.contains('-') => (super::parse_date(word)?, rest.trim_start()),
        _ => (day, t),
    };
    let (clock, what) = rest.split_once(char::is_whitespace).ok_or_else(bad)?;
    let time = chrono::NaiveTime::parse_from_str(clock, "%H:%M")
        .or_else(|_| chrono::NaiveTime::parse_from_str(clock, "%H:%M:%S"))
        .map_err(|_| bad())?;
    let what = super::text::one_line(what);
    if what.is_empty() {
        return Err(bad());
    }
    if what.chars().count() > 500 {
        return Err(DomainError::Invalid(
            "a timeline entry has at most 500 characters".into(),
        ));
    }
    Ok((date.and_time(time).and_utc(), what))
}

pub fn validate_title(title: &str) -> Result<String, DomainError> {
    super::text::one_line_within(title, "a title", 120)
}

/// A section's text as typed: up to 20,000 characters, lines ending in
/// `\n` whatever the file they came from.
pub fn validate_section(text: &str) -> Result<String, DomainError> {
    if text.chars().count() > 20_000 {
        return Err(DomainError::Invalid(
            "a section has at most 20,000 characters".into(),
        ));
    }
    Ok(super::text::lines(text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_templates_load_from_assets() {
        let post = PostmortemTemplate::built_in().unwrap();
        let keys: Vec<&str> = post.sections.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "summary",
                "impact",
                "root_causes",
                "trigger",
                "detection",
                "resolution",
                "went_well",
                "went_wrong",
                "got_lucky"
            ]
        );
        assert!(post.section("root_causes").unwrap().causal);
        assert!(!post.section("summary").unwrap().causal);
        assert_eq!(
            post.section("went_well").unwrap().part.as_deref(),
            Some("Lessons learned")
        );
        let pre = PremortemTemplate::built_in().unwrap();
        assert!(pre.frame.contains("this project has failed"));
    }

    #[test]
    fn timeline_entries_parse_with_the_incidents_day() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        let (at, text) = parse_timeline("14:02 alert fires", day).unwrap();
        assert_eq!(at, Utc.with_ymd_and_hms(2026, 11, 20, 14, 2, 0).unwrap());
        assert_eq!(text, "alert fires");
        let (at, _) = parse_timeline("2026-11-21 00:10 all clear", day).unwrap();
        assert_eq!(at, Utc.with_ymd_and_hms(2026, 11, 21, 0, 10, 0).unwrap());
        assert!(parse_timeline("later: it broke", day).is_err());
        assert!(parse_timeline("25:00 x", day).is_err());
        assert!(parse_timeline("14:02", day).is_err());
        // The day part is read as every typed date is.
        assert_eq!(
            parse_timeline("2026-13-01 14:02 x", day)
                .unwrap_err()
                .to_string(),
            crate::domain::parse_date("2026-13-01")
                .unwrap_err()
                .to_string()
        );
    }

    #[test]
    fn risks_rank_by_likelihood_times_impact() {
        let r = |text: &str, l, i| Risk {
            id: 0,
            number: 0,
            text: text.into(),
            likelihood: l,
            impact: i,
        };
        let mut risks = vec![
            r("unrated", None, None),
            r("likely, small", Some(5), Some(1)),
            r("unlikely, huge", Some(1), Some(5)),
            r("both", Some(4), Some(4)),
        ];
        rank(&mut risks);
        let order: Vec<&str> = risks.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(
            order,
            ["both", "unlikely, huge", "likely, small", "unrated"]
        );
        assert_eq!(risks[0].score(), Some(16));
        assert!(parse_rating("6", "likelihood").is_err());
        assert_eq!(parse_rating(" 3 ", "impact"), Ok(3));
    }

    #[test]
    fn the_matrix_places_rated_risks_by_impact_and_likelihood() {
        let r = |number, l, i| Risk {
            id: 0,
            number,
            text: String::new(),
            likelihood: l,
            impact: i,
        };
        let risks = [
            r(1, Some(4), Some(4)),
            r(2, Some(1), Some(5)),
            r(3, None, Some(2)),
        ];
        let grid = matrix(&risks);
        assert_eq!(grid[3][3], [1]);
        assert_eq!(grid[4][0], [2]);
        let placed: usize = grid.iter().flatten().map(Vec::len).sum();
        assert_eq!(placed, 2, "an unrated risk has no cell");
        assert_eq!(band(16), "high");
        assert_eq!(band(8), "medium");
        assert_eq!(band(4), "low");
    }

    #[test]
    fn a_premortems_stage_follows_its_session() {
        assert_eq!(Stage::of(Phase::Gather), Stage::Writing);
        assert_eq!(Stage::of(Phase::Discuss), Stage::Reading);
        assert_eq!(Stage::of(Phase::Closed), Stage::Closed);
    }

    #[test]
    fn a_section_keeps_one_kind_of_line_ending() {
        assert_eq!(validate_section("a\r\nb\rc\n\n").unwrap(), "a\nb\nc");
        assert!(validate_section(&"x".repeat(20_001)).is_err());
    }

    #[test]
    fn kinds_statuses_and_types_parse() {
        assert_eq!(Status::parse("in review"), Some(Status::InReview));
        assert_eq!(Status::Draft.next(), Status::InReview);
        assert_eq!(ActionType::parse("Detect"), Ok(ActionType::Detect));
        assert!(ActionType::parse("fix").is_err());
        assert_eq!(Priority::parse(""), Ok(Priority::Medium));
        assert_eq!(parse_risk_number("R3"), Ok(3));
        assert_eq!(parse_risk_number("12"), Ok(12));
        assert!(parse_risk_number("R0").is_err());
    }
}
