//! Scoring, thresholds and the rules a pulse's answers and close follow.

use super::*;

fn edmondson() -> Instrument {
    Instrument::edmondson().unwrap()
}

#[test]
fn edmondsons_items_ship_as_published_with_1_3_and_5_reversed() {
    let i = edmondson();
    assert_eq!(i.items.len(), 7);
    assert_eq!(i.scale, 7);
    assert_eq!(
        i.items[0].text,
        "If you make a mistake on this team, it is often held against you."
    );
    assert_eq!(i.items[3].text, "It is safe to take a risk on this team.");
    assert_eq!(
        i.items[6].text,
        "Working with members of this team, my unique skills and talents are valued and utilized."
    );
    let reversed: Vec<usize> = (0..7)
        .filter(|&k| i.items[k].reverse)
        .map(|k| k + 1)
        .collect();
    assert_eq!(reversed, vec![1, 3, 5]);
    assert_eq!(i.labels[0], "Strongly disagree");
    assert_eq!(i.labels[6], "Strongly agree");
}

#[test]
fn scores_reverse_items_and_average_people_then_the_team() {
    let i = edmondson();
    // Worked by hand. Person A: 2 6 1 5 3 6 7 → reversed 1,3,5 give
    // 6 6 7 5 5 6 7 = 42 / 7 = 6.0.
    let a = vec![2, 6, 1, 5, 3, 6, 7];
    assert_eq!(i.person_score(&a), 6.0);
    // Person B: 7 1 7 1 7 1 1 → 1 1 1 1 1 1 1 = 1.0 (no safety at all).
    let b = vec![7, 1, 7, 1, 7, 1, 1];
    assert_eq!(i.person_score(&b), 1.0);
    // Person C: 4 everywhere → 4.0.
    let c = vec![4; 7];
    let r = results(&i, &[a, b, c], Vec::new(), 5, 1);
    assert_eq!(r.score, round2((6.0 + 1.0 + 4.0) / 3.0));
    assert_eq!(r.distribution.0, vec![1, 0, 0, 1, 0, 1, 0]);
    // Item 1 (reverse): raw 2, 7, 4 → mean 4.33; scored 6, 1, 4 → 3.67.
    assert_eq!(r.items[0].mean, 4.33);
    assert_eq!(r.items[0].scored_mean, 3.67);
    assert!(r.items[0].reverse);
    assert_eq!(r.items[0].distribution.0, vec![0, 1, 0, 1, 0, 0, 1]);
}

#[test]
fn a_five_point_pulse_reverses_around_three() {
    let text = "id = \"quick\"\nname = \"Quick\"\nscale = 5\nfree_text = \"Anything else?\"\n[[items]]\ntext = \"I can say no.\"\n[[items]]\ntext = \"I feel judged.\"\nreverse = true\n";
    let i = Instrument::parse(text, "quick.toml").unwrap();
    assert_eq!(i.labels.len(), 5);
    assert_eq!(i.scored(1, 2), 4);
    assert_eq!(i.person_score(&[5, 1]), 5.0);
    assert!(i.check(&[5]).is_err());
    assert!(i.check(&[5, 6]).is_err());
    assert!(i.check(&[5, 1]).is_ok());
    assert!(
        Instrument::parse(
            "id = \"x\"\nname = \"x\"\nscale = 4\n[[items]]\ntext = \"a\"\n",
            "four.toml"
        )
        .is_err()
    );
}

#[test]
fn a_teams_file_cannot_take_the_published_scales_name() {
    let fake = "id = \"edmondson\"\nname = \"Mine\"\nscale = 5\n[[items]]\ntext = \"Changed\"\n"
        .to_string();
    let (all, problems) = Instrument::all(&[("fake.toml".into(), fake)]);
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].items.len(), 7, "the published wording stays");
    assert!(problems[0].contains("published scale"), "{problems:?}");
}

#[test]
fn a_stored_instrument_that_does_not_add_up_takes_no_answers() {
    let mut broken = edmondson();
    broken.scale = 0;
    let broken = broken.checked();
    assert!(broken.items.is_empty());
    assert!(broken.check(&[]).is_err());
    let r = results(&broken, &[vec![9, 9]], Vec::new(), 5, 1);
    assert_eq!(r.responses, 0);
}

#[test]
fn thresholds_never_go_below_three() {
    assert!(check_threshold(2).is_err());
    assert_eq!(check_threshold(3), Ok(3));
    assert_eq!(check_threshold(5), Ok(5));
}

#[test]
fn results_wait_for_the_close_and_the_threshold() {
    let mut p = Pulse {
        responses: 5,
        ..open_pulse()
    };
    assert!(p.results_refused(at(9, 21)).unwrap().contains("still open"));
    // Over by this clock, but not recorded: a clock set ahead reads
    // nothing early.
    assert!(p.results_refused(at(9, 22)).unwrap().contains("closing"));
    assert!(p.is_closed(at(9, 22)), "no answer is taken after its day");
    p.closed = Some(day(9));
    assert!(p.results_refused(at(9, 22)).is_none(), "recorded: shown");
    p.responses = 3;
    let refused = p.results_refused(at(10, 9)).unwrap();
    assert!(
        refused.contains("3 responses, below this pulse's threshold of 5"),
        "{refused}"
    );
    p.closes = None;
    p.closes_at = None;
    p.closed = Some(day(4));
    p.responses = 5;
    assert!(p.results_refused(at(4, 12)).is_none());
}

