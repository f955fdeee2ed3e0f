//! What a hostile teammate gets from teamloop's own commands and from the
//! file itself: exports taken around one person's answer, the raw pages and
//! the write-ahead log, the order of rows. docs/SECURITY.md names each
//! promise and the test here that checks it.

mod common;

use common::cli::Env;

/// `teamloop export` as `who` (read-only, as any teammate could).
fn export(env: &Env, who: &str) -> (String, String) {
    let r = env.run_as(who, &["--read-only", "export"]);
    r.assert_ok();
    (r.stdout, r.stderr)
}

fn ok(env: &Env, who: &str, args: &[&str]) -> String {
    let r = env.run_as(who, args);
    r.assert_ok();
    r.stdout
}

/// Asserts that one act of `who` leaves every export as it was: the act
/// cannot be read back from a diff of two exports, whoever takes them.
#[track_caller]
fn invisible_in_exports(env: &Env, what: &str, act: impl FnOnce()) {
    let (before, _) = export(env, "eve");
    act();
    let (after, said) = export(env, "eve");
    assert!(
        before == after,
        "{what}: the export changed, so a diff tells what was done"
    );
    assert!(said.contains("left out while open"), "{what}: {said}");
}

#[test]
fn exports_taken_around_one_persons_act_are_the_same_bytes() {
    let env = Env::new();
    let retro = ok(
        &env,
        "ana",
        &["retro", "start", "--format", "start-stop-continue"],
    );
    let retro = retro.trim();
    invisible_in_exports(&env, "a safety check answer", || {
        ok(&env, "ben", &["retro", "answer", retro, "safety", "2"]);
    });
    ok(&env, "chloe", &["retro", "answer", retro, "safety", "4"]);
    ok(&env, "ana", &["retro", "phase", retro, "gather"]);
    invisible_in_exports(&env, "a card before the reveal", || {
        ok(
            &env,
            "ben",
            &["retro", "add", retro, "Stop", "the deploy script scares me"],
        );
    });
    ok(
        &env,
        "chloe",
        &["retro", "add", retro, "Start", "pair on the billing code"],
    );
    let (hidden, _) = export(&env, "eve");
    assert!(
        !hidden.contains("scares me"),
        "a hidden card left in an export"
    );
    ok(&env, "ana", &["retro", "phase", retro, "vote"]);
    let shown = env
        .run_as("ben", &["retro", "show", retro, "--json"])
        .json();
    let item = shown["items"][0]["id"].to_string();
    invisible_in_exports(&env, "a dot while voting", || {
        ok(
            &env,
            "ben",
            &["retro", "vote", retro, &item, "--count", "2"],
        );
    });
    // Once revealed, the cards are the team's and are exported.
    let (revealed, _) = export(&env, "eve");
    assert!(revealed.contains("scares me"));

    let pulse = ok(&env, "ana", &["pulse", "open", "December"]);
    let pulse = pulse.trim();
    invisible_in_exports(&env, "a pulse response", || {
        env.run_piped("ben", &["pulse", "answer", pulse], "5\n4\n5\n3\n5\n4\n5\n")
            .assert_ok();
    });
}

#[test]
fn an_export_taken_while_rituals_are_open_imports_as_a_working_board() {
    let env = Env::new();
    let retro = ok(
        &env,
        "ana",
        &["retro", "start", "--format", "start-stop-continue"],
    );
    let retro = retro.trim();
    ok(&env, "ana", &["retro", "phase", retro, "gather"]);
    ok(
        &env,
        "ben",
        &["retro", "add", retro, "Stop", "long meetings"],
    );
    ok(&env, "ana", &["retro", "phase", retro, "vote"]);
    let shown = env
        .run_as("ben", &["retro", "show", retro, "--json"])
        .json();
    let item = shown["items"][0]["id"].to_string();
    ok(&env, "ben", &["retro", "vote", retro, &item]);
    let r = env.run_as("eve", &["export"]);
    r.assert_ok();
    assert!(
        r.stderr.contains("the votes of a retro still voting"),
        "{}",
        r.stderr
    );
    // How many dots are cast is itself hidden while voting.
    assert!(!r.stderr.contains("voting ("), "{}", r.stderr);
    let file = env.dir.path().join("open.json");
    std::fs::write(&file, &r.stdout).unwrap();
    let moved = Env::without_board();
    moved.run(&["import", file.to_str().unwrap()]).assert_ok();
    // The copy is at the vote, with the card shown and no vote cast yet:
    // ben votes again there, and his budget is whole.
    let there = moved
        .run_as("ben", &["retro", "show", retro, "--json"])
        .json();
    assert_eq!(there["retro"]["phase"], "vote");
    assert_eq!(there["items"][0]["cards"][0]["text"], "long meetings");
    let used = ok(
        &moved,
        "ben",
        &["retro", "vote", retro, &item, "--count", "3"],
    );
    assert!(used.contains("used 3 of your 3"), "{used}");
}

