//! The Mortems tab: the list of pre- and post-mortems (searchable), and the
//! selected one as a document whose parts take the keys. A post-mortem
//! shows its blame warnings where they are; a pre-mortem its hidden count
//! of reasons, then the reasons read one by one, ranked, placed on a
//! likelihood × impact matrix, with their mitigations.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::domain::mortem::lint::{Severity, Warning};
use crate::domain::mortem::{
    CardState, MortemAction, MortemKind, MortemReport, Stage, band, matrix,
};
use crate::ui::action::Command;
use crate::ui::keymap::key_for;
use crate::ui::screens::flow::panel;
use crate::ui::state::{AppState, MortemData, MortemTabState, Part};
use crate::ui::text::{pad, safe_fit, sanitize, width, wrap};
use crate::ui::theme::Theme;

mod premortem;

use premortem::premortem;

/// The tab in the frame's body, as the tab registry draws it.
pub fn draw(frame: &mut Frame, area: Rect, state: &AppState, hint: &str, theme: &Theme) {
    let reader = Reader {
        me: &state.actor,
        key: &|cmd| key_for(state, cmd),
    };
    render(frame, area, &state.mortem, &reader, hint, theme);
}

/// Who reads the tab: their name, and their key for a command, from the
/// live keymap, for the lines that name one.
pub struct Reader<'a> {
    pub me: &'a str,
    pub key: &'a dyn Fn(Command) -> String,
}

pub fn render(
    frame: &mut Frame,
    area: Rect,
    st: &MortemTabState,
    reader: &Reader,
    hint: &str,
    theme: &Theme,
) {
    let Some(data) = st.data.as_deref() else {
        frame.render_widget(Paragraph::new("Loading…").style(theme.dim), area);
        return;
    };
    let [top, hints] = Layout::vertical([Constraint::Min(0), Constraint::Length(1)]).areas(area);
    let list_w = (top.width / 3).clamp(26, 44);
    let [list, doc] =
        Layout::horizontal([Constraint::Length(list_w), Constraint::Min(0)]).areas(top);
    render_list(frame, list, st, data, reader, theme);
    render_document(frame, doc, st, data, reader, theme);
    frame.render_widget(Paragraph::new(hint).style(theme.key), hints);
}

fn render_list(
    frame: &mut Frame,
    area: Rect,
    st: &MortemTabState,
    data: &MortemData,
    reader: &Reader,
    theme: &Theme,
) {
    let key = reader.key;
    let title = if st.search.is_empty() {
        format!("Mortems · {}", data.list.len())
    } else {
        format!("{} matching \"{}\"", data.list.len(), st.search)
    };
    let block = panel(title, theme).border_style(if st.reading {
        theme.border
    } else {
        theme.border_selected
    });
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if data.list.is_empty() {
        let text = if st.search.is_empty() {
            format!(
                "None yet. {} starts one: a blameless post-mortem after an incident, or a pre-mortem before risky work.",
                key(Command::NewMortem)
            )
        } else {
            format!(
                "Nothing matches. {} clears the search.",
                key(Command::ClearFilter)
            )
        };
        frame.render_widget(
            Paragraph::new(text)
                .style(theme.dim)
                .wrap(Wrap { trim: true }),
            inner,
        );
        return;
    }
    let w = inner.width as usize;
    let mut lines = Vec::new();
    for (i, l) in data.list.iter().enumerate() {
        let m = &l.mortem;
        let style = if i == st.row {
            theme.card_selected
        } else {
            Style::default()
        };
        lines.push(Line::from(Span::styled(
            pad(&safe_fit(&m.title, w), w),
            style.patch(theme.title),
        )));
        let actions = match (l.actions, l.open_actions) {
            (0, _) => String::new(),
            (_, 0) => " · actions done".to_string(),
            (_, n) => format!(" · {n} open"),
        };
        lines.push(Line::from(Span::styled(
            pad(
                &safe_fit(
                    &format!(
                        "  {} · {} · {}{actions}",
                        m.kind.as_str(),
                        theme.day(m.date),
                        m.state_label()
                    ),
                    w,
                ),
                w,
            ),
            if i == st.row { style } else { theme.dim },
        )));
    }
    let first = (st.row * 2 + 2).saturating_sub(inner.height as usize);
    frame.render_widget(Paragraph::new(lines).scroll((first as u16, 0)), inner);
}

/// The document's lines, and where each part starts.
struct Doc {
    lines: Vec<Line<'static>>,
    starts: Vec<(Part, usize)>,
    width: usize,
}

