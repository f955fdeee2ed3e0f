//! Forecasts from the board's own history: the one store read on both
//! engines, and `teamloop forecast` as a user runs it.

mod common;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use common::cli::{Run, at, output};
use common::engines::{BoardFixture, on_both_engines_at};
use common::writes::{add_at, move_at};
use serde_json::Value;
use teamloop::domain::CardId;
use teamloop::domain::flow::FlowRange;
use teamloop::store::Store;

fn t(month: u32, day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, month, day, hour, 0, 0).unwrap()
}

/// A card made at `day` 09:00, started at 10:00 and finished at 12:00.
fn finish_on(f: &BoardFixture, s: &mut dyn Store, day: DateTime<Utc>) -> CardId {
    let c = add_at(f, s, "Backlog", "Done one", &[], day + Duration::hours(9));
    move_at(f, s, c, "In Progress", day + Duration::hours(10));
    move_at(f, s, c, "Done", day + Duration::hours(12));
    c
}

#[test]
fn finishes_per_day_are_the_flow_reports_throughput() {
    on_both_engines_at(t(11, 1, 9), |f| {
        let mut s = f.store();
        let s = &mut *s;
        let a = finish_on(f, s, t(11, 2, 0));
        finish_on(f, s, t(11, 2, 0));
        finish_on(f, s, t(11, 5, 0));
        // Back out of Done: not finished.
        let back = finish_on(f, s, t(11, 6, 0));
        move_at(f, s, back, "In Progress", t(11, 7, 12));
        // Finished twice: counted on its last entry into Done.
        let twice = finish_on(f, s, t(11, 8, 0));
        move_at(f, s, twice, "Review", t(11, 9, 12));
        move_at(f, s, twice, "Done", t(11, 10, 12));
        // Archived from Done: still finished.
        f.clock.set(t(11, 11, 8));
        s.archive_card(a).unwrap();
        f.clock.set(t(11, 12, 15));
        let board = s.board().unwrap();
        let all = s.finishes_per_day(&board, None).unwrap();
        // From the board's first card to today, one entry a day.
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        assert_eq!(all.first().map(|d| d.0), Some(day(2)), "{all:?}");
        assert_eq!(all.last().map(|d| d.0), Some(day(12)));
        assert_eq!(all.len(), 11);
        let counts: Vec<u32> = all.iter().map(|d| d.1).collect();
        assert_eq!(counts, vec![2, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0]);
        let report = s.flow_report(&board, FlowRange::Since(day(2))).unwrap();
        assert_eq!(report.throughput.daily, counts);
        // A window from a day on: the same days from there.
        let since = s.finishes_per_day(&board, Some(day(5))).unwrap();
        assert_eq!(since, all[3..].to_vec());
    });
}

/// A file board where one card was finished at noon UTC on each of the
/// `days` days before today (real today: the binary runs on the system
/// clock), with `open` more cards in To Do tagged `api`.
fn board_finishing_daily(days: i64, open: usize) -> BoardFixture {
    let today = Utc::now().date_naive();
    let first =
        Utc.from_utc_datetime(&(today - Duration::days(days)).and_hms_opt(0, 0, 0).unwrap());
    let f = BoardFixture::file(first);
    let mut s = f.store();
    for i in 0..days {
        finish_on(&f, &mut *s, first + Duration::days(i));
    }
    for i in 0..open {
        add_at(
            &f,
            &mut *s,
            "To Do",
            &format!("Open {i}"),
            &["api"],
            first + Duration::days(days - 1) + Duration::hours(13),
        );
    }
    f
}

fn forecast(f: &BoardFixture, args: &[&str]) -> Run {
    let mut cmd = at(f.path().unwrap(), "ana");
    cmd.env("TZ", "UTC").arg("forecast").args(args);
    output(cmd)
}

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

