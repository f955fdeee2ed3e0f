//! The one SQL store: every store operation, written once over [`Db`](super::sql::Db), for either engine.

mod anon;
mod columns;
mod flow;
mod handovers;
pub(super) mod kept_flow;
mod kept_report;
mod mortems;
mod poker;
mod presence;
mod pulses;
mod read;
mod retros;
mod rituals;
mod sprints;
mod standups;
mod write;

#[cfg(test)]
mod transfer_tests;

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use super::backend::Backend;
use super::server::ServerBackend;
use super::sql::{Db, DbExt};
use super::sqlite::SqliteFile;
use crate::sql_params as params;

use super::mortems::{Field, NewReason, Reason};
use super::{
    Closed, ColumnPage, Entry, Impediment, MortemStore, NewPulse, NewRetro, OpenOptions,
    PulseStore, Result, RetroStore, SprintPatch, SprintStore, StandupStore, Store, StoreError,
    Window,
};
use crate::domain::demo::DemoSource;
use crate::domain::flow::{FlowHistory, FlowRange, FlowReport};
use crate::domain::handover::{Handover, Ritual};
use crate::domain::mortem::{Listed, MortemId, MortemReport, NewAction, Stage, Status};
use crate::domain::pulse::{Pulse, PulseId, PulseResults, TrendPoint};
use crate::domain::retro::{
    Action, ActionStatus, BreachFact, ItemId, Phase, Poll, Retro, RetroCard, RetroId, RetroReport,
};
use crate::domain::sprint::{BurnHistory, NewSprint, Sprint, SprintCard, SprintId};
use crate::domain::standup::{
    ActionItem, NewStandup, SpeakerNotes, Standup, StandupFormat, StandupId, StandupSettings,
    WalkCard,
};
use crate::domain::{
    Board, BoardId, Card, CardEvent, CardFilter, CardId, CardPatch, CardSummary, Clock, ColumnId,
    ColumnKind, NewCard, WipLimit,
};

/// The store over one engine's [`Backend`]: the embedded file
/// ([`SqliteStore`]) or the team's server ([`ServerStore`]).
pub struct SqlStore<B: Backend> {
    backend: B,
    actor: String,
    key: super::PersonKey,
    clock: Arc<dyn Clock>,
    /// When the next pulse closes by date, as last read (`None`: not read
    /// since the last change, by anyone).
    next_close: Option<Option<i64>>,
}

/// A board in a SQLite file.
pub type SqliteStore = SqlStore<SqliteFile>;

/// A board on the team's PostgreSQL server.
pub type ServerStore = SqlStore<ServerBackend>;

pub(crate) fn ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

pub(crate) fn from_ms(v: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(v).unwrap_or_default()
}

/// A day as the schema stores it (`YYYY-MM-DD`).
pub(crate) fn day(text: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_default()
}

/// The user's calendar day at `now` (a write's time, taken in its
/// transaction): the day a ritual starts is the day its write is dated.
fn day_at(clock: &Arc<dyn Clock>, now: i64) -> chrono::NaiveDate {
    clock.zone().day_of(from_ms(now))
}

/// The time a write is stamped with, read once the write lock is held:
/// writers queue for the lock, so the order of event times is the order
/// of commits. A wall clock behind the last change (stepped back, or set
/// wrong on this machine) stamps the change with that change's time
/// instead, so no event is ever older than one committed before it.
fn write_time(db: &dyn Db, clock: &dyn Clock) -> Result<i64> {
    let now = ms(clock.now());
    if !clock.is_wall() {
        return Ok(now);
    }
    let last: Option<i64> = db.one("SELECT max(at) FROM card_events", params![])?;
    Ok(now.max(last.unwrap_or(i64::MIN)))
}

impl<B: Backend> SqlStore<B> {
    pub(super) fn new(backend: B, opts: OpenOptions) -> Self {
        Self {
            backend,
            actor: opts.actor,
            key: opts.key,
            clock: opts.clock,
            next_close: None,
        }
    }

