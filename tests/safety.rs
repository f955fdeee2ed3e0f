//! Nothing the team saved is lost, half-written or overwritten by
//! surprise, whatever a careless teammate types: each finding of the
//! review that broke these promises, tried again. docs/SECURITY.md lists
//! each promise with its test.

#![cfg(unix)]

mod common;

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::time::{Duration, Instant};

use common::cli::{Env, bare, output, run_at};
use rusqlite::Connection;

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: a valid C string.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
}

fn integrity(path: &Path) -> String {
    Connection::open(path)
        .unwrap()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

/// The titles of the cards in a database file, by id.
fn titles_in(db: &Path) -> Vec<String> {
    Connection::open(db)
        .unwrap()
        .prepare("SELECT title FROM cards ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn backup_and_export_refuse_the_live_database_and_its_side_files() {
    let env = Env::new();
    env.add("Keep me", "To Do");
    // Another terminal has the board open and writes while this runs.
    let db = env.db.clone();
    let writer = std::thread::spawn(move || {
        for i in 0..40 {
            run_at(
                &db,
                &["card", "add", &format!("busy {i}"), "--column", "Backlog"],
            )
            .assert_ok();
        }
    });
    let db = env.db.display().to_string();
    env.run(&["backup", &db])
        .assert_fails_with("is the database itself");
    env.run(&["export", "-o", &db])
        .assert_fails_with("SQLite database");
    env.run(&["export", "-o", &format!("{db}-wal")])
        .assert_fails_with("belongs to the database");
    env.run(&["retro", "export", "1", "-o", &db])
        .assert_fails_with("");
    writer.join().unwrap();
    assert_eq!(integrity(&env.db), "ok");
    assert_eq!(env.cards().len(), 41);
}

#[test]
fn outputs_never_replace_a_pipe_a_link_or_a_folder() {
    let env = Env::new();
    let dir = env.dir.path();
    let fifo = dir.join("pipe");
    mkfifo(&fifo);
    let target = dir.join("precious.txt");
    std::fs::write(&target, "mine").unwrap();
    let link = dir.join("link.json");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    for (path, why) in [
        (fifo.as_path(), "named pipe"),
        (link.as_path(), "symbolic link"),
        (dir, "folder"),
    ] {
        env.run(&["export", "-o", path.to_str().unwrap()])
            .assert_fails_with(why);
        env.run(&["backup", path.to_str().unwrap()])
            .assert_fails_with(why);
    }
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo_like()
    );
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "mine");
    // `-o -` is standard output.
    let r = env.run(&["export", "-o", "-"]);
    r.assert_ok();
    assert!(r.stdout.starts_with('{'));
}

trait FifoLike {
    fn is_fifo_like(&self) -> bool;
}

impl FifoLike for std::fs::FileType {
    fn is_fifo_like(&self) -> bool {
        use std::os::unix::fs::FileTypeExt;
        self.is_fifo()
    }
}

#[test]
fn a_mistyped_path_is_refused_and_nothing_is_made() {
    let env = Env::without_board();
    for args in [
        &["card", "list"][..],
        &["metrics"],
        &["retro", "list"],
        &["pulse", "list"],
        &["export"],
        &["check"],
    ] {
        env.run(args).assert_fails_with("does not exist");
        assert!(!env.db.exists(), "{args:?} made a database");
    }
    assert_eq!(std::fs::read_dir(env.dir.path()).unwrap().count(), 0);
    env.run(&["init"]).assert_ok();
    assert_eq!(mode(&env.db), 0o600, "a new database is its owner's only");
}

#[test]
fn a_pipe_or_a_device_as_the_database_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("team.db");
    mkfifo(&fifo);
    let started = Instant::now();
    run_at(&fifo, &["card", "list"]).assert_fails_with("is a named pipe, not a database file");
    run_at(&fifo, &["init"]).assert_fails_with("is a named pipe");
    run_at(Path::new("/dev/null"), &["card", "list"]).assert_fails_with("is a device");
    assert!(started.elapsed() < Duration::from_secs(5), "it hung");
}

#[test]
fn settings_that_never_end_are_refused_not_read() {
    let env = Env::new();
    let mut cmd = bare();
    cmd.arg("--db")
        .arg(&env.db)
        .args(["--user", "ana", "config", "check"])
        .env("TEAMLOOP_CONFIG", "/dev/zero");
    let started = Instant::now();
    let r = output(cmd);
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(r.stdout.contains("not a settings file"), "{}", r.stdout);
    env.run_as("alice\u{200B}", &["card", "list"])
        .assert_fails_with("cannot be seen");
    env.run_as(&"a".repeat(65), &["card", "list"])
        .assert_fails_with("1 to 64 characters");
}

