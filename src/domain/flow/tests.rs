//! Hand-built histories with answers worked out on paper.
//!
//! Columns: Backlog (backlog), Doing (active, WIP 1), Review (active), Done.
//! Now is 2026-11-24 12:00 UTC; the two-week range is 11-11 .. 11-24.
//! - A: created 11-10 09:00, Doing 11-12 09:00, Review 11-13 09:00, Done 11-14 21:00.
//! - B: created 11-12 10:00, forced into Doing 11-12 12:00 while A is there;
//!   blocked 11-15 00:00 → 11-16 00:00 and 11-18 12:00 → 11-19 00:00.
//! - C: created 11-11 08:00, Doing 11-16 08:00, Done 11-17 08:00, back to Review 11-18 08:00.
//! - D: created 11-12 08:00, straight to Done 11-20 08:00 (never started).
//! - E: created 11-01, Doing 11-02, Done 11-09: finished before the range.
//! - F: created 11-20 00:00 in Backlog, archived 11-21 09:00.

use super::*;
use crate::domain::WipLimit;
use chrono::{FixedOffset, TimeZone};

const BACKLOG: ColumnId = ColumnId(1);
const DOING: ColumnId = ColumnId(2);
const REVIEW: ColumnId = ColumnId(3);
const DONE: ColumnId = ColumnId(4);

fn t(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, hour, 0, 0).unwrap()
}

fn column(id: ColumnId, name: &str, kind: ColumnKind, wip: Option<u32>) -> FlowColumn {
    FlowColumn {
        id,
        name: name.into(),
        kind,
        wip: wip.map(WipLimit::hard),
        live: true,
    }
}

fn enter(card: i64, at: DateTime<Utc>, to: ColumnId) -> FlowEvent {
    FlowEvent {
        card: CardId(card),
        at,
        kind: FlowEventKind::Enter(to),
    }
}

fn ev(card: i64, at: DateTime<Utc>, kind: FlowEventKind) -> FlowEvent {
    FlowEvent {
        card: CardId(card),
        at,
        kind,
    }
}

fn history() -> FlowHistory {
    use FlowEventKind::*;
    FlowHistory {
        columns: vec![
            column(BACKLOG, "Backlog", ColumnKind::Backlog, None),
            column(DOING, "Doing", ColumnKind::Active, Some(1)),
            column(REVIEW, "Review", ColumnKind::Active, None),
            column(DONE, "Done", ColumnKind::Done, None),
        ],
        events: vec![
            enter(1, t(10, 9), BACKLOG),
            enter(1, t(12, 9), DOING),
            enter(1, t(13, 9), REVIEW),
            enter(1, t(14, 21), DONE),
            enter(2, t(12, 10), BACKLOG),
            enter(2, t(12, 12), DOING),
            ev(2, t(15, 0), Block),
            ev(2, t(16, 0), Unblock),
            ev(2, t(18, 12), Block),
            ev(2, t(19, 0), Unblock),
            enter(3, t(11, 8), BACKLOG),
            enter(3, t(16, 8), DOING),
            enter(3, t(17, 8), DONE),
            enter(3, t(18, 8), REVIEW),
            enter(4, t(12, 8), BACKLOG),
            enter(4, t(20, 8), DONE),
            enter(5, t(1, 0), BACKLOG),
            enter(5, t(2, 0), DOING),
            enter(5, t(9, 0), DONE),
            enter(6, t(20, 0), BACKLOG),
            ev(6, t(21, 9), Archive),
        ],
    }
}

fn report(range: FlowRange) -> FlowReport {
    flow_report(
        &history(),
        &FlowQuery {
            now: t(24, 12),
            zone: &crate::domain::UTC,
            range,
        },
    )
}

fn day(r: &FlowReport, d: u32) -> Vec<u32> {
    let date = NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
    r.cfd
        .iter()
        .find(|c| c.date == date)
        .unwrap()
        .counts
        .clone()
}

#[test]
fn range_is_two_weeks_ending_today() {
    let r = report(FlowRange::Weeks(2));
    assert_eq!(r.from, NaiveDate::from_ymd_opt(2026, 11, 11).unwrap());
    assert_eq!(r.to, NaiveDate::from_ymd_opt(2026, 11, 24).unwrap());
    assert_eq!(r.days, 14);
    assert_eq!(r.cfd.len(), 14);
}

