//! Colours and styles. Colour carries meaning (a column at or over its limit,
//! a blocked card); every such meaning is also written as text.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone)]
pub struct Theme {
    pub base: Style,
    pub dim: Style,
    pub title: Style,
    pub tab_active: Style,
    pub tab: Style,
    pub border: Style,
    pub border_selected: Style,
    pub wip_ok: Style,
    pub wip_at_limit: Style,
    pub wip_over: Style,
    pub card_selected: Style,
    pub blocked: Style,
    pub tag: Style,
    pub status_info: Style,
    pub status_warn: Style,
    pub status_error: Style,
    pub banner: Style,
    pub key: Style,
    /// A finished card in the cycle time chart.
    pub dot: Style,
    /// Throughput bars, points remaining, points done.
    pub bar: Style,
    /// The ideal line of a burndown.
    pub ideal: Style,
    /// Points committed, beside points done.
    pub committed: Style,
    /// A sprint's goal.
    pub goal: Style,
    /// A timer with time to spare, near its end, and over.
    pub timer_ok: Style,
    pub timer_near: Style,
    pub timer_over: Style,
    /// Cumulative flow bands, one per column in board order (repeating).
    pub bands: Vec<Style>,
    /// Phrasing the blameless lint warns about.
    pub blame: Style,
    /// How days are written (strftime), from the settings.
    pub date_format: String,
}

impl Default for Theme {
    fn default() -> Self {
        Self {
            base: Style::default(),
            dim: Style::default().fg(Color::DarkGray),
            title: Style::default().add_modifier(Modifier::BOLD),
            tab_active: Style::default()
                .fg(Color::Black)
                .bg(Color::Cyan)
                .add_modifier(Modifier::BOLD),
            tab: Style::default().fg(Color::Gray),
            border: Style::default().fg(Color::DarkGray),
            border_selected: Style::default().fg(Color::Cyan),
            wip_ok: Style::default().fg(Color::Green),
            wip_at_limit: Style::default()
                .fg(Color::Yellow)
                .add_modifier(Modifier::BOLD),
            wip_over: Style::default().fg(Color::Red).add_modifier(Modifier::BOLD),
            card_selected: Style::default().bg(Color::Rgb(40, 60, 90)),
            blocked: Style::default().fg(Color::Red).add_modifier(Modifier::BOLD),
            tag: Style::default().fg(Color::Magenta),
            status_info: Style::default().fg(Color::Green),
            status_warn: Style::default().fg(Color::Yellow),
            status_error: Style::default().fg(Color::Red).add_modifier(Modifier::BOLD),
            banner: Style::default()
                .fg(Color::Black)
                .bg(Color::Yellow)
                .add_modifier(Modifier::BOLD),
            key: Style::default().fg(Color::Cyan),
            dot: Style::default().fg(Color::Cyan),
            bar: Style::default().fg(Color::Blue),
            ideal: Style::default().fg(Color::Yellow),
            committed: Style::default().fg(Color::DarkGray),
            goal: Style::default()
                .fg(Color::LightYellow)
                .add_modifier(Modifier::BOLD),
            timer_ok: Style::default()
                .fg(Color::Green)
                .add_modifier(Modifier::BOLD),
            timer_near: Style::default()
                .fg(Color::Black)
                .bg(Color::Yellow)
                .add_modifier(Modifier::BOLD),
            timer_over: Style::default()
                .fg(Color::White)
                .bg(Color::Red)
                .add_modifier(Modifier::BOLD),
            bands: [
                Color::DarkGray,
                Color::Blue,
                Color::Yellow,
                Color::Magenta,
                Color::Cyan,
                Color::LightRed,
            ]
            .into_iter()
            .map(|c| Style::default().fg(c))
            .collect(),
            blame: Style::default()
                .fg(Color::Yellow)
                .add_modifier(Modifier::UNDERLINED),
            date_format: "%Y-%m-%d".into(),
        }
    }
}

