//! The `teamloop` binary's subcommands, run as a user or a script would run
//! them, each against a database in a temporary folder.

use std::fs;

mod common;

use common::cli::{Env, bare, output, run_at};

use serde_json::Value;

#[test]
fn init_is_idempotent_and_says_where() {
    let env = Env::new();
    for _ in 0..2 {
        let r = env.run(&["init"]);
        r.assert_ok();
        assert!(
            r.stdout.contains(&env.db.display().to_string()),
            "{}",
            r.stdout
        );
        assert!(r.stdout.contains("5 columns"), "{}", r.stdout);
        assert!(r.stderr.is_empty(), "{}", r.stderr);
    }
    assert!(env.db.is_file());
    let names: Vec<String> = env
        .columns()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["Backlog", "To Do", "In Progress", "Review", "Done"]);
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let boards: i64 = conn
        .query_row("SELECT count(*) FROM boards", [], |r| r.get(0))
        .unwrap();
    assert_eq!(boards, 1);
}

#[test]
fn card_add_prints_only_the_new_id_and_list_shows_the_card() {
    let env = Env::new();
    let r = env.run(&[
        "card",
        "add",
        "Fix login",
        "--column",
        "To Do",
        "--points",
        "3",
        "--assignee",
        "ana",
        "--tag",
        "bug",
        "--tag",
        "ui",
    ]);
    r.assert_ok();
    let id: i64 = r.stdout.trim_end().parse().expect("a number");
    assert_eq!(r.stdout, format!("{id}\n"));
    assert!(r.stderr.is_empty(), "{}", r.stderr);

    let second = env.add("Write docs", "Backlog");
    assert_ne!(second, id);

    let cards = env.cards();
    assert_eq!(cards.len(), 2);
    let card = cards.iter().find(|c| c["id"] == id).unwrap();
    let mut keys: Vec<&str> = card
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "assignee", "blocked", "column", "id", "points", "tags", "title"
        ]
    );
    assert_eq!(card["title"], "Fix login");
    assert_eq!(card["column"], "To Do");
    assert_eq!(card["assignee"], "ana");
    assert_eq!(card["tags"], serde_json::json!(["bug", "ui"]));
    assert_eq!(card["points"], 3);
    assert_eq!(card["blocked"], false);
    let other = cards.iter().find(|c| c["id"] == second).unwrap();
    assert_eq!(other["column"], "Backlog");
    assert_eq!(other["assignee"], Value::Null);
    assert_eq!(other["points"], Value::Null);
    assert_eq!(other["tags"], serde_json::json!([]));

    // Without --column a card goes into the first column.
    let third = env.add_default("Triage");
    assert_eq!(env.column_of(third), "Backlog");
}

impl Env {
    fn add_default(&self, title: &str) -> i64 {
        let r = self.run(&["card", "add", title]);
        r.assert_ok();
        r.stdout.trim().parse().unwrap()
    }
}

#[test]
fn card_list_filters_by_column() {
    let env = Env::new();
    let a = env.add("Ship it", "To Do");
    let b = env.add("Old news", "Done");
    let c = env.add("Also old", "Done");
    env.add("Someday", "Backlog");
    env.run(&["card", "move", &a.to_string(), "done"])
        .assert_ok();

    let done = env
        .run(&["card", "list", "--column", "Done", "--json"])
        .json();
    let mut ids: Vec<i64> = done
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            assert_eq!(c["column"], "Done");
            c["id"].as_i64().unwrap()
        })
        .collect();
    ids.sort();
    assert_eq!(ids, [a, b, c]);
    let todo = env
        .run(&["card", "list", "--column", "to do", "--json"])
        .json();
    assert_eq!(todo, serde_json::json!([]));

    // The plain listing has one line per card.
    let plain = env.run(&["card", "list", "--column", "Done"]);
    plain.assert_ok();
    assert_eq!(plain.stdout.lines().count(), 3);
    assert!(plain.stdout.contains("Ship it"));
}