#[test]
fn finished_cards_and_their_cycle_and_lead_times() {
    let r = report(FlowRange::Weeks(2));
    // A and D finished in the range; C went back out of done; E finished before.
    let ids: Vec<i64> = r.finished.iter().map(|f| f.card.0).collect();
    assert_eq!(ids, vec![1, 4]);
    assert_eq!(r.finished[0].cycle_days, Some(2.5));
    assert_eq!(r.finished[0].lead_days, 4.5);
    // D was never started: a lead time, no cycle time.
    assert_eq!(r.finished[1].cycle_days, None);
    assert_eq!(r.finished[1].lead_days, 8.0);
    let ct = r.cycle_time.unwrap();
    assert_eq!((ct.count, ct.mean, ct.p85), (1, 2.5, 2.5));
    let lt = r.lead_time.unwrap();
    assert_eq!((lt.count, lt.mean, lt.p50, lt.p85), (2, 6.25, 4.5, 8.0));
}

#[test]
fn a_card_moved_back_out_of_done_is_not_done() {
    let r = report(FlowRange::All);
    assert!(r.finished.iter().all(|f| f.card != CardId(3)));
    // …but the diagram shows the day it spent in Done.
    assert_eq!(day(&r, 17), vec![1, 1, 0, 3]);
    assert_eq!(day(&r, 18), vec![1, 1, 1, 2]);
}

#[test]
fn cumulative_flow_replays_the_end_of_each_day() {
    let r = report(FlowRange::Weeks(2));
    // Backlog, Doing, Review, Done.
    assert_eq!(day(&r, 11), vec![2, 0, 0, 1]);
    assert_eq!(day(&r, 12), vec![2, 2, 0, 1]);
    assert_eq!(day(&r, 13), vec![2, 1, 1, 1]);
    assert_eq!(day(&r, 14), vec![2, 1, 0, 2]);
    assert_eq!(day(&r, 16), vec![1, 2, 0, 2]);
    assert_eq!(day(&r, 20), vec![1, 1, 1, 3]);
    // F was archived from the backlog: it leaves the diagram.
    assert_eq!(day(&r, 21), vec![0, 1, 1, 3]);
    assert_eq!(day(&r, 24), vec![0, 1, 1, 3]);
}

#[test]
fn throughput_per_day_and_per_week() {
    let r = report(FlowRange::Weeks(2));
    let tp = &r.throughput;
    assert_eq!(tp.total, 2);
    assert_eq!(tp.daily.len(), 14);
    assert_eq!(tp.daily[3], 1, "A finished on 11-14");
    assert_eq!(tp.daily[9], 1, "D finished on 11-20");
    assert_eq!(tp.per_day, 0.14);
    assert_eq!(tp.per_week, 1.0);
    let weeks: Vec<(String, u32)> = tp
        .weekly
        .iter()
        .map(|w| (w.from.to_string(), w.count))
        .collect();
    assert_eq!(
        weeks,
        vec![("2026-11-11".to_string(), 1), ("2026-11-18".to_string(), 1)]
    );
}

#[test]
fn forced_move_shows_as_days_over_the_limit() {
    let r = report(FlowRange::Weeks(2));
    let doing = &r.columns[1];
    assert_eq!(doing.name, "Doing");
    assert_eq!(doing.days_at_limit, 13, "at or above 1 from 11-12 on");
    assert_eq!(
        doing.days_over_limit, 2,
        "B forced in on 11-12; C joined on 11-16"
    );
    assert_eq!(r.columns[2].days_at_limit, 0, "no limit, no breach");
}

#[test]
fn blocked_and_unblocked_twice() {
    let r = report(FlowRange::Weeks(2));
    assert_eq!(r.blocked.cards.len(), 1);
    let b = &r.blocked.cards[0];
    assert_eq!(
        (b.card, b.days, b.episodes, b.blocked_now),
        (CardId(2), 1.5, 2, false)
    );
    assert_eq!(r.blocked.total_days, 1.5);
    // A spell that is still open counts up to now, and shows as blocked.
    let mut h = history();
    h.events.push(ev(2, t(24, 0), FlowEventKind::Block));
    let q = FlowQuery {
        now: t(24, 12),
        zone: &crate::domain::UTC,
        range: FlowRange::Weeks(2),
    };
    let r = flow_report(&h, &q);
    assert_eq!(
        (r.blocked.cards[0].days, r.blocked.cards[0].blocked_now),
        (2.0, true)
    );
    assert!(r.aging[0].blocked);
}

