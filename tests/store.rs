//! The store through its public API. What a board does (WIP rules, the
//! event invariant, two writers at once, change polling, filtering and
//! paging, columns, read-only terminals) runs on both engines, a SQLite
//! file and a database on the team's server; what only a file has
//! (migration, refusing files that are not ours without touching them,
//! permissions, demo data) runs over real temporary files.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Barrier};

mod common;

use chrono::{DateTime, Duration, TimeZone, Utc};
use common::engines::{BoardFixture, on_both_engines_at};
use rusqlite::Connection;
use teamloop::domain::demo::demo_plan;
use teamloop::domain::{
    Board, Breach, CardEvent, CardFilter, CardId, ColumnId, ColumnKind, DomainError, EventKind,
    FixedClock, NewCard, WipLimit, WipPolicy,
};
use teamloop::store::PersonKey;
use teamloop::store::{
    self, APPLICATION_ID, OpenOptions, SqliteStore, Store, StoreError, Window, schema_version,
};

// ---------------------------------------------------------------- helpers

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 30, 0).unwrap()
}

/// Runs a story on a board made at `t0` on each engine.
fn on_both(test: impl Fn(&BoardFixture)) {
    on_both_engines_at(t0(), test);
}

/// A temporary folder with one database path in it.
struct Db {
    dir: tempfile::TempDir,
    path: PathBuf,
}

impl Db {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("team.db");
        Self { dir, path }
    }

    fn open(&self) -> SqliteStore {
        open_as(&self.path, "ana")
    }
}

fn options(actor: &str) -> OpenOptions {
    OpenOptions::new(actor)
        .with_key(PersonKey::for_name(actor))
        .with_clock(Arc::new(FixedClock::new(t0())))
}

fn open_as(path: &Path, actor: &str) -> SqliteStore {
    match store::open(path, options(actor)) {
        Ok(s) => s,
        Err(e) => panic!("cannot open {}: {e}", path.display()),
    }
}

/// Opens a file that must be refused.
fn refused(path: &Path) -> StoreError {
    match store::open(
        path,
        OpenOptions::new("ana").with_key(PersonKey::for_name("ana")),
    ) {
        Ok(_) => panic!("{} was opened but should have been refused", path.display()),
        Err(e) => e,
    }
}

fn col(board: &Board, name: &str) -> ColumnId {
    match board.column_named(name) {
        Some(c) => c.id,
        None => panic!("no column {name} on the board"),
    }
}

fn add(store: &mut dyn Store, column: &str, title: &str) -> CardId {
    let board = store.board().unwrap();
    store
        .add_card(col(&board, column), NewCard::titled(title), None)
        .unwrap()
        .card
}

fn move_to(store: &mut dyn Store, id: CardId, column: &str) -> i64 {
    let board = store.board().unwrap();
    store
        .move_card(id, col(&board, column), None)
        .unwrap()
        .event
}

fn column_of(store: &dyn Store, id: CardId) -> ColumnId {
    store.card(id).unwrap().column
}