impl Doc {
    /// A line, wrapped to the width; what does not fit goes on under the
    /// line's own indentation.
    fn push(&mut self, line: Line<'static>) {
        let hang = line
            .spans
            .first()
            .map_or(0, |s| s.content.len() - s.content.trim_start().len());
        self.push_hanging(line, hang);
    }

    fn push_hanging(&mut self, line: Line<'static>, hang: usize) {
        let style = line.style;
        for l in wrap_spans(line.spans, self.width, hang) {
            self.lines.push(l.style(style));
        }
    }

    fn blank(&mut self) {
        self.lines.push(Line::default());
    }

    /// The document's title: its first part.
    fn title(&mut self, title: &str, selected: bool, theme: &Theme) {
        self.head(
            Part::Title,
            selected,
            vec![Span::styled(sanitize(title).into_owned(), theme.title)],
            theme,
        );
    }

    /// A heading of the document after a blank line, with a hint beside it.
    fn heading(&mut self, title: &str, hint: &str, theme: &Theme) {
        self.blank();
        self.push(Line::from(vec![
            Span::styled(title.to_string(), theme.title),
            Span::styled(format!("  {hint}"), theme.dim),
        ]));
    }

    fn mark(&mut self, part: Part) {
        self.starts.push((part, self.lines.len()));
    }

    /// A heading line of a part: highlighted when selected.
    fn head(&mut self, part: Part, selected: bool, spans: Vec<Span<'static>>, theme: &Theme) {
        self.head_hanging(part, selected, spans, None, theme);
    }

    /// The same, its wrapped lines under column `hang`.
    fn head_hanging(
        &mut self,
        part: Part,
        selected: bool,
        spans: Vec<Span<'static>>,
        hang: Option<usize>,
        theme: &Theme,
    ) {
        self.mark(part);
        let first = self.lines.len();
        let line = Line::from(spans);
        match hang {
            Some(h) => self.push_hanging(line, h),
            None => self.push(line),
        }
        if selected {
            for l in &mut self.lines[first..] {
                let used: usize = l.spans.iter().map(|s| width(&s.content)).sum();
                l.spans
                    .push(Span::raw(" ".repeat(self.width.saturating_sub(used))));
                l.style = theme.card_selected;
            }
        }
    }

    /// Wrapped text with the warnings' phrases marked; a list item's
    /// wrapped lines stay under its text.
    fn text(&mut self, text: &str, warnings: &[Warning], indent: usize, theme: &Theme) {
        let room = self.width.saturating_sub(indent).max(10);
        for (s, e, hang) in wrap_list(text, room) {
            let mut spans = vec![Span::raw(" ".repeat(indent + hang))];
            let mut at = s;
            let mut cuts: Vec<(usize, usize)> = warnings
                .iter()
                .filter(|w| w.start < e && w.end > s)
                .map(|w| (w.start.max(s), w.end.min(e)))
                .collect();
            cuts.sort_unstable();
            for (ws, we) in cuts {
                if ws < at {
                    continue;
                }
                if ws > at {
                    spans.push(Span::raw(sanitize(&text[at..ws]).into_owned()));
                }
                spans.push(Span::styled(
                    sanitize(&text[ws..we]).into_owned(),
                    theme.blame,
                ));
                at = we;
            }
            if at < e {
                spans.push(Span::raw(sanitize(&text[at..e]).into_owned()));
            }
            self.push(Line::from(spans));
        }
    }
}

/// Where `text` breaks into lines of `max` cells, as `wrap` does, with how
/// far each line hangs: a list item's ("- ", "* ") wrapped lines go under
/// its text.
fn wrap_list(text: &str, max: usize) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    let mut base = 0;
    for line in text.split('\n') {
        let lead = line.len() - line.trim_start().len();
        let bullet = ["- ", "* ", "• "]
            .iter()
            .find(|b| line[lead..].starts_with(*b))
            .map_or(0, |b| lead + b.chars().count());
        let (s0, e0) = wrap(line, max)[0];
        out.push((base + s0, base + e0, 0));
        let rest = &line[e0..];
        if !rest.is_empty() {
            for (s, e) in wrap(rest, max.saturating_sub(bullet).max(8)) {
                let skip = rest[s..e].len() - rest[s..e].trim_start().len();
                out.push((base + e0 + s + skip, base + e0 + e, bullet));
            }
        }
        base += line.len() + 1;
    }
    out
}

