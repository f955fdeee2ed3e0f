//! The one SQL store: every store operation, written once over [`Db`](super::sql::Db), for either engine.

mod anon;
mod columns;
mod flow;
mod mortems;
mod pulses;
mod read;
mod retros;
mod sprints;
mod standups;
mod write;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior};

use super::mortems::{Field, NewReason, Reason};
use super::{
    Closed, ColumnPage, Entry, Impediment, MortemStore, NewPulse, NewRetro, OpenOptions,
    PulseStore, Result, RetroStore, SprintPatch, SprintStore, StandupStore, Store, StoreError,
    Window,
};
use crate::domain::demo::DemoPlan;
use crate::domain::flow::FlowHistory;
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

pub struct SqliteStore {
    conn: Connection,
    path: PathBuf,
    read_only: bool,
    actor: String,
    key: super::PersonKey,
    clock: Arc<dyn Clock>,
    data_version: Option<i64>,
    /// The write-ahead log still holds anonymous writes to wipe.
    log_to_wipe: bool,
    busy_timeout: std::time::Duration,
    /// The file is a backup's copy: the first write makes it a board.
    pub(super) is_backup: bool,
}

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

/// How long an anonymous write waits for readers to let the log be emptied
/// before it is refused.
const ANONYMOUS_PATIENCE: std::time::Duration = std::time::Duration::from_secs(2);

impl SqliteStore {
    pub(super) fn new(conn: Connection, path: PathBuf, read_only: bool, opts: OpenOptions) -> Self {
        Self {
            conn,
            path,
            read_only,
            actor: opts.actor,
            key: opts.key,
            clock: opts.clock,
            data_version: None,
            log_to_wipe: false,
            busy_timeout: opts.busy_timeout,
            is_backup: false,
        }
    }

