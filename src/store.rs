//! Persistence. Everything the app keeps goes through the [`Store`] trait,
//! which speaks domain types; SQL lives only in this module. A second
//! implementation (for a shared server) would implement the same trait.

pub mod backend;
mod claim;
mod error;
pub mod handovers;
pub(crate) mod kept;
pub mod mortems;
pub(crate) mod open;
pub mod poker;
pub mod presence;
mod pulses;
mod report;
mod retros;
pub mod server;
mod sprints;
pub mod sql;
mod sql_store;
mod sqlite;
mod standups;
pub(crate) mod transfer;

pub use crate::domain::retro::RetroPeriod;
pub use claim::{ClaimKind, PersonKey, random_id};
pub use error::StoreError;
pub use handovers::HandoverStore;
pub use mortems::MortemStore;
pub use open::{APPLICATION_ID, BACKUP_ID, OpenOptions, open, open_in_memory, schema_version};
pub use poker::PokerStore;
pub use presence::PresenceStore;
pub use pulses::{NewPulse, PulseStore};
pub use report::markdown_report;
pub use retros::{NewRetro, RetroStore};
pub use sprints::{Closed, SprintPatch, SprintReport, SprintStore};
pub use sql_store::{ServerStore, SqlStore, SqliteStore};
pub use sqlite::SqliteFile;
pub use standups::{Impediment, StandupStore};
pub use transfer::{
    Export, FORMAT, FORMAT_VERSION, Imported, backup, check, export_db, export_json, import_from,
    import_into, import_json, restore,
};

use std::collections::HashMap;

use crate::domain::demo::DemoSource;
use crate::domain::flow::{self, FlowHistory, FlowQuery, FlowRange, FlowReport};
use crate::domain::retro::{Facts, Retro, lookback};
use crate::domain::sprint::{Sprint, burndown, current};
use crate::domain::{
    Board, BoardId, Card, CardEvent, CardFilter, CardId, CardPatch, CardSummary, Clock, Column,
    ColumnId, ColumnKind, EntryDecision, NewCard, WipLimit,
};

pub type Result<T> = std::result::Result<T, StoreError>;

/// One column as the board shows it: its live card count (what the WIP limit
/// counts), how many of those match the filter, and one window of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnPage {
    pub column: Column,
    pub count: u32,
    pub matching: u32,
    pub offset: u32,
    pub cards: Vec<CardSummary>,
}

/// Which window of a column to load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub offset: u32,
    pub limit: u32,
}

/// A card entered a column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub card: CardId,
    /// The event that records it.
    pub event: i64,
    pub column: Column,
    pub decision: EntryDecision,
}

impl Entry {
    /// The WIP warning for this entry, if it broke a limit.
    pub fn warning(&self) -> Option<String> {
        self.decision.warning(&self.column)
    }
}