fn scalar(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

/// The events of these cards, each card's oldest first.
fn histories(store: &dyn Store, cards: &[CardId]) -> HashMap<CardId, Vec<CardEvent>> {
    cards
        .iter()
        .map(|&c| (c, store.card_history(c).unwrap()))
        .collect()
}

/// How many events these cards have, read through the store.
fn events_of(store: &dyn Store, cards: &[CardId]) -> usize {
    histories(store, cards).values().map(Vec::len).sum()
}

/// The files in a folder, by name, sorted.
fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn assert_bytes_unchanged(path: &Path, before: &[u8]) {
    let meta = fs::metadata(path).unwrap();
    assert_eq!(
        meta.len(),
        before.len() as u64,
        "the size of {} changed",
        path.display()
    );
    let after = fs::read(path).unwrap();
    assert!(after == before, "the bytes of {} changed", path.display());
}

/// Cards whose column disagrees with their latest event that names a column:
/// `(card, cards.column_id, latest to_column)`.
fn invariant_violations(conn: &Connection) -> Vec<(i64, i64, Option<i64>)> {
    let mut stmt = conn
        .prepare(
            "SELECT c.id, c.column_id,
                    (SELECT e.to_column FROM card_events e
                     WHERE e.card_id = c.id AND e.to_column IS NOT NULL
                     ORDER BY e.id DESC LIMIT 1)
             FROM cards c ORDER BY c.id",
        )
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .filter(|(_, column, latest): &(i64, i64, Option<i64>)| *latest != Some(*column))
        .collect()
}

/// The same read through the store, for these cards (archived ones too):
/// `(card, its column, the column its latest event names)`.
fn off_their_last_event(
    store: &dyn Store,
    cards: &[CardId],
) -> Vec<(CardId, ColumnId, Option<ColumnId>)> {
    cards
        .iter()
        .filter_map(|&id| {
            let column = column_of(store, id);
            let latest = store
                .card_history(id)
                .unwrap()
                .iter()
                .rev()
                .find_map(|e| e.to_column);
            (latest != Some(column)).then_some((id, column, latest))
        })
        .collect()
}

/// A small deterministic generator for operation sequences.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

// ---------------------------------------------------------------- 1. migration

#[test]
fn a_new_file_is_migrated_with_the_starter_board() {
    let db = Db::new();
    let store = db.open();
    let conn = store.connection();
    assert_eq!(scalar(conn, "PRAGMA user_version"), schema_version());
    assert!(schema_version() >= 1);
    assert_eq!(scalar(conn, "PRAGMA application_id"), APPLICATION_ID);
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    assert!(!store.is_read_only());
    assert_eq!(store.actor(), "ana");
    assert_eq!(store.location(), db.path.display().to_string());

    assert_starter_board(&store);
    drop(store);

    // Closed, the file carries the 'TLOP' application id in its header.
    let bytes = fs::read(&db.path).unwrap();
    assert_eq!(&bytes[..16], b"SQLite format 3\0");
    assert_eq!(&bytes[68..72], b"TLOP");
    assert_eq!(
        i64::from(u32::from_be_bytes(bytes[60..64].try_into().unwrap())),
        schema_version()
    );
}

/// The board a new database starts with: five columns, no cards.
fn assert_starter_board(store: &dyn Store) {
    let board = store.board().unwrap();
    let shape: Vec<(&str, ColumnKind, Option<WipLimit>)> = board
        .columns
        .iter()
        .map(|c| (c.name.as_str(), c.kind, c.wip))
        .collect();
    assert_eq!(
        shape,
        vec![
            ("Backlog", ColumnKind::Backlog, None),
            ("To Do", ColumnKind::Backlog, None),
            ("In Progress", ColumnKind::Active, Some(WipLimit::hard(3))),
            ("Review", ColumnKind::Active, Some(WipLimit::hard(2))),
            ("Done", ColumnKind::Done, None),
        ]
    );
    assert_eq!(store.card_count().unwrap(), 0);
    assert!(store.list_cards(&board, None).unwrap().is_empty());
}

#[test]
fn a_new_board_starts_with_the_starter_columns_on_either_engine() {
    on_both(|f| {
        let store = f.as_user("ben");
        assert!(!store.is_read_only());
        assert_eq!(store.actor(), "ben");
        assert_starter_board(&*store);
    });
}

#[test]
fn an_empty_file_is_taken_as_a_new_database() {
    let db = Db::new();
    fs::write(&db.path, b"").unwrap();
    let store = db.open();
    assert_eq!(store.board().unwrap().columns.len(), 5);
    assert_eq!(
        scalar(store.connection(), "PRAGMA user_version"),
        schema_version()
    );
}

// ---------------------------------------------------------------- 2. reopen

#[test]
fn data_survives_reopening_and_reopening_makes_no_second_board() {
    on_both(|f| {
        let (a, b, c);
        {
            let mut store = f.store();
            a = add(&mut *store, "To Do", "Write the onboarding guide");
            b = add(&mut *store, "To Do", "Fix login");
            c = add(&mut *store, "Backlog", "Try the new CI runner");
            move_to(&mut *store, b, "In Progress");
            store.set_blocked(c, Some("waiting for a licence")).unwrap();
        }
        let store = f.as_user("ben");
        // A second connection at the same time must not add a board either.
        let other = f.as_user("cy");
        let board = store.board().unwrap();
        assert_eq!(board.columns.len(), 5);
        let cards = store.list_cards(&board, None).unwrap();
        let found: Vec<(CardId, ColumnId, &str, bool)> = cards
            .iter()
            .map(|c| (c.id, c.column, c.title.as_str(), c.blocked))
            .collect();
        assert_eq!(
            found,
            vec![
                (c, col(&board, "Backlog"), "Try the new CI runner", true),
                (a, col(&board, "To Do"), "Write the onboarding guide", false),
                (b, col(&board, "In Progress"), "Fix login", false),
            ]
        );
        let history = store.card_history(b).unwrap();
        let kinds: Vec<EventKind> = history.iter().map(|e| e.kind).collect();
        assert_eq!(kinds, vec![EventKind::Created, EventKind::Moved]);
        assert_eq!(history[1].from_name.as_deref(), Some("To Do"));
        assert_eq!(history[1].to_name.as_deref(), Some("In Progress"));
        assert_eq!(history[1].actor, "ana");
        assert_eq!(history[1].at, t0());
        assert_eq!(
            store.card(c).unwrap().blocked.as_deref(),
            Some("waiting for a licence")
        );
        assert_eq!(other.board().unwrap(), board);
        if let Some(path) = f.path() {
            let conn = Connection::open(path).unwrap();
            assert_eq!(scalar(&conn, "SELECT count(*) FROM boards"), 1);
            assert_eq!(scalar(&conn, "SELECT count(*) FROM columns"), 5);
        }
    });
}

// ---------------------------------------------------------------- 3. bad input

#[test]
fn a_text_file_is_refused_and_left_alone() {
    let db = Db::new();
    let text = b"shopping list\n- milk\n- bread\n".repeat(40);
    fs::write(&db.path, &text).unwrap();
    let err = refused(&db.path);
    assert!(
        matches!(&err, StoreError::NotSqlite(p) if p == &db.path),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("is not a SQLite database"),
        "{err}"
    );
    assert!(err.to_string().contains("team.db"), "{err}");
    assert_bytes_unchanged(&db.path, &text);
    assert_eq!(files_in(db.dir.path()), vec!["team.db"]);
}

#[test]
fn a_short_text_file_is_refused_and_left_alone() {
    let db = Db::new();
    fs::write(&db.path, b"hi").unwrap();
    let err = refused(&db.path);
    assert!(matches!(err, StoreError::NotSqlite(_)), "{err:?}");
    assert_bytes_unchanged(&db.path, b"hi");
}

#[test]
fn another_programs_sqlite_file_is_refused_and_left_alone() {
    let db = Db::new();
    {
        let conn = Connection::open(&db.path).unwrap();
        conn.execute_batch(
            "CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
             INSERT INTO recipes (name) VALUES ('soup'), ('bread');",
        )
        .unwrap();
        assert_eq!(scalar(&conn, "PRAGMA application_id"), 0);
    }
    let before = fs::read(&db.path).unwrap();
    let err = refused(&db.path);
    assert!(
        matches!(&err, StoreError::NotOurs(p) if p == &db.path),
        "{err:?}"
    );
    assert!(err.to_string().contains("not a teamloop one"), "{err}");
    assert_bytes_unchanged(&db.path, &before);
    assert_eq!(files_in(db.dir.path()), vec!["team.db"]);
    // Still the other program's data.
    let conn = Connection::open(&db.path).unwrap();
    assert_eq!(scalar(&conn, "SELECT count(*) FROM recipes"), 2);
    assert_eq!(scalar(&conn, "PRAGMA user_version"), 0);
}

#[test]
fn a_database_from_a_newer_teamloop_is_refused_and_left_alone() {
    let db = Db::new();
    {
        let mut store = db.open();
        add(&mut store, "To Do", "A card from the future");
    }
    let newer = schema_version() + 5;
    {
        let conn = Connection::open(&db.path).unwrap();
        conn.pragma_update(None, "user_version", newer).unwrap();
    }
    // The last connection closed: the WAL is checkpointed into the file.
    let before = fs::read(&db.path).unwrap();
    assert_eq!(
        i64::from(u32::from_be_bytes(before[60..64].try_into().unwrap())),
        newer
    );
    let err = refused(&db.path);
    match &err {
        StoreError::TooNew { path, found, known } => {
            assert_eq!(path, &db.path);
            assert_eq!(*found, newer);
            assert_eq!(*known, schema_version());
        }
        other => panic!("expected TooNew, got {other:?}"),
    }
    assert!(
        err.to_string().contains("created by a newer teamloop"),
        "{err}"
    );
    assert_bytes_unchanged(&db.path, &before);
    let conn = Connection::open(&db.path).unwrap();
    assert_eq!(scalar(&conn, "PRAGMA user_version"), newer);
    assert_eq!(scalar(&conn, "SELECT count(*) FROM cards"), 1);
}

#[test]
fn a_path_in_a_missing_folder_is_refused_and_the_folder_not_made() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-folder");
    let path = missing.join("team.db");
    let err = refused(&path);
    assert!(
        matches!(&err, StoreError::FolderMissing(p) if p == &missing),
        "{err:?}"
    );
    assert!(err.to_string().contains("does not exist"), "{err}");
    assert!(!missing.exists());
    assert!(files_in(dir.path()).is_empty());
}

