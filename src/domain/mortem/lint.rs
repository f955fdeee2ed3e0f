//! The blameless-language lint: phrasing that assigns blame to a person, and
//! what to write instead (DOMAIN.md §2.5). It warns; it never blocks.
//!
//! - Phrases from `assets/blame.toml` (and a team's own, in the
//!   config folder, `blame/*.toml`) match whole words, ignoring case.
//! - In sections about causes (root causes, trigger, what went wrong) any
//!   team member's name is a warning: "an individual's action should never
//!   be considered a root cause".
//! - Elsewhere a name followed closely by a failure verb ("ana broke…") is.

use serde::{Deserialize, Serialize};

use crate::domain::DomainError;

const BUILT_IN: &str = include_str!("../../../assets/blame.toml");

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warn,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warn => "warn",
            Severity::Error => "error",
        }
    }
}

fn warn() -> Severity {
    Severity::Warn
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Rule {
    pub category: String,
    #[serde(default = "warn")]
    pub severity: Severity,
    /// The severity in a section about causes, if different.
    #[serde(default)]
    pub causal_severity: Option<Severity>,
    pub phrases: Vec<String>,
    pub suggestion: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
struct RuleFile {
    rules: Vec<Rule>,
}

/// One warning: where in the text (byte offsets), what and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    pub start: usize,
    pub end: usize,
    /// 1-based line of the text.
    pub line: usize,
    pub phrase: String,
    pub category: String,
    pub severity: Severity,
    pub suggestion: String,
}

impl Lint {
    /// Every blame warning of a post-mortem, with its section's heading.
    pub fn post_warnings(
        &self,
        report: &super::MortemReport,
        template: &super::PostmortemTemplate,
        names: &[String],
    ) -> Vec<(String, Warning)> {
        let mut out = Vec::new();
        for s in &template.sections {
            for w in self.check_section(report.mortem.section(&s.key), names, s) {
                out.push((s.heading.clone(), w));
            }
        }
        out
    }
}

impl Warning {
    /// Where and what, with the rewording: `line 3: "human error" (blame). …`.
    pub fn at_line(&self) -> String {
        format!(
            "line {}: \"{}\" ({}). {}",
            self.line, self.phrase, self.category, self.suggestion
        )
    }
}

const NAMED_CAUSE: &str = "a person named as a cause";
const NAMED_CAUSE_HINT: &str = "Describe the action or the condition (\"an engineer ran…\", \"the deploy tool allowed…\"), not the person.";
const NAMED_SUBJECT: &str = "a person as the subject of a failure";
const NAMED_QUESTION: &str = "who, not how";
const NAMED_QUESTION_HINT: &str =
    "Ask how or what instead: \"how did the change reach production?\"";
/// Verbs that make a named person the subject of a failure.
const FAILURE_VERBS: [&str; 14] = [
    "broke",
    "caused",
    "forgot",
    "failed",
    "missed",
    "deleted",
    "dropped",
    "ignored",
    "messed",
    "skipped",
    "overlooked",
    "misconfigured",
    "botched",
    "neglected",
];

/// Names that are also common words: they count only when capitalised
/// ("Will restarted…", not "the job will restart").
const NAMES_THAT_ARE_WORDS: [&str; 40] = [
    "will", "mark", "may", "bill", "grace", "hope", "joy", "faith", "rose", "sue", "pat", "art",
    "jack", "max", "sky", "june", "april", "august", "dawn", "guy", "ray", "rob", "don", "frank",
    "chase", "hunter", "miles", "wade", "drew", "lane", "page", "rich", "gene", "bob", "ed", "sam",
    "summer", "sandy", "ash", "ali",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lint {
    pub rules: Vec<Rule>,
}

impl Lint {
    /// The shipped rules.
    pub fn built_in() -> Result<Self, DomainError> {
        Self::parse(BUILT_IN, "blame.toml")
    }

    pub fn parse(text: &str, origin: &str) -> Result<Self, DomainError> {
        let f: RuleFile = toml::from_str(text)
            .map_err(|e| DomainError::Invalid(format!("{origin}: {}", e.message())))?;
        Ok(Self { rules: f.rules })
    }

    /// The shipped rules and a team's own added to them.
    pub fn with_extra(extra: &[(String, String)]) -> (Self, Vec<String>) {
        let mut lint = Self::built_in().unwrap_or(Self { rules: Vec::new() });
        let mut problems = Vec::new();
        for (origin, text) in extra {
            match Self::parse(text, origin) {
                Ok(more) => lint.rules.extend(more.rules),
                Err(e) => problems.push(e.to_string()),
            }
        }
        (lint, problems)
    }

    /// The warnings of a text. `names` are the team's; `causal` marks a
    /// section about causes; phrases in `skip` are not warned about (a
    /// section's own exceptions).
    pub fn check(&self, text: &str, names: &[String], causal: bool) -> Vec<Warning> {
        self.check_except(text, names, causal, &[])
    }

    /// The warnings of a post-mortem section's text.
    pub fn check_section(
        &self,
        text: &str,
        names: &[String],
        section: &super::SectionDef,
    ) -> Vec<Warning> {
        self.check_except(text, names, section.causal, &section.skip)
    }

    pub fn check_except(
        &self,
        text: &str,
        names: &[String],
        causal: bool,
        skip: &[String],
    ) -> Vec<Warning> {
        let lower = Lowered::of(text);
        let mut out = Vec::new();
        for rule in &self.rules {
            let severity = match rule.causal_severity {
                Some(s) if causal => s,
                _ => rule.severity,
            };
            for phrase in &rule.phrases {
                if skip.iter().any(|s| s.eq_ignore_ascii_case(phrase.trim())) {
                    continue;
                }
                for (start, end) in lower.find_words(phrase) {
                    out.push(warning(
                        text,
                        (start, end),
                        &rule.category,
                        severity,
                        &rule.suggestion,
                    ));
                }
            }
        }
        for name in names.iter().filter(|n| n.trim().chars().count() >= 2) {
            let word = NAMES_THAT_ARE_WORDS.contains(&name.trim().to_lowercase().as_str());
            for (start, end) in lower.find_words(name) {
                if word && !text[start..].starts_with(char::is_uppercase) {
                    continue;
                }
                if let Some(q_start) = question_before(text, start) {
                    out.push(warning(
                        text,
                        (q_start, end),
                        NAMED_QUESTION,
                        Severity::Info,
                        NAMED_QUESTION_HINT,
                    ));
                } else if causal {
                    out.push(warning(
                        text,
                        (start, end),
                        NAMED_CAUSE,
                        Severity::Error,
                        NAMED_CAUSE_HINT,
                    ));
                } else if let Some(verb_end) = failure_verb_after(text, end) {
                    out.push(warning(
                        text,
                        (start, verb_end),
                        NAMED_SUBJECT,
                        Severity::Error,
                        NAMED_CAUSE_HINT,
                    ));
                } else if let Some(b_start) = because_before(text, start) {
                    out.push(warning(
                        text,
                        (b_start, end),
                        NAMED_CAUSE,
                        Severity::Error,
                        NAMED_CAUSE_HINT,
                    ));
                }
            }
        }
        // One warning per place: a longer match covers the shorter ones in it.
        out.sort_by_key(|w| (w.start, std::cmp::Reverse(w.end)));
        let mut kept: Vec<Warning> = Vec::new();
        for w in out {
            if kept
                .last()
                .is_some_and(|k| w.start >= k.start && w.end <= k.end)
            {
                continue;
            }
            kept.push(w);
        }
        kept
    }
}

fn warning(
    text: &str,
    (start, end): (usize, usize),
    category: &str,
    severity: Severity,
    suggestion: &str,
) -> Warning {
    Warning {
        start,
        end,
        line: text[..start].matches('\n').count() + 1,
        phrase: text[start..end].to_string(),
        category: category.to_string(),
        severity,
        suggestion: suggestion.to_string(),
    }
}

/// The start of the words `words` (lower case) right before `at`, if they
/// are there: "because " before a name.
fn words_before(text: &str, at: usize, words: &str) -> Option<usize> {
    let before = text[..at].trim_end();
    let start = before.len().checked_sub(words.len())?;
    let tail = before.get(start..)?;
    let boundary = before[..start]
        .chars()
        .next_back()
        .is_none_or(|c| !is_word(c));
    (tail.eq_ignore_ascii_case(words) && boundary && before.len() < at).then_some(start)
}

/// "because <name>".
fn because_before(text: &str, at: usize) -> Option<usize> {
    words_before(text, at, "because")
}

/// "why did <name>", "why didn't <name>".
fn question_before(text: &str, at: usize) -> Option<usize> {
    words_before(text, at, "why did").or_else(|| words_before(text, at, "why didn't"))
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn fold(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

/// A text in lower case, one character for each of the original's, with
/// where each byte of it was in the original: what the whole-word search
/// runs on (a substring search, fast on long sections).
struct Lowered {
    text: String,
    /// `from[i]`: the original's byte offset of the lowered text's byte
    /// `i`, and one past the end.
    from: Vec<usize>,
    len: usize,
}

impl Lowered {
    fn of(text: &str) -> Self {
        let mut lower = String::with_capacity(text.len());
        let mut from = Vec::with_capacity(text.len() + 1);
        for (i, c) in text.char_indices() {
            let l = fold(c);
            for _ in 0..l.len_utf8() {
                from.push(i);
            }
            lower.push(l);
        }
        from.push(text.len());
        Self {
            text: lower,
            from,
            len: text.len(),
        }
    }

    /// Whole-word, case-insensitive matches of `phrase`: byte ranges in the
    /// original text.
    fn find_words(&self, phrase: &str) -> Vec<(usize, usize)> {
        let want: String = phrase.trim().chars().map(fold).collect();
        if want.is_empty() {
            return Vec::new();
        }
        self.text
            .match_indices(&want)
            .filter(|(i, _)| {
                let before = self.text[..*i].chars().next_back();
                let after = self.text[i + want.len()..].chars().next();
                !before.is_some_and(is_word) && !after.is_some_and(is_word)
            })
            .map(|(i, _)| {
                let end = self.from.get(i + want.len()).copied().unwrap_or(self.len);
                (self.from[i], end)
            })
            .collect()
    }
}

/// If a failure verb follows within three words of `from`, where it ends.
fn failure_verb_after(text: &str, from: usize) -> Option<usize> {
    let rest = &text[from..];
    let mut offset = 0;
    for (n, word) in rest.split_inclusive(|c: char| !is_word(c)).enumerate() {
        let w: String = word
            .chars()
            .filter(|c| is_word(*c))
            .collect::<String>()
            .to_lowercase();
        offset += word.len();
        if FAILURE_VERBS.contains(&w.as_str()) {
            let trailing = word.len() - word.trim_end_matches(|c: char| !is_word(c)).len();
            return Some(from + offset - trailing);
        }
        if n >= 4 || word.contains(['.', '\n', ';']) {
            break;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lint() -> Lint {
        Lint::built_in().unwrap()
    }

    fn categories(text: &str, causal: bool) -> Vec<String> {
        let names = vec!["Ana".to_string(), "ben".to_string()];
        lint()
            .check(text, &names, causal)
            .into_iter()
            .map(|w| w.category)
            .collect()
    }

    #[test]
    fn blaming_sentences_are_flagged_and_blameless_ones_are_not() {
        let table: [(&str, bool, &[&str]); 12] = [
            (
                "The on-call engineer should have checked the dashboard.",
                false,
                &["counterfactual"],
            ),
            (
                "Human error caused the outage.",
                false,
                &["human error as a cause"],
            ),
            (
                "A careless change went out on Friday.",
                false,
                &["judgement of character"],
            ),
            ("It was their fault.", false, &["blame"]),
            (
                "Someone forgot to renew the certificate.",
                false,
                &["human error as a cause"],
            ),
            (
                "Ana broke the build at 14:02.",
                false,
                &["a person as the subject of a failure"],
            ),
            (
                "The deploy from Ana's branch ran the migration.",
                true,
                &["a person named as a cause"],
            ),
            ("Obviously the cache was stale.", false, &["hindsight"]),
            // Blameless: the system, the condition, what was known.
            (
                "The deploy tool let a migration run without a review.",
                true,
                &[],
            ),
            (
                "The alert fired 20 minutes after the error rate rose.",
                false,
                &[],
            ),
            ("Ana restored the backup at 15:10.", false, &[]),
            (
                "The runbook did not say the certificate expires yearly.",
                true,
                &[],
            ),
        ];
        for (text, causal, want) in table {
            assert_eq!(categories(text, causal), want.to_vec(), "{text}");
        }
    }

    #[test]
    fn severity_follows_the_rule_and_the_section() {
        let l = lint();
        let sev = |text: &str, causal| l.check(text, &[], causal)[0].severity;
        assert_eq!(sev("Human error.", false), Severity::Warn);
        assert_eq!(
            sev("Human error.", true),
            Severity::Error,
            "stricter about causes"
        );
        assert_eq!(sev("A sloppy fix.", false), Severity::Error);
        assert_eq!(sev("Obviously stale.", false), Severity::Info);
        let names = vec!["Ana".to_string()];
        assert_eq!(
            l.check("Ana ran it.", &names, true)[0].severity,
            Severity::Error
        );
    }

    #[test]
    fn a_section_may_skip_phrases_of_its_own() {
        let l = lint();
        let text = "On a Friday it would have failed for hours.";
        assert_eq!(l.check(text, &[], false).len(), 1);
        let skip = vec!["would have".to_string()];
        assert!(l.check_except(text, &[], false, &skip).is_empty());
    }

    #[test]
    fn matches_are_whole_words_and_ignore_case() {
        // 'Blameless' holds 'blame', but not as a word.
        let w = lint().check("SHOULD HAVE known. Blameless is fine.", &[], false);
        assert_eq!(w.len(), 1, "{w:?}");
        assert_eq!(w[0].phrase, "SHOULD HAVE known");
        assert_eq!(w[0].category, "hindsight");
    }

    #[test]
    fn warnings_know_their_line() {
        let w = lint().check("First line.\nThey could have waited.", &[], false);
        assert_eq!(w[0].line, 2);
        assert_eq!(w[0].phrase, "could have");
    }

    #[test]
    fn a_name_that_is_a_word_counts_only_capitalised() {
        let names = vec!["will".to_string()];
        let l = lint();
        assert!(l.check("The job will retry.", &names, true).is_empty());
        assert_eq!(l.check("Will ran the job.", &names, true).len(), 1);
    }

    #[test]
    fn a_teams_own_phrases_extend_the_list() {
        let extra = (
            "blame.toml".to_string(),
            "[[rules]]\ncategory = \"ours\"\nphrases = [\"dropped the ball\"]\nsuggestion = \"Say what happened.\"\n".to_string(),
        );
        let (lint, problems) = Lint::with_extra(&[extra]);
        assert!(problems.is_empty());
        let w = lint.check("We dropped the ball.", &[], false);
        assert_eq!(w[0].category, "ours");
    }
}
