//! The pulse: thresholds, one response per person, closing by date in
//! every time zone, the trend and answering on the screen, on both engines;
//! what a SQLite file's raw tables and bytes hold, and the command line, on
//! real temporary files.

use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use ratatui::crossterm::event::KeyCode;
use rusqlite::Connection;
use teamloop::domain::pulse::{Instrument, PulseId};
use teamloop::store::{NewPulse, OpenOptions};
use teamloop::ui::App;

mod common;

use common::cli::Env;
use common::engines::{BoardFixture, on_both_engines_at};
use common::{keys, press, screen, status_line};

/// Monday 2 November 2026, 10:00 UTC.
fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 2, 10, 0, 0).unwrap()
}

/// Runs a story on a board made at `t0` on each engine.
fn on_both(test: impl Fn(&BoardFixture)) {
    on_both_engines_at(t0(), test);
}

/// A board in a SQLite file, for what only a file shows.
fn file() -> BoardFixture {
    BoardFixture::file(t0())
}

fn open_pulse(f: &BoardFixture, title: &str, min: u32, question: bool) -> PulseId {
    let mut s = f.as_user("ana");
    let board = s.board().unwrap().id;
    let mut instrument = Instrument::edmondson().unwrap();
    if question {
        instrument.free_text = Some("What would help?".into());
    }
    s.open_pulse(
        board,
        NewPulse {
            title: title.into(),
            instrument,
            closes: None,
            min_responses: min,
            min_comments: 3,
        },
    )
    .unwrap()
}

const PEOPLE: [&str; 6] = ["ben", "chloe", "dev", "eli", "fay", "gus"];

/// A's answers of the domain test: score 6.0 after reversal.
const HIGH: [u32; 7] = [2, 6, 1, 5, 3, 6, 7];
/// Score 1.0: no safety at all.
const LOW: [u32; 7] = [7, 1, 7, 1, 7, 1, 1];

#[test]
fn results_wait_for_the_close_and_the_threshold_whose_floor_is_three() {
    on_both(|f| {
        let mut ana = f.as_user("ana");
        let board = ana.board().unwrap().id;
        let too_low = ana
            .open_pulse(
                board,
                NewPulse {
                    title: "Two".into(),
                    instrument: Instrument::edmondson().unwrap(),
                    closes: None,
                    min_responses: 2,
                    min_comments: 5,
                },
            )
            .unwrap_err()
            .to_string();
        assert!(too_low.contains("at least 3"), "{too_low}");

        let id = open_pulse(f, "November", 4, false);
        for who in &PEOPLE[..3] {
            f.as_user(who).respond(id, &HIGH, None).unwrap();
        }
        let open = ana.pulse_results(id).unwrap_err().to_string();
        assert!(open.contains("still open"), "{open}");
        ana.close_pulse(id).unwrap();
        let below = ana.pulse_results(id).unwrap_err().to_string();
        assert!(
            below.contains("3 responses, below this pulse's threshold of 4"),
            "{below}"
        );
        let late = f.as_user("gus").respond(id, &LOW, None).unwrap_err();
        assert!(late.to_string().contains("closed"), "{late}");

        // At the threshold, once closed: shown.
        let id = open_pulse(f, "December", 4, false);
        for (i, who) in PEOPLE[..4].iter().enumerate() {
            let a = if i == 0 { LOW } else { HIGH };
            f.as_user(who).respond(id, &a, None).unwrap();
        }
        assert!(ana.pulse_results(id).is_err(), "open");
        let not_yours = f.as_user("ben").close_pulse(id).unwrap_err().to_string();
        assert!(
            not_yours.contains("only whoever opened it (ana)"),
            "{not_yours}"
        );
        ana.close_pulse(id).unwrap();
        let r = ana.pulse_results(id).unwrap();
        assert_eq!(r.responses, 4);
        assert_eq!(r.score, (1.0 + 6.0 * 3.0) / 4.0);
        assert_eq!(r.distribution.0, vec![1, 0, 0, 0, 0, 3, 0]);
        assert!(r.items[0].reverse && !r.items[1].reverse);
    });
}

