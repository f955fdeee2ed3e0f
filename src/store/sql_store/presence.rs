//! Presence over either engine: a terminal's row written in a write of
//! presence alone, and what is running read from the rituals' own rows.

use super::*;
use crate::domain::presence::{self, Present, Running};
use crate::store::presence::PresenceStore;

impl<B: Backend> PresenceStore for SqlStore<B> {
    fn beat(&mut self, session: &str, tab: &str) -> Result<()> {
        let now = ms(self.clock.now()).div_euclid(1000) * 1000;
        let forget = now - presence::FORGOTTEN_AFTER.as_millis() as i64;
        let person = self.actor.clone();
        self.backend.presence_transaction(|db| {
            db.execute(
                "INSERT INTO presence (session, person, tab, seen_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (session) DO UPDATE
                     SET person = excluded.person, tab = excluded.tab, seen_at = excluded.seen_at",
                params![session, &person, tab, now],
            )?;
            db.execute("DELETE FROM presence WHERE seen_at < ?1", params![forget])?;
            Ok(())
        })
    }

    fn leave(&mut self, session: &str) -> Result<()> {
        self.backend.presence_transaction(|db| {
            db.execute("DELETE FROM presence WHERE session = ?1", params![session])?;
            Ok(())
        })
    }

    fn present(&self) -> Result<Vec<Present>> {
        let since = ms(self.clock.now()) - presence::SHOWN_FOR.as_millis() as i64;
        let rows = self.read(|db| {
            db.rows(
                "SELECT session, person, tab, seen_at FROM presence WHERE seen_at >= ?1
                 ORDER BY person, session",
                params![since],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, from_ms(r.get(3)?))),
            )
        })?;
        Ok(presence::group(rows, &[]))
    }

    fn presence_changed(&mut self) -> bool {
        self.backend.presence_changed()
    }

    fn running(&self, board: BoardId) -> Result<Vec<Running>> {
        let today = self.clock.zone().day_of(self.clock.now());
        self.read(|db| running(db, board, today))
    }
}

/// A retro or a pre-mortem's session: id, title, phase, facilitator, and
/// the pre-mortem's id and title if it is one.
type Session = (i64, String, String, String, Option<i64>, Option<String>);

fn running(db: &dyn Db, board: BoardId, today: chrono::NaiveDate) -> Result<Vec<Running>> {
    use crate::domain::mortem::Stage;
    let sessions: Vec<Session> = db.rows(
        "SELECT r.id, r.title, r.phase, r.facilitator, m.id, m.title
         FROM retros r LEFT JOIN mortems m ON m.session_id = r.id
         WHERE r.board_id = ?1 AND r.phase <> 'closed'
         ORDER BY r.started_at, r.id",
        params![board.0],
        |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        },
    )?;
    let mut out = Vec::new();
    let mut mortems = Vec::new();
    for (id, title, phase, facilitator, mortem, mortem_title) in sessions {
        let phase = Phase::parse(&phase).unwrap_or(Phase::Stage);
        match mortem {
            Some(m) => mortems.push(Running {
                ritual: Ritual::Premortem,
                id: m,
                title: mortem_title.unwrap_or_default(),
                phase: Stage::of(phase).label().to_string(),
                facilitator,
            }),
            None => out.push(Running {
                ritual: Ritual::Retro,
                id,
                title,
                phase: phase.title().to_string(),
                facilitator,
            }),
        }
    }
    out.extend(mortems);
    let pulses: Vec<(i64, String, String)> = db.rows(
        "SELECT id, title, opened_by FROM pulses WHERE board_id = ?1 AND closed_day IS NULL
         ORDER BY id",
        params![board.0],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    out.extend(pulses.into_iter().map(|(id, title, by)| Running {
        ritual: Ritual::Pulse,
        id,
        title,
        phase: "open".to_string(),
        facilitator: by,
    }));
    let standup: Option<(i64, i64, String)> = db.row(
        "SELECT id, CASE WHEN running_since IS NULL THEN 0 ELSE 1 END, facilitator FROM standups
         WHERE board_id = ?1 AND day = ?2 AND ended_at IS NULL",
        params![board.0, today.format("%Y-%m-%d").to_string()],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    out.extend(standup.map(|(id, on, facilitator)| Running {
        ritual: Ritual::Standup,
        id,
        title: String::new(),
        phase: if on == 1 { "running" } else { "paused" }.to_string(),
        facilitator,
    }));
    // Poker rounds: the card being estimated, and where it is in the queue.
    let rounds: Vec<(i64, String, String, i64, i64)> = db.rows(
        "SELECT r.id, r.facilitator, c.title,
                (SELECT count(*) FROM poker_cards q WHERE q.round_id = r.id AND q.position <= p.position),
                (SELECT count(*) FROM poker_cards q WHERE q.round_id = r.id)
         FROM poker_rounds r
         JOIN poker_cards p ON p.round_id = r.id AND p.state = 'voting'
         JOIN cards c ON c.id = p.card_id
         WHERE r.board_id = ?1 AND r.closed_at IS NULL
         ORDER BY r.started_at, r.id",
        params![board.0],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
    )?;
    out.extend(
        rounds
            .into_iter()
            .map(|(id, facilitator, title, at, of)| Running {
                ritual: Ritual::Poker,
                id,
                title,
                phase: format!("card {at} of {of}"),
                facilitator,
            }),
    );
    Ok(out)
}
