//! The demo: a plan of cards, moves, sprints, standups, retros, mortems
//! and pulses written as one board's history, through the same event rows
//! as real use.

use std::collections::HashMap;

use crate::sql_params as params;

use super::*;
use crate::domain::Zone;
use crate::domain::demo::{DemoEventKind, DemoSource};
use crate::domain::sprint::{NewSprint, SprintId};
use crate::domain::standup::{NewStandup, StandupFormat};
use crate::store::PersonKey;
use crate::store::sql_store::columns::create_board;
use crate::store::sql_store::{mortems, pulses, retros, sprints, standups};

/// Writes a demo plan as a new board replacing the empty starter board;
/// the kept flow figures are built once, at the end.
pub(in crate::store::sql_store) fn seed_demo(
    tx: &dyn Db,
    plan: &dyn DemoSource,
    zone: &dyn Zone,
) -> Result<()> {
    crate::store::sql_store::kept_flow::deferred(tx, || seed(tx, plan, zone))
}

fn seed(tx: &dyn Db, plan: &dyn DemoSource, zone: &dyn Zone) -> Result<()> {
    // Only over nothing of a team's: the rule an import follows.
    if !crate::store::transfer::holds_nothing_in(tx)? {
        return Err(DomainError::Invalid(
            "this database already holds a team's data: demo data goes into a new database (use --db with a new path)".into(),
        )
        .into());
    }
    let start = plan.events().next().map_or(0, |e| ms(e.at));
    if tx.engine() == crate::store::sql::Engine::Sqlite {
        // A large demo is one transaction writing every index at once: with
        // the default cache its pages go to disk and back at every event.
        tx.execute("PRAGMA cache_size = -262144", &[])?;
    }
    // The starter board made on first open gives way to the demo board.
    crate::store::kept::clear(tx)?;
    tx.execute("DELETE FROM columns", &[])?;
    tx.execute("DELETE FROM boards", &[])?;
    let board = create_board(tx, plan.board_name(), start)?;
    let columns: Vec<ColumnId> = tx.rows(
        "SELECT id FROM columns WHERE board_id = ?1 ORDER BY position",
        params![board.0],
        |r| r.get(0).map(ColumnId),
    )?;
    for (i, c) in plan.columns().iter().enumerate() {
        if let Some(&id) = columns.get(i) {
            tx.execute(
                "UPDATE columns SET name = ?2, kind = ?3, wip_limit = ?4, wip_policy = ?5 WHERE id = ?1",
                params![
                    id.0,
                    &c.name,
                    c.kind.as_str(),
                    c.wip.map(|w| w.limit),
                    c.wip.map_or("hard", |w| w.policy.as_str())
                ],
            )?;
        }
    }
    let col = |i: usize| {
        columns
            .get(i)
            .copied()
            .ok_or_else(|| StoreError::NotFound(format!("demo column {i}")))
    };
    let mut ids: HashMap<usize, CardId> = HashMap::new();
    let mut sprint_ids: HashMap<usize, SprintId> = HashMap::new();
    let mut retro_ids: HashMap<usize, crate::domain::retro::RetroId> = HashMap::new();
    let mut at: HashMap<usize, ColumnId> = HashMap::new();
    let mut position = 0.0f64;
    for e in plan.events() {
        let e = &*e;
        let when = ms(e.at);
        match &e.kind {
            DemoEventKind::Enter { to, breach } => {
                let to = col(*to)?;
                // Later arrivals sit higher in their column, as moves do.
                position -= 1.0;
                let (id, kind, from) = match ids.get(&e.card) {
                    None => {
                        let c = plan.card(e.card);
                        let id = CardId(tx.one(
                            "INSERT INTO cards (board_id, column_id, position, title, description,
                                                assignee, points, created_at, updated_at)
                             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)
                             RETURNING id",
                            params![
                                board.0,
                                to.0,
                                position,
                                &c.title,
                                &c.description,
                                &c.assignee,
                                c.points,
                                when
                            ],
                        )?);
                        set_tags(tx, id, &c.tags)?;
                        ids.insert(e.card, id);
                        (id, EventKind::Created, None)
                    }
                    Some(&id) => {
                        tx.execute(
                            "UPDATE cards SET column_id = ?2, position = ?3, updated_at = ?4 WHERE id = ?1",
                            params![id.0, to.0, position, when],
                        )?;
                        (id, EventKind::Moved, at.get(&e.card).copied())
                    }
                };
                at.insert(e.card, to);
                insert_event(
                    tx,
                    EventRow {
                        from,
                        to: Some(to),
                        breach: breach.as_ref(),
                        ..EventRow::new(id, kind, when, &e.actor)
                    },
                )?;
            }
            // Everything else goes through the same writes as the app's.
            DemoEventKind::Estimate { points } => {
                if let Some(&id) = ids.get(&e.card) {
                    let patch = CardPatch {
                        points: Some(*points),
                        ..CardPatch::default()
                    };
                    update_card(tx, id, &patch, when, &e.actor)?;
                }
            }
            DemoEventKind::CreateSprint { sprint } => {
                let s = &plan.sprints()[*sprint];
                let new = NewSprint {
                    name: s.name.clone(),
                    goal: s.goal.clone(),
                    start: s.start,
                    days: s.days,
                    capacity: Some(s.capacity),
                }
                .validated()?;
                sprint_ids.insert(*sprint, sprints::create_sprint(tx, board, &new, when)?);
            }
            DemoEventKind::Plan { sprint } => {
                if let (Some(&id), Some(&s)) = (ids.get(&e.card), sprint_ids.get(sprint)) {
                    sprints::add_to_sprint(tx, s, id, when, &e.actor)?;
                }
            }
            DemoEventKind::StartSprint { sprint } => {
                if let Some(&s) = sprint_ids.get(sprint) {
                    sprints::start_sprint(tx, s, when, zone.day_of(e.at))?;
                }
            }
            DemoEventKind::CloseSprint { sprint, carry } => {
                if let Some(&s) = sprint_ids.get(sprint) {
                    let carry: Vec<CardId> =
                        carry.iter().filter_map(|c| ids.get(c).copied()).collect();
                    sprints::close_sprint(tx, s, &carry, e.at, zone, &e.actor)?;
                }
            }
            DemoEventKind::Retro(r) => {
                let id = RetroReplay { tx, board, when }.run(r, &ids)?;
                retro_ids.insert(r.index, id);
            }
            DemoEventKind::RetroActions { retro, actions } => {
                if let Some(&id) = retro_ids.get(retro) {
                    for (c, due) in actions {
                        if let Some(&card) = ids.get(c) {
                            retros::adopt_action(tx, id, card, Some(*due))?;
                        }
                    }
                }
            }
            DemoEventKind::Pulse {
                title,
                respondents,
                answers,
                comments,
            } => {
                let mut instrument = crate::domain::pulse::Instrument::edmondson()?;
                instrument.free_text = Some("What would make it safer to speak up here?".into());
                let day = zone.day_of(e.at);
                let new = crate::store::NewPulse {
                    title: title.clone(),
                    instrument,
                    closes: None,
                    min_responses: 5,
                    min_comments: 5,
                };
                let id = pulses::open(tx, board, &new, day, None, &e.actor)?;
                for (who, a) in respondents.iter().zip(answers) {
                    let i = respondents.iter().position(|r| r == who).unwrap_or(0);
                    let comment = comments.get(i).map(String::as_str);
                    // Each demo person's own key, made for this write alone.
                    let _ = who;
                    pulses::respond(tx, id, a, comment, e.at, &PersonKey::random())?;
                }
                let closed = day + chrono::Duration::days(3);
                pulses::close(tx, id, zone.midnight(closed), closed, &e.actor)?;
            }
            DemoEventKind::Standup {
                attendees,
                parked,
                seconds,
            } => {
                let new = NewStandup {
                    format: StandupFormat::WalkTheBoard,
                    sprint: None,
                    attendees: attendees.clone(),
                };
                let id = standups::begin(tx, board, &new, zone.day_of(e.at), when, &e.actor)?;
                for topic in parked {
                    standups::park(tx, id, topic, when)?;
                }
                let ended = when + i64::from(*seconds) * 1000;
                standups::record_ended(tx, id, *seconds, ended)?;
            }
            DemoEventKind::Postmortem(p) => replay_postmortem(tx, board, p, e.at, &e.actor)?,
            DemoEventKind::Premortem(p) => replay_premortem(tx, board, p, e.at, zone, &e.actor)?,
            DemoEventKind::Archive => {
                if let Some(&id) = ids.get(&e.card) {
                    archive_card(tx, id, when, &e.actor)?;
                }
            }
            DemoEventKind::Block { .. } | DemoEventKind::Unblock => {
                if let Some(&id) = ids.get(&e.card) {
                    let reason = match &e.kind {
                        DemoEventKind::Block { reason } => Some(reason.as_str()),
                        _ => None,
                    };
                    set_blocked(tx, id, reason, when, &e.actor)?;
                }
            }
        }
    }
    Ok(())
}