/// Everything the app keeps: the board here, sprints and standups in their
/// own traits.
pub trait Store:
    SprintStore
    + StandupStore
    + RetroStore
    + PulseStore
    + MortemStore
    + HandoverStore
    + PresenceStore
    + PokerStore
{
    /// Where the data lives, for the status line.
    fn location(&self) -> String;
    fn is_read_only(&self) -> bool;
    /// Who is acting: recorded on every event.
    fn actor(&self) -> &str;
    /// True when another process has committed a change since the last call.
    fn poll_changed(&mut self) -> Result<bool>;

    /// The first board, with its live columns in order.
    fn board(&self) -> Result<Board>;
    /// The board's columns with counts and one window of cards each.
    /// `windows[i]` belongs to `board.columns[i]`; missing entries load nothing.
    fn board_pages(
        &self,
        board: &Board,
        filter: &CardFilter,
        windows: &[Window],
    ) -> Result<Vec<ColumnPage>>;
    fn card(&self, id: CardId) -> Result<Card>;
    /// A card's events, oldest first.
    fn card_history(&self, id: CardId) -> Result<Vec<CardEvent>>;
    /// Live cards of the board (or of one column), in board order.
    fn list_cards(&self, board: &Board, column: Option<ColumnId>) -> Result<Vec<CardSummary>>;
    /// The clock every write is stamped with, and the user's UTC offset.
    fn clock(&self) -> &dyn Clock;
    /// The board's columns (retired ones too) and its card events, for flow metrics.
    fn flow_history(&self, board: &Board) -> Result<FlowHistory>;
    /// Titles of these cards (missing ids are left out).
    fn card_titles(&self, ids: &[CardId]) -> Result<HashMap<CardId, String>>;
    /// Number of cards (archived included) on every board.
    fn card_count(&self) -> Result<u64>;

    fn add_card(&mut self, column: ColumnId, card: NewCard, force: Option<&str>) -> Result<Entry>;
    fn update_card(&mut self, id: CardId, patch: CardPatch) -> Result<()>;
    /// Moves a card to another column, checking the WIP limit in the same
    /// transaction; `force` is the reason for passing a hard limit.
    fn move_card(&mut self, id: CardId, to: ColumnId, force: Option<&str>) -> Result<Entry>;
    /// Moves a card up (`-1`) or down (`+1`) within its column: its priority.
    fn reorder_card(&mut self, id: CardId, delta: i32) -> Result<()>;
    /// Adds the reason to a recorded WIP breach (e.g. after a soft-limit warning).
    fn explain_breach(&mut self, event: i64, reason: &str) -> Result<()>;
    /// Blocks a card with a reason, or unblocks it with `None`.
    fn set_blocked(&mut self, id: CardId, reason: Option<&str>) -> Result<()>;
    fn archive_card(&mut self, id: CardId) -> Result<()>;
    /// Brings an archived card back into the column it left (an undo);
    /// that column's WIP limit applies.
    fn restore_card(&mut self, id: CardId) -> Result<Entry>;

    fn add_column(
        &mut self,
        board: BoardId,
        name: &str,
        kind: ColumnKind,
        wip: Option<WipLimit>,
    ) -> Result<ColumnId>;
    fn rename_column(&mut self, id: ColumnId, name: &str) -> Result<()>;
    /// Moves a column left (`-1`) or right (`+1`) in the board order.
    fn shift_column(&mut self, id: ColumnId, delta: i32) -> Result<()>;
    /// Retires a column that holds no live cards; its history keeps its name.
    fn delete_column(&mut self, id: ColumnId) -> Result<()>;
    fn set_column_wip(&mut self, id: ColumnId, wip: Option<WipLimit>) -> Result<()>;
    fn set_column_kind(&mut self, id: ColumnId, kind: ColumnKind) -> Result<()>;

    /// The whole database as the versioned JSON document (docs/FORMAT.md),
    /// without what an open ritual hides, which it names.
    fn export_json(&self) -> Result<Export>;

    /// Writes demo data into a database that has no cards yet.
    fn seed_demo(&mut self, plan: &dyn DemoSource) -> Result<()>;

    /// Each figure kept from the history ([`kept`]) that differs from a
    /// count from scratch, one line each.
    fn check_kept(&self) -> Result<Vec<String>>;
    /// Every kept figure built again from the history, in one write.
    fn rebuild_kept(&mut self) -> Result<()>;

    /// Every flow metric of the board over `range`, as of the store's clock,
    /// with the titles of the cards the Flow tab lists.
    fn flow_report(&self, board: &Board, range: FlowRange) -> Result<FlowReport> {
        self.flow_report_of(&self.flow_history(board)?, range)
    }

    /// The same from a history already read: the Flow tab keeps one while
    /// only the range changes.
    fn flow_report_of(&self, history: &FlowHistory, range: FlowRange) -> Result<FlowReport> {
        self.with_titles(flow::flow_report(history, &self.flow_query(range)))
    }

    /// A report over `range`, as of the store's clock.
    fn flow_query(&self, range: FlowRange) -> FlowQuery<'_> {
        let clock = self.clock();
        FlowQuery {
            now: clock.now(),
            zone: clock.zone(),
            range,
        }
    }

    /// The report with the titles of the cards the Flow tab lists.
    fn with_titles(&self, mut report: FlowReport) -> Result<FlowReport> {
        let titles = self.card_titles(&report.cards_to_name(FLOW_BLOCKED_NAMED))?;
        report.name_cards(&titles);
        Ok(report)
    }

    /// What the board recorded over a retro's period: cards finished, WIP
    /// limits passed and why, blocked time, and work in progress older than
    /// the period's 85th percentile cycle time.
    fn retro_facts(&self, board: &Board, retro: &Retro) -> Result<Facts> {
        let report = self.flow_report(board, FlowRange::Since(retro.from))?;
        let end = self
            .clock()
            .zone()
            .midnight(retro.to + chrono::Duration::days(1));
        let finished = lookback::finished_before(&report.finished, end);
        let titles = self.card_titles(&finished)?;
        let breaches = self.wip_breaches(board.id, retro.from, retro.to)?;
        Ok(lookback::facts(
            &report,
            &finished,
            &titles,
            breaches,
            FLOW_BLOCKED_NAMED,
        ))
    }

    /// Cards finished on each day, the flow report's throughput exactly
    /// (a card's last entry into a done column, on the user's calendar
    /// day), from `from` (or the board's first day) to today, days without
    /// a finish included: what a forecast samples.
    fn finishes_per_day(
        &self,
        board: &Board,
        from: Option<chrono::NaiveDate>,
    ) -> Result<Vec<(chrono::NaiveDate, u32)>> {
        let range = from.map_or(FlowRange::All, FlowRange::Since);
        let report = self.flow_report(board, range)?;
        // All history starts on a whole week: the days before the board's
        // first card are not part of it.
        let skip = match range {
            FlowRange::All => report
                .cfd
                .iter()
                .zip(&report.throughput.daily)
                .take_while(|(day, n)| **n == 0 && day.counts.iter().all(|c| *c == 0))
                .count(),
            _ => 0,
        };
        Ok(report
            .cfd
            .iter()
            .zip(&report.throughput.daily)
            .skip(skip)
            .map(|(day, n)| (day.date, *n))
            .collect())
    }

    /// What a new retro looks back over, with a title to suggest (see
    /// [`lookback::period`]), as of the store's clock.
    fn retro_period(&self, board: BoardId) -> Result<RetroPeriod> {
        let today = self.clock().zone().day_of(self.clock().now());
        let last = self.retros(board)?.into_iter().next();
        Ok(lookback::period(
            today,
            last.as_ref(),
            &self.sprints(board)?,
        ))
    }

    /// The active sprint, or else the one being planned.
    fn current_sprint(&self, board: BoardId) -> Result<Option<Sprint>> {
        Ok(current(&self.sprints(board)?).cloned())
    }

    /// A sprint with its cards and burndown, as of the store's clock.
    fn sprint_report(&self, sprint: &Sprint) -> Result<SprintReport> {
        let history = self.burn_history(sprint.id)?;
        let clock = self.clock();
        Ok(SprintReport {
            sprint: sprint.clone(),
            cards: self.sprint_cards(sprint.id)?,
            burndown: burndown(sprint, &history, clock.now(), clock.zone()),
        })
    }
}

/// How many of the longest-blocked cards a flow report names.
pub const FLOW_BLOCKED_NAMED: usize = 50;
