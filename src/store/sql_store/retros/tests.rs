//! A retro's whole life gives the same answers on both engines, and what
//! is anonymous in it stays so there too.

use super::*;
use crate::domain::WipLimit;
use crate::domain::retro::format;
use crate::store::sql::testing::on_both;
use crate::store::sql_store::{columns, read};

pub(in crate::store::sql_store) use crate::store::sql::testing::in_tx;

fn count(db: &dyn Db, sql: &str, id: RetroId) -> u32 {
    db.one(sql, params![id.0]).unwrap()
}

fn refused<T: std::fmt::Debug>(r: Result<T>, says: &str) {
    match r {
        Err(e) => assert!(e.to_string().contains(says), "{e} (wanted: {says})"),
        Ok(v) => panic!("allowed ({v:?}), wanted a refusal: {says}"),
    }
}

fn new_retro(title: &str) -> NewRetro {
    NewRetro {
        title: title.into(),
        format: format::built_in()
            .into_iter()
            .find(|f| f.id == "start-stop-continue")
            .unwrap(),
        votes: 3,
        safety: SafetyKind::Esvp,
        sprint: None,
        from: day("2026-03-02"),
        to: day("2026-03-13"),
    }
}

#[test]
fn a_retro_runs_alike_on_both_engines() {
    on_both(|db| {
        let board = columns::create_board(db, "Team board", 1_000).unwrap();
        let cols = read::board(db).unwrap().columns;
        let (backlog, doing) = (cols[0].id, cols[2].id);
        let fac = "fac";
        let (ana, ben, cy) = (
            PersonKey::random(),
            PersonKey::random(),
            PersonKey::random(),
        );

        // An earlier retro decides two actions, cards in the first column.
        let a = in_tx(db, |tx| {
            start(tx, board, &new_retro("Sprint 1"), 2_000, fac)
        })
        .unwrap();
        refused(
            in_tx(db, |tx| {
                start(tx, board, &new_retro("Sprint 2"), 2_001, fac)
            }),
            "one retro at a time",
        );
        in_tx(db, |tx| set_phase(tx, a, Phase::Decide, 2_100, fac)).unwrap();
        let due = day("2026-03-20");
        let flaky = in_tx(db, |tx| {
            add_action(
                tx,
                a,
                "Fix the flaky test",
                Some("Émile"),
                Some(due),
                2_200,
                fac,
            )
        })
        .unwrap();
        let docs = in_tx(db, |tx| {
            add_action(tx, a, "Write docs", None, None, 2_201, fac)
        })
        .unwrap();
        assert_eq!(read::card(db, flaky).unwrap().column, backlog);
        in_tx(db, |tx| set_phase(tx, a, Phase::Closed, 3_000, fac)).unwrap();
        refused(
            in_tx(db, |tx| set_phase(tx, a, Phase::Vote, 3_001, fac)),
            "is closed",
        );

        // A WIP limit forced past: a fact for the next retro.
        columns::set_wip(db, doing, Some(WipLimit::hard(1))).unwrap();
        let first = NewCard::titled("Hotfix");
        write::add_card(db, doing, &first, None, 3_500, "ana").unwrap();
        write::add_card(db, doing, &first, Some("prod is down"), 3_501, "ana").unwrap();
        let facts = breaches(db, board, 0, 10_000).unwrap();
        assert_eq!(facts.len(), 1);
        assert!(facts[0].forced);
        assert_eq!(facts[0].reason.as_deref(), Some("prod is down"));
        assert_eq!(facts[0].column, "In Progress");
        assert!(breaches(db, board, 3_502, 10_000).unwrap().is_empty());

        let b = in_tx(db, |tx| {
            start(tx, board, &new_retro("Sprint 2"), 5_000, fac)
        })
        .unwrap();
        ensure_team(db, b).unwrap();
        let listed: Vec<RetroId> = retros(db, board).unwrap().iter().map(|r| r.id).collect();
        assert_eq!(listed, [b, a], "newest first");
        let r = retro(db, b).unwrap();
        assert_eq!((r.phase, r.votes, r.revealed), (Phase::Stage, 3, false));
        assert_eq!((r.from, r.to), (day("2026-03-02"), day("2026-03-13")));

        // The safety check: one answer each, counted, no name kept.
        for (key, v) in [(&ana, 4), (&ben, 3), (&cy, 4)] {
            in_tx(db, |tx| answer(tx, b, Poll::Safety, v, "someone", key)).unwrap();
        }
        refused(
            in_tx(db, |tx| answer(tx, b, Poll::Safety, 1, "ana", &ana)),
            "answered this check already",
        );
        refused(
            in_tx(db, |tx| {
                answer(tx, b, Poll::Safety, 0, "ana", &PersonKey::random())
            }),
            "answer with 1 to 4",
        );
        assert!(has_answered(db, b, Poll::Safety, &ana).unwrap());
        assert!(!has_answered(db, b, Poll::Safety, &PersonKey::random()).unwrap());
        refused(
            in_tx(db, |tx| close_poll(tx, b, Poll::Safety, "ana")),
            "only the facilitator",
        );
        in_tx(db, |tx| close_poll(tx, b, Poll::Safety, fac)).unwrap();
        refused(
            in_tx(db, |tx| {
                answer(tx, b, Poll::Safety, 2, "dee", &PersonKey::random())
            }),
            "closed",
        );

        // The earlier actions, reviewed: one done (moved), one dropped.
        in_tx(db, |tx| set_phase(tx, b, Phase::Review, 6_000, fac)).unwrap();
        let pending = to_review(db, b).unwrap();
        assert_eq!(
            pending
                .iter()
                .map(|(x, m)| (x.card, *m))
                .collect::<Vec<_>>(),
            [(flaky, None), (docs, None)]
        );
        assert_eq!(pending[0].0.owner.as_deref(), Some("Émile"));
        assert_eq!(pending[0].0.due, Some(due));
        assert_eq!(pending[0].0.retro_title, "Sprint 1");
        in_tx(db, |tx| {
            review(tx, b, flaky, ActionStatus::Done, 6_100, fac)
        })
        .unwrap();
        in_tx(db, |tx| {
            review(tx, b, docs, ActionStatus::Dropped, 6_101, fac)
        })
        .unwrap();
        refused(
            in_tx(db, |tx| {
                review(tx, b, flaky, ActionStatus::Dropped, 6_102, fac)
            }),
            "marked done already",
        );
        let reviewed = to_review(db, b).unwrap();
        assert_eq!(
            reviewed
                .iter()
                .map(|(x, m)| (x.status, *m))
                .collect::<Vec<_>>(),
            [
                (ActionStatus::Done, Some(ActionStatus::Done)),
                (ActionStatus::Dropped, Some(ActionStatus::Dropped))
            ]
        );

        // Cards, hidden: each finds their own by its claim, no one else's.
        in_tx(db, |tx| set_phase(tx, b, Phase::Gather, 7_000, fac)).unwrap();
        let add = |prompt, text: &str, key: &PersonKey| {
            in_tx(db, |tx| add_card(tx, b, prompt, text, "someone", key))
        };
        add(0, "Deploys are slow", &ana).unwrap();
        add(2, "pairing helped", &ana).unwrap();
        add(0, "deploys are SLOW on Fridays", &ben).unwrap();
        add(1, "Flaky CI", &ben).unwrap();
        let gone = add(1, "oops", &cy).unwrap();
        refused(add(3, "no such prompt", &cy), "has 3 prompts");
        refused(add(0, "   ", &cy), "empty");
        refused(
            in_tx(db, |tx| delete_card(tx, b, gone, "ben", &ben)),
            "not one of yours",
        );
        in_tx(db, |tx| delete_card(tx, b, gone, "cy", &cy)).unwrap();
        let mine: Vec<(usize, String)> = my_cards(db, b, &ana)
            .unwrap()
            .into_iter()
            .map(|c| (c.prompt, c.text))
            .collect();
        assert_eq!(
            mine,
            [
                (0, "Deploys are slow".to_string()),
                (2, "pairing helped".to_string())
            ]
        );
        assert!(my_cards(db, b, &cy).unwrap().is_empty());
        assert_eq!(cards_written(db, b).unwrap(), 4);
        assert!(report(db, b).unwrap().items.is_empty(), "hidden");
        let claimed = "SELECT count(*) FROM retro_cards WHERE retro_id = ?1 AND claim IS NOT NULL";
        assert_eq!(count(db, claimed, b), 4);
        let low_ids = "SELECT count(*) FROM retro_items WHERE retro_id = ?1 AND id < 1000000";
        assert_eq!(count(db, low_ids, b), 0, "items get random ids");

        // Revealed when grouping: no claim left, no card added any more.
        in_tx(db, |tx| set_phase(tx, b, Phase::Group, 8_000, fac)).unwrap();
        assert!(retro(db, b).unwrap().revealed);
        assert_eq!(count(db, claimed, b), 0);
        assert!(my_cards(db, b, &ana).unwrap().is_empty());
        refused(add(0, "late", &ana), "belongs to the Gather phase");
        let items = report(db, b).unwrap().items;
        let labels: Vec<&str> = items.iter().map(Item::label).collect();
        assert_eq!(
            labels,
            [
                "Deploys are slow",
                "deploys are SLOW on Fridays",
                "Flaky CI",
                "pairing helped"
            ],
            "by prompt, then text"
        );
        assert!(items.iter().all(|i| i.votes.is_none()));
        let (slow, fridays, ci) = (items[0].id, items[1].id, items[2].id);
        let theme = in_tx(db, |tx| {
            group(tx, b, &[slow, fridays, slow], "Slow deploys", fac)
        })
        .unwrap();
        assert_eq!(report(db, b).unwrap().items.len(), 3);
        in_tx(db, |tx| split(tx, b, theme, fac)).unwrap();
        assert_eq!(report(db, b).unwrap().items.len(), 4);
        let again = report(db, b).unwrap().items;
        let ids: Vec<ItemId> = again
            .iter()
            .filter(|i| i.prompt() == 0)
            .map(|i| i.id)
            .collect();
        let theme = in_tx(db, |tx| group(tx, b, &ids, "Slow deploys", fac)).unwrap();
        refused(
            in_tx(db, |tx| group(tx, b, &[], "Nothing", fac)),
            "select the cards",
        );

        // Dots: each key's own, within its limit, totals hidden till Discuss.
        in_tx(db, |tx| set_phase(tx, b, Phase::Vote, 9_000, fac)).unwrap();
        let vote_as =
            |key: &PersonKey, item, delta| in_tx(db, |tx| vote(tx, b, item, delta, "someone", key));
        assert_eq!(vote_as(&ana, theme, 2).unwrap(), 2);
        refused(vote_as(&ana, ci, 2), "1 of your 3 votes left");
        assert_eq!(vote_as(&ana, ci, 1).unwrap(), 3);
        let mut expected = vec![(theme, 2), (ci, 1)];
        expected.sort_by_key(|(i, _)| i.0);
        assert_eq!(my_votes(db, b, &ana).unwrap(), expected);
        assert_eq!(vote_as(&ana, theme, -1).unwrap(), 2);
        assert_eq!(votes_used(db, b, &ana).unwrap(), 2);
        assert_eq!(vote_as(&ben, theme, 1).unwrap(), 1);
        refused(vote_as(&ben, ci, -1), "0 votes on that item");
        assert_eq!(votes_used(db, b, &cy).unwrap(), 0);
        let dots = "SELECT count(*) FROM retro_dots WHERE retro_id = ?1";
        assert_eq!(count(db, dots, b), 3);
        assert!(
            report(db, b)
                .unwrap()
                .items
                .iter()
                .all(|i| i.votes.is_none())
        );

        // Discussion: the dots go, the totals show, the top item comes up.
        in_tx(db, |tx| set_phase(tx, b, Phase::Discuss, 10_000, fac)).unwrap();
        assert_eq!(count(db, dots, b), 0);
        let r = retro(db, b).unwrap();
        assert_eq!(r.discussing, Some(theme));
        assert_eq!(r.discuss_started, Some(from_ms(10_000)));
        let votes: Vec<(ItemId, Option<u32>)> = report(db, b)
            .unwrap()
            .items
            .iter()
            .map(|i| (i.id, i.votes))
            .collect();
        assert!(votes.contains(&(theme, Some(2))) && votes.contains(&(ci, Some(1))));
        refused(
            in_tx(db, |tx| set_phase(tx, b, Phase::Vote, 10_001, fac)),
            "does not open again",
        );
        in_tx(db, |tx| discuss(tx, b, ci, 10_100, fac)).unwrap();
        in_tx(db, |tx| set_notes(tx, b, ci, "retry once  \n", fac)).unwrap();
        refused(
            in_tx(db, |tx| set_notes(tx, b, ci, &"x".repeat(5_001), fac)),
            "too long",
        );
        refused(
            in_tx(db, |tx| discuss(tx, b, ItemId(7), 10_101, fac)),
            "no item 7",
        );
        let cache = in_tx(db, |tx| {
            add_action(tx, b, "Cache the build", Some("ben"), None, 10_200, "ben")
        })
        .unwrap();

        // The ROTI, then the close.
        in_tx(db, |tx| set_phase(tx, b, Phase::Close, 11_000, fac)).unwrap();
        for (key, v) in [(&ana, 5), (&ben, 4), (&cy, 4)] {
            in_tx(db, |tx| answer(tx, b, Poll::Roti, v, "someone", key)).unwrap();
        }
        in_tx(db, |tx| set_phase(tx, b, Phase::Closed, 12_000, fac)).unwrap();
        refused(
            in_tx(db, |tx| {
                answer(tx, b, Poll::Roti, 3, "dee", &PersonKey::random())
            }),
            "is closed",
        );
        let rep = report(db, b).unwrap();
        assert_eq!(rep.retro.closed_at, Some(from_ms(12_000)));
        assert_eq!(rep.safety.distribution, Some(vec![0, 0, 1, 2]));
        assert_eq!(rep.roti.distribution, Some(vec![0, 0, 0, 2, 1]));
        let ci_item = rep.items.iter().find(|i| i.id == ci).unwrap();
        assert_eq!(ci_item.notes, "retry once");
        assert_eq!(
            rep.items
                .iter()
                .find(|i| i.id == theme)
                .unwrap()
                .cards
                .len(),
            2
        );
        assert_eq!(
            rep.actions
                .iter()
                .map(|x| (x.card, x.text.as_str(), x.status))
                .collect::<Vec<_>>(),
            [(cache, "Cache the build", ActionStatus::Open)]
        );
        assert_eq!(
            rep.reviewed
                .iter()
                .map(|x| (x.action.card, x.marked))
                .collect::<Vec<_>>(),
            [(flaky, ActionStatus::Done), (docs, ActionStatus::Dropped)]
        );
        assert_eq!(item_of_card(db, &rep, "Flaky CI"), ci);
    });
}