/// A demo post-mortem, through the same writes as the app's: written over
/// the next two days, its action items made cards, then made final.
fn replay_postmortem(
    tx: &dyn Db,
    board: crate::domain::BoardId,
    p: &crate::domain::demo::DemoPostmortem,
    at: chrono::DateTime<chrono::Utc>,
    actor: &str,
) -> Result<()> {
    use crate::domain::mortem::{ActionType, NewAction, Priority, Status};
    use crate::store::mortems::Field;
    let day = at.date_naive();
    let written = ms(at + chrono::Duration::hours(2));
    let id = mortems::new_postmortem(tx, board, &p.title, day, written, actor)?;
    mortems::set_field(tx, id, Field::Authors, &p.authors, written)?;
    for entry in &p.timeline {
        let when = at + chrono::Duration::minutes(entry.minutes);
        mortems::add_timeline(tx, id, when, &entry.text, written)?;
    }
    let next_day = ms(at + chrono::Duration::hours(20));
    for s in &p.sections {
        mortems::set_section(tx, id, &s.key, &s.text, None, next_day)?;
    }
    let done = retros::first_column(tx, board, Some("done"))?;
    for (i, a) in p.actions.iter().enumerate() {
        let action = NewAction {
            text: a.text.clone(),
            kind: Some(ActionType::parse(&a.kind)?),
            owner: Some(a.owner.clone()),
            due: Some(day + chrono::Duration::days(a.due_days)),
            priority: Priority::parse(&a.priority)?,
            risk: None,
        };
        let card = mortems::add_action(tx, board, id, &action, next_day + i as i64, actor)?;
        if a.done {
            let finished = ms(at + chrono::Duration::days(a.due_days.max(2) - 1));
            move_card(tx, card, done, None, finished, &a.owner)?;
        }
    }
    mortems::set_status(tx, id, Status::Final, ms(at + chrono::Duration::days(2)))
}

