//! Text from the database made safe and measured for the terminal.

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

pub use crate::domain::text::{sanitize, sanitize_lines};

/// Display width in terminal cells.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Cuts `s` to at most `max` cells, ending with `…` when it was cut.
pub fn fit(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    // Cut between graphemes, never inside one (a letter and its accent,
    // a flag's two halves).
    let mut out = String::new();
    let mut used = 0;
    for g in s.graphemes(true) {
        let w = width(g);
        if used + w > max - 1 {
            break;
        }
        out.push_str(g);
        used += w;
    }
    out.push('…');
    out
}

/// Sanitised and cut to `max` cells.
pub fn safe_fit(s: &str, max: usize) -> String {
    fit(&sanitize(s), max)
}

/// A duration in days as every screen shows it: one decimal and a `d`.
pub fn days(d: f64) -> String {
    format!("{d:.1}d")
}

/// `s` followed by spaces up to `cells` terminal cells (wide characters count twice).
pub fn pad(s: &str, cells: usize) -> String {
    format!("{s}{}", " ".repeat(cells.saturating_sub(width(s))))
}

/// Where `text` breaks into lines of at most `max` cells: byte ranges of
/// `text`, one per line shown. Breaks at newlines and between words; a word
/// longer than a line is cut.
pub fn wrap(text: &str, max: usize) -> Vec<(usize, usize)> {
    let max = max.max(1);
    let mut out = Vec::new();
    let mut line_start = 0;
    for line in text.split('\n') {
        let base = line_start;
        line_start += line.len() + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        let (mut start, mut used) = (0usize, 0usize);
        // The last place a break may go: after a space.
        let mut space: Option<(usize, usize)> = None;
        for (i, c) in line.char_indices() {
            let w = UnicodeWidthChar::width(c).unwrap_or(0);
            // A space may hang past the edge: the break goes after it.
            if c != ' ' && used + w > max && i > start {
                match space.filter(|(at, _)| *at > start) {
                    Some((at, width_before)) => {
                        out.push((base + start, base + at));
                        start = at;
                        used -= width_before;
                    }
                    None => {
                        out.push((base + start, base + i));
                        start = i;
                        used = 0;
                    }
                }
                space = None;
            }
            used += w;
            if c == ' ' {
                space = Some((i + 1, used));
            }
        }
        out.push((base + start, base + line.len()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_between_words_and_keeps_offsets() {
        let text = "the deploy tool ran\nit";
        let lines: Vec<&str> = wrap(text, 10).iter().map(|(s, e)| &text[*s..*e]).collect();
        assert_eq!(lines, ["the deploy ", "tool ran", "it"]);
        let long = "abcdefghij";
        let lines: Vec<&str> = wrap(long, 4).iter().map(|(s, e)| &long[*s..*e]).collect();
        assert_eq!(lines, ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 5), [(0, 0)]);
    }

    #[test]
    fn fit_counts_cells_not_bytes() {
        assert_eq!(fit("hello", 10), "hello");
        assert_eq!(fit("hello world", 6), "hello…");
        // Each CJK character is two cells wide.
        let cut = fit("日本語のタイトル", 7);
        assert_eq!(cut, "日本語…");
        assert!(width(&cut) <= 7);
        assert_eq!(width(&fit("🚀🚀🚀🚀", 5)), 5);
    }
}
