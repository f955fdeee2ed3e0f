//! Phase rules, vote limits and what polls may show.

use chrono::TimeZone;

use super::*;

fn retro(phase: Phase) -> Retro {
    Retro {
        id: RetroId(1),
        title: "Sprint 24 retro".into(),
        format: format::built_in().remove(0),
        phase,
        facilitator: "ana".into(),
        votes: 3,
        safety: SafetyKind::Esvp,
        safety_closed: false,
        roti_closed: false,
        revealed: false,
        sprint: None,
        from: NaiveDate::from_ymd_opt(2026, 11, 10).unwrap(),
        to: NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
        started_at: Utc.with_ymd_and_hms(2026, 11, 24, 14, 0, 0).unwrap(),
        closed_at: None,
        discussing: None,
        discuss_started: None,
        discuss_minutes: DEFAULT_DISCUSS_MINUTES,
    }
}

#[test]
fn phases_run_in_order_and_end_closed() {
    let mut p = Phase::Stage;
    let mut seen = vec![p];
    while p != Phase::Closed {
        p = p.next();
        seen.push(p);
    }
    assert_eq!(seen.len(), 10);
    assert_eq!(Phase::Gather.prev(), Phase::Facts);
    assert_eq!(Phase::Stage.prev(), Phase::Stage);
    assert_eq!(Phase::parse("Vote"), Some(Phase::Vote));
    assert_eq!(Phase::parse("set the stage"), Some(Phase::Stage));
    assert_eq!(Phase::parse("later"), None);
}

#[test]
fn only_the_facilitator_moves_the_meeting() {
    let r = retro(Phase::Gather);
    assert!(check(&r, "ana", Move::Advance).is_ok());
    let e = check(&r, "ben", Move::Advance).unwrap_err().to_string();
    assert!(e.contains("only the facilitator (ana)"), "{e}");
    assert!(check(&r, "ben", Move::Reveal).is_err());
    assert!(check(&r, "ben", Move::AddCard).is_ok());
}

#[test]
fn each_phase_allows_its_own_moves() {
    let cases = [
        (Move::AddCard, Phase::Gather),
        (Move::Group, Phase::Group),
        (Move::Vote, Phase::Vote),
        (Move::AddAction, Phase::Decide),
        (Move::Answer(Poll::Roti), Phase::Close),
    ];
    for (m, allowed) in cases {
        for phase in Phase::ALL {
            let ok = check(&retro(phase), "ben", m).is_ok();
            let expected = phase == allowed || (m == Move::AddAction && phase == Phase::Discuss);
            assert_eq!(ok, expected, "{m:?} in {phase:?}");
        }
    }
    let closed = retro(Phase::Closed);
    assert!(check(&closed, "ana", Move::Advance).is_err());
    // The safety check is answered, and reopened, until the discussion.
    for phase in Phase::ALL {
        let before = phase < Phase::Discuss;
        let r = retro(phase);
        assert_eq!(check(&r, "ben", Move::Answer(Poll::Safety)).is_ok(), before);
        assert_eq!(
            check(&r, "ana", Move::ClosePoll(Poll::Safety)).is_ok(),
            before
        );
        assert_eq!(
            check(&r, "ana", Move::ReopenPoll(Poll::Safety)).is_ok(),
            before
        );
        assert!(check(&r, "ben", Move::ReopenPoll(Poll::Safety)).is_err());
        assert!(check(&r, "ana", Move::ReopenPoll(Poll::Roti)).is_err());
    }
}

#[test]
fn a_check_reopens_only_if_closed_and_its_result_was_never_shown() {
    let mut r = retro(Phase::Gather);
    assert!(check_reopen(&r, Poll::Safety, 2).is_err(), "it is open");
    r.safety_closed = true;
    assert!(check_reopen(&r, Poll::Safety, 2).is_ok());
    let e = check_reopen(&r, Poll::Safety, 3).unwrap_err().to_string();
    assert!(e.contains("result was shown"), "{e}");
}

#[test]
fn votes_stay_within_the_limit_and_only_your_own_come_back() {
    assert_eq!(check_vote(0, 1, 3, 0), Ok(1));
    assert_eq!(check_vote(1, 2, 3, 0), Ok(3), "several on one item");
    let e = check_vote(3, 1, 3, 0).unwrap_err().to_string();
    assert!(e.contains("0 of your 3 votes left"), "{e}");
    assert!(check_vote(2, 2, 3, 0).is_err());
    assert_eq!(check_vote(2, -1, 3, 1), Ok(1));
    assert!(check_vote(2, -2, 3, 1).is_err(), "only one of yours there");
    let e = check_vote(0, -1, 3, 0).unwrap_err().to_string();
    assert!(e.contains("0 votes on that item"), "{e}");
}

#[test]
fn voting_once_closed_stays_closed_and_revealed_cards_are_not_gathered_again() {
    let mut r = retro(Phase::Discuss);
    r.revealed = true;
    assert!(check_phase_change(&r, Phase::Vote, true).is_err());
    assert!(check_phase_change(&r, Phase::Decide, true).is_ok());
    let mut r = retro(Phase::Vote);
    r.revealed = true;
    assert!(check_phase_change(&r, Phase::Group, true).is_err());
    assert!(check_phase_change(&r, Phase::Group, false).is_ok());
    assert!(check_phase_change(&r, Phase::Gather, false).is_err());
    assert!(check_phase_change(&retro(Phase::Facts), Phase::Stage, false).is_ok());
}

#[test]
fn a_poll_shows_its_distribution_only_when_closed_with_three_answers() {
    let open = PollView::of(&[1, 2, 2, 4], 4, false);
    assert_eq!(open.answers, 4);
    assert_eq!(open.distribution, None, "never live");
    let two = PollView::of(&[1, 2], 4, true);
    assert_eq!(
        two.distribution, None,
        "two answers would give each other away"
    );
    let three = PollView::of(&[1, 2, 2], 4, true);
    assert_eq!(three.distribution, Some(vec![1, 2, 0, 0]));
    assert!((three.mean().unwrap() - 5.0 / 3.0).abs() < 1e-9);
}

#[test]
fn items_are_discussed_most_voted_first() {
    let item = |id: i64, votes: u32| Item {
        id: ItemId(id),
        title: None,
        cards: vec![RetroCard {
            id,
            prompt: 0,
            text: format!("card {id}"),
        }],
        votes: Some(votes),
        notes: String::new(),
    };
    let mut items = vec![item(1, 2), item(2, 5), item(3, 2), item(4, 0)];
    discussion_order(&mut items);
    let order: Vec<i64> = items.iter().map(|i| i.id.0).collect();
    assert_eq!(order, vec![2, 1, 3, 4]);
}

#[test]
fn suggested_votes_follow_the_third_of_the_items_rule() {
    assert_eq!(suggested_votes(4), 3);
    assert_eq!(suggested_votes(12), 4);
    assert_eq!(suggested_votes(30), 5);
}