#[test]
fn comments_hide_below_their_own_threshold_and_come_shuffled() {
    let i = edmondson();
    let subs = vec![vec![4; 7]; 5];
    let few = results(&i, &subs, vec!["a".into(), "b".into()], 5, 1);
    assert!(few.comments.is_empty());
    assert_eq!(few.comment_count, 2);
    let many: Vec<String> = (0..6).map(|k| format!("c{k}")).collect();
    let r = results(&i, &subs, many.clone(), 5, 7);
    assert_eq!(r.comments.len(), 6);
    assert_ne!(r.comments, many, "not in the order they came");
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

fn at(d: u32, h: u32) -> DateTime<Utc> {
    chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 11, d, h, 0, 0).unwrap()
}

/// Ana's pulse, opened on the 2nd, its last day the 9th: opened in UTC+2,
/// so the 9th ends at 22:00 UTC.
fn open_pulse() -> Pulse {
    Pulse {
        id: PulseId(1),
        title: "November".into(),
        instrument: Instrument {
            free_text: Some("Anything else?".into()),
            ..edmondson()
        },
        opened_by: "ana".into(),
        opened: day(2),
        closes: Some(day(9)),
        closes_at: Some(at(9, 22)),
        closed: None,
        min_responses: 5,
        min_comments: 5,
        responses: 4,
    }
}

fn refusal(r: Result<impl std::fmt::Debug, DomainError>) -> String {
    r.unwrap_err().to_string()
}

#[test]
fn a_new_pulse_may_close_today_or_later_but_not_on_a_day_past() {
    assert!(check_closes(None, day(4)).is_ok());
    assert!(check_closes(Some(day(4)), day(4)).is_ok());
    assert!(check_closes(Some(day(5)), day(4)).is_ok());
    assert_eq!(
        refusal(check_closes(Some(day(3)), day(4))),
        "2026-11-03 is already past"
    );
}

#[test]
fn a_pulse_is_closed_by_hand_or_once_its_last_day_is_over() {
    let mut p = open_pulse();
    assert!(check_not_closed(&p, at(9, 21)).is_ok());
    assert_eq!(
        refusal(check_not_closed(&p, at(9, 22))),
        "\"November\" is closed"
    );
    p.closed = Some(day(5));
    assert!(check_not_closed(&p, at(5, 9)).is_err());
}

#[test]
fn a_response_fits_the_instrument_and_keeps_its_free_text_only_where_asked() {
    let mut p = open_pulse();
    let now = at(4, 9);
    let answers = [4; 7];
    assert_eq!(
        check_response(&p, now, &answers, Some("  We ship on Fridays  ")),
        Ok(Some("We ship on Fridays".into()))
    );
    assert_eq!(check_response(&p, now, &answers, Some("   ")), Ok(None));
    assert_eq!(
        refusal(check_response(&p, now, &[4; 6], None)),
        "answer all 7 items"
    );
    assert_eq!(
        refusal(check_response(&p, now, &[8; 7], None)),
        "8 is not on the scale of 1 to 7"
    );
    assert_eq!(
        refusal(check_response(&p, at(10, 9), &answers, None)),
        "\"November\" is closed"
    );
    p.instrument.free_text = None;
    assert_eq!(check_response(&p, now, &answers, None), Ok(None));
    assert_eq!(
        refusal(check_response(&p, now, &answers, Some("Hello"))),
        "this pulse asks no free-text question"
    );
}

#[test]
fn each_person_responds_once() {
    let p = open_pulse();
    assert!(check_first_response(&p, false).is_ok());
    assert_eq!(
        refusal(check_first_response(&p, true)),
        "you have responded to \"November\" already: once each"
    );
}

#[test]
fn only_whoever_opened_a_pulse_closes_it_by_hand_and_only_while_open() {
    let mut p = open_pulse();
    assert!(check_close(&p, at(4, 9), "ana").is_ok());
    assert_eq!(
        refusal(check_close(&p, at(4, 9), "ben")),
        "only whoever opened it (ana) closes a pulse by hand"
    );
    assert_eq!(
        refusal(check_close(&p, at(9, 22), "ana")),
        "\"November\" is closed already"
    );
    // Who asks comes first: a stranger is told whose close it is.
    p.closed = Some(day(5));
    assert!(refusal(check_close(&p, at(6, 9), "ben")).contains("(ana)"));
}

#[test]
fn results_show_once_the_close_is_recorded_with_enough_usable_answers() {
    let mut p = open_pulse();
    assert!(refusal(check_results_shown(&p, at(4, 9))).contains("still open"));
    p.closed = Some(day(9));
    p.responses = 5;
    assert!(check_results_shown(&p, at(10, 9)).is_ok());
    let i = edmondson();
    let five = results(&i, &vec![vec![4; 7]; 5], Vec::new(), 5, 1);
    assert!(check_usable(&five, 5).is_ok());
    // One answer off the scale (a file edited by hand) does not count.
    let mut subs = vec![vec![4; 7]; 4];
    subs.push(vec![9; 7]);
    let four = results(&i, &subs, Vec::new(), 5, 1);
    assert_eq!(
        refusal(check_usable(&four, 5)),
        "4 usable responses, below this pulse's threshold of 5: no results are shown, so no one's answers can be told"
    );
}
