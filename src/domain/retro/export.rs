//! A retro as Markdown, for a wiki: headings, lists and tables that render
//! the same on GitHub, GitLab, Confluence and the like.

use std::fmt::Write;

use super::{PRIME_DIRECTIVE, PRIME_DIRECTIVE_BY, PollView, ROTI, RetroReport};

/// Text that may hold Markdown, HTML or table syntax, made literal (no live
/// link, image or HTML).
pub(crate) fn md(text: &str) -> String {
    crate::domain::text::markdown_inline(text)
}

fn poll(out: &mut String, name: &str, view: &PollView, labels: &[(&str, &str)]) {
    let _ = write!(out, "**{name}**: {} answered", view.answers);
    match &view.distribution {
        Some(d) => {
            let parts: Vec<String> = labels
                .iter()
                .zip(d)
                .map(|((label, _), n)| format!("{label}: {n}"))
                .collect();
            let _ = writeln!(out, "; {}.", parts.join(", "));
        }
        None => {
            let _ = writeln!(
                out,
                " (the distribution is shown only for a closed check with at least {} answers).",
                super::MIN_ANSWERS_SHOWN
            );
        }
    }
}

/// The retro as a Markdown document, ending with what it does to the text
/// people wrote.
pub fn markdown(r: &RetroReport) -> String {
    crate::domain::text::with_markdown_note(body(r))
}

/// The document without its closing note (for a report that holds several).
pub fn body(r: &RetroReport) -> String {
    let retro = &r.retro;
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", md(&retro.title));
    let _ = writeln!(
        out,
        "- **Date:** {}\n- **Format:** {}\n- **Facilitator:** {}\n- **Period:** {} to {}\n- **Votes each:** {}\n",
        retro.started_at.format("%Y-%m-%d"),
        md(&retro.format.name),
        md(&retro.facilitator),
        retro.from,
        retro.to,
        retro.votes
    );
    let _ = writeln!(out, "> {PRIME_DIRECTIVE}\n>\n> — {PRIME_DIRECTIVE_BY}\n");

    let _ = writeln!(out, "## Set the stage\n");
    poll(&mut out, "Safety check", &r.safety, retro.safety.choices());
    out.push('\n');

    let _ = writeln!(out, "## Last time's action items\n");
    if r.reviewed.is_empty() {
        let _ = writeln!(out, "None were open.\n");
    } else {
        let _ = writeln!(
            out,
            "| Action | Owner | From | Now |\n| --- | --- | --- | --- |"
        );
        for a in &r.reviewed {
            let _ = writeln!(
                out,
                "| {} {} | {} | {} | {} |",
                a.action.card,
                md(&a.action.text),
                a.action.owner.as_deref().map_or("–".to_string(), md),
                md(&a.action.retro_title),
                a.marked.as_str()
            );
        }
        out.push('\n');
    }

    let _ = writeln!(out, "## What we said\n");
    for (i, p) in retro.format.prompts.iter().enumerate() {
        let _ = writeln!(out, "### {}\n", md(&p.name));
        let mut any = false;
        let mut items: Vec<&super::Item> = r.items.iter().filter(|it| it.prompt() == i).collect();
        items.sort_by_key(|it| std::cmp::Reverse(it.votes.unwrap_or(0)));
        for item in items {
            any = true;
            let votes = item.votes.map_or(String::new(), |v| {
                format!(" ({v} vote{})", if v == 1 { "" } else { "s" })
            });
            match &item.title {
                Some(t) => {
                    let _ = writeln!(out, "- **{}**{votes}", md(t));
                    for c in &item.cards {
                        let _ = writeln!(out, "  - {}", md(&c.text));
                    }
                }
                None => {
                    let _ = writeln!(out, "- {}{votes}", md(item.label()));
                }
            }
            if !item.notes.trim().is_empty() {
                let _ = writeln!(out, "  - *Notes:* {}", md(&item.notes));
            }
        }
        if !any {
            let _ = writeln!(out, "(nothing)");
        }
        out.push('\n');
    }

    let _ = writeln!(out, "## Action items\n");
    if r.actions.is_empty() {
        let _ = writeln!(out, "None.\n");
    } else {
        let _ = writeln!(
            out,
            "| Card | Action | Owner | Due | Status |\n| --- | --- | --- | --- | --- |"
        );
        for a in &r.actions {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                a.card,
                md(&a.text),
                a.owner.as_deref().map_or("–".to_string(), md),
                a.due.map_or("–".to_string(), |d| d.to_string()),
                a.status.as_str()
            );
        }
        out.push('\n');
    }

    let _ = writeln!(out, "## Close\n");
    poll(&mut out, "Return on time invested (1-5)", &r.roti, &ROTI);
    if let Some(m) = r.roti.mean() {
        let _ = writeln!(out, "\nAverage {m:.1} of 5.");
    }
    out
}
