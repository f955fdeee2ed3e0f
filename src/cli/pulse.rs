//! `teamloop pulse …`: open, answer, close and read an anonymous pulse from
//! a terminal without the full screen, or from a script.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

use clap::Subcommand;

use super::{Failure, Outcome, emit, fail, to_json};
use crate::domain::parse_date;
use crate::domain::pulse::{
    DEFAULT_MIN_COMMENTS, Instrument, PulseId, PulseResults, check_first_response, check_not_closed,
};
use crate::store::{NewPulse, Store};
use crate::ui::text::sanitize;

#[derive(Debug, Subcommand)]
pub enum PulseCmd {
    /// The instruments: Edmondson's scale and the team's own
    Instruments,
    /// Open a pulse; prints its id
    Open {
        /// The pulse's title
        title: String,
        /// An instrument id (see `pulse instruments`)
        #[arg(long, default_value = "edmondson")]
        instrument: String,
        /// The last day to answer (YYYY-MM-DD) [default: until closed by hand]
        #[arg(long, value_name = "DATE")]
        closes: Option<String>,
        /// Results show only with at least this many responses (3 or more)
        /// [default: the settings' pulse_threshold, else 5]
        #[arg(long)]
        min_responses: Option<u32>,
        /// Free-text answers show only with at least this many (3 or more)
        #[arg(long, default_value_t = DEFAULT_MIN_COMMENTS)]
        min_comments: u32,
        /// Add an optional free-text question, asked after the items
        #[arg(long, value_name = "TEXT")]
        question: Option<String>,
    },
    /// List the board's pulses, newest first
    List {
        /// JSON output
        #[arg(long)]
        json: bool,
    },
    /// Answer a pulse: one item at a time in a terminal; from a pipe, one
    /// answer per line (then the free-text answer, if the pulse asks one)
    Answer {
        /// The pulse's id (see `pulse list`)
        id: String,
    },
    /// Close a pulse by hand (whoever opened it)
    Close {
        /// The pulse's id (see `pulse list`)
        id: String,
    },
    /// Take a pulse's close over from whoever opened it (when they are
    /// gone); the takeover is recorded
    TakeOver {
        /// The pulse's id (see `pulse list`)
        id: String,
    },
    /// A closed pulse's results (refused while open or below its threshold)
    Results {
        /// The pulse's id (see `pulse list`)
        id: String,
        /// JSON output
        #[arg(long)]
        json: bool,
    },
    /// A closed pulse's aggregates as CSV (never individual responses)
    Export {
        /// The pulse's id (see `pulse list`)
        id: String,
        /// As CSV (the one format, named so scripts say what they expect)
        #[arg(long)]
        csv: bool,
        /// Write to this file instead of standard output
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

fn pulse_id(text: &str) -> Result<PulseId, Failure> {
    super::number_id(text, "a pulse id (a number)").map(PulseId)
}

pub fn run(store: &mut dyn Store, cmd: &PulseCmd) -> Outcome {
    let board = store.board()?;
    match cmd {
        PulseCmd::Instruments => {
            let (all, problems) = crate::config::pulse_instruments();
            for p in problems {
                eprintln!("teamloop: warning: {}", sanitize(&p));
            }
            for i in &all {
                say!(
                    "{:<14} {} · {} items, 1-{}{}",
                    i.id,
                    sanitize(&i.name),
                    i.items.len(),
                    i.scale,
                    if i.free_text.is_some() {
                        " · with a free-text question"
                    } else {
                        ""
                    }
                );
            }
            Ok(())
        }
        PulseCmd::Open {
            title,
            instrument,
            closes,
            min_responses,
            min_comments,
            question,
        } => {
            let (all, _) = crate::config::pulse_instruments();
            let mut instrument = all
                .into_iter()
                .find(|i| i.id == instrument.trim())
                .ok_or_else(|| {
                    fail(format!(
                        "no instrument '{instrument}' (teamloop pulse instruments lists them)"
                    ))
                })?;
            if let Some(q) = question.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
                instrument.free_text = Some(q.to_string());
            }
            let closes = closes.as_deref().map(parse_date).transpose()?;
            let id = store.open_pulse(
                board.id,
                NewPulse {
                    title: title.clone(),
                    instrument,
                    closes,
                    min_responses: min_responses
                        .unwrap_or_else(|| crate::config::load().0.pulse_threshold),
                    min_comments: *min_comments,
                },
            )?;
            say!("{}", id.0);
            Ok(())
        }
        PulseCmd::List { json } => {
            let all = store.pulses(board.id)?;
            let now = store.clock().now();
            if *json {
                say!("{}", to_json(&all)?);
            } else {
                for p in &all {
                    let state = if p.is_closed(now) {
                        "closed".to_string()
                    } else {
                        p.closes
                            .map_or("open".to_string(), |d| format!("open until {d}"))
                    };
                    say!(
                        "{:>4}  {}  {:<18} {:>3} responses  {}",
                        p.id.0,
                        p.opened,
                        state,
                        p.responses,
                        sanitize(&p.title)
                    );
                }
            }
            Ok(())
        }
        PulseCmd::Answer { id } => {
            let id = pulse_id(id)?;
            let p = store.pulse(id)?;
            // The store's own rules, asked before any question is (every
            // failure is printed cleaned for the terminal).
            check_first_response(&p, store.has_responded(id)?)?;
            check_not_closed(&p, store.clock().now())?;
            let (answers, comment) = if std::io::stdin().is_terminal() {
                match ask(&p.instrument, &p.title)? {
                    Some(a) => a,
                    None => {
                        say!("Nothing was sent.");
                        return Ok(());
                    }
                }
            } else {
                read_lines(&p.instrument)?
            };
            store.respond(id, &answers, comment.as_deref())?;
            say!(
                "Thank you. Your answers are stored without your name; results show once the pulse closes with at least {} responses.",
                p.min_responses
            );
            Ok(())
        }
        PulseCmd::TakeOver { id } => {
            let id = pulse_id(id)?;
            let seen = store.pulse(id)?.opened_by;
            let h = store.take_over_pulse(id, &seen)?;
            say!(
                "You took over from {}: you close the pulse now",
                sanitize(&h.from)
            );
            Ok(())
        }
        PulseCmd::Close { id } => {
            let id = pulse_id(id)?;
            store.close_pulse(id)?;
            let p = store.pulse(id)?;
            say!(
                "Closed \"{}\" with {} responses",
                sanitize(&p.title),
                p.responses
            );
            Ok(())
        }
        PulseCmd::Results { id, json } => {
            let id = pulse_id(id)?;
            let p = store.pulse(id)?;
            let r = store.pulse_results(id)?;
            if *json {
                say!("{}", to_json(&r)?);
            } else {
                emit(&results_text(&p.title, &p.instrument, &r));
            }
            Ok(())
        }
        PulseCmd::Export { id, csv, output } => {
            if !csv {
                return Err(fail("say the format: --csv"));
            }
            let id = pulse_id(id)?;
            let p = store.pulse(id)?;
            let r = store.pulse_results(id)?;
            let text = csv_text(&p.instrument, &r);
            super::write_output(output.as_deref(), &text)
        }
    }
}

/// One person's answers, and their free-text answer if any.
type Response = (Vec<u32>, Option<String>);

/// Asks each item in the terminal; `None` when the person gives up.
fn ask(instrument: &Instrument, title: &str) -> Result<Option<Response>, Failure> {
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    let mut read = |prompt: &str| -> Result<Option<String>, Failure> {
        eprint!("{prompt}");
        let _ = std::io::stderr().flush();
        match lines.next() {
            Some(Ok(l)) => Ok(Some(l)),
            Some(Err(e)) => Err(fail(format!("cannot read the answer: {e}"))),
            None => Ok(None),
        }
    };
    eprintln!("{} · {}", sanitize(title), sanitize(&instrument.name));
    eprintln!("Anonymous: your answers are stored without your name. q stops without sending.\n");
    for (i, l) in instrument.labels.iter().enumerate() {
        eprintln!("  {} {}", i + 1, sanitize(l));
    }
    let mut answers = Vec::new();
    for (n, item) in instrument.items.iter().enumerate() {
        eprintln!(
            "\n{}/{}  {}",
            n + 1,
            instrument.items.len(),
            sanitize(&item.text)
        );
        loop {
            let Some(line) = read(&format!("1-{}> ", instrument.scale))? else {
                return Ok(None);
            };
            let t = line.trim();
            if t.eq_ignore_ascii_case("q") {
                return Ok(None);
            }
            match t.parse::<u32>() {
                Ok(a) if a >= 1 && a <= instrument.scale => {
                    answers.push(a);
                    break;
                }
                _ => eprintln!("  a number from 1 to {}", instrument.scale),
            }
        }
    }
    let comment = match &instrument.free_text {
        Some(q) => {
            eprintln!("\n{} (optional; Enter to skip)", sanitize(q));
            read("> ")?.filter(|c| !c.trim().is_empty())
        }
        None => None,
    };
    eprintln!("\nYour answers:");
    for (item, a) in instrument.items.iter().zip(&answers) {
        eprintln!("  {a}  {}", sanitize(&item.text));
    }
    let confirm = read("Send them? [y/N] ")?.unwrap_or_default();
    Ok(confirm
        .trim()
        .eq_ignore_ascii_case("y")
        .then_some((answers, comment)))
}

/// Reads one answer per line from a pipe, then the free-text line if asked.
fn read_lines(instrument: &Instrument) -> Result<Response, Failure> {
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    let mut answers = Vec::new();
    for (n, _) in instrument.items.iter().enumerate() {
        let line = lines
            .next()
            .transpose()
            .map_err(|e| fail(format!("cannot read the answers: {e}")))?
            .ok_or_else(|| {
                fail(format!(
                    "{} answers expected, one per line; got {n}",
                    instrument.items.len()
                ))
            })?;
        let a = line
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|a| *a >= 1 && *a <= instrument.scale);
        answers.push(a.ok_or_else(|| {
            fail(format!(
                "line {}: '{}' is not an answer from 1 to {}",
                n + 1,
                line.trim(),
                instrument.scale
            ))
        })?);
    }
    let comment = match instrument.free_text {
        Some(_) => lines
            .next()
            .transpose()
            .map_err(|e| fail(format!("cannot read the answers: {e}")))?
            .filter(|c| !c.trim().is_empty()),
        None => None,
    };
    Ok((answers, comment))
}