#[test]
fn a_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("boards");
    fs::create_dir(&folder).unwrap();
    let err = refused(&folder);
    assert!(
        matches!(&err, StoreError::IsFolder(p) if p == &folder),
        "{err:?}"
    );
    assert!(err.to_string().contains("is a folder"), "{err}");
    assert!(files_in(&folder).is_empty());
    assert_eq!(files_in(dir.path()), vec!["boards"]);
}

#[test]
fn a_sqlite_header_followed_by_garbage_is_refused_and_left_alone() {
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    // Only the header, a short tail, a tail shorter than SQLite's 100-byte
    // header, about one page, several pages; random bytes and zeros.
    for (garbage_len, zeros) in [
        (0usize, false),
        (50, false),
        (50, true),
        (200, false),
        (4080, false),
        (4080, true),
        (12_000, false),
    ] {
        let db = Db::new();
        let mut bytes = b"SQLite format 3\0".to_vec();
        bytes.extend((0..garbage_len).map(|_| if zeros { 0 } else { rng.below(256) as u8 }));
        fs::write(&db.path, &bytes).unwrap();
        let err = refused(&db.path);
        assert!(
            matches!(err, StoreError::NotSqlite(_)),
            "{garbage_len} bytes of garbage (zeros: {zeros}): {err:?}"
        );
        assert!(
            err.to_string().contains("is not a SQLite database"),
            "{err}"
        );
        assert_bytes_unchanged(&db.path, &bytes);
        assert_eq!(files_in(db.dir.path()), vec!["team.db"]);
    }
}

// ---------------------------------------------------------------- 4. read-only

fn assert_every_write_is_refused(store: &mut dyn Store, card: CardId) {
    let board = store.board().unwrap();
    let done = col(&board, "Done");
    let refusals = [
        (
            "add_card",
            store
                .add_card(done, NewCard::titled("nope"), None)
                .map(|_| ()),
        ),
        ("move_card", store.move_card(card, done, None).map(|_| ())),
        ("set_blocked", store.set_blocked(card, Some("locked out"))),
        (
            "add_column",
            store
                .add_column(board.id, "QA", ColumnKind::Active, None)
                .map(|_| ()),
        ),
        ("rename_column", store.rename_column(done, "Shipped")),
        ("archive_card", store.archive_card(card)),
        (
            "set_column_wip",
            store.set_column_wip(done, Some(WipLimit::hard(1))),
        ),
    ];
    for (what, result) in refusals {
        match result {
            Err(StoreError::ReadOnly) => {}
            other => panic!("{what} on a read-only store gave {other:?}"),
        }
    }
}

fn read_only_fixture() -> (Db, CardId, Vec<u8>) {
    let db = Db::new();
    let card;
    {
        let mut store = db.open();
        card = add(&mut store, "To Do", "Read me");
    }
    let bytes = fs::read(&db.path).unwrap();
    (db, card, bytes)
}

fn assert_reads_work(store: &dyn Store, card: CardId) {
    let board = store.board().unwrap();
    assert_eq!(board.columns.len(), 5);
    let cards = store.list_cards(&board, None).unwrap();
    assert_eq!(cards.len(), 1);
    assert_eq!(cards[0].id, card);
    assert_eq!(cards[0].title, "Read me");
    assert_eq!(store.card_history(card).unwrap().len(), 1);
    let pages = store
        .board_pages(
            &board,
            &CardFilter::default(),
            &[Window {
                offset: 0,
                limit: 10,
            }; 5],
        )
        .unwrap();
    assert_eq!(pages[1].count, 1);
}

#[test]
fn a_file_without_write_permission_opens_read_only() {
    let (db, card, before) = read_only_fixture();
    fs::set_permissions(&db.path, fs::Permissions::from_mode(0o444)).unwrap();
    {
        let mut store = db.open();
        assert!(store.is_read_only());
        assert_reads_work(&store, card);
        assert_every_write_is_refused(&mut store, card);
        assert_reads_work(&store, card);
    }
    assert_bytes_unchanged(&db.path, &before);
    assert_eq!(
        fs::metadata(&db.path).unwrap().permissions().mode() & 0o777,
        0o444
    );
}

#[test]
fn the_read_only_option_on_a_writable_board_changes_nothing() {
    on_both(|f| {
        let card = add(&mut *f.store(), "To Do", "Read me");
        let before = f.path().map(|p| fs::read(p).unwrap());
        let mut opts = f.options("ana");
        opts.read_only = true;
        let mut store = f.open(opts);
        assert!(store.is_read_only());
        assert_reads_work(&*store, card);
        assert_every_write_is_refused(&mut *store, card);
        drop(store);
        if let (Some(path), Some(before)) = (f.path(), before) {
            assert_bytes_unchanged(path, &before);
        }
        // A writer's terminal finds the board as it was.
        assert_reads_work(&*f.store(), card);
    });
}

#[test]
fn a_read_only_file_that_is_new_or_empty_is_refused() {
    let db = Db::new();
    fs::write(&db.path, b"").unwrap();
    fs::set_permissions(&db.path, fs::Permissions::from_mode(0o444)).unwrap();
    let err = refused(&db.path);
    assert!(matches!(err, StoreError::ReadOnlyEmpty(_)), "{err:?}");
    assert_eq!(fs::metadata(&db.path).unwrap().len(), 0);

    let other = Db::new();
    let mut opts = options("ana");
    opts.read_only = true;
    match store::open(&other.path, opts) {
        Ok(_) => panic!("a missing file opened read-only"),
        Err(e) => assert!(matches!(e, StoreError::ReadOnlyEmpty(_)), "{e:?}"),
    }
    assert!(!other.path.exists());
}

// ---------------------------------------------------------------- 5. WIP rules

