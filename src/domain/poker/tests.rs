use super::*;

fn at(s: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(s, 0).unwrap()
}

fn card(state: CardState, revealed: bool) -> RoundCard {
    RoundCard {
        card: CardId(7),
        title: "Export".into(),
        description: String::new(),
        state,
        vote: 1,
        revealed,
        since: Some(at(100)),
        accepted: None,
    }
}

fn round(revealed: bool) -> Round {
    Round {
        id: RoundId(1),
        facilitator: "ana".into(),
        deck: Deck::fibonacci(),
        timebox: None,
        started_at: at(100),
        closed_at: None,
        cards: vec![card(CardState::Voting, revealed)],
        joined: vec!["ana".into(), "ben".into()],
        picks: Vec::new(),
    }
}

fn pick(person: &str, value: &str) -> Pick {
    Pick {
        person: person.into(),
        value: Some(value.into()),
    }
}

#[test]
fn the_built_in_decks_are_the_four_the_team_knows() {
    let decks = Deck::built_in();
    let ids: Vec<&str> = decks.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["fibonacci", "modified", "tshirt", "powers"]);
    assert_eq!(
        decks[0].labels(),
        ["0", "1", "2", "3", "5", "8", "13", "21", "?", "coffee"]
    );
    assert_eq!(
        &decks[1].labels()[..11],
        ["0", "½", "1", "2", "3", "5", "8", "13", "20", "40", "100"]
    );
    assert_eq!(&decks[2].labels()[..6], ["XS", "S", "M", "L", "XL", "XXL"]);
    assert_eq!(decks[2].points_of("l").unwrap(), ("L".to_string(), 5));
    assert_eq!(
        decks[3].labels()[..8],
        ["0", "1", "2", "4", "8", "16", "32", "64"]
    );
}

#[test]
fn a_pick_takes_a_value_of_the_deck_only_while_the_vote_is_open() {
    let r = round(false);
    assert_eq!(check_pick(&r, " 8 ", at(101)).unwrap(), "8");
    assert_eq!(check_pick(&r, "COFFEE", at(101)).unwrap(), "coffee");
    let e = check_pick(&r, "4", at(101)).unwrap_err().to_string();
    assert!(e.contains("'4' is not in the Fibonacci deck"), "{e}");
    let e = check_pick(&round(true), "8", at(101))
        .unwrap_err()
        .to_string();
    assert!(e.contains("revealed"), "{e}");
    let mut closed = round(false);
    closed.closed_at = Some(at(200));
    assert!(
        check_pick(&closed, "8", at(201))
            .unwrap_err()
            .to_string()
            .contains("over")
    );
    let mut boxed = round(false);
    boxed.timebox = Some(60);
    assert!(check_pick(&boxed, "8", at(159)).is_ok());
    let e = check_pick(&boxed, "8", at(160)).unwrap_err().to_string();
    assert!(e.contains("timebox is over"), "{e}");
    assert_eq!(boxed.seconds_left(at(130)), Some(30));
    assert_eq!(boxed.seconds_left(at(999)), Some(0));
}

#[test]
fn only_the_facilitator_reveals_re_votes_and_accepts_and_in_order() {
    let hidden = round(false);
    let shown = round(true);
    assert!(check_reveal(&hidden, "ana").is_ok());
    let e = check_reveal(&hidden, "ben").unwrap_err().to_string();
    assert!(e.contains("only ana"), "{e}");
    assert!(check_reveal(&shown, "ana").is_err());
    assert!(check_revote(&hidden, "ana").is_err());
    assert!(check_revote(&shown, "ana").is_ok());
    assert!(check_revote(&shown, "ben").is_err());
    let e = check_accept(&hidden, "ana", "5").unwrap_err().to_string();
    assert!(e.contains("reveal them first"), "{e}");
    assert_eq!(check_accept(&shown, "ana", "5").unwrap(), ("5".into(), 5));
    assert!(check_accept(&shown, "ben", "5").is_err());
    let e = check_accept(&shown, "ana", "?").unwrap_err().to_string();
    assert!(e.contains("not an estimate"), "{e}");
    let mut modified = round(true);
    modified.deck = Deck::built_in().swap_remove(1);
    let e = check_accept(&modified, "ana", "1/2")
        .unwrap_err()
        .to_string();
    assert!(e.contains("accept 0 or 1"), "{e}");
    assert!(check_end(&hidden, "ben").is_err());
    assert!(check_end(&hidden, "ana").is_ok());
}