#[test]
fn one_card_a_day_gives_exact_dates_and_counts() {
    let f = board_finishing_daily(84, 3);
    let doc: Value = forecast(&f, &["when", "10", "--seed", "4", "--json"]).json();
    let due = (today() + Duration::days(10)).to_string();
    for p in ["50", "70", "85", "95"] {
        assert_eq!(doc["percentiles"][p], Value::from(due.clone()), "{doc:#}");
    }
    assert_eq!(doc["question"], "when");
    assert_eq!(doc["items"], 10);
    assert_eq!(doc["seed"], 4);
    assert_eq!(doc["trials"], 10_000);
    assert_eq!(doc["sample"]["days"], 84);
    assert_eq!(doc["sample"]["finished"], 84);
    assert_eq!(
        doc["sample"]["to"],
        (today() - Duration::days(1)).to_string()
    );
    // Every past forecast of a constant process came true.
    assert!(
        doc["track_record"]["forecasts"].as_u64().unwrap() > 50,
        "{doc:#}"
    );
    assert_eq!(doc["track_record"]["hit_rate"]["85"], 1.0);
    assert!(doc["assumes"].as_str().unwrap().contains("not points"));

    let by = (today() + Duration::days(7)).to_string();
    let doc = forecast(&f, &["how-many", "--by", &by, "--json", "--trials", "500"]).json();
    for p in ["50", "70", "85", "95"] {
        assert_eq!(doc["percentiles"][p], 7, "{doc:#}");
    }
    assert_eq!(doc["question"], "how_many");
    assert_eq!(doc["by"], Value::from(by.clone()));
    assert_eq!(doc["trials"], 500);

    // The tag's three open cards: done in three days.
    let doc = forecast(&f, &["when", "--tag", "api", "--json", "--seed", "1"]).json();
    assert_eq!(doc["items"], 3);
    assert_eq!(
        doc["percentiles"]["85"],
        Value::from((today() + Duration::days(3)).to_string())
    );
    let doc = forecast(&f, &["when", "--column", "To Do", "--json", "--seed", "1"]).json();
    assert_eq!(doc["items"], 3);

    // The text says the dates, the record, the sample and what it assumes.
    let run = forecast(&f, &["when", "10", "--seed", "4"]);
    run.assert_ok();
    let out = &run.stdout;
    assert!(out.contains(&format!("85%  by {due}")), "{out}");
    assert!(
        out.contains("Track record: the 85% line held in 100% of"),
        "{out}"
    );
    assert!(out.contains("seed 4"), "{out}");
    assert!(out.contains("cards are counted, not points"), "{out}");

    let run = forecast(&f, &["backtest", "--seed", "2"]);
    run.assert_ok();
    assert!(
        run.stdout.contains("the 85% line held 100.0% of the time"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("more often than it should"),
        "{}",
        run.stdout
    );
    let doc = forecast(&f, &["backtest", "--items", "5", "--json"]).json();
    assert_eq!(doc["question"], "when");
    assert_eq!(doc["items"], 5);
}

#[test]
fn a_seeded_forecast_repeats() {
    let first =
        Utc.from_utc_datetime(&(today() - Duration::days(58)).and_hms_opt(0, 0, 0).unwrap());
    let f = BoardFixture::file(first);
    let mut s = f.store();
    // Uneven throughput: 0 to 3 a day.
    for i in 0..56i64 {
        for _ in 0..(i * 7 % 4) {
            finish_on(&f, &mut *s, first + Duration::days(i));
        }
    }
    let a = forecast(&f, &["when", "40", "--seed", "9"]);
    let b = forecast(&f, &["when", "40", "--seed", "9"]);
    a.assert_ok();
    assert_eq!(a.stdout, b.stdout);
    let by = (today() + Duration::days(20)).to_string();
    let x = forecast(&f, &["how-many", "--by", &by, "--seed", "3", "--json"]).json();
    let y = forecast(&f, &["how-many", "--by", &by, "--seed", "3", "--json"]).json();
    assert_eq!(x, y);
    let p50 = x["percentiles"]["50"].as_u64().unwrap();
    let p95 = x["percentiles"]["95"].as_u64().unwrap();
    assert!(p95 < p50, "{x:#}");
}

#[test]
fn too_little_history_is_refused_with_the_little_gap() {
    // Nothing finished yet.
    let f = BoardFixture::file(Utc::now() - Duration::days(30));
    forecast(&f, &["when", "5"]).assert_fails_with("no forecast");
    // Five finished while twenty cards piled up in progress.
    let mut s = f.store();
    let first = Utc::now() - Duration::days(28);
    let board = s.board().unwrap();
    let doing = board.column_named("In Progress").unwrap().id;
    s.set_column_wip(doing, None).unwrap();
    for i in 0..20 {
        let c = add_at(
            &f,
            &mut *s,
            "Backlog",
            "Piling",
            &[],
            first + Duration::hours(i),
        );
        move_at(
            &f,
            &mut *s,
            c,
            "In Progress",
            first + Duration::hours(i) + Duration::minutes(30),
        );
    }
    for i in 0..5 {
        finish_on(&f, &mut *s, first + Duration::days(i * 5));
    }
    let run = forecast(&f, &["when", "5"]);
    run.assert_fails_with("5 cards finished in the");
    assert!(run.stderr.contains("needs at least 10"), "{}", run.stderr);
    assert!(run.stderr.contains("Little's law gap"), "{}", run.stderr);
    let by = (today() + Duration::days(5)).to_string();
    forecast(&f, &["how-many", "--by", &by, "--json"]).assert_fails_with("no forecast");
}

#[test]
fn bad_input_is_refused_in_one_line() {
    let f = board_finishing_daily(30, 0);
    forecast(&f, &["when", "0"]).assert_fails_with("from 1");
    forecast(&f, &["how-many", "--by", "2000-01-01"]).assert_fails_with("is not after today");
    forecast(&f, &["how-many", "--by", "soon"]).assert_fails_with("is not a date");
    forecast(&f, &["when", "--column", "Done"]).assert_fails_with("is a done column");
    forecast(&f, &["when", "--column", "Nowhere"]).assert_fails_with("no column named");
    forecast(&f, &["when", "--tag", "nosuch"]).assert_fails_with("nothing left to finish");
    forecast(&f, &["when", "--cards", "999"]).assert_fails_with("no card #999");
    forecast(&f, &["when", "3", "--trials", "0"]).assert_fails_with("--trials");
    forecast(&f, &["when", "3", "--weeks", "0"]).assert_fails_with("--weeks");
    forecast(&f, &["backtest", "--days", "0"]).assert_fails_with("--days");
    // The help says what each command does.
    let help = forecast(&f, &["--help"]);
    help.assert_ok();
    assert!(help.stdout.contains("how-many"), "{}", help.stdout);
    assert!(help.stdout.contains("backtest"), "{}", help.stdout);
}