#[test]
fn a_full_hard_column_refuses_until_forced_with_a_reason() {
    on_both(|f| {
        let mut store = f.store();
        let board = store.board().unwrap();
        let doing = col(&board, "In Progress");
        let todo = col(&board, "To Do");
        let mut cards = Vec::new();
        for i in 0..3 {
            let id = add(&mut *store, "To Do", &format!("card {i}"));
            cards.push(id);
            let entry = store.move_card(id, doing, None).unwrap();
            assert_eq!(entry.decision.breach, None);
            assert_eq!(entry.decision.count_after, i + 1);
            assert_eq!(entry.warning(), None);
        }
        let late = add(&mut *store, "To Do", "one too many");
        cards.push(late);
        // Every card's events: the board's whole history.
        let events = events_of(&*store, &cards);

        let err = store.move_card(late, doing, None).unwrap_err();
        match &err {
            StoreError::Rule(DomainError::WipLimitReached {
                column,
                count,
                limit,
            }) => {
                assert_eq!((column.as_str(), *count, *limit), ("In Progress", 3, 3));
            }
            other => panic!("expected a WIP refusal, got {other:?}"),
        }
        assert_eq!(err.to_string(), "In Progress is at its WIP limit (3/3)");
        assert!(err.is_refusal());
        assert_eq!(column_of(&*store, late), todo);
        assert_eq!(events_of(&*store, &cards), events);

        for blank in ["", "   ", "\t\n"] {
            let err = store.move_card(late, doing, Some(blank)).unwrap_err();
            assert!(
                matches!(err, StoreError::Rule(DomainError::ReasonRequired)),
                "{blank:?}: {err:?}"
            );
            assert_eq!(column_of(&*store, late), todo);
            assert_eq!(events_of(&*store, &cards), events);
        }

        // A new card created straight into the full column is refused too.
        let err = store
            .add_card(doing, NewCard::titled("sneaky"), None)
            .unwrap_err();
        assert!(matches!(
            err,
            StoreError::Rule(DomainError::WipLimitReached { .. })
        ));
        assert_eq!(store.card_count().unwrap(), 4);

        let entry = store.move_card(late, doing, Some("  prod down  ")).unwrap();
        assert_eq!(
            entry.decision.breach,
            Some(Breach::Forced {
                reason: "prod down".into()
            })
        );
        assert_eq!(
            entry.warning().as_deref(),
            Some("In Progress is over its WIP limit (4/3): forced, reason recorded")
        );
        assert_eq!(column_of(&*store, late), doing);
        assert_eq!(events_of(&*store, &cards), events + 1);
        let history = store.card_history(late).unwrap();
        let last = history.last().unwrap();
        assert_eq!(last.id, entry.event);
        assert_eq!(last.kind, EventKind::Moved);
        assert_eq!(last.to_column, Some(doing));
        assert_eq!(
            last.breach,
            Some(Breach::Forced {
                reason: "prod down".into()
            })
        );

        // Over the limit now: the refusal reports the true count.
        let fifth = add(&mut *store, "To Do", "fifth");
        let err = store.move_card(fifth, doing, None).unwrap_err();
        assert_eq!(err.to_string(), "In Progress is over its WIP limit (4/3)");
    });
}

#[test]
fn a_soft_limit_admits_records_the_breach_and_takes_a_reason_later() {
    on_both(|f| {
        let mut store = f.store();
        let board = store.board().unwrap();
        let review = col(&board, "Review");
        store
            .set_column_wip(
                review,
                Some(WipLimit {
                    limit: 1,
                    policy: WipPolicy::Soft,
                }),
            )
            .unwrap();
        assert_eq!(
            store.board().unwrap().column(review).unwrap().wip,
            Some(WipLimit::soft(1))
        );
        let first = add(&mut *store, "To Do", "first");
        let second = add(&mut *store, "To Do", "second");
        let e1 = store.move_card(first, review, None).unwrap();
        assert_eq!(e1.decision.breach, None);
        let e2 = store.move_card(second, review, None).unwrap();
        assert_eq!(e2.decision.breach, Some(Breach::Soft { reason: None }));
        assert_eq!(
            e2.warning().as_deref(),
            Some("Review is over its soft WIP limit (2/1)")
        );
        assert_eq!(column_of(&*store, second), review);
        let last = store.card_history(second).unwrap().pop().unwrap();
        assert_eq!(last.id, e2.event);
        assert_eq!(last.breach, Some(Breach::Soft { reason: None }));

        store.explain_breach(e2.event, "  pairing on it  ").unwrap();
        let last = store.card_history(second).unwrap().pop().unwrap();
        assert_eq!(
            last.breach,
            Some(Breach::Soft {
                reason: Some("pairing on it".into())
            })
        );

        // A blank reason, or an event that broke no limit, is refused.
        assert!(matches!(
            store.explain_breach(e2.event, "  "),
            Err(StoreError::Rule(DomainError::ReasonRequired))
        ));
        assert!(matches!(
            store.explain_breach(e1.event, "why"),
            Err(StoreError::NotFound(_))
        ));
        assert_eq!(
            store.card_history(first).unwrap().pop().unwrap().breach,
            None
        );
    });
}

// ---------------------------------------------------------------- 6. event invariant

#[test]
fn every_cards_latest_column_event_names_its_column() {
    on_both(|f| {
        let mut store = f.store();
        let board = store.board().unwrap();
        let columns: Vec<ColumnId> = board.columns.iter().map(|c| c.id).collect();
        let mut rng = Rng(0x0DDB_A11C_AFE5_0042);
        let mut live: Vec<CardId> = Vec::new();
        // Every card made, archived ones too.
        let mut all: Vec<CardId> = Vec::new();
        let mut expected_events = 0usize;
        for step in 0..150 {
            match rng.below(10) {
                0..=2 => {
                    let to = columns[rng.below(columns.len())];
                    match store.add_card(to, NewCard::titled(&format!("card {step}")), None) {
                        Ok(e) => {
                            live.push(e.card);
                            all.push(e.card);
                            expected_events += 1;
                        }
                        Err(StoreError::Rule(DomainError::WipLimitReached { .. })) => {}
                        Err(e) => panic!("step {step}: {e:?}"),
                    }
                }
                3..=7 if !live.is_empty() => {
                    let id = live[rng.below(live.len())];
                    let to = columns[rng.below(columns.len())];
                    let force = (rng.below(3) == 0).then_some("needed it");
                    let before = column_of(&*store, id);
                    match store.move_card(id, to, force) {
                        Ok(_) => expected_events += 1,
                        Err(StoreError::Rule(_)) => assert_eq!(column_of(&*store, id), before),
                        Err(e) => panic!("step {step}: {e:?}"),
                    }
                }
                8 if !live.is_empty() => {
                    let id = live[rng.below(live.len())];
                    let blocked = store.card(id).unwrap().blocked.is_some();
                    let reason = (!blocked).then_some("waiting");
                    store.set_blocked(id, reason).unwrap();
                    expected_events += 1;
                }
                9 if !live.is_empty() => {
                    let id = live.swap_remove(rng.below(live.len()));
                    store.archive_card(id).unwrap();
                    expected_events += 1;
                    assert!(matches!(
                        store.move_card(id, columns[0], None),
                        Err(StoreError::Rule(DomainError::Invalid(_)))
                    ));
                }
                _ => {}
            }
            let off = off_their_last_event(&*store, &all);
            assert!(off.is_empty(), "after step {step}: {off:?}");
        }
        // These are all the cards there are, and they hold every event.
        assert_eq!(store.card_count().unwrap(), all.len() as u64);
        let histories = histories(&*store, &all);
        assert_eq!(
            histories.values().map(Vec::len).sum::<usize>(),
            expected_events
        );
        for (card, history) in &histories {
            // Every card starts with exactly one creation event, which comes first.
            let created = history
                .iter()
                .filter(|e| e.kind == EventKind::Created)
                .count();
            assert_eq!(created, 1, "card {card}: {history:?}");
            assert_eq!(history[0].kind, EventKind::Created, "card {card}");
            // Archived cards keep their column, and their last event says so.
            if store.card(*card).unwrap().archived {
                assert_eq!(
                    history.last().unwrap().kind,
                    EventKind::Archived,
                    "card {card}"
                );
            }
        }
    });
}

