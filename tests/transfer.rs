//! The whole database in and out: the JSON export round trip on the demo
//! database, every kind of malformed import refused with the target
//! untouched, an old export upgraded, the Markdown report, a backup taken
//! while another process writes, and imports of random and mutated input.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{TimeZone, Utc};
use proptest::prelude::*;
use teamloop::domain::FixedClock;
use teamloop::domain::demo::demo_plan;
use teamloop::store::PersonKey;
use teamloop::store::PulseStore;
use teamloop::store::{self, OpenOptions, RetroStore, SqliteStore, Store};

mod common;

use common::cli::Env;

fn demo_db(dir: &Path) -> PathBuf {
    let path = dir.join("demo.db");
    let now = Utc.with_ymd_and_hms(2026, 11, 24, 15, 0, 0).unwrap();
    let opts = OpenOptions::new("ana")
        .with_key(PersonKey::for_name("ana"))
        .with_clock(Arc::new(FixedClock::new(now)));
    let mut s = store::open(&path, opts).unwrap();
    s.seed_demo(&demo_plan(now, 3, 40).unwrap()).unwrap();
    path
}

fn open(path: &Path) -> SqliteStore {
    store::open(
        path,
        OpenOptions::new("ana").with_key(PersonKey::for_name("ana")),
    )
    .unwrap()
}

/// A hash of the bytes of a file and of any side files next to it.
fn snapshot(path: &Path) -> Vec<Option<u64>> {
    use std::hash::{Hash, Hasher};
    ["", "-wal", "-shm"]
        .iter()
        .map(|s| {
            let mut p = path.as_os_str().to_owned();
            p.push(s);
            std::fs::read(PathBuf::from(p)).ok().map(|bytes| {
                let mut h = std::collections::hash_map::DefaultHasher::new();
                bytes.hash(&mut h);
                h.finish()
            })
        })
        .collect()
}

/// Files in a folder, so that no scratch file is left behind.
fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn export_import_export_gives_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let a = demo_db(dir.path());
    let first = store::export_json(&open(&a)).unwrap().text;
    let b = dir.path().join("copy.db");
    let done = store::import_json(&b, &first).unwrap();
    assert!(
        done.rows.iter().any(|(t, n)| t == "cards" && *n == 47),
        "{:?}",
        done.rows
    );
    let second = store::export_json(&open(&b)).unwrap().text;
    assert_eq!(first, second);
    // Every table of the schema is in it, the later features' too.
    for table in [
        "boards",
        "cards",
        "card_events",
        "sprints",
        "standups",
        "retro_cards",
        "pulse_answers",
        "mortems",
        "mortem_timeline",
        "premortem_risks",
    ] {
        assert!(first.contains(&format!("\"name\": \"{table}\"")), "{table}");
    }
    // And what the app shows of it is the same.
    let (sa, sb) = (open(&a), open(&b));
    let (ba, bb) = (sa.board().unwrap(), sb.board().unwrap());
    assert_eq!(ba, bb);
    assert_eq!(
        sa.list_cards(&ba, None).unwrap(),
        sb.list_cards(&bb, None).unwrap()
    );
    assert_eq!(sa.flow_history(&ba).unwrap(), sb.flow_history(&bb).unwrap());
}

#[test]
fn the_command_line_round_trip_and_an_empty_target() {
    let env = Env::new();
    env.run(&["demo"]).assert_ok();
    let out = env.dir.path().join("team.json");
    env.run(&["export", "-o", out.to_str().unwrap()])
        .assert_ok();
    // A database made by init, with nothing but its starter board, is
    // empty enough to import into.
    let target = env.dir.path().join("new.db");
    let r = common::cli::run_at(&target, &["init"]);
    r.assert_ok();
    let r = common::cli::run_at(&target, &["import", out.to_str().unwrap()]);
    r.assert_ok();
    assert!(r.stdout.starts_with("Imported "), "{}", r.stdout);
    let again = common::cli::run_at(&target, &["export"]);
    again.assert_ok();
    assert_eq!(again.stdout, std::fs::read_to_string(&out).unwrap());
    // Not twice.
    common::cli::run_at(&target, &["import", out.to_str().unwrap()])
        .assert_fails_with("already holds a team's data");
    // Export reads; it never makes a database.
    let none = env.dir.path().join("none.db");
    common::cli::run_at(&none, &["export"]).assert_fails_with("does not exist");
    assert!(!none.exists());
}

/// Changes the valid export `text` with `edit`, imports it into a target,
/// and checks it is refused with `needle` and nothing changed.
#[track_caller]
fn refused(text: &str, edit: impl Fn(&mut serde_json::Value), needle: &str) {
    let mut doc: serde_json::Value = serde_json::from_str(text).unwrap();
    edit(&mut doc);
    refused_text(&in_export_order(&doc), needle);
}

