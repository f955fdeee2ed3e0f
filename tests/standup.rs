//! The Standup tab driven by keys on ratatui's TestBackend, with a fixed
//! clock advanced by hand, over real temporary SQLite files.

use chrono::{DateTime, Duration, TimeZone, Utc};
use ratatui::crossterm::event::KeyCode;
use ratatui::style::Color;
use teamloop::domain::standup::{ItemKind, StandupFormat, StandupSettings};
use teamloop::domain::{CardId, NewCard};
use teamloop::store::{SqliteStore, StandupStore, Store};
use teamloop::ui::App;

mod common;

use common::{keys, press, render, screen, status_line};

/// Wednesday 25 November 2026, 09:30 UTC.
fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 9, 30, 0).unwrap()
}

use common::clocked::Clocked as Fixture;

fn fixture() -> Fixture {
    Fixture::new("standup.db", start() - Duration::days(3))
}

/// The app on the Standup tab at 09:30 on the day.
fn standup_app(f: &Fixture) -> App {
    f.clock.set(start());
    let mut app = App::new(Box::new(f.store()), 120, 40);
    keys(&mut app, "4");
    app
}

fn settings(f: &Fixture, format: StandupFormat, minutes: u32, turn: Option<u32>) {
    let mut s = f.store();
    let board = s.board().unwrap().id;
    s.set_standup_settings(
        board,
        StandupSettings {
            format,
            minutes,
            turn_seconds: turn,
        },
    )
    .unwrap();
}

fn add(s: &mut SqliteStore, column: &str, title: &str, who: Option<&str>, tags: &[&str]) -> CardId {
    let board = s.board().unwrap();
    let col = board.column_named(column).unwrap().id;
    let card = NewCard {
        assignee: who.map(str::to_string),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        ..NewCard::titled(title)
    };
    s.add_card(col, card, None).unwrap().card
}

/// Work in progress three days old: one card in Review, two in progress
/// (one blocked), one waiting in To Do; an open action item.
fn team(f: &Fixture) -> [CardId; 4] {
    let mut s = f.store();
    let review = add(&mut s, "Review", "Rate limiter", Some("ben"), &[]);
    let old = add(&mut s, "In Progress", "Invoice PDFs", Some("ana"), &[]);
    f.clock.advance(Duration::days(1));
    let newer = add(&mut s, "In Progress", "Retry webhooks", Some("chloe"), &[]);
    s.set_blocked(newer, Some("waiting on the payments team"))
        .unwrap();
    add(&mut s, "To Do", "Dark mode", None, &[]);
    f.clock.advance(Duration::days(1));
    let action = add(
        &mut s,
        "To Do",
        "Pair on reviews older than two days",
        Some("dev"),
        &["action"],
    );
    [review, old, newer, action]
}

#[test]
fn walking_the_board_goes_right_to_left_blocked_first_and_lists_open_actions() {
    let f = fixture();
    let [review, old, newer, action] = team(&f);
    let app = standup_app(&f);
    let text = screen(&app);
    let at = |needle: &str| {
        text.find(needle)
            .unwrap_or_else(|| panic!("{needle} missing:\n{text}"))
    };
    // Review first, then In Progress with the blocked card before the older one.
    assert!(at(&format!("▶ {review} Rate limiter")) < at(&format!("BLOCKED {newer} Retry")));
    assert!(at(&format!("BLOCKED {newer} Retry")) < at(&format!("{old} Invoice PDFs")));
    assert!(text.contains("Open action items · 1"), "{text}");
    assert!(
        text.contains(&format!("{action} Pair on reviews")),
        "{text}"
    );
    assert!(text.contains("1d open"), "{text}");
    assert!(text.contains("15:00 left of 15:00"), "{text}");
    assert!(text.contains("not started: Space starts it"), "{text}");
    // Only the work in progress is walked when there is no sprint.
    assert!(!text.contains("Dark mode"), "{text}");
}

