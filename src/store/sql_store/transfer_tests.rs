//! A team's board moves between engines: the file's export imports into
//! the server (or another file) and comes back out as the same bytes, work
//! goes on there with fresh ids, and the demo seeds either engine.

use chrono::{DateTime, TimeZone, Utc};

use super::{columns, read, write};
use crate::domain::UTC;
use crate::domain::demo::{DemoPlan, demo_plan};
use crate::domain::{Board, CardSummary, NewCard};
use crate::store::sql::schema::tables;
use crate::store::sql::testing::{in_tx, on_both, sqlite};
use crate::store::sql::{Db, DbExt};
use crate::store::{export_db, import_into, schema_version};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 15, 0, 0).unwrap()
}

/// Six weeks of a small team's work: sixteen cards and their moves,
/// sprints, standups, retros, a pulse, a post-mortem and a pre-mortem.
fn small_demo() -> DemoPlan {
    demo_plan(now(), 7, 16).unwrap()
}

/// How many rows each table holds.
fn rows_per_table(db: &dyn Db) -> Vec<(String, i64)> {
    tables(schema_version())
        .unwrap()
        .into_iter()
        .map(|t| {
            let n = db
                .one(&format!("SELECT count(*) FROM \"{}\"", t.name), &[])
                .unwrap();
            (t.name, n)
        })
        .collect()
}

fn rows_in(db: &dyn Db, table: &str) -> i64 {
    db.one(&format!("SELECT count(*) FROM \"{table}\""), &[])
        .unwrap()
}

fn shown(db: &dyn Db) -> (Board, Vec<CardSummary>) {
    let board = read::board(db).unwrap();
    let cards = read::list_cards(db, &board, None).unwrap();
    (board, cards)
}

/// The demo's board in a file, and its export.
fn file_board() -> (rusqlite::Connection, String) {
    let file = sqlite();
    in_tx(&file, |tx| write::seed_demo(tx, &small_demo(), &UTC)).unwrap();
    let text = export_db(&file).unwrap().text;
    (file, text)
}

/// An export changed by `edit`, written back in the export's order (the
/// header before the tables: the import reads it as a stream).
fn edited(text: &str, edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut doc: serde_json::Value = serde_json::from_str(text).unwrap();
    edit(&mut doc);
    format!(
        "{{\"format\": {}, \"version\": {}, \"schema\": {}, \"tables\": {}}}",
        doc["format"], doc["version"], doc["schema"], doc["tables"]
    )
}

fn table<'a>(doc: &'a mut serde_json::Value, name: &str) -> &'a mut serde_json::Value {
    doc["tables"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|t| t["name"] == name)
        .unwrap()
}

fn column(doc: &mut serde_json::Value, table_name: &str, column: &str) -> usize {
    table(doc, table_name)["columns"]
        .as_array()
        .unwrap()
        .iter()
        .position(|c| c == column)
        .unwrap()
}

#[test]
fn the_demo_seeds_the_same_board_on_both_engines() {
    let mut seeded = Vec::new();
    on_both(|db| {
        in_tx(db, |tx| write::seed_demo(tx, &small_demo(), &UTC)).unwrap();
        let (board, cards) = shown(db);
        assert_eq!(board.name, "Team board");
        assert!(cards.len() >= 16, "{} cards", cards.len());
        for table in [
            "card_events",
            "sprints",
            "sprint_cards",
            "standups",
            "retros",
            "retro_items",
            "pulses",
            "pulse_answers",
            "mortems",
            "premortem_risks",
        ] {
            assert!(rows_in(db, table) > 0, "nothing in {table}");
        }
        let rows = rows_per_table(db);

        // Only into a database with nothing of a team's.
        let again = in_tx(db, |tx| write::seed_demo(tx, &small_demo(), &UTC)).unwrap_err();
        assert!(
            again.to_string().contains("already holds a team's data"),
            "{again}"
        );
        assert_eq!(rows_per_table(db), rows, "a refused demo changes nothing");
        seeded.push((board, cards, rows));
    });
    // Where the server ran it too, it holds the same board, row for row.
    if let [file, server] = seeded.as_slice() {
        assert_eq!(file, server);
    }
}

