//! A bench board of finished cards: each goes Backlog → To Do → In
//! Progress → Review → Done over the year before `now`, one card made every
//! 50 minutes, at the offsets from its making that `steps` gives.

use chrono::{DateTime, Duration, Utc};
use teamloop::domain::demo::{DemoCard, DemoEvent, DemoEventKind, DemoPlan, starter_demo_columns};

pub fn finished_plan(
    cards: usize,
    now: DateTime<Utc>,
    points: Option<u32>,
    mut steps: impl FnMut(usize) -> [Duration; 5],
) -> DemoPlan {
    let start = now - Duration::days(365);
    let mut events = Vec::with_capacity(cards * 5);
    let mut made = Vec::with_capacity(cards);
    for i in 0..cards {
        made.push(DemoCard {
            title: format!("Finished card {i}"),
            description: String::new(),
            assignee: Some("ana".into()),
            tags: vec![],
            points,
        });
        let created = start + Duration::minutes(i as i64 * 50);
        for (to, after) in steps(i).into_iter().enumerate() {
            events.push(DemoEvent {
                card: i,
                at: (created + after).min(now),
                actor: "ana".into(),
                kind: DemoEventKind::Enter { to, breach: None },
            });
        }
    }
    events.sort_by_key(|e| e.at);
    DemoPlan {
        board_name: "Bench board".into(),
        columns: starter_demo_columns(),
        cards: made,
        events,
        sprints: Vec::new(),
    }
}
