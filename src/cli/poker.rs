//! `teamloop poker …`: planning poker from scripts and plain terminals,
//! through the same store rules as the poker panel. Before the reveal no
//! output names a value, not even the JSON: only who has picked.

use clap::Subcommand;
use serde::Serialize;

use super::{Failure, Outcome, emit, fail, parse_id, to_json};
use crate::domain::CardId;
use crate::domain::poker::{CardState, Deck, Round, RoundId};
use crate::store::Store;
use crate::ui::text::sanitize;

#[derive(Debug, Subcommand)]
pub enum PokerCmd {
    /// The decks a round can use: each one's id and values
    Decks {
        /// JSON output
        #[arg(long)]
        json: bool,
    },
    /// Start a round on one card or a queue of cards; you facilitate it. Prints its id
    Start {
        /// The cards to estimate, in order (ids like 12 or #12)
        #[arg(required = true, num_args = 1..)]
        cards: Vec<String>,
        /// A deck id (see `poker decks`) [default: fibonacci]
        #[arg(long, value_name = "NAME")]
        deck: Option<String>,
        /// Seconds each card's vote may take; then the picks are shown
        #[arg(long, value_name = "SECONDS")]
        timebox: Option<u32>,
    },
    /// Pick a value for the card being estimated (again: change your pick)
    Pick {
        /// The round's id
        round: String,
        /// A value of the round's deck
        value: String,
    },
    /// The round: its card, who has picked, and once revealed each pick
    Show {
        /// The round's id
        round: String,
        /// JSON output
        #[arg(long)]
        json: bool,
    },
    /// Show everyone's picks now (facilitator)
    Reveal {
        /// The round's id
        round: String,
    },
    /// Vote again on the card, after the reveal (facilitator)
    Revote {
        /// The round's id
        round: String,
    },
    /// Accept a value: its points become the card's estimate, and the next card is up (facilitator)
    Accept {
        /// The round's id
        round: String,
        /// A value of the deck that has points
        value: String,
    },
    /// End the round before its queue is done (facilitator)
    End {
        /// The round's id
        round: String,
    },
    /// Take the round over as its facilitator (when theirs is gone)
    TakeOver {
        /// The round's id
        round: String,
    },
}

fn round_id(text: &str) -> Result<RoundId, Failure> {
    super::number_id(text, "a poker round id (a number)").map(RoundId)
}

#[derive(Serialize)]
struct Named<'a> {
    value: &'a str,
    people: &'a [String],
}

#[derive(Serialize)]
struct QueueJson<'a> {
    id: i64,
    title: &'a str,
    state: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    estimate: Option<&'a str>,
}

#[derive(Serialize)]
struct CardJson<'a> {
    id: i64,
    title: &'a str,
    description: &'a str,
    vote: u32,
}

/// What `poker show --json` prints: before the reveal, `picked` names who
/// picked and no value is anywhere in it.
#[derive(Serialize)]
struct ShowJson<'a> {
    id: i64,
    facilitator: &'a str,
    deck: &'a str,
    values: Vec<&'a str>,
    open: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    card: Option<CardJson<'a>>,
    revealed: bool,
    joined: &'a [String],
    picked: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    picks: Option<Vec<Named<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    highest: Option<Named<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lowest: Option<Named<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    seconds_left: Option<i64>,
    queue: Vec<QueueJson<'a>>,
}

fn named<'a>(e: &'a Option<(String, Vec<String>)>) -> Option<Named<'a>> {
    e.as_ref().map(|(v, p)| Named {
        value: v,
        people: p,
    })
}