#[test]
fn blocked_time_is_clipped_to_the_range() {
    let mut h = history();
    h.events.push(ev(5, t(3, 0), FlowEventKind::Block));
    h.events.push(ev(5, t(12, 0), FlowEventKind::Unblock));
    let q = |range| FlowQuery {
        now: t(24, 12),
        zone: &crate::domain::UTC,
        range,
    };
    let two = flow_report(&h, &q(FlowRange::Weeks(2)));
    let e = two
        .blocked
        .cards
        .iter()
        .find(|b| b.card == CardId(5))
        .unwrap();
    assert_eq!(e.days, 1.0, "11-11 00:00 to 11-12 00:00");
    let all = flow_report(&h, &q(FlowRange::All));
    let e = all
        .blocked
        .cards
        .iter()
        .find(|b| b.card == CardId(5))
        .unwrap();
    assert_eq!(e.days, 9.0);
}

#[test]
fn aging_work_in_progress_oldest_first() {
    let r = report(FlowRange::Weeks(2));
    let aging: Vec<(i64, &str, f64)> = r
        .aging
        .iter()
        .map(|a| (a.card.0, a.column.as_str(), a.age_days))
        .collect();
    // B started 11-12 12:00; C first started 11-16 08:00 (its first start counts).
    assert_eq!(aging, vec![(2, "Doing", 12.0), (3, "Review", 8.17)]);
    assert_eq!(r.wip.now, 2);
}

#[test]
fn average_wip_and_littles_law() {
    let r = report(FlowRange::Weeks(2));
    // End-of-day active cards: 0 2 2 1 1 2 1 2 2 2 2 2 2 2 = 23 over 14 days.
    assert_eq!(r.wip.average, 1.64);
    // Only A passed through WIP (D went straight to done): 1 card in 14 days.
    let l = r.little.unwrap();
    assert_eq!(l.average_wip, 1.64);
    assert_eq!(l.throughput_per_day, 0.07);
    assert_eq!(l.average_cycle_days, 2.5);
    assert_eq!(l.expected_wip, 0.18);
}

#[test]
fn time_in_column_and_the_bottleneck() {
    let r = report(FlowRange::Weeks(2));
    let avg: Vec<(&str, Option<f64>, u32)> = r
        .columns
        .iter()
        .map(|c| (c.name.as_str(), c.average_days, c.visits))
        .collect();
    assert_eq!(
        avg,
        vec![
            ("Backlog", Some(3.29), 5),
            ("Doing", Some(1.0), 2),
            ("Review", Some(1.5), 1),
            ("Done", None, 0),
        ]
    );
    let b = r.bottleneck.unwrap();
    assert_eq!((b.column.as_str(), b.average_days), ("Review", 1.5));
}

#[test]
fn days_follow_the_users_offset() {
    // At UTC+10, A's finish (11-14 21:00 UTC) falls on 11-15.
    let r = flow_report(
        &history(),
        &FlowQuery {
            now: t(24, 12),
            zone: &FixedOffset::east_opt(10 * 3600).unwrap(),
            range: FlowRange::Weeks(2),
        },
    );
    assert_eq!(r.to, NaiveDate::from_ymd_opt(2026, 11, 24).unwrap());
    let i = (NaiveDate::from_ymd_opt(2026, 11, 15).unwrap() - r.from).num_days() as usize;
    assert_eq!(r.throughput.daily[i], 1);
    assert_eq!(r.throughput.daily[i - 1], 0);
}

#[test]
fn events_out_of_order_give_the_same_report() {
    let mut h = history();
    h.events.reverse();
    let q = FlowQuery {
        now: t(24, 12),
        zone: &crate::domain::UTC,
        range: FlowRange::Weeks(2),
    };
    assert_eq!(flow_report(&h, &q), report(FlowRange::Weeks(2)));
}

#[test]
fn an_empty_history_reports_zeros() {
    let r = flow_report(
        &FlowHistory::default(),
        &FlowQuery {
            now: t(24, 12),
            zone: &crate::domain::UTC,
            range: FlowRange::All,
        },
    );
    assert_eq!(r.days, 7, "all history is shown in whole weeks");
    assert_eq!(r.throughput.total, 0);
    assert!(r.cycle_time.is_none() && r.little.is_none() && r.bottleneck.is_none());
}

