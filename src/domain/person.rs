//! Who someone is, as teamloop records it: the name they act under, and the
//! one form of it that ballots, answer sets and respondent lists compare, so
//! that `Ana`, ` ana ` and `ａｎａ` are one person and a name padded with an
//! invisible character is not a second one.

use unicode_normalization::UnicodeNormalization;

use super::DomainError;

/// The longest name, in characters.
pub const MAX_NAME: usize = 64;

/// Characters that draw nothing (or reorder what is drawn): format
/// characters such as zero-width spaces and joiners, bidirectional controls,
/// the byte-order mark, variation selectors and tag characters. A name
/// holding one could look like someone else's.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}'
        | '\u{2800}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}'
        | '\u{FFF0}'..='\u{FFFB}'
        | '\u{1BCA0}'..='\u{1BCA3}'
        | '\u{1D159}' | '\u{1D173}'..='\u{1D17A}'
        | '\u{E0000}'..='\u{E0FFF}')
}

/// A name as typed with `--user` (or the login name): trimmed, runs of
/// spaces made one, 1 to [`MAX_NAME`] characters, nothing invisible and no
/// control characters. The name is recorded as given here.
///
/// Unlike a title, which [`super::text::one_line`] cleans, a name holding
/// such a character is refused rather than cleaned: a name says who acted,
/// and one cleaned silently could become someone else's.
pub fn validate_name(name: &str) -> Result<String, DomainError> {
    if let Some(c) = name.chars().find(|c| c.is_control() || is_invisible(*c)) {
        return Err(DomainError::Invalid(format!(
            "a name cannot hold U+{:04X}, a character that cannot be seen",
            c as u32
        )));
    }
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    let n = name.chars().count();
    if n == 0 || n > MAX_NAME {
        return Err(DomainError::Invalid(format!(
            "a name has 1 to {MAX_NAME} characters"
        )));
    }
    Ok(name)
}

/// The form in which two names are the same person: compatibility
/// normalised (full-width letters, ligatures), lower case, invisible
/// characters dropped, spaces collapsed.
pub fn fold(name: &str) -> String {
    let folded: String = name
        .nfkc()
        .filter(|c| !is_invisible(*c) && !c.is_control())
        .collect::<String>()
        .to_lowercase();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_person_however_the_name_is_typed() {
        assert_eq!(fold("Alice"), "alice");
        assert_eq!(fold("  alice  "), "alice");
        assert_eq!(fold("alice\u{200B}"), "alice");
        assert_eq!(fold("ａｌｉｃｅ"), "alice");
        assert_eq!(fold("Ana  María"), "ana maría");
        // Composed and decomposed accents are one letter.
        assert_eq!(fold("Mari\u{0301}a"), fold("María"));
    }

    #[test]
    fn names_that_cannot_be_told_apart_are_refused() {
        assert!(validate_name("alice\u{200B}").is_err());
        assert!(validate_name("vera\u{2800}").is_err(), "braille blank");
        assert!(validate_name("\u{202E}ecila").is_err());
        assert!(validate_name("bob\u{1b}[2J").is_err());
        assert!(validate_name("   ").is_err());
        assert!(validate_name(&"a".repeat(MAX_NAME + 1)).is_err());
        assert_eq!(
            validate_name(&"a".repeat(MAX_NAME)).unwrap().len(),
            MAX_NAME
        );
        assert_eq!(validate_name("  Ana   María ").unwrap(), "Ana María");
        assert_eq!(validate_name("李雷").unwrap(), "李雷");
    }
}