/// A colour as the config file writes it: a name or `#rrggbb`.
pub fn parse_color(text: &str) -> Option<Color> {
    let t = text
        .trim()
        .to_ascii_lowercase()
        .replace(['_', ' ', '-'], "");
    if let Some(hex) = t.strip_prefix('#') {
        if hex.len() != 6 {
            return None;
        }
        let v = u32::from_str_radix(hex, 16).ok()?;
        return Some(Color::Rgb((v >> 16) as u8, (v >> 8) as u8, v as u8));
    }
    Some(match t.as_str() {
        "black" => Color::Black,
        "red" => Color::Red,
        "green" => Color::Green,
        "yellow" => Color::Yellow,
        "blue" => Color::Blue,
        "magenta" => Color::Magenta,
        "cyan" => Color::Cyan,
        "gray" | "grey" => Color::Gray,
        "darkgray" | "darkgrey" => Color::DarkGray,
        "lightred" => Color::LightRed,
        "lightgreen" => Color::LightGreen,
        "lightyellow" => Color::LightYellow,
        "lightblue" => Color::LightBlue,
        "lightmagenta" => Color::LightMagenta,
        "lightcyan" => Color::LightCyan,
        "white" => Color::White,
        _ => return None,
    })
}

impl Theme {
    /// For a light terminal background.
    pub fn light() -> Self {
        let d = Self::default();
        Self {
            dim: Style::default().fg(Color::Gray),
            tab: Style::default().fg(Color::DarkGray),
            border: Style::default().fg(Color::Gray),
            border_selected: Style::default().fg(Color::Blue),
            card_selected: Style::default().bg(Color::Rgb(205, 225, 250)),
            key: Style::default().fg(Color::Blue),
            dot: Style::default().fg(Color::Blue),
            tab_active: Style::default()
                .fg(Color::White)
                .bg(Color::Blue)
                .add_modifier(Modifier::BOLD),
            goal: Style::default()
                .fg(Color::Magenta)
                .add_modifier(Modifier::BOLD),
            status_info: Style::default().fg(Color::Rgb(0, 110, 0)),
            status_warn: Style::default().fg(Color::Rgb(150, 90, 0)),
            wip_ok: Style::default().fg(Color::Rgb(0, 110, 0)),
            ..d
        }
    }

    /// Strong colours and bold text, for low vision or a washed-out screen.
    pub fn high_contrast() -> Self {
        let bold = |c: Color| Style::default().fg(c).add_modifier(Modifier::BOLD);
        let d = Self::default();
        Self {
            base: Style::default().fg(Color::White),
            dim: Style::default().fg(Color::Gray),
            title: bold(Color::White),
            tab: bold(Color::White),
            border: Style::default().fg(Color::White),
            border_selected: bold(Color::LightYellow),
            card_selected: Style::default()
                .fg(Color::Black)
                .bg(Color::LightYellow)
                .add_modifier(Modifier::BOLD),
            key: bold(Color::LightCyan),
            wip_ok: bold(Color::LightGreen),
            wip_at_limit: bold(Color::LightYellow),
            wip_over: bold(Color::LightRed),
            blocked: bold(Color::LightRed),
            status_info: bold(Color::LightGreen),
            status_warn: bold(Color::LightYellow),
            status_error: bold(Color::LightRed),
            ..d
        }
    }

    /// No colour at all (`NO_COLOR`): what colour says is said by text and
    /// by bold, underline and reverse.
    pub fn plain() -> Self {
        let m = |m: Modifier| Style::default().add_modifier(m);
        Self {
            base: Style::default(),
            dim: Style::default(),
            title: m(Modifier::BOLD),
            tab_active: m(Modifier::REVERSED | Modifier::BOLD),
            tab: Style::default(),
            border: Style::default(),
            border_selected: m(Modifier::BOLD),
            wip_ok: Style::default(),
            wip_at_limit: m(Modifier::BOLD),
            wip_over: m(Modifier::BOLD | Modifier::UNDERLINED),
            card_selected: m(Modifier::REVERSED),
            blocked: m(Modifier::BOLD),
            tag: Style::default(),
            status_info: Style::default(),
            status_warn: m(Modifier::BOLD),
            status_error: m(Modifier::BOLD | Modifier::UNDERLINED),
            banner: m(Modifier::REVERSED | Modifier::BOLD),
            key: m(Modifier::BOLD),
            dot: Style::default(),
            bar: Style::default(),
            ideal: m(Modifier::DIM),
            committed: m(Modifier::DIM),
            goal: m(Modifier::BOLD),
            timer_ok: m(Modifier::BOLD),
            timer_near: m(Modifier::REVERSED),
            timer_over: m(Modifier::REVERSED | Modifier::BOLD),
            bands: vec![Style::default()],
            blame: m(Modifier::UNDERLINED),
            date_format: "%Y-%m-%d".into(),
        }
    }

