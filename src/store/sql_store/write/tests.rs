//! The board's writes and reads give the same answers on both engines.

use super::*;
use crate::domain::{CardFilter, ColumnKind, EventKind, WipLimit};
use crate::store::Window;
use crate::store::sql::testing::on_both;
use crate::store::sql_store::{columns, flow, read};

#[test]
fn a_board_is_written_and_read_alike_on_both_engines() {
    on_both(|db| {
        let board = columns::create_board(db, "Team board", 1_000).unwrap();
        let b = read::board(db).unwrap();
        assert_eq!(b.id, board);
        let names: Vec<&str> = b.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["Backlog", "To Do", "In Progress", "Review", "Done"]);
        let (todo, doing, review) = (b.columns[1].id, b.columns[2].id, b.columns[3].id);

        let first = NewCard {
            title: "Émile's login page".into(),
            assignee: Some("Émile".into()),
            tags: vec!["ux".into(), "api".into(), "ux".into()],
            points: Some(3),
            ..NewCard::default()
        };
        let a = add_card(db, todo, &first, None, 2_000, "ana").unwrap();
        let b2 = add_card(db, todo, &NewCard::titled("Second"), None, 2_001, "ana").unwrap();
        assert!(a.event > 0 && b2.event > a.event, "events get growing ids");

        // A move lands on top; the WIP limit counts and refuses past it.
        move_card(db, b2.card, doing, None, 3_000, "ben").unwrap();
        move_card(db, a.card, doing, None, 3_001, "ben").unwrap();
        let pages = read::board_pages(
            db,
            &read::board(db).unwrap(),
            &CardFilter::default(),
            &[Window {
                offset: 0,
                limit: 10,
            }; 5],
        )
        .unwrap();
        let doing_ids: Vec<CardId> = pages[2].cards.iter().map(|c| c.id).collect();
        assert_eq!(doing_ids, [a.card, b2.card], "the newest arrival on top");
        assert_eq!(pages[2].count, 2);
        assert_eq!(
            pages[2].cards[0].tags,
            ["api", "ux"],
            "tags sorted, once each"
        );

        reorder_card(db, a.card, 1).unwrap();
        let list = read::list_cards(db, &read::board(db).unwrap(), Some(doing)).unwrap();
        assert_eq!(
            list.iter().map(|c| c.id).collect::<Vec<_>>(),
            [b2.card, a.card]
        );

        set_wip(db, review, 1);
        move_card(db, a.card, review, None, 4_000, "ben").unwrap();
        let refused = move_card(db, b2.card, review, None, 4_001, "ben");
        assert!(refused.is_err(), "a hard limit refuses");
        let forced = move_card(db, b2.card, review, Some("prod is down"), 4_002, "ben").unwrap();
        explain_breach(db, forced.event, "prod is down, paged").unwrap();

        // A filter folds case on both engines, in titles, people and tags.
        let matching = |text: &str| {
            read::board_pages(
                db,
                &read::board(db).unwrap(),
                &CardFilter::parse(text),
                &[Window {
                    offset: 0,
                    limit: 10,
                }; 5],
            )
            .unwrap()
            .iter()
            .map(|p| p.matching)
            .sum::<u32>()
        };
        assert_eq!(matching("émile"), 1);
        assert_eq!(matching("LOGIN"), 1);
        assert_eq!(matching("UX"), 1);
        assert_eq!(matching("100%"), 0, "a wildcard is text");
        assert_eq!(
            matching(&b2.card.0.to_string()),
            1,
            "a number is a card's id"
        );

        update_card(
            db,
            a.card,
            &CardPatch {
                points: Some(Some(5)),
                title: Some("Login page".into()),
                ..CardPatch::default()
            },
            5_000,
            "ana",
        )
        .unwrap();
        set_blocked(db, a.card, Some("waiting on design"), 5_001, "ana").unwrap();
        assert!(set_blocked(db, a.card, Some("again"), 5_002, "ana").is_err());
        archive_card(db, b2.card, 6_000, "ana").unwrap();
        assert!(live_card(db, b2.card).is_err());
        assert!(
            restore_card(db, b2.card, 6_001, "ana").is_err(),
            "a restore is an entry the limit counts"
        );
        set_wip(db, review, 2);
        restore_card(db, b2.card, 6_002, "ana").unwrap();

        let card = read::card(db, a.card).unwrap();
        assert_eq!(card.title, "Login page");
        assert_eq!(card.points, Some(5));
        assert_eq!(card.blocked.as_deref(), Some("waiting on design"));
        let kinds: Vec<EventKind> = read::card_history(db, a.card)
            .unwrap()
            .iter()
            .map(|e| e.kind)
            .collect();
        assert_eq!(
            kinds,
            [
                EventKind::Created,
                EventKind::Moved,
                EventKind::Moved,
                EventKind::Estimated,
                EventKind::Blocked
            ]
        );
        let history = read::card_history(db, b2.card).unwrap();
        let forced = history
            .iter()
            .find(|e| e.to_column == Some(review))
            .unwrap();
        assert_eq!(
            forced.breach,
            Some(crate::domain::Breach::Forced {
                reason: "prod is down, paged".into()
            })
        );
        assert_eq!(history.last().unwrap().kind, EventKind::Restored);

        // The flow history sees every entry, and a column that is gone.
        columns::add_column(db, board, "Parked", ColumnKind::Backlog, None).unwrap();
        let parked = read::board(db).unwrap().columns.last().unwrap().id;
        assert!(columns::add_column(db, board, "Parked", ColumnKind::Backlog, None).is_err());
        columns::delete_column(db, parked, 7_000).unwrap();
        let h = flow::history(db, &read::board(db).unwrap()).unwrap();
        assert_eq!(h.columns.len(), 6);
        assert!(!h.columns.last().unwrap().live);
        assert_eq!(h.events.len(), 9, "every event but the re-estimate");
        let titles = flow::titles(db, &[a.card, b2.card]).unwrap();
        assert_eq!(titles[&a.card], "Login page");
    });
}

fn set_wip(db: &dyn Db, column: ColumnId, limit: u32) {
    columns::set_wip(db, column, Some(WipLimit::hard(limit))).unwrap();
}
