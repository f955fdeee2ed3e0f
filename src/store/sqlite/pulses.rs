//! Pulses: who responded kept apart from what was answered.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};

use super::RANDOM_ID;
use crate::domain::pulse::{
    Instrument, Pulse, PulseId, PulseResults, TrendPoint, check_threshold, results,
    validate_comment, validate_title,
};
use crate::domain::{BoardId, DomainError};
use crate::store::{NewPulse, Result, StoreError};

const PULSE_FIELDS: &str = "p.id, p.title, p.instrument, p.opened_by, p.opened_day,
    p.closes_day, p.closed_day, p.min_responses, p.min_comments,
    (SELECT count(*) FROM pulse_responded r WHERE r.pulse_id = p.id), p.closes_at";

fn day(text: Option<String>) -> Option<NaiveDate> {
    text.and_then(|t| NaiveDate::parse_from_str(&t, "%Y-%m-%d").ok())
}

fn pulse_from_row(r: &Row<'_>) -> rusqlite::Result<Pulse> {
    let instrument: String = r.get(2)?;
    let instrument: Instrument = serde_json::from_str(&instrument).unwrap_or_else(|_| Instrument {
        id: "unknown".into(),
        name: "Unknown instrument".into(),
        source: String::new(),
        scale: 7,
        labels: Vec::new(),
        items: Vec::new(),
        free_text: None,
    });
    Ok(Pulse {
        id: PulseId(r.get(0)?),
        title: r.get(1)?,
        instrument: instrument.checked(),
        closes_at: r.get::<_, Option<i64>>(10)?.map(super::from_ms),
        opened_by: r.get(3)?,
        opened: day(r.get(4)?).unwrap_or_default(),
        closes: day(r.get(5)?),
        closed: day(r.get(6)?),
        min_responses: r.get(7)?,
        min_comments: r.get(8)?,
        responses: r.get(9)?,
    })
}