#[test]
fn the_timer_starts_pauses_and_keeps_its_time_on_the_record() {
    let f = fixture();
    team(&f);
    let mut app = standup_app(&f);
    keys(&mut app, " ");
    let s = f.store();
    let board = s.board().unwrap().id;
    let saved = s.past_standups(board, 5).unwrap();
    assert_eq!(saved.len(), 1, "Space starts and records the standup");
    assert_eq!(saved[0].attendees, vec!["ana", "ben", "chloe"]);
    f.clock.advance(Duration::seconds(60));
    assert!(app.tick(), "a running timer redraws");
    assert!(screen(&app).contains("14:00 left of 15:00"));
    keys(&mut app, " ");
    assert!(screen(&app).contains("paused"));
    f.clock.advance(Duration::minutes(5));
    app.tick();
    assert!(
        screen(&app).contains("14:00 left of 15:00"),
        "paused time stands still"
    );
    assert_eq!(s.standup(saved[0].id).unwrap().elapsed_seconds(), 60);
    keys(&mut app, " ");
    f.clock.advance(Duration::seconds(30));
    app.tick();
    assert!(screen(&app).contains("13:30 left of 15:00"));
    // Next speaker: the walk moves to the next card.
    keys(&mut app, "n");
    assert!(screen(&app).contains("Turn 2/3"));
}

#[test]
fn a_per_turn_timebox_rings_once_per_turn_and_the_bell_can_be_muted() {
    let f = fixture();
    team(&f);
    settings(&f, StandupFormat::RoundRobin, 2, Some(30));
    let mut app = standup_app(&f);
    assert!(screen(&app).contains("round robin"));
    keys(&mut app, " ");
    f.clock.advance(Duration::seconds(25));
    app.tick();
    assert_eq!(app.state.bells, 0);
    assert!(screen(&app).contains("0:05 left of 0:30 NEARLY OUT"));
    f.clock.advance(Duration::seconds(10));
    app.tick();
    assert_eq!(app.state.bells, 1, "the turn's timebox ran out");
    assert!(status_line(&app).contains("ana's turn is over its timebox"));
    assert!(screen(&app).contains("-0:05 left of 0:30 OVER TIME"));
    app.tick();
    assert_eq!(app.state.bells, 1, "it rings once");
    keys(&mut app, "n");
    assert!(screen(&app).contains("▶ ben"));
    assert!(
        screen(&app).contains("0:30 left of 0:30"),
        "a new turn starts full"
    );
    keys(&mut app, "m");
    f.clock.advance(Duration::seconds(90));
    app.tick();
    assert_eq!(app.state.bells, 1, "muted: no bell");
    let text = screen(&app);
    assert!(
        text.contains("OVER TIME"),
        "the timer still says so: {text}"
    );
    // The whole standup's timer turns red once over.
    let buf = render(&app, 120, 40);
    let line = (0..40)
        .find(|y| {
            (0..120)
                .map(|x| buf[(x, *y)].symbol())
                .collect::<String>()
                .starts_with("Standup ")
        })
        .unwrap();
    let over = (0..120).find(|x| buf[(*x, line)].symbol() == "-").unwrap();
    assert_eq!(buf[(over, line)].bg, Color::Red);
}

#[test]
fn shuffling_and_absences_change_the_speaking_order() {
    let f = fixture();
    team(&f);
    settings(&f, StandupFormat::RoundRobin, 15, None);
    let mut app = standup_app(&f);
    let before = app.state.standup.order.clone();
    keys(&mut app, "s");
    let mut after = app.state.standup.order.clone();
    assert!(status_line(&app).contains("goes first"));
    after.sort();
    assert_eq!(after, before, "the same people");
    keys(&mut app, "x");
    assert_eq!(app.state.standup.order.len(), 2);
    keys(&mut app, "a");
    keys(&mut app, "eli");
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        app.state.standup.order.last().map(String::as_str),
        Some("eli")
    );
}