/// Every read a screen or command makes, on `store`: the first error that
/// is a failed read (a value of the wrong type or out of range), if any.
/// Refusals (a pulse still open, a retro not found) are answers, not
/// failures.
fn failed_read(store: &teamloop::store::SqliteStore) -> Option<String> {
    use teamloop::domain::CardFilter;
    use teamloop::domain::flow::FlowRange;
    use teamloop::store::{
        MortemStore, PulseStore, RetroStore, SprintStore, StandupStore, Store, StoreError, Window,
    };
    let mut outcomes: Vec<Result<(), StoreError>> = Vec::new();
    let mut keep = |r: Result<(), StoreError>| outcomes.push(r);
    match store.board() {
        Err(e) => keep(Err(e)),
        Ok(board) => {
            let windows = vec![
                Window {
                    offset: 0,
                    limit: 50
                };
                board.columns.len()
            ];
            keep(
                store
                    .board_pages(&board, &CardFilter::default(), &windows)
                    .map(drop),
            );
            match store.list_cards(&board, None) {
                Err(e) => keep(Err(e)),
                Ok(cards) => {
                    for c in cards.iter().take(8) {
                        keep(store.card(c.id).map(drop));
                        keep(store.card_history(c.id).map(drop));
                    }
                }
            }
            keep(store.flow_report(&board, FlowRange::All).map(drop));
            keep(store.standup_settings(board.id).map(drop));
            keep(store.walk_cards(&board, None).map(drop));
            keep(store.past_standups(board.id, 10).map(drop));
            keep(store.action_items(&board).map(drop));
            match store.sprints(board.id) {
                Err(e) => keep(Err(e)),
                Ok(sprints) => {
                    for s in &sprints {
                        keep(store.sprint_report(s).map(drop));
                    }
                }
            }
            match store.retros(board.id) {
                Err(e) => keep(Err(e)),
                Ok(retros) => {
                    for r in &retros {
                        keep(store.retro_report(r.id).map(drop));
                        keep(store.my_votes(r.id).map(drop));
                    }
                }
            }
            match store.pulses(board.id) {
                Err(e) => keep(Err(e)),
                Ok(pulses) => {
                    for p in &pulses {
                        keep(store.pulse_results(p.id).map(drop));
                    }
                }
            }
            keep(store.pulse_trend(board.id).map(drop));
            match store.mortems(board.id, "") {
                Err(e) => keep(Err(e)),
                Ok(list) => {
                    for m in &list {
                        keep(store.mortem_report(m.mortem.id).map(drop));
                    }
                }
            }
            keep(teamloop::store::export_json(store).map(drop));
            keep(teamloop::store::markdown_report(store).map(drop));
        }
    }
    outcomes.into_iter().find_map(|r| match r {
        Err(StoreError::Rule(_) | StoreError::NotFound(_)) | Ok(()) => None,
        Err(e) => Some(e.to_string()),
    })
}

#[test]
fn no_value_the_schema_accepts_makes_a_later_read_fail() {
    use rusqlite::types::Value;
    use std::sync::Arc;
    use teamloop::domain::FixedClock;
    use teamloop::store::{self, OpenOptions, Store};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("planted.db");
    let now = chrono::Utc::now();
    let opts = || OpenOptions::new("ana").with_clock(Arc::new(FixedClock::new(now)));
    let mut s = store::open(&path, opts()).unwrap();
    s.seed_demo(&teamloop::domain::demo::demo_plan(now, 1, 40).unwrap())
        .unwrap();
    assert_eq!(failed_read(&s), None, "the demo itself reads");
    // What an import (any JSON value becomes one of these) or a hand edit
    // through the schema could plant.
    let plants = [
        Value::Blob(vec![0xff, 0]),
        Value::Real(1.5),
        Value::Real(f64::INFINITY),
        Value::Integer(1 << 40),
        Value::Integer(-1),
        Value::Integer(i64::MAX),
        Value::Text("x".into()),
        Value::Text("2026-02-30".into()),
        Value::Text("[\"x\", {}]".into()),
    ];
    let conn = s.connection();
    conn.pragma_update(None, "foreign_keys", true).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let (mut tried, mut planted) = (0, 0);
    for table in &tables {
        let columns: Vec<String> = conn
            .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        for column in &columns {
            for value in &plants {
                tried += 1;
                conn.execute_batch("SAVEPOINT plant").unwrap();
                let took = conn.execute(
                    &format!("UPDATE \"{table}\" SET \"{column}\" = ?1"),
                    [value],
                );
                if matches!(took, Ok(n) if n > 0) {
                    planted += 1;
                    if let Some(e) = failed_read(&s) {
                        panic!(
                            "{table}.{column} = {value:?} was accepted, then a read failed: {e}"
                        );
                    }
                }
                conn.execute_batch("ROLLBACK TO plant; RELEASE plant")
                    .unwrap();
            }
        }
    }
    assert!(
        tried > 1000 && planted > 0,
        "{tried} tried, {planted} planted"
    );
}