fn show(store: &dyn Store, r: &Round, json: bool) -> Outcome {
    let tally = r.tally();
    let revealed = r.revealed();
    let seconds_left = r.seconds_left(store.clock().now());
    if json {
        let doc = ShowJson {
            id: r.id.0,
            facilitator: &r.facilitator,
            deck: &r.deck.id,
            values: r.deck.labels(),
            open: r.is_open(),
            card: r.current().map(|c| CardJson {
                id: c.card.0,
                title: &c.title,
                description: &c.description,
                vote: c.vote,
            }),
            revealed,
            joined: &r.joined,
            picked: r.picks.iter().map(|p| p.person.as_str()).collect(),
            picks: tally.as_ref().map(|t| {
                t.values
                    .iter()
                    .map(|(v, p)| Named {
                        value: v,
                        people: p,
                    })
                    .collect()
            }),
            highest: tally.as_ref().and_then(|t| named(&t.highest)),
            lowest: tally.as_ref().and_then(|t| named(&t.lowest)),
            seconds_left,
            queue: r
                .cards
                .iter()
                .map(|c| QueueJson {
                    id: c.card.0,
                    title: &c.title,
                    state: c.state.as_str(),
                    estimate: c.accepted.as_deref(),
                })
                .collect(),
        };
        say!("{}", to_json(&doc)?);
        return Ok(());
    }
    let mut out = format!(
        "Poker round {} ({}, facilitated by {}): {} of {} estimated{}\n",
        r.id,
        r.deck.name,
        r.facilitator,
        r.done(),
        r.cards.len(),
        if r.is_open() { "" } else { ", over" }
    );
    if let Some(c) = r.current() {
        out.push_str(&format!("Now: {} {} (vote {})\n", c.card, c.title, c.vote));
        if !c.description.trim().is_empty() {
            out.push_str(&format!("  {}\n", c.description.trim()));
        }
        if let Some(s) = seconds_left {
            out.push_str(&format!("Timebox: {s}s left\n"));
        }
        let (picked, waiting) = r.picked_and_waiting();
        match &tally {
            None => {
                out.push_str(&format!(
                    "Picked ({}): {}\n",
                    picked.len(),
                    if picked.is_empty() {
                        "no one yet".to_string()
                    } else {
                        picked.join(", ")
                    }
                ));
                if !waiting.is_empty() {
                    out.push_str(&format!("Not yet: {}\n", waiting.join(", ")));
                }
                out.push_str("The picks are hidden until the reveal\n");
            }
            Some(t) => {
                for (v, people) in &t.values {
                    out.push_str(&format!(
                        "  {v:>6}  {}  {}\n",
                        "#".repeat(people.len()),
                        people.join(", ")
                    ));
                }
                if t.agreed {
                    out.push_str("Everyone who estimated agrees\n");
                } else if let (Some((hv, hp)), Some((lv, lp))) = (&t.highest, &t.lowest) {
                    out.push_str(&format!(
                        "Highest: {hv} ({}); lowest: {lv} ({})\n",
                        hp.join(", "),
                        lp.join(", ")
                    ));
                }
            }
        }
    }
    for c in &r.cards {
        let state = match (c.state, &c.accepted) {
            (CardState::Accepted, Some(v)) => format!("estimated {v}"),
            (s, _) => s.as_str().to_string(),
        };
        out.push_str(&format!("  {} {} [{state}]\n", c.card, c.title));
    }
    emit(&out);
    Ok(())
}

pub fn run(store: &mut dyn Store, cmd: &PokerCmd) -> Outcome {
    let (decks, problems) = crate::config::poker_decks();
    for p in problems {
        eprintln!("teamloop: warning: {}", sanitize(&p));
    }
    match cmd {
        PokerCmd::Decks { json } => {
            if *json {
                say!("{}", to_json(&decks)?);
            } else {
                for d in &decks {
                    say!("{:<12} {:<20} {}", d.id, d.name, d.labels().join(" "));
                }
            }
            Ok(())
        }
        PokerCmd::Start {
            cards,
            deck,
            timebox,
        } => {
            let board = store.board()?;
            let deck = Deck::named(&decks, deck.as_deref().unwrap_or("fibonacci"))?;
            let cards: Vec<CardId> = cards
                .iter()
                .map(|c| parse_id(c))
                .collect::<Result<_, _>>()?;
            let id = store.start_poker(board.id, &cards, deck, *timebox)?;
            say!("{}", id.0);
            Ok(())
        }
        PokerCmd::Pick { round, value } => {
            let id = round_id(round)?;
            let (label, revealed) = store.pick_poker(id, value)?;
            say!(
                "You picked {label}{}",
                if revealed {
                    ": everyone has picked, the picks are shown"
                } else {
                    ""
                }
            );
            Ok(())
        }
        PokerCmd::Show { round, json } => {
            let r = store.poker_round(round_id(round)?)?;
            show(&*store, &r, *json)
        }
        PokerCmd::Reveal { round } => {
            store.reveal_poker(round_id(round)?)?;
            say!("The picks are shown");
            Ok(())
        }
        PokerCmd::Revote { round } => {
            store.revote_poker(round_id(round)?)?;
            say!("A new vote: everyone picks again");
            Ok(())
        }
        PokerCmd::Accept { round, value } => {
            let id = round_id(round)?;
            let card = store
                .poker_round(id)?
                .current()
                .map(|c| c.card)
                .ok_or_else(|| fail("no card is being estimated"))?;
            let points = store.accept_poker(id, value)?;
            let r = store.poker_round(id)?;
            match r.current() {
                Some(next) => say!(
                    "{card} is estimated at {points} points; next: {} {}",
                    next.card,
                    next.title
                ),
                None => say!("{card} is estimated at {points} points; the round is over"),
            }
            Ok(())
        }
        PokerCmd::End { round } => {
            store.end_poker(round_id(round)?)?;
            say!("The round is over");
            Ok(())
        }
        PokerCmd::TakeOver { round } => {
            let id = round_id(round)?;
            let seen = store.poker_round(id)?.facilitator;
            let h = store.take_over_poker(id, &seen)?;
            say!(
                "You took over from {}: you facilitate the round now",
                sanitize(&h.from)
            );
            Ok(())
        }
    }
}