    /// Runs `f` over reads, each seeing what was committed before it.
    pub(super) fn read<T>(&self, f: impl FnOnce(&dyn Db) -> Result<T>) -> Result<T> {
        self.backend.read(f)
    }

    /// Runs `f` in one write transaction: all of it is saved, or none.
    fn write<T>(&mut self, f: impl FnOnce(&dyn Db, i64, &str) -> Result<T>) -> Result<T> {
        let clock = Arc::clone(&self.clock);
        let actor = &self.actor;
        self.next_close = None;
        self.backend.transaction(|db| {
            let now = write_time(db, clock.as_ref())?;
            f(db, now, actor)
        })
    }

    /// A write that touches anonymous data: one transaction, with the
    /// person's key, made the way the engine keeps it from being paired
    /// with the person outside the rows (see
    /// [`Backend::anonymous_transaction`]).
    fn write_anonymous<T>(
        &mut self,
        f: impl FnOnce(&dyn Db, i64, &str, &super::PersonKey) -> Result<T>,
    ) -> Result<T> {
        let clock = Arc::clone(&self.clock);
        let (actor, key) = (&self.actor, &self.key);
        self.next_close = None;
        self.backend.anonymous_transaction(|db| {
            let now = write_time(db, clock.as_ref())?;
            f(db, now, actor, key)
        })
    }

    /// Records the closes by date that are due (see
    /// `pulses::record_due_closes`); true if there were any. When the next
    /// one is due is read once after each change, so a check for changes
    /// costs no query while nothing changes.
    pub(super) fn record_due_closes(&mut self) -> Result<bool> {
        if self.backend.is_read_only() {
            return Ok(false);
        }
        let next = match self.next_close {
            Some(next) => next,
            None => {
                let next = self.read(pulses::next_close)?;
                self.next_close = Some(next);
                next
            }
        };
        if next.is_none_or(|at| at > ms(self.clock.now())) {
            return Ok(false);
        }
        self.write_anonymous(|tx, now, _, _| pulses::record_due_closes(tx, from_ms(now)))?;
        Ok(true)
    }

    /// Creates the starter board if the database has none.
    pub(super) fn ensure_board(&mut self) -> Result<()> {
        // Looked at first without a write lock: opening a board that is
        // there never waits for another teamloop's writes.
        let first = "SELECT id FROM boards ORDER BY id LIMIT 1";
        let has: Option<i64> = self.read(|db| db.row(first, params![], |r| r.get(0)))?;
        if has.is_some() {
            return Ok(());
        }
        self.write(|tx, now, _| {
            let has: Option<i64> = tx.row(first, params![], |r| r.get(0))?;
            if has.is_none() {
                columns::create_board(tx, "Team board", now)?;
            }
            Ok(())
        })
    }

    /// A JSON export put into this board, which must hold nothing of a
    /// team's yet: all of it in one transaction, or nothing.
    pub fn import(&mut self, source: impl std::io::Read) -> Result<super::Imported> {
        self.next_close = None;
        self.backend
            .transaction(|db| super::transfer::import_into(db, source))
    }

    pub(super) fn backend_mut(&mut self) -> &mut B {
        &mut self.backend
    }
}

impl SqliteStore {
    /// The database file.
    pub fn path(&self) -> &std::path::Path {
        self.backend.path()
    }

    /// Direct access for tests that check invariants across tables.
    pub fn connection(&self) -> &Connection {
        self.backend.connection()
    }
}

impl<B: Backend> Store for SqlStore<B> {
    fn location(&self) -> String {
        self.backend.location()
    }

    fn is_read_only(&self) -> bool {
        self.backend.is_read_only()
    }

    fn actor(&self) -> &str {
        &self.actor
    }

    fn poll_changed(&mut self) -> Result<bool> {
        let changed = self.backend.changed()?;
        if changed {
            self.next_close = None;
        }
        Ok(self.record_due_closes()? || changed)
    }