/// Side files of a database as a killed teamloop leaves them: a log that
/// holds commits not yet copied into the file.
fn leave_side_files(of: &Path, at: &Path) {
    let conn = Connection::open(of).unwrap();
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0;
         CREATE TABLE IF NOT EXISTS stale (x); INSERT INTO stale VALUES (1);",
    )
    .unwrap();
    for s in ["-wal", "-shm"] {
        std::fs::copy(
            format!("{}{s}", of.display()),
            format!("{}{s}", at.display()),
        )
        .unwrap();
    }
    drop(conn);
}

#[test]
fn side_files_left_by_another_file_are_never_trusted() {
    let env = Env::new();
    for i in 0..5 {
        env.add(&format!("card {i}"), "To Do");
    }
    let other = env.dir.path().join("other.db");
    // The database was removed after a crash; its side files stayed.
    let gone = env.dir.path().join("gone.db");
    leave_side_files(&other, &gone);
    let export = env.dir.path().join("x.json");
    env.run(&["export", "-o", export.to_str().unwrap()])
        .assert_ok();
    run_at(&gone, &["import", export.to_str().unwrap()]).assert_ok();
    run_at(&gone, &["check"]).assert_ok();
    assert_eq!(
        Connection::open(&gone)
            .unwrap()
            .query_row("SELECT count(*) FROM cards", [], |r| r.get::<_, i64>(0))
            .unwrap(),
        5
    );
    // A backup over an earlier backup whose side files were left: the copy
    // is the live board, not the earlier one with a stale log applied.
    let copy = env.dir.path().join("copy.db");
    env.run(&["backup", copy.to_str().unwrap()]).assert_ok();
    leave_side_files(&other, &copy);
    env.add("the newest", "To Do");
    env.run(&["backup", copy.to_str().unwrap()]).assert_ok();
    let titles = titles_in(&copy);
    assert!(titles.contains(&"the newest".to_string()), "{titles:?}");
    assert_eq!(integrity(&copy), "ok");
    assert_eq!(mode(&copy), 0o600);
}

#[test]
fn a_backup_replaces_only_an_earlier_backup() {
    let env = Env::new();
    let notes = env.dir.path().join("notes.txt");
    std::fs::write(&notes, "my notes").unwrap();
    env.run(&["backup", notes.to_str().unwrap()])
        .assert_fails_with("other than a teamloop backup");
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), "my notes");
    let copy = env.dir.path().join("nightly.db");
    env.run(&["backup", copy.to_str().unwrap()]).assert_ok();
    env.run(&["backup", copy.to_str().unwrap()]).assert_ok();
}

/// Runs `args` and kills it with SIGKILL after `after`.
fn killed(db: &Path, args: &[&str], after: Duration) {
    let mut cmd = common::cli::at(db, "tester");
    cmd.args(args);
    let mut child = cmd.spawn().unwrap();
    std::thread::sleep(after);
    let _ = child.kill();
    let _ = child.wait();
}

fn leftovers(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".teamloop-"))
        .collect();
    names.sort();
    names
}

#[test]
fn a_killed_import_or_backup_leaves_nothing_once_teamloop_runs_again() {
    let env = Env::new();
    env.run(&["demo", "--cards", "2000"]).assert_ok();
    let export = env.dir.path().join("big.json");
    env.run(&["export", "-o", export.to_str().unwrap()])
        .assert_ok();
    let target = env.dir.path().join("moved.db");
    let copy = env.dir.path().join("copy.db");
    let mut seen = 0;
    for ms in [5, 20, 60, 120, 250, 500, 900] {
        killed(
            &target,
            &["import", export.to_str().unwrap()],
            Duration::from_millis(ms),
        );
        killed(
            &env.db,
            &["backup", copy.to_str().unwrap()],
            Duration::from_millis(ms),
        );
        seen += leftovers(env.dir.path()).len();
        // The next run, whatever it is, sweeps what a dead one left.
        env.run(&["card", "list"]).assert_ok();
        assert_eq!(leftovers(env.dir.path()), Vec::<String>::new());
        if target.exists() {
            run_at(&target, &["check"]).assert_ok();
        }
        if copy.exists() {
            assert_eq!(integrity(&copy), "ok");
        }
    }
    assert!(seen > 0, "no kill landed inside an import or backup");
}