#[test]
fn impediments_parking_lot_and_notes_are_saved_with_the_standup() {
    let f = fixture();
    let [review, ..] = team(&f);
    let mut app = standup_app(&f);
    keys(&mut app, "b");
    assert!(status_line(&app).contains("Start the standup first"));
    keys(&mut app, " ");
    // b on the card being walked (Review): blocked with the reason, recorded.
    keys(&mut app, "b");
    keys(&mut app, "needs a security review");
    press(&mut app, KeyCode::Enter);
    let s = f.store();
    assert_eq!(
        s.card(review).unwrap().blocked.as_deref(),
        Some("needs a security review")
    );
    keys(&mut app, "i");
    keys(&mut app, "Staging is down");
    press(&mut app, KeyCode::Enter);
    keys(&mut app, "P");
    keys(&mut app, "Release date");
    press(&mut app, KeyCode::Enter);
    // Notes of the walked card's owner.
    keys(&mut app, "e");
    keys(&mut app, "Reviewed the rate limiter");
    press(&mut app, KeyCode::Enter);
    let text = screen(&app);
    assert!(text.contains("2 impediments · 1 parked"), "{text}");
    assert!(text.contains("• Release date"), "{text}");

    let board = s.board().unwrap();
    let id = s.past_standups(board.id, 1).unwrap()[0].id;
    let saved = s.standup(id).unwrap();
    let impediments: Vec<_> = saved.items_of(ItemKind::Impediment).collect();
    assert_eq!(impediments.len(), 2);
    assert_eq!(impediments[0].card, Some(review));
    let new_card = impediments[1].card.unwrap();
    let card = s.card(new_card).unwrap();
    assert_eq!(card.title, "Staging is down");
    assert_eq!(card.tags, vec!["impediment"]);
    assert_eq!(card.column, board.columns[0].id);
    assert_eq!(
        saved.items_of(ItemKind::Parking).next().unwrap().text,
        "Release date"
    );
    assert_eq!(
        saved.notes_of("ben").unwrap().yesterday,
        "Reviewed the rate limiter"
    );

    // End it: saved with its time; past standups can be browsed.
    f.clock.advance(Duration::minutes(7));
    keys(&mut app, "E");
    let text = screen(&app);
    assert!(
        text.contains("End the standup for everyone? It is saved with 3"),
        "{text}"
    );
    keys(&mut app, "y");
    let ended = s.standup(id).unwrap();
    assert!(ended.ended_at.is_some());
    assert_eq!(ended.elapsed_seconds(), 420);
    assert!(screen(&app).contains("ENDED"));
    keys(&mut app, "H");
    let text = screen(&app);
    assert!(text.contains("Past standups"), "{text}");
    assert!(
        text.contains("7:00 long · walk the board · facilitated by ana"),
        "{text}"
    );
    assert!(text.contains("Parked    Release date"), "{text}");
}

#[test]
fn an_unfinished_standup_carries_on_after_a_restart() {
    let f = fixture();
    team(&f);
    {
        let mut app = standup_app(&f);
        keys(&mut app, " ");
        f.clock.advance(Duration::seconds(150));
        keys(&mut app, " ");
    }
    let app = standup_app(&f);
    let text = screen(&app);
    assert!(text.contains("12:30 left of 15:00"), "{text}");
    assert!(text.contains("paused"), "{text}");
}

#[test]
fn timeboxes_and_format_are_the_boards_settings() {
    let f = fixture();
    team(&f);
    let mut app = standup_app(&f);
    keys(&mut app, "t");
    // Minutes, then the turn.
    for _ in 0..2 {
        press(&mut app, KeyCode::Backspace);
    }
    keys(&mut app, "10");
    press(&mut app, KeyCode::Tab);
    keys(&mut app, "1:30");
    press(&mut app, KeyCode::Enter);
    keys(&mut app, "f");
    let s = f.store();
    let settings = s.standup_settings(s.board().unwrap().id).unwrap();
    assert_eq!(settings.minutes, 10);
    assert_eq!(settings.turn_seconds, Some(90));
    assert_eq!(settings.format, StandupFormat::RoundRobin);
    let text = screen(&app);
    assert!(text.contains("10:00 left of 10:00"), "{text}");
    assert!(text.contains("1:30 left of 1:30"), "{text}");
    // A bad timebox is refused in the dialog, which keeps what was typed.
    keys(&mut app, "t");
    keys(&mut app, "x");
    press(&mut app, KeyCode::Enter);
    assert!(screen(&app).contains("is not a duration"));
}