#[test]
fn a_pulse_that_closes_on_a_date_shows_its_results_the_day_after() {
    on_both(|f| {
        let mut ana = f.as_user("ana");
        let board = ana.board().unwrap().id;
        let id = ana
            .open_pulse(
                board,
                NewPulse {
                    title: "Dated".into(),
                    instrument: Instrument::edmondson().unwrap(),
                    closes: NaiveDate::from_ymd_opt(2026, 11, 4),
                    min_responses: 3,
                    min_comments: 3,
                },
            )
            .unwrap();
        for who in &PEOPLE[..3] {
            f.as_user(who).respond(id, &HIGH, None).unwrap();
        }
        f.clock.set(t0() + Duration::days(2));
        assert!(f.as_user("ana").pulse_results(id).is_err(), "the 4th: open");
        f.clock.set(t0() + Duration::days(3));
        assert!(
            f.as_user("ana").pulse_results(id).is_ok(),
            "the 5th: closed"
        );
    });
}

#[test]
fn each_person_responds_once() {
    on_both(|f| {
        let id = open_pulse(f, "Once", 3, false);
        let mut ben = f.as_user("ben");
        assert!(!ben.has_responded(id).unwrap());
        ben.respond(id, &HIGH, None).unwrap();
        assert!(ben.has_responded(id).unwrap());
        let again = ben.respond(id, &LOW, None).unwrap_err().to_string();
        assert!(again.contains("once each"), "{again}");
        let short = f
            .as_user("chloe")
            .respond(id, &[4, 4], None)
            .unwrap_err()
            .to_string();
        assert!(short.contains("answer all 7 items"), "{short}");
        assert_eq!(f.as_user("ana").pulse(id).unwrap().responses, 1);
    });
}

fn rows(conn: &Connection, sql: &str) -> Vec<Vec<String>> {
    let mut stmt = conn.prepare(sql).unwrap();
    let n = stmt.column_count();
    stmt.query_map([], |r| {
        (0..n)
            .map(|i| {
                r.get::<_, rusqlite::types::Value>(i).map(|v| match v {
                    rusqlite::types::Value::Integer(x) => x.to_string(),
                    rusqlite::types::Value::Text(t) => t,
                    other => format!("{other:?}"),
                })
            })
            .collect()
    })
    .unwrap()
    .collect::<rusqlite::Result<_>>()
    .unwrap()
}

fn occurrences(bytes: &[u8], needle: &str) -> usize {
    bytes
        .windows(needle.len())
        .filter(|w| *w == needle.as_bytes())
        .count()
}

#[test]
fn the_raw_tables_link_no_respondent_to_their_answers() {
    let f = &file();
    let id = open_pulse(f, "Raw", 3, true);
    // Six people answer, each a little later than the one before, with
    // answers that would give them away if anything tied them together.
    let answers: Vec<[u32; 7]> = (1..=6).map(|k| [k, k, k, k, k, k, k]).collect();
    let bytes = std::fs::read(f.path().unwrap()).unwrap();
    let named_before: Vec<usize> = PEOPLE.iter().map(|w| occurrences(&bytes, w)).collect();
    for (i, who) in PEOPLE.iter().enumerate() {
        f.clock.advance(Duration::minutes(7));
        let comment = format!("note {i}");
        f.as_user(who)
            .respond(id, &answers[i], Some(&comment))
            .unwrap();
    }
    let conn = Connection::open(f.path().unwrap()).unwrap();
    // Who responded: tokens only they can make, sorted; no name.
    let tokens = rows(&conn, "SELECT tokens FROM pulse_respondents");
    let tokens: Vec<String> = serde_json::from_str(&tokens[0][0]).unwrap();
    assert_eq!(tokens.len(), 6);
    let mut sorted = tokens.clone();
    sorted.sort();
    assert_eq!(tokens, sorted);
    // The answers and the comments: one list each, in a random order.
    let stored = rows(&conn, "SELECT responses FROM pulse_answers");
    let stored: Vec<Vec<u32>> = serde_json::from_str(&stored[0][0]).unwrap();
    let mut seen = stored.clone();
    seen.sort();
    assert_eq!(seen, answers.iter().map(|a| a.to_vec()).collect::<Vec<_>>());
    let comments = rows(&conn, "SELECT comments FROM pulse_comments");
    let comments: Vec<String> = serde_json::from_str(&comments[0][0]).unwrap();
    assert_eq!(comments.len(), 6);
    // Answering named no one in the file: every name is there as often
    // as before anyone answered (some are inside the questions' words).
    drop(conn);
    let bytes = std::fs::read(f.path().unwrap()).unwrap();
    for (who, before) in PEOPLE.iter().zip(&named_before) {
        assert_eq!(occurrences(&bytes, who), *before, "{who} is in the file");
    }
    let conn = Connection::open(f.path().unwrap()).unwrap();
    // No column anywhere in the pulse tables holds a time.
    for table in ["pulse_respondents", "pulse_answers", "pulse_comments"] {
        let cols = rows(
            &conn,
            &format!("SELECT name FROM pragma_table_info('{table}')"),
        );
        for c in cols {
            assert!(
                !c[0].contains("at") || c[0] == "pulse_id",
                "{table}.{} looks like a time",
                c[0]
            );
        }
    }
    // The results show the comments shuffled, apart from the scores.
    f.as_user("ana").close_pulse(id).unwrap();
    let r = f.as_user("ana").pulse_results(id).unwrap();
    let expected: Vec<String> = (0..6).map(|i| format!("note {i}")).collect();
    assert_eq!(r.comments.len(), 6);
    assert_ne!(r.comments, expected, "shuffled");
}