fn item_of_card(db: &dyn Db, rep: &RetroReport, text: &str) -> ItemId {
    let card = rep
        .items
        .iter()
        .flat_map(|i| &i.cards)
        .find(|c| c.text == text)
        .unwrap();
    item_of(db, card.id).unwrap()
}

#[test]
fn a_safety_check_closed_under_its_threshold_reopens_until_the_discussion() {
    on_both(|db| {
        let board = columns::create_board(db, "Team board", 1_000).unwrap();
        let fac = "fac";
        let (ana, ben, cy) = (
            PersonKey::random(),
            PersonKey::random(),
            PersonKey::random(),
        );
        let id = in_tx(db, |tx| start(tx, board, &new_retro("Early"), 2_000, fac)).unwrap();
        for (key, v) in [(&ana, 1), (&ben, 2)] {
            in_tx(db, |tx| answer(tx, id, Poll::Safety, v, "someone", key)).unwrap();
        }
        refused(
            in_tx(db, |tx| reopen_poll(tx, id, Poll::Safety, fac)),
            "the check is open",
        );
        in_tx(db, |tx| close_poll(tx, id, Poll::Safety, fac)).unwrap();
        assert_eq!(report(db, id).unwrap().safety.distribution, None);
        refused(
            in_tx(db, |tx| reopen_poll(tx, id, Poll::Safety, "ana")),
            "only the facilitator",
        );
        // Moved on to Gather, the facilitator reopens it; a third answer
        // comes in, and closed again it shows.
        in_tx(db, |tx| set_phase(tx, id, Phase::Gather, 2_100, fac)).unwrap();
        in_tx(db, |tx| reopen_poll(tx, id, Poll::Safety, fac)).unwrap();
        assert!(!retro(db, id).unwrap().safety_closed);
        refused(
            in_tx(db, |tx| answer(tx, id, Poll::Safety, 3, "ana", &ana)),
            "answered this check already",
        );
        in_tx(db, |tx| answer(tx, id, Poll::Safety, 4, "cy", &cy)).unwrap();
        in_tx(db, |tx| close_poll(tx, id, Poll::Safety, fac)).unwrap();
        let shown = report(db, id).unwrap().safety;
        assert_eq!(shown.distribution, Some(vec![1, 1, 0, 1]));
        // Its result was seen: it stays closed.
        refused(
            in_tx(db, |tx| reopen_poll(tx, id, Poll::Safety, fac)),
            "result was shown",
        );
        // Below the threshold again in another retro, but at Discuss: too late.
        in_tx(db, |tx| set_phase(tx, id, Phase::Closed, 3_000, fac)).unwrap();
        let late = in_tx(db, |tx| start(tx, board, &new_retro("Late"), 4_000, fac)).unwrap();
        in_tx(db, |tx| set_phase(tx, late, Phase::Discuss, 4_100, fac)).unwrap();
        assert!(
            retro(db, late).unwrap().safety_closed,
            "the discussion closes it"
        );
        refused(
            in_tx(db, |tx| reopen_poll(tx, late, Poll::Safety, fac)),
            "before Discuss",
        );
        refused(
            in_tx(db, |tx| reopen_poll(tx, late, Poll::Roti, fac)),
            "does not reopen",
        );
    });
}