#[test]
fn quitting_mid_standup_leaves_it_running_for_the_team() {
    let f = fixture();
    team(&f);
    {
        let mut app = standup_app(&f);
        keys(&mut app, " ");
        f.clock.advance(Duration::seconds(200));
        keys(&mut app, "q");
        assert!(app.state.quit);
    }
    // The standup is the board's: it ran on while the terminal was closed.
    f.clock.advance(Duration::seconds(10));
    let mut app = App::new(Box::new(f.store()), 120, 40);
    keys(&mut app, "4");
    let text = screen(&app);
    assert!(text.contains("11:30 left of 15:00  running"), "{text}");
    f.clock.advance(Duration::seconds(30));
    assert!(app.tick(), "it ticks");
    assert!(screen(&app).contains("11:00 left of 15:00  running"));
}

#[test]
fn a_card_moved_by_a_teammate_keeps_the_walk_on_the_card_being_discussed() {
    let f = fixture();
    let [review, old, newer, _] = team(&f);
    let mut app = standup_app(&f);
    keys(&mut app, " n");
    assert!(screen(&app).contains(&format!("▶ BLOCKED {newer} Retry")));
    // Someone finishes the card in Review from their own terminal.
    let mut other = f.store();
    let done = other.board().unwrap().column_named("Done").unwrap().id;
    other.move_card(review, done, None).unwrap();
    assert!(app.tick(), "the change is picked up on the tick");
    let text = screen(&app);
    assert!(text.contains(&format!("▶ BLOCKED {newer} Retry")), "{text}");
    assert!(!text.contains("Rate limiter"), "{text}");
    assert!(text.contains(&format!("{old} Invoice PDFs")), "{text}");
}