#[test]
fn event_times_follow_the_order_of_commits_under_eight_writers() {
    let env = Env::new();
    let card = env.add("contested", "To Do");
    let columns = ["To Do", "In Progress", "Review", "Backlog"];
    let writers: Vec<_> = (0..8)
        .map(|w| {
            let db = env.db.clone();
            std::thread::spawn(move || {
                for i in 0..12 {
                    let to = columns[(w + i) % columns.len()];
                    let r = run_at(&db, &["card", "move", &card.to_string(), to]);
                    assert!(
                        r.ok() || r.stderr.contains("WIP limit") || r.stderr.contains("already in"),
                        "{}",
                        r.stderr
                    );
                }
            })
        })
        .collect();
    for w in writers {
        w.join().unwrap();
    }
    let conn = Connection::open(&env.db).unwrap();
    let times: Vec<i64> = conn
        .prepare("SELECT at FROM card_events ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(times.len() > 50);
    let back: Vec<_> = times.windows(2).filter(|w| w[1] < w[0]).collect();
    assert!(
        back.is_empty(),
        "{} events older than the one before",
        back.len()
    );
    // The card stands where its last event says.
    assert_eq!(common::cards_off_their_last_event(&conn), 0);
}

/// Runs the binary as another Unix user (root only).
fn as_user(
    uid: u32,
    gid: u32,
    groups: &[u32],
    env: &Env,
    state: &Path,
    args: &[&str],
) -> common::cli::Run {
    use std::os::unix::process::CommandExt;
    let mut cmd = common::cli::at(&env.db, &format!("user{uid}"));
    cmd.args(args).env("TEAMLOOP_STATE", state);
    let groups: Vec<libc::gid_t> = groups.to_vec();
    // SAFETY: only async-signal-safe calls between fork and exec; the
    // groups first, while still root.
    unsafe {
        cmd.pre_exec(move || {
            if libc::setgroups(groups.len(), groups.as_ptr()) != 0
                || libc::setgid(gid) != 0
                || libc::setuid(uid) != 0
            {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    output(cmd)
}

#[test]
fn two_unix_users_share_a_board_in_a_group_folder() {
    // SAFETY: getuid has no preconditions.
    if unsafe { libc::getuid() } != 0 {
        eprintln!("skipped: switching users needs root");
        return;
    }
    let (owner, reader, team) = (4101, 4102, 4100);
    let env = Env::without_board();
    let dir = env.dir.path();
    // The folder is the team's: its group, writable by the group.
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o770)).unwrap();
    std::os::unix::fs::chown(dir, Some(owner), Some(team)).unwrap();
    // The binary must be reachable by both.
    let mut p = Path::new(common::cli::BIN);
    while let Some(parent) = p.parent() {
        let m = std::fs::metadata(parent).unwrap().mode();
        assert!(
            m & 0o001 != 0,
            "{} is closed to other users",
            parent.display()
        );
        p = parent;
    }
    let state = |uid: u32| {
        let s =
            std::env::temp_dir().join(format!("teamloop-test-state-{}-{uid}", std::process::id()));
        std::fs::create_dir_all(&s).unwrap();
        std::os::unix::fs::chown(&s, Some(uid), Some(uid)).unwrap();
        s
    };
    let (owner_state, reader_state) = (state(owner), state(reader));
    as_user(owner, owner, &[team], &env, &owner_state, &["init"]).assert_ok();
    let meta = std::fs::metadata(&env.db).unwrap();
    assert_eq!(
        (meta.mode() & 0o777, meta.gid()),
        (0o660, team),
        "made for the team"
    );
    // The reader's own primary group is not the team's: the side files it
    // makes still end up the team's, so the owner can write after it.
    // A read-only reader leaves its side files behind (it may not empty
    // the log): they must be ones the owner can write.
    as_user(
        reader,
        reader,
        &[team],
        &env,
        &reader_state,
        &["--read-only", "card", "list"],
    )
    .assert_ok();
    let mut left = 0;
    for side in ["-wal", "-shm"] {
        let p = format!("{}{side}", env.db.display());
        if let Ok(m) = std::fs::metadata(&p) {
            left += 1;
            assert_eq!(m.gid(), team, "{p} is the team's");
            assert_eq!(m.mode() & 0o777, 0o660, "{p}");
        }
    }
    assert!(left > 0, "the read left no side file: nothing was tried");
    as_user(
        owner,
        owner,
        &[team],
        &env,
        &owner_state,
        &["card", "add", "from the owner"],
    )
    .assert_ok();
    as_user(
        reader,
        reader,
        &[team],
        &env,
        &reader_state,
        &["card", "add", "from the reader"],
    )
    .assert_ok();
    // Someone outside the team reads nothing.
    as_user(4199, 4199, &[], &env, &reader_state, &["card", "list"]).assert_fails_with("");
    // A read-only folder (a copy someone was given): --read-only still reads.
    let frozen = tempfile::tempdir().unwrap();
    let copy = frozen.path().join("team.db");
    run_at(&env.db, &["backup", copy.to_str().unwrap()]).assert_ok();
    std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::set_permissions(frozen.path(), std::fs::Permissions::from_mode(0o555)).unwrap();
    let guest = Env {
        dir: frozen,
        db: copy,
    };
    let r = as_user(
        reader,
        reader,
        &[],
        &guest,
        &reader_state,
        &["--read-only", "card", "list"],
    );
    r.assert_ok();
    assert!(r.stdout.contains("from the owner"), "{}", r.stdout);
    std::fs::set_permissions(guest.dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn an_import_cannot_plant_a_value_of_the_wrong_type() {
    let env = Env::new();
    env.add("A card", "To Do");
    let r = env.run(&["export"]);
    r.assert_ok();
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let plant = |column: &str, value: serde_json::Value| {
        let mut d = doc.clone();
        let cards = d["tables"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .find(|t| t["name"] == "cards")
            .unwrap();
        let at = cards["columns"]
            .as_array()
            .unwrap()
            .iter()
            .position(|c| c == column)
            .unwrap();
        cards["rows"][0][at] = value;
        // Header first, as teamloop writes it.
        let text = format!(
            "{{\"format\": \"teamloop\", \"version\": {}, \"schema\": {}, \"tables\": {}}}",
            d["version"], d["schema"], d["tables"]
        );
        let file = env.dir.path().join("planted.json");
        std::fs::write(&file, text).unwrap();
        let target = env.dir.path().join("planted.db");
        let r = run_at(&target, &["import", file.to_str().unwrap()]);
        assert!(!target.exists(), "{column}: a refused import made a file");
        r
    };
    plant("title", serde_json::json!({ "blob": "ff00" })).assert_fails_with("nothing was imported");
    plant("points", serde_json::json!(true)).assert_fails_with("is not a value");
    plant("points", serde_json::json!(2.5)).assert_fails_with("nothing was imported");
    plant("points", serde_json::json!(-3)).assert_fails_with("CHECK");
    plant("created_at", serde_json::json!("yesterday")).assert_fails_with("nothing was imported");
}

#[test]
fn an_import_never_replaces_a_board_with_work_in_it() {
    let source = Env::new();
    source.add("from elsewhere", "To Do");
    let export = source.dir.path().join("other.json");
    source
        .run(&["export", "-o", export.to_str().unwrap()])
        .assert_ok();
    // A board with no card, but a retro, a pulse and a post-mortem.
    let env = Env::new();
    env.run_as(
        "fac",
        &[
            "retro",
            "start",
            "--format",
            "start-stop-continue",
            "--title",
            "Q3",
        ],
    )
    .assert_ok();
    env.run(&["import", export.to_str().unwrap()])
        .assert_fails_with("already holds a team's data");
    let retros = env.run(&["retro", "list", "--json"]).json();
    assert_eq!(retros[0]["title"], "Q3");
    // Columns changed, nothing else: the team's work too.
    let renamed = Env::new();
    renamed.run(&["column", "add", "QA"]).assert_ok();
    renamed
        .run(&["import", export.to_str().unwrap()])
        .assert_fails_with("already holds a team's data");
    // The starter board as init made it is empty, and takes the import.
    let fresh = Env::new();
    fresh.run(&["import", export.to_str().unwrap()]).assert_ok();
}

#[test]
fn a_backup_never_replaces_a_board_and_a_restore_keeps_the_one_it_replaces() {
    let env = Env::new();
    env.add("old card", "To Do");
    let nightly = env.dir.path().join("nightly.bak");
    env.run(&["backup", nightly.to_str().unwrap()]).assert_ok();
    env.add("important new work", "To Do");
    // The arguments swapped: the live board (nobody has it open) is never
    // replaced by its own backup.
    run_at(&nightly, &["backup", env.db.to_str().unwrap()])
        .assert_fails_with("is a teamloop board, not a backup");
    let other = Env::new();
    env.run(&["backup", other.db.to_str().unwrap()])
        .assert_fails_with("not a backup");
    assert_eq!(env.cards().len(), 2);
    // A restore puts the backup back and keeps the board it replaced.
    let r = env.run(&["restore", nightly.to_str().unwrap()]);
    r.assert_ok();
    assert!(r.stdout.contains("is kept as"), "{}", r.stdout);
    let titles: Vec<String> = env
        .cards()
        .iter()
        .map(|c| c["title"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(titles, ["old card"]);
    let kept: Vec<_> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("t.db.replaced-"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    let replaced = env.dir.path().join(&kept[0]);
    assert_eq!(titles_in(&replaced), ["old card", "important new work"]);
    // The restored file is a board again: a later backup will not replace it.
    env.add("after the restore", "To Do");
    run_at(&nightly, &["backup", env.db.to_str().unwrap()]).assert_fails_with("not a backup");
}

#[test]
fn an_empty_file_is_not_a_board_until_init_makes_it_one_for_the_team() {
    let env = Env::without_board();
    std::fs::write(&env.db, "").unwrap();
    std::fs::set_permissions(&env.db, std::fs::Permissions::from_mode(0o644)).unwrap();
    env.run(&["card", "add", "x"])
        .assert_fails_with("is empty, not a board");
    assert_eq!(std::fs::metadata(&env.db).unwrap().len(), 0);
    env.run(&["init"]).assert_ok();
    assert_eq!(mode(&env.db), 0o600);
}

#[test]
fn a_restore_keeps_the_changes_a_killed_board_left_in_its_log() {
    let env = Env::new();
    let id = env.add("before the backup", "To Do");
    let nightly = env.dir.path().join("nightly.bak");
    env.run(&["backup", nightly.to_str().unwrap()]).assert_ok();
    // A program writes a change and dies before the log is copied into
    // the file: the change is committed, and only in the log.
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(
            "import sqlite3, sys, os\n\
             c = sqlite3.connect(sys.argv[1])\n\
             c.execute('PRAGMA wal_autocheckpoint = 0')\n\
             c.execute(\"UPDATE cards SET title = 'committed, then killed' WHERE id = ?\", (int(sys.argv[2]),))\n\
             c.commit()\n\
             os._exit(0)",
        )
        .arg(&env.db)
        .arg(id.to_string())
        .output()
        .expect("python3 runs");
    assert!(out.status.success(), "{out:?}");
    assert!(
        std::fs::metadata(format!("{}-wal", env.db.display()))
            .unwrap()
            .len()
            > 0
    );
    env.run(&["restore", nightly.to_str().unwrap()]).assert_ok();
    let kept = std::fs::read_dir(env.dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains(".replaced-"))
        .unwrap();
    let title: String = Connection::open(&kept)
        .unwrap()
        .query_row("SELECT title FROM cards WHERE id = ?1", [id], |r| r.get(0))
        .unwrap();
    assert_eq!(
        title, "committed, then killed",
        "the kept board has the change"
    );
    // --read-only changes nothing: neither restore nor import runs.
    env.run(&["--read-only", "restore", nightly.to_str().unwrap()])
        .assert_fails_with("--read-only changes nothing");
}

#[test]
fn no_file_is_made_through_a_dangling_link_nor_onto_another_databases_side_files() {
    let env = Env::new();
    let dir = env.dir.path();
    // A link to nothing as the database: refused, nothing made where it points.
    std::fs::create_dir(dir.join("target")).unwrap();
    let link = dir.join("link.db");
    std::os::unix::fs::symlink(dir.join("target/real.db"), &link).unwrap();
    run_at(&link, &["init"]).assert_fails_with("symbolic link to a file that does not exist");
    assert!(!dir.join("target/real.db").exists());
    // Another database's side-file names, which do not exist yet.
    let other = Env::new();
    for side in ["-wal", "-journal"] {
        let to = format!("{}{side}", other.db.display());
        env.run(&["backup", &to])
            .assert_fails_with("side file of the database");
        assert!(!Path::new(&to).exists());
    }
    // An empty file an import fills becomes the team's only.
    let export = dir.join("x.json");
    env.run(&["export", "-o", export.to_str().unwrap()])
        .assert_ok();
    let empty = dir.join("empty.db");
    std::fs::write(&empty, "").unwrap();
    std::fs::set_permissions(&empty, std::fs::Permissions::from_mode(0o644)).unwrap();
    run_at(&empty, &["import", export.to_str().unwrap()]).assert_ok();
    assert_eq!(mode(&empty), 0o600);
}