    fn board(&self) -> Result<Board> {
        self.read(|db| read::board(db))
    }

    fn board_pages(
        &self,
        board: &Board,
        filter: &CardFilter,
        windows: &[Window],
    ) -> Result<Vec<ColumnPage>> {
        self.read(|db| read::board_pages(db, board, filter, windows))
    }

    fn card(&self, id: CardId) -> Result<Card> {
        self.read(|db| read::card(db, id))
    }

    fn card_history(&self, id: CardId) -> Result<Vec<CardEvent>> {
        self.read(|db| read::card_history(db, id))
    }

    fn list_cards(&self, board: &Board, column: Option<ColumnId>) -> Result<Vec<CardSummary>> {
        self.read(|db| read::list_cards(db, board, column))
    }

    fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    /// From the kept flow figures, in one consistent state; from a replay
    /// only where the user's days do not begin on a quarter hour.
    fn flow_report(&self, board: &Board, range: FlowRange) -> Result<FlowReport> {
        let query = self.flow_query(range);
        match self
            .backend
            .snapshot(|db| kept_report::report(db, board, &query))?
        {
            Some(report) => self.with_titles(report),
            None => self.flow_report_of(&self.flow_history(board)?, range),
        }
    }

    fn flow_history(&self, board: &Board) -> Result<FlowHistory> {
        self.read(|db| flow::history(db, board))
    }

    fn card_titles(&self, ids: &[CardId]) -> Result<HashMap<CardId, String>> {
        self.read(|db| flow::titles(db, ids))
    }

    fn card_count(&self) -> Result<u64> {
        let count: i64 = self.read(|db| db.one("SELECT count(*) FROM cards", params![]))?;
        Ok(count as u64)
    }

    fn add_card(&mut self, column: ColumnId, card: NewCard, force: Option<&str>) -> Result<Entry> {
        let card = card.validated()?;
        self.write(|tx, now, actor| write::add_card(tx, column, &card, force, now, actor))
    }

    fn update_card(&mut self, id: CardId, patch: CardPatch) -> Result<()> {
        let patch = patch.validated()?;
        self.write(|tx, now, actor| write::update_card(tx, id, &patch, now, actor))
    }

    fn move_card(&mut self, id: CardId, to: ColumnId, force: Option<&str>) -> Result<Entry> {
        self.write(|tx, now, actor| write::move_card(tx, id, to, force, now, actor))
    }

    fn reorder_card(&mut self, id: CardId, delta: i32) -> Result<()> {
        self.write(|tx, _, _| write::reorder_card(tx, id, delta))
    }

    fn explain_breach(&mut self, event: i64, reason: &str) -> Result<()> {
        let reason = crate::domain::text::one_line(reason);
        if reason.is_empty() {
            return Err(crate::domain::DomainError::ReasonRequired.into());
        }
        self.write(|tx, _, _| write::explain_breach(tx, event, &reason))
    }

    fn set_blocked(&mut self, id: CardId, reason: Option<&str>) -> Result<()> {
        self.write(|tx, now, actor| write::set_blocked(tx, id, reason, now, actor))
    }

    fn archive_card(&mut self, id: CardId) -> Result<()> {
        self.write(|tx, now, actor| write::archive_card(tx, id, now, actor))
    }

    fn export_json(&self) -> Result<super::Export> {
        self.backend.snapshot(super::transfer::export_db)
    }

    fn restore_card(&mut self, id: CardId) -> Result<Entry> {
        self.write(|tx, now, actor| write::restore_card(tx, id, now, actor))
    }

    fn add_column(
        &mut self,
        board: BoardId,
        name: &str,
        kind: ColumnKind,
        wip: Option<WipLimit>,
    ) -> Result<ColumnId> {
        self.write(|tx, _, _| columns::add_column(tx, board, name, kind, wip))
    }