#[test]
fn moves_stop_at_the_wip_limit_until_forced_with_a_reason() {
    let env = Env::new();
    let ids: Vec<i64> = (0..4)
        .map(|i| env.add(&format!("task {i}"), "To Do"))
        .collect();
    for &id in &ids[..3] {
        let r = env.run(&["card", "move", &id.to_string(), "In Progress"]);
        r.assert_ok();
        assert!(r.stdout.contains("In Progress"), "{}", r.stdout);
    }
    let late = ids[3].to_string();
    env.run(&["card", "move", &late, "In Progress"])
        .assert_fails_with("In Progress is at its WIP limit (3/3)")
        .assert_fails_with("--force --reason TEXT passes it");
    assert_eq!(env.column_of(ids[3]), "To Do");

    // --force needs --reason: clap refuses before anything is opened.
    let r = env.run(&["card", "move", &late, "In Progress", "--force"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("--reason"), "{}", r.stderr);
    assert_eq!(env.column_of(ids[3]), "To Do");
    // ...and --reason needs --force.
    let r = env.run(&["card", "move", &late, "In Progress", "--reason", "x"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    // A blank reason is no reason.
    env.run(&[
        "card",
        "move",
        &late,
        "In Progress",
        "--force",
        "--reason",
        "  ",
    ])
    .assert_fails_with("needs a reason");
    assert_eq!(env.column_of(ids[3]), "To Do");

    let r = env.run(&[
        "card",
        "move",
        &late,
        "In Progress",
        "--force",
        "--reason",
        "prod down",
    ]);
    r.assert_ok();
    assert!(
        r.stderr.contains("over its WIP limit (4/3)"),
        "{}",
        r.stderr
    );
    assert_eq!(env.column_of(ids[3]), "In Progress");

    let shown = env.run(&["card", "show", &late, "--json"]).json();
    assert_eq!(shown["id"], ids[3]);
    assert_eq!(shown["column"], "In Progress");
    assert_eq!(shown["blocked"], false);
    let history = shown["history"].as_array().unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0]["kind"], "created");
    assert_eq!(history[0]["breach"], Value::Null);
    let last = &history[1];
    assert_eq!(last["kind"], "moved");
    assert_eq!(last["actor"], "tester");
    assert_eq!(last["from_name"], "To Do");
    assert_eq!(last["to_name"], "In Progress");
    assert_eq!(last["breach"]["kind"], "forced");
    assert_eq!(last["breach"]["reason"], "prod down");

    // The plain view says the same in words.
    let r = env.run(&["card", "show", &late]);
    r.assert_ok();
    assert!(
        r.stdout.contains("[forced past WIP limit: prod down]"),
        "{}",
        r.stdout
    );
}

#[test]
fn columns_are_added_listed_and_limited() {
    let env = Env::new();
    env.run(&["column", "add", "QA", "--wip", "2", "--kind", "active"])
        .assert_ok();
    let columns = env.columns();
    assert_eq!(columns.len(), 6);
    let qa = &columns[5];
    assert_eq!(qa["name"], "QA");
    assert_eq!(qa["kind"], "active");
    assert_eq!(qa["wip_limit"], 2);
    assert_eq!(qa["wip_policy"], "hard");
    assert_eq!(qa["cards"], 0);

    // A duplicate name, in any case, is refused.
    env.run(&["column", "add", "qa"])
        .assert_fails_with("already exists");
    env.run(&["column", "add", "Later", "--kind", "someday"])
        .assert_fails_with("unknown column kind");
    env.run(&["column", "add", "Zero", "--wip", "0"])
        .assert_fails_with("at least 1");
    assert_eq!(env.columns().len(), 6);

    let review = env.column("Review");
    assert_eq!(review["wip_limit"], 2);
    let r = env.run(&["column", "set-wip", "Review", "none"]);
    r.assert_ok();
    let review = env.column("Review");
    assert_eq!(review["wip_limit"], Value::Null);
    assert_eq!(review["wip_policy"], Value::Null);

    env.run(&["column", "set-wip", "Review", "0"])
        .assert_fails_with("a WIP limit must be at least 1");
    env.run(&["column", "set-wip", "Review", "lots"])
        .assert_fails_with("is not a WIP limit");
    assert_eq!(env.column("Review")["wip_limit"], Value::Null);

    env.run(&["column", "set-wip", "review", "4", "--soft"])
        .assert_ok();
    let review = env.column("Review");
    assert_eq!(review["wip_limit"], 4);
    assert_eq!(review["wip_policy"], "soft");

    // Cards are counted per column.
    let id = env.add("Check it", "QA");
    assert_eq!(env.column("QA")["cards"], 1);
    assert_eq!(env.column_of(id), "QA");
}

#[test]
fn mistakes_get_clear_messages() {
    let env = Env::new();
    let id = env.add("Real card", "To Do").to_string();

    env.run(&["card", "move", &id, "Nowhere"])
        .assert_fails_with(
            "no column named 'Nowhere' (columns: Backlog, To Do, In Progress, Review, Done)",
        );
    env.run(&["card", "add", "x", "--column", "Nowhere"])
        .assert_fails_with("columns: Backlog, To Do");
    env.run(&["column", "set-wip", "Nowhere", "3"])
        .assert_fails_with("no column named 'Nowhere'");
    env.run(&["card", "move", "abc", "Done"])
        .assert_fails_with("'abc' is not a card id");
    env.run(&["card", "show", "0"])
        .assert_fails_with("'0' is not a card id");
    env.run(&["card", "move", "9999", "Done"])
        .assert_fails_with("no card #9999");
    env.run(&["card", "show", "#9999"])
        .assert_fails_with("no card #9999");
    env.run(&["card", "add", "   "])
        .assert_fails_with("a card needs a title");
    env.run(&["card", "move", &id, "To Do"])
        .assert_fails_with("already in To Do");
    // Nothing above changed the card.
    assert_eq!(env.cards().len(), 1);
    assert_eq!(env.column_of(id.parse().unwrap()), "To Do");

    // An unknown subcommand or flag is clap's business: exit code 2.
    let r = env.run(&["card", "fly"]);
    assert_eq!(r.code, Some(2));
    let r = env.run(&["card", "list", "--colour"]);
    assert_eq!(r.code, Some(2));
}

#[test]
fn a_text_file_as_database_is_refused_and_left_alone() {
    let env = Env::new();
    let text = "not a database, just notes\n".repeat(20);
    fs::write(&env.db, &text).unwrap();
    for args in [&["init"][..], &["card", "list"], &["card", "add", "x"]] {
        env.run(args).assert_fails_with("is not a SQLite database");
        assert_eq!(fs::read_to_string(&env.db).unwrap(), text);
    }
    let mut names: Vec<_> = fs::read_dir(env.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    assert_eq!(names, ["t.db"]);
}

#[test]
fn a_database_in_a_missing_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope");
    run_at(&missing.join("t.db"), &["init"]).assert_fails_with("does not exist");
    assert!(!missing.exists());
}

#[test]
fn the_board_without_a_terminal_exits_2() {
    let env = Env::without_board();
    let r = env.run(&[]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.starts_with("teamloop: "), "{}", r.stderr);
    assert!(r.stderr.contains("needs a terminal"), "{}", r.stderr);
    assert!(r.stdout.is_empty());
    // Nothing was created.
    assert!(!env.db.exists());
    // --demo too.
    let home = tempfile::tempdir().unwrap();
    let mut cmd = bare();
    cmd.env("HOME", home.path())
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("TMPDIR", home.path())
        .args(["--demo", "--user", "tester"]);
    let r = output(cmd);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("needs a terminal"), "{}", r.stderr);
    assert_eq!(fs::read_dir(home.path()).unwrap().count(), 0);
}

