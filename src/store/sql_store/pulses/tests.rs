//! A pulse's whole life gives the same answers on both engines, and what
//! is stored pairs no one with their answers: tokens sorted, responses and
//! comments one shuffled list each.

use chrono::{Duration, TimeZone};

use super::*;
use crate::store::sql::testing::on_both;
use crate::store::sql_store::columns;

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2030, 3, d).unwrap()
}

fn noon(d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2030, 3, d, 12, 0, 0).unwrap()
}

fn with_question() -> Instrument {
    Instrument {
        free_text: Some("Anything else?".into()),
        ..Instrument::edmondson().unwrap()
    }
}

fn new_pulse(title: &str, closes: Option<NaiveDate>) -> NewPulse {
    NewPulse {
        title: title.into(),
        instrument: with_question(),
        closes,
        min_responses: 3,
        min_comments: 3,
    }
}

/// Person `i`'s answers: a different list for each.
fn answers(i: u32) -> Vec<u32> {
    vec![i % 7 + 1, i / 7 + 1, 4, 4, 4, 4, 4]
}

fn stored(db: &dyn Db, table: &str, column: &str, id: PulseId) -> String {
    value_of(db, table, column, "pulse_id", id.0)
        .unwrap()
        .unwrap()
}

#[test]
fn a_pulse_is_answered_and_read_alike_on_both_engines_and_stores_no_order() {
    on_both(|db| {
        let board = columns::create_board(db, "Team board", 1_000).unwrap();
        let past = open(
            db,
            board,
            &new_pulse("Late", Some(day(3))),
            day(4),
            None,
            "ana",
        );
        assert!(past.unwrap_err().to_string().contains("already past"));
        let low = NewPulse {
            min_responses: 2,
            ..new_pulse("Few", None)
        };
        assert!(open(db, board, &low, day(4), None, "ana").is_err());
        let id = open(
            db,
            board,
            &new_pulse("  March  ", None),
            day(4),
            None,
            "ana",
        )
        .unwrap();
        let p = pulse(db, id).unwrap();
        assert_eq!((p.title.as_str(), p.opened_by.as_str()), ("March", "ana"));
        assert_eq!((p.opened, p.closes, p.closed), (day(4), None, None));
        assert_eq!((p.min_responses, p.min_comments, p.responses), (3, 3, 0));
        assert_eq!(p.instrument, with_question());
        assert!(matches!(
            pulse(db, PulseId(id.0 + 9)),
            Err(StoreError::NotFound(_))
        ));

        // Ten people answer, three with a comment; each answers once.
        let keys: Vec<PersonKey> = (0..10).map(|_| PersonKey::random()).collect();
        for (i, key) in keys.iter().enumerate() {
            let comment = (i < 3).then(|| format!("comment {i}"));
            assert!(!has_responded(db, id, key).unwrap());
            respond(db, id, &answers(i as u32), comment.as_deref(), noon(5), key).unwrap();
            assert!(has_responded(db, id, key).unwrap());
        }
        let twice = respond(db, id, &answers(0), None, noon(5), &keys[0]).unwrap_err();
        assert!(twice.to_string().contains("once each"), "{twice}");
        assert!(
            respond(
                db,
                id,
                &[8, 1, 1, 1, 1, 1, 1],
                None,
                noon(5),
                &PersonKey::random()
            )
            .is_err()
        );
        assert!(!has_responded(db, id, &PersonKey::random()).unwrap());
        assert_eq!(pulse(db, id).unwrap().responses, 10);
        let open_now = results_of(db, id, noon(5)).unwrap_err();
        assert!(open_now.to_string().contains("still open"), "{open_now}");

        // What is stored: sorted tokens, and one list each of the answers
        // and the comments, in an order that is not the one they came in.
        let tokens: Vec<String> =
            serde_json::from_str(&stored(db, "pulse_respondents", "tokens", id)).unwrap();
        let mut expected: Vec<String> = keys.iter().map(|k| k.token("pulse", id.0)).collect();
        expected.sort();
        assert_eq!(tokens, expected);
        let responses: Vec<Vec<u32>> =
            serde_json::from_str(&stored(db, "pulse_answers", "responses", id)).unwrap();
        let given: Vec<Vec<u32>> = (0..10).map(answers).collect();
        assert_ne!(
            responses, given,
            "shuffled (1 chance in 10! of this failing)"
        );
        let mut sorted = responses.clone();
        sorted.sort();
        let mut given_sorted = given.clone();
        given_sorted.sort();
        assert_eq!(sorted, given_sorted, "every response, once");
        let mut comments: Vec<String> =
            serde_json::from_str(&stored(db, "pulse_comments", "comments", id)).unwrap();
        comments.sort();
        assert_eq!(comments, ["comment 0", "comment 1", "comment 2"]);

        // Closed by whoever opened it, once; then no answer is taken.
        let not_mine = close(db, id, noon(6), day(6), "ben").unwrap_err();
        assert!(
            not_mine.to_string().contains("only whoever opened it"),
            "{not_mine}"
        );
        close(db, id, noon(6), day(6), "ana").unwrap();
        assert!(close(db, id, noon(6), day(6), "ana").is_err());
        let late = respond(db, id, &answers(1), None, noon(6), &PersonKey::random());
        assert!(late.unwrap_err().to_string().contains("is closed"));
        assert_eq!(pulse(db, id).unwrap().closed, Some(day(6)));
        let r = results_of(db, id, noon(7)).unwrap();
        assert_eq!((r.responses, r.comment_count, r.scale), (10, 3, 7));
        let mut shown = r.comments.clone();
        shown.sort();
        assert_eq!(shown, ["comment 0", "comment 1", "comment 2"]);

        // A pulse that closes on a date: its close is due at its instant,
        // and recorded once, on its last day.
        let closes_at = noon(9) + Duration::hours(12);
        let dated = open(
            db,
            board,
            &new_pulse("Dated", Some(day(9))),
            day(8),
            Some(closes_at),
            "ben",
        )
        .unwrap();
        respond(db, dated, &answers(3), None, noon(8), &keys[0]).unwrap();
        let next = next_close(db).unwrap().unwrap();
        assert_eq!(next, closes_at.timestamp_millis());
        let due = results_of(db, dated, noon(10)).unwrap_err();
        assert!(due.to_string().contains("is closing"), "{due}");
        assert_eq!(record_due_closes(db, noon(10)).unwrap(), 1);
        assert_eq!(record_due_closes(db, noon(10)).unwrap(), 0);
        assert_eq!(next_close(db).unwrap(), None, "nothing left to close");
        let d = pulse(db, dated).unwrap();
        assert_eq!(
            (d.closed, d.closes_at, d.responses),
            (Some(day(9)), Some(closes_at), 1)
        );
        let below = results_of(db, dated, noon(10)).unwrap_err();
        assert!(
            below.to_string().contains("below this pulse's threshold"),
            "{below}"
        );

        // The board's pulses, newest first; the trend oldest first, with a
        // gap below the threshold.
        let ids: Vec<PulseId> = pulses(db, board).unwrap().iter().map(|p| p.id).collect();
        assert_eq!(ids, [dated, id]);
        let trend = trend(db, board, noon(10)).unwrap();
        let points: Vec<(PulseId, u32, Option<f64>)> = trend
            .iter()
            .map(|t| (t.pulse, t.responses, t.score))
            .collect();
        assert_eq!(points, [(id, 10, Some(r.score)), (dated, 1, None)]);
    });
}
