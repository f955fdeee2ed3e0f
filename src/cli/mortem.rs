//! `teamloop postmortem …`, `teamloop premortem …` and `teamloop mortem …`:
//! write, read and export pre- and post-mortems from a script or a terminal.

use std::io::Read;
use std::path::PathBuf;

use clap::Subcommand;
use serde::Serialize;

use super::{Failure, Outcome, emit, fail, to_json};
use crate::domain::mortem::lint::Warning;
use crate::domain::mortem::{
    ActionType, MortemId, MortemKind, MortemReport, NewAction, PostmortemTemplate,
    PremortemTemplate, Priority, Stage, Status, export, parse_rating, parse_risk_number,
    parse_timeline,
};
use crate::domain::parse_date;
use crate::domain::{BoardId, CardId};
use crate::store::Store;
use crate::store::mortems::{Field, NewReason};
use crate::ui::text::sanitize;

#[derive(Debug, Subcommand)]
pub enum PostmortemCmd {
    /// Start a blameless post-mortem; prints its id
    New {
        /// The incident's title
        title: String,
        /// The day of the incident (YYYY-MM-DD) [default: today]
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
    },
    /// Add a timeline entry: "HH:MM text" (UTC, on the incident's day) or
    /// "YYYY-MM-DD HH:MM text"
    Timeline {
        /// The mortem's id (see `mortem list`)
        id: String,
        /// "HH:MM text" or "YYYY-MM-DD HH:MM text"
        entry: String,
    },
    /// Add an action item; it becomes a card on the board (prints its id)
    Action {
        /// The mortem's id (see `mortem list`)
        id: String,
        /// What will be done
        text: String,
        /// What it does about the cause
        #[arg(long = "type", value_name = "prevent|mitigate|detect|process")]
        kind: String,
        /// Who owns it
        #[arg(long, value_name = "NAME")]
        owner: String,
        /// YYYY-MM-DD
        #[arg(long, value_name = "DATE")]
        due: Option<String>,
        /// How urgent it is
        #[arg(long, value_name = "high|medium|low", default_value = "medium")]
        priority: String,
    },
    /// Write a section (summary, impact, root_causes, …) from a file, or
    /// from standard input with -; prints its blame warnings
    Write {
        /// The mortem's id (see `mortem list`)
        id: String,
        /// The section: summary, impact, root_causes, …
        section: String,
        /// A file to read it from, or - for standard input
        #[arg(value_name = "FILE|-")]
        source: String,
    },
    /// Change the heading: title, authors or date
    Set {
        /// The mortem's id (see `mortem list`)
        id: String,
        /// A new title
        #[arg(long)]
        title: Option<String>,
        /// Who wrote it
        #[arg(long)]
        authors: Option<String>,
        /// The day of the incident (YYYY-MM-DD)
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
    },
    /// Set the status: draft, in-review or final (final lists the warnings
    /// left)
    Status {
        /// The mortem's id (see `mortem list`)
        id: String,
        /// draft, in-review or final
        status: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum PremortemCmd {
    /// Start a pre-mortem of a project (or of a card); prints its id
    New {
        /// The project or change it is about
        title: String,
        /// The card the pre-mortem is about
        #[arg(long, value_name = "ID")]
        card: Option<i64>,
    },
    /// Add a reason it failed (anonymous while the reasons are hidden),
    /// optionally rated
    Risk {
        /// The mortem's id (see `mortem list`)
        id: String,
        /// Without it, read from standard input (unseen by other users)
        text: Option<String>,
        /// How likely, 1 to 5
        #[arg(long, value_name = "1-5")]
        likelihood: Option<String>,
        /// How bad, 1 to 5
        #[arg(long, value_name = "1-5")]
        impact: Option<String>,
        /// Once the reasons are revealed: add it in the open (it is known
        /// to be yours)
        #[arg(long)]
        open: bool,
    },
    /// Rate a risk for likelihood and impact, 1 to 5
    Rate {
        /// The mortem's id (see `mortem list`)
        id: String,
        /// R1, R2, … (or 1, 2, …)
        risk: String,
        /// How likely, 1 to 5
        #[arg(long, value_name = "1-5")]
        likelihood: Option<String>,
        /// How bad, 1 to 5
        #[arg(long, value_name = "1-5")]
        impact: Option<String>,
    },
    /// Reveal the reasons, to read them one by one (the facilitator)
    Reveal {
        /// The mortem's id (see `mortem list`)
        id: String,
    },
    /// Close the pre-mortem (the facilitator)
    Close {
        /// The mortem's id (see `mortem list`)
        id: String,
    },
    /// Take the pre-mortem over as its facilitator (when theirs is gone);
    /// the takeover is recorded and their terminal is told
    TakeOver {
        /// The mortem's id (see `mortem list`)
        id: String,
    },
    /// Give a risk a mitigation; it becomes a card on the board
    Mitigate {
        /// The mortem's id (see `mortem list`)
        id: String,
        /// R1, R2, … (or 1, 2, …)
        risk: String,
        /// What will be done
        text: String,
        /// Who owns it
        #[arg(long, value_name = "NAME")]
        owner: String,
        /// When it is due (YYYY-MM-DD)
        #[arg(long, value_name = "DATE")]
        due: Option<String>,
        /// How urgent it is
        #[arg(long, value_name = "high|medium|low", default_value = "medium")]
        priority: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum MortemCmd {
    /// The board's pre- and post-mortems, newest first; with a search, those
    /// that mention it
    List {
        /// Only those that mention this text
        search: Option<String>,
        /// JSON output
        #[arg(long)]
        json: bool,
    },
    /// One pre- or post-mortem, with its blame warnings
    Show {
        /// The mortem's id (see `mortem list`)
        id: String,
        /// JSON output
        #[arg(long)]
        json: bool,
    },
    /// As Markdown, for a wiki
    Export {
        /// The mortem's id (see `mortem list`)
        id: String,
        /// Write to this file instead of standard output
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// The blame warnings of a text, one a line (exit 0: it only warns)
    Lint {
        /// A file to read, or - for standard input
        #[arg(value_name = "FILE|-")]
        source: String,
        /// Read it as a section about causes, where any name is a warning
        #[arg(long)]
        causal: bool,
    },
}

fn mortem_id(text: &str) -> Result<MortemId, Failure> {
    super::number_id(text, "a pre- or post-mortem id (a number)").map(MortemId)
}

/// The risk numbered as typed (R3), once the reasons are revealed.
fn risk_id(store: &dyn Store, id: MortemId, text: &str) -> Result<i64, Failure> {
    let number = parse_risk_number(text)?;
    let report = store.mortem_report(id)?;
    if report.mortem.stage == Some(Stage::Writing) {
        return Err(fail("the reasons are still hidden: reveal them first"));
    }
    report
        .numbered(number)
        .map(|r| r.id)
        .ok_or_else(|| fail(format!("no risk R{number} in this pre-mortem")))
}

fn read_source(source: &str) -> Result<String, Failure> {
    if source == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| fail(format!("cannot read standard input: {e}")))?;
        Ok(text)
    } else {
        std::fs::read_to_string(source).map_err(|e| fail(format!("cannot read {source}: {e}")))
    }
}

fn rating(text: &Option<String>, what: &str) -> Result<Option<u8>, Failure> {
    Ok(text.as_deref().map(|t| parse_rating(t, what)).transpose()?)
}

fn warn_line(w: &Warning, context: &str) -> String {
    format!(
        "{context}line {}: {}: \"{}\" ({}): {}",
        w.line,
        w.severity.as_str(),
        sanitize(&w.phrase),
        w.category,
        w.suggestion
    )
}

fn templates() -> Result<(PostmortemTemplate, PremortemTemplate), Failure> {
    Ok((
        PostmortemTemplate::built_in()?,
        PremortemTemplate::built_in()?,
    ))
}

fn print_warnings(store: &dyn Store, board: BoardId, report: &MortemReport) -> Outcome {
    let (lint, problems) = crate::config::blame_lint();
    for p in problems {
        eprintln!("teamloop: warning: {}", sanitize(&p));
    }
    let names = store.team_names(board)?;
    let (post, _) = templates()?;
    let all = lint.post_warnings(report, &post, &names);
    if all.is_empty() {
        say!("No blame warnings.");
    } else {
        say!(
            "{} blame warning{} (they never block; consider a system-focused wording):",
            all.len(),
            if all.len() == 1 { "" } else { "s" }
        );
        for (heading, w) in &all {
            say!("  {}", warn_line(w, &format!("{heading}, ")));
        }
    }
    Ok(())
}

fn action(
    text: &str,
    kind: Option<ActionType>,
    owner: &str,
    due: &Option<String>,
    priority: &str,
    risk: Option<i64>,
) -> Result<NewAction, Failure> {
    let owner = owner.trim();
    if owner.is_empty() {
        return Err(fail("an action item needs an owner (--owner NAME)"));
    }
    Ok(NewAction {
        text: text.to_string(),
        kind,
        owner: Some(owner.to_string()),
        due: due.as_deref().map(parse_date).transpose()?,
        priority: Priority::parse(priority)?,
        risk,
    })
}

pub fn run_post(store: &mut dyn Store, cmd: &PostmortemCmd) -> Outcome {
    let board = store.board()?;
    match cmd {
        PostmortemCmd::New { title, date } => {
            let day = date.as_deref().map(parse_date).transpose()?;
            let id = store.new_postmortem(board.id, title, day)?;
            say!("{}", id.0);
        }
        PostmortemCmd::Timeline { id, entry } => {
            let id = mortem_id(id)?;
            let day = store.mortem_report(id)?.mortem.date;
            let (at, text) = parse_timeline(entry, day)?;
            store.add_timeline(id, at, &text)?;
            say!("{} {}", at.format("%Y-%m-%d %H:%M UTC"), sanitize(&text));
        }
        PostmortemCmd::Action {
            id,
            text,
            kind,
            owner,
            due,
            priority,
        } => {
            let id = mortem_id(id)?;
            let kind = ActionType::parse(kind)?;
            let card = store
                .add_mortem_action(id, action(text, Some(kind), owner, due, priority, None)?)?;
            say!("{}", card.0);
        }
        PostmortemCmd::Write {
            id,
            section,
            source,
        } => {
            let id = mortem_id(id)?;
            let text = read_source(source)?;
            store.set_section(id, section.trim(), &text, None)?;
            let (post, _) = templates()?;
            let (lint, _) = crate::config::blame_lint();
            let names = store.team_names(board.id)?;
            if let Some(s) = post.section(section.trim()) {
                for w in lint.check_section(&text, &names, s) {
                    say!("{}", warn_line(&w, ""));
                }
            }
        }
        PostmortemCmd::Set {
            id,
            title,
            authors,
            date,
        } => {
            let id = mortem_id(id)?;
            let changes: Vec<(Field, &str)> = [
                (Field::Title, title),
                (Field::Authors, authors),
                (Field::Date, date),
            ]
            .into_iter()
            .filter_map(|(field, value)| value.as_deref().map(|v| (field, v)))
            .collect();
            if changes.is_empty() {
                return Err(fail("say what to change: --title, --authors or --date"));
            }
            // All of them or none.
            store.set_mortem_fields(id, &changes)?;
        }
        PostmortemCmd::Status { id, status } => {
            let id = mortem_id(id)?;
            let s = Status::parse(status).ok_or_else(|| {
                fail(format!(
                    "'{status}' is not a status (draft, in-review or final)"
                ))
            })?;
            store.set_mortem_status(id, s)?;
            say!("Now {}", s.label());
            if s == Status::Final {
                print_warnings(store, board.id, &store.mortem_report(id)?)?;
            }
        }
    }
    Ok(())
}

pub fn run_pre(store: &mut dyn Store, cmd: &PremortemCmd) -> Outcome {
    let board = store.board()?;
    match cmd {
        PremortemCmd::New { title, card } => {
            let id = store.new_premortem(board.id, title, card.map(CardId))?;
            say!("{}", id.0);
        }
        PremortemCmd::Risk {
            id,
            text,
            likelihood,
            impact,
            open,
        } => {
            let id = mortem_id(id)?;
            // A hidden reason's ratings say whose it is to anyone who sees
            // the command's arguments: they are typed after its text.
            if !open && (likelihood.is_some() || impact.is_some()) {
                return Err(fail(
                    "others can see a command's arguments while it runs, and a hidden reason's ratings would tell whose it is: leave out TEXT, --likelihood and --impact, and type the text, then the ratings (\"4 5\") on the next line",
                ));
            }
            let typed = text.is_none();
            let text = super::private_input(text.as_deref(), "Your reason (anonymous)")?;
            let (mut l, mut i) = (rating(likelihood, "likelihood")?, rating(impact, "impact")?);
            if typed && !open {
                let line =
                    super::optional_input("Likelihood and impact, 1-5 each (Enter to rate later)")?;
                let mut parts = line.split_whitespace();
                l = parts
                    .next()
                    .map(|t| parse_rating(t, "likelihood"))
                    .transpose()?;
                i = parts
                    .next()
                    .map(|t| parse_rating(t, "impact"))
                    .transpose()?;
            }
            let reason = store.add_reason(
                id,
                NewReason {
                    text,
                    hidden: !open,
                    likelihood: l,
                    impact: i,
                },
            )?;
            match store.mortem_report(id)?.risk(reason.risk) {
                Some(r) => say!("R{}", r.number),
                None => say!("Written; it shows with the others once they are revealed."),
            }
        }
        PremortemCmd::Rate {
            id,
            risk,
            likelihood,
            impact,
        } => {
            let id = mortem_id(id)?;
            let (l, i) = (rating(likelihood, "likelihood")?, rating(impact, "impact")?);
            if l.is_none() && i.is_none() {
                return Err(fail("say the rating: --likelihood N, --impact N, or both"));
            }
            let risk = risk_id(store, id, risk)?;
            store.rate_risk(id, risk, l, i)?;
        }
        PremortemCmd::TakeOver { id } => {
            let id = mortem_id(id)?;
            let seen = store.mortem_report(id)?.mortem.facilitator;
            let h = store.take_over_premortem(id, &seen)?;
            say!(
                "You took over from {}: you facilitate the pre-mortem now",
                sanitize(&h.from)
            );
        }
        PremortemCmd::Reveal { id } | PremortemCmd::Close { id } => {
            let id = mortem_id(id)?;
            let want = if matches!(cmd, PremortemCmd::Reveal { .. }) {
                Stage::Writing
            } else {
                Stage::Reading
            };
            let m = store.mortem_report(id)?.mortem;
            if m.kind != MortemKind::Pre {
                return Err(fail(format!("{} is not a pre-mortem", sanitize(&m.title))));
            }
            let stage = m.stage.unwrap_or(Stage::Closed);
            if stage != want {
                return Err(fail(format!(
                    "\"{}\" is at {}: {}",
                    sanitize(&m.title),
                    stage.label(),
                    if want == Stage::Writing {
                        "its reasons are revealed already"
                    } else if stage == Stage::Writing {
                        "reveal the reasons first"
                    } else {
                        "it is closed already"
                    }
                )));
            }
            store.advance_premortem(id, want)?;
            let r = store.mortem_report(id)?;
            match want {
                Stage::Writing => say!("Revealed {} reasons", r.risks.len()),
                _ => say!("Closed \"{}\"", sanitize(&r.mortem.title)),
            }
        }
        PremortemCmd::Mitigate {
            id,
            risk,
            text,
            owner,
            due,
            priority,
        } => {
            let id = mortem_id(id)?;
            let risk = risk_id(store, id, risk)?;
            let card = store
                .add_mortem_action(id, action(text, None, owner, due, priority, Some(risk))?)?;
            say!("{}", card.0);
        }
    }
    Ok(())
}

#[derive(Serialize)]
struct ShowJson<'a> {
    #[serde(flatten)]
    report: &'a MortemReport,
    warnings: Vec<SectionWarning<'a>>,
}

#[derive(Serialize)]
struct SectionWarning<'a> {
    section: &'a str,
    #[serde(flatten)]
    warning: &'a Warning,
}

/// `mortem lint`: the warnings of a file or of standard input, one a line.
pub fn lint_text(source: &str, causal: bool, names: &[String]) -> Outcome {
    let text = read_source(source)?;
    let (lint, problems) = crate::config::blame_lint();
    for p in problems {
        eprintln!("teamloop: warning: {}", sanitize(&p));
    }
    for w in lint.check(&text, names, causal) {
        say!("{}", warn_line(&w, ""));
    }
    Ok(())
}

pub fn run(store: &mut dyn Store, cmd: &MortemCmd) -> Outcome {
    let board = store.board()?;
    match cmd {
        MortemCmd::List { search, json } => {
            let all = store.mortems(board.id, search.as_deref().unwrap_or(""))?;
            if *json {
                say!("{}", to_json(&all)?);
            } else if all.is_empty() {
                say!("None found.");
            } else {
                for l in &all {
                    let m = &l.mortem;
                    say!(
                        "{:>4}  {}  {:<11} {:<9} {}/{} actions open  {}",
                        m.id.0,
                        m.date,
                        m.kind.label(),
                        m.state_label(),
                        l.open_actions,
                        l.actions,
                        sanitize(&m.title)
                    );
                }
            }
        }
        MortemCmd::Show { id, json } => {
            let id = mortem_id(id)?;
            let report = store.mortem_report(id)?;
            let (post, pre) = templates()?;
            if *json {
                let (lint, _) = crate::config::blame_lint();
                let names = store.team_names(board.id)?;
                let found = if report.mortem.kind == MortemKind::Post {
                    lint.post_warnings(&report, &post, &names)
                } else {
                    Vec::new()
                };
                let out = ShowJson {
                    report: &report,
                    warnings: found
                        .iter()
                        .map(|(section, warning)| SectionWarning { section, warning })
                        .collect(),
                };
                say!("{}", to_json(&out)?);
            } else {
                emit(&export::markdown(&report, &post, &pre));
                if report.mortem.kind == MortemKind::Post {
                    say!("");
                    print_warnings(store, board.id, &report)?;
                }
            }
        }
        MortemCmd::Export { id, output } => {
            let id = mortem_id(id)?;
            let (post, pre) = templates()?;
            let text = export::markdown(&store.mortem_report(id)?, &post, &pre);
            super::write_output(output.as_deref(), &text)?;
        }
        MortemCmd::Lint { source, causal } => {
            let names = store.team_names(board.id)?;
            lint_text(source, *causal, &names)?;
        }
    }
    Ok(())
}