/// The document with its header before its tables, as teamloop writes it
/// (the import reads it as a stream, so it needs the schema first).
fn in_export_order(doc: &serde_json::Value) -> String {
    let map = doc.as_object().unwrap();
    let mut parts: Vec<String> = map
        .iter()
        .filter(|(k, _)| *k != "tables")
        .map(|(k, v)| format!("{}: {v}", serde_json::Value::String(k.clone())))
        .collect();
    if let Some(t) = map.get("tables") {
        parts.push(format!("\"tables\": {t}"));
    }
    format!("{{{}}}", parts.join(", "))
}

#[track_caller]
fn refused_text(text: &str, needle: &str) {
    let dir = tempfile::tempdir().unwrap();
    // A target that does not exist stays so; one made by init stays as it was.
    let missing = dir.path().join("missing.db");
    let err = store::import_json(&missing, text).unwrap_err().to_string();
    assert!(err.contains(needle), "{err}");
    assert!(!missing.exists());
    let empty = dir.path().join("empty.db");
    drop(open(&empty));
    let before = (snapshot(&empty), files(dir.path()));
    let err = store::import_json(&empty, text).unwrap_err().to_string();
    assert!(err.contains(needle), "{err}");
    assert_eq!((snapshot(&empty), files(dir.path())), before);
}

fn table<'a>(doc: &'a mut serde_json::Value, name: &str) -> &'a mut serde_json::Value {
    doc["tables"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|t| t["name"] == name)
        .unwrap()
}

#[test]
fn a_malformed_import_says_where_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let text = store::export_json(&open(&demo_db(dir.path())))
        .unwrap()
        .text;
    refused_text("{ \"format\": \"teamloop\", ", "line 1");
    refused_text("[1, 2", "not a teamloop export");
    refused(
        &text,
        |d| d["format"] = "kanboard".into(),
        "\"format\" is \"kanboard\"",
    );
    refused(&text, |d| d["version"] = 9.into(), "format version 9");
    refused(&text, |d| d["schema"] = 99.into(), "schema 99");
    refused(&text, |d| d["extra"] = 1.into(), "unknown field `extra`");
    refused(
        &text,
        |d| {
            // A card in column 99, which does not exist.
            let cards = table(d, "cards");
            let col = cards["columns"]
                .as_array()
                .unwrap()
                .iter()
                .position(|c| c == "column_id")
                .unwrap();
            cards["rows"][2][col] = 99.into();
        },
        "cards row 3: column_id 99 points at no columns row",
    );
    refused(
        &text,
        |d| {
            // The first card twice.
            let rows = table(d, "cards")["rows"].as_array_mut().unwrap();
            let first = rows[0].clone();
            rows.push(first);
        },
        "a duplicate",
    );
    refused(
        &text,
        |d| {
            d["tables"].as_array_mut().unwrap().push(serde_json::json!({
                "name": "evil", "columns": ["x"], "rows": [[1]]
            }))
        },
        &format!(
            "table \"evil\" is not in schema {}",
            store::schema_version()
        ),
    );
    refused(
        &text,
        |d| table(d, "boards")["columns"][1] = "nom".into(),
        &format!(
            "boards: column \"nom\" is not in schema {}",
            store::schema_version()
        ),
    );
    refused(
        &text,
        |d| {
            table(d, "boards")["rows"][0].as_array_mut().unwrap().pop();
        },
        "boards row 1: 5 values for 6 columns",
    );
    refused(
        &text,
        |d| {
            let sprints = table(d, "sprints");
            let state = sprints["columns"]
                .as_array()
                .unwrap()
                .iter()
                .position(|c| c == "state")
                .unwrap();
            sprints["rows"][0][state] = "lost".into();
        },
        "sprints row 1: CHECK constraint failed",
    );
}

