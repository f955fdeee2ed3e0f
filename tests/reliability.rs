//! Crash safety and concurrency, with the real binary and real processes:
//! writers killed with SIGKILL at random moments, and four writers at once.

mod common;

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;
use rusqlite::Connection;

const BIN: &str = env!("CARGO_BIN_EXE_teamloop");

/// A small deterministic generator for the kill moments.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

fn teamloop(db: &Path, args: &[&str]) -> std::process::Output {
    common::cli::at(db, "tester").args(args).output().unwrap()
}

/// A shell running `script` in a process group of its own, with `DB` and
/// `BIN` set; its output lines are collected as they arrive.
fn shell(db: &Path, script: &str) -> (std::process::Child, Arc<Mutex<Vec<String>>>) {
    let mut child = Command::new("sh")
        .args(["-c", script])
        .env("DB", db)
        .env("BIN", BIN)
        .env_remove("TEAMLOOP_DB")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .unwrap();
    let lines = Arc::new(Mutex::new(Vec::new()));
    let out = child.stdout.take().unwrap();
    let sink = Arc::clone(&lines);
    thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            sink.lock().unwrap().push(line);
        }
    });
    (child, lines)
}

fn integrity(db: &Path) -> String {
    let c = Connection::open(db).unwrap();
    c.query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

/// Columns whose kept count of live cards differs from their live cards.
fn kept_off_the_cards(db: &Path) -> i64 {
    let c = Connection::open(db).unwrap();
    c.query_row(
        "SELECT count(*) FROM columns col LEFT JOIN column_cards k ON k.column_id = col.id
         WHERE coalesce(k.live, 0) <> (SELECT count(*) FROM cards
                                        WHERE column_id = col.id AND archived_at IS NULL)",
        [],
        |r| r.get(0),
    )
    .unwrap()
}

#[test]
fn writers_killed_at_random_moments_lose_nothing_they_reported() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crash.db");
    assert!(teamloop(&db, &["init"]).status.success());
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    let mut reported = Vec::new();
    for round in 0..25 {
        // Each add is one process; "ok TITLE" comes only after it succeeded.
        let script = format!(
            "i=0; while true; do i=$((i+1)); t=\"r{round}-$i\"; \
             \"$BIN\" --db \"$DB\" --user crash card add \"$t\" --column 'To Do' >/dev/null \
             && echo \"ok $t\"; \
             \"$BIN\" --db \"$DB\" --user crash card move \"$(\"$BIN\" --db \"$DB\" card list --column 'To Do' | head -n1 | awk '{{print $1}}')\" Backlog >/dev/null; \
             done"
        );
        let (mut child, lines) = shell(&db, &script);
        thread::sleep(Duration::from_millis(40 + rng.below(260)));
        killpg(Pid::from_raw(child.id() as i32), Signal::SIGKILL).unwrap();
        child.wait().unwrap();
        thread::sleep(Duration::from_millis(20));
        reported.extend(
            lines
                .lock()
                .unwrap()
                .iter()
                .filter_map(|l| l.strip_prefix("ok ").map(str::to_string)),
        );
        assert_eq!(integrity(&db), "ok", "after kill {round}");
        // A kill between a move and its kept count cannot happen: both are
        // in one transaction.
        assert_eq!(kept_off_the_cards(&db), 0, "after kill {round}");
        // And so are the kept flow figures: every one equals a replay.
        let check = teamloop(&db, &["check"]);
        assert!(
            check.status.success(),
            "after kill {round}: {}",
            String::from_utf8_lossy(&check.stdout)
        );
    }
    assert!(
        reported.len() >= 25,
        "the writers got some work done: {}",
        reported.len()
    );
    let c = Connection::open(&db).unwrap();
    for title in &reported {
        let n: i64 = c
            .query_row(
                "SELECT count(*) FROM cards WHERE title = ?1",
                [title],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 1, "{title} was reported saved");
    }
    // Every card's column is the one its last column event names.
    let mismatched = common::cards_off_their_last_event(&c);
    assert_eq!(mismatched, 0);
}