#[test]
fn the_trend_follows_three_pulses() {
    on_both(|f| {
        for (k, answers) in [[4u32; 7], [5; 7], [6; 7]].iter().enumerate() {
            f.clock.set(t0() + Duration::days(14 * k as i64));
            let id = open_pulse(f, &format!("Pulse {}", k + 1), 3, false);
            let n = if k == 1 { 2 } else { 3 };
            for who in &PEOPLE[..n] {
                f.as_user(who).respond(id, answers, None).unwrap();
            }
            f.as_user("ana").close_pulse(id).unwrap();
        }
        let s = f.as_user("ana");
        let trend = s.pulse_trend(s.board().unwrap().id).unwrap();
        let titles: Vec<&str> = trend.iter().map(|t| t.title.as_str()).collect();
        assert_eq!(titles, ["Pulse 1", "Pulse 2", "Pulse 3"]);
        // All 4s on Edmondson: reversed items give 4 too; 5s give (5·4 + 3·3)/7.
        let scores: Vec<Option<f64>> = trend.iter().map(|t| t.score).collect();
        assert_eq!(scores[0], Some(4.0));
        assert_eq!(scores[1], None, "two responses: below the floor");
        assert_eq!(
            scores[2],
            Some(((6.0 * 4.0 + 2.0 * 3.0) / 7.0 * 100.0f64).round() / 100.0)
        );
        assert_eq!(
            trend.iter().map(|t| t.responses).collect::<Vec<_>>(),
            vec![3, 2, 3]
        );
    });
}

#[test]
fn answering_on_the_screen_one_item_at_a_time() {
    on_both(|f| {
        let id = open_pulse(f, "On screen", 3, true);
        let mut app = App::new(f.as_user("ben"), 120, 40);
        keys(&mut app, "7");
        let text = screen(&app);
        assert!(text.contains("On screen"), "{text}");
        assert!(text.contains("still open (0 responses so far)"), "{text}");
        keys(&mut app, "a");
        let text = screen(&app);
        assert!(text.contains("Question 1 of 7"), "{text}");
        assert!(text.contains("it is often held against you"), "{text}");
        assert!(text.contains("Strongly disagree"), "{text}");
        keys(&mut app, "9");
        assert!(screen(&app).contains("Answer with 1 to 7"));
        keys(&mut app, "26");
        press(&mut app, KeyCode::Left);
        assert!(screen(&app).contains("Question 2 of 7"));
        keys(&mut app, "615367");
        let text = screen(&app);
        assert!(
            text.contains("What would help?"),
            "the free-text step:\n{text}"
        );
        keys(&mut app, "More pairing");
        press(&mut app, KeyCode::Enter);
        let text = screen(&app);
        assert!(
            text.contains("Your answers, before they are sent"),
            "{text}"
        );
        assert!(text.contains("More pairing"), "{text}");
        press(&mut app, KeyCode::Enter);
        assert!(status_line(&app).contains("Thank you"));
        let s = f.as_user("ana");
        assert!(f.as_user("ben").has_responded(id).unwrap());
        assert!(!s.has_responded(id).unwrap());
        assert_eq!(s.pulse(id).unwrap().responses, 1);
        // Once is enough.
        keys(&mut app, "a");
        assert!(status_line(&app).contains("You have answered"));
        // Leaving half way asks first and sends nothing.
        let mut chloe = App::new(f.as_user("chloe"), 120, 40);
        keys(&mut chloe, "7a3");
        press(&mut chloe, KeyCode::Esc);
        assert!(screen(&chloe).contains("Leave without sending"));
        keys(&mut chloe, "y");
        assert!(!screen(&chloe).contains("Question"));
        assert_eq!(f.as_user("ana").pulse(id).unwrap().responses, 1);
    });
}