/// A demo pre-mortem: reasons written, revealed, read, rated, mitigated and
/// closed, through the same writes as the app's.
fn replay_premortem(
    tx: &dyn Db,
    board: crate::domain::BoardId,
    p: &crate::domain::demo::DemoPremortem,
    at: chrono::DateTime<chrono::Utc>,
    zone: &dyn Zone,
    actor: &str,
) -> Result<()> {
    use crate::domain::mortem::{NewAction, Priority, Stage};
    let when = ms(at);
    let key = PersonKey::random();
    let id = mortems::new_premortem(tx, board, &p.title, None, zone.day_of(at), when, actor)?;
    let mut risks = Vec::new();
    for r in &p.reasons {
        risks.push(mortems::add_reason(tx, id, &r.text, true, when, actor, &key)?.risk);
    }
    let reading = when + 15 * 60_000;
    mortems::advance(tx, id, Stage::Writing, reading, actor)?;
    for (r, risk) in p.reasons.iter().zip(&risks) {
        mortems::read_reason(tx, id, *risk, reading, actor)?;
        mortems::rate(
            tx,
            id,
            *risk,
            Some(r.likelihood),
            Some(r.impact),
            reading,
            &key,
        )?;
    }
    for (i, m) in p.mitigations.iter().enumerate() {
        let Some(&risk) = risks.get(m.risk) else {
            continue;
        };
        let action = NewAction {
            text: m.text.clone(),
            kind: None,
            owner: Some(m.owner.clone()),
            due: Some(zone.day_of(at) + chrono::Duration::days(m.due_days)),
            priority: Priority::High,
            risk: Some(risk),
        };
        mortems::add_action(tx, board, id, &action, reading + 60_000 + i as i64, actor)?;
    }
    mortems::advance(tx, id, Stage::Reading, when + 60 * 60_000, actor)
}