    fn rename_column(&mut self, id: ColumnId, name: &str) -> Result<()> {
        self.write(|tx, _, _| columns::rename_column(tx, id, name))
    }

    fn shift_column(&mut self, id: ColumnId, delta: i32) -> Result<()> {
        self.write(|tx, _, _| columns::shift_column(tx, id, delta))
    }

    fn delete_column(&mut self, id: ColumnId) -> Result<()> {
        self.write(|tx, now, _| columns::delete_column(tx, id, now))
    }

    fn set_column_wip(&mut self, id: ColumnId, wip: Option<WipLimit>) -> Result<()> {
        self.write(|tx, _, _| columns::set_wip(tx, id, wip))
    }

    fn set_column_kind(&mut self, id: ColumnId, kind: ColumnKind) -> Result<()> {
        self.write(|tx, _, _| columns::set_kind(tx, id, kind))
    }

    fn seed_demo(&mut self, plan: &dyn DemoSource) -> Result<()> {
        let clock = Arc::clone(&self.clock);
        self.write(|tx, _, _| write::seed_demo(tx, plan, clock.zone()))
    }

    fn check_kept(&self) -> Result<Vec<String>> {
        self.read(crate::store::kept::check)
    }

    fn rebuild_kept(&mut self) -> Result<()> {
        self.write(|tx, _, _| crate::store::kept::rebuild(tx))
    }
}

impl<B: Backend> SprintStore for SqlStore<B> {
    fn sprints(&self, board: BoardId) -> Result<Vec<Sprint>> {
        self.read(|db| sprints::sprints(db, board))
    }

    fn sprint_cards(&self, sprint: SprintId) -> Result<Vec<SprintCard>> {
        self.read(|db| sprints::sprint_cards(db, sprint, self.clock.zone()))
    }

    fn backlog_cards(&self, board: &Board) -> Result<Vec<SprintCard>> {
        self.read(|db| sprints::backlog_cards(db, board.id))
    }

    fn burn_history(&self, sprint: SprintId) -> Result<BurnHistory> {
        self.read(|db| sprints::burn_history(db, sprint))
    }

    fn create_sprint(&mut self, board: BoardId, sprint: NewSprint) -> Result<SprintId> {
        let sprint = sprint.validated()?;
        self.write(|tx, now, _| sprints::create_sprint(tx, board, &sprint, now))
    }

    fn edit_sprint(&mut self, id: SprintId, patch: SprintPatch) -> Result<()> {
        self.write(|tx, _, _| sprints::edit_sprint(tx, id, &patch))
    }

    fn start_sprint(&mut self, id: SprintId, patch: SprintPatch) -> Result<()> {
        let clock = Arc::clone(&self.clock);
        self.write(|tx, now, _| {
            if patch != SprintPatch::default() {
                sprints::edit_sprint(tx, id, &patch)?;
            }
            sprints::start_sprint(tx, id, now, day_at(&clock, now))
        })
    }

    fn start_new_sprint(&mut self, board: BoardId, sprint: NewSprint) -> Result<SprintId> {
        let sprint = sprint.validated()?;
        let clock = Arc::clone(&self.clock);
        self.write(|tx, now, _| {
            let id = sprints::create_sprint(tx, board, &sprint, now)?;
            sprints::start_sprint(tx, id, now, day_at(&clock, now))?;
            Ok(id)
        })
    }

    fn add_to_sprint(&mut self, sprint: SprintId, cards: &[CardId]) -> Result<()> {
        self.write(|tx, now, actor| {
            cards
                .iter()
                .try_for_each(|c| sprints::add_to_sprint(tx, sprint, *c, now, actor))
        })
    }

    fn remove_from_sprint(&mut self, sprint: SprintId, cards: &[CardId]) -> Result<()> {
        self.write(|tx, now, actor| {
            cards
                .iter()
                .try_for_each(|c| sprints::remove_from_sprint(tx, sprint, *c, now, actor))
        })
    }

