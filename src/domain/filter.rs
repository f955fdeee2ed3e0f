//! The board filter typed after `/`: `@name` matches the assignee, `#tag` a
//! tag, any other word the title, assignee or tags. All terms must match.

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CardFilter {
    pub words: Vec<String>,
    pub assignees: Vec<String>,
    pub tags: Vec<String>,
}

impl CardFilter {
    pub fn parse(text: &str) -> Self {
        let mut f = CardFilter::default();
        for term in text.split_whitespace() {
            let lower = term.to_lowercase();
            if let Some(a) = lower.strip_prefix('@') {
                if !a.is_empty() {
                    f.assignees.push(a.to_string());
                }
            } else if let Some(t) = lower.strip_prefix('#') {
                if !t.is_empty() {
                    f.tags.push(t.to_string());
                }
            } else {
                f.words.push(lower);
            }
        }
        f
    }

    /// Like [`parse`](Self::parse), with `@me` standing for `me`.
    pub fn parse_for(text: &str, me: &str) -> Self {
        let mut f = Self::parse(text);
        for a in &mut f.assignees {
            if a == "me" {
                *a = me.to_lowercase();
            }
        }
        f
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty() && self.assignees.is_empty() && self.tags.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_kind_of_term() {
        let f = CardFilter::parse(" @Ana #bug Login  @ # ");
        assert_eq!(f.assignees, vec!["ana"]);
        assert_eq!(f.tags, vec!["bug"]);
        assert_eq!(f.words, vec!["login"]);
        assert!(CardFilter::parse("   ").is_empty());
        assert_eq!(CardFilter::parse_for("@me", "Ana").assignees, vec!["ana"]);
    }
}
