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
        r.stderr
            .contains("the votes of a retro still voting (1 row)"),
        "{}",
        r.stderr
    );
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