/// Replays a demo retro through the same writes as the app's.
struct RetroReplay<'a> {
    tx: &'a dyn Db,
    board: crate::domain::BoardId,
    when: i64,
}

impl RetroReplay<'_> {
    fn run(
        &self,
        r: &crate::domain::demo::DemoRetro,
        ids: &HashMap<usize, CardId>,
    ) -> Result<crate::domain::retro::RetroId> {
        use crate::domain::retro::{Phase, Poll, SafetyKind, format};
        let tx = self.tx;
        let fac = r.facilitator.as_str();
        let format = format::built_in()
            .into_iter()
            .find(|f| f.id == r.format)
            .ok_or_else(|| StoreError::NotFound(format!("demo retro format {}", r.format)))?;
        let new = crate::store::NewRetro {
            title: r.title.clone(),
            format,
            votes: 3,
            safety: SafetyKind::Esvp,
            sprint: None,
            from: r.from,
            to: r.to,
        };
        let at = |minutes: i64| self.when + minutes * 60_000;
        let id = retros::start(tx, self.board, &new, at(0), fac)?;
        let person = |i: usize| r.people[i % r.people.len().max(1)].as_str();
        // Each demo person's own key, made for this replay alone.
        let keys: Vec<PersonKey> = r.people.iter().map(|_| PersonKey::random()).collect();
        let key = |i: usize| &keys[i % keys.len().max(1)];
        for (i, v) in r.safety.iter().enumerate() {
            retros::answer(tx, id, Poll::Safety, (*v).min(4), person(i), key(i))?;
        }
        retros::close_poll(tx, id, Poll::Safety, fac)?;
        retros::set_phase(tx, id, Phase::Review, at(3), fac)?;
        for (c, status) in &r.reviews {
            if let Some(&card) = ids.get(c) {
                retros::review(tx, id, card, *status, at(4), fac)?;
            }
        }
        retros::set_phase(tx, id, Phase::Gather, at(8), fac)?;
        let mut cards = Vec::new();
        for (i, (prompt, text)) in r.cards.iter().enumerate() {
            cards.push(retros::add_card(tx, id, *prompt, text, person(i), key(i))?);
        }
        retros::set_phase(tx, id, Phase::Vote, at(15), fac)?;
        // Everyone has three votes; they go where the recipe says.
        let people = r.people.len().max(1);
        let mut used = vec![0u32; people];
        let mut who = 0;
        for (card, n) in cards.iter().zip(&r.votes) {
            for _ in 0..*n {
                if used.iter().all(|u| *u >= 3) {
                    break;
                }
                while used[who % people] >= 3 {
                    who += 1;
                }
                let item = retros::item_of(tx, *card)?;
                retros::vote(tx, id, item, 1, person(who % people), key(who % people))?;
                used[who % people] += 1;
                who += 1;
            }
        }
        retros::set_phase(tx, id, Phase::Discuss, at(20), fac)?;
        retros::set_phase(tx, id, Phase::Decide, at(40), fac)?;
        retros::set_phase(tx, id, Phase::Close, at(45), fac)?;
        for (i, v) in r.roti.iter().enumerate() {
            retros::answer(tx, id, Poll::Roti, *v, person(i), key(i))?;
        }
        retros::close_poll(tx, id, Poll::Roti, fac)?;
        retros::set_phase(tx, id, Phase::Closed, at(48), fac)?;
        Ok(id)
    }
}