#[test]
fn four_writers_at_once_lose_no_move_and_never_see_busy() {
    const MOVES: usize = 250;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("busy.db");
    assert!(teamloop(&db, &["init"]).status.success());
    let mut cards = Vec::new();
    for w in 0..4 {
        let out = teamloop(
            &db,
            &["card", "add", &format!("writer {w}"), "--column", "To Do"],
        );
        assert!(out.status.success());
        cards.push(String::from_utf8(out.stdout).unwrap().trim().to_string());
    }
    // A retro at its vote phase: every writer also votes on one item, a
    // dot put on and taken back again and again, and one left at the end.
    let run_as = |who: &str, args: &[&str]| {
        let out = common::cli::at(&db, who).args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let retro = run_as("f", &["retro", "start", "--format", "start-stop-continue"])
        .trim()
        .to_string();
    run_as("f", &["retro", "phase", &retro, "gather"]);
    run_as("f", &["retro", "add", &retro, "Start", "one"]);
    run_as("f", &["retro", "phase", &retro, "vote"]);
    let shown: serde_json::Value =
        serde_json::from_str(&run_as("f", &["retro", "show", &retro, "--json"])).unwrap();
    let item = shown["items"][0]["id"].as_i64().unwrap().to_string();
    // Each writer moves its own card to Review (WIP limit 2, shared by all
    // four) and back to To Do, MOVES moves in all; a refusal by the limit is
    // an answer, not a failure, and the card then goes to In Progress instead.
    // Every fifth move it votes (+1, then -1 the next time).
    let writers: Vec<_> = cards
        .iter()
        .map(|card| {
            let script = format!(
                "n=0; while [ $n -lt {MOVES} ]; do \
                   if [ $((n % 2)) -eq 0 ]; then \
                     \"$BIN\" --db \"$DB\" --user w{card} card move {card} Review >/dev/null 2>\"$DB.err.$$\" \
                     || {{ grep -q 'WIP limit' \"$DB.err.$$\" || {{ cat \"$DB.err.$$\" >&2; exit 1; }}; \
                          \"$BIN\" --db \"$DB\" --user w{card} card move {card} 'In Progress' >/dev/null || exit 1; }}; \
                   else \
                     \"$BIN\" --db \"$DB\" --user w{card} card move {card} 'To Do' >/dev/null || exit 1; \
                   fi; \
                   if [ $((n % 10)) -eq 0 ]; then \
                     \"$BIN\" --db \"$DB\" --user w{card} retro vote {retro} {item} >/dev/null || exit 1; \
                   elif [ $((n % 10)) -eq 5 ]; then \
                     \"$BIN\" --db \"$DB\" --user w{card} retro vote {retro} {item} --count -1 >/dev/null || exit 1; \
                   fi; \
                   n=$((n+1)); done; \
                   \"$BIN\" --db \"$DB\" --user w{card} retro vote {retro} {item} >/dev/null || exit 1; \
                   rm -f \"$DB.err.$$\"; echo done"
            );
            shell(&db, &script)
        })
        .collect();
    for (mut child, lines) in writers {
        let status = child.wait().unwrap();
        let mut err = String::new();
        std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
        assert!(status.success(), "a writer failed: {err}");
        assert!(!err.to_lowercase().contains("busy"), "{err}");
        assert!(!err.to_lowercase().contains("locked"), "{err}");
        thread::sleep(Duration::from_millis(20));
        assert_eq!(
            lines.lock().unwrap().last().map(String::as_str),
            Some("done")
        );
    }
    assert_eq!(integrity(&db), "ok");
    let c = Connection::open(&db).unwrap();
    for card in &cards {
        let moves: i64 = c
            .query_row(
                "SELECT count(*) FROM card_events WHERE card_id = ?1 AND kind = 'moved'",
                [card],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(moves, MOVES as i64, "card {card}: every move has its event");
    }
    // Every dot counted once: the four left at the end, one each.
    let (total, used): (i64, i64) = c
        .query_row(
            "SELECT (SELECT votes FROM retro_items WHERE id = ?1),
                    (SELECT count(*) FROM retro_dots WHERE retro_id = ?2)",
            [item.parse::<i64>().unwrap(), retro.parse::<i64>().unwrap()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((total, used), (4, 4));
    // Replaying the events, Review never held more than its limit of 2.
    let mut stmt = c
        .prepare(
            "SELECT e.card_id, col.name FROM card_events e
             JOIN columns col ON col.id = e.to_column ORDER BY e.id",
        )
        .unwrap();
    let mut at = std::collections::HashMap::new();
    for row in stmt
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
        .unwrap()
    {
        let (card, column) = row.unwrap();
        at.insert(card, column);
        let in_review = at.values().filter(|c| *c == "Review").count();
        assert!(in_review <= 2, "Review held {in_review} cards");
    }
}

/// The file's bytes, and which side files sit next to it.
fn state_of(db: &Path) -> (Vec<u8>, Vec<bool>) {
    let sides = ["-wal", "-shm"]
        .iter()
        .map(|s| {
            let mut p = db.as_os_str().to_owned();
            p.push(s);
            std::path::PathBuf::from(p).exists()
        })
        .collect();
    (std::fs::read(db).unwrap(), sides)
}

#[test]
fn a_truncated_or_corrupted_file_is_refused_and_left_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.db");
    assert!(teamloop(&good, &["demo"]).status.success());
    let bytes = std::fs::read(&good).unwrap();
    let cards_root: i64 = Connection::open(&good)
        .unwrap()
        .query_row(
            "SELECT rootpage FROM sqlite_master WHERE name = 'cards'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let page = usize::from(u16::from_be_bytes([bytes[16], bytes[17]]));

    // Cut in half, as by a full disk or an interrupted copy: refused on open.
    let half = dir.path().join("half.db");
    std::fs::write(&half, &bytes[..bytes.len() / 2]).unwrap();
    // The root page of the cards table overwritten: found when it is read.
    let broken = dir.path().join("broken.db");
    let mut b = bytes.clone();
    let at = (cards_root as usize - 1) * page;
    b[at..at + 64].fill(0xA5);
    std::fs::write(&broken, &b).unwrap();

    for (db, needle) in [(&half, "cut short"), (&broken, "damaged")] {
        let before = state_of(db);
        for args in [&["card", "list"][..], &["export"], &["metrics"], &["check"]] {
            let out = teamloop(db, args);
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(
                out.status.code(),
                Some(1),
                "{args:?} on {}: {err}",
                db.display()
            );
            assert!(err.contains(needle), "{err}");
            assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
            assert!(err.contains("restore it from a backup"), "{err}");
            assert!(state_of(db) == before, "{args:?} changed {}", db.display());
        }
    }
    // And the healthy file passes the check.
    let out = teamloop(&good, &["check"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).ends_with(": ok\n"));
}

/// `teamloop` with the size of any file it writes capped at `limit` bytes,
/// as on a disk that is full: writes past it fail (and do not kill it).
fn teamloop_capped(db: &Path, limit: u64, args: &[&str]) -> std::process::Output {
    let mut cmd = common::cli::at(db, "tester");
    cmd.args(args);
    // SAFETY: between fork and exec only async-signal-safe calls are made.
    unsafe {
        cmd.pre_exec(move || {
            let cap = libc::rlimit {
                rlim_cur: limit,
                rlim_max: limit,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &cap) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            Ok(())
        });
    }
    cmd.output().unwrap()
}

#[test]
fn a_full_disk_refuses_the_write_with_one_line_and_keeps_what_was_saved() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("full.db");
    assert!(teamloop(&db, &["demo"]).status.success());
    let limit = std::fs::metadata(&db).unwrap().len() + 24 * 1024;
    let mut saved = Vec::new();
    let mut refused = Vec::new();
    for i in 0..160 {
        let title = format!("full-{i} {}", "x".repeat(180));
        let out = teamloop_capped(&db, limit, &["card", "add", &title, "--column", "Backlog"]);
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        if out.status.success() {
            saved.push(title);
        } else {
            assert_eq!(out.status.code(), Some(1), "{err}");
            assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
            assert!(
                err.contains("the disk is full or failing") && err.contains("not saved"),
                "{err}"
            );
            refused.push((title, err));
        }
    }
    assert!(
        !saved.is_empty() && refused.len() > 10,
        "{} saved, {} refused: {:?}",
        saved.len(),
        refused.len(),
        refused.first().map(|r| &r.1)
    );
    // With room again: whole, everything reported saved is there once,
    // nothing refused is there at all, and work goes on.
    assert!(teamloop(&db, &["card", "list"]).status.success());
    assert_eq!(integrity(&db), "ok");
    let c = Connection::open(&db).unwrap();
    let count = |t: &str| -> i64 {
        c.query_row("SELECT count(*) FROM cards WHERE title = ?1", [t], |r| {
            r.get(0)
        })
        .unwrap()
    };
    for t in &saved {
        assert_eq!(count(t), 1);
    }
    for (t, _) in &refused {
        assert_eq!(count(t), 0);
    }
    assert_eq!(common::cards_off_their_last_event(&c), 0);
    assert!(
        teamloop(&db, &["card", "add", "after", "--column", "Backlog"])
            .status
            .success()
    );
}