#[test]
fn an_export_of_the_previous_schema_is_brought_up_to_date_and_forgets_its_names() {
    // Written by the previous release: the demo, a retro at its vote with
    // ben's two dots and chloe's one, and an open pulse ben and chloe
    // answered. That schema kept their names beside their votes.
    let dir = tempfile::tempdir().unwrap();
    let text = include_str!("fixtures/schema5-export.json");
    assert!(text.contains("\"retro_vote_marks\""));
    let target = dir.path().join("old.db");
    let done = store::import_json(&target, text).unwrap();
    assert_eq!(
        (done.from_schema, done.schema),
        (5, store::schema_version())
    );
    let s = open(&target);
    let board = s.board().unwrap().id;
    let retros = s.retros(board).unwrap();
    assert_eq!(retros.len(), 3);
    // The open retro keeps its totals; the names behind them are gone.
    let open_one = retros.iter().find(|r| r.title == "Open one").unwrap();
    assert_eq!(open_one.phase, teamloop::domain::retro::Phase::Vote);
    let totals: Vec<u32> = s
        .connection()
        .prepare("SELECT votes FROM retro_items WHERE retro_id = ?1 ORDER BY votes")
        .unwrap()
        .query_map([open_one.id.0], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(totals, [1, 2]);
    // The open pulse keeps its two responses.
    let pulses = s.pulses(board).unwrap();
    let open_pulse = pulses.iter().find(|p| p.title == "Open pulse").unwrap();
    assert_eq!(open_pulse.responses, 2);
    // Closed rituals read as before.
    let closed = pulses.iter().find(|p| p.title != "Open pulse").unwrap();
    assert!(s.pulse_results(closed.id).is_ok());
    drop(s);
    for who in ["ben", "chloe"] {
        // Both names are in the demo's board history (cards they moved);
        // none is left in a table of an anonymous ritual.
        let conn = rusqlite::Connection::open(&target).unwrap();
        for table in ["retro_dots", "retro_polls", "pulse_respondents"] {
            let mut stmt = conn.prepare(&format!("SELECT * FROM {table}")).unwrap();
            let n = stmt.column_count();
            let dump: String = stmt
                .query_map([], |r| {
                    (0..n)
                        .map(|i| {
                            r.get::<_, rusqlite::types::Value>(i)
                                .map(|v| format!("{v:?}"))
                        })
                        .collect::<rusqlite::Result<Vec<_>>>()
                })
                .unwrap()
                .map(|r| r.unwrap().join(","))
                .collect();
            assert!(!dump.contains(who), "{who} in {table}");
        }
    }
    // And no freed page of the new file holds what was dropped.
    let free: i64 = rusqlite::Connection::open(&target)
        .unwrap()
        .query_row("PRAGMA freelist_count", [], |r| r.get(0))
        .unwrap();
    assert_eq!(free, 0);
}

#[test]
fn the_markdown_report_reads_as_one() {
    let env = Env::new();
    env.run(&["demo"]).assert_ok();
    let r = env.run(&["export", "--format", "markdown"]);
    r.assert_ok();
    let md = r.stdout;
    for heading in [
        "# Team board",
        "## Board",
        "### In Progress",
        "## Sprint",
        "## Latest retro",
        "## Latest post-mortem",
        "### Checkout errors after the 3.14 release",
        "#### Timeline (UTC)",
    ] {
        assert!(
            md.contains(&format!("\n{heading}")) || md.starts_with(heading),
            "{heading}:\n{md}"
        );
    }
    assert!(md.contains("committed"), "{md}");
}

#[test]
fn a_backup_is_consistent_while_others_write() {
    let env = Env::new();
    env.run(&["init"]).assert_ok();
    // A writer adding and moving cards as fast as it can, one transaction
    // each, for as long as the backups run.
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let (db, stop) = (env.db.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut s = open(&db);
            let board = s.board().unwrap();
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let card = s
                    .add_card(
                        board.columns[0].id,
                        teamloop::domain::NewCard::titled(&format!("card {n}")),
                        None,
                    )
                    .unwrap()
                    .card;
                s.move_card(card, board.columns[1].id, None).unwrap();
                n += 1;
            }
            n
        })
    };
    for copy in 0..5 {
        let to = env.dir.path().join(format!("backup-{copy}.db"));
        env.run(&["backup", to.to_str().unwrap()]).assert_ok();
        let conn = rusqlite::Connection::open(&to).unwrap();
        let ok: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(ok, "ok");
        // One state: each card with its creation and its move, but the last
        // one, which may not have moved yet.
        let (cards, events): (i64, i64) = conn
            .query_row(
                "SELECT (SELECT count(*) FROM cards), (SELECT count(*) FROM card_events)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert!(
            events == cards * 2 || events == cards * 2 - 1,
            "copy {copy}: {cards} cards, {events} events"
        );
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let written = writer.join().unwrap();
    assert!(written > 0);
    // No half-written copy or scratch file is left.
    assert!(
        files(env.dir.path()).iter().all(|f| !f.contains("partial")),
        "{:?}",
        files(env.dir.path())
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Random bytes, and a valid export cut or changed at random places:
    /// never a panic, and a refused import leaves nothing behind.
    #[test]
    fn imports_of_random_and_mutated_input_never_panic(
        cut in 0usize..4000,
        flips in prop::collection::vec((0usize..4000, any::<u8>()), 0..4),
        noise in prop::collection::vec(any::<u8>(), 0..64),
    ) {
        let text = sample_export();
        let mut bytes = text.as_bytes().to_vec();
        for (at, b) in &flips {
            let i = at % bytes.len();
            bytes[i] = *b;
        }
        bytes.truncate(bytes.len().saturating_sub(cut % 50));
        bytes.extend_from_slice(&noise);
        let input = String::from_utf8_lossy(&bytes).into_owned();
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("t.db");
        if store::import_json(&target, &input).is_err() {
            prop_assert!(!target.exists());
            prop_assert!(files(dir.path()).is_empty(), "{:?}", files(dir.path()));
        }
    }
}

/// A small valid export: a few cards and one of each ritual would be more
/// than the fuzzing needs; the starter board and three cards will do.
fn sample_export() -> String {
    use std::sync::OnceLock;
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let mut s = open(&dir.path().join("s.db"));
        let board = s.board().unwrap();
        for t in ["one", "two", "three"] {
            s.add_card(
                board.columns[0].id,
                teamloop::domain::NewCard::titled(t),
                None,
            )
            .unwrap();
        }
        store::export_json(&s).unwrap().text
    })
    .clone()
}
