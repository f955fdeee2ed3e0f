//! `teamloop poker …` on a real file, as a script or a plain terminal uses
//! it: the round's id, picks that no output shows before the reveal (not
//! even the JSON), the reveal, accept writing the card's points, and bad
//! input refused with one line.

mod common;

use common::cli::Env;
use serde_json::Value;

fn points_of(env: &Env, id: i64) -> Value {
    env.cards()
        .into_iter()
        .find(|c| c["id"] == id)
        .map(|c| c["points"].clone())
        .unwrap_or(Value::Null)
}

#[test]
fn a_round_from_the_command_line_hides_the_picks_until_the_reveal() {
    let env = Env::new();
    let a = env.add("Export", "Backlog");
    let b = env.add("Import", "Backlog");
    let (a_id, b_id) = (a.to_string(), b.to_string());
    let started = env.run_as(
        "ana",
        &[
            "poker",
            "start",
            &a_id,
            &format!("#{b}"),
            "--deck",
            "tshirt",
        ],
    );
    started.assert_ok();
    let round = started.stdout.trim().to_string();
    assert!(
        round.parse::<i64>().is_ok(),
        "the round's id: {}",
        started.stdout
    );
    env.run_as("ben", &["poker", "pick", &round, "xl"])
        .assert_ok();
    env.run_as("chloe", &["poker", "pick", &round, "S"])
        .assert_ok();
    env.run_as("ben", &["poker", "pick", &round, "13"])
        .assert_fails_with("'13' is not in the T-shirt sizes deck");
    // Before the reveal: who picked, never a value.
    let shown = env.run_as("ana", &["poker", "show", &round, "--json"]);
    shown.assert_ok();
    let doc = shown.json();
    assert_eq!(doc["revealed"], false);
    assert_eq!(doc["picked"], serde_json::json!(["ben", "chloe"]));
    assert!(doc.get("picks").is_none(), "{doc}");
    let values_in = |text: &str| {
        ["\"XL\"", "\"S\""]
            .iter()
            .filter(|v| text.contains(*v))
            .count()
    };
    // The deck's own list names every value; nothing else may.
    let without_deck = {
        let mut d = doc.clone();
        d.as_object_mut().unwrap().remove("values");
        d.to_string()
    };
    assert_eq!(values_in(&without_deck), 0, "{without_deck}");
    let text = env.run_as("chloe", &["poker", "show", &round]);
    text.assert_ok();
    assert!(
        text.stdout.contains("Picked (2): ben, chloe"),
        "{}",
        text.stdout
    );
    assert!(text.stdout.contains("Not yet: ana"), "{}", text.stdout);
    assert!(!text.stdout.contains("XL"), "{}", text.stdout);
    // Only the facilitator reveals and accepts.
    env.run_as("ben", &["poker", "reveal", &round])
        .assert_fails_with("only ana");
    env.run_as("ana", &["poker", "accept", &round, "M"])
        .assert_fails_with("reveal them first");
    env.run_as("ana", &["poker", "reveal", &round]).assert_ok();
    let doc = env
        .run_as("ben", &["poker", "show", &round, "--json"])
        .json();
    assert_eq!(doc["revealed"], true);
    assert_eq!(doc["highest"]["value"], "XL");
    assert_eq!(doc["highest"]["people"], serde_json::json!(["ben"]));
    assert_eq!(doc["lowest"]["value"], "S");
    assert_eq!(doc["lowest"]["people"], serde_json::json!(["chloe"]));
    let text = env.run_as("ben", &["poker", "show", &round]).stdout;
    assert!(
        text.contains("Highest: XL (ben); lowest: S (chloe)"),
        "{text}"
    );
    // Accept M: 3 points onto the card; the next card is up.
    let accepted = env.run_as("ana", &["poker", "accept", &round, "m"]);
    accepted.assert_ok();
    assert!(
        accepted.stdout.contains("estimated at 3 points; next: #"),
        "{}",
        accepted.stdout
    );
    assert_eq!(points_of(&env, a), 3);
    let doc = env
        .run_as("ana", &["poker", "show", &round, "--json"])
        .json();
    assert_eq!(doc["card"]["id"], b);
    assert_eq!(doc["revealed"], false);
    env.run_as("ana", &["poker", "end", &round]).assert_ok();
    env.run_as("ben", &["poker", "pick", &round, "M"])
        .assert_fails_with("is over");
    assert_eq!(points_of(&env, b_id.parse::<i64>().unwrap()), Value::Null);
}

#[test]
fn bad_poker_input_is_one_line_and_a_failure() {
    let env = Env::new();
    let a = env.add("Export", "Backlog").to_string();
    env.run(&["poker", "start", &a, "--deck", "nope"])
        .assert_fails_with("no deck 'nope' (decks: fibonacci, modified, tshirt, powers)");
    env.run(&["poker", "start", "abc"])
        .assert_fails_with("'abc' is not a card id");
    env.run(&["poker", "start", "999"])
        .assert_fails_with("no card #999");
    env.run(&["poker", "show", "5"])
        .assert_fails_with("no poker round 5");
    env.run(&["poker", "pick", "x", "3"])
        .assert_fails_with("is not a poker round id");
    let decks = env.run(&["poker", "decks"]);
    decks.assert_ok();
    assert!(
        decks
            .stdout
            .contains("modified     Modified Fibonacci   0 ½ 1 2 3 5 8 13 20 40 100 ? coffee"),
        "{}",
        decks.stdout
    );
}