#[test]
fn range_steps_cycle_through_the_choices() {
    assert_eq!(FlowRange::Weeks(2).step(1), FlowRange::Weeks(4));
    assert_eq!(FlowRange::All.step(1), FlowRange::Weeks(2));
    assert_eq!(FlowRange::Weeks(2).step(-1), FlowRange::All);
    let since = FlowRange::Since(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
    assert_eq!(since.step(1), FlowRange::Weeks(2));
}

#[test]
fn moving_between_done_columns_keeps_the_first_finish() {
    let mut h = history();
    h.columns
        .push(column(ColumnId(5), "Released", ColumnKind::Done, None));
    h.events.push(enter(1, t(20, 9), ColumnId(5)));
    let r = flow_report(
        &h,
        &FlowQuery {
            now: t(24, 12),
            zone: &crate::domain::UTC,
            range: FlowRange::Weeks(2),
        },
    );
    let a = r.finished.iter().find(|f| f.card == CardId(1)).unwrap();
    assert_eq!(a.finished, t(14, 21));
    assert_eq!(a.cycle_days, Some(2.5));
}

#[test]
fn a_retired_active_column_still_counts_as_wip() {
    let mut h = history();
    // B spent 11-12 12:00 .. 11-24 in Doing; retire Doing: WIP stays the same.
    let before = report(FlowRange::Weeks(2)).wip.average;
    h.columns[1].live = false;
    let q = FlowQuery {
        now: t(24, 12),
        zone: &crate::domain::UTC,
        range: FlowRange::Weeks(2),
    };
    let r = flow_report(&h, &q);
    assert_eq!(r.wip.average, before);
    assert!(r.columns.iter().all(|c| c.name != "Doing"));
}

/// Central European time: UTC+2 until 2026-10-25 01:00 UTC, then UTC+1.
struct Berlin;

impl Zone for Berlin {
    fn offset_at(&self, t: DateTime<Utc>) -> FixedOffset {
        let switch = Utc.with_ymd_and_hms(2026, 10, 25, 1, 0, 0).unwrap();
        FixedOffset::east_opt(if t < switch { 7200 } else { 3600 }).unwrap()
    }
}

#[test]
fn days_follow_daylight_saving_time() {
    // 10-20 22:30 UTC is 10-21 00:30 in Berlin's summer time.
    let h = FlowHistory {
        columns: history().columns,
        events: vec![
            enter(1, t(1, 0) - Duration::days(20), BACKLOG),
            enter(1, t(1, 0) - Duration::days(15), DOING),
            enter(
                1,
                Utc.with_ymd_and_hms(2026, 10, 20, 22, 30, 0).unwrap(),
                DONE,
            ),
        ],
    };
    let r = flow_report(
        &h,
        &FlowQuery {
            now: t(24, 12),
            zone: &Berlin,
            range: FlowRange::Weeks(12),
        },
    );
    let day = |d: u32| {
        let date = NaiveDate::from_ymd_opt(2026, 10, d).unwrap();
        r.throughput.daily[(date - r.from).num_days() as usize]
    };
    assert_eq!((day(20), day(21)), (0, 1));
    // The range starts at Berlin's midnight, in summer time.
    assert_eq!(r.start, Utc.with_ymd_and_hms(2026, 9, 1, 22, 0, 0).unwrap());
}

#[test]
fn since_starts_no_earlier_than_the_history() {
    let r = report(FlowRange::Since(
        NaiveDate::from_ymd_opt(1900, 1, 1).unwrap(),
    ));
    assert_eq!(r.from, NaiveDate::from_ymd_opt(2026, 11, 1).unwrap());
}

#[test]
fn a_card_brought_back_after_an_archive_is_on_the_board_again() {
    let mut h = history();
    // Card 7 is started, archived by mistake, and brought back (undo).
    h.events.extend([
        enter(7, t(20, 9), DOING),
        ev(7, t(21, 10), FlowEventKind::Archive),
        enter(7, t(21, 11), DOING),
    ]);
    let r = flow_report(
        &h,
        &FlowQuery {
            now: t(24, 12),
            zone: &crate::domain::UTC,
            range: FlowRange::Weeks(2),
        },
    );
    assert!(r.aging.iter().any(|a| a.card.0 == 7), "{:?}", r.aging);
    assert_eq!(r.wip.now, 3);
    assert_eq!(day(&r, 22)[1], 2, "in Doing again at the end of the 22nd");
}

proptest::proptest! {
    /// The counting sort gives exactly what a stable sort by card gives,
    /// for dense ids and sparse ones.
    #[test]
    fn grouping_by_card_is_a_stable_sort_by_card(
        raw in proptest::collection::vec((0i64..40, 0i64..1_000_000, proptest::bool::ANY), 0..300),
        sparse in proptest::bool::ANY,
    ) {
        let events: Vec<FlowEvent> = raw
            .iter()
            .map(|&(card, secs, block)| FlowEvent {
                card: CardId(if sparse { card * 1_000_003 } else { card + 7 }),
                at: t(1, 0) + Duration::seconds(secs),
                kind: if block { FlowEventKind::Block } else { FlowEventKind::Unblock },
            })
            .collect();
        let mut expected = events.clone();
        expected.sort_by_key(|e| e.card);
        let mut got = events;
        group_by_card(&mut got);
        proptest::prop_assert_eq!(got, expected);
    }
}