#[test]
fn pulse_subcommands_for_people_and_scripts() {
    let env = Env::new();
    env.run(&["pulse", "open", "X", "--min-responses", "2"])
        .assert_fails_with("at least 3");
    let opened = env.run_as(
        "ana",
        &["pulse", "open", "November", "--min-responses", "3"],
    );
    opened.assert_ok();
    let id = opened.stdout.trim().to_string();
    let answer = |who: &str, input: &str| {
        let r = env.run_piped(who, &["pulse", "answer", &id], input);
        (r.code, r.stderr)
    };
    for who in ["ben", "chloe", "dev"] {
        let (code, err) = answer(who, "2\n6\n1\n5\n3\n6\n7\n");
        assert_eq!(code, Some(0), "{err}");
    }
    let (code, err) = answer("ben", "2\n6\n1\n5\n3\n6\n7\n");
    assert_eq!(code, Some(1));
    assert!(err.contains("once each"), "{err}");
    let (code, err) = answer("eli", "2\n6\n9\n");
    assert_eq!(code, Some(1));
    assert!(
        err.contains("line 3: '9' is not an answer from 1 to 7"),
        "{err}"
    );
    env.run(&["pulse", "results", &id])
        .assert_fails_with("still open");
    env.run_as("ben", &["pulse", "close", &id])
        .assert_fails_with("only whoever opened it");
    env.run_as("ana", &["pulse", "close", &id]).assert_ok();
    let r = env.run(&["pulse", "results", &id, "--json"]).json();
    assert_eq!(r["responses"], 3);
    assert_eq!(r["score"], 6.0);
    let csv = env.run(&["pulse", "export", &id, "--csv"]);
    csv.assert_ok();
    let lines: Vec<&str> = csv.stdout.lines().collect();
    assert_eq!(lines.len(), 1 + 7 + 1, "a header, the items, the score");
    assert!(lines[0].starts_with("row,item,text,reverse,responses,mean,scored_mean,n1"));
    assert!(lines[1].starts_with("item,1,\"If you make a mistake"));
    assert!(lines[8].starts_with("score,"));
}

#[test]
fn the_pulse_tab_and_its_answer_screen_draw_at_every_size() {
    let f = &file();
    let id = open_pulse(
        f,
        "Sizes, with a long title that has to be cut somewhere",
        3,
        true,
    );
    for who in &PEOPLE[..3] {
        f.as_user(who)
            .respond(id, &HIGH, Some("a comment"))
            .unwrap();
    }
    f.as_user("ana").close_pulse(id).unwrap();
    open_pulse(f, "Open one", 3, true);
    for (w, h) in [(40, 12), (52, 14), (80, 24), (120, 40), (200, 60)] {
        let mut app = App::new(f.as_user("gus"), w, h);
        keys(&mut app, "7");
        let text = common::text(&common::render(&app, w, h));
        assert!(text.contains("Pulses"), "{w}×{h}:\n{text}");
        keys(&mut app, "j");
        common::render(&app, w, h);
        keys(&mut app, "ka");
        for k in ["3", "4", "5", "6", "7", "1", "2"] {
            common::render(&app, w, h);
            keys(&mut app, k);
        }
        common::render(&app, w, h);
        press(&mut app, KeyCode::Enter);
        common::render(&app, w, h);
        press(&mut app, KeyCode::Esc);
        common::render(&app, w, h);
    }
}

#[test]
fn names_differing_only_in_case_or_spaces_are_one_person() {
    on_both(|f| {
        let id = open_pulse(f, "Once", 3, false);
        f.as_user("ben").respond(id, &HIGH, None).unwrap();
        for alias in ["Ben", " BEN "] {
            let again = f.as_user(alias).respond(id, &LOW, None).unwrap_err();
            assert!(again.to_string().contains("once each"), "{alias}: {again}");
        }
    });
}

/// A clock whose days are those of a fixed offset.
struct Zoned(FixedClockAt, chrono::FixedOffset);
type FixedClockAt = teamloop::domain::FixedClock;

impl teamloop::domain::Clock for Zoned {
    fn now(&self) -> DateTime<Utc> {
        self.0.now()
    }
    fn zone(&self) -> &dyn teamloop::domain::Zone {
        &self.1
    }
}