pub(super) fn pulses(conn: &Connection, board: BoardId) -> Result<Vec<Pulse>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {PULSE_FIELDS} FROM pulses p WHERE p.board_id = ?1
         ORDER BY p.opened_day DESC, p.id DESC"
    ))?;
    let rows = stmt.query_map([board.0], pulse_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(super) fn pulse(conn: &Connection, id: PulseId) -> Result<Pulse> {
    conn.query_row(
        &format!("SELECT {PULSE_FIELDS} FROM pulses p WHERE p.id = ?1"),
        [id.0],
        pulse_from_row,
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound(format!("no pulse with id {}", id.0)))
}

/// A person as the responded set knows them: `Ben` and ` ben` are one.
pub(super) fn person(name: &str) -> String {
    name.trim().to_lowercase()
}

pub(super) fn has_responded(conn: &Connection, id: PulseId, who: &str) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM pulse_responded WHERE pulse_id = ?1 AND person = ?2",
            params![id.0, person(who)],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

fn submissions(conn: &Connection, id: PulseId) -> Result<Vec<Vec<u32>>> {
    let mut stmt = conn.prepare_cached("SELECT answers FROM pulse_answers WHERE pulse_id = ?1")?;
    let rows = stmt.query_map([id.0], |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for row in rows {
        out.push(
            row?.split(',')
                .filter_map(|a| a.trim().parse::<u32>().ok())
                .collect(),
        );
    }
    Ok(out)
}

pub(super) fn results_of(
    conn: &Connection,
    id: PulseId,
    now: DateTime<Utc>,
) -> Result<PulseResults> {
    let p = pulse(conn, id)?;
    if let Some(why) = p.results_refused(now) {
        return Err(DomainError::Invalid(why).into());
    }
    let mut stmt = conn.prepare_cached("SELECT text FROM pulse_comments WHERE pulse_id = ?1")?;
    let comments = stmt
        .query_map([id.0], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let r = results(
        &p.instrument,
        &submissions(conn, id)?,
        comments,
        p.min_comments,
        id.0 as u64,
    );
    // Answers off the scale are left out of the results; the threshold
    // holds for the ones that count.
    if r.responses < p.min_responses {
        return Err(DomainError::Invalid(format!(
            "{} usable responses, below this pulse's threshold of {}: no results are shown, so no one's answers can be told",
            r.responses, p.min_responses
        ))
        .into());
    }
    Ok(r)
}

pub(super) fn trend(
    conn: &Connection,
    board: BoardId,
    now: DateTime<Utc>,
) -> Result<Vec<TrendPoint>> {
    let mut all = pulses(conn, board)?;
    all.reverse();
    let mut out = Vec::new();
    for p in all.into_iter().filter(|p| p.is_closed(now)) {
        let score = match p.results_refused(now) {
            None => {
                let r = results(
                    &p.instrument,
                    &submissions(conn, p.id)?,
                    Vec::new(),
                    u32::MAX,
                    0,
                );
                (r.responses >= p.min_responses).then_some(r.score)
            }
            Some(_) => None,
        };
        out.push(TrendPoint {
            pulse: p.id,
            title: p.title,
            opened: p.opened,
            responses: p.responses,
            score,
            scale: p.instrument.scale,
        });
    }
    Ok(out)
}

pub(super) fn open(
    tx: &Transaction<'_>,
    board: BoardId,
    new: &NewPulse,
    today: NaiveDate,
    closes_at: Option<DateTime<Utc>>,
    actor: &str,
) -> Result<PulseId> {
    let title = validate_title(&new.title)?;
    let min_responses = check_threshold(new.min_responses)?;
    let min_comments = check_threshold(new.min_comments)?;
    if let Some(c) = new.closes
        && c < today
    {
        return Err(DomainError::Invalid(format!("{c} is already past")).into());
    }
    let instrument = serde_json::to_string(&new.instrument)
        .map_err(|e| DomainError::Invalid(format!("the instrument cannot be saved: {e}")))?;
    tx.execute(
        "INSERT INTO pulses (board_id, title, instrument, opened_by, opened_day, closes_day,
                             min_responses, min_comments, closes_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            board.0,
            title,
            instrument,
            actor,
            today.to_string(),
            new.closes.map(|d| d.to_string()),
            min_responses,
            min_comments,
            closes_at.map(super::ms)
        ],
    )?;
    Ok(PulseId(tx.last_insert_rowid()))
}

pub(super) fn respond(
    tx: &Transaction<'_>,
    id: PulseId,
    answers: &[u32],
    comment: Option<&str>,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<()> {
    let p = pulse(tx, id)?;
    if p.is_closed(now) {
        return Err(DomainError::Invalid(format!("\"{}\" is closed", p.title)).into());
    }
    p.instrument.check(answers)?;
    let comment = comment.map(validate_comment).transpose()?.flatten();
    if comment.is_some() && p.instrument.free_text.is_none() {
        return Err(DomainError::Invalid("this pulse asks no free-text question".into()).into());
    }
    let fresh = tx.execute(
        "INSERT OR IGNORE INTO pulse_responded (pulse_id, person) VALUES (?1, ?2)",
        params![id.0, person(actor)],
    )?;
    if fresh == 0 {
        return Err(DomainError::Invalid(format!(
            "you have responded to \"{}\" already: once each",
            p.title
        ))
        .into());
    }
    let answers: Vec<String> = answers.iter().map(u32::to_string).collect();
    tx.execute(
        &format!("INSERT INTO pulse_answers (id, pulse_id, answers) VALUES ({RANDOM_ID}, ?1, ?2)"),
        params![id.0, answers.join(",")],
    )?;
    if let Some(text) = comment {
        tx.execute(
            &format!(
                "INSERT INTO pulse_comments (id, pulse_id, text) VALUES ({RANDOM_ID}, ?1, ?2)"
            ),
            params![id.0, text],
        )?;
    }
    Ok(())
}

pub(super) fn close(
    tx: &Transaction<'_>,
    id: PulseId,
    now: DateTime<Utc>,
    today: NaiveDate,
    actor: &str,
) -> Result<()> {
    let p = pulse(tx, id)?;
    if p.opened_by != actor {
        return Err(DomainError::Invalid(format!(
            "only whoever opened it ({}) closes a pulse by hand",
            p.opened_by
        ))
        .into());
    }
    if p.is_closed(now) {
        return Err(DomainError::Invalid(format!("\"{}\" is closed already", p.title)).into());
    }
    tx.execute(
        "UPDATE pulses SET closed_day = ?2 WHERE id = ?1",
        params![id.0, today.to_string()],
    )?;
    // Rows are laid out in the file in the order they were written: write
    // them again in a random order, so where they sit tells nothing.
    for table in ["pulse_responded", "pulse_answers", "pulse_comments"] {
        reshuffle(tx, table, "pulse_id", id.0)?;
    }
    Ok(())
}

/// Writes a table's rows for one key again, in a random order (deleted rows
/// are overwritten: `secure_delete` is on).
pub(super) fn reshuffle(tx: &Transaction<'_>, table: &str, key: &str, value: i64) -> Result<()> {
    let tmp = format!("temp.reshuffle_{table}");
    // Rows that others point to (retro items) leave and come back within
    // the transaction: foreign keys are checked at its end.
    tx.execute_batch(&format!(
        "PRAGMA defer_foreign_keys = ON;
         DROP TABLE IF EXISTS {tmp};
         CREATE TABLE {tmp} AS SELECT * FROM {table} WHERE {key} = {value} ORDER BY random();
         DELETE FROM {table} WHERE {key} = {value};
         INSERT INTO {table} SELECT * FROM {tmp} ORDER BY rowid;
         DROP TABLE {tmp};"
    ))?;
    Ok(())
}
