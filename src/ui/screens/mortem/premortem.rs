//! A pre-mortem as a document: the frame, its hidden count of reasons,
//! then the reasons read one by one, ranked, placed on a likelihood ×
//! impact matrix, with their mitigations.

use super::*;

pub(super) fn premortem(
    doc: &mut Doc,
    r: &MortemReport,
    st: &MortemTabState,
    data: &MortemData,
    selected: Option<Part>,
    reader: &Reader,
    theme: &Theme,
) {
    let (me, key) = (reader.me, reader.key);
    let m = &r.mortem;
    let sel = |p: Part| selected == Some(p);
    doc.title(&m.title, sel(Part::Title), theme);
    let about = match m.card {
        Some(c) => format!("{c} {}", sanitize(&m.subject)),
        None => sanitize(&m.subject).into_owned(),
    };
    doc.head(
        Part::Subject,
        sel(Part::Subject),
        field_line("About", about, theme),
        theme,
    );
    let mut facilitator = if m.facilitator == me {
        "you facilitate".to_string()
    } else {
        format!("facilitated by {}", sanitize(&m.facilitator))
    };
    // The record of a takeover: whom the facilitator took it over from.
    if let Some(h) = data.handovers.last() {
        facilitator.push_str(&format!(" (took over from {})", sanitize(&h.from)));
    }
    doc.push(Line::from(field_line(
        "Date",
        format!("{} · {facilitator}", theme.day(m.date)),
        theme,
    )));
    doc.blank();
    doc.push(Line::from(Span::styled(
        format!("“{}”", data.pre.frame),
        theme.goal,
    )));
    let stage = m.stage.unwrap_or(Stage::Closed);
    if stage == Stage::Writing {
        doc.push(Line::from(Span::styled(
            safe_fit(&data.pre.hint, 400),
            theme.dim,
        )));
        doc.blank();
        doc.push(Line::from(vec![
            Span::styled(format!("{} reasons written", r.reasons), theme.title),
            Span::styled(
                " so far, by everyone: hidden, and never shown with a name.",
                theme.dim,
            ),
        ]));
        doc.blank();
        let mine = st.my_reasons(m.id);
        doc.push(Line::from(Span::styled(
            format!(
                "YOUR REASONS (only this terminal shows them; {} takes one back)",
                key(Command::DeleteMyCard)
            ),
            theme.title,
        )));
        if mine.is_empty() {
            doc.push(Line::from(Span::styled(
                format!(
                    "  None yet: {} writes one. Write every reason you can think of.",
                    key(Command::WriteCard)
                ),
                theme.dim,
            )));
        }
        for (i, x) in mine.iter().enumerate() {
            doc.head(
                Part::Mine(i),
                sel(Part::Mine(i)),
                vec![Span::raw(format!("  • {}", sanitize(&x.text)))],
                theme,
            );
        }
        if m.facilitator == me {
            doc.blank();
            doc.push(Line::from(Span::styled(
                format!(
                    "When everyone is done, {} reveals the reasons to all.",
                    key(Command::RevealCards)
                ),
                theme.key,
            )));
        }
        return;
    }

    if let Some(risk) = r.reading.and_then(|id| r.risk(id))
        && stage == Stage::Reading
    {
        let order = r.reading_order();
        let at = order.iter().position(|x| x.id == risk.id).unwrap_or(0) + 1;
        doc.blank();
        doc.push(Line::from(vec![
            Span::styled(format!("Now reading {at} of {}: ", order.len()), theme.dim),
            Span::styled(format!("R{} ", risk.number), theme.key),
            Span::styled(sanitize(&risk.text).into_owned(), theme.title),
        ]));
    }

    let (rate, mitigate) = (key(Command::RateRisk), key(Command::Mitigate));
    doc.heading(
        "LIKELIHOOD × IMPACT",
        &format!("rated 1-5 each ({rate}); a step after Klein's"),
        theme,
    );
    matrix_lines(doc, r, theme);

    doc.heading(
        "RISKS, MOST SERIOUS FIRST",
        &format!("{rate} rates · {mitigate} mitigates"),
        theme,
    );
    for (i, risk) in r.risks.iter().enumerate() {
        let score = match risk.score() {
            Some(s) => format!(
                "{}×{}={s:<2} {:<6}",
                risk.likelihood.unwrap_or(0),
                risk.impact.unwrap_or(0),
                band(s)
            ),
            None => format!("{:<13}", "unrated"),
        };
        let style = match risk.score().map(band) {
            Some("high") => theme.wip_over,
            Some("medium") => theme.wip_at_limit,
            Some(_) => theme.wip_ok,
            None => theme.dim,
        };
        let mitigations = r.mitigations(risk.id).count();
        let reading = if r.reading == Some(risk.id) && stage == Stage::Reading {
            "▶"
        } else {
            " "
        };
        let mut spans = vec![
            Span::raw(format!("{reading}{:>2}. ", i + 1)),
            Span::styled(format!("R{:<3}", risk.number), theme.key),
            Span::styled(score, style),
            Span::raw(" "),
            Span::raw(sanitize(&risk.text).into_owned()),
        ];
        if mitigations > 0 {
            spans.push(Span::styled(
                format!(
                    "  ✓ {mitigations} mitigation{}",
                    if mitigations == 1 { "" } else { "s" }
                ),
                theme.wip_ok,
            ));
        }
        doc.head_hanging(Part::Risk(i), sel(Part::Risk(i)), spans, Some(25), theme);
    }

    doc.heading(
        "MITIGATIONS",
        &format!("cards on the board · {} opens one", key(Command::EditPart)),
        theme,
    );
    if r.actions.is_empty() {
        doc.push(Line::from(Span::styled(
            format!("  None yet: select a top risk and press {mitigate}."),
            theme.dim,
        )));
    }
    for (i, a) in r.actions.iter().enumerate() {
        let middle = a
            .risk
            .and_then(|id| r.risk(id))
            .map_or(String::new(), |x| format!("R{} · ", x.number));
        let (spans, _) = action_line(a, middle, theme);
        doc.head_hanging(Part::Action(i), sel(Part::Action(i)), spans, Some(6), theme);
    }
}