    fn close_sprint(&mut self, id: SprintId, carry: &[CardId]) -> Result<Closed> {
        let clock = Arc::clone(&self.clock);
        self.write(|tx, now, actor| {
            sprints::close_sprint(tx, id, carry, from_ms(now), clock.zone(), actor)
        })
    }
}

impl<B: Backend> StandupStore for SqlStore<B> {
    fn standup_settings(&self, board: BoardId) -> Result<StandupSettings> {
        self.read(|db| standups::settings(db, board))
    }

    fn set_standup_settings(&mut self, board: BoardId, settings: StandupSettings) -> Result<()> {
        self.write(|tx, _, _| standups::set_settings(tx, board, settings))
    }

    fn walk_cards(&self, board: &Board, sprint: Option<SprintId>) -> Result<Vec<WalkCard>> {
        self.read(|db| standups::walk_cards(db, board, sprint))
    }

    fn action_items(&self, board: &Board) -> Result<Vec<ActionItem>> {
        self.read(|db| standups::action_items(db, board))
    }

    fn standup_people(&self, board: &Board, sprint: Option<SprintId>) -> Result<Vec<String>> {
        self.read(|db| standups::people(db, board, sprint))
    }

    fn standup(&self, id: StandupId) -> Result<Standup> {
        self.read(|db| standups::standup(db, id))
    }

    fn unfinished_standup(
        &self,
        board: BoardId,
        day: chrono::NaiveDate,
    ) -> Result<Option<StandupId>> {
        self.read(|db| standups::unfinished(db, board, day))
    }

    fn past_standups(&self, board: BoardId, limit: u32) -> Result<Vec<Standup>> {
        self.read(|db| standups::past(db, board, limit))
    }

    fn begin_standup(&mut self, board: BoardId, standup: NewStandup) -> Result<StandupId> {
        let clock = Arc::clone(&self.clock);
        self.write(|tx, now, actor| {
            standups::begin(tx, board, &standup, day_at(&clock, now), now, actor)
        })
    }

    fn set_standup_running(&mut self, id: StandupId, running: bool) -> Result<()> {
        self.write(|tx, now, actor| standups::set_running(tx, id, running, now, actor))
    }

    fn step_standup(&mut self, id: StandupId, from: u32, delta: i32) -> Result<bool> {
        self.write(|tx, now, _| standups::step_turn(tx, id, from, delta, now))
    }

    fn set_standup_format(
        &mut self,
        id: StandupId,
        format: StandupFormat,
        from: u32,
    ) -> Result<bool> {
        self.write(|tx, now, actor| standups::set_format(tx, id, format, from, now, actor))
    }

    fn shuffle_speakers(&mut self, id: StandupId, from: u32) -> Result<bool> {
        self.write(|tx, now, actor| standups::shuffle_speakers(tx, id, from, now, actor))
    }

    fn join_standup(&mut self, id: StandupId, name: &str) -> Result<String> {
        self.write(|tx, _, _| standups::join(tx, id, name))
    }

    fn leave_standup(&mut self, id: StandupId, name: &str) -> Result<()> {
        self.write(|tx, now, _| standups::leave(tx, id, name, now))
    }

    fn save_notes(&mut self, id: StandupId, notes: &SpeakerNotes) -> Result<()> {
        self.write(|tx, _, _| standups::save_notes(tx, id, notes))
    }

    fn park_topic(&mut self, id: StandupId, text: &str) -> Result<()> {
        self.write(|tx, now, _| standups::park(tx, id, text, now))
    }

    fn raise_impediment(&mut self, id: StandupId, impediment: Impediment) -> Result<CardId> {
        self.write(|tx, now, actor| standups::raise(tx, id, &impediment, now, actor))
    }

    fn end_standup(&mut self, id: StandupId) -> Result<()> {
        self.write(|tx, now, actor| standups::end(tx, id, now, actor))
    }
}