#[test]
fn a_file_board_goes_to_either_engine_and_comes_back_the_same_bytes() {
    let (file, first) = file_board();
    for table in [
        "cards",
        "card_events",
        "sprints",
        "retros",
        "pulses",
        "mortems",
    ] {
        assert!(
            first.contains(&format!("\"name\": \"{table}\"")) && rows_in(&file, table) > 0,
            "{table}"
        );
    }
    let last_card: i64 = file.one("SELECT max(id) FROM cards", &[]).unwrap();
    let last_event: i64 = file.one("SELECT max(id) FROM card_events", &[]).unwrap();
    on_both(|db| {
        // A new database's starter board gives way to the team's.
        columns::create_board(db, "Team board", 1_000).unwrap();
        let done = in_tx(db, |tx| import_into(tx, first.as_bytes())).unwrap();
        let cards = rows_in(&file, "cards");
        assert!(
            done.rows
                .iter()
                .any(|(t, n)| t == "cards" && i64::try_from(*n).unwrap() == cards),
            "{:?}",
            done.rows
        );
        assert_eq!(
            (done.from_schema, done.schema),
            (schema_version(), schema_version())
        );

        let second = export_db(db).unwrap();
        assert!(second.withheld.is_empty(), "{:?}", second.withheld);
        assert!(
            second.text == first,
            "{:?} exports other bytes than the file",
            db.engine()
        );
        assert_eq!(shown(db), shown(&file));

        // Work goes on: a new card and its event take the next ids, not
        // one of the imported rows'.
        let backlog = read::board(db).unwrap().columns[0].id;
        let entry = in_tx(db, |tx| {
            write::add_card(
                tx,
                backlog,
                &NewCard::titled("After the move"),
                None,
                now().timestamp_millis(),
                "ana",
            )
        })
        .unwrap();
        assert_eq!(entry.card.0, last_card + 1);
        assert_eq!(entry.event, last_event + 1);
        let (board, listed) = shown(db);
        assert!(
            listed
                .iter()
                .any(|c| c.id == entry.card && c.title == "After the move"),
            "the new card is on the board"
        );
        assert_eq!(
            read::card(db, entry.card).unwrap().column,
            board.columns[0].id
        );
    });
}

#[test]
fn an_import_into_a_database_holding_a_teams_work_is_refused_on_both_engines() {
    let (_, text) = file_board();
    on_both(|db| {
        columns::create_board(db, "Team board", 1_000).unwrap();
        let backlog = read::board(db).unwrap().columns[0].id;
        in_tx(db, |tx| {
            write::add_card(tx, backlog, &NewCard::titled("Ours"), None, 2_000, "ana")
        })
        .unwrap();
        let before = export_db(db).unwrap().text;
        let refused = in_tx(db, |tx| import_into(tx, text.as_bytes())).unwrap_err();
        assert!(
            refused.to_string().contains("already holds a team's data"),
            "{refused}"
        );
        assert_eq!(export_db(db).unwrap().text, before, "nothing changed");
    });
    // A board with no card, but a column renamed, is the team's work too.
    on_both(|db| {
        columns::create_board(db, "Team board", 1_000).unwrap();
        let first = read::board(db).unwrap().columns[0].id;
        columns::rename_column(db, first, "Ideas").unwrap();
        let refused = in_tx(db, |tx| import_into(tx, text.as_bytes())).unwrap_err();
        assert!(
            refused.to_string().contains("already holds a team's data"),
            "{refused}"
        );
        assert_eq!(read::board(db).unwrap().columns[0].name, "Ideas");
    });
}

#[test]
fn a_broken_export_is_refused_alike_on_both_engines_and_changes_nothing() {
    let (_, text) = file_board();
    let cases = [
        (
            edited(&text, |d| {
                let at = column(d, "cards", "column_id");
                table(d, "cards")["rows"][2][at] = 99.into();
            }),
            "cards row 3: column_id 99 points at no columns row",
        ),
        (
            edited(&text, |d| {
                let rows = table(d, "cards")["rows"].as_array_mut().unwrap();
                let first = rows[0].clone();
                rows.push(first);
            }),
            ": a duplicate",
        ),
        (
            // Text where a number goes is refused, not read as one (eight
            // bytes of text would make a card's id on the server).
            edited(&text, |d| {
                let at = column(d, "cards", "id");
                table(d, "cards")["rows"][0][at] = "tomorrow".into();
            }),
            "cards row 1: ",
        ),
        (
            edited(&text, |d| d["schema"] = 5.into()),
            "schema 5: this database takes an export of schema ",
        ),
    ];
    on_both(|db| {
        columns::create_board(db, "Team board", 1_000).unwrap();
        let before = export_db(db).unwrap().text;
        for (doc, says) in &cases {
            let refused = in_tx(db, |tx| import_into(tx, doc.as_bytes())).unwrap_err();
            assert!(
                refused.to_string().contains(says),
                "{:?}: {refused} (wanted: {says})",
                db.engine()
            );
            assert_eq!(export_db(db).unwrap().text, before, "nothing changed");
        }
    });
}