/// Spans cut into lines of `max` cells, between words where possible; the
/// lines after the first start with `hang` spaces. Styles are kept.
fn wrap_spans(spans: Vec<Span<'static>>, max: usize, hang: usize) -> Vec<Line<'static>> {
    let text: String = spans.iter().map(|s| s.content.as_ref()).collect();
    if width(&text) <= max || max <= hang + 8 {
        return vec![Line::from(spans)];
    }
    // Where each span starts in the joined text.
    let mut bounds = Vec::with_capacity(spans.len());
    let mut at = 0;
    for s in &spans {
        bounds.push((at, at + s.content.len(), s.style));
        at += s.content.len();
    }
    let first = wrap(&text, max);
    let (s0, e0) = first[0];
    let mut ranges = vec![(s0, e0)];
    // The rest, wrapped again to the room left after the hang.
    let rest_start = e0;
    for (s, e) in wrap(&text[rest_start..], max - hang) {
        ranges.push((rest_start + s, rest_start + e));
    }
    ranges
        .into_iter()
        .enumerate()
        .filter(|(i, (s, e))| *i == 0 || s < e)
        .map(|(i, (s, e))| {
            let mut out = Vec::new();
            if i > 0 {
                out.push(Span::raw(" ".repeat(hang)));
            }
            for &(bs, be, style) in &bounds {
                let (from, to) = (bs.max(s), be.min(e));
                if from < to {
                    let piece = &text[from..to];
                    let piece = if i > 0 && from == s {
                        piece.trim_start()
                    } else {
                        piece
                    };
                    out.push(Span::styled(piece.to_string(), style));
                }
            }
            Line::from(out)
        })
        .collect()
}

fn render_document(
    frame: &mut Frame,
    area: Rect,
    st: &MortemTabState,
    data: &MortemData,
    reader: &Reader,
    theme: &Theme,
) {
    let Some(r) = &data.report else {
        let block = panel("Nothing selected".into(), theme);
        frame.render_widget(block, area);
        return;
    };
    let title = match r.mortem.kind {
        MortemKind::Post => format!("Post-mortem · {}", r.mortem.status.label()),
        MortemKind::Pre => format!("Pre-mortem · {}", r.mortem.state_label()),
    };
    let block = panel(title, theme).border_style(if st.reading {
        theme.border_selected
    } else {
        theme.border
    });
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let selected = if st.reading { st.selected_part() } else { None };
    let mut doc = Doc {
        lines: Vec::new(),
        starts: Vec::new(),
        width: inner.width as usize,
    };
    match r.mortem.kind {
        MortemKind::Post => postmortem(&mut doc, r, data, selected, reader.key, theme),
        MortemKind::Pre => premortem(&mut doc, r, st, data, selected, reader, theme),
    }
    // The selected part's first line sits a third of the way down.
    let start = selected
        .and_then(|p| doc.starts.iter().find(|(q, _)| *q == p))
        .map_or(0, |(_, line)| *line);
    let scroll = start.saturating_sub(inner.height as usize / 3);
    let max = doc.lines.len().saturating_sub(inner.height as usize);
    frame.render_widget(
        Paragraph::new(doc.lines).scroll((scroll.min(max) as u16, 0)),
        inner,
    );
}

fn field_line(label: &str, value: String, theme: &Theme) -> Vec<Span<'static>> {
    vec![
        Span::styled(format!("{label:<9}"), theme.dim),
        Span::raw(value),
    ]
}

fn action_line(a: &MortemAction, middle: String, theme: &Theme) -> (Vec<Span<'static>>, Style) {
    let due = a.due.map_or(String::new(), |d| format!(" · due {d}"));
    let owner = a
        .owner
        .as_deref()
        .map_or("no owner".to_string(), |o| sanitize(o).into_owned());
    let state = match a.state {
        CardState::Open => format!("open, in {}", sanitize(&a.column)),
        CardState::Done => "done".to_string(),
        CardState::Dropped => "dropped".to_string(),
    };
    let style = match a.state {
        CardState::Open => Style::default(),
        CardState::Done => theme.wip_ok,
        CardState::Dropped => theme.dim.add_modifier(Modifier::CROSSED_OUT),
    };
    (
        vec![
            Span::styled(format!("  {} ", a.card), theme.dim),
            Span::styled(sanitize(&a.text).into_owned(), style),
            Span::styled(
                format!(" · {middle}{} · {owner}{due} · ", a.priority.as_str()),
                theme.dim,
            ),
            Span::styled(state, style),
        ],
        style,
    )
}