fn bar(n: u32, max: u32) -> String {
    "█".repeat((n as usize * 20).div_ceil(max.max(1) as usize))
}

fn results_text(title: &str, instrument: &Instrument, r: &PulseResults) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} · {}\n{} responses · team score {:.2} on 1-{}\n",
        sanitize(title),
        sanitize(&instrument.name),
        r.responses,
        r.score,
        r.scale
    );
    let max = r.distribution.0.iter().copied().max().unwrap_or(0);
    let _ = writeln!(out, "Respondents' scores");
    for (i, n) in r.distribution.0.iter().enumerate() {
        let _ = writeln!(out, "  {} {:<20} {n}", i + 1, bar(*n, max));
    }
    let _ = writeln!(out, "\nItems (R: reverse-scored; scored = after reversal)");
    for (i, item) in r.items.iter().enumerate() {
        let _ = writeln!(
            out,
            "  {}{} mean {:.2}, scored {:.2}  {:?}  {}",
            i + 1,
            if item.reverse { " R" } else { "  " },
            item.mean,
            item.scored_mean,
            item.distribution.0,
            sanitize(&item.text)
        );
    }
    if instrument.free_text.is_some() {
        if r.comments.is_empty() {
            let _ = writeln!(
                out,
                "\n{} free-text answers: too few to show",
                r.comment_count
            );
        } else {
            let _ = writeln!(out, "\nFree-text answers (shuffled)");
            for c in &r.comments {
                let _ = writeln!(out, "  - {}", sanitize(c));
            }
        }
    }
    out
}

