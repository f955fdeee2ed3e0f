//! `teamloop retro …`: run a retrospective from scripts (and from a terminal
//! without the full screen). Every change goes through the same store rules
//! as the Retro tab: who may, in which phase.

use std::path::PathBuf;

use clap::Subcommand;
use serde::Serialize;

use super::{Failure, Outcome, emit, fail, parse_id, to_json};
use crate::domain::handover::Ritual;
use crate::domain::parse_date;
use crate::domain::retro::{ActionStatus, ItemId, Phase, Poll, RetroId, SafetyKind, export};
use crate::store::{NewRetro, Store};
use crate::ui::text::sanitize;

#[derive(Debug, Subcommand)]
pub enum RetroCmd {
    /// The retro formats: each one's id and prompts
    Formats {
        /// JSON output
        #[arg(long)]
        json: bool,
    },
    /// Start a retro; you facilitate it. Prints its id
    Start {
        /// A format id (see `retro formats`)
        #[arg(long)]
        format: String,
        /// [default: the sprint's name, or the date]
        #[arg(long)]
        title: Option<String>,
        /// Votes each person has, 1 to 20 [default: the settings' retro_votes, else 3]
        #[arg(long)]
        votes: Option<u32>,
        /// The safety check: esvp (Explorer, Shopper, Vacationer, Prisoner) or scale (1-5)
        #[arg(long, default_value = "esvp")]
        safety: String,
    },
    /// List the board's retros, newest first
    List {
        /// JSON output
        #[arg(long)]
        json: bool,
    },
    /// Add an anonymous card under a prompt (its name or number); without
    /// TEXT, the card is read from standard input (unseen by other users)
    Add {
        /// The retro's id (see `retro list`)
        id: String,
        /// The prompt: its name or its number (1, 2, …)
        prompt: String,
        /// The card's text [default: read from standard input]
        text: Option<String>,
    },
    /// Move the retro to the next or previous phase, or to one by name (facilitator)
    Phase {
        /// The retro's id (see `retro list`)
        id: String,
        /// next, prev, or a phase: stage, review, facts, gather, group, vote, discuss, decide, close, closed
        to: String,
    },
    /// Take the retro over as its facilitator (when theirs is gone); the
    /// takeover is recorded and their terminal is told
    TakeOver {
        /// The retro's id (see `retro list`)
        id: String,
    },
    /// Show the cards to everyone (facilitator)
    Reveal {
        /// The retro's id (see `retro list`)
        id: String,
    },
    /// Merge items into a theme
    Group {
        /// The retro's id (see `retro list`)
        id: String,
        /// The items to merge (two or more ids, see `retro show`)
        #[arg(required = true, num_args = 2..)]
        items: Vec<i64>,
        /// The theme's title
        #[arg(long)]
        title: String,
    },
    /// Put votes on an item (a negative count takes yours back); without
    /// ITEM, it is read from standard input (unseen by other users)
    Vote {
        /// The retro's id (see `retro list`)
        id: String,
        /// The item's id [default: read from standard input]
        item: Option<i64>,
        /// How many votes (negative: take yours back)
        #[arg(long, default_value_t = 1, allow_hyphen_values = true)]
        count: i32,
    },
    /// Answer the safety check or the closing ROTI, anonymously
    Answer {
        /// The retro's id (see `retro list`)
        id: String,
        /// safety or roti
        poll: String,
        /// 1 to 4 (ESVP: Explorer, Shopper, Vacationer, Prisoner) or 1 to 5;
        /// without it, read from standard input (unseen by other users)
        value: Option<u32>,
    },
    /// Close the safety check or the ROTI, showing its distribution (facilitator)
    CloseCheck {
        /// The retro's id (see `retro list`)
        id: String,
        /// safety or roti
        poll: String,
    },
    /// Open a safety check again that was closed below three answers (its
    /// result never shown), before the discussion (facilitator)
    ReopenCheck {
        /// The retro's id (see `retro list`)
        id: String,
        /// safety (the ROTI does not reopen)
        poll: String,
    },
    /// Mark an earlier action item done, open or dropped (facilitator)
    Review {
        /// The retro's id (see `retro list`)
        id: String,
        /// The action item's card id (12 or #12)
        card: String,
        /// done, open or dropped
        status: String,
    },
    /// Add an action item: a card on the board, tagged with the retro
    Action {
        /// The retro's id (see `retro list`)
        id: String,
        /// What will be done
        text: String,
        /// Who owns it
        #[arg(long)]
        owner: String,
        /// YYYY-MM-DD
        #[arg(long)]
        due: Option<String>,
    },
    /// Your own cards while they are hidden, and your dots while voting:
    /// found by your own key, shown to you alone
    Mine {
        /// The retro's id (see `retro list`)
        id: String,
        /// JSON output
        #[arg(long)]
        json: bool,
    },
    /// Take back one of your own cards before the reveal (its id from `retro mine`)
    TakeBack {
        /// The retro's id (see `retro list`)
        id: String,
        /// The card's id, from `retro mine`
        card: i64,
    },
    /// Everything the retro shows to everyone
    Show {
        /// The retro's id (see `retro list`)
        id: String,
        /// JSON output
        #[arg(long)]
        json: bool,
    },
    /// The retro as Markdown, for a wiki
    Export {
        /// The retro's id (see `retro list`)
        id: String,
        /// Write to this file instead of standard output
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

fn retro_id(text: &str) -> Result<RetroId, Failure> {
    super::number_id(text, "a retro id (a number)").map(RetroId)
}

fn poll(text: &str) -> Result<Poll, Failure> {
    match text.trim().to_ascii_lowercase().as_str() {
        "safety" => Ok(Poll::Safety),
        "roti" => Ok(Poll::Roti),
        other => Err(fail(format!("'{other}' is not a check (safety or roti)"))),
    }
}

pub fn run(store: &mut dyn Store, cmd: &RetroCmd) -> Outcome {
    let board = store.board()?;
    match cmd {
        RetroCmd::Formats { json } => {
            let (formats, problems) = crate::config::retro_formats();
            for p in problems {
                eprintln!("teamloop: warning: {}", sanitize(&p));
            }
            if *json {
                say!("{}", to_json(&formats)?);
            } else {
                for f in &formats {
                    let prompts: Vec<&str> = f.prompts.iter().map(|p| p.name.as_str()).collect();
                    say!("{:<22} {}", f.id, sanitize(&prompts.join(" · ")));
                }
            }
            Ok(())
        }
        RetroCmd::Start {
            format,
            title,
            votes,
            safety,
        } => {
            let (formats, _) = crate::config::retro_formats();
            let f = formats
                .into_iter()
                .find(|f| f.id == format.trim())
                .ok_or_else(|| {
                    fail(format!(
                        "no retro format '{format}' (teamloop retro formats lists them)"
                    ))
                })?;
            let safety = SafetyKind::parse(safety.trim())
                .ok_or_else(|| fail("--safety is esvp or scale"))?;
            let period = store.retro_period(board.id)?;
            let id = store.start_retro(
                board.id,
                NewRetro {
                    title: title.clone().unwrap_or(period.title),
                    format: f,
                    votes: votes.unwrap_or_else(|| crate::config::load().0.retro_votes),
                    safety,
                    sprint: period.sprint,
                    from: period.from,
                    to: period.to,
                },
            )?;
            say!("{}", id.0);
            Ok(())
        }
        RetroCmd::List { json } => {
            let all = store.retros(board.id)?;
            if *json {
                say!("{}", to_json(&all)?);
            } else {
                for r in &all {
                    say!(
                        "{:>4}  {}  {:<9} {}",
                        r.id.0,
                        r.started_at.format("%Y-%m-%d"),
                        r.phase.as_str(),
                        sanitize(&r.title)
                    );
                }
            }
            Ok(())
        }
        RetroCmd::Add { id, prompt, text } => {
            let id = retro_id(id)?;
            let r = store.retro(id)?;
            let i = match prompt.trim().parse::<usize>() {
                Ok(n) if n >= 1 && n <= r.format.prompts.len() => n - 1,
                _ => r
                    .format
                    .prompts
                    .iter()
                    .position(|p| p.name.eq_ignore_ascii_case(prompt.trim()))
                    .ok_or_else(|| {
                        let names: Vec<&str> =
                            r.format.prompts.iter().map(|p| p.name.as_str()).collect();
                        fail(format!(
                            "no prompt '{prompt}' in this retro ({})",
                            names.join(", ")
                        ))
                    })?,
            };
            let text = super::private_input(text.as_deref(), "Your card (anonymous)")?;
            let card = store.add_retro_card(id, i, &text)?;
            say!(
                "Card {card} added under {} (anonymous: only your own key knows it is yours)",
                sanitize(&r.format.prompts[i].name)
            );
            Ok(())
        }
        RetroCmd::Phase { id, to } => {
            let id = retro_id(id)?;
            let r = store.retro(id)?;
            let phase = match to.trim().to_ascii_lowercase().as_str() {
                "next" => r.phase.next(),
                "prev" | "previous" | "back" => r.phase.prev(),
                other => Phase::parse(other).ok_or_else(|| {
                    fail(format!(
                        "'{other}' is not a phase (next, prev, stage, review, facts, gather, group, vote, discuss, decide, close, closed)"
                    ))
                })?,
            };
            store.set_phase(id, phase)?;
            say!(
                "{} is at {}: {}",
                sanitize(&r.title),
                phase.title(),
                phase.purpose()
            );
            Ok(())
        }
        RetroCmd::TakeOver { id } => {
            let id = retro_id(id)?;
            let seen = store.retro(id)?.facilitator;
            let h = store.take_over_retro(id, &seen)?;
            say!(
                "You took over from {}: you facilitate the retro now",
                sanitize(&h.from)
            );
            Ok(())
        }
        RetroCmd::Reveal { id } => {
            let id = retro_id(id)?;
            store.reveal_cards(id)?;
            say!("The cards are revealed");
            Ok(())
        }
        RetroCmd::Group { id, items, title } => {
            let id = retro_id(id)?;
            let items: Vec<ItemId> = items.iter().map(|i| ItemId(*i)).collect();
            let item = store.group_items(id, &items, title)?;
            say!("{}", item.0);
            Ok(())
        }
        RetroCmd::Vote { id, item, count } => {
            let id = retro_id(id)?;
            let limit = store.retro(id)?.votes;
            let item = match item {
                Some(i) => *i,
                None => {
                    let typed = super::private_input(None, "The item's id")?;
                    super::number_id(&typed, "an item id (a number)")?
                }
            };
            let used = store.vote(id, ItemId(item), *count)?;
            say!("You have used {used} of your {limit} votes");
            Ok(())
        }
        RetroCmd::Answer { id, poll: p, value } => {
            let id = retro_id(id)?;
            let value = match value {
                Some(v) => *v,
                None => {
                    let typed = super::private_input(None, "Your answer (anonymous)")?;
                    typed
                        .trim()
                        .parse()
                        .map_err(|_| fail(format!("'{typed}' is not an answer (a number)")))?
                }
            };
            store.answer(id, poll(p)?, value)?;
            say!("Answered, anonymously");
            Ok(())
        }
        RetroCmd::CloseCheck { id, poll: p } => {
            let id = retro_id(id)?;
            let poll = poll(p)?;
            store.close_poll(id, poll)?;
            let report = store.retro_report(id)?;
            let view = if poll == Poll::Safety {
                report.safety
            } else {
                report.roti
            };
            if view.distribution.is_none() {
                say!(
                    "Closed with {} answer{}: the result will not be shown (it needs {})",
                    view.answers,
                    if view.answers == 1 { "" } else { "s" },
                    crate::domain::retro::MIN_ANSWERS_SHOWN
                );
            } else {
                say!("Closed");
            }
            Ok(())
        }
        RetroCmd::ReopenCheck { id, poll: p } => {
            let id = retro_id(id)?;
            store.reopen_poll(id, poll(p)?)?;
            say!("Reopened: it takes answers until the discussion");
            Ok(())
        }
        RetroCmd::Review { id, card, status } => {
            let id = retro_id(id)?;
            let typed = status.trim().to_ascii_lowercase();
            let status = match typed.as_str() {
                "drop" => ActionStatus::Dropped,
                other => ActionStatus::parse(other).ok_or_else(|| {
                    fail(format!("'{other}' is not a status (done, open or dropped)"))
                })?,
            };
            let card = parse_id(card)?;
            store.review_action(id, card, status)?;
            say!("{card} marked {}", status.as_str());
            Ok(())
        }
        RetroCmd::Action {
            id,
            text,
            owner,
            due,
        } => {
            let id = retro_id(id)?;
            let due = due.as_deref().map(parse_date).transpose()?;
            let card = store.add_action(id, text, Some(owner), due)?;
            say!("{}", card.0);
            Ok(())
        }
        RetroCmd::Mine { id, json } => {
            let id = retro_id(id)?;
            let r = store.retro(id)?;
            let cards = store.my_retro_cards(id)?;
            let votes = store.my_votes(id)?;
            let answered = (
                store.has_answered(id, Poll::Safety)?,
                store.has_answered(id, Poll::Roti)?,
            );
            if *json {
                let doc = serde_json::json!({
                    "retro": id.0,
                    "cards": cards.iter().map(|c| serde_json::json!({
                        "id": c.id,
                        "prompt": r.format.prompts.get(c.prompt).map(|p| p.name.as_str()),
                        "text": c.text,
                    })).collect::<Vec<_>>(),
                    "votes": votes.iter().map(|(item, n)| serde_json::json!({
                        "item": item.0, "count": n,
                    })).collect::<Vec<_>>(),
                    "votes_used": votes.iter().map(|(_, n)| n).sum::<u32>(),
                    "answered": { "safety": answered.0, "roti": answered.1 },
                });
                say!("{}", to_json(&doc)?);
            } else {
                if r.revealed {
                    say!("The cards are revealed: no card is anyone's now");
                } else if cards.is_empty() {
                    say!("You have written no card here (on this machine)");
                }
                for c in &cards {
                    let prompt = r
                        .format
                        .prompts
                        .get(c.prompt)
                        .map_or("", |p| p.name.as_str());
                    say!("{:>17}  {}: {}", c.id, sanitize(prompt), sanitize(&c.text));
                }
                for (item, n) in &votes {
                    say!(
                        "{n} vote{} on item {}",
                        if *n == 1 { "" } else { "s" },
                        item.0
                    );
                }
                for (poll, done) in [("safety check", answered.0), ("ROTI", answered.1)] {
                    if done {
                        say!("You have answered the {poll}");
                    }
                }
            }
            Ok(())
        }
        RetroCmd::TakeBack { id, card } => {
            let id = retro_id(id)?;
            store.delete_retro_card(id, *card)?;
            say!("Taken back");
            Ok(())
        }
        RetroCmd::Show { id, json } => {
            let id = retro_id(id)?;
            let report = store.retro_report(id)?;
            if *json {
                #[derive(Serialize)]
                struct Shown<'a> {
                    #[serde(flatten)]
                    report: &'a crate::domain::retro::RetroReport,
                    cards_written: u32,
                    to_review: Vec<ReviewJson>,
                    handovers: Vec<crate::domain::handover::Handover>,
                }
                #[derive(Serialize)]
                struct ReviewJson {
                    card: i64,
                    text: String,
                    status: ActionStatus,
                    marked: Option<ActionStatus>,
                }
                let to_review = store
                    .actions_to_review(id)?
                    .into_iter()
                    .map(|(a, marked)| ReviewJson {
                        card: a.card.0,
                        text: a.text,
                        status: a.status,
                        marked,
                    })
                    .collect();
                let shown = Shown {
                    report: &report,
                    cards_written: store.retro_cards_written(id)?,
                    to_review,
                    handovers: store.handovers(Ritual::Retro, id.0)?,
                };
                say!("{}", to_json(&shown)?);
            } else {
                emit(&export::markdown(&report));
                for h in store.handovers(Ritual::Retro, id.0)? {
                    emit(&format!(
                        "{} ({} UTC)\n",
                        h.sentence(),
                        h.at.format("%Y-%m-%d %H:%M")
                    ));
                }
            }
            Ok(())
        }
        RetroCmd::Export { id, output } => {
            let id = retro_id(id)?;
            let text = export::markdown(&store.retro_report(id)?);
            super::write_output(output.as_deref(), &text)
        }
    }
}