fn postmortem(
    doc: &mut Doc,
    r: &MortemReport,
    data: &MortemData,
    selected: Option<Part>,
    key: &dyn Fn(Command) -> String,
    theme: &Theme,
) {
    let m = &r.mortem;
    let sel = |p: Part| selected == Some(p);
    doc.title(&m.title, sel(Part::Title), theme);
    doc.head(
        Part::Date,
        sel(Part::Date),
        field_line("Date", theme.day(m.date), theme),
        theme,
    );
    doc.head(
        Part::Authors,
        sel(Part::Authors),
        field_line(
            "Authors",
            if m.authors.is_empty() {
                "–".into()
            } else {
                sanitize(&m.authors).into_owned()
            },
            theme,
        ),
        theme,
    );
    let warnings = &data.warnings;
    let total: usize = warnings.iter().map(Vec::len).sum();
    let mut status = field_line("Status", m.status.label().to_string(), theme);
    if total > 0 {
        status.push(Span::styled(
            format!(
                "  ⚠ {total} blame warning{} (underlined)",
                if total == 1 { "" } else { "s" }
            ),
            theme.status_warn,
        ));
    }
    doc.push(Line::from(status));
    doc.push(Line::from(Span::styled(
        safe_fit(&data.post.about, 400),
        theme.dim.add_modifier(Modifier::ITALIC),
    )));

    let first_part = data.post.first_part();
    let mut part_heading: Option<&str> = None;
    for (i, s) in data.post.sections.iter().enumerate() {
        if i == first_part {
            actions(doc, r, selected, key, theme);
        }
        if let Some(p) = s.part.as_deref()
            && part_heading != Some(p)
        {
            doc.blank();
            doc.push(Line::from(Span::styled(p.to_uppercase(), theme.title)));
            part_heading = Some(p);
        }
        doc.blank();
        let text = m.section(&s.key);
        let w: &[Warning] = warnings.get(i).map_or(&[], Vec::as_slice);
        let mut head = vec![Span::styled(format!("▸ {}", s.heading), theme.title)];
        if !w.is_empty() {
            head.push(Span::styled(format!("  ⚠ {}", w.len()), theme.status_warn));
        }
        doc.head(Part::Section(i), sel(Part::Section(i)), head, theme);
        if text.trim().is_empty() {
            doc.push(Line::from(Span::styled(
                format!("  Not written. {}", s.hint),
                theme.dim,
            )));
        } else {
            doc.text(text, w, 2, theme);
            for x in w {
                let style = match x.severity {
                    Severity::Error => theme.status_error,
                    Severity::Warn => theme.status_warn,
                    Severity::Info => theme.dim,
                };
                doc.push_hanging(
                    Line::from(vec![
                        Span::styled(
                            format!("  ⚠ {} \"{}\" ", x.severity.as_str(), sanitize(&x.phrase)),
                            style,
                        ),
                        Span::styled(format!("{}: {}", x.category, x.suggestion), theme.dim),
                    ]),
                    4,
                );
            }
        }
    }
    if first_part >= data.post.sections.len() {
        actions(doc, r, selected, key, theme);
    }

    doc.heading(
        "TIMELINE (UTC)",
        &format!(
            "{} adds an entry, the time prefilled",
            key(Command::AddTimelineEntry)
        ),
        theme,
    );
    if r.timeline.is_empty() {
        doc.push(Line::from(Span::styled(
            "  No entries. Add them as things happen, in any order: the timeline is kept sorted.",
            theme.dim,
        )));
    }
    for (i, e) in r.timeline.iter().enumerate() {
        // The incident's day goes without saying; any other is written.
        let when = if e.at.date_naive() == m.date {
            e.at.format("%H:%M").to_string()
        } else {
            e.at.format("%m-%d %H:%M").to_string()
        };
        // Entries wrap under their text, clear of the times.
        doc.head_hanging(
            Part::Timeline(i),
            sel(Part::Timeline(i)),
            vec![
                Span::styled(format!("  {when:>11}  "), theme.key),
                Span::raw(sanitize(&e.text).into_owned()),
            ],
            Some(15),
            theme,
        );
    }
}

fn actions(
    doc: &mut Doc,
    r: &MortemReport,
    selected: Option<Part>,
    key: &dyn Fn(Command) -> String,
    theme: &Theme,
) {
    let open = r
        .actions
        .iter()
        .filter(|a| a.state == CardState::Open)
        .count();
    doc.heading(
        "ACTION ITEMS",
        &format!(
            "{open} of {} open · {} adds one · {} opens its card",
            r.actions.len(),
            key(Command::AddAction),
            key(Command::EditPart)
        ),
        theme,
    );
    if r.actions.is_empty() {
        doc.push(Line::from(Span::styled(
            "  None yet: what will prevent, mitigate or detect this next time?",
            theme.dim,
        )));
    }
    for (i, a) in r.actions.iter().enumerate() {
        let middle = a
            .kind
            .map_or(String::new(), |k| format!("{} · ", k.as_str()));
        let (spans, _) = action_line(a, middle, theme);
        doc.head_hanging(
            Part::Action(i),
            selected == Some(Part::Action(i)),
            spans,
            Some(6),
            theme,
        );
    }
}