#[test]
fn a_demo_of_a_bad_size_is_refused_with_nothing_made() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    for cards in ["0", "1000001"] {
        common::cli::run_at(&db, &["demo", "--cards", cards])
            .assert_fails_with("--cards takes a number from 1 to 1000000");
        assert!(!db.exists(), "no file was made for --cards {cards}");
    }
}

#[test]
fn demo_fills_a_new_database_once() {
    let env = Env::new();
    let r = env.run(&["demo"]);
    r.assert_ok();
    assert!(r.stdout.contains("40 demo cards"), "{}", r.stdout);
    // Forty cards, and the seven action items of the demo's mortems.
    let cards = env.cards();
    assert!((40..=52).contains(&cards.len()), "{} cards", cards.len());
    let columns = env.columns();
    assert_eq!(columns.len(), 5);
    for c in &columns {
        assert!(c["cards"].as_u64().unwrap() > 0, "{c}");
    }
    let total: u64 = columns.iter().map(|c| c["cards"].as_u64().unwrap()).sum();
    assert_eq!(total as usize, cards.len());

    env.run(&["demo"])
        .assert_fails_with("already holds a team's data");
    assert_eq!(env.cards(), cards);

    // A database with one card of its own is no place for a demo either.
    let other = Env::new();
    other.add("mine", "To Do");
    other
        .run(&["demo"])
        .assert_fails_with("already holds a team's data");
    // Nor is a board whose columns were changed, with no card at all.
    let columns = Env::new();
    columns
        .run(&["column", "add", "Security review"])
        .assert_ok();
    columns
        .run(&["demo"])
        .assert_fails_with("already holds a team's data");
    assert!(
        columns
            .columns()
            .iter()
            .any(|c| c["name"] == "Security review")
    );
    assert_eq!(other.cards().len(), 1);
}