// ---------------------------------------------------------------- 7. two writers

#[derive(Debug)]
struct MoveLog {
    card: CardId,
    to: ColumnId,
    result: Result<i64, String>,
    wip_refusal: bool,
}

#[test]
fn two_connections_writing_at_once_lose_nothing() {
    on_both(|f| {
        let (left, right, doing);
        let mut mine: Vec<(Vec<CardId>, Vec<CardId>)> = Vec::new();
        {
            let mut store = f.store();
            let board = store.board().unwrap();
            left = store
                .add_column(board.id, "Left", ColumnKind::Active, None)
                .unwrap();
            right = store
                .add_column(board.id, "Right", ColumnKind::Active, None)
                .unwrap();
            doing = col(&board, "In Progress");
            for t in 0..2 {
                let shuttles = (0..2)
                    .map(|i| {
                        store
                            .add_card(left, NewCard::titled(&format!("t{t} shuttle {i}")), None)
                            .unwrap()
                            .card
                    })
                    .collect();
                let racers = (0..3)
                    .map(|i| add(&mut *store, "To Do", &format!("t{t} racer {i}")))
                    .collect();
                mine.push((shuttles, racers));
            }
        }
        let cards: Vec<CardId> = mine
            .iter()
            .flat_map(|(shuttles, racers)| shuttles.iter().chain(racers))
            .copied()
            .collect();
        let events_before = events_of(&*f.store(), &cards);

        let barrier = Arc::new(Barrier::new(2));
        let handles: Vec<_> = mine
            .into_iter()
            .enumerate()
            .map(|(t, (shuttles, racers))| {
                let barrier = Arc::clone(&barrier);
                let place = f.place();
                std::thread::spawn(move || {
                    let mut store = place.as_user(&format!("writer{t}"));
                    let mut log = Vec::new();
                    let mut record = |store: &mut dyn Store, card: CardId, to: ColumnId| {
                        let result = store.move_card(card, to, None);
                        log.push(MoveLog {
                            card,
                            to,
                            wip_refusal: matches!(
                                result,
                                Err(StoreError::Rule(DomainError::WipLimitReached { .. }))
                            ),
                            result: result.map(|e| e.event).map_err(|e| format!("{e:?}")),
                        });
                    };
                    barrier.wait();
                    for i in 0..100 {
                        let card = shuttles[i % shuttles.len()];
                        // Each shuttle alternates: out to Right, back to Left.
                        let to = if (i / shuttles.len()) % 2 == 0 {
                            right
                        } else {
                            left
                        };
                        record(&mut *store, card, to);
                        if i % 7 == 3
                            && let Some(&racer) = racers.get(i / 7)
                        {
                            record(&mut *store, racer, doing);
                        }
                    }
                    log
                })
            })
            .collect();
        let logs: Vec<MoveLog> = handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect();

        let unexpected: Vec<&MoveLog> = logs
            .iter()
            .filter(|l| l.result.is_err() && !l.wip_refusal)
            .collect();
        assert!(unexpected.is_empty(), "{unexpected:?}");
        let race: Vec<&MoveLog> = logs.iter().filter(|l| l.to == doing).collect();
        assert_eq!(race.len(), 6);
        assert_eq!(race.iter().filter(|l| l.result.is_ok()).count(), 3);
        assert_eq!(race.iter().filter(|l| l.wip_refusal).count(), 3);

        let store = f.store();
        let board = store.board().unwrap();
        assert_eq!(store.list_cards(&board, Some(doing)).unwrap().len(), 3);
        for l in race {
            let now_in = column_of(&*store, l.card);
            assert_eq!(now_in == doing, l.result.is_ok(), "{l:?}");
        }
        // Every successful move has exactly one event, and nothing else was
        // recorded: these are all the cards, and their histories hold every event.
        let ok: Vec<&MoveLog> = logs.iter().filter(|l| l.result.is_ok()).collect();
        assert_eq!(ok.len(), 200 + 3);
        assert_eq!(store.card_count().unwrap(), cards.len() as u64);
        let histories = histories(&*store, &cards);
        let ids: HashSet<i64> = histories.values().flatten().map(|e| e.id).collect();
        assert_eq!(ids.len(), events_before + ok.len(), "every event once");
        let mut per_card: HashMap<CardId, usize> = HashMap::new();
        for l in &ok {
            *per_card.entry(l.card).or_default() += 1;
            let id = l.result.as_ref().copied().unwrap();
            let event = histories[&l.card]
                .iter()
                .find(|e| e.id == id)
                .unwrap_or_else(|| panic!("event {id} of {l:?} is not in the card's history"));
            assert_eq!(
                (event.card, event.to_column, event.kind),
                (l.card, Some(l.to), EventKind::Moved)
            );
        }
        for (card, n) in per_card {
            let moved = histories[&card]
                .iter()
                .filter(|e| e.kind == EventKind::Moved)
                .count();
            assert_eq!(moved, n, "card {card}");
        }
        // The shuttles made an even number of moves each, so they are back in Left.
        assert_eq!(store.list_cards(&board, Some(left)).unwrap().len(), 4);
        assert!(store.list_cards(&board, Some(right)).unwrap().is_empty());
        assert!(off_their_last_event(&*store, &cards).is_empty());
        if let Some(path) = f.path() {
            let conn = Connection::open(path).unwrap();
            let check: String = conn
                .query_row("PRAGMA integrity_check", [], |r| r.get(0))
                .unwrap();
            assert_eq!(check, "ok");
            assert!(invariant_violations(&conn).is_empty());
        }
    });
}

