//! Text people wrote, made safe for where it goes: the database (one clean
//! line, or clean lines), a terminal (no escape sequence, no reordering),
//! JSON that may be printed on one, and Markdown (no live link, image or
//! HTML). Every title, name, screen, command and export goes through these,
//! so there is one rule for each.

use std::borrow::Cow;

use super::DomainError;

/// Bidirectional controls: they reorder what the reader sees.
fn is_bidi(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Is `c` something that must not reach the terminal raw? Control
/// characters (C0, DEL and C1: a lone U+009B starts an escape sequence on
/// some terminals), bidirectional controls, and the line and paragraph
/// separators.
fn is_unsafe(c: char) -> bool {
    c.is_control() || is_bidi(c) || matches!(c, '\u{2028}' | '\u{2029}')
}

/// Characters that join or restyle emoji: the zero-width joiner, the text
/// and emoji presentation selectors, and the skin-tone modifiers.
/// Terminals disagree on how wide such a sequence is (one emoji, or each
/// part drawn apart), so on a terminal they are left out: what remains is
/// drawn the same width everywhere, and the layout measured for it holds.
fn is_joiner(c: char) -> bool {
    matches!(
        c,
        '\u{200D}' | '\u{FE0E}' | '\u{FE0F}' | '\u{1F3FB}'..='\u{1F3FF}'
    )
}

/// One line of text as it is kept: bidirectional controls (overrides,
/// embeddings, isolates and marks) are dropped, control characters (tabs,
/// line breaks, ESC, C1) become spaces, runs of white space become one
/// space, and the ends are trimmed. Every title, name, topic and reason
/// typed on one line goes through this before it is checked and stored, so
/// nothing stored can carry an escape sequence or reorder what is drawn.
pub fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text
        .chars()
        .filter(|c| !is_bidi(*c))
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// [`one_line`], refused when it is left empty or longer than `max`
/// characters; `what` names it in the refusal ("a title has 1 to 120
/// characters").
pub fn one_line_within(text: &str, what: &str, max: usize) -> Result<String, DomainError> {
    let t = one_line(text);
    if t.is_empty() || t.chars().count() > max {
        return Err(DomainError::Invalid(format!(
            "{what} has 1 to {max} characters"
        )));
    }
    Ok(t)
}

/// Several lines of text as they are kept (a description, a section, an
/// answer): unlike [`one_line`] the line breaks stay (`\r\n` and a lone
/// `\r` become `\n`) and so do the spaces within a line, since the writer
/// laid them out; bidirectional controls are dropped and other control
/// characters (a tab, ESC, C1) become spaces, as on one line. The end is
/// trimmed.
pub fn lines(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|c| !is_bidi(*c))
        .map(|c| if c.is_control() && c != '\n' { ' ' } else { c })
        .collect::<String>()
        .trim_end()
        .to_string()
}

/// Makes one line of text harmless and measurable for a terminal: control
/// characters (ESC included) become visible symbols, so escape sequences
/// can never reach the terminal raw; bidirectional controls become `�`;
/// emoji joiners are left out (see [`is_joiner`]).
///
/// It differs from [`one_line`] on purpose: it runs on whatever reaches the
/// screen (text stored before [`one_line`] was the rule, an import, a
/// message quoting what was typed), and there a planted control is shown as
/// a mark, not silently removed, and nothing is trimmed or joined, so the
/// layout measured for the text is the one drawn.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| is_unsafe(c) || is_joiner(c)) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .filter(|c| !is_joiner(*c))
            .map(|c| match c {
                '\t' => ' ',
                '\u{0}'..='\u{1F}' => char::from_u32(0x2400 + c as u32).unwrap_or('�'),
                '\u{7F}' => '␡',
                c if is_unsafe(c) => '�',
                c => c,
            })
            .collect(),
    )
}