#[test]
fn a_dated_pulse_closes_at_one_instant_for_every_time_zone() {
    on_both(|f| {
        // Opened in UTC+14, closing after 2 November there: 10:00 UTC on the 2nd.
        let kiribati = chrono::FixedOffset::east_opt(14 * 3600).unwrap();
        let far = Zoned(f.clock.clone(), kiribati);
        let mut ana = f.open(f.options("ana").with_clock(Arc::new(far)));
        let board = ana.board().unwrap().id;
        f.clock
            .set(Utc.with_ymd_and_hms(2026, 11, 1, 12, 0, 0).unwrap());
        let id = ana
            .open_pulse(
                board,
                NewPulse {
                    title: "Far".into(),
                    instrument: Instrument::edmondson().unwrap(),
                    closes: NaiveDate::from_ymd_opt(2026, 11, 2),
                    min_responses: 3,
                    min_comments: 3,
                },
            )
            .unwrap();
        for who in &PEOPLE[..3] {
            f.as_user(who).respond(id, &HIGH, None).unwrap();
        }
        // A UTC terminal at 09:59 UTC on the 2nd: still open everywhere.
        f.clock
            .set(Utc.with_ymd_and_hms(2026, 11, 2, 9, 59, 0).unwrap());
        assert!(f.as_user("dev").pulse_results(id).is_err());
        f.as_user("fay").respond(id, &HIGH, None).unwrap();
        // At 10:00 UTC it is closed for everyone, though it is still the 2nd in UTC.
        f.clock
            .set(Utc.with_ymd_and_hms(2026, 11, 2, 10, 0, 0).unwrap());
        assert_eq!(f.as_user("dev").pulse_results(id).unwrap().responses, 4);
        assert!(f.as_user("gus").respond(id, &LOW, None).is_err());
    });
}

#[test]
fn the_file_keeps_no_order_of_answering_while_open_or_closed() {
    let f = &file();
    let id = open_pulse(f, "Layout", 3, false);
    // Ten people, each with answers that can be found in the file's bytes.
    let names: Vec<String> = (0..10).map(|k| format!("person{k:02}")).collect();
    let answers: Vec<[u32; 7]> = (0..10u32)
        .map(|k| [1 + k % 7, 1 + (k / 7) % 7, 7, 7, 7, 7, 7])
        .collect();
    let texts: Vec<String> = answers
        .iter()
        .map(|a| {
            format!(
                "[{}]",
                a.iter().map(u32::to_string).collect::<Vec<_>>().join(",")
            )
        })
        .collect();
    let order_in_file = || {
        let bytes = std::fs::read(f.path().unwrap()).unwrap();
        let at = |needle: &str| {
            bytes
                .windows(needle.len())
                .position(|w| w == needle.as_bytes())
                .unwrap_or_else(|| panic!("{needle} not in the file"))
        };
        let mut by_place: Vec<usize> = (0..10).collect();
        by_place.sort_by_key(|&k| at(&texts[k]));
        by_place
    };
    let forward: Vec<usize> = (0..10).collect();
    let backward: Vec<usize> = (0..10).rev().collect();
    // Read while open (a pulse closes by its date as often as by hand),
    // and again after: in the file's bytes the answers never stand in
    // the order people gave them, and no name is there to pair them with.
    for (who, a) in names.iter().zip(&answers) {
        f.as_user(who).respond(id, a, None).unwrap();
    }
    let open = order_in_file();
    f.as_user("ana").close_pulse(id).unwrap();
    let closed = order_in_file();
    for by_place in [open, closed] {
        assert!(
            by_place != forward && by_place != backward,
            "answers sit in the order people answered: {by_place:?}"
        );
    }
    let bytes = std::fs::read(f.path().unwrap()).unwrap();
    for who in &names {
        assert!(
            !bytes.windows(who.len()).any(|w| w == who.as_bytes()),
            "{who} is in the file"
        );
    }
}