#[test]
fn the_tally_names_the_highest_and_lowest_and_leaves_out_no_estimates() {
    let deck = Deck::fibonacci();
    let picks = vec![
        pick("ana", "5"),
        pick("ben", "13"),
        pick("chloe", "5"),
        pick("dev", "?"),
        pick("eli", "2"),
        pick("fay", "13"),
    ];
    let t = tally(&deck, &picks);
    assert_eq!(t.lowest, Some(("2".into(), vec!["eli".into()])));
    assert_eq!(
        t.highest,
        Some(("13".into(), vec!["ben".into(), "fay".into()]))
    );
    assert!(!t.agreed);
    let order: Vec<&str> = t.values.iter().map(|(v, _)| v.as_str()).collect();
    assert_eq!(order, ["2", "5", "13", "?"], "the deck's order");
    let same = tally(
        &deck,
        &[pick("ana", "3"), pick("ben", "3"), pick("dev", "coffee")],
    );
    assert!(same.agreed);
    let none = tally(&deck, &[pick("ana", "?")]);
    assert_eq!(none.highest, None);
    assert!(!none.agreed);
}

#[test]
fn everyone_is_who_joined_and_has_the_board_open() {
    let joined = vec!["ana".to_string(), "ben".into(), "chloe".into()];
    let present = vec!["ana".to_string(), "ben".into(), "zoe".into()];
    assert!(!everyone_picked(&joined, &present, &["ana".into()]));
    assert!(everyone_picked(
        &joined,
        &present,
        &["ana".into(), "ben".into()]
    ));
    assert!(
        !everyone_picked(&joined, &[], &["ana".into()]),
        "no one here"
    );
}

#[test]
fn a_round_needs_cards_once_each_and_a_sane_timebox() {
    assert!(check_start(&[], None).is_err());
    assert!(check_start(&[CardId(1), CardId(1)], None).is_err());
    assert!(check_start(&[CardId(1)], Some(0)).is_err());
    assert!(check_start(&[CardId(1)], Some(MAX_TIMEBOX_SECS + 1)).is_err());
    assert!(check_start(&[CardId(1), CardId(2)], Some(120)).is_ok());
}

#[test]
fn a_team_deck_is_read_checked_and_cannot_take_a_built_in_id() {
    let text = "id = \"hours\"\nname = \"Ideal hours\"\nvalues = [\"1\", \"2\", \"4\", \"half-day\", \"?\"]\n[points]\nhalf-day = 4\n";
    let (all, problems) = Deck::all(&[
        ("hours.toml".into(), text.into()),
        (
            "fib.toml".into(),
            "id = \"fibonacci\"\nname = \"Mine\"\nvalues = [\"1\", \"2\"]\n".into(),
        ),
        (
            "bad.toml".into(),
            "id = \"Bad Id\"\nname = \"x\"\nvalues = [\"1\", \"2\"]\n".into(),
        ),
    ]);
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].contains("built-in deck"));
    assert!(problems[1].starts_with("bad.toml"));
    let hours = Deck::named(&all, "hours").unwrap();
    assert_eq!(hours.points_of("half-day").unwrap().1, 4);
    assert_eq!(hours.points_of("4").unwrap().1, 4);
    assert_eq!(Deck::named(&all, "fibonacci").unwrap().name, "Fibonacci");
    let e = Deck::named(&all, "nope").unwrap_err().to_string();
    assert!(
        e.contains("decks: fibonacci, modified, tshirt, powers, hours"),
        "{e}"
    );
    let e = Deck::parse(
        "id = \"x\"\nname = \"X\"\nvalues = [\"1\", \"1\"]\n",
        "x.toml",
    );
    assert!(e.unwrap_err().to_string().contains("twice"));
}