#[test]
fn two_first_opens_of_a_new_file_at_once_both_succeed() {
    for round in 0..20 {
        let db = Db::new();
        let barrier = Arc::new(Barrier::new(2));
        let handles: Vec<_> = (0..2)
            .map(|i| {
                let barrier = Arc::clone(&barrier);
                let path = db.path.clone();
                std::thread::spawn(move || {
                    barrier.wait();
                    store::open(&path, options(&format!("user{i}")))
                        .map(|_| ())
                        .map_err(|e| e.to_string())
                })
            })
            .collect();
        for h in handles {
            if let Err(e) = h.join().unwrap() {
                panic!("round {round}: a first open failed: {e}");
            }
        }
        let store = db.open();
        assert_eq!(scalar(store.connection(), "SELECT count(*) FROM boards"), 1);
        assert_eq!(store.board().unwrap().columns.len(), 5);
    }
}

// ---------------------------------------------------------------- 8. polling

#[test]
fn poll_changed_sees_another_connections_commit_once() {
    on_both(|f| {
        let mut a = f.store();
        let mut b = f.as_user("ben");
        // The first call only takes a baseline.
        f.stays_quiet("a first look is news", || a.poll_changed().unwrap());
        f.stays_quiet("a first look is news", || b.poll_changed().unwrap());
        add(&mut *b, "To Do", "from ben");
        f.notices("Ana's terminal sees Ben's card", || {
            a.poll_changed().unwrap()
        });
        f.stays_quiet("one change is news once", || a.poll_changed().unwrap());
        // Its own writes are not news to a connection.
        add(&mut *a, "To Do", "from ana");
        f.stays_quiet("Ana's own card is news to her", || {
            a.poll_changed().unwrap()
        });
        // ...but they are to the other one.
        f.notices("Ben's terminal sees Ana's card", || {
            b.poll_changed().unwrap()
        });
        f.stays_quiet("one change is news once", || b.poll_changed().unwrap());
        let card = add(&mut *a, "Backlog", "another from ana");
        f.notices("Ben's terminal sees Ana's other card", || {
            b.poll_changed().unwrap()
        });
        // A refused write changes nothing.
        let board = b.board().unwrap();
        b.move_card(card, col(&board, "Backlog"), None).unwrap_err();
        f.stays_quiet("a refused write is news", || a.poll_changed().unwrap());
    });
}

// ---------------------------------------------------------------- 9. filter and paging

/// The cards of To Do (the second column) that `text` finds, first 50.
fn found(store: &dyn Store, text: &str) -> Vec<CardId> {
    pages_of(
        store,
        &CardFilter::parse(text),
        1,
        Window {
            offset: 0,
            limit: 50,
        },
    )
    .cards
    .iter()
    .map(|c| c.id)
    .collect()
}

fn pages_of(
    store: &dyn Store,
    filter: &CardFilter,
    column: usize,
    window: Window,
) -> store::ColumnPage {
    let board = store.board().unwrap();
    let mut windows = vec![
        Window {
            offset: 0,
            limit: 0
        };
        column + 1
    ];
    windows[column] = window;
    let pages = store.board_pages(&board, filter, &windows).unwrap();
    assert_eq!(pages.len(), board.columns.len());
    for (i, p) in pages.iter().enumerate() {
        assert_eq!(p.column, board.columns[i]);
        if i != column {
            assert!(
                p.cards.is_empty(),
                "column {i} loaded cards without a window"
            );
        }
    }
    pages[column].clone()
}

#[test]
fn board_pages_window_a_column_and_count_its_cards() {
    on_both(|f| {
        let mut store = f.store();
        let board = store.board().unwrap();
        let todo = col(&board, "To Do");
        let people = ["ana", "ben", "benedikt", "cy"];
        let mut ids = Vec::new();
        for i in 0..30usize {
            let tags = match i % 3 {
                0 => vec!["bug".to_string()],
                1 => vec!["ui".to_string(), "bug".to_string()],
                _ => vec!["debug".to_string()],
            };
            let card = NewCard {
                title: format!("task {i:02}"),
                assignee: Some(people[i % 4].to_string()),
                tags,
                points: Some(i as u32 % 5),
                ..NewCard::default()
            };
            ids.push(store.add_card(todo, card, None).unwrap().card);
        }
        add(&mut *store, "Done", "finished thing");

        let page = pages_of(
            &*store,
            &CardFilter::default(),
            1,
            Window {
                offset: 10,
                limit: 5,
            },
        );
        assert_eq!(page.count, 30);
        assert_eq!(page.matching, 30);
        assert_eq!(page.offset, 10);
        let got: Vec<CardId> = page.cards.iter().map(|c| c.id).collect();
        assert_eq!(got, ids[10..15].to_vec());
        assert_eq!(page.cards[0].title, "task 10");
        assert_eq!(page.cards[0].assignee.as_deref(), Some("benedikt"));
        assert_eq!(page.cards[0].tags, vec!["bug", "ui"]);

        // The last window is short; past the end is empty.
        let page = pages_of(
            &*store,
            &CardFilter::default(),
            1,
            Window {
                offset: 28,
                limit: 5,
            },
        );
        assert_eq!(page.cards.len(), 2);
        let page = pages_of(
            &*store,
            &CardFilter::default(),
            1,
            Window {
                offset: 40,
                limit: 5,
            },
        );
        assert!(page.cards.is_empty());
        assert_eq!(page.count, 30);

        // Board order matches list_cards.
        let page = pages_of(
            &*store,
            &CardFilter::default(),
            1,
            Window {
                offset: 0,
                limit: 100,
            },
        );
        let listed: Vec<CardId> = store
            .list_cards(&board, Some(todo))
            .unwrap()
            .iter()
            .map(|c| c.id)
            .collect();
        assert_eq!(page.cards.iter().map(|c| c.id).collect::<Vec<_>>(), listed);

        // @ben matches ben and benedikt (a substring of the name); #bug is a whole tag.
        let filter = CardFilter::parse("@ben #bug");
        let expected: Vec<CardId> = (0..30usize)
            .filter(|i| matches!(i % 4, 1 | 2) && i % 3 != 2)
            .map(|i| ids[i])
            .collect();
        assert!(!expected.is_empty());
        let page = pages_of(
            &*store,
            &filter,
            1,
            Window {
                offset: 0,
                limit: 100,
            },
        );
        assert_eq!(page.count, 30);
        assert_eq!(page.matching as usize, expected.len());
        assert_eq!(
            page.cards.iter().map(|c| c.id).collect::<Vec<_>>(),
            expected
        );
        for c in &page.cards {
            assert!(c.assignee.as_deref().unwrap().contains("ben"));
            assert!(c.tags.iter().any(|t| t == "bug"));
        }
        // The filter's window pages through the matches only.
        let page = pages_of(
            &*store,
            &filter,
            1,
            Window {
                offset: 2,
                limit: 3,
            },
        );
        assert_eq!(
            page.cards.iter().map(|c| c.id).collect::<Vec<_>>(),
            expected[2..5].to_vec()
        );
        assert_eq!(page.matching as usize, expected.len());

        // Other columns: counts without windows, and a filter that matches nothing there.
        let board = store.board().unwrap();
        let pages = store.board_pages(&board, &filter, &[]).unwrap();
        let counts: Vec<(u32, u32)> = pages.iter().map(|p| (p.count, p.matching)).collect();
        assert_eq!(
            counts,
            vec![(0, 0), (30, expected.len() as u32), (0, 0), (0, 0), (1, 0)]
        );
        assert!(pages.iter().all(|p| p.cards.is_empty()));

        // Archived cards leave both counts.
        store.archive_card(ids[1]).unwrap();
        let page = pages_of(
            &*store,
            &filter,
            1,
            Window {
                offset: 0,
                limit: 100,
            },
        );
        assert_eq!(page.count, 29);
        assert_eq!(page.matching as usize, expected.len() - 1);
    });
}