    /// Runs `f` in one write transaction: all of it is saved, or none.
    fn write<T>(&mut self, f: impl FnOnce(&Transaction<'_>, i64, &str) -> Result<T>) -> Result<T> {
        if self.read_only {
            return Err(StoreError::ReadOnly);
        }
        let clock = Arc::clone(&self.clock);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        // The time is read once the write lock is held: writers queue for
        // the lock, so the order of event times is the order of commits. A
        // wall clock behind the last change (stepped back, or set wrong on
        // this machine) stamps the change with that change's time instead,
        // so no event is ever older than one committed before it.
        let mut now = ms(clock.now());
        if clock.is_wall() {
            let last: Option<i64> =
                tx.query_row("SELECT max(at) FROM card_events", [], |r| r.get(0))?;
            now = now.max(last.unwrap_or(i64::MIN));
        }
        if self.is_backup {
            // Written to as a board (a backup put back in place): a board
            // it is from now on, and no backup ever replaces it.
            tx.pragma_update(None, "application_id", super::APPLICATION_ID)?;
        }
        let out = f(&tx, now, &self.actor)?;
        tx.commit()?;
        self.is_backup = false;
        Ok(out)
    }

    /// A write that touches anonymous data: the same one transaction, with
    /// the person's key, made only when the write-ahead log is empty, and
    /// the log emptied again after it. So the log never holds this write
    /// beside another: no earlier version of a page (who had answered
    /// before, which dots were there) can be read from it. When another
    /// program holds a read open long enough to keep the log from being
    /// emptied, the write is refused rather than kept in the log.
    fn write_anonymous<T>(
        &mut self,
        f: impl FnOnce(&Transaction<'_>, i64, &str, &super::PersonKey) -> Result<T>,
    ) -> Result<T> {
        let refused = || {
            StoreError::Refused(
                "not saved: another program is reading the database at this moment, and what you wrote could stay readable in its log; try again in a moment".into(),
            )
        };
        if self.read_only {
            return Err(StoreError::ReadOnly);
        }
        let key = self.key.clone();
        let path = self.path.clone();
        let until = std::time::Instant::now() + ANONYMOUS_PATIENCE;
        let mut f = Some(f);
        let out = loop {
            let left = until.saturating_duration_since(std::time::Instant::now());
            if !self.quiet_log(left) {
                return Err(refused());
            }
            // Checked again once the write lock is held: another writer may
            // have written between the look and the lock, and the log must
            // hold nothing but this write when it commits. (This connection
            // reads now itself, so readers are not asked again.)
            let mut quiet = false;
            let done = self.write(|tx, now, actor| {
                if crate::files::wal_len(&path) > 0 {
                    return Ok(None);
                }
                quiet = true;
                match f.take() {
                    Some(f) => f(tx, now, actor, &key).map(Some),
                    None => Ok(None),
                }
            })?;
            match done {
                Some(out) => break out,
                None if quiet || std::time::Instant::now() >= until => return Err(refused()),
                None => std::thread::sleep(std::time::Duration::from_millis(5)),
            }
        };
        // Emptied now if it can be; a reader that came in the instant since
        // is waited for, so that a command does not end with it in the log.
        if !self.quiet_log(ANONYMOUS_PATIENCE) {
            self.log_to_wipe = true;
        }
        Ok(out)
    }

    /// Waits up to `patience` for a moment when no other process is in the
    /// middle of a read and the log is empty: true if one came. (A reader
    /// that stays could otherwise keep the log from being emptied after
    /// the write.)
    fn quiet_log(&mut self, patience: std::time::Duration) -> bool {
        let until = std::time::Instant::now() + patience;
        loop {
            if !crate::files::reader_present(&self.path)
                && self.empty_log(std::time::Duration::from_millis(50))
            {
                return true;
            }
            if std::time::Instant::now() >= until {
                return false;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }

    /// Copies the write-ahead log into the file and truncates it to
    /// nothing, waiting up to `patience` for readers; true when it is empty.
    fn empty_log(&mut self, patience: std::time::Duration) -> bool {
        let _ = self.conn.busy_timeout(patience);
        let busy: std::result::Result<i64, _> =
            self.conn
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0));
        let _ = self.conn.busy_timeout(self.busy_timeout);
        matches!(busy, Ok(0))
    }

    /// Empties the write-ahead log if nobody is reading it now; if someone
    /// is, it is tried again at the next check for changes.
    pub(super) fn wipe_log(&mut self) {
        if self.read_only {
            return;
        }
        // Not worth a wait: a reader busy now is gone at the next try.
        self.log_to_wipe = !self.empty_log(std::time::Duration::from_millis(50));
    }

    /// Records the closes by date that are due (see
    /// `pulses::record_due_closes`); true if there were any.
    pub(super) fn record_due_closes(&mut self) -> Result<bool> {
        if self.read_only || !pulses::closes_due(&self.conn, self.clock.now())? {
            return Ok(false);
        }
        self.write_anonymous(|tx, now, _, _| pulses::record_due_closes(tx, from_ms(now)))?;
        Ok(true)
    }

    /// Creates the starter board if the database has none.
    pub(super) fn ensure_board(&mut self) -> Result<()> {
        // Looked at first without a write lock: opening a file that has its
        // board never waits for another teamloop's writes.
        let has: Option<i64> = self
            .conn
            .query_row("SELECT id FROM boards LIMIT 1", [], |r| r.get(0))
            .optional()?;
        if has.is_some() {
            return Ok(());
        }
        self.write(|tx, now, _| {
            let has: Option<i64> = tx
                .query_row("SELECT id FROM boards LIMIT 1", [], |r| r.get(0))
                .optional()?;
            if has.is_none() {
                columns::create_board(tx, "Team board", now)?;
            }
            Ok(())
        })
    }

    /// The database file.
    pub fn path(&self) -> &std::path::Path {
        &self.path
    }

    /// Direct access for tests that check invariants across tables.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}

impl Store for SqliteStore {
    fn location(&self) -> String {
        self.path.display().to_string()
    }

    fn is_read_only(&self) -> bool {
        self.read_only
    }

    fn actor(&self) -> &str {
        &self.actor
    }

    fn poll_changed(&mut self) -> Result<bool> {
        if self.log_to_wipe {
            self.wipe_log();
        }
        if self.record_due_closes()? {
            return Ok(true);
        }
        let v: i64 = self
            .conn
            .pragma_query_value(None, "data_version", |r| r.get(0))?;
        let changed = self.data_version.is_some_and(|old| old != v);
        self.data_version = Some(v);
        Ok(changed)
    }

    fn board(&self) -> Result<Board> {
        read::board(&self.conn)
    }

    fn board_pages(
        &self,
        board: &Board,
        filter: &CardFilter,
        windows: &[Window],
    ) -> Result<Vec<ColumnPage>> {
        read::board_pages(&self.conn, board, filter, windows)
    }

    fn card(&self, id: CardId) -> Result<Card> {
        read::card(&self.conn, id)
    }

    fn card_history(&self, id: CardId) -> Result<Vec<CardEvent>> {
        read::card_history(&self.conn, id)
    }

    fn list_cards(&self, board: &Board, column: Option<ColumnId>) -> Result<Vec<CardSummary>> {
        read::list_cards(&self.conn, board, column)
    }

    fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    fn flow_history(&self, board: &Board) -> Result<FlowHistory> {
        flow::history(&self.conn, board)
    }

    fn card_titles(&self, ids: &[CardId]) -> Result<HashMap<CardId, String>> {
        flow::titles(&self.conn, ids)
    }

    fn card_count(&self) -> Result<u64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM cards", [], |r| r.get::<_, i64>(0))? as u64)
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
        let reason = reason.trim().to_string();
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
        super::transfer::export_json(self)
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

    fn seed_demo(&mut self, plan: &DemoPlan) -> Result<()> {
        let clock = Arc::clone(&self.clock);
        self.write(|tx, _, _| write::seed_demo(tx, plan, clock.zone()))
    }
}

impl SprintStore for SqliteStore {
    fn sprints(&self, board: BoardId) -> Result<Vec<Sprint>> {
        sprints::sprints(&self.conn, board)
    }

    fn sprint_cards(&self, sprint: SprintId) -> Result<Vec<SprintCard>> {
        sprints::sprint_cards(&self.conn, sprint, self.clock.zone())
    }

    fn backlog_cards(&self, board: &Board) -> Result<Vec<SprintCard>> {
        sprints::backlog_cards(&self.conn, board.id)
    }

    fn burn_history(&self, sprint: SprintId) -> Result<BurnHistory> {
        sprints::burn_history(&self.conn, sprint)
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

impl StandupStore for SqliteStore {
    fn standup_settings(&self, board: BoardId) -> Result<StandupSettings> {
        standups::settings(&self.conn, board)
    }

    fn set_standup_settings(&mut self, board: BoardId, settings: StandupSettings) -> Result<()> {
        self.write(|tx, _, _| standups::set_settings(tx, board, settings))
    }

    fn walk_cards(&self, board: &Board, sprint: Option<SprintId>) -> Result<Vec<WalkCard>> {
        standups::walk_cards(&self.conn, board, sprint)
    }

    fn action_items(&self, board: &Board) -> Result<Vec<ActionItem>> {
        standups::action_items(&self.conn, board)
    }

    fn standup_people(&self, board: &Board, sprint: Option<SprintId>) -> Result<Vec<String>> {
        standups::people(&self.conn, board, sprint)
    }

    fn standup(&self, id: StandupId) -> Result<Standup> {
        standups::standup(&self.conn, id)
    }

    fn unfinished_standup(
        &self,
        board: BoardId,
        day: chrono::NaiveDate,
    ) -> Result<Option<StandupId>> {
        standups::unfinished(&self.conn, board, day)
    }

    fn past_standups(&self, board: BoardId, limit: u32) -> Result<Vec<Standup>> {
        standups::past(&self.conn, board, limit)
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

impl RetroStore for SqliteStore {
    fn retros(&self, board: BoardId) -> Result<Vec<Retro>> {
        retros::retros(&self.conn, board)
    }

    fn retro(&self, id: RetroId) -> Result<Retro> {
        retros::ensure_team(&self.conn, id)?;
        retros::retro(&self.conn, id)
    }

    fn retro_report(&self, id: RetroId) -> Result<RetroReport> {
        retros::ensure_team(&self.conn, id)?;
        retros::report(&self.conn, id)
    }

    fn retro_cards_written(&self, id: RetroId) -> Result<u32> {
        retros::ensure_team(&self.conn, id)?;
        retros::cards_written(&self.conn, id)
    }

    fn votes_used(&self, id: RetroId) -> Result<u32> {
        retros::ensure_team(&self.conn, id)?;
        retros::votes_used(&self.conn, id, &self.key)
    }

    fn my_votes(&self, id: RetroId) -> Result<Vec<(ItemId, u32)>> {
        retros::ensure_team(&self.conn, id)?;
        retros::my_votes(&self.conn, id, &self.key)
    }

    fn has_answered(&self, id: RetroId, poll: Poll) -> Result<bool> {
        retros::ensure_team(&self.conn, id)?;
        retros::has_answered(&self.conn, id, poll, &self.key)
    }

    fn my_retro_cards(&self, id: RetroId) -> Result<Vec<RetroCard>> {
        retros::ensure_team(&self.conn, id)?;
        retros::my_cards(&self.conn, id, &self.key)
    }

    fn actions_to_review(&self, id: RetroId) -> Result<Vec<(Action, Option<ActionStatus>)>> {
        retros::ensure_team(&self.conn, id)?;
        retros::to_review(&self.conn, id)
    }

    fn wip_breaches(
        &self,
        board: BoardId,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
    ) -> Result<Vec<BreachFact>> {
        let zone = self.clock.zone();
        let start = ms(zone.midnight(from));
        let end = ms(zone.midnight(to + chrono::Duration::days(1)));
        retros::breaches(&self.conn, board, start, end)
    }

    fn start_retro(&mut self, board: BoardId, retro: NewRetro) -> Result<RetroId> {
        self.write(|tx, now, actor| retros::start(tx, board, &retro, now, actor))
    }

    fn set_phase(&mut self, id: RetroId, phase: Phase) -> Result<()> {
        retros::ensure_team(&self.conn, id)?;
        self.write_anonymous(|tx, now, actor, _| retros::set_phase(tx, id, phase, now, actor))
    }

    fn reveal_cards(&mut self, id: RetroId) -> Result<()> {
        retros::ensure_team(&self.conn, id)?;
        self.write_anonymous(|tx, _, actor, _| retros::reveal(tx, id, actor))
    }

    fn add_retro_card(&mut self, id: RetroId, prompt: usize, text: &str) -> Result<i64> {
        retros::ensure_team(&self.conn, id)?;
        self.write_anonymous(|tx, _, actor, key| retros::add_card(tx, id, prompt, text, actor, key))
    }

    fn delete_retro_card(&mut self, id: RetroId, card: i64) -> Result<()> {
        retros::ensure_team(&self.conn, id)?;
        self.write_anonymous(|tx, _, actor, key| retros::delete_card(tx, id, card, actor, key))
    }

    fn group_items(&mut self, id: RetroId, items: &[ItemId], title: &str) -> Result<ItemId> {
        retros::ensure_team(&self.conn, id)?;
        self.write(|tx, _, actor| retros::group(tx, id, items, title, actor))
    }

    fn split_item(&mut self, id: RetroId, item: ItemId) -> Result<()> {
        retros::ensure_team(&self.conn, id)?;
        self.write(|tx, _, actor| retros::split(tx, id, item, actor))
    }

    fn vote(&mut self, id: RetroId, item: ItemId, delta: i32) -> Result<u32> {
        retros::ensure_team(&self.conn, id)?;
        self.write_anonymous(|tx, _, actor, key| retros::vote(tx, id, item, delta, actor, key))
    }

    fn answer(&mut self, id: RetroId, poll: Poll, value: u32) -> Result<()> {
        retros::ensure_team(&self.conn, id)?;
        self.write_anonymous(|tx, _, actor, key| retros::answer(tx, id, poll, value, actor, key))
    }

    fn close_poll(&mut self, id: RetroId, poll: Poll) -> Result<()> {
        retros::ensure_team(&self.conn, id)?;
        self.write_anonymous(|tx, _, actor, _| retros::close_poll(tx, id, poll, actor))
    }

    fn discuss(&mut self, id: RetroId, item: ItemId) -> Result<()> {
        retros::ensure_team(&self.conn, id)?;
        self.write(|tx, now, actor| retros::discuss(tx, id, item, now, actor))
    }

    fn set_item_notes(&mut self, id: RetroId, item: ItemId, notes: &str) -> Result<()> {
        retros::ensure_team(&self.conn, id)?;
        self.write(|tx, _, actor| retros::set_notes(tx, id, item, notes, actor))
    }

    fn add_action(
        &mut self,
        id: RetroId,
        text: &str,
        owner: Option<&str>,
        due: Option<chrono::NaiveDate>,
    ) -> Result<CardId> {
        retros::ensure_team(&self.conn, id)?;
        self.write(|tx, now, actor| retros::add_action(tx, id, text, owner, due, now, actor))
    }

    fn review_action(&mut self, id: RetroId, card: CardId, status: ActionStatus) -> Result<()> {
        retros::ensure_team(&self.conn, id)?;
        self.write(|tx, now, actor| retros::review(tx, id, card, status, now, actor))
    }
}

impl PulseStore for SqliteStore {
    fn pulses(&self, board: BoardId) -> Result<Vec<Pulse>> {
        pulses::pulses(&self.conn, board)
    }

    fn pulse(&self, id: PulseId) -> Result<Pulse> {
        pulses::pulse(&self.conn, id)
    }

    fn has_responded(&self, id: PulseId) -> Result<bool> {
        pulses::has_responded(&self.conn, id, &self.key)
    }

    fn pulse_results(&self, id: PulseId) -> Result<PulseResults> {
        pulses::results_of(&self.conn, id, self.clock.now())
    }

    fn pulse_trend(&self, board: BoardId) -> Result<Vec<TrendPoint>> {
        pulses::trend(&self.conn, board, self.clock.now())
    }

    fn open_pulse(&mut self, board: BoardId, pulse: NewPulse) -> Result<PulseId> {
        // The last day ends at midnight here, and that instant holds for
        // every terminal, whatever its zone.
        let closes_at = pulse
            .closes
            .map(|d| self.clock.zone().midnight(d + chrono::Duration::days(1)));
        let clock = Arc::clone(&self.clock);
        self.write(|tx, now, actor| {
            pulses::open(tx, board, &pulse, day_at(&clock, now), closes_at, actor)
        })
    }

    fn respond(&mut self, id: PulseId, answers: &[u32], comment: Option<&str>) -> Result<()> {
        self.write_anonymous(|tx, now, _, key| {
            pulses::respond(tx, id, answers, comment, from_ms(now), key)
        })
    }

    fn close_pulse(&mut self, id: PulseId) -> Result<()> {
        let clock = Arc::clone(&self.clock);
        self.write_anonymous(|tx, now, actor, _| {
            pulses::close(tx, id, from_ms(now), day_at(&clock, now), actor)
        })
    }
}

impl MortemStore for SqliteStore {
    fn mortems(&self, board: BoardId, search: &str) -> Result<Vec<Listed>> {
        mortems::list(&self.conn, board, search)
    }

    fn mortem_report(&self, id: MortemId) -> Result<MortemReport> {
        mortems::report(&self.conn, id)
    }

    fn team_names(&self, board: BoardId) -> Result<Vec<String>> {
        mortems::team_names(&self.conn, board)
    }

    fn new_postmortem(
        &mut self,
        board: BoardId,
        title: &str,
        day: Option<chrono::NaiveDate>,
    ) -> Result<MortemId> {
        let clock = Arc::clone(&self.clock);
        self.write(|tx, now, actor| {
            let day = day.unwrap_or_else(|| day_at(&clock, now));
            mortems::new_postmortem(tx, board, title, day, now, actor)
        })
    }

    fn new_premortem(
        &mut self,
        board: BoardId,
        title: &str,
        card: Option<CardId>,
    ) -> Result<MortemId> {
        let clock = Arc::clone(&self.clock);
        self.write(|tx, now, actor| {
            mortems::new_premortem(tx, board, title, card, day_at(&clock, now), now, actor)
        })
    }

    fn set_mortem_fields(&mut self, id: MortemId, changes: &[(Field, &str)]) -> Result<()> {
        self.write(|tx, now, _| {
            for (field, text) in changes {
                mortems::set_field(tx, id, *field, text, now)?;
            }
            Ok(())
        })
    }

    fn set_section(
        &mut self,
        id: MortemId,
        key: &str,
        text: &str,
        base: Option<&str>,
    ) -> Result<()> {
        self.write(|tx, now, _| mortems::set_section(tx, id, key, text, base, now))
    }

    fn set_mortem_status(&mut self, id: MortemId, status: Status) -> Result<()> {
        self.write(|tx, now, _| mortems::set_status(tx, id, status, now))
    }

    fn add_timeline(&mut self, id: MortemId, at: DateTime<Utc>, text: &str) -> Result<i64> {
        self.write(|tx, now, _| mortems::add_timeline(tx, id, at, text, now))
    }

    fn edit_timeline(
        &mut self,
        id: MortemId,
        entry: i64,
        at: DateTime<Utc>,
        text: &str,
    ) -> Result<()> {
        self.write(|tx, now, _| mortems::edit_timeline(tx, id, entry, Some((at, text)), now))
    }

    fn delete_timeline(&mut self, id: MortemId, entry: i64) -> Result<()> {
        self.write(|tx, now, _| mortems::edit_timeline(tx, id, entry, None, now))
    }

    fn add_mortem_action(&mut self, id: MortemId, action: NewAction) -> Result<CardId> {
        self.write(|tx, now, actor| {
            let board = BoardId(
                tx.query_row("SELECT board_id FROM mortems WHERE id = ?1", [id.0], |r| {
                    r.get(0)
                })
                .optional()?
                .ok_or_else(|| {
                    StoreError::NotFound(format!("no pre- or post-mortem with id {}", id.0))
                })?,
            );
            mortems::add_action(tx, board, id, &action, now, actor)
        })
    }

    fn add_reason(&mut self, id: MortemId, reason: NewReason) -> Result<Reason> {
        self.write_anonymous(|tx, now, actor, key| {
            let added = mortems::add_reason(tx, id, &reason.text, reason.hidden, now, actor, key)?;
            if reason.likelihood.is_some() || reason.impact.is_some() {
                mortems::rate(
                    tx,
                    id,
                    added.risk,
                    reason.likelihood,
                    reason.impact,
                    now,
                    key,
                )?;
            }
            Ok(added)
        })
    }

    fn take_back_reason(&mut self, id: MortemId, card: i64) -> Result<()> {
        self.write_anonymous(|tx, _, actor, key| {
            mortems::take_back_reason(tx, id, card, actor, key)
        })
    }

    fn my_reasons(&self, id: MortemId) -> Result<Vec<super::mortems::MyReason>> {
        mortems::my_reasons(&self.conn, id, &self.key)
    }

    fn advance_premortem(&mut self, id: MortemId, from: Stage) -> Result<()> {
        self.write_anonymous(|tx, now, actor, _| mortems::advance(tx, id, from, now, actor))
    }

    fn read_reason(&mut self, id: MortemId, risk: i64) -> Result<()> {
        self.write(|tx, now, actor| mortems::read_reason(tx, id, risk, now, actor))
    }

    fn rate_risk(
        &mut self,
        id: MortemId,
        risk: i64,
        likelihood: Option<u8>,
        impact: Option<u8>,
    ) -> Result<()> {
        self.write_anonymous(|tx, now, _, key| {
            mortems::rate(tx, id, risk, likelihood, impact, now, key)
        })
    }
}