#[test]
fn read_only_changes_nothing() {
    let env = Env::new();
    let id = env.add("Keep me", "To Do").to_string();
    let before = fs::read(&env.db).unwrap();
    env.run(&["--read-only", "card", "move", &id, "Done"])
        .assert_fails_with("read-only");
    env.run(&["--read-only", "card", "add", "new"])
        .assert_fails_with("read-only");
    let listed = env.run(&["--read-only", "card", "list", "--json"]).json();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(fs::read(&env.db).unwrap(), before);
    assert_eq!(env.column_of(id.parse().unwrap()), "To Do");
}

#[test]
fn block_unblock_and_archive() {
    let env = Env::new();
    let id = env.add("Waiting on design", "To Do");
    let s = id.to_string();
    env.run(&["card", "block", &s, "--reason", "no mockups"])
        .assert_ok();
    let card = env.cards().into_iter().find(|c| c["id"] == id).unwrap();
    assert_eq!(card["blocked"], true);
    let shown = env.run(&["card", "show", &s, "--json"]).json();
    assert_eq!(shown["blocked"], true);
    assert_eq!(shown["blocked_reason"], "no mockups");
    env.run(&["card", "block", &s, "--reason", "again"])
        .assert_fails_with("already blocked");
    env.run(&["card", "unblock", &s]).assert_ok();
    env.run(&["card", "unblock", &s])
        .assert_fails_with("not blocked");
    env.run(&["card", "archive", &s]).assert_ok();
    assert!(env.cards().is_empty());
    let shown = env.run(&["card", "show", &s, "--json"]).json();
    assert_eq!(shown["archived"], true);
    let kinds: Vec<&str> = shown["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["created", "blocked", "unblocked", "archived"]);
    env.run(&["card", "move", &s, "Done"])
        .assert_fails_with("archived");
}

#[test]
fn every_subcommand_has_help() {
    let commands: &[&[&str]] = &[
        &[],
        &["init"],
        &["demo"],
        &["card"],
        &["card", "add"],
        &["card", "move"],
        &["card", "list"],
        &["card", "show"],
        &["card", "block"],
        &["card", "unblock"],
        &["card", "archive"],
        &["column"],
        &["column", "add"],
        &["column", "set-wip"],
        &["column", "list"],
        &["metrics"],
    ];
    // A home of its own, to see that asking for help creates no database.
    let dir = tempfile::tempdir().unwrap();
    for args in commands {
        let mut cmd = bare();
        cmd.current_dir(dir.path())
            .env("HOME", dir.path())
            .env("XDG_DATA_HOME", dir.path().join("data"))
            .args(*args)
            .arg("--help");
        let r = output(cmd);
        assert_eq!(r.code, Some(0), "{args:?} --help: {}", r.stderr);
        assert!(
            r.stdout.contains("Usage: teamloop"),
            "{args:?}: {}",
            r.stdout
        );
        assert!(r.stderr.is_empty(), "{args:?}: {}", r.stderr);
    }
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn metrics_reports_the_flow_of_the_board() {
    let env = Env::new();
    let done = env.add("Shipped", "Backlog");
    env.run(&["card", "move", &done.to_string(), "In Progress"])
        .assert_ok();
    env.run(&["card", "move", &done.to_string(), "Done"])
        .assert_ok();
    let doing = env.add("Under way", "In Progress");
    env.run(&["card", "block", &doing.to_string(), "--reason", "vendor"])
        .assert_ok();
    env.add("Waiting", "To Do");

    let m = env.run(&["metrics", "--json"]).json();
    assert_eq!(m["board"], "Team board");
    assert_eq!(m["throughput"]["total"], 1);
    assert_eq!(m["cycle_time"]["count"], 1);
    assert_eq!(m["lead_time"]["count"], 1);
    assert_eq!(m["wip"]["now"], 1);
    assert_eq!(m["finished"][0]["card"], done);
    let columns = m["columns"].as_array().unwrap();
    let now: Vec<(&str, i64)> = columns
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap(),
                c["cards_now"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        now,
        vec![
            ("Backlog", 0),
            ("To Do", 1),
            ("In Progress", 1),
            ("Review", 0),
            ("Done", 1)
        ]
    );
    assert_eq!(m["aging"][0]["card"], doing);
    assert_eq!(m["aging"][0]["title"], "Under way");
    assert_eq!(m["aging"][0]["blocked"], true);
    assert_eq!(m["blocked"]["cards"][0]["blocked_now"], true);
    assert_eq!(
        m["cfd"].as_array().unwrap().last().unwrap()["counts"],
        serde_json::json!([0, 1, 1, 0, 1])
    );
    for key in [
        "from",
        "to",
        "days",
        "now",
        "little",
        "bottleneck",
        "throughput",
    ] {
        assert!(m.get(key).is_some(), "JSON lacks {key}");
    }

    let text = env.run(&["metrics"]);
    text.assert_ok();
    assert!(text.stdout.contains("Throughput"), "{}", text.stdout);
    assert!(text.stdout.contains("1 card:"), "{}", text.stdout);
    assert!(text.stdout.contains("Under way"), "{}", text.stdout);
}

#[test]
fn metrics_ranges_and_their_mistakes() {
    let env = Env::new();
    env.run(&["init"]).assert_ok();
    let m = env.run(&["metrics", "--weeks", "2", "--json"]).json();
    assert_eq!(m["days"], 14);
    let m = env
        .run(&["metrics", "--since", "2026-01-01", "--json"])
        .json();
    // Nothing happened before today here: the range starts where history does.
    assert_eq!(m["from"], m["to"]);
    env.run(&["metrics", "--since", "yesterday"])
        .assert_fails_with("not a date");
    env.run(&["metrics", "--since", "2999-01-01"])
        .assert_fails_with("after today");
    env.run(&["metrics", "--weeks", "0"])
        .assert_fails_with("--weeks");
}

/// A bidi override and an escape sequence planted in what is typed on the
/// command line are neither kept nor printed back, whatever the command.
#[test]
fn planted_controls_are_neither_kept_nor_printed() {
    let planted = "\u{202E}evil\u{1b}[2J\u{1b}]0;pwned\u{7} name";
    let harmless = |s: &str| !s.contains(['\u{1b}', '\u{7}', '\u{202E}']);
    let env = Env::new();
    let card = env.add(planted, "Backlog");
    env.run(&["column", "add", planted]).assert_ok();
    env.run(&["sprint", "plan", planted, "--goal", planted])
        .assert_ok();
    // Typed again, the same names find what they named.
    env.run(&["card", "move", &card.to_string(), planted])
        .assert_ok();
    env.run(&["sprint", "show", "--sprint", planted])
        .assert_ok();
    let cards = env.cards();
    let title = cards[0]["title"].as_str().unwrap();
    assert_eq!(title, "evil [2J ]0;pwned name");
    assert!(env.columns().iter().any(|c| c["name"] == title));
    for out in [
        env.run(&["card", "list"]),
        env.run(&["card", "show", &card.to_string()]),
        env.run(&["column", "list"]),
        env.run(&["sprint", "list"]),
        env.run(&["sprint", "list", "--json"]),
    ] {
        out.assert_ok();
        assert!(out.stdout.contains("evil"), "{}", out.stdout);
        assert!(harmless(&out.stdout), "{:?}", out.stdout);
    }
    // A refusal quoting what was typed shows it harmless too.
    let refused = env.run(&["metrics", "--since", planted]);
    refused.assert_fails_with("is not a date");
    assert!(harmless(&refused.stderr), "{:?}", refused.stderr);
}
