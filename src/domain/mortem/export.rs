//! A mortem as Markdown, for a wiki: headings, lists and tables that render
//! the same on GitHub, GitLab, Confluence and the like.

use std::fmt::Write;

use super::{
    CardState, MortemAction, MortemKind, MortemReport, PostmortemTemplate, PremortemTemplate, band,
    matrix,
};
use crate::domain::retro::export::md;

/// Several lines of prose as written, lists kept, nothing live.
fn block(text: &str) -> String {
    crate::domain::text::markdown_block(text)
}

fn dash(text: Option<&str>) -> String {
    text.filter(|t| !t.trim().is_empty())
        .map_or("–".to_string(), md)
}

fn actions_table(out: &mut String, actions: &[MortemAction], r: &MortemReport, pre: bool) {
    if actions.is_empty() {
        let _ = writeln!(out, "None yet.\n");
        return;
    }
    let middle = if pre { "Risk" } else { "Type" };
    let _ = writeln!(
        out,
        "| Card | Action | {middle} | Owner | Priority | Due | Status |\n| --- | --- | --- | --- | --- | --- | --- |"
    );
    for a in actions {
        let middle = if pre {
            a.risk
                .and_then(|id| r.risk(id))
                .map_or("–".to_string(), |risk| format!("R{}", risk.number))
        } else {
            a.kind.map_or("–", |k| k.as_str()).to_string()
        };
        let status = match a.state {
            CardState::Open => format!("open ({})", md(&a.column)),
            other => other.as_str().to_string(),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {middle} | {} | {} | {} | {status} |",
            a.card,
            md(&a.text),
            dash(a.owner.as_deref()),
            a.priority.as_str(),
            a.due.map_or("–".to_string(), |d| d.to_string()),
        );
    }
    out.push('\n');
}

/// The mortem as a Markdown document, ending with what it does to the text
/// people wrote.
pub fn markdown(r: &MortemReport, post: &PostmortemTemplate, pre: &PremortemTemplate) -> String {
    crate::domain::text::with_markdown_note(body(r, post, pre))
}

/// The document without its closing note (for a report that holds several).
pub fn body(r: &MortemReport, post: &PostmortemTemplate, pre: &PremortemTemplate) -> String {
    match r.mortem.kind {
        MortemKind::Post => postmortem(r, post),
        MortemKind::Pre => premortem(r, pre),
    }
}

fn postmortem(r: &MortemReport, t: &PostmortemTemplate) -> String {
    let m = &r.mortem;
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", md(&m.title));
    let _ = writeln!(
        out,
        "- **Date:** {}\n- **Authors:** {}\n- **Status:** {}\n",
        m.date,
        dash(Some(&m.authors)),
        m.status.label()
    );
    let _ = writeln!(out, "> {}\n", md(&t.about));

    let mut part: Option<&str> = None;
    let mut actions_done = false;
    for s in &t.sections {
        if s.part.is_some() && !actions_done {
            let _ = writeln!(out, "## Action items\n");
            actions_table(&mut out, &r.actions, r, false);
            actions_done = true;
        }
        let level = match s.part.as_deref() {
            Some(p) => {
                if part != Some(p) {
                    let _ = writeln!(out, "## {}\n", md(p));
                    part = Some(p);
                }
                "###"
            }
            None => "##",
        };
        let _ = writeln!(out, "{level} {}\n", md(&s.heading));
        let text = m.section(&s.key);
        if text.trim().is_empty() {
            let _ = writeln!(out, "*Not written.*\n");
        } else {
            let _ = writeln!(out, "{}", block(text));
        }
    }
    if !actions_done {
        let _ = writeln!(out, "## Action items\n");
        actions_table(&mut out, &r.actions, r, false);
    }

    let _ = writeln!(out, "## Timeline (UTC)\n");
    if r.timeline.is_empty() {
        let _ = writeln!(out, "No entries.");
    } else {
        let _ = writeln!(out, "| Time | Event |\n| --- | --- |");
        for e in &r.timeline {
            let _ = writeln!(
                out,
                "| {} | {} |",
                e.at.format("%Y-%m-%d %H:%M"),
                md(&e.text)
            );
        }
    }
    out
}

fn premortem(r: &MortemReport, t: &PremortemTemplate) -> String {
    let m = &r.mortem;
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", md(&m.title));
    let about = match m.card {
        Some(card) => format!("{card} {}", md(&m.subject)),
        None => dash(Some(&m.subject)),
    };
    let _ = writeln!(
        out,
        "- **Date:** {}\n- **About:** {about}\n- **Stage:** {}\n- **Reasons written:** {}\n",
        m.date,
        m.stage.map_or("–", |s| s.label()),
        r.reasons
    );
    let _ = writeln!(out, "> {}\n>\n> {}\n", md(&t.frame), md(&t.about));

    let _ = writeln!(out, "## Why it failed\n");
    if r.risks.is_empty() {
        let _ = writeln!(
            out,
            "The reasons are written silently and show once they are revealed.\n"
        );
    } else {
        let _ = writeln!(
            out,
            "Most serious first. Likelihood and impact are rated 1 to 5; the score is their product.\n"
        );
        let _ = writeln!(
            out,
            "| Rank | Risk | Reason | Likelihood | Impact | Score |\n| --- | --- | --- | --- | --- | --- |"
        );
        for (i, risk) in r.risks.iter().enumerate() {
            let n = |v: Option<u8>| v.map_or("–".to_string(), |v| v.to_string());
            let _ = writeln!(
                out,
                "| {} | R{} | {} | {} | {} | {} |",
                i + 1,
                risk.number,
                md(&risk.text),
                n(risk.likelihood),
                n(risk.impact),
                risk.score()
                    .map_or("–".to_string(), |s| format!("{s} ({})", band(s)))
            );
        }
        out.push('\n');

        let _ = writeln!(out, "## Likelihood × impact\n");
        let _ = writeln!(out, "Each cell holds the risks rated there.\n");
        let _ = writeln!(
            out,
            "| Impact ↓ · likelihood → | 1 | 2 | 3 | 4 | 5 |\n| --- | --- | --- | --- | --- | --- |"
        );
        let grid = matrix(&r.risks);
        for impact in (0..5).rev() {
            let cells: Vec<String> = grid[impact]
                .iter()
                .map(|ranks| {
                    ranks
                        .iter()
                        .map(|n| format!("R{n}"))
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect();
            let _ = writeln!(out, "| **{}** | {} |", impact + 1, cells.join(" | "));
        }
        out.push('\n');
    }

    let _ = writeln!(out, "## Mitigations\n");
    actions_table(&mut out, &r.actions, r, true);
    out
}