/// The 5×5 grid, impact up, likelihood across; each cell lists its risks.
fn matrix_lines(doc: &mut Doc, r: &MortemReport, theme: &Theme) {
    let grid = matrix(&r.risks);
    // A row: its label (9), then five cells of a bar and `cell` cells.
    let cell = (doc.width.saturating_sub(10) / 5)
        .saturating_sub(1)
        .clamp(4, 14);
    let mut head = vec![Span::styled(format!("{:<9}", "I↓ L→"), theme.dim)];
    for l in 1..=5 {
        head.push(Span::styled(pad(&format!("  L{l}"), cell + 1), theme.dim));
    }
    doc.push(Line::from(head));
    for impact in (1..=5u8).rev() {
        let mut spans = vec![Span::styled(
            format!("{:<9}", format!("  I{impact}")),
            theme.dim,
        )];
        for likelihood in 1..=5u8 {
            let ids = &grid[usize::from(impact) - 1][usize::from(likelihood) - 1];
            let style = match band(impact * likelihood) {
                "high" => theme.wip_over,
                "medium" => theme.wip_at_limit,
                _ => theme.wip_ok,
            };
            let mut text: String = ids
                .iter()
                .map(|n| format!("R{n}"))
                .collect::<Vec<_>>()
                .join(" ");
            if width(&text) > cell - 1 {
                text = format!(
                    "{}…",
                    crate::ui::text::fit(&text, cell.saturating_sub(2)).trim_end_matches('…')
                );
            }
            let shown = if ids.is_empty() {
                "·".to_string()
            } else {
                text
            };
            spans.push(Span::styled("│", theme.border));
            spans.push(Span::styled(pad(&format!(" {shown}"), cell), style));
        }
        spans.push(Span::styled("│", theme.border));
        doc.push(Line::from(spans));
    }
    let unrated = r.risks.iter().filter(|x| x.score().is_none()).count();
    if unrated > 0 {
        doc.push(Line::from(Span::styled(
            format!("  {unrated} not rated yet"),
            theme.dim,
        )));
    }
}