#[test]
fn a_clock_set_ahead_reads_no_answer_before_the_close_is_recorded() {
    on_both(|f| {
        use teamloop::domain::Clock;
        let board = f.as_user("ana").board().unwrap().id;
        let closes = f.clock.now().date_naive() + Duration::days(1);
        let id = f
            .as_user("ana")
            .open_pulse(
                board,
                NewPulse {
                    title: "Weekly".into(),
                    instrument: Instrument::edmondson().unwrap(),
                    closes: Some(closes),
                    min_responses: 3,
                    min_comments: 3,
                },
            )
            .unwrap();
        for who in &PEOPLE[..3] {
            f.as_user(who).respond(id, &HIGH, None).unwrap();
        }
        // Eve reads with her clock three days ahead, read-only: the pulse is
        // over by her clock, but nobody has recorded its close yet.
        let mut opts = OpenOptions::new("eve").with_clock(Arc::new(FixedClockAt::new(
            f.clock.now() + Duration::days(3),
        )));
        opts.read_only = true;
        let eve = f.open(opts);
        let refused = eve.pulse_results(id).unwrap_err().to_string();
        assert!(refused.contains("closing"), "{refused}");
        // (On the server, export is not built yet.)
        if f.is_file() {
            let export = eve.export_json().unwrap();
            assert!(
                export
                    .withheld
                    .iter()
                    .any(|w| w.contains("pulse still open")),
                "{:?}",
                export.withheld
            );
        }
        // The team's own terminals, on time, take answers until the day ends,
        // and the first one to look after it records the close for everyone.
        f.as_user(PEOPLE[3]).respond(id, &LOW, None).unwrap();
        f.clock.set(f.clock.now() + Duration::days(2));
        let ana = f.as_user("ana");
        assert!(ana.pulse(id).unwrap().closed.is_some(), "recorded");
        assert_eq!(eve.pulse_results(id).unwrap().responses, 4);
    });
}

#[test]
fn results_taller_than_a_small_terminal_scroll_to_the_last_item() {
    on_both(|f| {
        let id = open_pulse(f, "November", 5, true);
        for who in &PEOPLE[..5] {
            f.as_user(who)
                .respond(id, &HIGH, Some("more pairing"))
                .unwrap();
        }
        f.as_user("ana").close_pulse(id).unwrap();
        let mut app = App::new(f.as_user("gus"), 80, 24);
        keys(&mut app, "7");
        let first = common::text(&common::render(&app, 80, 24));
        assert!(first.contains("November"), "{first}");
        assert!(
            !first.contains("7     7.0"),
            "item 7 fits already:\n{first}"
        );
        assert!(
            first.contains("more ↓"),
            "the border says there is more:\n{first}"
        );
        let mut seen = false;
        for _ in 0..20 {
            keys(&mut app, "J");
            let text = common::text(&common::render(&app, 80, 24));
            if text.contains("7     7.0") {
                seen = true;
                break;
            }
        }
        assert!(seen, "scrolling never reached item 7");
        // Far past the end, the last lines stay on screen; back up, the top returns.
        for _ in 0..80 {
            keys(&mut app, "J");
        }
        let bottom = common::text(&common::render(&app, 80, 24));
        assert!(
            bottom.contains("7     7.0") && bottom.contains("↑ more"),
            "{bottom}"
        );
        for _ in 0..80 {
            keys(&mut app, "K");
        }
        let top = common::text(&common::render(&app, 80, 24));
        assert!(
            !top.contains("7     7.0") && top.contains("more ↓"),
            "{top}"
        );
    });
}

#[test]
fn a_pulses_close_is_taken_over_when_whoever_opened_it_is_gone() {
    on_both(|f| {
        let id = open_pulse(f, "March", 3, false);
        let mut ana = f.app("ana", 120, 40);
        keys(&mut ana, "7");
        let mut ben = f.app("ben", 120, 40);
        keys(&mut ben, "7C");
        assert!(status_line(&ben).contains("Only whoever opened it (ana)"));
        keys(&mut ben, "T");
        let text = screen(&ben);
        assert!(
            text.contains("Take over closing the pulse \"March\" from ana?"),
            "{text}"
        );
        keys(&mut ben, "y");
        assert!(status_line(&ben).contains("You took over from ana: you close the pulse now"));
        f.notices("ana's terminal notices", || {
            ana.tick();
            ana.state
                .status
                .text
                .contains("ben took the close of \"March\" over from you")
        });
        assert!(
            status_line(&ana).contains("ben took the close of \"March\" over from you"),
            "{}",
            status_line(&ana)
        );
        keys(&mut ben, "Cy");
        assert!(f.as_user("chloe").pulse(id).unwrap().closed.is_some());
        let said: Vec<String> = f
            .as_user("chloe")
            .handovers(teamloop::domain::handover::Ritual::Pulse, id.0)
            .unwrap()
            .iter()
            .map(|h| h.sentence())
            .collect();
        assert_eq!(said, ["ben took over from ana"]);
    });
}