/// A retro on a scale safety check, started by `s`.
fn start_retro(
    s: &mut teamloop::store::SqliteStore,
    board: teamloop::domain::BoardId,
    title: &str,
) -> teamloop::domain::retro::RetroId {
    use teamloop::domain::retro::{SafetyKind, format};
    use teamloop::store::{NewRetro, RetroStore};
    s.start_retro(
        board,
        NewRetro {
            title: title.into(),
            format: format::built_in().remove(0),
            votes: 3,
            safety: SafetyKind::Scale,
            sprint: None,
            from: chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
            to: chrono::NaiveDate::from_ymd_opt(2026, 11, 14).unwrap(),
        },
    )
    .unwrap()
}

fn wal_len(db: &std::path::Path) -> u64 {
    std::fs::metadata(format!("{}-wal", db.display())).map_or(0, |m| m.len())
}

#[test]
fn no_earlier_page_stays_in_the_write_ahead_log_while_others_have_the_board_open() {
    use teamloop::domain::retro::{Phase, Poll};
    use teamloop::store::{RetroStore, Store};
    let f = common::clocked::Clocked::new("wal.db", chrono::Utc::now());
    let mut ana = f.as_user("ana");
    let board = ana.board().unwrap().id;
    let id = start_retro(&mut ana, board, "Watched");
    // Two more terminals have the board open all along, polling it.
    let mut watcher = f.as_user("eve");
    let mut ben = f.as_user("ben");
    for (who, value) in [("ben", 1), ("chloe", 5), ("dev", 2)] {
        f.as_user(who).answer(id, Poll::Safety, value).unwrap();
        watcher.poll_changed().unwrap();
        assert_eq!(wal_len(&f.path), 0, "{who}'s answer left pages in the log");
    }
    ana.close_poll(id, Poll::Safety).unwrap();
    ana.set_phase(id, Phase::Gather).unwrap();
    ben.add_retro_card(id, 0, "nobody reviews my changes")
        .unwrap();
    assert_eq!(wal_len(&f.path), 0);
    ana.set_phase(id, Phase::Vote).unwrap();
    let item = ana.retro_report(id).unwrap().items[0].id;
    // Another program holds a read open, which would keep the log from
    // being emptied after a write: the vote is refused, not kept in the
    // log; once the reader is gone it goes through, and the log is empty.
    let mut reader = std::process::Command::new("python3")
        .arg("-c")
        .arg(
            "import sqlite3, sys, time\n\
             c = sqlite3.connect(sys.argv[1], isolation_level=None)\n\
             c.execute('BEGIN'); c.execute('SELECT count(*) FROM cards').fetchall()\n\
             print('reading', flush=True); time.sleep(30)",
        )
        .arg(&f.path)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs");
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(reader.stdout.as_mut().unwrap()),
        &mut line,
    )
    .unwrap();
    assert_eq!(line.trim(), "reading");
    let refused = ben.vote(id, item, 2).unwrap_err().to_string();
    assert!(refused.contains("another program is reading"), "{refused}");
    assert_eq!(wal_len(&f.path), 0);
    reader.kill().unwrap();
    reader.wait().unwrap();
    ben.vote(id, item, 2).unwrap();
    assert_eq!(wal_len(&f.path), 0, "emptied once the reader was done");
    ana.set_phase(id, Phase::Discuss).unwrap();
    assert_eq!(wal_len(&f.path), 0);
}

#[test]
fn a_log_left_by_a_killed_teamloop_is_emptied_when_the_next_one_opens() {
    use teamloop::domain::retro::Poll;
    use teamloop::store::{RetroStore, Store};
    let f = common::clocked::Clocked::new("killed.db", chrono::Utc::now());
    let mut ana = f.as_user("ana");
    let board = ana.board().unwrap().id;
    let id = start_retro(&mut ana, board, "Killed");
    // A terminal that answers and is killed before anything else: its
    // connection is never closed, and its last write is still in the log.
    let raw = rusqlite::Connection::open(&f.path).unwrap();
    raw.execute_batch("PRAGMA wal_autocheckpoint = 0").unwrap();
    f.as_user("ben").answer(id, Poll::Safety, 4).unwrap();
    raw.execute_batch(
        "UPDATE retro_polls SET counts = '[0,0,0,2,0]' WHERE retro_id IS NOT NULL;
         UPDATE boards SET standup_minutes = standup_minutes + 1;",
    )
    .unwrap();
    std::mem::forget(raw);
    assert!(wal_len(&f.path) > 0);
    drop(f.as_user("anyone"));
    assert_eq!(
        wal_len(&f.path),
        0,
        "the next teamloop to open it empties the log"
    );
}