/// A quoted CSV cell. One that a spreadsheet would run as a formula (it
/// starts with =, +, - or @) is kept as text with a leading apostrophe.
fn csv_field(s: &str) -> String {
    let s = sanitize(s);
    let guard = if s.starts_with(['=', '+', '-', '@']) {
        "'"
    } else {
        ""
    };
    format!("\"{guard}{}\"", s.replace('"', "\"\""))
}

/// Aggregates only: per item, and for the score; never one row per person.
fn csv_text(instrument: &Instrument, r: &PulseResults) -> String {
    let points: Vec<String> = (1..=r.scale).map(|p| format!("n{p}")).collect();
    let mut out = format!(
        "row,item,text,reverse,responses,mean,scored_mean,{}\n",
        points.join(",")
    );
    for (i, item) in r.items.iter().enumerate() {
        let counts: Vec<String> = item.distribution.0.iter().map(u32::to_string).collect();
        out.push_str(&format!(
            "item,{},{},{},{},{:.2},{:.2},{}\n",
            i + 1,
            csv_field(&item.text),
            item.reverse,
            r.responses,
            item.mean,
            item.scored_mean,
            counts.join(",")
        ));
    }
    let counts: Vec<String> = r.distribution.0.iter().map(u32::to_string).collect();
    out.push_str(&format!(
        "score,,{},,{},{:.2},{:.2},{}\n",
        csv_field(&instrument.name),
        r.responses,
        r.score,
        r.score,
        counts.join(",")
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::csv_field;

    #[test]
    fn a_cell_a_spreadsheet_would_run_stays_text() {
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("@SUM(A1)"), "\"'@SUM(A1)\"");
        assert_eq!(csv_field("-1+2"), "\"'-1+2\"");
        assert_eq!(csv_field("Plain words"), "\"Plain words\"");
    }
}
