//! The forecasts on screen: the Flow tab's panel and the sprint's chance,
//! on a fixed clock, on both engines.

mod common;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use common::engines::{BoardFixture, on_both_engines_at};
use common::writes::{add_at, move_at};
use common::{keys, render, screen, status_line, text};
use teamloop::domain::CardId;
use teamloop::domain::sprint::NewSprint;
use teamloop::store::SprintPatch;
use teamloop::ui::App;

/// Now: 2026-11-24 15:00 UTC.
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 15, 0, 0).unwrap()
}

fn day(d: &str) -> NaiveDate {
    NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap()
}

/// One card finished at noon on each of the `days` days before today,
/// then four cards in To Do (two tagged api); the clock left at now.
fn history(f: &BoardFixture, days: i64) -> Vec<CardId> {
    let mut s = f.store();
    let s = &mut *s;
    let start = now() - Duration::hours(15);
    for i in 1..=days {
        let d = start - Duration::days(i);
        let c = add_at(f, s, "Backlog", "Finished", &[], d + Duration::hours(9));
        move_at(f, s, c, "In Progress", d + Duration::hours(10));
        move_at(f, s, c, "Done", d + Duration::hours(12));
    }
    let open: Vec<CardId> = (0..4)
        .map(|i| {
            let tags: &[&str] = if i < 2 { &["api"] } else { &[] };
            add_at(
                f,
                s,
                "To Do",
                &format!("Open {i}"),
                tags,
                now() - Duration::hours(2),
            )
        })
        .collect();
    f.clock.set(now());
    open
}

fn on_both(test: impl Fn(&BoardFixture)) {
    on_both_engines_at(now() - Duration::days(100), test);
}

#[test]
fn the_flow_tab_forecasts_a_column_and_a_tag() {
    on_both(|f| {
        history(f, 84);
        let mut app = App::new(f.store(), 120, 40);
        keys(&mut app, "2");
        keys(&mut app, "f");
        assert!(
            status_line(&app).contains("Forecast for the cards in To Do"),
            "{}",
            status_line(&app)
        );
        let s = screen(&app);
        assert!(
            s.contains("when are the cards in To Do done? 4 left · 1/2 · f next, F back"),
            "{s}"
        );
        // One a day: the four are done on the fourth day, at every likelihood.
        for p in ["50%", "70%", "85%", "95%"] {
            assert!(
                s.contains(&format!("{p} by 2026-11-28 (Sat, in 4 days)")),
                "{p}:\n{s}"
            );
        }
        assert!(
            s.contains("Track record: the 85% line held in 100% of"),
            "{s}"
        );
        assert!(
            s.contains("2026-10-27 – 2026-11-23 (28 days, 28 cards)"),
            "{s}"
        );
        assert!(s.contains("not points)"), "{s}");
        assert!(s.contains('█'), "the histogram:\n{s}");
        // The sample follows the tab's range.
        keys(&mut app, "r");
        let s = screen(&app);
        assert!(s.contains("(84 days, 84 cards)"), "{s}");
        // The next choice is the tag, then off, then back from the end.
        keys(&mut app, "f");
        let s = screen(&app);
        assert!(
            s.contains("when are the cards tagged #api done? 2 left · 2/2"),
            "{s}"
        );
        assert!(s.contains("85% by 2026-11-26 (Thu, in 2 days)"), "{s}");
        keys(&mut app, "f");
        assert!(app.state.flow.forecast.is_none());
        assert!(status_line(&app).contains("Forecast off"));
        assert!(screen(&app).contains("Cycle time ·"), "the charts are back");
        keys(&mut app, "F");
        assert!(screen(&app).contains("tagged #api"));
    });
}

#[test]
fn the_forecast_panel_reads_at_80x24_and_120x40() {
    on_both(|f| {
        history(f, 84);
        for (w, h) in [(80u16, 24u16), (120, 40)] {
            let mut app = App::new(f.store(), w, h);
            keys(&mut app, "2");
            keys(&mut app, "f");
            let s = text(&render(&app, w, h));
            assert!(
                s.contains("when are the cards in To Do done?"),
                "{w}x{h}:\n{s}"
            );
            assert!(s.contains("85% by 2026-11-28"), "{w}x{h}:\n{s}");
            assert!(s.contains("95% by 2026-11-28"), "{w}x{h}:\n{s}");
            assert!(s.contains("Track record"), "{w}x{h}:\n{s}");
            assert!(s.contains("Assumes"), "{w}x{h}:\n{s}");
            assert!(s.contains('█'), "{w}x{h}:\n{s}");
            assert!(s.contains("85%"), "{w}x{h}:\n{s}");
        }
    });
}

#[test]
fn the_panel_says_why_it_gives_no_forecast() {
    on_both(|f| {
        // Five finishes: too few.
        history(f, 5);
        let mut app = App::new(f.store(), 120, 40);
        keys(&mut app, "2");
        keys(&mut app, "f");
        let s = screen(&app);
        assert!(s.contains("No forecast: 5 cards finished"), "{s}");
        assert!(!s.contains("85% by"), "{s}");
    });
}

#[test]
fn the_sprint_shows_the_chance_its_cards_are_done_by_its_last_day() {
    on_both(|f| {
        let open = history(f, 84);
        let mut s = f.store();
        let board = s.board().unwrap();
        // Started today, 13 days left after it: four cards at one a day are done for sure.
        let sprint = s
            .create_sprint(
                board.id,
                NewSprint {
                    name: "Sprint 7".into(),
                    goal: "Ship the api".into(),
                    start: day("2026-11-24"),
                    days: 14,
                    capacity: None,
                },
            )
            .unwrap();
        s.add_to_sprint(sprint, &open).unwrap();
        s.start_sprint(sprint, SprintPatch::default()).unwrap();
        let mut app = App::new(f.store(), 120, 40);
        keys(&mut app, "3");
        let text = screen(&app);
        assert!(
            text.contains("100% likely the 4 cards left are done by Mon 12-07"),
            "{text}"
        );
        assert!(text.contains("not points"), "{text}");
        assert!(text.contains("85% line held in 100%"), "{text}");
        keys(&mut app, "4");
        let text = screen(&app);
        assert!(
            text.contains(
                "Goal: Ship the api · 100% likely the 4 cards left are done by Mon 12-07"
            ),
            "{text}"
        );
        // Twenty cards, more than the 13 days left can finish: never.
        let mut s = f.store();
        let more: Vec<CardId> = (0..16)
            .map(|i| add_at(f, &mut *s, "To Do", &format!("More {i}"), &[], now()))
            .collect();
        s.add_to_sprint(sprint, &more).unwrap();
        let mut app = App::new(f.store(), 120, 40);
        keys(&mut app, "3");
        let text = screen(&app);
        assert!(
            text.contains("0% likely the 20 cards left are done by Mon 12-07"),
            "{text}"
        );
    });
}