/// Lines of text made harmless one by one; the line breaks stay.
pub fn sanitize_lines(s: &str) -> Cow<'_, str> {
    if !s
        .chars()
        .any(|c| c != '\n' && (is_unsafe(c) || is_joiner(c)))
    {
        return Cow::Borrowed(s);
    }
    let lines: Vec<Cow<'_, str>> = s.split('\n').map(sanitize).collect();
    Cow::Owned(lines.join("\n"))
}

/// JSON text that is safe to print on a terminal and still the same JSON:
/// every character a terminal could act on is written as a `\uXXXX`
/// escape. JSON's own syntax is ASCII, so such a character can only be
/// inside a string, where the escape means the same character.
pub fn json_for_terminal(json: &str) -> Cow<'_, str> {
    let escaped = |c: char| c != '\n' && (is_unsafe(c) || is_joiner(c));
    if !json.chars().any(escaped) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if escaped(c) {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{u:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `n` and the noun, singular or plural: "1 card", "2 cards".
pub fn count(n: impl Into<u64>, noun: &str) -> String {
    let n = n.into();
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// Whether a run of text (between white space) holds something a
/// Markdown renderer turns into a link by itself: a scheme, a `www.` host,
/// an e-mail address.
fn looks_like_link(run: &str) -> bool {
    let w = run.to_lowercase();
    [
        "://",
        "www.",
        "mailto:",
        "javascript:",
        "data:",
        "file:",
        "tel:",
    ]
    .iter()
    .any(|p| w.contains(p))
        || w.split_once('@')
            .is_some_and(|(_, host)| host.contains('.'))
}

/// A run that would become a link, shown as code (never a link); the
/// backticks it holds become quotes, and a `|` is escaped (in a table, a
/// bare one would end the cell, and the code span with it).
fn as_code(run: &str) -> String {
    format!("`{}`", run.replace('`', "'").replace('|', "\\|"))
}

/// One line of text that may hold Markdown, HTML or table syntax, made
/// literal: nothing in it becomes a link, an image, HTML or structure.
pub fn markdown_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.is_empty() {
            return;
        }
        if looks_like_link(run) {
            out.push_str(&as_code(&sanitize(run)));
        } else {
            for c in run.chars() {
                match c {
                    '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' | '!' | '~' => {
                        out.push('\\');
                        out.push(c);
                    }
                    '<' => out.push_str("&lt;"),
                    '>' => out.push_str("&gt;"),
                    '&' => out.push_str("&amp;"),
                    c if is_unsafe(c) => {}
                    c => out.push(c),
                }
            }
        }
        run.clear();
    };
    for c in text.chars() {
        if c.is_whitespace() {
            flush(&mut run, &mut out);
            out.push(if c == '\n' || c == '\r' || is_unsafe(c) {
                ' '
            } else {
                c
            });
        } else {
            run.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// Several lines of prose as written: line breaks and list markers kept
/// (lists stay lists), but no link, image or HTML, and nothing that would
/// break the document's structure (a line that starts a heading, a quote
/// or a rule).
pub fn markdown_block(text: &str) -> String {
    let mut out = String::new();
    for line in text.trim_end().lines() {
        let line = line.trim_end();
        let lead = line.len() - line.trim_start().len();
        let (indent, rest) = line.split_at(lead);
        out.push_str(indent);
        // A list item keeps its marker; the rest of the line is text.
        let (marker, rest) = match rest.split_once(' ') {
            Some((m, r)) if matches!(m, "-" | "*" | "+") || is_ordinal(m) => (m, r),
            _ => ("", rest),
        };
        if !marker.is_empty() {
            out.push_str(&marker.replace('*', "-"));
            out.push(' ');
        }
        if rest.starts_with(['=', '-', '+']) {
            out.push('\\');
        }
        out.push_str(&markdown_inline(rest));
        out.push('\n');
    }
    out
}

/// `1.` or `12)`: an ordered list's marker.
fn is_ordinal(word: &str) -> bool {
    let digits = word.trim_end_matches(['.', ')']);
    digits.len() + 1 == word.len()
        && !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit())
}

/// What every Markdown export says of the text people wrote in it.
pub const MARKDOWN_NOTE: &str =
    "Text people wrote is shown as text: links, images and HTML in it are not live.";

/// A Markdown document with [`MARKDOWN_NOTE`] at its end.
pub fn with_markdown_note(doc: String) -> String {
    format!("{}\n\n_{MARKDOWN_NOTE}_\n", doc.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_become_visible() {
        let s = sanitize("a\u{1b}[31mred\u{7}");
        assert!(!s.contains('\u{1b}'));
        assert_eq!(s, "a␛[31mred␇");
        assert_eq!(sanitize("\u{202E}evil"), "�evil");
        assert_eq!(sanitize("c1 \u{9b}2J"), "c1 �2J");
        assert!(matches!(sanitize("plain"), Cow::Borrowed(_)));
        assert_eq!(sanitize_lines("one\u{1b}\ntwo"), "one␛\ntwo");
    }

    /// What someone may plant in a line: an escape sequence that clears the
    /// screen, a right-to-left override, an isolate, a tab and a line break.
    const PLANTED: &str = "\u{202E}evil\u{1b}[2J\tand\u{2067}more\nlines\u{2069} ";

    fn harmless(s: &str) -> bool {
        !s.chars()
            .any(|c| is_bidi(c) || c == '\u{1b}' || c.is_control())
    }

    #[test]
    fn one_line_drops_bidi_controls_and_spaces_out_control_characters() {
        assert_eq!(one_line(PLANTED), "evil [2J andmore lines");
        assert_eq!(one_line("  Fix   login\r\n"), "Fix login");
        assert_eq!(one_line("c1\u{9b}2J \u{061C}\u{200F}x"), "c1 2J x");
        assert_eq!(one_line("👩‍👩‍👧 日本"), "👩‍👩‍👧 日本", "joiners are kept");
        assert!(one_line_within(" \u{202E} ", "a title", 10).is_err());
        assert_eq!(
            one_line_within("x".repeat(11).as_str(), "a title", 10)
                .unwrap_err()
                .to_string(),
            "a title has 1 to 10 characters"
        );
        let kept = lines("Step one\r\n\u{202E}\u{1b}[31mstep  two\rthree\n\n");
        assert_eq!(kept, "Step one\n [31mstep  two\nthree");
        assert!(kept.split('\n').all(harmless), "{kept:?}");
    }

    /// Every one-line text a person types, wherever it is checked, loses a
    /// planted bidi override and escape sequence before it is kept; every
    /// text shown (a status message, a command's output) loses them before
    /// it is drawn.
    #[test]
    fn every_kind_of_typed_line_loses_planted_controls() {
        use crate::domain::{board, card, mortem, pulse, retro, sprint, standup};
        let kept: Vec<(&str, String)> = vec![
            ("card title", card::validate_title(PLANTED).unwrap()),
            ("assignee", card::normalize_assignee(PLANTED).unwrap()),
            ("tags", card::parse_tags(PLANTED).join(" ")),
            ("column name", board::validate_column_name(PLANTED).unwrap()),
            ("sprint name", sprint::validate_name(PLANTED).unwrap()),
            ("sprint goal", sprint::validate_goal(PLANTED).unwrap()),
            ("retro card", retro::validate_card(PLANTED).unwrap()),
            ("pulse title", pulse::validate_title(PLANTED).unwrap()),
            ("mortem title", mortem::validate_title(PLANTED).unwrap()),
            (
                "timeline entry",
                mortem::parse_timeline(&format!("14:02 {PLANTED}"), chrono::NaiveDate::MIN)
                    .unwrap()
                    .1,
            ),
            (
                "standup topic",
                standup::validate_text(PLANTED, "topic", 200).unwrap(),
            ),
        ];
        for (what, text) in &kept {
            assert!(harmless(text), "{what}: {text:?}");
            assert!(
                text.contains("evil") && text.contains("more"),
                "{what}: {text:?}"
            );
        }
        let multi: Vec<(&str, String)> = vec![
            ("description", card::validate_description(PLANTED).unwrap()),
            ("section", mortem::validate_section(PLANTED).unwrap()),
            ("answer", pulse::validate_comment(PLANTED).unwrap().unwrap()),
        ];
        for (what, text) in &multi {
            assert!(text.split('\n').all(harmless), "{what}: {text:?}");
        }
        // Shown: a status message quoting what was typed, a command's line
        // of output, and its JSON.
        let status = format!("Added \"{PLANTED}\" to To Do");
        assert!(harmless(&sanitize(&status)), "{}", sanitize(&status));
        assert!(
            sanitize_lines(&format!("#12 {PLANTED}\n#13 x"))
                .split('\n')
                .all(harmless)
        );
        let json = serde_json::to_string(&PLANTED).unwrap();
        assert!(harmless(&json_for_terminal(&json)));
        assert!(
            !markdown_inline(PLANTED)
                .chars()
                .any(|c| is_bidi(c) || c == '\u{1b}')
        );
    }

    #[test]
    fn emoji_sequences_are_drawn_as_wide_as_they_are_measured() {
        use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
        for s in ["👩‍👩‍👧", "👍🏽", "❤️", "🏳️‍🌈", "🇫🇷", "e\u{301}", "日本"]
        {
            let shown = sanitize(s);
            let by_char: usize = shown.chars().map(|c| c.width().unwrap_or(0)).sum();
            // No sequence is left whose width a terminal could take otherwise.
            assert_eq!(shown.width(), by_char, "{s} -> {shown}");
        }
        assert_eq!(sanitize("👩‍👩‍👧"), "👩👩👧");
    }

    #[test]
    fn json_keeps_its_meaning_and_loses_its_teeth() {
        let text = "a\u{9b}b\u{202e}c\u{7f}d 😀 👩‍👩‍👧";
        let json = serde_json::to_string(&text).unwrap();
        let safe = json_for_terminal(&json);
        assert!(
            safe.chars().all(|c| !is_unsafe(c) && !is_joiner(c)),
            "{safe}"
        );
        assert_eq!(serde_json::from_str::<String>(&safe).unwrap(), text);
        assert!(safe.contains("\\u009b") && safe.contains("\\u202e"));
    }

    #[test]
    fn markdown_has_no_live_link_image_or_html() {
        let evil = "see [x](javascript:alert(1)) ![](https://evil.example/t.png) <img src=x> www.evil.example";
        let md = markdown_inline(evil);
        // Outside code spans (which never render as links) nothing is live.
        let outside: String = md.split('`').step_by(2).collect();
        for live in ["](", "![", "<img", "www.", "https://"] {
            assert!(!outside.contains(live), "{live} in {md}");
        }
        assert!(md.contains("`[x](javascript:alert(1))`"), "{md}");
        assert!(md.contains("`www.evil.example`"), "{md}");
        // Links hidden behind punctuation, quotes, a no-break space or an
        // address are code too.
        for sly in [
            "Click here,https://evil.example/login",
            "ask \"https://evil.example/x\"",
            "*www.evil.example*",
            "x\u{a0}https://evil.example",
            "mail bob@evil.example now",
            "(ref https://wiki.example/|![](https://evil.example/p.png)|[x](https://evil.example))",
        ] {
            let md = markdown_inline(sly);
            let outside: String = md.split('`').step_by(2).collect();
            for live in ["https://", "www.", "@evil"] {
                assert!(!outside.contains(live), "{live} live in {md}");
            }
            // In a table a bare | would end the cell and the code span.
            assert!(!md.replace("\\|", "").contains('|'), "{md}");
        }
        let block = markdown_block(
            "# Not a heading\n- a list item\n1. first\n> no quote\n<script>x</script>",
        );
        assert!(block.starts_with("\\# Not"), "{block}");
        assert!(block.contains("\n- a list item\n1. first\n"), "{block}");
        assert!(!block.contains("<script"), "{block}");
        assert!(block.contains("&gt; no quote"), "{block}");
    }
}