#[test]
fn filter_words_match_wildcards_literally() {
    on_both(|f| {
        let mut store = f.store();
        let pct = add(&mut *store, "To Do", "Coverage at 50% now");
        let _digits = add(&mut *store, "To Do", "Coverage at 500 lines");
        let under = add(&mut *store, "To Do", "rename user_id");
        let _plain = add(&mut *store, "To Do", "rename userXid");
        let slash = add(&mut *store, "To Do", r"path C:\temp");
        assert_eq!(found(&*store, "50%"), vec![pct]);
        assert_eq!(found(&*store, "%"), vec![pct]);
        assert_eq!(found(&*store, "user_id"), vec![under]);
        assert_eq!(found(&*store, "_"), vec![under]);
        assert_eq!(found(&*store, r"c:\temp"), vec![slash]);
        assert_eq!(found(&*store, "COVERAGE"), {
            let mut v = vec![pct, _digits];
            v.sort();
            v
        });
        assert!(found(&*store, "nothing-like-this").is_empty());
        // A word may name a card by its id.
        assert_eq!(found(&*store, &under.0.to_string()), vec![under]);
    });
}

#[test]
fn filter_finds_a_title_typed_exactly_with_non_ascii_capitals() {
    on_both(|f| {
        let mut store = f.store();
        let card = add(&mut *store, "To Do", "Émile's crash report");
        let board = store.board().unwrap();
        let id = store
            .add_card(
                col(&board, "To Do"),
                NewCard {
                    title: "Translate the FAQ".into(),
                    assignee: Some("Ødegaard".into()),
                    ..NewCard::default()
                },
                None,
            )
            .unwrap()
            .card;
        assert_eq!(found(&*store, "Émile's"), vec![card]);
        assert_eq!(found(&*store, "@Ødegaard"), vec![id]);
    });
}

// ---------------------------------------------------------------- 10. columns

#[test]
fn columns_are_added_renamed_shifted_and_retired() {
    on_both(|f| {
        let mut store = f.store();
        let board = store.board().unwrap();
        let names = |store: &dyn Store| -> Vec<String> {
            store
                .board()
                .unwrap()
                .columns
                .into_iter()
                .map(|c| c.name)
                .collect()
        };

        let qa = store
            .add_column(
                board.id,
                "  QA  ",
                ColumnKind::Active,
                Some(WipLimit::hard(2)),
            )
            .unwrap();
        assert_eq!(
            names(&*store),
            ["Backlog", "To Do", "In Progress", "Review", "Done", "QA"]
        );
        let qa_col = store.board().unwrap().column(qa).cloned().unwrap();
        assert_eq!(qa_col.kind, ColumnKind::Active);
        assert_eq!(qa_col.wip, Some(WipLimit::hard(2)));

        for dup in ["qa", "QA", " Qa ", "review"] {
            match store.add_column(board.id, dup, ColumnKind::Done, None) {
                Err(StoreError::Rule(DomainError::Invalid(m))) => {
                    assert!(m.contains("already exists"), "{m}")
                }
                other => panic!("duplicate {dup:?}: {other:?}"),
            }
        }
        assert!(matches!(
            store.add_column(board.id, "   ", ColumnKind::Done, None),
            Err(StoreError::Rule(DomainError::Invalid(_)))
        ));
        assert_eq!(store.board().unwrap().columns.len(), 6);

        store.rename_column(qa, "Testing").unwrap();
        assert!(matches!(
            store.rename_column(qa, "done"),
            Err(StoreError::Rule(DomainError::Invalid(_)))
        ));
        // Changing only the case of its own name is fine.
        store.rename_column(qa, "testing").unwrap();
        store.rename_column(qa, "Testing").unwrap();

        store.shift_column(qa, -1).unwrap();
        assert_eq!(
            names(&*store),
            [
                "Backlog",
                "To Do",
                "In Progress",
                "Review",
                "Testing",
                "Done"
            ]
        );
        store.shift_column(qa, -1).unwrap();
        store.shift_column(qa, -1).unwrap();
        assert_eq!(
            names(&*store),
            [
                "Backlog",
                "To Do",
                "Testing",
                "In Progress",
                "Review",
                "Done"
            ]
        );
        store.shift_column(qa, 1).unwrap();
        assert_eq!(
            names(&*store),
            [
                "Backlog",
                "To Do",
                "In Progress",
                "Testing",
                "Review",
                "Done"
            ]
        );
        // At the ends, a shift does nothing.
        let backlog = col(&board, "Backlog");
        store.shift_column(backlog, -1).unwrap();
        let done = col(&board, "Done");
        store.shift_column(done, 1).unwrap();
        assert_eq!(
            names(&*store),
            [
                "Backlog",
                "To Do",
                "In Progress",
                "Testing",
                "Review",
                "Done"
            ]
        );

        store.set_column_kind(qa, ColumnKind::Done).unwrap();
        assert_eq!(
            store.board().unwrap().column(qa).unwrap().kind,
            ColumnKind::Done
        );

        // A column with a live card cannot go; once empty it can.
        let card = add(&mut *store, "To Do", "Test the release");
        move_to(&mut *store, card, "Testing");
        match store.delete_column(qa) {
            Err(StoreError::Rule(DomainError::Invalid(m))) => {
                assert!(m.contains("still holds"), "{m}");
                assert!(m.contains("Testing"), "{m}");
            }
            other => panic!("deleting a column with a card: {other:?}"),
        }
        assert!(names(&*store).contains(&"Testing".to_string()));
        move_to(&mut *store, card, "Done");
        store.delete_column(qa).unwrap();
        assert_eq!(
            names(&*store),
            ["Backlog", "To Do", "In Progress", "Review", "Done"]
        );
        assert!(matches!(
            store.delete_column(qa),
            Err(StoreError::NotFound(_))
        ));
        let board = store.board().unwrap();
        assert!(board.column(qa).is_none());
        assert!(matches!(
            store.move_card(card, qa, None),
            Err(StoreError::NotFound(_))
        ));

        // History keeps the retired column's name.
        let history = store.card_history(card).unwrap();
        let steps: Vec<(Option<&str>, Option<&str>)> = history
            .iter()
            .map(|e| (e.from_name.as_deref(), e.to_name.as_deref()))
            .collect();
        assert_eq!(
            steps,
            vec![
                (None, Some("To Do")),
                (Some("To Do"), Some("Testing")),
                (Some("Testing"), Some("Done")),
            ]
        );
        // The name is free again for a new column.
        let again = store
            .add_column(board.id, "Testing", ColumnKind::Active, None)
            .unwrap();
        assert_ne!(again, qa);
        assert_eq!(
            store.card_history(card).unwrap()[1].to_name.as_deref(),
            Some("Testing")
        );
    });
}

