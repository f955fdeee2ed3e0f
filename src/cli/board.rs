//! `teamloop card …` and `teamloop column …`: the board from scripts.

use clap::Subcommand;
use serde::Serialize;

use chrono::Utc;

use super::{Failure, Outcome, column_named, fail, parse_id, to_json};
use crate::domain::{ColumnKind, NewCard, WipLimit, WipPolicy};
use crate::store::Store;

#[derive(Debug, Subcommand)]
pub enum CardCmd {
    /// Add a card; prints its id
    Add {
        /// The card's title
        title: String,
        /// Column name [default: the first column]
        #[arg(long)]
        column: Option<String>,
        /// Story points
        #[arg(long)]
        points: Option<u32>,
        /// Who holds it
        #[arg(long)]
        assignee: Option<String>,
        /// A tag (repeat for more)
        #[arg(long = "tag")]
        tags: Vec<String>,
        /// A longer description
        #[arg(long)]
        description: Option<String>,
        /// Pass a full column's WIP limit (needs --reason)
        #[arg(long, requires = "reason")]
        force: bool,
        /// Why the WIP limit is passed; recorded with the event
        #[arg(long, requires = "force")]
        reason: Option<String>,
    },
    /// Move a card to another column
    Move {
        /// Card id (12 or #12)
        id: String,
        /// Column name
        column: String,
        /// Pass a full column's WIP limit (needs --reason)
        #[arg(long, requires = "reason")]
        force: bool,
        /// Why the WIP limit is passed; recorded with the event
        #[arg(long, requires = "force")]
        reason: Option<String>,
    },
    /// List the cards on the board
    List {
        /// Only this column
        #[arg(long)]
        column: Option<String>,
        /// JSON output
        #[arg(long)]
        json: bool,
    },
    /// Show one card with its history
    Show {
        /// Card id (12 or #12)
        id: String,
        /// JSON output
        #[arg(long)]
        json: bool,
    },
    /// Mark a card blocked, saying why
    Block {
        /// Card id (12 or #12)
        id: String,
        /// Why it is blocked; recorded with the event
        #[arg(long)]
        reason: String,
    },
    /// Clear a card's blocked flag
    Unblock {
        /// Card id (12 or #12)
        id: String,
    },
    /// Archive a card (it leaves the board; its history stays)
    Archive {
        /// Card id (12 or #12)
        id: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ColumnCmd {
    /// Add a column at the right end of the board
    Add {
        /// The new column's name
        name: String,
        /// WIP limit
        #[arg(long)]
        wip: Option<u32>,
        /// backlog, active or done
        #[arg(long, default_value = "active")]
        kind: String,
        /// Make the limit soft (warn and record, not refuse)
        #[arg(long, requires = "wip", conflicts_with = "strict")]
        soft: bool,
        /// Make the limit strict (refuse unless forced with a reason)
        /// [default: the settings' wip_policy, else strict]
        #[arg(long, requires = "wip")]
        strict: bool,
    },
    /// Set a column's WIP limit (a number, or none)
    SetWip {
        /// The column's name
        name: String,
        /// The limit: a number, or none to remove it
        limit: String,
        /// Soft limit: warn and record, not refuse
        #[arg(long, conflicts_with = "strict")]
        soft: bool,
        /// Strict limit: refuse unless forced with a reason [default: the
        /// settings' wip_policy, else strict]
        #[arg(long)]
        strict: bool,
    },
    /// List the columns with their limits and counts
    List {
        /// JSON output
        #[arg(long)]
        json: bool,
    },
}

#[derive(Serialize)]
struct CardJson<'a> {
    id: i64,
    title: &'a str,
    column: &'a str,
    assignee: Option<&'a str>,
    tags: &'a [String],
    points: Option<u32>,
    blocked: bool,
}

pub(super) fn card_command(store: &mut dyn Store, cmd: &CardCmd) -> Outcome {
    let board = store.board()?;
    match cmd {
        CardCmd::Add {
            title,
            column,
            points,
            assignee,
            tags,
            description,
            force,
            reason,
        } => {
            let col = match column {
                Some(name) => column_named(&board, name)?,
                None => board
                    .columns
                    .first()
                    .ok_or_else(|| fail("the board has no columns"))?,
            };
            let card = NewCard {
                title: title.clone(),
                description: description.clone().unwrap_or_default(),
                assignee: assignee.clone(),
                tags: tags.clone(),
                points: *points,
            };
            let force = if *force { reason.as_deref() } else { None };
            let entry = store.add_card(col.id, card, force).map_err(wip_refusal)?;
            if let Some(w) = entry.warning() {
                super::tell(&format!("teamloop: warning: {w}"));
            }
            say!("{}", entry.card.0);
            Ok(())
        }
        CardCmd::Move {
            id,
            column,
            force,
            reason,
        } => {
            let id = parse_id(id)?;
            let col = column_named(&board, column)?;
            let force = if *force { reason.as_deref() } else { None };
            let entry = store.move_card(id, col.id, force).map_err(wip_refusal)?;
            if let Some(w) = entry.warning() {
                super::tell(&format!("teamloop: warning: {w}"));
            }
            say!("Moved {id} to {}", entry.column.name);
            Ok(())
        }
        CardCmd::List { column, json } => {
            let col = column
                .as_deref()
                .map(|c| column_named(&board, c))
                .transpose()?;
            let cards = store.list_cards(&board, col.map(|c| c.id))?;
            let name = |id| board.column(id).map_or("", |c| c.name.as_str());
            if *json {
                let out: Vec<CardJson> = cards
                    .iter()
                    .map(|c| CardJson {
                        id: c.id.0,
                        title: &c.title,
                        column: name(c.column),
                        assignee: c.assignee.as_deref(),
                        tags: &c.tags,
                        points: c.points,
                        blocked: c.blocked,
                    })
                    .collect();
                say!("{}", to_json(&out)?);
            } else {
                for c in &cards {
                    say!(
                        "{:>6}  {:<14} {}{}{}{}",
                        c.id.0,
                        name(c.column),
                        crate::ui::text::sanitize(&c.title),
                        c.assignee
                            .as_deref()
                            .map_or(String::new(), |a| format!("  @{a}")),
                        c.points.map_or(String::new(), |p| format!("  {p}pt")),
                        if c.blocked { "  BLOCKED" } else { "" }
                    );
                }
            }
            Ok(())
        }
        CardCmd::Show { id, json } => {
            let id = parse_id(id)?;
            let card = store.card(id)?;
            let history = store.card_history(id)?;
            let column_name = board.column(card.column).map_or("", |c| c.name.as_str());
            if *json {
                #[derive(Serialize)]
                struct Shown<'a> {
                    id: i64,
                    title: &'a str,
                    description: &'a str,
                    column: &'a str,
                    column_id: i64,
                    assignee: Option<&'a str>,
                    tags: &'a [String],
                    points: Option<u32>,
                    blocked: bool,
                    blocked_reason: Option<&'a str>,
                    archived: bool,
                    created_at: chrono::DateTime<Utc>,
                    updated_at: chrono::DateTime<Utc>,
                    history: &'a [crate::domain::CardEvent],
                }
                let shown = Shown {
                    id: card.id.0,
                    title: &card.title,
                    description: &card.description,
                    column: column_name,
                    column_id: card.column.0,
                    assignee: card.assignee.as_deref(),
                    tags: &card.tags,
                    points: card.points,
                    blocked: card.blocked.is_some(),
                    blocked_reason: card.blocked.as_deref(),
                    archived: card.archived,
                    created_at: card.created_at,
                    updated_at: card.updated_at,
                    history: &history,
                };
                say!("{}", to_json(&shown)?);
            } else {
                say!("{} {}", card.id, card.title);
                if let Some(c) = board.column(card.column) {
                    say!("column: {}", c.name);
                }
                if let Some(r) = &card.blocked {
                    say!("BLOCKED: {r}");
                }
                for e in &history {
                    say!(
                        "{}  {:<10} {}",
                        e.at.format("%Y-%m-%d %H:%M"),
                        e.actor,
                        e.describe()
                    );
                }
            }
            Ok(())
        }
        CardCmd::Block { id, reason } => {
            let id = parse_id(id)?;
            store.set_blocked(id, Some(reason))?;
            say!("{id} blocked");
            Ok(())
        }
        CardCmd::Unblock { id } => {
            let id = parse_id(id)?;
            store.set_blocked(id, None)?;
            say!("{id} unblocked");
            Ok(())
        }
        CardCmd::Archive { id } => {
            let id = parse_id(id)?;
            store.archive_card(id)?;
            say!("Archived {id}");
            Ok(())
        }
    }
}

