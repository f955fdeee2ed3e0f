//! Taking facilitation over, alike on both engines: the column that says
//! who facilitates changes with the record of the takeover, and only from
//! the facilitator the taker saw.

use chrono::NaiveDate;

use super::*;
use crate::domain::pulse::Instrument;
use crate::domain::retro::SafetyKind;
use crate::domain::standup::{NewStandup, StandupFormat};
use crate::store::sql::testing::{in_tx, on_both};
use crate::store::sql_store::columns;
use crate::store::{NewPulse, NewRetro};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn refused<T: std::fmt::Debug>(r: Result<T>, says: &str) {
    match r {
        Err(e) => assert!(e.to_string().contains(says), "{e} (wanted: {says})"),
        Ok(v) => panic!("allowed ({v:?}), wanted a refusal: {says}"),
    }
}

#[test]
fn each_ritual_is_taken_over_once_with_a_record_and_not_after_its_end() {
    on_both(|db| {
        let board = columns::create_board(db, "Team board", 1_000).unwrap();
        // A retro: ben takes it over from ana; chloe, who saw ana, is refused.
        let retro = in_tx(db, |tx| {
            retros::start(
                tx,
                board,
                &NewRetro {
                    title: "Sprint 9".into(),
                    format: crate::domain::retro::format::built_in().remove(0),
                    votes: 3,
                    safety: SafetyKind::Esvp,
                    sprint: None,
                    from: day("2026-03-02"),
                    to: day("2026-03-13"),
                },
                2_000,
                "ana",
            )
        })
        .unwrap();
        refused(
            in_tx(db, |tx| take_over_retro(tx, retro, "ana", 2_100, "ana")),
            "you facilitate the retro already",
        );
        let h = in_tx(db, |tx| take_over_retro(tx, retro, "ana", 2_100, "ben")).unwrap();
        assert_eq!(h.sentence(), "ben took over from ana");
        assert_eq!(retros::retro(db, retro).unwrap().facilitator, "ben");
        refused(
            in_tx(db, |tx| take_over_retro(tx, retro, "ana", 2_200, "chloe")),
            "ben took the retro over from ana meanwhile",
        );
        // Ben moves it on now: the rules follow the new facilitator.
        refused(
            in_tx(db, |tx| {
                retros::set_phase(tx, retro, Phase::Review, 2_300, "ana")
            }),
            "only the facilitator (ben)",
        );
        in_tx(db, |tx| {
            retros::set_phase(tx, retro, Phase::Closed, 2_300, "ben")
        })
        .unwrap();
        refused(
            in_tx(db, |tx| take_over_retro(tx, retro, "ben", 2_400, "ana")),
            "is closed",
        );
        let record = handovers(db, Ritual::Retro, retro.0).unwrap();
        assert_eq!(record, [h]);

        // A standup, taken over twice, then ended by its last facilitator.
        let standup = in_tx(db, |tx| {
            standups::begin(
                tx,
                board,
                &NewStandup {
                    format: StandupFormat::RoundRobin,
                    sprint: None,
                    attendees: vec!["ana".into(), "ben".into()],
                },
                day("2026-03-03"),
                3_000,
                "ana",
            )
        })
        .unwrap();
        in_tx(db, |tx| take_over_standup(tx, standup, "ana", 3_100, "ben")).unwrap();
        in_tx(db, |tx| take_over_standup(tx, standup, "ben", 3_200, "ana")).unwrap();
        refused(
            in_tx(db, |tx| standups::end(tx, standup, 3_300, "ben")),
            "ana is facilitating",
        );
        in_tx(db, |tx| standups::end(tx, standup, 3_300, "ana")).unwrap();
        refused(
            in_tx(db, |tx| take_over_standup(tx, standup, "ana", 3_400, "ben")),
            "has ended",
        );
        let said: Vec<String> = handovers(db, Ritual::Standup, standup.0)
            .unwrap()
            .iter()
            .map(Handover::sentence)
            .collect();
        assert_eq!(said, ["ben took over from ana", "ana took over from ben"]);

        // A pre-mortem: its session's facilitator changes.
        let pre = in_tx(db, |tx| {
            mortems::new_premortem(tx, board, "Launch", None, day("2026-03-04"), 4_000, "ana")
        })
        .unwrap();
        in_tx(db, |tx| take_over_premortem(tx, pre, "ana", 4_100, "ben")).unwrap();
        let (m, session) = mortems::premortem_session(db, pre).unwrap();
        assert_eq!(m.facilitator, "ben");
        assert_eq!(m.created_by, "ana", "who started it stays");
        assert_eq!(retros::retro(db, session).unwrap().facilitator, "ben");
        assert_eq!(handovers(db, Ritual::Premortem, pre.0).unwrap().len(), 1);

        // A pulse: whoever takes it over closes it by hand.
        let pulse = in_tx(db, |tx| {
            pulses::open(
                tx,
                board,
                &NewPulse {
                    title: "March".into(),
                    instrument: Instrument::edmondson().unwrap(),
                    closes: None,
                    min_responses: 3,
                    min_comments: 3,
                },
                day("2026-03-05"),
                None,
                "ana",
            )
        })
        .unwrap();
        in_tx(db, |tx| take_over_pulse(tx, pulse, "ana", 5_100, "ben")).unwrap();
        refused(
            in_tx(db, |tx| {
                pulses::close(tx, pulse, from_ms(5_200), day("2026-03-06"), "ana")
            }),
            "only whoever opened it (ben)",
        );
        in_tx(db, |tx| {
            pulses::close(tx, pulse, from_ms(5_200), day("2026-03-06"), "ben")
        })
        .unwrap();
        refused(
            in_tx(db, |tx| take_over_pulse(tx, pulse, "ben", 5_300, "ana")),
            "is closed",
        );
    });
}