#[test]
fn the_last_column_cannot_be_retired() {
    on_both(|f| {
        let mut store = f.store();
        let board = store.board().unwrap();
        for c in &board.columns[1..] {
            store.delete_column(c.id).unwrap();
        }
        assert!(matches!(
            store.delete_column(board.columns[0].id),
            Err(StoreError::Rule(DomainError::Invalid(_)))
        ));
        assert_eq!(store.board().unwrap().columns.len(), 1);
    });
}

// ---------------------------------------------------------------- 11. demo data

#[test]
fn demo_data_goes_into_a_fresh_database_once() {
    let db = Db::new();
    let mut store = db.open();
    let now = t0();
    let plan = demo_plan(now, 1, 40).unwrap();
    store.seed_demo(&plan).unwrap();

    let board = store.board().unwrap();
    assert_eq!(board.name, plan.board_name);
    assert_eq!(board.columns.len(), 5);
    // The plan's forty, and the action items of its post-mortem (four) and
    // pre-mortem (three), made cards by the same writes as the app's.
    assert_eq!(store.card_count().unwrap(), 47);
    let cards = store.list_cards(&board, None).unwrap();
    assert_eq!(cards.len(), 47);
    for c in &board.columns {
        assert!(
            cards.iter().any(|card| card.column == c.id),
            "no demo card in {}",
            c.name
        );
    }
    let conn = store.connection();
    assert_eq!(scalar(conn, "SELECT count(*) FROM boards"), 1);
    assert!(
        scalar(
            conn,
            "SELECT count(*) FROM card_events WHERE breach = 'forced' AND reason <> ''"
        ) >= 1
    );
    assert!(
        scalar(
            conn,
            "SELECT count(*) FROM card_events WHERE kind = 'blocked'"
        ) >= 1
    );
    assert!(invariant_violations(conn).is_empty());
    // History spans weeks and ends no later than now.
    let (first, last): (i64, i64) = conn
        .query_row("SELECT min(at), max(at) FROM card_events", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert!(last <= now.timestamp_millis());
    assert!(now.timestamp_millis() - first >= Duration::days(30).num_milliseconds());
    // Cards were created in the order the plan first mentions them, and
    // each ends in the column the plan says, with its title.
    let mut order: Vec<usize> = Vec::new();
    for e in &plan.events {
        if !order.contains(&e.card) {
            order.push(e.card);
        }
    }
    // (The mortems' action items are not the plan's cards.)
    let mut ids: Vec<CardId> = cards
        .iter()
        .map(|c| c.id)
        .filter(|id| {
            scalar(
                conn,
                &format!(
                    "SELECT count(*) FROM mortem_actions WHERE card_id = {}",
                    id.0
                ),
            ) == 0
        })
        .collect();
    ids.sort();
    assert_eq!(order.len(), ids.len());
    for (k, &i) in order.iter().enumerate() {
        let card = store.card(ids[k]).unwrap();
        assert_eq!(card.title, plan.cards[i].title);
        assert_eq!(card.column, board.columns[plan.final_column(i).unwrap()].id);
    }

    let again = demo_plan(now, 2, 40).unwrap();
    match store.seed_demo(&again) {
        Err(e @ StoreError::Rule(_)) => {
            assert!(e.to_string().contains("already holds a team's data"), "{e}")
        }
        other => panic!("a second demo: {other:?}"),
    }
    assert_eq!(store.card_count().unwrap(), 47);
    assert_eq!(store.board().unwrap(), board);
}

/// A machine's clock that a test sets, stepping back at will.
struct WallClock(FixedClock);

impl teamloop::domain::Clock for WallClock {
    fn now(&self) -> DateTime<Utc> {
        self.0.now()
    }
    fn is_wall(&self) -> bool {
        true
    }
}

#[test]
fn a_wall_clock_behind_the_last_change_never_dates_an_event_before_it() {
    on_both(|f| {
        use teamloop::domain::Clock;
        let a = FixedClock::new(t0());
        let b = FixedClock::new(t0() - Duration::days(1));
        let open = |clock: &FixedClock, who: &str| {
            f.open(
                f.options(who)
                    .with_clock(Arc::new(WallClock(clock.clone()))),
            )
        };
        let mut ana = open(&a, "ana");
        let board = ana.board().unwrap();
        let card = ana
            .add_card(
                board.column_named("To Do").unwrap().id,
                NewCard::titled("x"),
                None,
            )
            .unwrap()
            .card;
        ana.move_card(card, board.column_named("In Progress").unwrap().id, None)
            .unwrap();
        // Ben's machine is a day behind: his move comes after, so it is dated
        // no earlier than the move before it.
        let mut ben = open(&b, "ben");
        ben.move_card(card, board.column_named("Done").unwrap().id, None)
            .unwrap();
        let times: Vec<DateTime<Utc>> = ana
            .card_history(card)
            .unwrap()
            .iter()
            .map(|e| e.at)
            .collect();
        assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
        assert_eq!(*times.last().unwrap(), a.now());
        // The flow agrees with the board: the card is finished.
        let report = ana
            .flow_report(&board, teamloop::domain::flow::FlowRange::All)
            .unwrap();
        assert_eq!(report.finished.len(), 1);
    });
}