/// The policy of a limit being set: as asked, else the settings' default.
fn policy_of(soft: bool, strict: bool) -> WipPolicy {
    match (soft, strict) {
        (true, _) => WipPolicy::Soft,
        (_, true) => WipPolicy::Hard,
        _ => crate::config::load().0.wip_policy,
    }
}

pub(super) fn column_command(store: &mut dyn Store, cmd: &ColumnCmd) -> Outcome {
    let board = store.board()?;
    match cmd {
        ColumnCmd::Add {
            name,
            wip,
            kind,
            soft,
            strict,
        } => {
            let kind: ColumnKind = kind.parse()?;
            let wip = match wip {
                Some(0) => return Err(fail("a WIP limit must be at least 1")),
                Some(n) => Some(WipLimit {
                    limit: *n,
                    policy: policy_of(*soft, *strict),
                }),
                None => None,
            };
            store.add_column(board.id, name, kind, wip)?;
            say!("Added column {}", name.trim());
            Ok(())
        }
        ColumnCmd::SetWip {
            name,
            limit,
            soft,
            strict,
        } => {
            let col = column_named(&board, name)?;
            let limit = WipLimit::parse_limit(limit)?;
            let policy = policy_of(*soft, *strict);
            store.set_column_wip(col.id, limit.map(|limit| WipLimit { limit, policy }))?;
            match limit {
                Some(l) => say!("{} has a {} WIP limit of {l}", col.name, policy.as_str()),
                None => say!("{} has no WIP limit", col.name),
            }
            Ok(())
        }
        ColumnCmd::List { json } => {
            let cards = store.list_cards(&board, None)?;
            let count = |id| cards.iter().filter(|c| c.column == id).count();
            if *json {
                #[derive(Serialize)]
                struct ColumnJson<'a> {
                    id: i64,
                    name: &'a str,
                    kind: ColumnKind,
                    wip_limit: Option<u32>,
                    wip_policy: Option<WipPolicy>,
                    cards: usize,
                }
                let out: Vec<ColumnJson> = board
                    .columns
                    .iter()
                    .map(|c| ColumnJson {
                        id: c.id.0,
                        name: &c.name,
                        kind: c.kind,
                        wip_limit: c.wip.map(|w| w.limit),
                        wip_policy: c.wip.map(|w| w.policy),
                        cards: count(c.id),
                    })
                    .collect();
                say!("{}", to_json(&out)?);
            } else {
                for c in &board.columns {
                    let wip = c.wip.map_or("no limit".to_string(), |w| {
                        format!("WIP {} {}", w.limit, w.policy.as_str())
                    });
                    say!(
                        "{:<20} {:<8} {:<14} {} cards",
                        c.name,
                        c.kind.as_str(),
                        wip,
                        count(c.id)
                    );
                }
            }
            Ok(())
        }
    }
}

/// A hard limit's refusal, with the way past it.
fn wip_refusal(e: crate::store::StoreError) -> Failure {
    match e {
        crate::store::StoreError::Rule(crate::domain::DomainError::WipLimitReached { .. }) => {
            fail(format!(
                "{e}: --force --reason TEXT passes it, and the reason is recorded with the move"
            ))
        }
        other => other.into(),
    }
}
