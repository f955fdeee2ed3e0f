//! The Markdown report of `export --format markdown` (and the palette's
//! export): the board, the running sprint, the last month's planning
//! poker, the latest retro and the latest post-mortem, to read.

use std::fmt::Write as _;

use crate::domain::mortem::{MortemKind, PostmortemTemplate, PremortemTemplate};
use crate::domain::retro::export::md;
use crate::domain::sprint::SprintState;
use crate::domain::{CardSummary, ColumnKind};
use crate::store::{Result, Store};

/// Markdown headings one level down, to sit under this report's.
fn demote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    for line in text.lines() {
        if line.starts_with('#') {
            out.push('#');
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn card_line(c: &CardSummary) -> String {
    let mut extra = Vec::new();
    if let Some(a) = &c.assignee {
        extra.push(format!("@{}", md(a)));
    }
    if let Some(p) = c.points {
        extra.push(format!("{p} pt"));
    }
    for t in &c.tags {
        extra.push(format!("#{}", md(t)));
    }
    if c.blocked {
        extra.push("**blocked**".into());
    }
    let extra = if extra.is_empty() {
        String::new()
    } else {
        format!(" ({})", extra.join(", "))
    };
    format!("- {} {}{extra}", c.id, md(&c.title))
}

/// The poker rounds of the last [`POKER_DAYS`] days, newest first: each
/// card with the value accepted and how many votes it took.
fn poker(store: &dyn Store, board: &crate::domain::Board, out: &mut String) -> Result<()> {
    use crate::domain::poker::CardState;
    let since = store.clock().now() - chrono::Duration::days(POKER_DAYS);
    let rounds: Vec<_> = store
        .poker_rounds(board.id, false)?
        .into_iter()
        .filter(|r| r.started_at >= since)
        .collect();
    if rounds.is_empty() {
        return Ok(());
    }
    let _ = writeln!(out, "## Planning poker\n");
    let zone = store.clock().zone();
    for r in &rounds {
        let _ = writeln!(
            out,
            "### Round {} ({}, {}, facilitated by {}){}\n",
            r.id,
            zone.day_of(r.started_at),
            md(&r.deck.name),
            md(&r.facilitator),
            if r.is_open() { ", running" } else { "" }
        );
        for c in &r.cards {
            let votes = if c.vote == 1 {
                "1 vote".to_string()
            } else {
                format!("{} votes", c.vote)
            };
            let outcome = match (c.state, &c.accepted) {
                (CardState::Accepted, Some(v)) => format!("**{}** ({votes})", md(v)),
                (CardState::Voting, _) if r.is_open() => "being estimated".to_string(),
                _ => "not estimated".to_string(),
            };
            let _ = writeln!(out, "- {} {}: {outcome}", c.card, md(&c.title));
        }
        out.push('\n');
    }
    Ok(())
}

/// How far back the report lists poker rounds.
const POKER_DAYS: i64 = 30;

/// How many finished cards the report lists per done column.
const DONE_SHOWN: usize = 20;

/// The board, the current sprint, the latest retro and post-mortem.
pub fn markdown_report(store: &dyn Store) -> Result<String> {
    let board = store.board()?;
    let clock = store.clock();
    let today = clock.zone().day_of(clock.now());
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", md(&board.name));
    let _ = writeln!(out, "Report of {today}.\n");
    let _ = writeln!(out, "## Board\n");
    let cards = store.list_cards(&board, None)?;
    for col in &board.columns {
        let here: Vec<&CardSummary> = cards.iter().filter(|c| c.column == col.id).collect();
        let limit = col.wip.map_or(String::new(), |w| {
            format!(" · WIP {}/{} ({})", here.len(), w.limit, w.policy.as_str())
        });
        let _ = writeln!(
            out,
            "### {} ({} card{}){limit}\n",
            md(&col.name),
            here.len(),
            if here.len() == 1 { "" } else { "s" }
        );
        if here.is_empty() {
            let _ = writeln!(out, "(empty)\n");
            continue;
        }
        let shown = if col.kind == ColumnKind::Done {
            DONE_SHOWN
        } else {
            usize::MAX
        };
        for c in here.iter().take(shown) {
            let _ = writeln!(out, "{}", card_line(c));
        }
        if here.len() > shown {
            let _ = writeln!(out, "- … and {} more", here.len() - shown);
        }
        out.push('\n');
    }

    let _ = writeln!(out, "## Sprint\n");
    let sprints = store.sprints(board.id)?;
    match sprints
        .iter()
        .rev()
        .find(|s| s.state == SprintState::Active)
    {
        None => {
            let _ = writeln!(out, "No sprint is running.\n");
        }
        Some(s) => {
            let r = store.sprint_report(s)?;
            let b = &r.burndown;
            let _ = writeln!(
                out,
                "**{}**: {}\n\n- {} to {}, {} days left\n- committed {} points, scope {}, done {}, remaining {}\n",
                md(&s.name),
                md(&s.goal),
                s.start,
                s.end,
                s.days_left(today),
                b.committed,
                b.scope,
                b.done,
                b.remaining
            );
            for c in &r.cards {
                let _ = writeln!(
                    out,
                    "{} — {}{}",
                    card_line(&c.card),
                    md(&c.column),
                    if c.added_late { ", added late" } else { "" }
                );
            }
            out.push('\n');
        }
    }

    poker(store, &board, &mut out)?;

    let _ = writeln!(out, "## Latest retro\n");
    match store.retros(board.id)?.first() {
        None => {
            let _ = writeln!(out, "None yet.\n");
        }
        Some(r) => {
            let report = store.retro_report(r.id)?;
            out.push_str(&demote(&demote(&crate::domain::retro::export::body(
                &report,
            ))));
            out.push('\n');
        }
    }

    let _ = writeln!(out, "## Latest post-mortem\n");
    let latest = store
        .mortems(board.id, "")?
        .into_iter()
        .find(|l| l.mortem.kind == MortemKind::Post);
    match latest {
        None => {
            let _ = writeln!(out, "None yet.");
        }
        Some(l) => {
            let report = store.mortem_report(l.mortem.id)?;
            let text = crate::domain::mortem::export::body(
                &report,
                &PostmortemTemplate::built_in()?,
                &PremortemTemplate::built_in()?,
            );
            out.push_str(&demote(&demote(&text)));
        }
    }
    Ok(crate::domain::text::with_markdown_note(out))
}