/// The line of a screen that starts with `prefix` (the timer's, say).
fn line_of(app: &App, prefix: &str) -> String {
    let text = screen(app);
    text.lines()
        .find(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line starting {prefix:?}:\n{text}"))
        .trim_end()
        .to_string()
}

/// The app of `who` on the Standup tab, on the fixture's clock as it is.
fn app_of(f: &Fixture, who: &str) -> App {
    let mut app = App::new(Box::new(f.as_user(who)), 120, 40);
    keys(&mut app, "4");
    app
}

fn refused<T: std::fmt::Debug>(r: teamloop::store::Result<T>, says: &str) {
    match r {
        Err(e) => assert!(e.to_string().contains(says), "{e} (wanted: {says})"),
        Ok(v) => panic!("allowed ({v:?}), wanted a refusal: {says}"),
    }
}

#[test]
fn two_stores_on_one_file_share_one_standup_that_outlives_the_facilitators_terminal() {
    use teamloop::domain::Clock;
    use teamloop::domain::standup::{NewStandup, walk_order, walk_turn};

    let f = fixture();
    let [review, _, newer, _] = team(&f);
    f.clock.set(start());
    let mut ana = f.as_user("ana");
    let mut ben = f.as_user("ben");
    let board = ana.board().unwrap();
    let today = ana.clock().zone().day_of(start());
    let walked = |s: &SqliteStore, id| {
        let standup = s.standup(id).unwrap();
        let walk = walk_order(s.walk_cards(&board, None).unwrap());
        walk[walk_turn(&walk, standup.walk_card, standup.turn as usize)]
            .card
            .id
    };

    // Ana begins the standup; Ben's store finds the same one, running, a
    // minute in, on the same card.
    let new = NewStandup {
        format: StandupFormat::WalkTheBoard,
        sprint: None,
        attendees: vec!["ana".into(), "ben".into(), "chloe".into()],
    };
    let id = ana.begin_standup(board.id, new.clone()).unwrap();
    f.clock.advance(Duration::seconds(60));
    assert_eq!(ben.unfinished_standup(board.id, today).unwrap(), Some(id));
    let seen = ben.standup(id).unwrap();
    assert!(seen.running());
    let fifteen = Duration::minutes(15);
    assert_eq!(
        seen.timer(fifteen).elapsed(f.clock.now()),
        Duration::minutes(1)
    );
    assert_eq!(walked(&ben, id), review);
    assert_eq!(walked(&ana, id), review);
    // Ben starts no second timer, and cannot pause Ana's.
    refused(
        ben.begin_standup(board.id, new),
        "ana has started today's standup already",
    );
    refused(ben.set_standup_running(id, false), "ana is facilitating");
    refused(ben.end_standup(id), "ana is facilitating");

    // Both press "next" from the step they saw: it moves once.
    assert!(ana.step_standup(id, seen.step, 1).unwrap());
    assert!(!ben.step_standup(id, seen.step, 1).unwrap());
    assert_eq!(walked(&ben, id), newer, "the second card, not the third");

    // Ana pauses 90 seconds in; five minutes later Ben reads the same 90.
    f.clock.advance(Duration::seconds(30));
    ana.set_standup_running(id, false).unwrap();
    f.clock.advance(Duration::minutes(5));
    let paused = ben.standup(id).unwrap();
    assert!(!paused.running());
    assert_eq!(
        paused.timer(fifteen).elapsed(f.clock.now()),
        Duration::seconds(90)
    );

    // Ana's terminal dies. The standup is the board's: still there, as it
    // was, and Ana carries on with it when she opens teamloop again.
    drop(ana);
    assert_eq!(ben.unfinished_standup(board.id, today).unwrap(), Some(id));
    let mut ana = f.as_user("ana");
    assert_eq!(ana.unfinished_standup(board.id, today).unwrap(), Some(id));
    assert_eq!(ana.standup(id).unwrap(), paused);
    ana.set_standup_running(id, true).unwrap();
    f.clock.advance(Duration::seconds(60));
    assert!(
        ana.set_standup_format(id, StandupFormat::RoundRobin, paused.step)
            .unwrap()
    );
    f.clock.advance(Duration::seconds(30));
    ana.end_standup(id).unwrap();

    // One record, saying what happened: round robin, three minutes.
    let saved = ben.past_standups(board.id, 5).unwrap();
    assert_eq!(saved.len(), 1);
    let record = &saved[0];
    assert_eq!(record.format, StandupFormat::RoundRobin);
    assert_eq!(record.elapsed_seconds(), 180);
    assert_eq!(record.facilitator, "ana");
    assert_eq!(record.attendees, ["ana", "ben", "chloe"]);
    assert_eq!(
        record.ended_at,
        Some(start() + Duration::seconds(60 + 30 + 300 + 60 + 30))
    );
}

#[test]
fn a_standup_run_from_one_terminal_is_followed_by_two_others_second_by_second() {
    let f = fixture();
    team(&f);
    f.clock.set(start());
    let mut ana = app_of(&f, "ana");
    let mut ben = app_of(&f, "ben");
    let mut chloe = app_of(&f, "chloe");
    let all = |f: &Fixture, apps: &mut [&mut App], seconds: i64| {
        f.clock.advance(Duration::seconds(seconds));
        for app in apps.iter_mut() {
            app.tick();
        }
    };

    // Ana starts it; within a tick Ben and Chloe follow it.
    keys(&mut ana, " ");
    all(&f, &mut [&mut ana, &mut ben, &mut chloe], 0);
    assert!(
        status_line(&ben).contains("ana started the standup: you follow it here"),
        "{}",
        status_line(&ben)
    );
    assert!(line_of(&ben, "Daily standup").contains("ana facilitates"));
    assert!(line_of(&ana, "Daily standup").contains("you facilitate"));
    // Second by second, the three timers read alike.
    for second in 1..=3 {
        all(&f, &mut [&mut ana, &mut ben, &mut chloe], 1);
        let timer = line_of(&ana, "Standup ");
        assert!(
            timer.contains(&format!("14:5{} left of 15:00  running", 10 - second)),
            "{timer}"
        );
        assert_eq!(line_of(&ben, "Standup "), timer);
        assert_eq!(line_of(&chloe, "Standup "), timer);
    }

    // The facilitator's keys say who facilitates; nothing changes.
    for key in [" ", "E", "f"] {
        keys(&mut ben, key);
        assert!(
            status_line(&ben).contains("ana is facilitating"),
            "{key}: {}",
            status_line(&ben)
        );
        assert!(ben.state.overlays.is_empty(), "no dialog opens");
    }
    all(&f, &mut [&mut ana, &mut ben, &mut chloe], 1);
    assert!(line_of(&ana, "Standup ").contains("running"));
    assert!(line_of(&ana, "Daily standup").contains("walk the board"));

    // Anyone passes the turn: Ben's "next" moves it for everyone.
    keys(&mut ben, "n");
    all(&f, &mut [&mut ana, &mut ben, &mut chloe], 0);
    for app in [&ana, &ben, &chloe] {
        assert!(line_of(app, "Standup ").contains("Turn 2/3"));
    }
    // Ana and Chloe press "next" at once, from that same turn: it moves
    // once, and Chloe is told.
    keys(&mut ana, "n");
    keys(&mut chloe, "n");
    assert!(
        status_line(&chloe).contains("The standup had moved on already"),
        "{}",
        status_line(&chloe)
    );
    all(&f, &mut [&mut ana, &mut ben, &mut chloe], 0);
    for app in [&ana, &ben, &chloe] {
        assert!(line_of(app, "Standup ").contains("Turn 3/3"), "one step");
    }

    // Ana pauses: every screen stands still at the same time.
    keys(&mut ana, " ");
    all(&f, &mut [&mut ana, &mut ben, &mut chloe], 30);
    let timer = line_of(&ana, "Standup ");
    assert!(timer.contains("14:56 left of 15:00  paused"), "{timer}");
    assert_eq!(line_of(&ben, "Standup "), timer);
    assert_eq!(line_of(&chloe, "Standup "), timer);

    // Ana switches to round robin: everyone's screen follows, from its
    // first speaker. Ben leaves; Eli is added from Chloe's terminal.
    keys(&mut ana, "f");
    keys(&mut ben, "J");
    assert!(status_line(&ben).contains("You left the standup"));
    keys(&mut chloe, "a");
    keys(&mut chloe, "eli");
    press(&mut chloe, KeyCode::Enter);
    all(&f, &mut [&mut ana, &mut ben, &mut chloe], 0);
    for app in [&ana, &ben, &chloe] {
        let head = line_of(app, "Daily standup");
        assert!(head.contains("round robin (f) · 3 attending"), "{head}");
        assert_eq!(app.state.standup.order, ["ana", "chloe", "eli"]);
        assert!(screen(app).contains("▶ ana"));
    }
    assert!(line_of(&ben, "Daily standup").contains("J joins"));
    // A follower's hint line names what anyone may do; on 80 columns the
    // header still says who facilitates.
    let hints = screen(&ben);
    assert!(hints.contains("n/p turn · J join/leave"), "{hints}");
    assert!(!hints.contains("start/pause"), "{hints}");
    assert!(screen(&ana).contains("Space start/pause"));
    let narrow = common::text(&render(&ben, 80, 24));
    assert!(
        narrow.contains("round robin (f) · 3 attending · ana facilitates · J joins"),
        "{narrow}"
    );

    // Ana's terminal dies in the middle. The others still show the
    // standup; when she opens teamloop again she carries on with it.
    drop(ana);
    all(&f, &mut [&mut ben, &mut chloe], 60);
    assert!(line_of(&ben, "Standup ").contains("14:56 left of 15:00  paused"));
    let mut ana = app_of(&f, "ana");
    assert_eq!(line_of(&ana, "Standup "), line_of(&ben, "Standup "));
    keys(&mut ana, " ");
    all(&f, &mut [&mut ana, &mut ben, &mut chloe], 65);
    assert!(line_of(&chloe, "Standup ").contains("13:51 left of 15:00  running"));

    // She ends it: every terminal shows it ended, and one record says what
    // happened.
    keys(&mut ana, "E");
    assert!(screen(&ana).contains("End the standup for everyone?"));
    keys(&mut ana, "y");
    assert!(
        status_line(&ana).contains("Standup saved (1:09, round robin, 3 attending)"),
        "{}",
        status_line(&ana)
    );
    all(&f, &mut [&mut ana, &mut ben, &mut chloe], 1);
    for app in [&ana, &ben, &chloe] {
        assert!(line_of(app, "Standup ").contains("ENDED"));
    }
    assert!(
        status_line(&ben).contains("ana ended the standup (1:09): H shows it"),
        "{}",
        status_line(&ben)
    );
    let s = f.store();
    let saved = s.past_standups(s.board().unwrap().id, 5).unwrap();
    assert_eq!(saved.len(), 1, "one standup, not one per terminal");
    assert_eq!(saved[0].format, StandupFormat::RoundRobin);
    assert_eq!(saved[0].elapsed_seconds(), 69);
    assert_eq!(saved[0].attendees, ["ana", "chloe", "eli"]);
}

#[test]
fn a_standup_whose_facilitator_is_gone_is_taken_over_and_the_record_says_so() {
    use common::engines::on_both_engines_at;
    use teamloop::domain::handover::Ritual;

    on_both_engines_at(start(), |f| {
        let mut ana = f.app("ana", 120, 40);
        keys(&mut ana, "4 ");
        let id = f
            .as_user("ben")
            .unfinished_standup(f.as_user("ben").board().unwrap().id, start().date_naive())
            .unwrap()
            .expect("ana's standup is under way");
        let mut ben = f.app("ben", 120, 40);
        keys(&mut ben, "4 ");
        assert!(
            status_line(&ben).contains("ana is facilitating"),
            "{}",
            status_line(&ben)
        );
        keys(&mut ben, "T");
        let text = screen(&ben);
        assert!(text.contains("Take over the standup from ana?"), "{text}");
        keys(&mut ben, "y");
        assert!(
            status_line(&ben).contains("You took over from ana: you facilitate the standup now"),
            "{}",
            status_line(&ben)
        );
        // Ana's terminal is told at its next look, and her keys are a
        // follower's now.
        f.notices("ana's terminal notices", || {
            ana.tick();
            ana.state
                .status
                .text
                .contains("ben took the standup over from you")
        });
        assert!(
            status_line(&ana).contains("ben took the standup over from you"),
            "{}",
            status_line(&ana)
        );
        keys(&mut ana, " ");
        assert!(status_line(&ana).contains("ben is facilitating"));
        // Ana's terminal dies; ben pauses and ends the standup.
        drop(ana);
        keys(&mut ben, " ");
        assert!(!f.as_user("ben").standup(id).unwrap().running());
        keys(&mut ben, "Ey");
        let s = f.as_user("chloe").standup(id).unwrap();
        assert!(s.ended());
        assert_eq!(s.facilitator, "ben");
        let record = f.as_user("chloe").handovers(Ritual::Standup, id.0).unwrap();
        let said: Vec<String> = record.iter().map(|h| h.sentence()).collect();
        assert_eq!(said, ["ben took over from ana"]);
        // The saved record says so too.
        keys(&mut ben, "H");
        let text = screen(&ben);
        assert!(text.contains("Took over"), "{text}");
        assert!(text.contains("ben took over from ana"), "{text}");
    });
}