    /// A day as the settings write it.
    pub fn day(&self, d: chrono::NaiveDate) -> String {
        if crate::config::valid_date_format(&self.date_format) {
            d.format(&self.date_format).to_string()
        } else {
            d.to_string()
        }
    }

    /// The theme the settings ask for; `NO_COLOR` wins over them. Returns
    /// the colours it could not use.
    pub fn from_config(config: &crate::config::Config, no_color: bool) -> (Self, Vec<String>) {
        use crate::config::ThemeName;
        let mut theme = match config.theme {
            _ if no_color => Self::plain(),
            ThemeName::Dark => Self::default(),
            ThemeName::Light => Self::light(),
            ThemeName::HighContrast => Self::high_contrast(),
        };
        theme.date_format = config.date_format.clone();
        if no_color {
            return (theme, Vec::new());
        }
        let mut problems = Vec::new();
        for (name, (value, line)) in &config.colors {
            let Some(color) = parse_color(value) else {
                problems.push(format!(
                    "line {line}: colors.{name}: \"{value}\" is not a colour (a name or \"#rrggbb\")"
                ));
                continue;
            };
            let fg = |s: Style| s.fg(color);
            match name.as_str() {
                "text" => theme.base = fg(theme.base),
                "dim" => theme.dim = fg(theme.dim),
                "title" => theme.title = fg(theme.title),
                "border" => theme.border = fg(theme.border),
                "border_selected" => theme.border_selected = fg(theme.border_selected),
                "selected" => theme.card_selected = theme.card_selected.bg(color),
                "key" => theme.key = fg(theme.key),
                "ok" => theme.wip_ok = fg(theme.wip_ok),
                "at_limit" => theme.wip_at_limit = fg(theme.wip_at_limit),
                "over_limit" => theme.wip_over = fg(theme.wip_over),
                "blocked" => theme.blocked = fg(theme.blocked),
                "tag" => theme.tag = fg(theme.tag),
                "info" => theme.status_info = fg(theme.status_info),
                "warn" => theme.status_warn = fg(theme.status_warn),
                "error" => theme.status_error = fg(theme.status_error),
                "tab_active" => theme.tab_active = theme.tab_active.bg(color),
                _ => problems.push(format!("line {line}: colors.{name}: no such colour to set")),
            }
        }
        (theme, problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_parse_by_name_and_hex() {
        assert_eq!(parse_color("Light Cyan"), Some(Color::LightCyan));
        assert_eq!(parse_color("#28405a"), Some(Color::Rgb(0x28, 0x40, 0x5a)));
        assert_eq!(parse_color("#2840"), None);
        assert_eq!(parse_color("mauve"), None);
    }

    #[test]
    fn no_color_has_no_colour_and_the_settings_change_single_ones() {
        let plain = Theme::plain();
        let styles = [
            plain.base,
            plain.dim,
            plain.wip_over,
            plain.card_selected,
            plain.status_error,
            plain.tab_active,
        ];
        assert!(styles.iter().all(|s| s.fg.is_none() && s.bg.is_none()));
        let (config, _) = crate::config::parse(
            "theme = \"light\"\n[colors]\nborder_selected = \"magenta\"\nnope = \"red\"\nkey = \"mauve\"\n",
        );
        let (theme, problems) = Theme::from_config(&config, false);
        assert_eq!(theme.border_selected.fg, Some(Color::Magenta));
        assert_eq!(theme.card_selected, Theme::light().card_selected);
        assert_eq!(problems.len(), 2, "{problems:?}");
        let (theme, _) = Theme::from_config(&config, true);
        assert_eq!(theme.border_selected.fg, None, "NO_COLOR wins");
    }
}
