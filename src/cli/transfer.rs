//! `teamloop export`, `teamloop import` and `teamloop backup`: the team's
//! record in and out, whole and lossless, or as a report to read.

use std::fmt::Write as _;
use std::io::Read;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::{Failure, Outcome, emit, fail};
use crate::domain::mortem::{MortemKind, PostmortemTemplate, PremortemTemplate};
use crate::domain::retro::export::md;
use crate::domain::sprint::SprintState;
use crate::domain::{CardSummary, ColumnKind};
use crate::store::{self, SqliteStore, Store};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Every table, lossless, versioned (docs/FORMAT.md): what import reads
    Json,
    /// A report to read: the board, the sprint, the latest retro and post-mortem
    Markdown,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[arg(long, value_enum, default_value = "json")]
    pub format: Format,
    /// Write to this file instead of standard output
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// A JSON export, or - for standard input
    #[arg(value_name = "FILE|-")]
    pub source: String,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Where the copy goes (replaced if it exists)
    #[arg(value_name = "FILE")]
    pub target: PathBuf,
}

pub fn export(store: &SqliteStore, args: &ExportArgs) -> Outcome {
    let text = match args.format {
        Format::Json => store::export_json(store)?,
        Format::Markdown => report(store as &dyn Store)?,
    };
    match &args.output {
        Some(path) => {
            super::retro::write_atomically(path, &text)?;
            eprintln!("teamloop: wrote {}", path.display());
        }
        None => emit(&text),
    }
    Ok(())
}

pub fn import(target: &Path, args: &ImportArgs) -> Outcome {
    let text = if args.source == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| fail(format!("cannot read standard input: {e}")))?;
        text
    } else {
        std::fs::read_to_string(&args.source)
            .map_err(|e| fail(format!("cannot read {}: {e}", args.source)))?
    };
    let done = store::import_json(target, &text)
        .map_err(|e| fail(format!("nothing was imported: {e}")))?;
    let rows: usize = done.rows.iter().map(|(_, n)| n).sum();
    let tables = done.rows.iter().filter(|(_, n)| *n > 0).count();
    say!(
        "Imported {rows} rows into {tables} tables of {} (schema {}{})",
        target.display(),
        done.schema,
        if done.from_schema == done.schema {
            String::new()
        } else {
            format!(", upgraded from {}", done.from_schema)
        }
    );
    Ok(())
}

pub fn backup(store: &SqliteStore, args: &BackupArgs) -> Outcome {
    store::backup(store, &args.target)?;
    say!("Backed up to {}", args.target.display());
    Ok(())
}

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

/// How many finished cards the report lists per done column.
const DONE_SHOWN: usize = 20;

/// The board, the current sprint, the latest retro and post-mortem.
pub fn report(store: &dyn Store) -> Result<String, Failure> {
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

    let _ = writeln!(out, "## Latest retro\n");
    match store.retros(board.id)?.first() {
        None => {
            let _ = writeln!(out, "None yet.\n");
        }
        Some(r) => {
            let report = store.retro_report(r.id)?;
            out.push_str(&demote(&demote(&crate::domain::retro::export::markdown(
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
            let text = crate::domain::mortem::export::markdown(
                &report,
                &PostmortemTemplate::built_in()?,
                &PremortemTemplate::built_in()?,
            );
            out.push_str(&demote(&demote(&text)));
        }
    }
    Ok(out)
}
